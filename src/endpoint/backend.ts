import { newestFirst, recordOfEvent, type CloudTrailRecord, type LookupEvent } from '../core/cloudtrail/event';
import type { LookupAttribute } from '../core/lookup/request';
import type { InsightsResult } from '../core/results';
import type { InsightsRequest, LogGroupInfo } from '../sources/source';
import { matchesLookup } from '../core/lookup/match';

/**
 * The data behind the local endpoint. The endpoint owns the wire rules (paging, tokens, limits,
 * faults); a backend only answers "which events / rows / groups are there".
 */
export interface LookupQuery {
  region: string;
  /** Absent when the caller's access key maps to no account: every account's events are served. */
  accountId?: string;
  attribute?: LookupAttribute;
  /** Inclusive ISO bounds. */
  start?: string;
  end?: string;
  /** `insight`: Insights events only; otherwise they are left out. */
  eventCategory?: 'insight';
}

export interface EndpointBackend {
  /** Events of one region matching the one attribute and the category, newest first. */
  lookupEvents(query: LookupQuery): Promise<LookupEvent[]>;
  runInsights(request: InsightsRequest): Promise<InsightsResult>;
  logGroups(): Promise<LogGroupInfo[]>;
  /** One raw event of the group, for classification by content; undefined when empty. */
  sampleMessage(logGroupName: string): Promise<string | undefined>;
  /** GetLogRecord: every field of the event an `@ptr` from a result row points at; undefined when unknown. */
  logRecord?(ptr: string): Promise<Record<string, string> | undefined>;
  /** The account the data belongs to, when it is one account. */
  defaultAccountId(): Promise<string | undefined>;
  close?(): Promise<void> | void;
}

export interface MemoryLogGroup extends LogGroupInfo {
  sampleMessage?: string;
}

export interface MemoryBackendOptions {
  events?: LookupEvent[];
  logGroups?: MemoryLogGroup[];
  /** How queries are answered; the default returns no rows. */
  insights?: (request: InsightsRequest) => Promise<InsightsResult>;
}

/** A backend over events held in memory: used by tests and benchmarks that need thousands of events fast. */
export function memoryBackend(options: MemoryBackendOptions): EndpointBackend {
  const byRegion = new Map<string, Array<{ event: LookupEvent; record: CloudTrailRecord }>>();
  for (const event of options.events ?? []) {
    const record = recordOfEvent(event);
    const region = typeof record.awsRegion === 'string' ? record.awsRegion : '';
    const list = byRegion.get(region) ?? [];
    list.push({ event, record });
    byRegion.set(region, list);
  }
  for (const list of byRegion.values()) list.sort((a, b) => newestFirst(a.event, b.event));
  const groups = options.logGroups ?? [];
  return {
    async lookupEvents(query) {
      const request = { attributes: query.attribute ? [query.attribute] : [], filters: [], start: query.start, end: query.end, eventCategory: query.eventCategory };
      return (byRegion.get(query.region) ?? [])
        .filter((e) => (query.accountId === undefined || e.record.recipientAccountId === query.accountId) && matchesLookup(e.record, e.event, request))
        .map((e) => e.event);
    },
    runInsights: options.insights ?? (async () => ({ status: 'Complete', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } })),
    async logGroups() {
      return groups.map(({ sampleMessage: _sample, ...info }) => info);
    },
    async sampleMessage(name) {
      return groups.find((g) => g.name === name)?.sampleMessage;
    },
    async defaultAccountId() {
      return undefined;
    },
  };
}
