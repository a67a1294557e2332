import { optionValue, optionValues, UsageError, type ParsedArgs } from '../args';
import { readInputText } from '../input-file';
import type { CliCommand, CliIo } from '../command';
import { formatOption, json, outputFormat, type OutputFormat } from '../output-options';
import { openSource, SOURCE_OPTIONS, TIME_RANGE_OPTIONS } from '../source-options';
import { blankOf, displayWidth } from '../../core/format/display-width';
import { escapeControl, formatCsv, formatTable } from '../../core/format/table';
import { InsightsQueryError } from '../../core/insights';
import { parseQuery } from '../../core/insights/parser';
import { QUERY_LIBRARY, type LibraryQuery } from '../../core/insights/library';
import type { TrailSource } from '../../sources/source';
import { DEFAULT_RESULT_LIMIT } from '../../sources/evidence/insights';
import { insightsRows, statisticsLine } from '../../core/insights/rows';
import { LookupParseError, parseTime } from '../../core/lookup/parse';

const FORMATS: OutputFormat[] = ['json', 'table', 'csv'];
/** Live queries need a time range; without one they cover the last hour, as the console does. */
const LIVE_DEFAULT_RANGE = '1h';

/** The library query `--library ID` names, if any; an ID the library does not have is a usage error. */
function libraryEntry(args: ParsedArgs): LibraryQuery | undefined {
  const id = optionValue(args, 'library');
  if (id === undefined) return undefined;
  const entry = QUERY_LIBRARY.find((q) => q.id === id);
  if (!entry) throw new UsageError(`no library query '${id}': --list-library lists them`);
  return entry;
}

function queryText(args: ParsedArgs): string {
  const inline = optionValue(args, 'query');
  const file = optionValue(args, 'query-file');
  const library = libraryEntry(args);
  if ([inline, file, library].filter((v) => v !== undefined).length !== 1) throw new UsageError('give the query with exactly one of --query, --query-file or --library');
  // As every input file: `-` is standard input, UTF-16 as PowerShell saves it, a byte order mark dropped.
  return library?.query ?? inline ?? readInputText(file!);
}

/**
 * The log groups named, or for a library query without them, every group of the kind it reads (a hunt
 * over CloudTrail needs no flow logs scanned, and a live query must name its groups).
 */
async function logGroupsFor(args: ParsedArgs, source: TrailSource): Promise<string[]> {
  const named = optionValues(args, 'log-group');
  const entry = libraryEntry(args);
  if (named.length > 0 || !entry) return named;
  const groups = (await source.logGroups()).filter((g) => entry.kinds.includes(g.kind)).map((g) => g.arn ?? g.name);
  if (groups.length === 0) throw new UsageError(`${source.label} has no ${entry.kinds.join(' or ')} log group for '${entry.id}': name one with --log-group`);
  return groups;
}

/** The library as a table: what `--library ID` runs, and over which kind of log group. */
function libraryTable(): string {
  return formatTable({ columns: ['Id', 'Log groups', 'Name', 'What it finds'], rows: QUERY_LIBRARY.map((q) => [q.id, q.kinds.join(', '), q.name, q.description]) });
}

/** How much of a long query line an error shows: the characters before its position, and in all. */
const EXCERPT_BEFORE = 40;
const EXCERPT_LENGTH = 100;

/** Not between the two halves of a surrogate pair. */
const whole = (line: string, at: number): number => (/[\udc00-\udfff]/.test(line[at] ?? '') ? at + 1 : at);

/**
 * The query line with a caret under the error, so the position is visible without counting columns. A
 * long line (a query of one line, up to 10,000 characters) is shown around the position, and the caret
 * is lined up under tabs and wide characters as the terminal shows them.
 */
export function describeQueryError(error: InsightsQueryError): string {
  const line = error.query.split('\n')[error.line - 1] ?? '';
  const at = error.column - 1;
  const from = whole(line, Math.max(0, Math.min(at - EXCERPT_BEFORE, line.length - EXCERPT_LENGTH)));
  const to = whole(line, Math.min(line.length, from + EXCERPT_LENGTH));
  const lead = from > 0 ? '…' : '';
  const excerpt = `${lead}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
  const pad = blankOf(`${lead}${line.slice(from, at)}`);
  const span = Math.min(error.location.endCharOffset - error.location.startCharOffset, to - at);
  const width = Math.max(1, displayWidth(line.slice(at, at + Math.max(0, span))));
  return `query error at ${error.message}\n  ${excerpt}\n  ${pad}${'^'.repeat(width)}\n`;
}

export const insightsCommand: CliCommand = {
  name: 'insights',
  summary: 'run a CloudWatch Logs Insights query over an evidence store or live',
  usage: '(--db FILE | --profile P [--region R]) (--query Q | --query-file FILE | --library ID) [--log-group G]... [--start T] [--end T] [--limit N] [--format json|table|csv]  |  --list-library',
  details: [
    'The same query text runs offline (compiled to SQL over the evidence store) and live (StartQuery).',
    'Without --log-group an evidence store query covers every log group it holds, and a --library query every',
    'group of the kind it reads (--list-library says which). Times are inclusive:',
    `ISO 8601 (UTC unless a zone is given), \`now\`, or a duration back from now (15m, 2h, 7d); live queries`,
    `default to the last ${LIVE_DEFAULT_RANGE}. --format json prints the GetQueryResults shape:`,
    '{"status":"Complete","results":[[{"field":"…","value":"…"}]],"statistics":{…}}.',
  ].join('\n'),
  options: [
    ...SOURCE_OPTIONS,
    { name: 'query', value: 'Q', description: 'the Logs Insights query' },
    { name: 'query-file', value: 'FILE', description: 'read the query from a file (e.g. a .insights file; - for standard input)' },
    { name: 'library', value: 'ID', description: 'run a query of the library (AWS samples and security hunts) by its id' },
    { name: 'list-library', description: 'list the library\'s queries: id, the kind of log group each reads, what it finds' },
    { name: 'log-group', value: 'G', description: 'log group name or ARN', repeatable: true },
    ...TIME_RANGE_OPTIONS,
    { name: 'limit', value: 'N', description: 'maximum rows when the query has no limit command (default 10000)' },
    formatOption(FORMATS, 'table'),
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.flags.has('list-library')) {
      io.out(libraryTable());
      return 0;
    }
    const format = outputFormat(args, FORMATS, 'table');
    const query = queryText(args);
    const limitText = optionValue(args, 'limit');
    if (limitText !== undefined && !(/^\d+$/.test(limitText) && Number(limitText) >= 1 && Number(limitText) <= 100_000)) {
      throw new UsageError(`--limit is a whole number from 1 to 100000, got '${limitText}'`);
    }
    const limitOption = limitText === undefined ? undefined : Number(limitText);
    const source = await openSource(args);
    try {
      const now = new Date();
      let start: string;
      let end: string;
      try {
        end = parseOptionalTime(optionValue(args, 'end'), now, 'end') ?? (source.kind === 'live' ? now.toISOString() : '');
        // Live, the range defaults to the hour before its end (now, or the --end given).
        start = parseOptionalTime(optionValue(args, 'start'), now) ?? (source.kind === 'live' ? parseTime(LIVE_DEFAULT_RANGE, new Date(end)) : '');
      } catch (error) {
        if (error instanceof LookupParseError) throw new UsageError(error.message);
        throw error;
      }
      if (start && end && start > end) throw new UsageError('--start is after --end');
      const result = await source.runInsights({
        query,
        logGroups: await logGroupsFor(args, source),
        start,
        end,
        limit: limitOption,
      });
      if (format === 'json') io.out(json(result));
      else {
        io.out((format === 'csv' ? formatCsv : formatTable)(insightsRows(result.results)));
        if (format === 'table') io.err(`${statisticsLine(result)}\n`);
      }
      // A misspelled field answers nothing, here as live: said, so that "no rows" is not read as "no traffic".
      for (const warning of result.warnings ?? []) io.err(`trailscope insights: note: ${escapeControl(warning)}\n`);
      const limit = rowLimit(query, limitOption ?? DEFAULT_RESULT_LIMIT);
      const matched = result.statistics.recordsMatched;
      // As lookup does: rows cut at the limit must not read as every match, in any format.
      if (limit !== undefined && result.results.length === limit && matched > limit) {
        io.err(`trailscope insights: note: ${limit.toLocaleString('en-US')} of ${matched.toLocaleString('en-US')} matching records are shown, the query's limit: raise it (| limit N, or --limit) or narrow the query\n`);
      }
      if (result.status === 'Complete') return 0;
      // Without this, a query that failed or timed out reads as an empty result.
      io.err(`trailscope insights: the query ended ${result.status}, not Complete${result.message ? `: ${result.message}` : ''}\n`);
      return 1;
    } catch (error) {
      if (error instanceof InsightsQueryError) {
        io.err(`trailscope insights: ${describeQueryError(error)}`);
        return 1;
      }
      throw error;
    } finally {
      source.close?.();
    }
  },
};

/**
 * The most records the query can show: its last `limit` command's count, else the option's. Undefined for
 * a stats query, whose rows are groups: how many records matched says nothing of how many groups there are.
 */
function rowLimit(query: string, fallback: number): number | undefined {
  try {
    const commands = parseQuery(query).commands;
    if (commands.some((c) => c.type === 'stats')) return undefined;
    const last = commands.findLast((c) => c.type === 'limit');
    return last?.type === 'limit' ? last.count : fallback;
  } catch {
    return fallback;
  }
}

function parseOptionalTime(text: string | undefined, now: Date, bound: 'start' | 'end' = 'start'): string | undefined {
  return text === undefined ? undefined : parseTime(text, now, bound);
}
