import { recordOfEvent, type LookupEvent } from '../cloudtrail/event';
import type { PivotName, PivotResult, RelatedResult, ResultField } from '../results';
import type { LogGroupInfo, RunOptions, TrailSource } from '../../sources/source';
import { MAX_LOG_GROUPS_PER_QUERY } from '../insights/parser';
import { flowsQuery, leadFlowsQuery, leadQueries, relatedQueries, type FlowsQuery, type Lead, type PivotOptions, type PivotQuery } from './queries';

/** The newest events shown per pivot: an overview; the count says how many more a lookup would list. */
export const RELATED_LIMIT = 10;
/**
 * Pages of LookupEvents a region that a live pivot reads (50 events each, at 2 pages a second): a pivot no
 * attribute narrows (source IP, resources) would otherwise read back through 90 days of a busy account.
 */
export const RELATED_LIVE_PAGES = 10;
/**
 * Hours either side of the event that a live flows pivot reads: a live Insights query needs a time range
 * and is billed for every byte in it. An evidence store reads every flow record of the address.
 */
export const LIVE_FLOW_HOURS = 24;

export interface RelatedOptions extends PivotOptions, RunOptions {
  /** Only these pivots; all when absent or empty. */
  pivots?: PivotName[];
  /** Events (or flow rows) returned per pivot; the count covers all of them. Default RELATED_LIMIT. */
  limit?: number;
}

/** `trailscope related --format json` from a lead: the lead, then its pivots as an event's. */
export interface LeadRelatedResult {
  lead: Lead;
  pivots: PivotResult[];
}

/**
 * Runs the pivots of an event against any TrailSource: live or evidence, one code path. Each pivot
 * returns its first `limit` events, newest first, and how many there are in all.
 */
export async function findRelated(source: TrailSource, event: LookupEvent, options: RelatedOptions = {}): Promise<RelatedResult> {
  const record = recordOfEvent(event);
  const flowHours = flowHoursOf(source, options);
  const flows = flowsQuery(record, { ...options, flowHours, limit: options.limit ?? RELATED_LIMIT });
  return { event, pivots: await runPivots(source, relatedQueries(record, event, options), flows, options) };
}

/** The pivots of a lead (an address, a key, a principal), as findRelated runs an event's. */
export async function findRelatedToLead(source: TrailSource, lead: Lead, options: RelatedOptions & { now?: Date } = {}): Promise<LeadRelatedResult> {
  const flows = leadFlowsQuery(lead, { ...options, flowHours: flowHoursOf(source, options), limit: options.limit ?? RELATED_LIMIT });
  return { lead, pivots: await runPivots(source, leadQueries(lead), flows, options) };
}

/** The flows pivot's hours: live, LIVE_FLOW_HOURS (either side of an event, twice that back from now for a lead); an evidence store, all. */
const flowHoursOf = (source: TrailSource, options: RelatedOptions): number | undefined => options.flowHours ?? (source.kind === 'live' ? LIVE_FLOW_HOURS : undefined);

async function runPivots(source: TrailSource, all: PivotQuery[], flows: FlowsQuery | undefined, options: RelatedOptions): Promise<PivotResult[]> {
  const wanted = (name: PivotName): boolean => !options.pivots || options.pivots.length === 0 || options.pivots.includes(name);
  const limit = options.limit ?? RELATED_LIMIT;
  const queries = all.filter((q) => wanted(q.pivot));
  const requests = queries.map((q) => ({ ...q.request, max: limit }));
  const answers = await source.lookupBatch(requests, { signal: options.signal, maxPages: RELATED_LIVE_PAGES });
  const pivots: PivotResult[] = queries.map((q, i) => ({ pivot: q.pivot, value: q.value, count: answers[i].count, ...(answers[i].capped ? { capped: true } : {}), events: answers[i].events }));
  if (flows && wanted('flows')) pivots.push(...(await flowsPivot(source, flows, flows.start !== '', limit, options.signal)));
  return pivots;
}

/**
 * The flows pivot, when the source has flow log groups. It needs CloudWatch Logs, which a responder's
 * role may not be allowed (a CloudTrail-only role, an SCP): then it says why, and the event's other
 * pivots stand. Within a time range (live) its count is a floor of the address's flow records.
 */
async function flowsPivot(source: TrailSource, flows: FlowsQuery, ranged: boolean, limit: number, signal?: AbortSignal): Promise<PivotResult[]> {
  try {
    const groups = (await source.logGroups({ signal })).filter((g) => g.kind === 'vpc-flow');
    if (groups.length === 0) return [];
    return [{ pivot: 'flows', value: flows.value, ...(ranged ? { capped: true } : {}), ...(await flowRows(source, groups, flows, limit, signal)) }];
  } catch (error) {
    if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) throw error;
    return [{ pivot: 'flows', value: flows.value, count: 0, error: error instanceof Error ? error.message : String(error) }];
  }
}

/**
 * The flow pivot over every flow log group: a query runs in one account and region and names at most 50
 * groups, so the groups are split that way, and the newest rows of all the answers kept.
 */
async function flowRows(source: TrailSource, groups: LogGroupInfo[], flows: FlowsQuery, limit: number, signal?: AbortSignal): Promise<{ count: number; rows: ResultField[][] }> {
  const parts = new Map<string, { region?: string; groups: string[] }>();
  for (const group of groups) {
    const key = `${group.accountId ?? ''}|${group.region ?? ''}`;
    const part = parts.get(key) ?? { region: group.region, groups: [] };
    part.groups.push(group.arn ?? group.name);
    parts.set(key, part);
  }
  let count = 0;
  const rows: ResultField[][] = [];
  for (const { region, groups: names } of parts.values()) {
    for (let i = 0; i < names.length; i += MAX_LOG_GROUPS_PER_QUERY) {
      const request = { query: flows.query, logGroups: names.slice(i, i + MAX_LOG_GROUPS_PER_QUERY), start: flows.start, end: flows.end, limit, ...(region ? { region } : {}) };
      const result = await source.runInsights(request, { signal });
      // A query that failed or timed out found nothing it can vouch for: not "no flows".
      if (result.status !== 'Complete') throw new Error(`the flows query ended ${result.status}${result.message ? `: ${result.message}` : ''}`);
      count += result.statistics.recordsMatched || result.results.length;
      rows.push(...result.results);
    }
  }
  const time = (row: ResultField[]): string => row.find((f) => f.field === '@timestamp')?.value ?? '';
  return { count, rows: rows.sort((a, b) => time(b).localeCompare(time(a))).slice(0, limit) };
}
