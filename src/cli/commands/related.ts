import { optionValue, optionValues, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { countOption, formatOption, json, outputFormat, type OutputFormat } from '../output-options';
import { openSource, SOURCE_OPTIONS } from '../source-options';
import { findRelated, LIVE_FLOW_HOURS, RELATED_LIMIT, RELATED_LIVE_PAGES } from '../../core/pivots/related';
import { LookupParseError, parseDuration } from '../../core/lookup/parse';
import { PIVOT_NAMES, type PivotName, type RelatedResult } from '../../core/results';
import { eventRows } from '../../core/format/events';
import { escapeControl, formatCsv, formatTable } from '../../core/format/table';
import { insightsRows } from '../../core/insights/rows';

const FORMATS: OutputFormat[] = ['json', 'table', 'csv'];

function renderTable(result: RelatedResult, format: 'table' | 'csv'): string {
  if (format === 'csv') {
    // One table: the event columns, then the flow records' own (a flow row leaves the event columns empty).
    const tables = result.pivots.map((p) => ({ pivot: p, rows: p.rows ? insightsRows(p.rows) : eventRows(p.events ?? []) }));
    const columns = [...new Set([...eventRows([]).columns, ...tables.flatMap((t) => t.rows.columns)])];
    const rows = tables.flatMap(({ pivot, rows: table }) =>
      table.rows.map((row) => [pivot.pivot, pivot.value, ...columns.map((c) => row[table.columns.indexOf(c)])]));
    return formatCsv({ columns: ['Pivot', 'Value', ...columns], rows });
  }
  const parts = [`Related to ${escapeControl(result.event.EventName ?? '')} ${escapeControl(result.event.EventId)} at ${escapeControl(result.event.EventTime)}\n`];
  for (const p of result.pivots) {
    const shown = (p.events ?? p.rows ?? []).length;
    const noun = p.pivot === 'flows' ? 'flow record(s)' : 'event(s)';
    const floor = p.pivot === 'flows' ? `live: within ${LIVE_FLOW_HOURS} h either side of the event` : `live: a page of matches, or ${RELATED_LIVE_PAGES} pages of each region's newest events, read at most`;
    const count = p.error !== undefined ? `not read: ${escapeControl(p.error)}` : p.capped ? `${p.count}+ ${noun} (${floor})` : `${p.count} ${noun}`;
    parts.push(`\n${p.pivot} = ${escapeControl(p.value)}: ${count}${shown < p.count ? `, newest ${shown} shown` : ''}\n`);
    parts.push(formatTable(p.rows ? insightsRows(p.rows) : eventRows(p.events ?? [])));
  }
  return parts.join('');
}

export const relatedCommand: CliCommand = {
  name: 'related',
  summary: 'events related to one event: same principal, key, session, IP, resource, request, time window; IP to flows',
  usage: '--db FILE --event-id ID [--pivot NAME]... [--window 15m] [--limit N] [--format json|table|csv]',
  details: `Pivots: ${PIVOT_NAMES.join(', ')} (default: all that apply).`,
  options: [
    ...SOURCE_OPTIONS,
    { name: 'event-id', value: 'ID', description: 'the event (its eventID)' },
    { name: 'pivot', value: 'NAME', description: 'only this pivot', repeatable: true },
    { name: 'window', value: 'DURATION', description: 'half-width of the time-window pivot (default 15m)' },
    { name: 'limit', value: 'N', description: `events shown per pivot (default ${RELATED_LIMIT}); counts cover all` },
    formatOption(FORMATS, 'table'),
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const format = outputFormat(args, FORMATS, 'table');
    const eventId = optionValue(args, 'event-id');
    if (!eventId) throw new UsageError('--event-id ID is required');
    const pivots = optionValues(args, 'pivot').map((p) => {
      if (!(PIVOT_NAMES as readonly string[]).includes(p)) throw new UsageError(`unknown pivot '${p}' (one of ${PIVOT_NAMES.join(', ')})`);
      return p as PivotName;
    });
    let windowMinutes = 15;
    try {
      const window = optionValue(args, 'window');
      if (window !== undefined) windowMinutes = parseDuration(window) / 60_000;
    } catch (error) {
      if (error instanceof LookupParseError) throw new UsageError(error.message);
      throw error;
    }
    const limit = countOption(args, 'limit', RELATED_LIMIT);
    const source = await openSource(args);
    try {
      const [event] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: eventId }], filters: [], max: 1 });
      if (!event) {
        io.err(`trailscope related: no event with id ${escapeControl(eventId)} in ${source.label}\n`);
        return 1;
      }
      const result = await findRelated(source, event, { pivots, windowMinutes, limit });
      io.out(format === 'json' ? json(result) : renderTable(result, format === 'csv' ? 'csv' : 'table'));
      return 0;
    } finally {
      source.close?.();
    }
  },
};
