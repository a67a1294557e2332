import { isObject } from '../../../core/json-shape';
import { InputError, isBlank, isoTime, numberedLines, type NumberedLine } from './content';

/**
 * CloudWatch Logs events of other log groups (Lambda and the rest) as an export task writes them
 * (`<prefix>/<task id>/<log stream>/000000.gz`, lines `ISO8601 message`) or as `aws logs
 * filter-log-events` prints them. Lambda's platform lines give Insights' @type, @requestId and the
 * REPORT figures (aws-api-reference B.7).
 */
export interface LogRow {
  ts: string;
  message: string;
  logStream?: string;
  ingestionTime?: string;
  eventId?: string;
  reportType?: string;
  requestId?: string;
  duration?: number;
  billedDuration?: number;
  memorySize?: number;
  maxMemoryUsed?: number;
  initDuration?: number;
  /** The event is a CloudTrail record stored as a CloudTrail event too (LogGroupRouter). */
  cloudTrailCopy?: boolean;
}

export interface ParsedLogs {
  rows: LogRow[];
  problems: Array<{ at: string; reason: string }>;
}

// An event with an empty message is its timestamp alone.
const EXPORT_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)(?: ([\s\S]*))?$/;
export const looksLikeExportLine = (line: string): boolean => EXPORT_LINE.test(line);

/** An export line's event start: its time, when that is a real one (a line starting `2026-13-45T...` is not). */
function exportEvent(line: string): { ts: string; message: string } | undefined {
  const match = EXPORT_LINE.exec(line);
  const ts = match ? isoTime(Date.parse(match[1])) : undefined;
  return match && ts ? { ts: match[1], message: match[2] ?? '' } : undefined;
}

const PLATFORM = /^(START|END|REPORT) RequestId: ([0-9a-fA-F-]{8,})/;
const MB = 1_000_000;

/** A REPORT figure; memory in whole bytes. A value no column can hold (`1.2.3`, 400 digits) is left out. */
function figure(message: string, label: string): number | undefined {
  const match = new RegExp(`${label}: ([0-9.]+) (ms|MB)`).exec(message);
  if (!match) return undefined;
  const value = match[2] === 'MB' ? Math.round(Number(match[1]) * MB) : Number(match[1]);
  return Number.isFinite(value) && value <= Number.MAX_SAFE_INTEGER ? value : undefined;
}

/** @type/@requestId for START/END/REPORT lines, and the REPORT figures (memory in bytes, as Insights). */
export function lambdaFields(message: string): Partial<LogRow> {
  const platform = PLATFORM.exec(message);
  if (!platform) return {};
  const fields: Partial<LogRow> = { reportType: platform[1], requestId: platform[2] };
  if (platform[1] === 'REPORT') {
    fields.duration = figure(message, 'Duration');
    fields.billedDuration = figure(message, 'Billed Duration');
    fields.memorySize = figure(message, 'Memory Size');
    fields.maxMemoryUsed = figure(message, 'Max Memory Used');
    fields.initDuration = figure(message, 'Init Duration');
  }
  return fields;
}

/**
 * Reads an export object in parts (batches of lines of a large file): a line starting with a timestamp
 * begins an event, other lines continue it, so the last event of a part is held back until the next part
 * shows whether it continues.
 */
export class ExportReader {
  private last?: LogRow;
  /** Blank lines after the last event's text: its own when more of its text follows, else dropped. */
  private blanks: string[] = [];

  constructor(private readonly logStream: string | undefined) {}

  read(lines: Iterable<NumberedLine>): ParsedLogs {
    const rows: LogRow[] = [];
    const problems: ParsedLogs['problems'] = [];
    for (const [line, content] of lines) {
      if (isBlank(content)) {
        if (this.last) this.blanks.push(content);
        continue;
      }
      const event = exportEvent(content);
      if (event) {
        if (this.last) rows.push(this.last);
        this.last = { ...event, logStream: this.logStream };
      } else if (this.last) this.last.message += ['', ...this.blanks, content].join('\n');
      else problems.push({ at: `line ${line}`, reason: 'does not start with an ISO 8601 timestamp' });
      this.blanks = [];
    }
    return { rows: rows.map(withLambdaFields), problems };
  }

  /** The event held back, after the last part. */
  finish(): LogRow[] {
    const last = this.last;
    this.last = undefined;
    this.blanks = [];
    return last ? [withLambdaFields(last)] : [];
  }
}

const withLambdaFields = (row: LogRow): LogRow => Object.assign(row, lambdaFields(row.message));

export function parseExport(text: string, logStream: string | undefined): ParsedLogs {
  const reader = new ExportReader(logStream);
  const parsed = reader.read(numberedLines(text));
  return { rows: [...parsed.rows, ...reader.finish()], problems: parsed.problems };
}

const isLogEvent = (e: unknown): boolean => isObject(e) && 'timestamp' in e && 'message' in e;

/** Recognized by its shape, not by every event being good: a damaged event costs only itself. */
export function isFilterLogEventsOutput(value: unknown): boolean {
  return isObject(value) && Array.isArray(value.events) && (value.events.length === 0 || 'searchedLogStreams' in value || value.events.some(isLogEvent));
}

/** `aws logs filter-log-events` output: `{"events":[{logStreamName,timestamp,message,ingestionTime,eventId}]}`. */
export function parseFilterLogEvents(value: unknown): ParsedLogs {
  if (!isFilterLogEventsOutput(value)) throw new InputError('not filter-log-events output');
  const parsed: ParsedLogs = { rows: [], problems: [] };
  (value as { events: unknown[] }).events.forEach((item, i) => {
    const event = isObject(item) ? item : {};
    const stream = typeof event.logStreamName === 'string' ? event.logStreamName : undefined;
    addEvent(parsed, `event ${i + 1}`, event, stream, event.eventId);
  });
  return parsed;
}

/** A log event of filter-log-events output or of a subscription message as a row, or the problem with it. */
function addEvent(parsed: ParsedLogs, at: string, event: Record<string, unknown>, logStream: string | undefined, eventId: unknown): void {
  const ts = typeof event.timestamp === 'number' ? isoTime(event.timestamp) : undefined;
  if (!ts || typeof event.message !== 'string') {
    parsed.problems.push({ at, reason: 'timestamp is not epoch milliseconds or message is not text' });
    return;
  }
  parsed.rows.push({
    ts,
    message: event.message.replace(/\n$/, ''),
    logStream,
    ingestionTime: typeof event.ingestionTime === 'number' ? isoTime(event.ingestionTime) : undefined,
    eventId: typeof eventId === 'string' ? eventId : undefined,
    ...lambdaFields(event.message),
  });
}

/**
 * A CloudWatch Logs subscription's message: what a subscription filter sends to Firehose, Kinesis or
 * Lambda, `{"messageType":"DATA_MESSAGE","logGroup":…,"logStream":…,"logEvents":[{id,timestamp,message}]}`
 * (Firehose writes them to S3 one after another), or a CONTROL_MESSAGE that only checks the destination.
 */
/**
 * How text of subscription messages opens (a file as Firehose writes them), a line that opens one, and
 * text that opens a DATA_MESSAGE (a control message's one event is only its health check).
 */
export const SUBSCRIPTION_START = /^\uFEFF?\s*\{\s*"messageType"\s*:\s*"(?:DATA|CONTROL)_MESSAGE"/;
export const SUBSCRIPTION_LINE = /^\{\s*"messageType"\s*:\s*"(?:DATA|CONTROL)_MESSAGE"/m;
export const DATA_MESSAGE_START = /^\uFEFF?\s*\{\s*"messageType"\s*:\s*"DATA_MESSAGE"/;

export function isSubscriptionMessage(value: unknown): value is Record<string, unknown> {
  return isObject(value) && (value.messageType === 'DATA_MESSAGE' || value.messageType === 'CONTROL_MESSAGE') && Array.isArray(value.logEvents);
}

/** The log events of one log group. */
export interface GroupEvents {
  logGroup: string;
  rows: LogRow[];
}

/**
 * The log events of subscription messages, by log group in the order they first appear (one subscription
 * can serve several groups); control messages hold none. `at` names each message in problems.
 */
export function parseSubscriptionMessages(messages: Array<{ message: Record<string, unknown>; at: string }>): { groups: GroupEvents[]; problems: ParsedLogs['problems'] } {
  const groups = new Map<string, ParsedLogs>();
  const problems: ParsedLogs['problems'] = [];
  for (const { message: value, at } of messages) {
    if (value.messageType === 'CONTROL_MESSAGE') continue;
    if (typeof value.logGroup !== 'string' || value.logGroup === '') {
      problems.push({ at, reason: 'a DATA_MESSAGE without its logGroup' });
      continue;
    }
    // Every group's bad events are reported in one list, in the file's order.
    const group = groups.get(value.logGroup) ?? { rows: [], problems };
    groups.set(value.logGroup, group);
    const stream = typeof value.logStream === 'string' ? value.logStream : undefined;
    (value.logEvents as unknown[]).forEach((item, i) => {
      const event = isObject(item) ? item : {};
      addEvent(group, `${at}, event ${i + 1}`, event, stream, event.id);
    });
  }
  // A DATA_MESSAGE may hold no events: its group then has none to show.
  return { groups: [...groups].filter(([, parsed]) => parsed.rows.length > 0).map(([logGroup, parsed]) => ({ logGroup, rows: parsed.rows })), problems };
}
