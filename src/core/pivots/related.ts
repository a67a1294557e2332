import { recordOfEvent, type LookupEvent } from '../cloudtrail/event';
import type { PivotName, PivotResult, RelatedResult } from '../results';
import type { LookupRequest } from '../lookup/request';
import type { RunOptions, TrailSource } from '../../sources/source';
import { flowsQuery, relatedQueries, type PivotOptions } from './queries';

/** The newest events shown per pivot: an overview; the count says how many more a lookup would list. */
export const RELATED_LIMIT = 10;

type PivotAnswer = { events: LookupEvent[]; count: number; capped?: boolean };

export interface RelatedOptions extends PivotOptions, RunOptions {
  /** Only these pivots; all when absent or empty. */
  pivots?: PivotName[];
  /** Events (or flow rows) returned per pivot; the count covers all of them. Default RELATED_LIMIT. */
  limit?: number;
}

/**
 * Runs the pivots of an event against any TrailSource: live or evidence, one code path. Each pivot
 * returns its first `limit` events, newest first, and how many there are in all.
 */
export async function findRelated(source: TrailSource, event: LookupEvent, options: RelatedOptions = {}): Promise<RelatedResult> {
  const record = recordOfEvent(event);
  const wanted = (name: PivotName): boolean => !options.pivots || options.pivots.length === 0 || options.pivots.includes(name);
  const limit = options.limit ?? RELATED_LIMIT;
  const pivots: PivotResult[] = [];
  const queries = relatedQueries(record, event, options).filter((q) => wanted(q.pivot));
  const requests = queries.map((q) => ({ ...q.request, max: limit }));
  const answers: PivotAnswer[] = source.lookupBatch
    ? await source.lookupBatch(requests, { signal: options.signal })
    : await lookupEach(source, requests, options.signal);
  queries.forEach((q, i) => pivots.push({ pivot: q.pivot, value: q.value, count: answers[i].count, ...(answers[i].capped ? { capped: true } : {}), events: answers[i].events }));
  const flows = wanted('flows') ? flowsQuery(record, { ...options, limit }) : undefined;
  if (flows) {
    const groups = (await source.logGroups({ signal: options.signal })).filter((g) => g.kind === 'vpc-flow').map((g) => g.arn ?? g.name);
    if (groups.length > 0) {
      const result = await source.runInsights(
        { query: flows.query, logGroups: groups, start: flows.start, end: flows.end, limit },
        { signal: options.signal },
      );
      pivots.push({ pivot: 'flows', value: flows.value, count: result.statistics.recordsMatched || result.results.length, rows: result.results });
    }
  }
  return { event, pivots };
}

/**
 * For sources without lookupBatch (live): one lookup per pivot, counted when a page is full; a source
 * that cannot count says its count is a floor.
 */
async function lookupEach(source: TrailSource, requests: LookupRequest[], signal?: AbortSignal): Promise<PivotAnswer[]> {
  const answers: PivotAnswer[] = [];
  for (const request of requests) {
    signal?.throwIfAborted();
    const events = await source.lookupEvents(request, { signal });
    const full = events.length >= (request.max ?? Number.POSITIVE_INFINITY);
    if (full && source.countEvents) answers.push({ events, count: await source.countEvents(request, { signal }) });
    else answers.push({ events, count: events.length, ...(full ? { capped: true } : {}) });
  }
  return answers;
}
