import { optionValue, optionValues, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { countOption, formatOption, json, outputFormat, type OutputFormat } from '../output-options';
import { openSource, SOURCE_OPTIONS } from '../source-options';
import { findRelated, findRelatedToLead, LIVE_FLOW_HOURS, RELATED_LIMIT, RELATED_LIVE_PAGES } from '../../core/pivots/related';
import { LEAD_KINDS, type Lead, type LeadKind } from '../../core/pivots/queries';
import { LookupParseError, parseDuration } from '../../core/lookup/parse';
import { PIVOT_NAMES, type PivotName, type PivotResult } from '../../core/results';
import { eventRows } from '../../core/format/events';
import { escapeControl, formatCsv, formatTable } from '../../core/format/table';
import { insightsRows } from '../../core/insights/rows';

const FORMATS: OutputFormat[] = ['json', 'table', 'csv'];

/** What the pivots start from, as the table's first line says it and its flows pivot reads live. */
interface Start {
  heading: string;
  flowRange: string;
}

function renderTable(start: Start, pivots: PivotResult[], format: 'table' | 'csv'): string {
  if (format === 'csv') {
    // One table: the event columns, then the flow records' own (a flow row leaves the event columns empty).
    const tables = pivots.map((p) => ({ pivot: p, rows: p.rows ? insightsRows(p.rows) : eventRows(p.events ?? []) }));
    const columns = [...new Set([...eventRows([]).columns, ...tables.flatMap((t) => t.rows.columns)])];
    const rows = tables.flatMap(({ pivot, rows: table }) =>
      table.rows.map((row) => [pivot.pivot, pivot.value, ...columns.map((c) => row[table.columns.indexOf(c)])]));
    return formatCsv({ columns: ['Pivot', 'Value', ...columns], rows });
  }
  const parts = [`Related to ${start.heading}\n`];
  for (const p of pivots) {
    const shown = (p.events ?? p.rows ?? []).length;
    const noun = p.pivot === 'flows' ? 'flow record(s)' : 'event(s)';
    const floor = p.pivot === 'flows' ? `live: ${start.flowRange}` : `live: a page of matches, or ${RELATED_LIVE_PAGES} pages of each region's newest events, read at most`;
    const count = p.error !== undefined ? `not read: ${escapeControl(p.error)}` : p.capped ? `${p.count}+ ${noun} (${floor})` : `${p.count} ${noun}`;
    parts.push(`\n${p.pivot} = ${escapeControl(p.value)}: ${count}${shown < p.count ? `, newest ${shown} shown` : ''}\n`);
    parts.push(formatTable(p.rows ? insightsRows(p.rows) : eventRows(p.events ?? [])));
  }
  return parts.join('');
}

const LEAD_VALUES: Record<LeadKind, string> = { 'source-ip': 'ADDR', 'access-key': 'KEY', principal: 'ARN' };
const STARTS = ['event-id', ...LEAD_KINDS] as const;

/** The one starting point the options name: an event ID, or a lead. */
function startingPoint(args: ParsedArgs): { eventId: string } | { lead: Lead } {
  const named = STARTS.filter((name) => optionValue(args, name) !== undefined);
  if (named.length !== 1) {
    const choices = `--event-id ID, ${LEAD_KINDS.map((kind) => `--${kind} ${LEAD_VALUES[kind]}`).join(', ')}`;
    throw new UsageError(`${named.length === 0 ? 'say where to start' : `start from one of ${named.map((n) => `--${n}`).join(', ')}, not several`}: one of ${choices}`);
  }
  const [name] = named;
  const value = optionValue(args, name) ?? '';
  if (value === '') throw new UsageError(`--${name} needs a value`);
  if (name === 'event-id') return { eventId: value };
  if (name === 'principal' && !value.startsWith('arn:')) throw new UsageError('--principal takes an ARN as CloudTrail records it: arn:aws:iam::123456789012:user/NAME or role/NAME');
  return { lead: { kind: name, value } };
}

export const relatedCommand: CliCommand = {
  name: 'related',
  summary: 'events related to an event, IP, key or principal: same principal, key, session, IP, resource, request, time window; IP to flows',
  usage: '--db FILE (--event-id ID | --source-ip ADDR | --access-key KEY | --principal ARN) [--pivot NAME]... [--window 15m] [--limit N] [--format json|table|csv]',
  details: [
    `Pivots: ${PIVOT_NAMES.join(', ')} (default: all that apply).`,
    'Start from an event, or from a lead with the pivots an event holding it would have: --source-ip its calls',
    `and flow records (live: the last ${2 * LIVE_FLOW_HOURS} h), --access-key its calls and the call that minted it, --principal its calls.`,
    'JSON: {"event":{...},"pivots":[...]} from an event, {"lead":{"kind":"source-ip","value":"..."},"pivots":[...]} from a lead.',
  ].join('\n'),
  options: [
    ...SOURCE_OPTIONS,
    { name: 'event-id', value: 'ID', description: 'the event (its eventID)' },
    { name: 'source-ip', value: 'ADDR', description: 'or a source IP address (a finding\'s, a firewall\'s)' },
    { name: 'access-key', value: 'KEY', description: 'or an access key ID (a leaked key)' },
    { name: 'principal', value: 'ARN', description: 'or a principal: an IAM user or role ARN' },
    { name: 'pivot', value: 'NAME', description: 'only this pivot', repeatable: true },
    { name: 'window', value: 'DURATION', description: 'half-width of the time-window pivot of an event (default 15m)' },
    { name: 'limit', value: 'N', description: `events shown per pivot (default ${RELATED_LIMIT}); counts cover all` },
    formatOption(FORMATS, 'table'),
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const format = outputFormat(args, FORMATS, 'table');
    const start = startingPoint(args);
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
    const table = format === 'csv' ? 'csv' : 'table';
    const source = await openSource(args);
    try {
      if ('lead' in start) {
        const result = await findRelatedToLead(source, start.lead, { pivots, limit });
        const heading = `${start.lead.kind} ${escapeControl(start.lead.value)}`;
        io.out(format === 'json' ? json(result) : renderTable({ heading, flowRange: `the last ${2 * LIVE_FLOW_HOURS} h` }, result.pivots, table));
        return 0;
      }
      const [event] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: start.eventId }], filters: [], max: 1 });
      if (!event) {
        io.err(`trailscope related: no event with id ${escapeControl(start.eventId)} in ${source.label}\n`);
        return 1;
      }
      const result = await findRelated(source, event, { pivots, windowMinutes, limit });
      const heading = `${escapeControl(event.EventName ?? '')} ${escapeControl(event.EventId)} at ${escapeControl(event.EventTime)}`;
      io.out(format === 'json' ? json(result) : renderTable({ heading, flowRange: `within ${LIVE_FLOW_HOURS} h either side of the event` }, result.pivots, table));
      return 0;
    } finally {
      source.close?.();
    }
  },
};
