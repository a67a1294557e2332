import type { LookupEvent } from '../core/cloudtrail/event';
import type { LookupRequest } from '../core/lookup/request';
import type { InsightsResult } from '../core/results';

/**
 * Where data comes from. The live AWS source and the evidence store implement the same interface,
 * so the tree, the commands, the webview and the CLI never ask which one they hold.
 */

export type LogKind = 'cloudtrail' | 'vpc-flow' | 'lambda' | 'eventbridge' | 'other';

export interface LogGroupInfo {
  name: string;
  /** ARN when known (live); cross-account queries use it as the identifier. */
  arn?: string;
  kind: LogKind;
  storedBytes?: number;
  records?: number;
  accountId?: string;
  region?: string;
}

export interface InsightsRequest {
  query: string;
  /** Names or ARNs; empty means every log group the source has (evidence only). */
  logGroups: string[];
  /** Inclusive, ISO 8601 UTC; empty means no bound (evidence only). */
  start: string;
  end: string;
  limit?: number;
  /** Live only: the region to query; default the source's first region. */
  region?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
}

export interface LookupOptions extends RunOptions {
  /**
   * Called for each page read with its matching events (already filtered, newest first within a page;
   * none when a page matched nothing, so that the pages read can be shown).
   */
  onPage?: (events: LookupEvent[]) => void;
  /**
   * Live: at most this many pages a region, for answers that may stop short (related-event counts). A
   * filter no LookupEvents attribute narrows would otherwise read back through the whole event history.
   */
  maxPages?: number;
  /** Live: called when a region stopped at `maxPages` with history left unread. */
  onPageLimit?: () => void;
}

export interface InsightsOptions extends RunOptions {
  /** Called on every poll with the partial result and its statistics. */
  onProgress?: (partial: InsightsResult) => void;
}

export interface BatchAnswer {
  events: LookupEvent[];
  count: number;
  /** The count is a floor: live, the events filled `max` or the pages stopped at `maxPages`. */
  capped?: boolean;
}

export interface TrailSource {
  readonly kind: 'live' | 'evidence';
  /** What the user sees: a profile name or an evidence store's file name. */
  readonly label: string;
  /** Events matching the request, merged newest first. Rejects with an AbortError when cancelled. */
  lookupEvents(request: LookupRequest, options?: LookupOptions): Promise<LookupEvent[]>;
  /**
   * What part of a lookup's time range this source cannot answer, in words for the responder (live AWS:
   * the 90-day event history); undefined when it can answer all of it. Evidence has no such limit.
   */
  lookupLimit?(request: LookupRequest, now?: Date): string | undefined;
  /**
   * Several lookups at once (the related-event pivots), each with its first `request.max` events (newest
   * first) and its count: the evidence store counts every match in one pass; live AWS counts what it read,
   * sharing the pages of lookups that send the same input, and stops at `options.maxPages`.
   */
  lookupBatch(requests: LookupRequest[], options?: LookupOptions): Promise<BatchAnswer[]>;
  runInsights(request: InsightsRequest, options?: InsightsOptions): Promise<InsightsResult>;
  logGroups(options?: RunOptions): Promise<LogGroupInfo[]>;
}
