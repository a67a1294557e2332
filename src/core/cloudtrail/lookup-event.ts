import type { CloudTrailRecord, LookupEvent } from './event';
import { insightDetailOf, resourcesOf, usernameOf } from './derive';

export class RecordError extends Error {}

/** Parses one record's JSON text; throws RecordError when it is not a JSON object. */
export function parseRecord(raw: string): CloudTrailRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new RecordError(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RecordError('not a JSON object');
  return value as CloudTrailRecord;
}

/** A date and time without a zone: JavaScript would read it in the machine's zone, the store reads UTC. */
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * CloudTrail writes `2020-09-14T00:44:23Z`; normalize any parseable time to that form (UTC, no millis).
 * A time without a zone (a shipper's rewrite) is UTC, as the evidence store reads it, on any machine.
 */
export function normalizeEventTime(time: unknown): string | undefined {
  if (typeof time !== 'string') return undefined;
  const zoneless = ZONELESS.exec(time.trim());
  const ms = Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : time);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The record's time: `eventTime`, or `@timestamp` for records a log shipper (e.g. Logstash, as in the
 * OTRF data sets) rewrote without it.
 */
export function eventTimeOf(record: CloudTrailRecord): string | undefined {
  return normalizeEventTime(record.eventTime ?? record['@timestamp']);
}

/** Field order of the API's `Event`, so JSON from live and offline sources reads the same. */
const EVENT_KEYS = ['EventId', 'EventName', 'ReadOnly', 'AccessKeyId', 'EventTime', 'EventSource', 'Username', 'Resources', 'CloudTrailEvent'] as const;

/** A LookupEvent with the API's key order and without empty members. */
export function buildLookupEvent(fields: LookupEvent): LookupEvent {
  const event: Record<string, unknown> = {};
  for (const key of EVENT_KEYS) {
    const value = fields[key];
    if (value !== undefined && value !== null && value !== '') event[key] = value;
  }
  event.EventId ??= '';
  event.EventTime ??= '';
  event.CloudTrailEvent ??= '';
  return event as unknown as LookupEvent;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The LookupEvents `Event` for a record (aws-api-reference A.4), the one shape every view renders.
 * `CloudTrailEvent` is the text given: an evidence store keeps JSON Lines and lookup-events records as
 * they were written, and the records of S3 log files and arrays as compact JSON of the same values.
 */
export function toLookupEvent(input: string | CloudTrailRecord): LookupEvent {
  const record = typeof input === 'string' ? parseRecord(input) : input;
  const readOnly = record.readOnly;
  const identity = record.userIdentity !== null && typeof record.userIdentity === 'object' ? record.userIdentity : undefined;
  return buildLookupEvent({
    EventId: text(record.eventID) ?? '',
    EventName: text(record.eventName) ?? insightDetailOf(record, 'eventName'),
    ReadOnly: readOnly === true || readOnly === 'true' ? 'true' : readOnly === false || readOnly === 'false' ? 'false' : undefined,
    AccessKeyId: text(identity?.accessKeyId),
    EventTime: eventTimeOf(record) ?? '',
    EventSource: text(record.eventSource) ?? insightDetailOf(record, 'eventSource'),
    Username: usernameOf(record),
    Resources: resourcesOf(record),
    CloudTrailEvent: typeof input === 'string' ? input : JSON.stringify(record),
  });
}
