/**
 * The evidence store's tables. Timestamps are DuckDB TIMESTAMP values holding UTC.
 *
 * Every record keeps its raw text (`raw` / `message`), so nothing is lost; the typed columns exist for
 * what LookupEvents, related-event pivots and Insights queries filter on. The Insights compiler reads
 * these column names, so change them only together with it.
 */
import { typedResourceKeysSql } from './derive-sql';

export const SCHEMA_VERSION = 1;

export const FLOW_V2_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/**
 * The pivot side table: one row per (key, event) for the identifiers related-event pivots follow. A key is
 * a one-letter kind, a colon and the value (KEY_KINDS). Rows are sorted by the key's MD5 so one key's rows
 * sit in one or two row groups, which DuckDB finds by their min/max hash (its min/max of a string column
 * keep only 8 bytes, too few to tell `p:arn:aws:...` keys apart). The columns after the key are what pivot
 * requests combine with it (lookup-sql.ts decides which requests it can answer). Insights events are left
 * out, as lookups leave them out. Rebuilt at the end of every ingest and dropped at its start, so it is
 * absent (and lookups scan the event columns) whenever it might be stale. Measured at a million events:
 * 2 to 4 ms a pivot against 15 to 50 ms for the column scans. Within a key, rows are in time and then ID
 * order, so the newest N of a key are its N largest rowids (lookupBatch compares integers, not structs).
 */
export const KEYS_TABLE = 'cloudtrail_keys';

/** The kinds of key in KEYS_TABLE and the `cloudtrail` expression each comes from. */
export const KEY_KINDS = {
  principal: { prefix: 'p:', values: ['identity_arn', 'issuer_arn'] },
  accessKey: { prefix: 'k:', values: ['access_key_id'] },
  sourceIp: { prefix: 'i:', values: ['source_ip'] },
  session: { prefix: 's:', values: ['session_name'] },
} as const;
export const RESOURCE_KEY_PREFIX = 'r:';
export const TYPED_RESOURCE_KEY_PREFIX = 't:';

const KEY_VALUES = Object.values(KEY_KINDS).flatMap((kind) => kind.values.map((column) => `'${kind.prefix}' || ${column}`));

/**
 * The side table is usable only where md5_number gives the hashes it was built with, so a store records
 * one with the table (KEYS_TABLE_SQL) and a reader compares (KEYS_TABLE_USABLE): no DuckDB upgrade can
 * silently empty a pivot. The record is also what says the table is there: an ingest deletes it with the
 * table (KEYS_TABLE_DROP_SQL), and reading one row of store_info is cheaper than asking the catalog.
 */
const KEYS_HASH_CHECK = 'keys_hash_check';
/** Hashed into the record as well, so a table built with other kinds of key is not read either (2: typed resources). */
const KEYS_TABLE_VERSION = 2;
const KEYS_CHECK_VALUE = `md5_number('${KEYS_HASH_CHECK} ${KEYS_TABLE_VERSION}')::VARCHAR`;

export const KEYS_TABLE_DROP_SQL = `
DELETE FROM store_info WHERE key = '${KEYS_HASH_CHECK}';
DROP TABLE IF EXISTS ${KEYS_TABLE}`;

export const KEYS_TABLE_SQL = `
CREATE OR REPLACE TABLE ${KEYS_TABLE} AS
  SELECT md5_number(key) AS key_hash, key, event_time, event_id, username, event_source, identity_arn, issuer_arn
  FROM (
    SELECT unnest(list_distinct(list_filter([${KEY_VALUES.join(', ')}]
        || list_transform(resource_keys, k -> '${RESOURCE_KEY_PREFIX}' || k)
        || list_transform(${typedResourceKeysSql('resources')}, k -> '${TYPED_RESOURCE_KEY_PREFIX}' || k), key -> key IS NOT NULL))) AS key,
      event_time, event_id, username, event_source, identity_arn, issuer_arn
    FROM cloudtrail
    WHERE coalesce(event_category, '') <> 'Insight')
  ORDER BY key_hash, event_time, event_id;
INSERT OR REPLACE INTO store_info VALUES ('${KEYS_HASH_CHECK}', ${KEYS_CHECK_VALUE})`;

export const KEYS_TABLE_USABLE = `
SELECT count(*) AS n FROM store_info WHERE key = '${KEYS_HASH_CHECK}' AND value = ${KEYS_CHECK_VALUE}`;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS store_info (key VARCHAR PRIMARY KEY, value VARCHAR);

-- Chain of custody: every file ingested, with its digest. Zip members are 'archive.zip!member/path'.
CREATE TABLE IF NOT EXISTS manifest (
  file_id INTEGER PRIMARY KEY,
  path VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  size BIGINT NOT NULL,
  format VARCHAR NOT NULL,
  log_group VARCHAR,
  records BIGINT NOT NULL,
  duplicates BIGINT NOT NULL,
  ingested_at TIMESTAMP NOT NULL,
  content_sha256 VARCHAR        -- of a gzip file read in JavaScript: the SHA-256 of what it holds
);
-- Stores made before gzip files were also known by their content.
ALTER TABLE manifest ADD COLUMN IF NOT EXISTS content_sha256 VARCHAR;

CREATE TABLE IF NOT EXISTS cloudtrail (
  event_id VARCHAR NOT NULL,
  event_time TIMESTAMP NOT NULL,
  event_version VARCHAR,
  event_source VARCHAR,
  event_name VARCHAR,
  aws_region VARCHAR,
  source_ip VARCHAR,
  user_agent VARCHAR,
  error_code VARCHAR,
  error_message VARCHAR,
  read_only BOOLEAN,
  event_type VARCHAR,
  event_category VARCHAR,
  management_event BOOLEAN,
  recipient_account_id VARCHAR,
  request_id VARCHAR,
  shared_event_id VARCHAR,
  identity_type VARCHAR,
  identity_arn VARCHAR,
  identity_account_id VARCHAR,
  access_key_id VARCHAR,
  identity_user_name VARCHAR,
  principal_id VARCHAR,
  issuer_arn VARCHAR,
  session_name VARCHAR,
  username VARCHAR,                                  -- LookupEvents Username (aws-api-reference A.6)
  resources STRUCT(type VARCHAR, name VARCHAR)[],    -- LookupEvents Resources
  resource_keys VARCHAR[],                           -- every ARN, name and identifier (the resource filter)
  minted_access_key_id VARCHAR,                      -- responseElements.credentials.accessKeyId
  log_group VARCHAR NOT NULL,
  log_stream VARCHAR,
  file_id INTEGER,
  raw JSON NOT NULL,
  -- Of a record read from a LookupEvents Event: that Event's own Username and Resources, as AWS gave them
  -- ({"Username": ..., "Resources": [{"ResourceType": ..., "ResourceName": ...}]}, only the usable ones),
  -- which username and resources prefer to the derived ones; kept beside the record, never in it. Last, as
  -- ALTER TABLE adds it to older stores.
  lookup_given JSON
);
-- Stores made before the Event's own values were kept (their events keep the derived ones).
ALTER TABLE cloudtrail ADD COLUMN IF NOT EXISTS lookup_given JSON;

CREATE TABLE IF NOT EXISTS flows (
  log_group VARCHAR NOT NULL,
  log_stream VARCHAR,
  file_id INTEGER,
  ts TIMESTAMP,                 -- start, as Insights' @timestamp for flow logs
  version INTEGER,
  account_id VARCHAR,
  interface_id VARCHAR,
  srcaddr VARCHAR,
  dstaddr VARCHAR,
  srcport INTEGER,
  dstport INTEGER,
  protocol INTEGER,
  packets BIGINT,
  bytes BIGINT,
  start BIGINT,
  "end" BIGINT,
  action VARCHAR,
  log_status VARCHAR,
  vpc_id VARCHAR,
  subnet_id VARCHAR,
  instance_id VARCHAR,
  tcp_flags INTEGER,
  type VARCHAR,
  pkt_srcaddr VARCHAR,
  pkt_dstaddr VARCHAR,
  region VARCHAR,
  az_id VARCHAR,
  sublocation_type VARCHAR,
  sublocation_id VARCHAR,
  pkt_src_aws_service VARCHAR,
  pkt_dst_aws_service VARCHAR,
  flow_direction VARCHAR,
  traffic_path INTEGER,
  ecs_cluster_arn VARCHAR,
  ecs_cluster_name VARCHAR,
  ecs_container_instance_arn VARCHAR,
  ecs_container_instance_id VARCHAR,
  ecs_container_id VARCHAR,
  ecs_second_container_id VARCHAR,
  ecs_service_name VARCHAR,
  ecs_task_definition_arn VARCHAR,
  ecs_task_arn VARCHAR,
  ecs_task_id VARCHAR,
  reject_reason VARCHAR,
  raw VARCHAR NOT NULL,         -- the line as written
  event_id VARCHAR              -- the CloudWatch Logs event ID of a record fetched with filter-log-events
);
-- Stores made before flow records could come from filter-log-events.
ALTER TABLE flows ADD COLUMN IF NOT EXISTS event_id VARCHAR;

-- CloudWatch Logs events of other log groups (Lambda and the rest).
CREATE TABLE IF NOT EXISTS logs (
  log_group VARCHAR NOT NULL,
  log_stream VARCHAR,
  file_id INTEGER,
  ts TIMESTAMP NOT NULL,
  ingestion_time TIMESTAMP,
  event_id VARCHAR,
  message VARCHAR NOT NULL,
  report_type VARCHAR,          -- Lambda @type: START, END, REPORT
  request_id VARCHAR,           -- Lambda @requestId
  duration DOUBLE,              -- ms
  billed_duration DOUBLE,       -- ms
  memory_size BIGINT,           -- bytes (MB x 1,000,000, as Insights reports it)
  max_memory_used BIGINT,       -- bytes
  init_duration DOUBLE,         -- ms, cold starts only
  cloudtrail_copy BOOLEAN       -- a CloudTrail record also stored in cloudtrail (a trail's log group)
);
-- Stores made before such copies were marked (they count them twice in Insights over every group).
ALTER TABLE logs ADD COLUMN IF NOT EXISTS cloudtrail_copy BOOLEAN;
`;
