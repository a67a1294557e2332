import type { LookupEvent } from './cloudtrail/event';

/**
 * The result shapes every source produces and every view renders. They are the JSON the CLI prints,
 * so `trailscope view` and the webview read one format whether the data came live or offline.
 */

/** `trailscope lookup --format json`. */
export interface EventsResult {
  Events: LookupEvent[];
}

/** One cell of a GetQueryResults row. Values are always strings, as the service returns them. */
export interface ResultField {
  field: string;
  value: string;
}

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';

export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

/** `trailscope insights --format json`: the GetQueryResults shape. */
export interface InsightsResult {
  status: QueryStatus;
  results: ResultField[][];
  statistics: QueryStatistics;
  /** The service's message when status is Failed/Timeout/Cancelled. */
  message?: string;
  /** Live only: what the bytes scanned so far cost, in USD (see src/sources/aws/insights-runner.ts). */
  estimatedCostUsd?: number;
  /**
   * What the query gets that it does not say: a period the service caps (live and offline), and offline a
   * field no record of these log groups has, which can only answer nothing.
   */
  warnings?: string[];
}

export type PivotName =
  | 'principal'
  | 'access-key'
  | 'session'
  | 'minted-by'
  | 'minted-key'
  | 'source-ip'
  | 'resource'
  | 'instance-role'
  | 'instance'
  | 'request'
  | 'time-window'
  | 'flows';

export const PIVOT_NAMES: readonly PivotName[] = [
  'principal',
  'access-key',
  'session',
  'minted-by',
  'minted-key',
  'source-ip',
  'resource',
  'instance-role',
  'instance',
  'request',
  'time-window',
  'flows',
];

export interface PivotResult {
  pivot: PivotName;
  value: string;
  count: number;
  /**
   * The count is only a floor: a source that cannot count (live) filled the page it fetched, or stopped
   * reading back through the history (RELATED_LIVE_PAGES), or a live flows pivot read only the hours
   * around the event (LIVE_FLOW_HOURS).
   */
  capped?: boolean;
  events?: LookupEvent[];
  /** For `flows`: the flow records, in the Insights row shape. */
  rows?: ResultField[][];
  /**
   * Why this pivot could not be read (log groups not listable, a flows query that failed); its count
   * is then 0 and says nothing. The other pivots are answered all the same.
   */
  error?: string;
}

/** `trailscope related --format json`. */
export interface RelatedResult {
  event: LookupEvent;
  pivots: PivotResult[];
}

/** A result with the kind that says how to read it. */
export type ResultPayload =
  | { kind: 'events'; result: EventsResult }
  | { kind: 'insights'; result: InsightsResult }
  | { kind: 'related'; result: RelatedResult };
