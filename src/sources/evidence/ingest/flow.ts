import { FLOW_V2_FIELDS } from '../schema';
import { InputError, isoTime, numberedLines, type NumberedLine } from './content';

/**
 * VPC flow log text (aws-api-reference part C): the S3 files' header line names the fields in format
 * order, so custom formats map by name; without a header the default version 2 order applies. `-` is
 * NULL, never a number. NODATA and SKIPDATA rows are kept: they say the interface had no (logged) traffic.
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
  /** The record's start as ISO 8601, Insights' @timestamp for flow logs. */
  ts?: string;
  raw: string;
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

/** Whether the first line is a flow-log header (field names) or a default-format record. */
export function looksLikeFlowLog(firstLine: string): boolean {
  const tokens = firstLine.trim().split(/\s+/);
  if (tokens.length >= 3 && tokens.every((t) => FIELD_NAME.test(t))) {
    return tokens.filter((t) => known.has(t)).length >= Math.min(3, tokens.length);
  }
  return tokens.length === FLOW_V2_FIELDS.length && tokens[0] === '2' && /^eni-|^-$/.test(tokens[2]);
}

/**
 * Reads a flow log in parts (batches of lines of a large file), keeping the header's fields from one part
 * to the next.
 */
export class FlowLogReader {
  private fields?: FlowField[];

  read(lines: Iterable<NumberedLine>): ParsedFlows {
    const result: ParsedFlows = { rows: [], problems: [] };
    for (const [line, content] of lines) {
      const tokens = content.trim().split(/\s+/);
      if (this.fields === undefined) {
        if (tokens.every((t) => FIELD_NAME.test(t))) {
          const unknown = tokens.filter((t) => !known.has(t));
          if (unknown.length > 0) throw new InputError(`unknown flow log field(s) in header: ${unknown.join(', ')}`);
          this.fields = tokens as FlowField[];
          continue;
        }
        this.fields = [...FLOW_V2_FIELDS];
      }
      const fields = this.fields;
      if (tokens.length !== fields.length) {
        result.problems.push({ at: `line ${line}`, reason: `${tokens.length} fields where the format has ${fields.length}` });
        continue;
      }
      const values: Partial<Record<FlowField, string>> = {};
      fields.forEach((field, i) => {
        if (tokens[i] !== '-') values[field] = tokens[i];
      });
      const problem = fields.map((field) => values[field] === undefined ? undefined : badValue(field, values[field])).find((p) => p);
      const ts = values.start === undefined ? undefined : isoTime(Number(values.start) * 1000);
      if (problem || (values.start !== undefined && ts === undefined)) {
        result.problems.push({ at: `line ${line}`, reason: problem ?? 'start is not a time' });
        continue;
      }
      result.rows.push({ line, values, ts, raw: content });
    }
    return result;
  }

  /** Called after the last part: a file without even a header is no flow log. */
  finish(): void {
    if (this.fields === undefined) throw new InputError('empty flow log');
  }
}

export function parseFlowLog(text: string): ParsedFlows {
  const reader = new FlowLogReader();
  const result = reader.read(numberedLines(text));
  reader.finish();
  return result;
}
