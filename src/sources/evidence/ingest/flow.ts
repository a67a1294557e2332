import { FLOW_V2_FIELDS } from '../schema';
import { InputError, isoTime, numberedLines, type NumberedLine } from './content';

/**
 * VPC flow log text (aws-api-reference part C): the S3 files' header line names the fields in format
 * order, so custom formats map by name, and fields this version does not know stay in the raw text only;
 * without a header the default version 2 order applies. `-` is NULL, never a number. NODATA and SKIPDATA
 * rows are kept: they say the interface had no (logged) traffic.
 */
export const FLOW_FIELDS = [
  ...FLOW_V2_FIELDS,
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
  'ecs-cluster-arn',
  'ecs-cluster-name',
  'ecs-container-instance-arn',
  'ecs-container-instance-id',
  'ecs-container-id',
  'ecs-second-container-id',
  'ecs-service-name',
  'ecs-task-definition-arn',
  'ecs-task-arn',
  'ecs-task-id',
  'reject-reason',
] as const;
export type FlowField = (typeof FLOW_FIELDS)[number];

/** The `flows` column of a field: `log-status` → `log_status`. */
export const flowColumn = (field: FlowField): string => field.replaceAll('-', '_');

export interface FlowRow {
  line: number;
  values: Partial<Record<FlowField, string>>;
  /** Insights' @timestamp: the record's start as ISO 8601, or its log event's time in CloudWatch Logs. */
  ts?: string;
  raw: string;
  /** Set for a record that was a CloudWatch Logs event: its stream and, when fetched, its event ID. */
  logStream?: string;
  eventId?: string;
}

export interface ParsedFlows {
  rows: FlowRow[];
  problems: Array<{ at: string; reason: string }>;
}

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

/** The numeric fields, by the largest value their `flows` column (INTEGER or BIGINT) holds. */
const NUMERIC_LIMITS: Partial<Record<FlowField, bigint>> = {
  ...Object.fromEntries(['version', 'srcport', 'dstport', 'protocol', 'tcp-flags', 'traffic-path'].map((f) => [f, 2n ** 31n - 1n])),
  ...Object.fromEntries(['packets', 'bytes', 'start', 'end'].map((f) => [f, 2n ** 63n - 1n])),
};

/** Why a field's value cannot be stored, or undefined when it can. */
function badValue(field: FlowField, value: string): string | undefined {
  const limit = NUMERIC_LIMITS[field];
  if (limit === undefined) return undefined;
  if (!/^-?\d{1,20}$/.test(value)) return `${field} is not a whole number`;
  const n = BigInt(value);
  return n > limit || n < -limit - 1n ? `${field} is out of range` : undefined;
}
const known = new Set<string>(FLOW_FIELDS);

/**
 * The columns a header line names, in order: each position's field, or undefined for a field this version
 * does not know (a newer AWS field, or anything else). Nothing is lost: its values stay in the record's raw
 * text, which Insights' `parse @message` reads; the flows table and Insights' flow fields are the known
 * fields only. Undefined when the line is no header: three or more lowercase names of which three or more
 * are known fields. No record of today's fields looks like that, even in a custom format: a value that is
 * a field name can only be a free-text ECS name (cluster, service), and a format has two of those at most.
 */
function headerColumns(tokens: readonly string[]): Array<FlowField | undefined> | undefined {
  if (tokens.length < 3 || !tokens.every((t) => FIELD_NAME.test(t))) return undefined;
  const columns = tokens.map((t) => (known.has(t) ? (t as FlowField) : undefined));
  return columns.filter((c) => c !== undefined).length >= 3 ? columns : undefined;
}

/** Whether the first line is a flow-log header (field names) or a default-format record. */
export function looksLikeFlowLog(firstLine: string): boolean {
  const tokens = firstLine.trim().split(/\s+/);
  if (headerColumns(tokens)) return true;
  return tokens.length === FLOW_V2_FIELDS.length && tokens[0] === '2' && /^eni-|^-$/.test(tokens[2]);
}

/**
 * Reads a flow log in parts (batches of lines of a large file), keeping the header's columns from one part
 * to the next. A header line anywhere switches the columns for the lines after it, so flow logs joined
 * into one file (`cat`, or a gzip file of several members) each keep their own format; lines before any
 * header are in the default version 2 format.
 */
export class FlowLogReader {
  private columns?: Array<FlowField | undefined>;

  read(lines: Iterable<NumberedLine>): ParsedFlows {
    const result: ParsedFlows = { rows: [], problems: [] };
    for (const [line, content] of lines) {
      const trimmed = content.trim();
      if (trimmed === '') continue;
      const tokens = trimmed.split(/\s+/);
      const header = headerColumns(tokens);
      if (header) {
        this.columns = header;
        continue;
      }
      this.columns ??= [...FLOW_V2_FIELDS];
      const columns = this.columns;
      if (tokens.length !== columns.length) {
        result.problems.push({ at: `line ${line}`, reason: `${tokens.length} fields where the format has ${columns.length}` });
        continue;
      }
      const values: Partial<Record<FlowField, string>> = {};
      columns.forEach((field, i) => {
        if (field !== undefined && tokens[i] !== '-') values[field] = tokens[i];
      });
      const problem = columns.map((field) => field === undefined || values[field] === undefined ? undefined : badValue(field, values[field])).find((p) => p);
      // The record's time is its start, as in CloudWatch Logs; a format without start has its end.
      const timeField = values.start !== undefined ? 'start' : 'end';
      const ts = values[timeField] === undefined ? undefined : isoTime(Number(values[timeField]) * 1000);
      if (problem || (values[timeField] !== undefined && ts === undefined)) {
        result.problems.push({ at: `line ${line}`, reason: problem ?? `${timeField} is not a time` });
        continue;
      }
      result.rows.push({ line, values, ts, raw: content });
    }
    return result;
  }

  /** Called after the last part: a file without even a header is no flow log. */
  finish(): void {
    if (this.columns === undefined) throw new InputError('empty flow log');
  }
}

export function parseFlowLog(text: string): ParsedFlows {
  const reader = new FlowLogReader();
  const result = reader.read(numberedLines(text));
  reader.finish();
  return result;
}
