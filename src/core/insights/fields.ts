import type { SqlType } from './sql';
import { quote } from './sql';

/**
 * Fields as Logs Insights discovers them (aws-api-reference B.7), mapped onto the evidence store's three
 * tables. Typed columns are used where one holds exactly the field's value; any other dotted path of a
 * JSON record (CloudTrail always, other log events when the message is a JSON object) is extracted from
 * the raw text, so `requestParameters.bucketName` or `resources.0.ARN` work without a column. A field a
 * table cannot have is NULL there, which is how a query over several kinds of log group unions them.
 */
export type SourceTable = 'cloudtrail' | 'flows' | 'logs';

export const SOURCE_TABLES: SourceTable[] = ['cloudtrail', 'flows', 'logs'];

export interface FieldSql {
  sql: string;
  type: SqlType;
}

interface TableFields {
  timestamp: string;
  message: string;
  /** Where dotted paths not listed below come from, if anywhere. */
  json?: (path: string) => string;
  /** A Map, so a JSON key such as `constructor` or `__proto__` is never found on Object.prototype. */
  fields: Map<string, FieldSql>;
}

const s = (sql: string): FieldSql => ({ sql, type: 'str' });
const i = (sql: string): FieldSql => ({ sql, type: 'int' });
const f = (sql: string): FieldSql => ({ sql, type: 'float' });

/** VPC flow log fields under their Insights names (camelCase), including later-version fields. */
export const FLOW_FIELDS: Record<string, FieldSql> = {
  version: i('version'),
  accountId: s('account_id'),
  interfaceId: s('interface_id'),
  srcAddr: s('srcaddr'),
  dstAddr: s('dstaddr'),
  srcPort: i('srcport'),
  dstPort: i('dstport'),
  protocol: i('protocol'),
  packets: i('packets'),
  bytes: i('bytes'),
  start: i('start'),
  end: i('"end"'),
  // The discovered-fields documentation names start and end startTime and endTime; both spellings work.
  startTime: i('start'),
  endTime: i('"end"'),
  action: s('action'),
  logStatus: s('log_status'),
  vpcId: s('vpc_id'),
  subnetId: s('subnet_id'),
  instanceId: s('instance_id'),
  tcpFlags: i('tcp_flags'),
  type: s('type'),
  pktSrcAddr: s('pkt_srcaddr'),
  pktDstAddr: s('pkt_dstaddr'),
  region: s('region'),
  azId: s('az_id'),
  sublocationType: s('sublocation_type'),
  sublocationId: s('sublocation_id'),
  pktSrcAwsService: s('pkt_src_aws_service'),
  pktDstAwsService: s('pkt_dst_aws_service'),
  flowDirection: s('flow_direction'),
  trafficPath: i('traffic_path'),
  ecsClusterArn: s('ecs_cluster_arn'),
  ecsClusterName: s('ecs_cluster_name'),
  ecsContainerInstanceArn: s('ecs_container_instance_arn'),
  ecsContainerInstanceId: s('ecs_container_instance_id'),
  ecsContainerId: s('ecs_container_id'),
  ecsSecondContainerId: s('ecs_second_container_id'),
  ecsServiceName: s('ecs_service_name'),
  ecsTaskDefinitionArn: s('ecs_task_definition_arn'),
  ecsTaskArn: s('ecs_task_arn'),
  ecsTaskId: s('ecs_task_id'),
  rejectReason: s('reject_reason'),
};

/**
 * A value of a REPORT line's text (group 1 of the pattern), read by the queries that name it: no column,
 * so stores ingested before it was known have it too, and other queries pay nothing.
 */
const reportText = (pattern: string): FieldSql =>
  s(`CASE WHEN report_type = 'REPORT' THEN nullif(regexp_extract(message, ${quote(pattern)}, 1), '') END`);

/** Lambda platform REPORT fields. @memorySize and @maxMemoryUsed are bytes, as Insights reports them. */
export const LAMBDA_FIELDS: Record<string, FieldSql> = {
  '@type': s('report_type'),
  '@requestId': s('request_id'),
  '@duration': f('duration'),
  '@billedDuration': f('billed_duration'),
  '@memorySize': i('memory_size'),
  '@maxMemoryUsed': i('max_memory_used'),
  '@initDuration': f('init_duration'),
  // A traced invocation's REPORT line ends `XRAY TraceId: 1-…\tSegmentId: …\tSampled: true`.
  '@xrayTraceId': reportText('XRAY TraceId: (\\S+)'),
  '@xraySegmentId': reportText('XRAY TraceId: \\S+\\s+SegmentId: (\\S+)'),
};

/**
 * CloudTrail fields that have a column holding exactly the JSON value. Everything else is read from
 * the record, where JSON numbers and booleans arrive as strings, as they do in Insights.
 */
const CLOUDTRAIL_COLUMNS: Record<string, FieldSql> = {
  eventSource: s('event_source'),
  eventName: s('event_name'),
  awsRegion: s('aws_region'),
  eventID: s('event_id'),
};

/**
 * The JSON Pointer (RFC 6901) of a dotted Insights path. Insights flattens objects and arrays alike, so a
 * segment of digits is an object key (`codes.200`) or an array index (`resources.0.ARN`), whichever the
 * value has there: a pointer's segment means exactly that, where a JSONPath must choose.
 */
function jsonPointer(path: string[]): string {
  return path.map((seg) => `/${seg.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** `@ptr`: an opaque pointer, stable for a row of a store (table letter and row id). */
const ptr = (letter: string): FieldSql => s(`'${letter}' || CAST(rowid AS VARCHAR)`);

const TABLES: Record<SourceTable, TableFields> = {
  cloudtrail: {
    timestamp: 'event_time',
    message: 'CAST(raw AS VARCHAR)',
    json: (path) => `ts_leaf(raw, ${quote(path)})`,
    fields: new Map(Object.entries({
      ...CLOUDTRAIL_COLUMNS,
      '@logStream': s('log_stream'),
      // @log is '<account-id>:<log-group>'; the account is the one that received the event.
      '@log': s(`coalesce(recipient_account_id || ':', '') || log_group`),
      '@ptr': ptr('c'),
    })),
  },
  flows: {
    timestamp: 'ts',
    message: 'raw',
    fields: new Map(Object.entries({
      ...FLOW_FIELDS,
      '@logStream': s('log_stream'),
      '@log': s(`coalesce(account_id || ':', '') || log_group`),
      '@ptr': ptr('f'),
    })),
  },
  logs: {
    timestamp: 'ts',
    message: 'message',
    json: (path) => `ts_json_field(message, ${quote(path)})`,
    fields: new Map(Object.entries({
      ...LAMBDA_FIELDS,
      '@logStream': s('log_stream'),
      '@log': s('log_group'),
      '@ingestionTime': { sql: 'ingestion_time', type: 'ts' },
      '@ptr': ptr('l'),
    })),
  },
};

/** How a table provides a field, or undefined when it cannot have it (NULL in a union). */
/** A field's SQL in a table: a system field, a column, or a JSON path of one of the name's spellings. */
export function sourceField(table: SourceTable, name: string, spellings: string[][]): FieldSql | undefined {
  const t = TABLES[table];
  if (name === '@timestamp') return { sql: t.timestamp, type: 'ts' };
  if (name === '@message') return s(t.message);
  const column = t.fields.get(name);
  if (column) return column;
  const keys = spellings.map((path) => jsonKey(name, path)).filter((key): key is string[] => key !== undefined);
  if (!t.json || keys.length === 0) return undefined;
  const candidates = keys.flatMap(meanings);
  const paths = candidates.filter((c, i) => candidates.findIndex((d) => d.join('\u0000') === c.join('\u0000')) === i).map((p) => t.json!(jsonPointer(p)));
  return s(paths.length === 1 ? paths[0] : `coalesce(${paths.join(', ')})`);
}

/**
 * The JSON paths a name given with a dot inside backticks may mean. Insights names a JSON field by its
 * flattened, dotted name, so `userIdentity.arn` in backticks is the nested path (and
 * `requestParameters.x-amz-acl` reaches the key x-amz-acl), but a key that holds a dot itself
 * (`k8s.pod`, OpenTelemetry's flat keys) is reachable only that way: nested first, then as written,
 * then the whole name as one key. A name without such a segment means only its path; a segment with an
 * empty part (`a..b`) is only ever a key of its own.
 */
function meanings(path: string[]): string[][] {
  if (!path.some((segment) => segment.includes('.'))) return [path];
  const split = (segment: string): string[] => (segment.split('.').every((part) => part !== '') ? segment.split('.') : [segment]);
  return [path.flatMap(split), path, [path.join('.')]];
}

/**
 * The JSON path of a field, or undefined for a system field. A JSON key that starts with '@' is the
 * field with one more '@' (B.7: `@version` in the JSON is `@@version`), so it never hides a system field.
 */
function jsonKey(name: string, path: string[]): string[] | undefined {
  if (name.startsWith('@@')) return [path[0].slice(1), ...path.slice(1)];
  return name.startsWith('@') ? undefined : path;
}

/** The table's time column and name, for the scan's WHERE clause. */
export function tableTimestamp(table: SourceTable): string {
  return TABLES[table].timestamp;
}

/** Field names the editor offers, by the kind of log they come from. */
/** A field of these tables whose name differs from `name` only in case, `-` or `_` (`dstaddr`, `pkt-srcaddr`). */
export function similarField(name: string, tables: SourceTable[]): string | undefined {
  const plain = (text: string): string => text.toLowerCase().replace(/[-_]/g, '');
  return tables.flatMap((t) => [...TABLES[t].fields.keys()]).find((field) => plain(field) === plain(name));
}

export const KNOWN_FIELDS = {
  system: ['@timestamp', '@message', '@logStream', '@log', '@ingestionTime', '@ptr'],
  flows: Object.keys(FLOW_FIELDS),
  lambda: Object.keys(LAMBDA_FIELDS),
  cloudtrail: [
    'eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode',
    'errorMessage', 'requestID', 'eventID', 'eventType', 'eventCategory', 'readOnly', 'managementEvent',
    'recipientAccountId', 'sharedEventID', 'vpcEndpointId', 'userIdentity.type', 'userIdentity.arn',
    'userIdentity.accountId', 'userIdentity.accessKeyId', 'userIdentity.principalId', 'userIdentity.userName',
    'userIdentity.invokedBy', 'userIdentity.sessionContext.sessionIssuer.arn',
    'userIdentity.sessionContext.sessionIssuer.userName', 'userIdentity.sessionContext.attributes.mfaAuthenticated',
    'requestParameters.bucketName', 'requestParameters.userName', 'requestParameters.roleName',
    'requestParameters.name', 'responseElements.credentials.accessKeyId', 'responseElements.ConsoleLogin',
    'additionalEventData.MFAUsed', 'resources.0.ARN', 'tlsDetails.tlsVersion', 'tlsDetails.cipherSuite',
  ],
};
