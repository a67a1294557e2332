import type { CloudTrailRecord, LookupEvent } from '../cloudtrail/event';
import { mintedAccessKeyOf, resourceKeysOf, sessionNameOf, typedResourceKeysOf } from '../cloudtrail/derive';
import type { FieldFilter, FieldFilterKey, LookupAttribute, LookupRequest } from './request';

/**
 * The semantics of a LookupRequest, in JavaScript. The live source applies it to what the API returns
 * (the API takes one attribute; the rest are checked here), and the evidence store's SQL
 * (src/sources/evidence/lookup-sql.ts) implements the same rules; a parity test runs both.
 *
 * - attributes are AND-ed; values match exactly and case-sensitively, as the API does;
 * - ResourceName / ResourceType match when any of the event's Resources has that name / type;
 * - filters: `equals` is exact, `contains` a case-insensitive substring; a multi-valued field
 *   (principalArn, resource, typedResource) matches when any of its values does;
 * - start and end are inclusive;
 * - Insights events only with `eventCategory: 'insight'`, and then nothing else.
 */
export function matchesLookup(record: CloudTrailRecord, event: LookupEvent, request: LookupRequest): boolean {
  return (
    isInsightEvent(record) === (request.eventCategory === 'insight') &&
    request.attributes.every((a) => matchesAttribute(event, a)) &&
    request.filters.every((f) => matchesFilter(record, f)) &&
    withinTime(event.EventTime, request.start, request.end)
  );
}

/** A CloudTrail Insights event (unusual API call rates or error rates), a category of its own. */
export function isInsightEvent(record: CloudTrailRecord): boolean {
  return record.eventCategory === 'Insight';
}

function matchesAttribute(event: LookupEvent, { AttributeKey: key, AttributeValue: value }: LookupAttribute): boolean {
  switch (key) {
    case 'ResourceName':
      return (event.Resources ?? []).some((r) => r.ResourceName === value);
    case 'ResourceType':
      return (event.Resources ?? []).some((r) => r.ResourceType === value);
    default:
      return event[key] === value;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The values of a filter field in a record (several for principalArn and resource). */
export function fieldValues(record: CloudTrailRecord, field: FieldFilterKey): string[] {
  const identity = record.userIdentity !== null && typeof record.userIdentity === 'object' ? record.userIdentity : undefined;
  const one = (value: unknown): string[] => {
    const s = text(value);
    return s === undefined ? [] : [s];
  };
  switch (field) {
    case 'principalArn':
      return [...one(identity?.arn), ...one(identity?.sessionContext?.sessionIssuer?.arn)];
    case 'userIdentityType':
      return one(identity?.type);
    case 'sessionName':
      return one(sessionNameOf(record));
    case 'resource':
      return resourceKeysOf(record);
    case 'typedResource':
      return typedResourceKeysOf(record);
    case 'mintedAccessKeyId':
      return one(mintedAccessKeyOf(record));
    default:
      return one(record[field]);
  }
}

function matchesFilter(record: CloudTrailRecord, filter: FieldFilter): boolean {
  const values = fieldValues(record, filter.field);
  if (filter.op === 'equals') return values.includes(filter.value);
  const needle = filter.value.toLowerCase();
  return values.some((v) => v.toLowerCase().includes(needle));
}

function withinTime(eventTime: string, start: string | undefined, end: string | undefined): boolean {
  const t = Date.parse(eventTime);
  if (start !== undefined && !(t >= Date.parse(start))) return false;
  if (end !== undefined && !(t <= Date.parse(end))) return false;
  return true;
}
