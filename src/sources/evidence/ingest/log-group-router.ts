import { looksLikeRecord } from './cloudtrail';
import { FlowLogReader, type FlowRow } from './flow';

/**
 * A log event's message as a flow record in the default format (a flow log group in CloudWatch Logs has
 * no header line), or undefined. Each message is read on its own, so one that looks like a header
 * changes nothing for the others: it is simply no flow record.
 */
function flowRowOf(message: string): FlowRow | undefined {
  const parsed = new FlowLogReader().read([[1, message]]);
  return parsed.problems.length === 0 ? parsed.rows[0] : undefined;
}

// An ISO 8601 time as CloudTrail writes it, to the second, maybe with a fraction and a zone.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** A real date and time (`2024-02-30` and `T24:00:00` are not, though Date.parse takes them). */
function isRealTime(text: string): boolean {
  const match = ISO_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}

/** A CloudTrail record found in a log event: its text, and the log group the trail's events go to. */
export interface RoutedRecord {
  text: string;
  logGroup: string;
}

/**
 * A log event's message as a CloudTrail record (a trail delivering to CloudWatch Logs writes one record
 * per event, aws-api-reference A.10), or undefined. Only a record the store keeps as an event qualifies
 * (an eventID and a real time), so none is reported as left out. It goes to `cloudtrail/<account>`, the
 * group of the same account's S3 files, so the trail's events are one group whichever way they came.
 */
function cloudTrailRecordOf(message: string): RoutedRecord | undefined {
  if (!message.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!looksLikeRecord(value) || value.eventID === '') return undefined;
  const time = value.eventTime ?? value['@timestamp'];
  if (typeof time !== 'string' || !isRealTime(time)) return undefined;
  const account = typeof value.recipientAccountId === 'string' && /^\d{12}$/.test(value.recipientAccountId) ? value.recipientAccountId : undefined;
  return { text: message, logGroup: account ? `cloudtrail/${account}` : 'cloudtrail' };
}

/** How many of a log group's first events decide what kind of log group it is. */
const DECIDING_EVENTS = 100;

/** A log event as the router needs it: exported or fetched (filter-log-events). */
interface LogEvent {
  ts: string;
  message: string;
  logStream?: string;
  eventId?: string;
  /** Routed as a CloudTrail event too: Insights over every group reads that copy and leaves this one out. */
  cloudTrailCopy?: boolean;
}

export interface RoutedEvents<E> {
  flows: FlowRow[];
  /** CloudTrail records, as the messages hold them; their events are among `logs` too. */
  cloudTrail: RoutedRecord[];
  logs: E[];
}

type GroupKind = 'flow' | 'cloudtrail' | 'logs';

/**
 * Routes the events of an exported or fetched log group. When most of its first hundred events are flow
 * records (flow logs delivered to CloudWatch Logs), its flow records go where flow logs go, so flow
 * queries and the IP pivot find them, keeping the event's time, stream and ID as Insights sees them.
 * When most are CloudTrail records (a trail delivering to CloudWatch Logs), each record also goes
 * where CloudTrail's go, so lookups and related events find it, stored once by its eventID with the S3
 * copies of the same event; the log events stay in the group, so Insights over it reads all of them
 * whatever was ingested before. Every other event stays a log event, so nothing is lost whatever a log
 * holds. Events arrive in batches (a large export is read in parts) and are held back until the group
 * is decided, so a file read whole or in parts is routed alike.
 */
export class LogGroupRouter {
  private held: LogEvent[] = [];
  private kind: GroupKind | undefined;

  route<E extends LogEvent>(events: E[], last: boolean): RoutedEvents<E> {
    let routed = events;
    if (this.kind === undefined) {
      this.held.push(...events);
      if (this.held.length < DECIDING_EVENTS && !last) return { flows: [], cloudTrail: [], logs: [] };
      this.kind = kindOf(this.held.slice(0, DECIDING_EVENTS));
      [routed, this.held] = [this.held as E[], []];
    }
    const result: RoutedEvents<E> = { flows: [], cloudTrail: [], logs: [] };
    for (const event of routed) {
      if (this.kind === 'flow') {
        const row = flowRowOf(event.message);
        if (row) {
          result.flows.push({ ...row, ts: event.ts, logStream: event.logStream, eventId: event.eventId });
          continue;
        }
      } else if (this.kind === 'cloudtrail') {
        const record = cloudTrailRecordOf(event.message);
        if (record) {
          result.cloudTrail.push(record);
          result.logs.push({ ...event, cloudTrailCopy: true });
          continue;
        }
      }
      result.logs.push(event);
    }
    return result;
  }
}

/**
 * A group is of the kind most of its deciding events are. Most, not all: anyone who may write to a trail's
 * log group could otherwise hide its events from lookups with one line of junk at the start.
 */
function kindOf(events: LogEvent[]): GroupKind {
  const most = (isOfKind: (message: string) => boolean): boolean => events.filter((e) => isOfKind(e.message)).length * 2 > events.length;
  if (most((m) => flowRowOf(m) !== undefined)) return 'flow';
  if (most((m) => cloudTrailRecordOf(m) !== undefined)) return 'cloudtrail';
  return 'logs';
}
