import { describeRange, describeRequest } from '../lookup/request';
import { displayText } from '../format/display-text';
import { eventRows } from '../format/events';
import { targetLabel } from '../target';
import { findingsByTime, findingTime } from './edit';
import type { LookupEvent } from '../cloudtrail/event';
import type { ResultField } from '../results';
import type { Finding, InvestigationCase, SavedQuery } from './case-file';

/**
 * A case as a Markdown report: the findings in the order things happened, the journal, then the saved
 * queries, for the incident ticket or the hand-over. Every value from a log is attacker-controlled and
 * the report is rendered by Markdown previews, so log values go into code spans (no links, no HTML, no
 * emphasis inside) with invisible characters made visible, and the responders' own words are escaped.
 */

/** Longest value shown in a cell; the case file keeps the whole record. */
const CELL_LIMIT = 300;

function visible(value: string): string {
  const shown = displayText(value);
  return shown.length > CELL_LIMIT ? `${shown.slice(0, CELL_LIMIT - 1)}…` : shown;
}

/**
 * A log value as a code span. The fence is longer than any run of backticks inside; in a table a `|`
 * would end the cell even inside a code span, so it is escaped there (GFM drops that backslash).
 */
export function codeSpan(value: string | undefined, inTable: boolean): string {
  if (value === undefined || value === '') return '–';
  let shown = visible(value);
  if (inTable) shown = shown.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * The responder's text (notes, titles) as inline Markdown text: every mark that could start inline markup
 * (emphasis, code, links, images, HTML, entities, table cells) is escaped, and `:`, `.` and `@` too, so no
 * URL, domain or address in it becomes a link. It only ever stands inside a line (a cell, after `# `), so
 * marks that start blocks (`-`, `#`, `1.` at a line's start) need nothing.
 */
export function plainText(value: string): string {
  return visible(value).replace(/[\\`*_[\]<>!|~&:.@]/g, (c) => `\\${c}`);
}

function describeQuery(query: SavedQuery): string {
  const where = codeSpan(targetLabel(query.target), false);
  if (query.kind === 'lookup') {
    return `lookup in ${where}: ${codeSpan(describeRequest(query.request), false)}, ${codeSpan(describeRange(query.request), false)}`;
  }
  const groups = query.logGroups.map((g) => codeSpan(g, false)).join(', ');
  const fence = '`'.repeat(Math.max(3, ...[...query.query.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `Insights query in ${where} on ${groups}, ${codeSpan(describeRange(query), false)}:\n\n   ${fence}\n${query.query.trimEnd().split('\n').map((line) => `   ${displayText(line)}`).join('\n')}\n   ${fence}`;
}

/** A Markdown table: a header of plain names, then the given (already escaped) cells. */
function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${' --- |'.repeat(header.length)}`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)];
}

const noteCell = (finding: Finding): string => (finding.note ? plainText(finding.note.replace(/\s+/g, ' ')) : '–');

/** A log record's fields in their order, `@ptr` (an opaque pointer) left out. */
const recordText = (record: ResultField[]): string => record.filter((f) => f.field !== '@ptr').map((f) => `${f.field}=${f.value}`).join(' ');

export function caseTimeline(investigation: InvestigationCase, now: Date): string {
  const findings = findingsByTime(investigation);
  const events = findings.filter((f): f is Finding & { event: LookupEvent } => 'event' in f);
  const records = findings.filter((f): f is Finding & { record: ResultField[]; query: string } => 'record' in f);
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const lines = [
    `# ${plainText(investigation.title)}`,
    '',
    `Case opened ${investigation.created}; this report written ${now.toISOString()}. ${count(findings.length, 'finding', 'findings')}, ${count(investigation.queries.length, 'saved query', 'saved queries')}. Times are UTC.`,
    '',
    '## Timeline',
    '',
  ];
  if (events.length === 0) lines.push('No events are pinned to this case yet.');
  else {
    const { columns, rows } = eventRows(events.map((f) => f.event));
    lines.push(...table([...columns, 'Found in', 'Note'], rows.map((row, i) => [...row.map((cell) => codeSpan(cell, true)), codeSpan(targetLabel(events[i]!.target), true), noteCell(events[i]!)])));
  }
  if (records.length > 0) {
    const time = (f: Finding) => {
      const at = findingTime(f);
      return Number.isNaN(at) ? undefined : new Date(at).toISOString().replace('.000Z', 'Z');
    };
    lines.push('', '## Log records', '');
    lines.push(...table(['Time', 'Record', 'Query', 'Found in', 'Note'], records.map((f) => [codeSpan(time(f), true), codeSpan(recordText(f.record), true), codeSpan(f.query.replace(/\s+/g, ' '), true), codeSpan(targetLabel(f.target), true), noteCell(f)])));
  }
  if (investigation.journal.length > 0) {
    lines.push('', '## Journal', '');
    lines.push(...table(['Time', 'Entry'], investigation.journal.map((e) => [codeSpan(e.at.replace('.000Z', 'Z'), true), plainText(e.text.replace(/\s+/g, ' '))])));
  }
  lines.push('', '## Saved queries', '');
  if (investigation.queries.length === 0) lines.push('No queries are saved in this case yet.');
  investigation.queries.forEach((query, i) => lines.push(`${i + 1}. **${plainText(query.name)}**: ${describeQuery(query)}`));
  return `${lines.join('\n')}\n`;
}
