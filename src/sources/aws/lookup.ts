import { CloudTrailClient, LookupEventsCommand, type Event as SdkEvent } from '@aws-sdk/client-cloudtrail';
import { newestFirst, recordOfEvent, type LookupEvent } from '../../core/cloudtrail/event';
import { matchesLookup } from '../../core/lookup/match';
import type { LookupAttribute, LookupAttributeKey, LookupRequest } from '../../core/lookup/request';
import type { RequestPacer } from './pacer';
import { PageTokens } from './page-tokens';
import { withRetries } from './retry';

/**
 * LookupEvents against one account and region. The API takes one attribute; we send the one that
 * narrows the result most and check everything else (further attributes, field filters, times) on the
 * returned events with the same `matchesLookup` the offline engine's semantics are written in.
 */

/** Most selective first: an event ID names one event, ReadOnly splits the history in two. */
const SELECTIVITY: LookupAttributeKey[] = ['EventId', 'AccessKeyId', 'ResourceName', 'Username', 'EventName', 'EventSource', 'ResourceType', 'ReadOnly'];

export function serviceAttribute(attributes: LookupAttribute[]): LookupAttribute | undefined {
  for (const key of SELECTIVITY) {
    const found = attributes.find((a) => a.AttributeKey === key);
    if (found) return found;
  }
  return undefined;
}

/** ISO 8601 UTC as CloudTrail writes eventTime: whole seconds without a fraction. */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** The SDK's Event with Date converted at the boundary, members in the API's order; absent members stay absent. */
export function fromSdkEvent(event: SdkEvent): LookupEvent {
  const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
    value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  return {
    EventId: event.EventId ?? '',
    ...optional('EventName', event.EventName),
    ...optional('ReadOnly', event.ReadOnly),
    ...optional('AccessKeyId', event.AccessKeyId),
    EventTime: event.EventTime ? isoTime(event.EventTime) : '',
    ...optional('EventSource', event.EventSource),
    ...optional('Username', event.Username),
    ...optional(
      'Resources',
      event.Resources?.map((r) => ({ ...optional('ResourceType', r.ResourceType), ...optional('ResourceName', r.ResourceName) })),
    ),
    CloudTrailEvent: event.CloudTrailEvent ?? '{}',
  };
}

export interface RegionLookup {
  client: CloudTrailClient;
  pacer: RequestPacer;
  signal: AbortSignal;
  pageSize: number;
  onPage?: (events: LookupEvent[]) => void;
  maxPages?: number;
  onPageLimit?: () => void;
}

/** Every matching event of one region, newest first; stops paging once `request.max` are found. */
export async function lookupRegion(request: LookupRequest, region: RegionLookup): Promise<LookupEvent[]> {
  const attribute = serviceAttribute(request.attributes);
  const input = {
    LookupAttributes: attribute ? [attribute] : undefined,
    StartTime: request.start ? new Date(request.start) : undefined,
    EndTime: request.end ? new Date(request.end) : undefined,
    MaxResults: region.pageSize,
  };
  const matched: LookupEvent[] = [];
  const tokens = new PageTokens('LookupEvents');
  let token: string | undefined;
  let pages = 0;
  do {
    const response = await withRetries((s) => region.client.send(new LookupEventsCommand({ ...input, NextToken: token }), { abortSignal: s }), {
      signal: region.signal,
      beforeAttempt: () => region.pacer.acquire(region.signal),
    });
    let page = (response.Events ?? []).map(fromSdkEvent).filter((e) => matchesLookup(recordOfEvent(e), e, request));
    if (request.max !== undefined) page = page.slice(0, request.max - matched.length);
    matched.push(...page);
    // Every page read, matches or not: field filters can read many pages that match nothing, and the
    // responder should see the lookup is under way.
    region.onPage?.(page);
    // Checked only when another page is wanted: a repeated token after the last one read does no harm.
    token = request.max === undefined || matched.length < request.max ? tokens.next(response.NextToken) : undefined;
    if (token && ++pages === region.maxPages) {
      region.onPageLimit?.();
      token = undefined;
    }
  } while (token);
  return matched;
}

/** Several newest-first lists (regions, accounts) as one, cut at `max`. */
export function mergeNewestFirst(lists: LookupEvent[][], max?: number): LookupEvent[] {
  const merged = lists.flat().sort(newestFirst);
  return max === undefined ? merged : merged.slice(0, max);
}
