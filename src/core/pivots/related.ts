import type { LookupEvent } from '../cloudtrail/event';
import { parseRecord } from '../cloudtrail/lookup-event';
import type { PivotName, PivotResult, RelatedResult } from '../results';
import type { RunOptions, TrailSource } from '../../sources/source';
import { flowsQuery, relatedQueries, type PivotOptions } from './queries';

export interface RelatedOptions extends PivotOptions, RunOptions {
  /** Only these pivots; all when absent or empty. */
  pivots?: PivotName[];
  /** Events (or flow rows) returned per pivot; the count covers all of them. Default 20. */
  limit?: number;
}

/**
 * Runs the pivots of an event against any TrailSource: live or evidence, one code path. Each pivot
 * returns its first `limit` events, newest first, and how many there are in all.
 */
export async function findRelated(source: TrailSource, event: LookupEvent, options: RelatedOptions = {}): Promise<RelatedResult> {
  const record = parseRecord(event.CloudTrailEvent);
  const wanted = (name: PivotName): boolean => !options.pivots || options.pivots.length === 0 || options.pivots.includes(name);
  const limit = options.limit ?? 20;
  const pivots: PivotResult[] = [];
  for (const query of relatedQueries(record, event, options)) {
    if (!wanted(query.pivot)) continue;
    options.signal?.throwIfAborted();
    const events = await source.lookupEvents({ ...query.request, max: limit }, { signal: options.signal });
    const count = events.length < limit || !source.countEvents ? events.length : await source.countEvents(query.request, { signal: options.signal });
    pivots.push({ pivot: query.pivot, value: query.value, count, events });
  }
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
