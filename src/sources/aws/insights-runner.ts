import {
  CloudWatchLogsClient,
  DescribeQueryDefinitionsCommand,
  GetLogRecordCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type GetQueryResultsCommandOutput,
  type MalformedQueryException,
} from '@aws-sdk/client-cloudwatch-logs';
import { cappedPeriods } from '../../core/insights/capped-periods';
import { InsightsQueryError } from '../../core/insights/errors';
import { choosesLogGroups, MAX_LOG_GROUPS_PER_QUERY, parseQuery } from '../../core/insights/parser';
import type { InsightsResult, QueryStatus } from '../../core/results';
import { QueryNotStoppedError } from '../query-not-stopped';
import type { InsightsOptions, InsightsRequest } from '../source';
import { PageTokens } from './page-tokens';
import { abortError, isRetryable, sleep, safeToResend, untilAborted, withRetries } from './retry';

/**
 * Runs a Logs Insights query live: StartQuery, GetQueryResults polled with backoff (partial results
 * reported on every poll), and StopQuery whenever the caller cancels, so no abandoned query keeps
 * scanning and billing. Every running query is in `runningQueries`, which the extension stops on
 * deactivate.
 */

/** Logs Insights price per GB of data scanned (US East, N. Virginia, standard log class). Estimate only. */
export const INSIGHTS_USD_PER_GB = 0.005;

export function estimatedCostUsd(bytesScanned: number): number {
  return (bytesScanned / 1e9) * INSIGHTS_USD_PER_GB;
}

/** The queries this process has started and not yet seen end, and the StartQuery calls still unanswered. */
export class RunningQueries {
  private readonly queries = new Map<string, CloudWatchLogsClient>();
  private readonly starting = new Set<Promise<unknown>>();
  /** Aborted by stopAll: a StartQuery still being retried (throttled) makes no further attempt. */
  private stopping = new AbortController();

  add(queryId: string, client: CloudWatchLogsClient): void {
    this.queries.set(queryId, client);
  }

  /**
   * Starts a query through `start`, which is given a signal that stopAll aborts. The query is registered
   * as soon as its ID arrives, so one whose caller gave up meanwhile (cancel, Ctrl-C) is still known, and
   * stopped, rather than left scanning.
   */
  starts(start: (stopping: AbortSignal) => Promise<string>, client: CloudWatchLogsClient): Promise<string> {
    const queryId = start(this.stopping.signal);
    const pending = queryId.then((id) => this.add(id, client)).catch(() => undefined).finally(() => this.starting.delete(pending));
    this.starting.add(pending);
    return queryId;
  }

  delete(queryId: string): void {
    this.queries.delete(queryId);
  }

  get size(): number {
    return this.queries.size + this.starting.size;
  }

  /**
   * StopQuery for one query. A query that ended meanwhile is not an error: it is no longer billing. One
   * that could not be stopped stays registered, so a later stopAll tries again.
   */
  async stop(queryId: string): Promise<void> {
    const client = this.queries.get(queryId);
    if (!client) return;
    try {
      await withRetries(() => client.send(new StopQueryCommand({ queryId })), { maxAttempts: 4 });
    } catch (error) {
      if ((error as { name?: string }).name !== 'InvalidParameterException') throw new QueryNotStoppedError(queryId, await client.config.region(), error);
    }
    this.queries.delete(queryId);
  }

  /** Stops every running query (extension deactivate, window close, Ctrl-C); resolves with those it could not stop. */
  async stopAll(): Promise<Error[]> {
    this.stopping.abort();
    this.stopping = new AbortController();
    await Promise.all(this.starting);
    const outcomes = await Promise.allSettled([...this.queries.keys()].map((id) => this.stop(id)));
    return outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error] : []));
  }
}

export const runningQueries = new RunningQueries();

const TERMINAL_MESSAGES: Partial<Record<QueryStatus, string>> = {
  Failed: 'CloudWatch Logs Insights reports the query as Failed.',
  Timeout: 'CloudWatch Logs Insights stopped the query: it ran past the 60-minute limit (status Timeout). Narrow the time range or the log groups.',
  Cancelled: 'The query was cancelled (StopQuery) before it completed.',
  Unknown: 'CloudWatch Logs Insights reports the query status as Unknown.',
};

function toResult(output: GetQueryResultsCommandOutput, warnings: string[]): InsightsResult {
  const status = (output.status ?? 'Unknown') as QueryStatus;
  const stats = output.statistics ?? {};
  const bytesScanned = stats.bytesScanned ?? 0;
  const message = TERMINAL_MESSAGES[status];
  return {
    status,
    results: (output.results ?? []).map((row) => row.map((cell) => ({ field: cell.field ?? '', value: cell.value ?? '' }))),
    statistics: { recordsMatched: stats.recordsMatched ?? 0, recordsScanned: stats.recordsScanned ?? 0, bytesScanned },
    ...(message ? { message } : {}),
    estimatedCostUsd: estimatedCostUsd(bytesScanned),
    ...(warnings.length ? { warnings } : {}),
  };
}

/**
 * What the service does to the query without saying so (a capped bin() period), as the offline engine
 * reports it. A query this parser refuses gets none: the service is the judge of that one.
 */
function silentChanges(query: string): string[] {
  try {
    return cappedPeriods(parseQuery(query)).map((w) => w.message);
  } catch (error) {
    if (error instanceof InsightsQueryError) return [];
    throw error;
  }
}

export interface LiveInsightsOptions extends InsightsOptions {
  /** First poll delay; it grows 1.5x per poll up to maxPollMs. */
  pollMs?: number;
  maxPollMs?: number;
  registry?: RunningQueries;
}

/** Where the groups go in StartQuery: ARNs (cross-account) need logGroupIdentifiers; a SOURCE query names none. */
function logGroupParameter(groups: string[]): { logGroupNames: string[] } | { logGroupIdentifiers: string[] } | Record<string, never> {
  if (groups.length === 0) return {};
  return groups.some((g) => g.startsWith('arn:')) ? { logGroupIdentifiers: groups.map((g) => g.replace(/:\*$/, '')) } : { logGroupNames: groups };
}


/**
 * The service's refusal as the error the offline engine raises for a bad query, so the CLI prints the
 * line with a caret and the editor underlines the span: the position comes from queryCompileError's
 * character offsets. Without a location, the service's message is all there is.
 */
function rejectedQuery(error: MalformedQueryException, query: string): Error {
  const compile = error.queryCompileError;
  const detail = `Logs Insights rejected the query: ${compile?.message ?? error.message}`;
  const start = compile?.location?.startCharOffset;
  if (start === undefined || start < 0 || start > query.length) return new Error(detail);
  const end = Math.min(query.length, Math.max(start, compile?.location?.endCharOffset ?? start));
  return new InsightsQueryError('syntax', detail, { startCharOffset: start, endCharOffset: end }, query);
}

function queryResultsPage(client: CloudWatchLogsClient, queryId: string, signal?: AbortSignal, nextToken?: string): Promise<GetQueryResultsCommandOutput> {
  return withRetries((s) => client.send(new GetQueryResultsCommand({ queryId, ...(nextToken ? { nextToken } : {}) }), { abortSignal: s }), { signal });
}

/** The first page with the rows of every page after it: a page holds at most 10,000 rows, a query up to 100,000. */
async function withRemainingPages(client: CloudWatchLogsClient, queryId: string, first: GetQueryResultsCommandOutput, signal?: AbortSignal): Promise<GetQueryResultsCommandOutput> {
  const results = [...(first.results ?? [])];
  const tokens = new PageTokens('GetQueryResults');
  for (let token = tokens.next(first.nextToken); token; ) {
    const page = await queryResultsPage(client, queryId, signal, token);
    results.push(...(page.results ?? []));
    token = tokens.next(page.nextToken);
  }
  return { ...first, results, nextToken: undefined };
}

/**
 * StartQuery, whose ID is the only handle on a query that scans and bills until it ends. So the call is
 * never interrupted once sent (cancel waits for its ID instead), and it is retried only when the service
 * answered that it failed (throttled, 5xx) or the request never left. A StartQuery that got no answer in
 * time may have started a query; a second one would leave the first unseen, so that failure is reported.
 */
async function startQuery(client: CloudWatchLogsClient, request: InsightsRequest, signal?: AbortSignal): Promise<string> {
  const command = new StartQueryCommand({
    queryString: request.query,
    ...logGroupParameter(request.logGroups),
    // Epoch seconds, both inclusive.
    startTime: Math.floor(Date.parse(request.start) / 1000),
    endTime: Math.floor(Date.parse(request.end) / 1000),
    ...(request.limit !== undefined ? { limit: request.limit } : {}),
  });
  try {
    const output = await withRetries(() => client.send(command), { signal, retryable: safeToResend });
    return output.queryId ?? '';
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'MalformedQueryException') throw rejectedQuery(error as MalformedQueryException, request.query);
    if (isRetryable(error) && !safeToResend(error)) {
      throw new Error(`StartQuery did not complete (${(error as Error).message}); the service may have started the query anyway, and it is not retried so that no second query runs beside it. A query that was started ends by itself at the 60-minute limit.`, { cause: error });
    }
    throw error;
  }
}

export async function runLiveInsights(client: CloudWatchLogsClient, request: InsightsRequest, options: LiveInsightsOptions = {}): Promise<InsightsResult> {
  const { signal, onProgress, registry = runningQueries, maxPollMs = 5000 } = options;
  if (choosesLogGroups(request.query)) {
    if (request.logGroups.length > 0) throw new Error('The query chooses its log groups with SOURCE: give no log groups beside it (StartQuery takes one or the other).');
  } else if (request.logGroups.length === 0 || request.logGroups.length > MAX_LOG_GROUPS_PER_QUERY) {
    throw new Error(`A Logs Insights query searches 1 to ${MAX_LOG_GROUPS_PER_QUERY} log groups (or chooses them with SOURCE); ${request.logGroups.length} were given.`);
  }
  const started = registry.starts((stopping) => startQuery(client, request, signal ? AbortSignal.any([signal, stopping]) : stopping), client);
  let queryId: string;
  try {
    queryId = await untilAborted(started, signal);
  } catch (error) {
    // Cancelled while StartQuery was on its way: the query may start all the same, so stop it when it does.
    if (signal?.aborted) void started.then((id) => registry.stop(id)).catch(() => undefined);
    throw error;
  }
  const warnings = silentChanges(request.query);
  let delay = options.pollMs ?? 500;
  try {
    for (;;) {
      await sleep(delay, signal);
      delay = Math.min(maxPollMs, delay * 1.5);
      // While it runs, the first page is progress enough; once it has ended, every page is read.
      const output = await queryResultsPage(client, queryId, signal);
      if (output.status === 'Running' || output.status === 'Scheduled') {
        onProgress?.(toResult(output, warnings));
        continue;
      }
      registry.delete(queryId);
      const result = toResult(await withRemainingPages(client, queryId, output, signal), warnings);
      onProgress?.(result);
      return result;
    }
  } catch (error) {
    // Whatever interrupted us (cancel, a network failure), the query must not keep running. If it does
    // (QueryNotStoppedError), that is what the user must hear, not "cancelled".
    await registry.stop(queryId);
    if (signal?.aborted) throw abortError();
    throw error;
  }
}

/** Every field of the event a result row's `@ptr` points at (GetLogRecord). */
export async function getLogRecord(client: CloudWatchLogsClient, ptr: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const output = await withRetries((s) => client.send(new GetLogRecordCommand({ logRecordPointer: ptr }), { abortSignal: s }), { signal });
  return output.logRecord ?? {};
}

export interface QueryDefinition {
  id: string;
  name: string;
  query: string;
  logGroups: string[];
}

/** The saved queries of the account and region (DescribeQueryDefinitions, every page). */
export async function listQueryDefinitions(client: CloudWatchLogsClient, signal?: AbortSignal): Promise<QueryDefinition[]> {
  const definitions: QueryDefinition[] = [];
  const tokens = new PageTokens('DescribeQueryDefinitions');
  let nextToken: string | undefined;
  do {
    const page = await withRetries((s) => client.send(new DescribeQueryDefinitionsCommand({ nextToken, maxResults: 1000 }), { abortSignal: s }), { signal });
    for (const d of page.queryDefinitions ?? []) {
      definitions.push({ id: d.queryDefinitionId ?? '', name: d.name ?? '', query: d.queryString ?? '', logGroups: d.logGroupNames ?? [] });
    }
    nextToken = tokens.next(page.nextToken);
  } while (nextToken);
  return definitions;
}
