import type { LogKind } from '../../sources/source';
import { cappedPeriods, type QueryWarning } from './capped-periods';
import { compileQuery } from './compiler';
import { InsightsQueryError } from './errors';
import { KNOWN_FIELDS, SOURCE_TABLES } from './fields';
import { FUNCTIONS } from './functions';
import { Lexer, type Token } from './lexer';
import { COMMANDS, LIVE_ONLY_COMMANDS, parseQuery, valueExpectedAfter } from './parser';

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
 * the service runs before it, a warning (the query is still valid live); so is each period the service
 * caps (`bin(300s)`), which a run reports too.
 */
export function diagnosticsFor(text: string): InsightsDiagnostic[] {
  if (text.trim() === '' || isOnlyComments(text)) return [];
  const found: InsightsQueryError[] = [];
  let capped: QueryWarning[] = [];
  try {
    const query = parseQuery(text);
    capped = cappedPeriods(query);
    compileQuery(query, { tables: SOURCE_TABLES, logGroups: [], nowMs: 0, defaultLimit: 10_000, liveOnly: (w) => found.push(w) });
  } catch (error) {
    if (!(error instanceof InsightsQueryError)) throw error;
    found.push(error);
  }
  const problems = found.map((error): InsightsDiagnostic => {
    const { startCharOffset: start, endCharOffset: end } = error.location;
    return {
      start,
      end: Math.max(end, start + (start < text.length ? 1 : 0)),
      message: error.detail,
      severity: error.kind === 'unsupported-offline' ? 'warning' : 'error',
    };
  });
  return [...problems, ...capped.map((w): InsightsDiagnostic => ({ start: w.start, end: w.end, message: w.detail, severity: 'warning' }))];
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

/**
 * Completions for the cursor at `offset`: commands at the start of a stage, otherwise functions, fields
 * and keywords; nothing inside a string, a regex or a comment. `kinds`, the kinds of log group the query
 * runs on when the editor knows them, narrows the fields to theirs.
 */
export function completionsAt(text: string, offset: number, kinds?: readonly LogKind[]): InsightsCompletion[] {
  const tokens = tokensBefore(text, offset);
  if (!tokens) return [];
  const stage = tokens.slice(tokens.findLastIndex(isPipe) + 1);
  const [first] = stage;
  if (!first || (stage.length === 1 && first.end === offset && /^[A-Za-z]+$/.test(first.text))) {
    return [
      ...COMMANDS.map((c): InsightsCompletion => ({ label: c, kind: 'command', detail: COMMAND_DETAILS.get(c) ?? '' })),
      ...['pattern', 'diff'].map((c): InsightsCompletion => ({ label: c, kind: 'command', detail: `${c} — runs live only` })),
    ];
  }
  const command = first.kind === 'ident' ? first.value.toLowerCase() : '';
  if ((LIVE_ONLY_COMMANDS as readonly string[]).includes(command) || command === 'limit') return [];
  const inStats = command === 'stats';
  const functions = FUNCTIONS.filter((f) => inStats || f.category !== 'aggregation').map(
    (f): InsightsCompletion => ({ label: f.name, kind: 'function', detail: `${f.signature} — ${f.summary}`, insertText: `${f.name}(` }),
  );
  if (inStats) functions.sort((a, b) => Number(categoryOf(b.label) === 'aggregation') - Number(categoryOf(a.label) === 'aggregation'));
  return [...fieldCompletions(tokens, kinds), ...functions, ...KEYWORDS.map((k): InsightsCompletion => ({ label: k, kind: 'keyword', detail: 'keyword' }))];
}

function categoryOf(name: string): string | undefined {
  return FUNCTIONS.find((f) => f.name === name)?.category;
}

/** The fields each kind of log group has that the editor can name; EventBridge and other logs have no fixed set. */
const KIND_FIELDS: ReadonlyArray<[LogKind, readonly string[], string]> = [
  ['cloudtrail', KNOWN_FIELDS.cloudtrail, 'CloudTrail field'],
  ['vpc-flow', KNOWN_FIELDS.flows, 'VPC flow log field'],
  ['lambda', KNOWN_FIELDS.lambda, 'Lambda REPORT field'],
];

/**
 * The names the query defined so far (aliases, parse fields), the system fields, and the known fields
 * of the given kinds of log group (of every kind when none is given).
 */
function fieldCompletions(tokens: Token[], kinds: readonly LogKind[] | undefined): InsightsCompletion[] {
  const defined = new Set<string>();
  tokens.forEach((t, i) => {
    const previous = tokens[i - 1];
    if (t.kind === 'ident' && previous?.kind === 'ident' && previous.value.toLowerCase() === 'as') defined.add(t.text);
  });
  for (const t of tokens) {
    if (t.kind === 'regex') for (const m of t.value.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)) defined.add(m[1]);
  }
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
  for (const [kind, names, detail] of KIND_FIELDS) if (!kinds?.length || kinds.includes(kind)) add(names, detail);
  return out;
}

const isPipe = (t: Token | undefined): boolean => t?.kind === 'op' && t.value === '|';

/**
 * The tokens before `offset` as the parser reads them (a `/` where a value or a parse pattern belongs
 * opens a regex), or undefined when the cursor is inside a string, a regex or a `#` comment. Only the text
 * before the cursor is read, so a string or regex still open at its end is one the cursor is in.
 */
function tokensBefore(text: string, offset: number): Token[] | undefined {
  const before = text.slice(0, offset);
  const lexer = new Lexer(before);
  const tokens: Token[] = [];
  let depth = 0;
  let patternAhead = false;
  for (let from = 0; ; ) {
    let token: Token;
    try {
      token = lexer.tokenAt(from);
    } catch (error) {
      if (!(error instanceof InsightsQueryError)) throw error;
      const { startCharOffset: start, endCharOffset: end } = error.location;
      if (end >= before.length && (before[start] === '"' || before[start] === "'")) return undefined;
      // A character the lexer refuses (the diagnostics name it) or a backticked name still being typed.
      from = end;
      continue;
    }
    // What follows the last token is blanks and comments: the cursor is in one if its line has a `#`.
    if (token.kind === 'eof') return /#[^\n]*$/.test(before.slice(from)) ? undefined : tokens;
    if (token.kind === 'op' && token.value === '/' && (valueExpectedAfter(tokens.at(-1)) || (patternAhead && depth === 0))) {
      try {
        token = lexer.regexAt(token.start);
      } catch (error) {
        if (!(error instanceof InsightsQueryError)) throw error;
        // Still open at the cursor: the cursor is in it. Cut by a line break: a `/` the service refuses; read on.
        if (error.location.endCharOffset >= before.length) return undefined;
      }
    }
    if (token.kind === 'ident' && (tokens.length === 0 || isPipe(tokens.at(-1)))) patternAhead = token.value.toLowerCase() === 'parse';
    if (token.kind === 'string' || token.kind === 'regex') patternAhead = false;
    if (token.kind === 'op' && (token.value === '(' || token.value === '[')) depth++;
    if (token.kind === 'op' && (token.value === ')' || token.value === ']')) depth--;
    tokens.push(token);
    from = token.end;
  }
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
  const command = COMMAND_DETAILS.get(word.toLowerCase());
  const tokens = command === undefined ? undefined : tokensBefore(text, start);
  if (command && tokens && (tokens.length === 0 || isPipe(tokens.at(-1)))) return { start, end, markdown: `\`${command.split(' — ')[0]}\`\n\n${command.split(' — ')[1]}` };
  return undefined;
}
