import { recordOfEvent, type LookupEvent } from '../cloudtrail/event';
import type { Rows } from './table';

/** The columns a responder scans first; the full record stays in CloudTrailEvent (JSON output). */
export const EVENT_COLUMNS = ['EventTime', 'EventName', 'Username', 'AccessKeyId', 'SourceIP', 'Account', 'Region', 'ErrorCode', 'EventSource', 'Resources', 'EventId'];

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function eventRows(events: LookupEvent[]): Rows {
  return {
    columns: EVENT_COLUMNS,
    rows: events.map((event) => {
      const record = recordOfEvent(event);
      return [
        event.EventTime,
        event.EventName,
        event.Username,
        event.AccessKeyId,
        text(record.sourceIPAddress),
        // The account that recorded the event: a store of several accounts holds copies of one call in each.
        text(record.recipientAccountId),
        text(record.awsRegion),
        text(record.errorCode),
        event.EventSource,
        (event.Resources ?? []).map((r) => r.ResourceName).filter(Boolean).join(' '),
        event.EventId,
      ];
    }),
  };
}
