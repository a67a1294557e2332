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

/** What LookupEvents is sent for a request: its most selective attribute, its times and its category. */
export function serviceInput(request: LookupRequest): { attribute?: LookupAttribute; start?: string; end?: string; eventCategory?: 'insight' } {
  return { attribute: serviceAttribute(request.attributes), start: request.start, end: request.end, eventCategory: request.eventCategory };
}

/**
 * Reads the pages of one LookupEvents input, newest first, handing each to `take`, which says whether
 * another is wanted; at most `region.maxPages`. Returns true when it stopped there with history unread.
 */
async function readPages(request: LookupRequest, region: RegionLookup, take: (events: LookupEvent[]) => boolean): Promise<boolean> {
  const { attribute, start, end, eventCategory } = serviceInput(request);
  const input = {
    LookupAttributes: attribute ? [attribute] : undefined,
    EventCategory: eventCategory,
    StartTime: start ? new Date(start) : undefined,
    EndTime: end ? new Date(end) : undefined,
    MaxResults: region.pageSize,
  };
  const tokens = new PageTokens('LookupEvents');
  let token: string | undefined;
  let pages = 0;
  do {
    const response = await withRetries((s) => region.client.send(new LookupEventsCommand({ ...input, NextToken: token }), { abortSignal: s }), {
      signal: region.signal,
      beforeAttempt: () => region.pacer.acquire(region.signal),
    });
    // Checked only when another page is wanted: a repeated token after the last one read does no harm.
    token = take((response.Events ?? []).map(fromSdkEvent)) ? tokens.next(response.NextToken) : undefined;
    if (token && ++pages === region.maxPages) return true;
  } while (token);
  return false;
}

/** Every matching event of one region, newest first; stops paging once `request.max` are found. */
export async function lookupRegion(request: LookupRequest, region: RegionLookup): Promise<LookupEvent[]> {
  const [answer] = await lookupRegionShared([request], region);
  if (answer.stoppedShort) region.onPageLimit?.();
  return answer.events;
}

/** A request's events in one region, and whether its pages stopped at the page limit before it had `max`. */
export interface SharedAnswer {
  events: LookupEvent[];
  stoppedShort: boolean;
}

/**
 * Requests that send LookupEvents the same input (same serviceInput: one lookup, or the related-event
 * pivots no attribute narrows, which all read the newest events of the range): each page is read once
 * and matched against every request, each keeping at most its `max`; paging stops when all have theirs.
 * Each page's new matches reach `region.onPage`, none included: field filters can read many pages that
 * match nothing, and the responder should see the lookup is under way.
 */
export async function lookupRegionShared(requests: LookupRequest[], region: RegionLookup): Promise<SharedAnswer[]> {
  const matched = requests.map((): LookupEvent[] => []);
  const wanting = (i: number): boolean => requests[i].max === undefined || matched[i].length < requests[i].max;
  const stoppedShort = await readPages(requests[0], region, (events) => {
    const page: LookupEvent[] = [];
    for (const event of events) {
      const record = recordOfEvent(event);
      let taken = false;
      requests.forEach((request, i) => {
        if (!wanting(i) || !matchesLookup(record, event, request)) return;
        matched[i].push(event);
        taken = true;
      });
      if (taken) page.push(event);
    }
    region.onPage?.(page);
    return requests.some((_, i) => wanting(i));
  });
  return matched.map((events, i) => ({ events, stoppedShort: stoppedShort && wanting(i) }));
}

/** Several newest-first lists (regions, accounts) as one, cut at `max`. */
export function mergeNewestFirst(lists: LookupEvent[][], max?: number): LookupEvent[] {
  const merged = lists.flat().sort(newestFirst);
  return max === undefined ? merged : merged.slice(0, max);
}
