import type { LookupEvent } from '../../core/cloudtrail/event';
import type { PivotName, PivotResult, RelatedResult } from '../../core/results';
import type { EvidenceSummary } from '../../sources/evidence/source';
import type { IngestProgress, IngestResult } from '../../sources/evidence/ingest/index';
import type { LibraryQuery } from '../../core/insights/library';
import type { RunOptions, TrailSource } from '../../sources/source';

/**
 * What the investigation UI needs from the evidence engine, the live sources, the pivots and the query
 * library. The adapters in this folder map the other areas' modules onto these ports and load them only
 * on first use, which keeps activation free of DuckDB, the AWS SDK and credential resolution.
 */

export interface ProfileInfo {
  name: string;
  /** The profile's own region, when its config names one. */
  region?: string;
}

export type Health = 'ok' | 'warning' | 'error' | 'unknown';

export interface TrailInfo {
  name: string;
  homeRegion?: string;
  health: Health;
  /** One line beside the name, e.g. "logging · multi-region". */
  description: string;
  /** Plain text, a line each: what is wrong and why it matters. */
  tooltip: string[];
}

export interface LivePort {
  profiles(): Promise<ProfileInfo[]>;
  accountId(profile: string, options?: RunOptions): Promise<string>;
  trails(profile: string, region: string, options?: RunOptions): Promise<TrailInfo[]>;
  source(profile: string, regions: string[]): TrailSource;
  /** The Logs Insights queries saved in the account's region (DescribeQueryDefinitions), as library entries. */
  savedQueries(profile: string, region: string, options?: RunOptions): Promise<LibraryQuery[]>;
  /** Stops every running Insights query (StopQuery); called on cancel-all and deactivate. */
  stopAll(): Promise<void>;
  /**
   * Forgets every account and its credentials, so the next call resolves each profile again: Refresh
   * after the config changed or a new login. Sources already handed out (open panels) keep working.
   */
  forget(): void;
}

export type { EvidenceSummary } from '../../sources/evidence/source';
export type { IngestProgress, IngestResult } from '../../sources/evidence/ingest/index';

export interface EvidenceHandle {
  readonly path: string;
  readonly source: TrailSource;
  summary(): Promise<EvidenceSummary>;
}

export interface EvidencePort {
  /** Opens (or returns the already open) store read-only. */
  open(path: string): Promise<EvidenceHandle>;
  /** Ingests into the store, creating it when missing; the store is reopened afterwards. */
  ingest(storePath: string, paths: string[], options: { signal?: AbortSignal; onProgress?: (p: IngestProgress) => void }): Promise<IngestResult>;
  closeAll(): Promise<void>;
}

/** Events fetched per pivot to count it; a source that cannot count (live) reports at most this many. */
export const RELATED_COUNT_LIMIT = 50;

export interface RelatedOptions extends RunOptions {
  windowMinutes: number;
  /** Events fetched per pivot: RELATED_COUNT_LIMIT for the counts of an event's links, more to show them. */
  limit: number;
}

export interface PivotPort {
  /** Every pivot of the event with its count and first `limit` events. */
  related(source: TrailSource, event: LookupEvent, options: RelatedOptions): Promise<RelatedResult>;
  /** The events (or flow rows) behind one pivot value. */
  follow(source: TrailSource, event: LookupEvent, pivot: PivotName, value: string, options: RelatedOptions): Promise<PivotResult | undefined>;
}

export type { LibraryQuery } from '../../core/insights/library';

export interface LibraryPort {
  queries(): Promise<LibraryQuery[]>;
}

export interface Services {
  live: LivePort;
  evidence: EvidencePort;
  pivots: PivotPort;
  library: LibraryPort;
}
