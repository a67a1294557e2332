import { describeRange, describeRequest } from '../lookup/request';
import { codeBlock, codeSpan, markdownTable, plainText } from '../format/markdown';
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

/** A saved query as list item text; `indent` lines its code block up under the item's text (`10. ` is four wide). */
function describeQuery(query: SavedQuery, indent: string): string {
  const where = codeSpan(targetLabel(query.target), false);
  if (query.kind === 'lookup') {
    return `lookup in ${where}: ${codeSpan(describeRequest(query.request), false)}, ${codeSpan(describeRange(query.request), false)}`;
  }
  const groups = query.logGroups.map((g) => codeSpan(g, false)).join(', ');
  return `Insights query in ${where} on ${groups}, ${codeSpan(describeRange(query), false)}:\n\n${codeBlock(query.query, indent)}`;
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
    lines.push(...markdownTable([...columns, 'Found in', 'Note'], rows.map((row, i) => [...row.map((cell) => codeSpan(cell, true)), codeSpan(targetLabel(events[i]!.target), true), noteCell(events[i]!)])));
  }
  if (records.length > 0) {
    const time = (f: Finding) => {
      const at = findingTime(f);
      return Number.isNaN(at) ? undefined : new Date(at).toISOString().replace('.000Z', 'Z');
    };
    lines.push('', '## Log records', '');
    lines.push(...markdownTable(['Time', 'Record', 'Query', 'Found in', 'Note'], records.map((f) => [codeSpan(time(f), true), codeSpan(recordText(f.record), true), codeSpan(f.query.replace(/\s+/g, ' '), true), codeSpan(targetLabel(f.target), true), noteCell(f)])));
  }
  if (investigation.journal.length > 0) {
    lines.push('', '## Journal', '');
    lines.push(...markdownTable(['Time', 'Entry'], investigation.journal.map((e) => [codeSpan(e.at.replace('.000Z', 'Z'), true), plainText(e.text.replace(/\s+/g, ' '))])));
  }
  lines.push('', '## Saved queries', '');
  if (investigation.queries.length === 0) lines.push('No queries are saved in this case yet.');
  investigation.queries.forEach((query, i) => {
    const marker = `${i + 1}. `;
    lines.push(`${marker}**${plainText(query.name)}**: ${describeQuery(query, ' '.repeat(marker.length))}`);
  });
  return `${lines.join('\n')}\n`;
}
