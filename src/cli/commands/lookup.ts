import { optionValue, optionValues, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { countOption, formatOption, json, outputFormat, type OutputFormat } from '../output-options';
import { openSource, SOURCE_OPTIONS, TIME_RANGE_OPTIONS } from '../source-options';
import { LookupParseError, parseAttribute, parseFilter, parseTime } from '../../core/lookup/parse';
import { categoryProblem, FIELD_FILTER_KEYS, INSIGHT_ATTRIBUTE_KEYS, LOOKUP_ATTRIBUTE_KEYS, type LookupRequest } from '../../core/lookup/request';
import type { LookupEvent } from '../../core/cloudtrail/event';
import type { EventsResult } from '../../core/results';
import { eventRows } from '../../core/format/events';
import { formatCsv, formatTable } from '../../core/format/table';

const FORMATS: OutputFormat[] = ['json', 'table', 'csv'];

/** Events as the chosen format: JSON is `{"Events":[...]}`, the LookupEvents response shape. */
export function renderEvents(events: LookupEvent[], format: OutputFormat): string {
  if (format === 'json') return json({ Events: events } satisfies EventsResult);
  return format === 'csv' ? formatCsv(eventRows(events)) : formatTable(eventRows(events));
}

/** The LookupRequest of the command line; parse errors are usage errors naming the bad argument. */
export function lookupRequest(args: ParsedArgs, now = new Date()): LookupRequest {
  try {
    const request: LookupRequest = {
      attributes: optionValues(args, 'attr').map(parseAttribute),
      filters: optionValues(args, 'filter').map(parseFilter),
    };
    const start = optionValue(args, 'start');
    const end = optionValue(args, 'end');
    if (start !== undefined) request.start = parseTime(start, now);
    if (end !== undefined) request.end = parseTime(end, now, 'end');
    if (request.start && request.end && request.start > request.end) throw new LookupParseError('--start is after --end');
    const category = optionValue(args, 'event-category');
    if (category !== undefined && category !== 'insight') throw new LookupParseError(`--event-category takes one value, insight, not '${category}'`);
    if (category) request.eventCategory = category;
    const problem = categoryProblem(request);
    if (problem) throw new LookupParseError(problem);
    return request;
  } catch (error) {
    if (error instanceof LookupParseError) throw new UsageError(error.message);
    throw error;
  }
}

export const lookupCommand: CliCommand = {
  name: 'lookup',
  summary: 'find CloudTrail events by LookupEvents attributes, field filters and time',
  usage: '--db FILE [--attr Key=Value]... [--filter field=value|field~text]... [--start T] [--end T] [--event-category insight] [--max N] [--format json|table|csv]',
  details: [
    `Attributes (exact, case-sensitive, AND-ed): ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}.`,
    `Filters (= exact, ~ case-insensitive substring): ${FIELD_FILTER_KEYS.join(', ')}.`,
    'Times are inclusive: ISO 8601 (UTC unless a zone is given), `now`, or a duration back from now (15m, 2h, 7d).',
    'Events are listed newest first. An evidence store also answers with the data events its trail recorded',
    '(S3 object reads, Lambda invokes), which Event history never returns; live lookups give management events.',
    `CloudTrail Insights events (unusual call or error rates) come only with --event-category insight, and then`,
    `alone, as LookupEvents gives them; they are looked up by ${INSIGHT_ATTRIBUTE_KEYS.join(', ')}.`,
  ].join('\n'),
  options: [
    ...SOURCE_OPTIONS,
    { name: 'attr', value: 'Key=Value', description: 'LookupEvents attribute', repeatable: true },
    { name: 'filter', value: 'field=value', description: 'field filter (field~text for a substring)', repeatable: true },
    ...TIME_RANGE_OPTIONS,
    { name: 'event-category', value: 'insight', description: 'CloudTrail Insights events only' },
    { name: 'max', value: 'N', description: 'at most N events (default 1000)' },
    formatOption(FORMATS, 'table'),
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const format = outputFormat(args, FORMATS, 'table');
    const max = countOption(args, 'max', 1000);
    const request = { ...lookupRequest(args), max };
    const source = await openSource(args);
    try {
      const limit = source.lookupLimit?.(request);
      if (limit) io.err(`trailscope lookup: note: ${limit}\n`);
      // One more than asked tells whether the answer was cut, which a responder counting events must know.
      const events = await source.lookupEvents({ ...request, max: max + 1 });
      if (events.length > max) io.err(`trailscope lookup: note: the newest ${max.toLocaleString('en-US')} events are shown and more match: raise --max or narrow the range\n`);
      io.out(renderEvents(events.slice(0, max), format));
      return 0;
    } finally {
      source.close?.();
    }
  },
};
