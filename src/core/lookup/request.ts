/**
 * A lookup as the user states it: any of the eight LookupEvents attributes (AND-ed, although the API
 * itself accepts one), field filters the API does not have, and an inclusive time range.
 *
 * The live source sends one attribute to the service and applies the rest to the returned events;
 * the evidence store compiles all of it to SQL. Both follow the semantics written down here.
 */
export const LOOKUP_ATTRIBUTE_KEYS = [
  'AccessKeyId',
  'EventId',
  'EventName',
  'EventSource',
  'ReadOnly',
  'ResourceName',
  'ResourceType',
  'Username',
] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  AttributeKey: LookupAttributeKey;
  /** Exact, case-sensitive match, as the API does. */
  AttributeValue: string;
}

/**
 * Filters on record fields that LookupEvents cannot express. `equals` is exact and case-sensitive;
 * `contains` is a case-insensitive substring match (for user agents and error messages).
 */
export const FIELD_FILTER_KEYS = [
  'sourceIPAddress',
  'errorCode',
  'errorMessage',
  'userAgent',
  'awsRegion',
  'recipientAccountId',
  /** userIdentity.arn or sessionContext.sessionIssuer.arn */
  'principalArn',
  'userIdentityType',
  'requestID',
  'sharedEventID',
  /** The role session name: the last part of an assumed-role ARN / principalId after the colon. */
  'sessionName',
  /** Any resource ARN or name, including identifiers inside requestParameters. */
  'resource',
  /** A resource of one type, `<type> <name>` with an ARN's short name (`AWS::IAM::User deploy`). */
  'typedResource',
  /** The AssumeRole/GetSessionToken/... whose responseElements.credentials.accessKeyId is the value. */
  'mintedAccessKeyId',
] as const;
export type FieldFilterKey = (typeof FIELD_FILTER_KEYS)[number];

export interface FieldFilter {
  field: FieldFilterKey;
  op: 'equals' | 'contains';
  value: string;
}

/** The attributes LookupEvents takes with `EventCategory=insight` (aws-api-reference A.2). */
export const INSIGHT_ATTRIBUTE_KEYS: readonly LookupAttributeKey[] = ['EventId', 'EventName', 'EventSource'];

export interface LookupRequest {
  attributes: LookupAttribute[];
  filters: FieldFilter[];
  /**
   * `insight`: only CloudTrail Insights events (LookupEvents' EventCategory=insight), which otherwise are
   * never returned, as the API does.
   */
  eventCategory?: 'insight';
  /** Inclusive bounds, ISO 8601 UTC. */
  start?: string;
  end?: string;
  /** Stop after this many events (newest first). */
  max?: number;
}

/** A one-line summary for panel titles and history, e.g. "EventName=GetObject, sourceIPAddress=1.2.3.4". */
export function describeRequest(request: LookupRequest): string {
  const parts = [
    ...(request.eventCategory ? [`EventCategory=${request.eventCategory}`] : []),
    ...request.attributes.map((a) => `${a.AttributeKey}=${a.AttributeValue}`),
    ...request.filters.map((f) => `${f.field}${f.op === 'contains' ? '~' : '='}${f.value}`),
  ];
  return parts.length ? parts.join(', ') : 'all events';
}

/** Why LookupEvents would refuse the request's attributes with its category, or undefined. */
export function categoryProblem(request: LookupRequest): string | undefined {
  const refused = request.eventCategory === 'insight' ? request.attributes.find((a) => !INSIGHT_ATTRIBUTE_KEYS.includes(a.AttributeKey)) : undefined;
  return refused && `Insights events are looked up by ${INSIGHT_ATTRIBUTE_KEYS.join(', ')} only, not ${refused.AttributeKey}`;
}

/** A range as a line of text, without the milliseconds presets never have. */
export function describeRange(range: { start?: string; end?: string }): string {
  const short = (iso: string | undefined, fallback: string) => (iso ? iso.replace(/\.000Z$/, 'Z') : fallback);
  return `${short(range.start, '…')} → ${short(range.end, 'now')}`;
}
