import {
  FIELD_FILTER_KEYS,
  LOOKUP_ATTRIBUTE_KEYS,
  type FieldFilter,
  type FieldFilterKey,
  type LookupAttribute,
  type LookupAttributeKey,
  type LookupRequest,
} from '../../core/lookup/request';

/**
 * The conditions a lookup can combine, as the wizard offers them: the eight LookupEvents attributes and
 * the field filters the API lacks, with names a responder recognises and example values.
 */
export type ConditionKey = { attribute: LookupAttributeKey } | { filter: FieldFilterKey };

export interface Condition {
  key: ConditionKey;
  value: string;
}

const ATTRIBUTE_LABELS: Record<LookupAttributeKey, [string, string]> = {
  AccessKeyId: ['Access key ID', 'AKIA… or ASIA…'],
  EventId: ['Event ID', 'the eventID of one record'],
  EventName: ['Event name', 'e.g. ConsoleLogin, AssumeRole, GetObject'],
  EventSource: ['Event source', 'e.g. s3.amazonaws.com'],
  ReadOnly: ['Read-only', 'true for reads, false for writes only'],
  ResourceName: ['Resource name', 'e.g. a bucket, instance ID or role name'],
  ResourceType: ['Resource type', 'e.g. AWS::S3::Bucket'],
  Username: ['User name', 'the user or role session name'],
};

const FILTER_LABELS: Record<FieldFilterKey, [string, string]> = {
  sourceIPAddress: ['Source IP address', 'e.g. 203.0.113.7'],
  errorCode: ['Error code', 'e.g. AccessDenied'],
  errorMessage: ['Error message contains', 'case-insensitive substring'],
  userAgent: ['User agent contains', 'case-insensitive substring, e.g. boto3'],
  awsRegion: ['Region of the call', 'e.g. us-east-1'],
  recipientAccountId: ['Recipient account ID', '12 digits'],
  principalArn: ['Principal ARN', 'the user, role or its session issuer'],
  userIdentityType: ['Identity type', 'Root, IAMUser, AssumedRole, AWSService…'],
  requestID: ['Request ID', 'the requestID of one call'],
  sharedEventID: ['Shared event ID', 'cross-account copies of one call'],
  sessionName: ['Role session name', 'after the colon in an assumed-role ARN'],
  resource: ['Any resource', 'an ARN, name or identifier in the request'],
  typedResource: ['Resource of a type', 'the type, a space, the name: AWS::IAM::User deploy'],
  mintedAccessKeyId: ['Call that minted key', 'the key whose AssumeRole (ASIA…) or CreateAccessKey (AKIA…) you want'],
};

/** Substring filters: values like user agents and error messages are never typed exactly. */
const CONTAINS_FILTERS: ReadonlySet<FieldFilterKey> = new Set(['userAgent', 'errorMessage']);

export const ALL_CONDITION_KEYS: ConditionKey[] = [
  ...LOOKUP_ATTRIBUTE_KEYS.map((attribute) => ({ attribute })),
  ...FIELD_FILTER_KEYS.map((filter) => ({ filter })),
];

export function conditionId(key: ConditionKey): string {
  return 'attribute' in key ? key.attribute : key.filter;
}

export function conditionLabel(key: ConditionKey): string {
  return 'attribute' in key ? ATTRIBUTE_LABELS[key.attribute][0] : FILTER_LABELS[key.filter][0];
}

export function conditionHint(key: ConditionKey): string {
  return 'attribute' in key ? ATTRIBUTE_LABELS[key.attribute][1] : FILTER_LABELS[key.filter][1];
}

export function toLookupRequest(conditions: Condition[], range: { start: string; end: string }, max?: number): LookupRequest {
  const attributes: LookupAttribute[] = [];
  const filters: FieldFilter[] = [];
  for (const { key, value } of conditions) {
    if ('attribute' in key) attributes.push({ AttributeKey: key.attribute, AttributeValue: value });
    else filters.push({ field: key.filter, op: CONTAINS_FILTERS.has(key.filter) ? 'contains' : 'equals', value });
  }
  return { attributes, filters, start: range.start, end: range.end, ...(max ? { max } : {}) };
}

/** How the condition is written in a lookup cell: `~` for the substring filters, `=` for the rest. */
export function conditionSeparator(key: ConditionKey): '=' | '~' {
  return 'filter' in key && CONTAINS_FILTERS.has(key.filter) ? '~' : '=';
}
