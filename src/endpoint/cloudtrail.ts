import { recordOfEvent, type LookupEvent } from '../core/cloudtrail/event';
import { isInsightEvent } from '../core/lookup/match';
import { INSIGHT_ATTRIBUTE_KEYS, LOOKUP_ATTRIBUTE_KEYS, type LookupAttribute } from '../core/lookup/request';
import type { EndpointBackend, LookupQuery } from './backend';
import { boundedInt, decodeToken, page, parameterKey } from './paging';
import { ServiceError } from './wire';

/** CloudTrail's JSON 1.1 operations over the backend's events and a configured trail list. */

/** A trail as DescribeTrails returns it, plus its GetTrailStatus answer. */
export interface EndpointTrail {
  accountId?: string;
  Name: string;
  HomeRegion: string;
  S3BucketName?: string;
  IsMultiRegionTrail?: boolean;
  IsOrganizationTrail?: boolean;
  IncludeGlobalServiceEvents?: boolean;
  LogFileValidationEnabled?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  HasCustomEventSelectors?: boolean;
  HasInsightSelectors?: boolean;
  status?: { IsLogging: boolean; LatestDeliveryError?: string; LatestCloudWatchLogsDeliveryError?: string; StopLoggingTime?: string };
}

export interface CallContext {
  region: string;
  /** The caller's account, always known (mapped, the data's own, or a fixed default). */
  accountId: string;
  /** The account whose events LookupEvents serves; absent means all events of the region. */
  lookupAccountId?: string;
}

type Params = Record<string, unknown>;

const CACHE_MS = 60_000;

export class CloudTrailService {
  /** Result lists by parameter key, so paging through 10,000 events queries the backend once. */
  private readonly cache = new Map<string, { events: LookupEvent[]; at: number }>();

  constructor(
    private readonly backend: EndpointBackend,
    private readonly trails: EndpointTrail[],
  ) {}

  async lookupEvents(ctx: CallContext, params: Params): Promise<unknown> {
    const attribute = lookupAttribute(params.LookupAttributes);
    const size = boundedInt(params.MaxResults, 1, 50, 50, 'InvalidMaxResultsException', 'MaxResults');
    const start = isoFromEpoch(params.StartTime);
    const end = isoFromEpoch(params.EndTime);
    if (start && end && start > end) throw new ServiceError('InvalidTimeRangeException', 'Start time must be before end time.');
    if (params.EventCategory !== undefined && params.EventCategory !== 'insight') {
      throw new ServiceError('InvalidEventCategoryException', 'EventCategory must be insight.');
    }
    const eventCategory = params.EventCategory === 'insight' ? 'insight' : undefined;
    if (eventCategory && attribute && !INSIGHT_ATTRIBUTE_KEYS.includes(attribute.AttributeKey)) {
      throw new ServiceError('InvalidLookupAttributesException', `Insights events cannot be looked up by ${attribute.AttributeKey}.`);
    }
    const key = parameterKey([ctx.region, ctx.lookupAccountId, attribute, start, end, eventCategory]);
    const offset = decodeToken(params.NextToken, key, 'InvalidNextTokenException');
    const events = await this.matching(key, { region: ctx.region, accountId: ctx.lookupAccountId, attribute, start, end, eventCategory });
    const result = page(events, offset, size, key);
    return { Events: result.items.map(toWire), ...(result.nextToken ? { NextToken: result.nextToken } : {}) };
  }

  private async matching(key: string, query: LookupQuery): Promise<LookupEvent[]> {
    const now = Date.now();
    for (const [k, v] of this.cache) if (now - v.at > CACHE_MS) this.cache.delete(k);
    const hit = this.cache.get(key);
    if (hit) return hit.events;
    // Event history holds management events, and Insights events apart: data events never come back.
    const events = (await this.backend.lookupEvents(query)).filter((e) => (query.eventCategory ? isInsightEvent(recordOfEvent(e)) : isManagementEvent(e)));
    this.cache.set(key, { events, at: now });
    return events;
  }

  describeTrails(ctx: CallContext, params: Params): unknown {
    const names = Array.isArray(params.trailNameList) ? params.trailNameList.map(String) : [];
    const includeShadow = params.includeShadowTrails !== false;
    const visible = this.accountTrails(ctx).filter((t) => t.HomeRegion === ctx.region || (includeShadow && t.IsMultiRegionTrail));
    const listed = names.length === 0 ? visible : visible.filter((t) => names.some((n) => n === trailArn(t, ctx) || (n === t.Name && t.HomeRegion === ctx.region)));
    return { trailList: listed.map((t) => describeTrail(t, ctx)) };
  }

  getTrailStatus(ctx: CallContext, params: Params): unknown {
    const name = String(params.Name ?? '');
    const trail = this.accountTrails(ctx).find(
      (t) => (name === trailArn(t, ctx) && (t.HomeRegion === ctx.region || t.IsMultiRegionTrail)) || (name === t.Name && t.HomeRegion === ctx.region),
    );
    if (!trail) throw new ServiceError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.accountId}`);
    const status = trail.status ?? { IsLogging: true };
    return {
      IsLogging: status.IsLogging,
      ...(status.LatestDeliveryError ? { LatestDeliveryError: status.LatestDeliveryError } : {}),
      ...(status.LatestCloudWatchLogsDeliveryError ? { LatestCloudWatchLogsDeliveryError: status.LatestCloudWatchLogsDeliveryError } : {}),
      ...(status.StopLoggingTime ? { StopLoggingTime: Date.parse(status.StopLoggingTime) / 1000 } : {}),
    };
  }

  private accountTrails(ctx: CallContext): EndpointTrail[] {
    return this.trails.filter((t) => (t.accountId ?? ctx.accountId) === ctx.accountId);
  }
}

/** Event history holds management events only: data and network-activity events never come back. */
function isManagementEvent(event: LookupEvent): boolean {
  const record = recordOfEvent(event);
  return record.managementEvent !== false && (record.eventCategory === undefined || record.eventCategory === 'Management');
}

function lookupAttribute(value: unknown): LookupAttribute | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ServiceError('InvalidLookupAttributesException', 'LookupAttributes must be a list.');
  if (value.length === 0) return undefined;
  if (value.length > 1) throw new ServiceError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
  const item = value[0] as { AttributeKey?: unknown; AttributeValue?: unknown };
  const key = item.AttributeKey;
  if (typeof key !== 'string' || !(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
    throw new ServiceError('InvalidLookupAttributesException', `Invalid lookup attribute key: ${String(key)}`);
  }
  if (typeof item.AttributeValue !== 'string' || item.AttributeValue.length === 0) {
    throw new ServiceError('InvalidLookupAttributesException', 'AttributeValue must not be empty.');
  }
  return { AttributeKey: key as LookupAttribute['AttributeKey'], AttributeValue: item.AttributeValue };
}

function isoFromEpoch(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ServiceError('InvalidTimeRangeException', 'Times must be timestamps.');
  return new Date(value * 1000).toISOString();
}

function toWire(event: LookupEvent): unknown {
  return { ...event, EventTime: Date.parse(event.EventTime) / 1000 };
}

function trailArn(trail: EndpointTrail, ctx: CallContext): string {
  return `arn:aws:cloudtrail:${trail.HomeRegion}:${trail.accountId ?? ctx.accountId}:trail/${trail.Name}`;
}

function describeTrail(trail: EndpointTrail, ctx: CallContext): unknown {
  const { status: _status, accountId: _account, ...shape } = trail;
  return { IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false, IsOrganizationTrail: false, ...shape, TrailARN: trailArn(trail, ctx) };
}
