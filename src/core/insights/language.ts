import { compileQuery } from './compiler';
import { InsightsQueryError } from './errors';
import { KNOWN_FIELDS, SOURCE_TABLES } from './fields';
import { FUNCTIONS } from './functions';
import { COMMANDS, LIVE_ONLY_COMMANDS, parseQuery } from './parser';

/**
 * Editor support computed in core, so it is tested under node:test and the extension only adapts it to
 * the vscode API: diagnostics from the same parser and compiler that run queries, and completions of
 * commands, functions, keywords and known fields.
 */
export type Severity = 'error' | 'warning' | 'information';

export interface InsightsDiagnostic {
  start: number;
  end: number;
  message: string;
  severity: Severity;
}

/**
 * Problems in a query: the first syntax or semantic error, an error, and each command or function only
 * the service runs before it, a warning (the query is still valid live).
 */
export function diagnosticsFor(text: string): InsightsDiagnostic[] {
  if (text.trim() === '' || isOnlyComments(text)) return [];
  const found: InsightsQueryError[] = [];
  try {
    compileQuery(parseQuery(text), { tables: SOURCE_TABLES, logGroups: [], nowMs: 0, defaultLimit: 10_000, liveOnly: (w) => found.push(w) });
  } catch (error) {
    if (!(error instanceof InsightsQueryError)) throw error;
    found.push(error);
  }
  return found.map((error) => {
    const { startCharOffset: start, endCharOffset: end } = error.location;
    return {
      start,
      end: Math.max(end, start + (start < text.length ? 1 : 0)),
      message: error.detail,
      severity: error.kind === 'unsupported-offline' ? 'warning' : 'error',
    };
  });
}

function isOnlyComments(text: string): boolean {
  return text.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('#'));
}

export type CompletionKind = 'command' | 'function' | 'field' | 'keyword';

export interface InsightsCompletion {
  label: string;
  kind: CompletionKind;
  detail: string;
  /** Text to insert when it differs from the label (function calls get their parentheses). */
  insertText?: string;
}

const KEYWORDS = ['and', 'or', 'not', 'like', 'in', 'as', 'by', 'asc', 'desc'];

/** A Map, so hovering a field named `constructor` or `__proto__` finds no command. */
const COMMAND_DETAILS = new Map<string, string>(Object.entries({
  fields: 'fields a, b, expr as name — choose and compute fields',
  display: 'display a, b — the fields to show',
  filter: 'filter condition — keep matching events',
  stats: 'stats agg(x) [as name], … [by field, bin(5m)] — aggregate',
  sort: 'sort field [asc|desc], … — order the rows',
  limit: 'limit n — at most n rows',
  parse: 'parse field "glob *" as a | parse field /(?<name>re)/ — extract fields',
  dedup: 'dedup field, … — first row per value',
  unmask: 'unmask — show masked data',
}));

/** Completions for the cursor at `offset`: commands at the start of a stage, otherwise functions, fields and keywords. */
export function completionsAt(text: string, offset: number): InsightsCompletion[] {
  const before = stripComment(text.slice(0, offset));
  const stage = before.slice(before.lastIndexOf('|') + 1);
  if (/^\s*[A-Za-z]*$/.test(stage)) {
    return [
      ...COMMANDS.map((c): InsightsCompletion => ({ label: c, kind: 'command', detail: COMMAND_DETAILS.get(c) ?? '' })),
      ...['pattern', 'diff'].map((c): InsightsCompletion => ({ label: c, kind: 'command', detail: `${c} — runs live only` })),
    ];
  }
  const command = /^\s*([A-Za-z]+)/.exec(stage)?.[1].toLowerCase() ?? '';
  if ((LIVE_ONLY_COMMANDS as readonly string[]).includes(command) || command === 'limit') return [];
  const inStats = command === 'stats';
  const functions = FUNCTIONS.filter((f) => inStats || f.category !== 'aggregation').map(
    (f): InsightsCompletion => ({ label: f.name, kind: 'function', detail: `${f.signature} — ${f.summary}`, insertText: `${f.name}(` }),
  );
  if (inStats) functions.sort((a, b) => Number(categoryOf(b.label) === 'aggregation') - Number(categoryOf(a.label) === 'aggregation'));
  return [...fieldCompletions(before), ...functions, ...KEYWORDS.map((k): InsightsCompletion => ({ label: k, kind: 'keyword', detail: 'keyword' }))];
}

function categoryOf(name: string): string | undefined {
  return FUNCTIONS.find((f) => f.name === name)?.category;
}

/** Known fields of every log kind, plus the names the query defined so far (aliases, parse fields). */
function fieldCompletions(before: string): InsightsCompletion[] {
  const defined = new Set<string>();
  for (const m of before.matchAll(/\bas\s+([A-Za-z_@][A-Za-z0-9_@.]*)/gi)) defined.add(m[1]);
  for (const m of before.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)) defined.add(m[1]);
  const seen = new Set<string>();
  const out: InsightsCompletion[] = [];
  const add = (names: Iterable<string>, detail: string) => {
    for (const label of names) {
      if (seen.has(label)) continue;
      seen.add(label);
      out.push({ label, kind: 'field', detail });
    }
  };
  add(defined, 'defined in this query');
  add(KNOWN_FIELDS.system, 'system field');
  add(KNOWN_FIELDS.cloudtrail, 'CloudTrail field');
  add(KNOWN_FIELDS.flows, 'VPC flow log field');
  add(KNOWN_FIELDS.lambda, 'Lambda REPORT field');
  return out;
}

/** The text of the current line before a `#` comment that is not inside a string. */
function stripComment(text: string): string {
  const lineStart = text.lastIndexOf('\n') + 1;
  let quote: string | undefined;
  for (let i = lineStart; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return text.slice(0, i) + ' '.repeat(text.length - i);
  }
  return text;
}

/** What the word at `offset` is, for a hover: a function's signature or a command's syntax. */
export function hoverAt(text: string, offset: number): { start: number; end: number; markdown: string } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1])) start--;
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end])) end++;
  if (start === end) return undefined;
  const word = text.slice(start, end);
  const fn = /^\s*\(/.test(text.slice(end)) ? FUNCTIONS.find((f) => f.name.toLowerCase() === word.toLowerCase()) : undefined;
  if (fn) {
    const offline = fn.compile ? '' : '\n\nRuns live only (not over local evidence).';
    return { start, end, markdown: `\`${fn.signature}\`\n\n${fn.summary} (${fn.category})${offline}` };
  }
  const stage = stripComment(text.slice(0, start));
  const command = COMMAND_DETAILS.get(word.toLowerCase());
  if (command && /^\s*$/.test(stage.slice(stage.lastIndexOf('|') + 1))) return { start, end, markdown: `\`${command.split(' — ')[0]}\`\n\n${command.split(' — ')[1]}` };
  return undefined;
}
