import { recordsOfItems, recordsOfLines, type ParsedRecords } from './cloudtrail';
import { InputError, jsonInputError, type NumberedLine } from './content';
import { DATA_MESSAGE_START, ExportReader, type LogRow } from './cwlogs';
import { FlowLogReader } from './flow';
import { LogGroupRouter } from './log-group-router';
import { exportLocation } from './log-groups';
import { arrayItems, recordArray, type ItemBatch, type RecordArray } from './array-items';
import { bufferContent, CUT_LINE, lineBatches, type LineFormat } from './stream';
import type { BatchWriter, PendingFile } from './writer';

/**
 * The parts a large file is read in: each stages one batch of its lines or records in the writer and
 * says how many rows that gave; bad lines and records go to `problems`, named by number.
 */
export type Problem = { at: string; reason: string };
export type StagePart = () => Promise<number>;

/**
 * A large line-format file: its lines in batches, parsed by the format's reader, which keeps its state
 * between batches. An export's events are routed as a small one's are (LogGroupRouter).
 */
export async function* lineParts(writer: BatchWriter, file: PendingFile, format: LineFormat, content: AsyncIterable<Buffer>, partBytes: number, problems: Problem[], cutShort: () => boolean): AsyncGenerator<StagePart> {
  const flows = format === 'vpc-flow' ? new FlowLogReader() : undefined;
  const logs = format === 'cloudwatch-export' ? new ExportReader(exportLocation(file.path)?.logStream) : undefined;
  const router = new LogGroupRouter();
  const stageLogs = (events: LogRow[], last = false): Promise<number> => writer.appendLogEvents(file, router.route(events, last));
  // A cut JSON line is no JSON, and says so; a cut flow record or log line would read as a whole one.
  const leaveOutCutLine = (line: number): boolean => {
    if (format === 'cloudtrail-lines' || !cutShort()) return false;
    problems.push({ at: `line ${line}`, reason: CUT_LINE });
    return true;
  };
  for await (const lines of lineBatches(content, partBytes, { leaveOutCutLine })) {
    yield async () => {
      if (flows) {
        const parsed = flows.read(lines);
        problems.push(...parsed.problems);
        await writer.appendFlows(file, parsed.rows);
        return parsed.rows.length;
      }
      if (logs) {
        const parsed = logs.read(lines);
        problems.push(...parsed.problems);
        return stageLogs(parsed.rows);
      }
      const parsed = await recordsOfJsonLines(lines);
      problems.push(...parsed.problems);
      await writer.appendCloudTrail(file, parsed.records);
      return parsed.records.length;
    };
  }
  flows?.finish();
  if (logs) yield () => stageLogs(logs.finish(), true);
}

const FOLLOWED = 'what follows is not another document of the same kind, and is not read: a file this large is read document by document only while each holds its records as the first does; split it into one file per document';

/** A large JSON document: its records in batches, each record parsed on its own. */
export async function* itemParts(writer: BatchWriter, file: PendingFile, array: RecordArray, content: AsyncIterable<Buffer>, partBytes: number, problems: Problem[]): AsyncGenerator<StagePart> {
  for await (const batch of arrayItems(content, array, partBytes)) {
    yield async () => {
      const parsed = batchRecords(batch, array.shape);
      problems.push(...parsed.problems);
      await writer.appendCloudTrail(file, parsed.records);
      return parsed.records.length;
    };
  }
}

/**
 * JSON Lines of records (recordsOfLines). A line that opens an array of records but is not valid JSON (an
 * S3 log file a line, `jq -c`, cut short or with one record broken) keeps its whole records, as a file
 * of that one document does; they follow the other lines' records.
 */
export async function recordsOfJsonLines(lines: Iterable<NumberedLine>): Promise<ParsedRecords> {
  const damaged: Array<{ line: number; content: string; reason: string; array: RecordArray }> = [];
  const result = recordsOfLines(lines, (line, content, reason) => {
    const array = recordArray(content);
    if (array) damaged.push({ line, content, reason, array });
    return array !== undefined;
  });
  for (const { line, content, reason, array } of damaged) {
    const parsed = await recordsOfArrayText(content, array);
    if (parsed.records.length === 0) {
      result.problems.push({ at: `line ${line}`, reason });
      continue;
    }
    result.records.push(...parsed.records);
    result.problems.push(...parsed.problems.map((p) => ({ at: `line ${line}, ${p.at}`, reason: p.reason })));
  }
  return result;
}

/**
 * A subscription's DATA_MESSAGE that is not valid JSON (the last of a Firehose object cut short, or one
 * event broken): its log group and stream, written before its events, and each of its events that is
 * whole, read as a large array is. Undefined when the text is no such message or names no events.
 */
export async function damagedSubscriptionMessage(text: string): Promise<{ message: Record<string, unknown>; problems: Problem[] } | undefined> {
  const events = DATA_MESSAGE_START.test(text) ? /"logEvents"\s*:\s*\[/.exec(text) : null;
  if (!events) return undefined;
  const before = text.slice(0, events.index);
  // A value that is no valid JSON string (a raw tab in it) names nothing: the message is reported without it.
  const member = (key: string): unknown => {
    const found = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(before);
    try {
      return found ? JSON.parse(found[1]) : undefined;
    } catch {
      return undefined;
    }
  };
  const logEvents: unknown[] = [];
  const problems: Problem[] = [];
  const array: RecordArray = { shape: 'array', prefixBytes: Buffer.byteLength(text.slice(0, events.index + events[0].length)) };
  let next = 1;
  try {
    for await (const batch of arrayItems(bufferContent(Buffer.from(text)), array, Infinity)) {
      next = batch.first + batch.items.length;
      batch.items.forEach((item, i) => {
        try {
          logEvents.push(JSON.parse(item));
        } catch {
          problems.push({ at: `event ${batch.first + i}`, reason: jsonInputError(item, 'invalid JSON in the event').message });
        }
      });
      if (batch.truncated) problems.push({ at: `event ${batch.first + batch.items.length}`, reason: 'the message ends here, cut short (truncated)' });
    }
  } catch (error) {
    // An event too large to be one: the events before it are kept.
    if (!(error instanceof InputError)) throw error;
    problems.push({ at: `event ${next}`, reason: error.message });
  }
  if (logEvents.length === 0) return undefined;
  return { message: { messageType: 'DATA_MESSAGE', logGroup: member('logGroup'), logStream: member('logStream'), logEvents }, problems };
}

/**
 * The records of a text that opens an array of records but is not valid JSON (cut short, or one record
 * broken), read record by record as a large file is: a bad record costs only itself.
 */
export async function recordsOfArrayText(text: string, array: RecordArray): Promise<ParsedRecords> {
  const result: ParsedRecords = { records: [], problems: [] };
  for await (const batch of arrayItems(bufferContent(Buffer.from(text)), array, Infinity)) {
    const parsed = batchRecords(batch, array.shape);
    result.records.push(...parsed.records);
    result.problems.push(...parsed.problems);
  }
  return result;
}

function batchRecords(batch: ItemBatch, shape: RecordArray['shape']): ParsedRecords {
  const parsed = recordsOfItems(batch.items, shape, batch.first);
  const next = `record ${batch.first + batch.items.length}`;
  if (batch.truncated) parsed.problems.push({ at: next, reason: 'the document ends here, cut short (truncated)' });
  if (batch.followed) parsed.problems.push({ at: next, reason: FOLLOWED });
  return parsed;
}
