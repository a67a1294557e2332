import { randomUUID } from 'node:crypto';
import type { InsightsResult } from '../core/results';
import type { LogGroupInfo } from '../sources/source';
import type { EndpointBackend } from './backend';
import type { CallContext } from './cloudtrail';
import type { FaultConfig } from './faults';
import { InsightsQueryError } from '../core/insights';
import { choosesLogGroups, MAX_QUERY_LENGTH } from '../core/insights/parser';
import { logGroupName, logGroupRegion } from '../core/log-group-name';
import { boundedInt, decodeToken, page, parameterKey } from './paging';
import { ServiceError } from './wire';

/** CloudWatch Logs' JSON 1.1 operations: log groups, one-event samples, Logs Insights and saved queries. */

type Params = Record<string, unknown>;

interface RunningQuery {
  owner: string;
  result?: InsightsResult;
  polls: number;
  status: 'Running' | 'Complete' | 'Failed' | 'Timeout' | 'Cancelled';
}

interface QueryDefinition {
  queryDefinitionId: string;
  name: string;
  queryString: string;
  logGroupNames: string[];
  lastModified: number;
}

const TERMINAL = new Set(['Complete', 'Failed', 'Timeout', 'Cancelled']);
const MAX_CONCURRENT_QUERIES = 100;

export class LogsService {
  private readonly queries = new Map<string, RunningQuery>();
  private readonly definitions = new Map<string, QueryDefinition[]>();

  constructor(
    private readonly backend: EndpointBackend,
    private readonly faults: () => FaultConfig,
    /** Extra empty groups named /trailscope/synthetic/NNNNN, for pagination tests over thousands. */
    private readonly syntheticLogGroups: number,
  ) {}

  async describeLogGroups(ctx: CallContext, params: Params): Promise<unknown> {
    const prefix = typeof params.logGroupNamePrefix === 'string' ? params.logGroupNamePrefix : undefined;
    const pattern = typeof params.logGroupNamePattern === 'string' ? params.logGroupNamePattern : undefined;
    if (prefix !== undefined && pattern !== undefined) {
      throw new ServiceError('InvalidParameterException', 'logGroupNamePrefix and logGroupNamePattern are mutually exclusive.');
    }
    const size = boundedInt(params.limit, 1, 50, 50, 'InvalidParameterException', 'limit');
    const key = parameterKey([ctx.region, ctx.accountId, prefix, pattern]);
    const offset = decodeToken(params.nextToken, key, 'InvalidParameterException');
    const groups = (await this.groups(ctx))
      .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.includes(pattern)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const result = page(groups, offset, size, key);
    return {
      logGroups: result.items.map((g) => {
        const arn = `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${g.name}`;
        return { logGroupName: g.name, arn: `${arn}:*`, logGroupArn: arn, creationTime: 1_600_000_000_000, storedBytes: g.storedBytes ?? 0, metricFilterCount: 0, logGroupClass: 'STANDARD' };
      }),
      ...(result.nextToken ? { nextToken: result.nextToken } : {}),
    };
  }

  private async groups(ctx: CallContext): Promise<LogGroupInfo[]> {
    const own = (await this.backend.logGroups()).filter((g) => (g.region ?? ctx.region) === ctx.region);
    const synthetic = Array.from({ length: this.syntheticLogGroups }, (_, i): LogGroupInfo => ({
      name: `/trailscope/synthetic/${String(i).padStart(5, '0')}`,
      kind: 'other',
    }));
    return [...own, ...synthetic];
  }

  async filterLogEvents(params: Params): Promise<unknown> {
    const name = logGroupName(String(params.logGroupName ?? params.logGroupIdentifier ?? ''));
    const limit = boundedInt(params.limit, 1, 10_000, 10_000, 'InvalidParameterException', 'limit');
    const message = await this.backend.sampleMessage(name);
    const events = message === undefined ? [] : [{ logStreamName: 'sample', timestamp: 1_600_000_000_000, ingestionTime: 1_600_000_000_000, message, eventId: '0' }];
    return { events: events.slice(0, limit), searchedLogStreams: [] };
  }

  async startQuery(ctx: CallContext, params: Params): Promise<unknown> {
    const query = typeof params.queryString === 'string' ? params.queryString : '';
    if (query.length === 0 || query.length > MAX_QUERY_LENGTH) throw new ServiceError('InvalidParameterException', `queryString must be 1 to ${MAX_QUERY_LENGTH} characters.`);
    if (typeof params.startTime !== 'number' || typeof params.endTime !== 'number') {
      throw new ServiceError('InvalidParameterException', 'startTime and endTime are required.');
    }
    if (params.startTime > params.endTime) throw new ServiceError('InvalidParameterException', 'endTime must be after startTime.');
    const forms = [params.logGroupName, params.logGroupNames, params.logGroupIdentifiers].filter((f) => f !== undefined);
    // SOURCE in the query takes the place of the groups (the backend then reads every group it has).
    if (forms.length !== (choosesLogGroups(query) ? 0 : 1)) {
      throw new ServiceError('InvalidParameterException', 'Exactly one of logGroupName, logGroupNames, logGroupIdentifiers or a SOURCE command must be given.');
    }
    const identifiers = forms.length === 0 ? [] : (Array.isArray(forms[0]) ? forms[0] : [forms[0]]).map((g) => String(g ?? ''));
    if (forms.length === 1 && (identifiers.length === 0 || identifiers.length > 50)) throw new ServiceError('InvalidParameterException', 'A query can search 1 to 50 log groups.');
    // A query runs in the region it is sent to: an ARN of another region names a group it cannot search.
    const elsewhere = identifiers.find((g) => (logGroupRegion(g) ?? ctx.region) !== ctx.region);
    if (elsewhere) throw new ServiceError('ResourceNotFoundException', `Log group ${elsewhere} is not in ${ctx.region}, where this query runs.`);
    const groups = identifiers.map(logGroupName);
    const owner = `${ctx.accountId}|${ctx.region}`;
    const running = [...this.queries.values()].filter((q) => q.owner === owner && !TERMINAL.has(q.status)).length;
    if (running >= MAX_CONCURRENT_QUERIES) throw new ServiceError('LimitExceededException', 'Account maximum query concurrency limit of [100] reached.');
    let result: InsightsResult;
    try {
      result = await this.backend.runInsights({
        query,
        logGroups: groups,
        start: new Date(params.startTime * 1000).toISOString(),
        end: new Date(params.endTime * 1000 + 999).toISOString(),
        limit: typeof params.limit === 'number' ? params.limit : undefined,
      });
    } catch (error) {
      throw startQueryError(error, ctx);
    }
    const queryId = randomUUID();
    this.queries.set(queryId, { owner, result, polls: 0, status: 'Running' });
    return { queryId };
  }

  /** Pages of at most `maxItems` rows (10,000, the service's most), each with the status and statistics. */
  getQueryResults(params: Params): unknown {
    const query = this.find(params.queryId);
    const size = boundedInt(params.maxItems, 1, 10_000, 10_000, 'InvalidParameterException', 'maxItems');
    const key = parameterKey([params.queryId, size]);
    const offset = decodeToken(params.nextToken, key, 'InvalidParameterException');
    const { queryOutcome, queryRunningPolls } = this.faults();
    // A poll is a request for the first page; reading further pages does not advance the query.
    if (query.status === 'Running' && offset === 0) {
      query.polls++;
      if (query.polls > queryRunningPolls) query.status = queryOutcome;
    }
    const full = query.result ?? { status: 'Complete', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } };
    // While running (and when stopped), a growing share of the rows, as the service shows partial results.
    const share = query.status === 'Complete' ? 1 : query.status === 'Failed' || query.status === 'Timeout' ? 0 : Math.min(1, query.polls / (queryRunningPolls + 1));
    const rows = page(full.results.slice(0, Math.floor(full.results.length * share)), offset, size, key);
    const stats = full.statistics;
    return {
      status: query.status,
      results: rows.items,
      ...(rows.nextToken ? { nextToken: rows.nextToken } : {}),
      statistics: {
        recordsMatched: Math.round(stats.recordsMatched * share),
        recordsScanned: Math.round(stats.recordsScanned * share),
        bytesScanned: Math.round(stats.bytesScanned * share),
      },
    };
  }

  async getLogRecord(params: Params): Promise<unknown> {
    const ptr = typeof params.logRecordPointer === 'string' ? params.logRecordPointer : '';
    if (ptr.length === 0) throw new ServiceError('InvalidParameterException', 'logRecordPointer is required.');
    const logRecord = await this.backend.logRecord?.(ptr);
    if (!logRecord) throw new ServiceError('InvalidParameterException', `The log record pointer is not valid: ${ptr}`);
    return { logRecord };
  }

  stopQuery(params: Params): unknown {
    const query = this.find(params.queryId);
    if (TERMINAL.has(query.status)) throw new ServiceError('InvalidParameterException', `Query ${String(params.queryId)} is not running; it is ${query.status}.`);
    query.status = 'Cancelled';
    return { success: true };
  }

  private find(queryId: unknown): RunningQuery {
    const query = this.queries.get(String(queryId));
    if (!query) throw new ServiceError('ResourceNotFoundException', `Query does not exist: ${String(queryId)}`);
    return query;
  }

  describeQueryDefinitions(ctx: CallContext, params: Params): unknown {
    const prefix = typeof params.queryDefinitionNamePrefix === 'string' ? params.queryDefinitionNamePrefix : '';
    const size = boundedInt(params.maxResults, 1, 1000, 1000, 'InvalidParameterException', 'maxResults');
    const key = parameterKey([ctx.region, ctx.accountId, prefix]);
    const offset = decodeToken(params.nextToken, key, 'InvalidParameterException');
    const list = (this.definitions.get(`${ctx.accountId}|${ctx.region}`) ?? []).filter((d) => d.name.startsWith(prefix));
    const result = page(list, offset, size, key);
    return { queryDefinitions: result.items, ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
  }

  putQueryDefinition(ctx: CallContext, params: Params): unknown {
    const name = typeof params.name === 'string' ? params.name : '';
    const queryString = typeof params.queryString === 'string' ? params.queryString : '';
    if (name.length === 0 || name.length > 255) throw new ServiceError('InvalidParameterException', 'name must be 1 to 255 characters.');
    if (queryString.length === 0 || queryString.length > MAX_QUERY_LENGTH) throw new ServiceError('InvalidParameterException', `queryString must be 1 to ${MAX_QUERY_LENGTH} characters.`);
    const owner = `${ctx.accountId}|${ctx.region}`;
    const list = this.definitions.get(owner) ?? [];
    const id = typeof params.queryDefinitionId === 'string' ? params.queryDefinitionId : randomUUID();
    const existing = list.findIndex((d) => d.queryDefinitionId === id);
    if (params.queryDefinitionId !== undefined && existing === -1) throw new ServiceError('ResourceNotFoundException', `Query definition does not exist: ${id}`);
    // An update replaces every value, as the service does: omitted log groups are cleared.
    const definition = { queryDefinitionId: id, name, queryString, logGroupNames: Array.isArray(params.logGroupNames) ? params.logGroupNames.map(String) : [], lastModified: Date.now() };
    if (existing === -1) list.push(definition);
    else list[existing] = definition;
    this.definitions.set(owner, list);
    return { queryDefinitionId: id };
  }
}

const MISSING_GROUP = 'log group not in the evidence store: ';

/**
 * StartQuery's answer to a query the engine refused. The service compiles the query before it schedules
 * it, so a bad query fails here, not later, as MalformedQueryException carrying the span it objects to;
 * an unknown log group is ResourceNotFoundException. Anything else is the endpoint's own failure.
 */
function startQueryError(error: unknown, ctx: CallContext): unknown {
  if (error instanceof InsightsQueryError) {
    return new ServiceError('MalformedQueryException', error.message, 400, {
      queryCompileError: { location: { ...error.location }, message: error.detail },
    });
  }
  if (error instanceof Error && error.message.startsWith(MISSING_GROUP)) {
    const names = error.message.slice(MISSING_GROUP.length);
    return new ServiceError('ResourceNotFoundException', `Log group '${names}' does not exist for account ID '${ctx.accountId}'.`);
  }
  return error;
}

