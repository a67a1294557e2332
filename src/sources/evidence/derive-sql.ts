import { ARN_NAME_PATTERN, INSTANCE_SET_TYPE, RESOURCE_PARAMETERS, S3_ARN_NAME_PATTERN } from '../../core/cloudtrail/derive';

/**
 * The SQL that turns staged raw CloudTrail records into `cloudtrail` rows. It evaluates, inside DuckDB,
 * the rules src/core/cloudtrail/derive.ts evaluates in JavaScript (generated from the same tables), so
 * ingesting a million records never parses them in JS. test/unit/evidence/parity.test.ts keeps both equal.
 */

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Scalar fields extracted in one pass; the position in this list is the index into `v`. */
const FIELDS = [
  'eventID',
  'eventTime',
  'eventVersion',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'readOnly',
  'eventType',
  'eventCategory',
  'managementEvent',
  'recipientAccountId',
  'requestID',
  'sharedEventID',
  'userIdentity.type',
  'userIdentity.arn',
  'userIdentity.accountId',
  'userIdentity.accessKeyId',
  'userIdentity.userName',
  'userIdentity.principalId',
  'userIdentity.sessionContext.sessionIssuer.arn',
  'responseElements.credentials.accessKeyId',
  '"@timestamp"',
] as const;
type Field = (typeof FIELDS)[number];

const v = (field: Field): string => `v[${FIELDS.indexOf(field) + 1}]`;

const PARAMETER_KEYS = [...new Set(RESOURCE_PARAMETERS.map((p) => p.key))];
const param = (key: string): string => `p[${PARAMETER_KEYS.indexOf(key) + 1}]`;
const jsonString = (json: string): string => `CASE WHEN json_type(${json}) = 'VARCHAR' THEN nullif(${json} ->> '$', '') END`;
const lastSegment = (text: string): string => `nullif(regexp_extract(${text}, '/([^/]*)$', 1), '')`;

const IDENTITY_TYPE = v('userIdentity.type');
const IS_SESSION = `${IDENTITY_TYPE} IN ('AssumedRole', 'FederatedUser')`;

const USERNAME = `CASE
  WHEN nullif(${v('userIdentity.userName')}, '') IS NOT NULL THEN ${v('userIdentity.userName')}
  WHEN ${IS_SESSION} THEN ${lastSegment(v('userIdentity.arn'))}
  WHEN ${IDENTITY_TYPE} = 'Root' THEN 'root' END`;

const SESSION_NAME = `CASE WHEN ${IS_SESSION} THEN coalesce(${lastSegment(v('userIdentity.arn'))},
  nullif(regexp_extract(${v('userIdentity.principalId')}, ':(.*)$', 1), '')) END`;

const PARAMETER_RESOURCES = RESOURCE_PARAMETERS.map((p) => {
  const value = jsonString(param(p.key));
  const name = p.eventSource ? `CASE WHEN ${v('eventSource')} = ${quote(p.eventSource)} THEN ${value} END` : value;
  return `{type: ${quote(p.type)}, name: ${name}}`;
}).join(',\n    ');

/** Resources in the order derive.ts lists them; the first mention of a name wins. */
/** `p` holds, after the parameters, the record's `resources` and the EC2 instance set (see below). */
const RECORD_RESOURCES = `p[${PARAMETER_KEYS.length + 1}]`;
const INSTANCE_ITEMS = `p[${PARAMETER_KEYS.length + 2}]`;

const ALL_RESOURCES = `list_transform(coalesce(json_extract(${RECORD_RESOURCES}, '$[*]'), []), r -> {type: nullif(r ->> 'type', ''), name: ${jsonString("r -> 'ARN'")}})
  || [${PARAMETER_RESOURCES}]
  || list_transform(coalesce(json_extract(${INSTANCE_ITEMS}, '$[*].instanceId'), []),
       i -> {type: ${quote(INSTANCE_SET_TYPE)}, name: ${jsonString('i')}})`;

/** Every JSON fragment the derivations need, extracted in one parse of the record. */
const FRAGMENT_PATHS = [...PARAMETER_KEYS.map((k) => `$.requestParameters.${k}`), '$.resources', '$.requestParameters.instancesSet.items'];

const arnName = (name: string): string =>
  `nullif(coalesce(nullif(regexp_extract(${name}, ${quote(S3_ARN_NAME_PATTERN)}, 1), ''), regexp_extract(${name}, ${quote(ARN_NAME_PATTERN)}, 1)), '')`;

/** The `cloudtrail` columns, in table order, as SQL over a relation `(file_id, log_group, raw JSON)`. */
export function cloudTrailRowsSql(staged: string): string {
  return `
SELECT event_id, event_time, event_version, event_source, event_name, aws_region, source_ip, user_agent,
  error_code, error_message, read_only, event_type, event_category, management_event, recipient_account_id,
  request_id, shared_event_id, identity_type, identity_arn, identity_account_id, access_key_id,
  identity_user_name, principal_id, issuer_arn, session_name, username, resources,
  list_distinct(list_filter(flatten(list_transform(resources, r -> [r.name, ${arnName('r.name')}])), k -> k IS NOT NULL)) AS resource_keys,
  minted_access_key_id, log_group, log_stream, file_id, raw
FROM (
  SELECT
    ${v('eventID')} AS event_id,
    date_trunc('second', TRY_CAST(coalesce(${v('eventTime')}, ${v('"@timestamp"')}) AS TIMESTAMPTZ)::TIMESTAMP) AS event_time,
    ${v('eventVersion')} AS event_version, ${v('eventSource')} AS event_source, ${v('eventName')} AS event_name,
    ${v('awsRegion')} AS aws_region, ${v('sourceIPAddress')} AS source_ip, ${v('userAgent')} AS user_agent,
    ${v('errorCode')} AS error_code, ${v('errorMessage')} AS error_message,
    TRY_CAST(${v('readOnly')} AS BOOLEAN) AS read_only, ${v('eventType')} AS event_type,
    ${v('eventCategory')} AS event_category, TRY_CAST(${v('managementEvent')} AS BOOLEAN) AS management_event,
    ${v('recipientAccountId')} AS recipient_account_id, ${v('requestID')} AS request_id,
    ${v('sharedEventID')} AS shared_event_id, ${IDENTITY_TYPE} AS identity_type,
    ${v('userIdentity.arn')} AS identity_arn, ${v('userIdentity.accountId')} AS identity_account_id,
    nullif(${v('userIdentity.accessKeyId')}, '') AS access_key_id, ${v('userIdentity.userName')} AS identity_user_name,
    ${v('userIdentity.principalId')} AS principal_id, ${v('userIdentity.sessionContext.sessionIssuer.arn')} AS issuer_arn,
    ${SESSION_NAME} AS session_name,
    ${USERNAME} AS username,
    list_filter(named, (r, i) -> list_position(list_transform(named, x -> x.name), r.name) = i) AS resources,
    nullif(${v('responseElements.credentials.accessKeyId')}, '') AS minted_access_key_id,
    log_group,
    ${v('recipientAccountId')} || '_CloudTrail_' || ${v('awsRegion')} AS log_stream,
    file_id, raw
  FROM (
    SELECT *, list_filter(${ALL_RESOURCES}, r -> r.name IS NOT NULL) AS named
    FROM (
      SELECT file_id, log_group, raw,
        json_extract_string(raw, [${FIELDS.map((f) => quote(`$.${f}`)).join(', ')}]) AS v,
        json_extract(raw, [${FRAGMENT_PATHS.map(quote).join(', ')}]) AS p
      FROM ${staged}
    )
  )
)`;
}

/** A prepared row is a CloudTrail event when it has an eventID and a parseable eventTime. */
export const VALID_EVENT = "event_id IS NOT NULL AND event_id <> '' AND event_time IS NOT NULL";

/**
 * Moves the valid rows of `prepared` into `cloudtrail`, keeping the first copy of each eventID, in time
 * order: S3 layouts are walked day by day, so the table stays nearly sorted by time and DuckDB skips
 * whole row groups for time-bounded lookups.
 */
export function insertCloudTrailSql(prepared: string): string {
  return `
INSERT INTO cloudtrail
SELECT * FROM ${prepared}
WHERE ${VALID_EVENT} AND event_id NOT IN (SELECT event_id FROM cloudtrail)
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY file_id) = 1
ORDER BY event_time`;
}
