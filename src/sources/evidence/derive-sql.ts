import { createHash } from 'node:crypto';
import {
  ARN_NAME_PATTERN,
  EACH,
  INSTANCE_SET_TYPE,
  RESOURCE_PARAMETER_LISTS,
  RESOURCE_PARAMETERS,
  RESOURCE_TYPE_PATTERN,
  RESPONSE_RESOURCES,
  S3_ARN_NAME_PATTERN,
  S3_BUCKET_TYPE,
  type ResourceParameter,
} from '../../core/cloudtrail/derive';
import { quote } from '../../core/insights/sql';

/**
 * The SQL that turns staged raw CloudTrail records into `cloudtrail` rows. It evaluates, inside DuckDB,
 * the rules src/core/cloudtrail/derive.ts evaluates in JavaScript (generated from the same tables), so
 * ingesting a million records never parses them in JS. test/unit/evidence/parity.test.ts keeps both equal.
 */

const PARAMETER_KEYS = [...new Set(RESOURCE_PARAMETERS.map((p) => p.key))];

type FieldType = string | FieldType[] | { [key: string]: FieldType };

/** The json_transform type that reads a RESPONSE_RESOURCES path: a JSON leaf, lists for EACH. */
const typeOfPath = (path: readonly string[]): FieldType =>
  path.length === 0 ? 'JSON' : path[0] === EACH ? [typeOfPath(path.slice(1))] : { [path[0]]: typeOfPath(path.slice(1)) };

/** Two json_transform types as one; they must agree where they overlap. */
function mergeTypes(a: FieldType, b: FieldType): FieldType {
  if (Array.isArray(a) && Array.isArray(b)) return [mergeTypes(a[0], b[0])];
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const merged = { ...a };
    for (const [key, type] of Object.entries(b)) merged[key] = key in merged ? mergeTypes(merged[key], type) : type;
    return merged;
  }
  if (a === b) return a;
  throw new Error(`derive-sql: conflicting types ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
}

const RESPONSE_TYPE = RESPONSE_RESOURCES.reduce<FieldType>((type, r) => mergeTypes(type, typeOfPath(r.path)), { credentials: { accessKeyId: 'VARCHAR' } });

/**
 * What the derivations read from a record, as a json_transform type: one pass over each record, much
 * cheaper than looking up dozens of paths. Keys match case-sensitively and the first of duplicate keys
 * wins, as with json_extract. A VARCHAR holds a string's text or any other value as JSON text (as
 * json_extract_string); a JSON field keeps the fragment, so that only JSON strings become resource names.
 * A value of another shape than declared (a string where an object is expected) reads as NULL.
 */
const RECORD_TYPE = {
  ...Object.fromEntries(
    ['eventID', 'eventTime', 'eventVersion', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode',
      'errorMessage', 'readOnly', 'eventType', 'eventCategory', 'managementEvent', 'recipientAccountId', 'requestID', 'sharedEventID',
      '@timestamp'].map((key) => [key, 'VARCHAR']),
  ),
  userIdentity: {
    type: 'VARCHAR', arn: 'VARCHAR', accountId: 'VARCHAR', accessKeyId: 'VARCHAR', userName: 'VARCHAR', principalId: 'VARCHAR',
    sessionContext: { sessionIssuer: { arn: 'VARCHAR' } },
  },
  responseElements: RESPONSE_TYPE,
  requestParameters: {
    ...Object.fromEntries(PARAMETER_KEYS.map((key) => [key, 'JSON'])),
    instancesSet: { items: [{ instanceId: 'JSON' }] },
    ...Object.fromEntries(RESOURCE_PARAMETER_LISTS.map((p) => [p.key, ['JSON']])),
  },
  resources: [{ type: 'JSON', ARN: 'JSON' }],
};

/** The text of a JSON fragment when it is a non-empty JSON string (derive.ts's `str`), else NULL. */
const jsonString = (json: string): string => `CASE WHEN json_type(${json}) = 'VARCHAR' THEN nullif(${json} ->> '$', '') END`;
const lastSegment = (text: string): string => `nullif(regexp_extract(${text}, '/([^/]*)$', 1), '')`;

const IDENTITY_TYPE = 't.userIdentity.type';
const IS_SESSION = `${IDENTITY_TYPE} IN ('AssumedRole', 'FederatedUser')`;

const SESSION_NAME = `CASE WHEN ${IS_SESSION} THEN coalesce(${lastSegment('t.userIdentity.arn')},
  nullif(regexp_extract(t.userIdentity.principalId, ':(.*)$', 1), '')) END`;

/** derive.ts insightDetailOf, where the record has no such key. */
const orInsightDetail = (key: 'eventName' | 'eventSource'): string =>
  `coalesce(t.${key}, CASE WHEN t.eventCategory = 'Insight' THEN ${jsonString(`json_extract(raw, '$.insightDetails.${key}')`)} END)`;

/** derive.ts usernameOf. */
const USERNAME = `CASE
  WHEN ${IDENTITY_TYPE} = 'Root' THEN 'root'
  WHEN nullif(t.userIdentity.userName, '') IS NOT NULL THEN t.userIdentity.userName
  WHEN ${IS_SESSION} THEN ${SESSION_NAME} END`;

/** The candidates of a `{type, name}` list that have a name; lists are concatenated only once filtered (cheaper). */
const named = (candidates: string): string => `list_filter(${candidates}, r -> r.name IS NOT NULL)`;
/** Most records have no `resources` and no instance set: their list work is skipped. */
const unlessNull = (list: string, derived: string): string => `CASE WHEN ${list} IS NULL THEN [] ELSE ${derived} END`;

const RECORD_RESOURCES = unlessNull('t.resources', named(`list_transform(t.resources, r -> {type: ${jsonString('r.type')}, name: ${jsonString('r.ARN')}})`));

const parameterApplies = (p: ResourceParameter): string => (p.eventSource ? ` AND t.eventSource = ${quote(p.eventSource)}` : '');

/** A candidate is built only when its parameter is there (the list is mostly absent ones, left NULL). */
const PARAMETER_RESOURCES = unlessNull('t.requestParameters', named(`[${RESOURCE_PARAMETERS.map((p) => {
  const value = `t.requestParameters.${p.key}`;
  return `CASE WHEN ${value} IS NOT NULL${parameterApplies(p)} THEN {type: ${quote(p.type)}, name: ${jsonString(value)}} END`;
}).join(',\n    ')}]`));

const INSTANCES = 't.requestParameters.instancesSet.items';
const INSTANCE_RESOURCES = unlessNull(INSTANCES, named(`list_transform(${INSTANCES}, i -> {type: ${quote(INSTANCE_SET_TYPE)}, name: ${jsonString('i.instanceId')}})`));

/** Nearly every record has none of these lists: the list work is left to those that do. */
const LIST_RESOURCES = RESOURCE_PARAMETER_LISTS.map((p) => {
  const list = `t.requestParameters.${p.key}`;
  return `CASE WHEN ${list} IS NOT NULL${parameterApplies(p)} THEN ${named(`list_transform(${list}, x -> {type: ${quote(p.type)}, name: ${jsonString('x')}})`)} ELSE [] END`;
}).join(' || ');

const fieldPath = (base: string, path: readonly string[]): string => [base, ...path].join('.');

/**
 * The RESPONSE_RESOURCES candidates, in table order: one list literal for each run of single identifiers,
 * a list_transform for a path through EACH. Rows that hold none of the paths (nearly all: most responses
 * are null or name nothing listed) skip the list work on a few IS NULL tests.
 */
function responseResources(): string {
  const parts: string[] = [];
  const present: string[] = [];
  let single: string[] = [];
  const flush = (): void => {
    if (single.length) parts.push(`[${single.join(', ')}]`);
    single = [];
  };
  for (const r of RESPONSE_RESOURCES) {
    const applies = `t.eventSource = ${quote(r.eventSource)}`;
    const each = r.path.indexOf(EACH);
    if (each === -1) {
      const value = fieldPath('t.responseElements', r.path);
      present.push(value);
      single.push(`CASE WHEN ${value} IS NOT NULL AND ${applies} THEN {type: ${quote(r.type)}, name: ${jsonString(value)}} END`);
      continue;
    }
    if (r.path.indexOf(EACH, each + 1) !== -1) throw new Error(`derive-sql: more than one ${EACH} in ${r.path.join('.')}`);
    const list = fieldPath('t.responseElements', r.path.slice(0, each));
    const item = fieldPath('x', r.path.slice(each + 1));
    present.push(list);
    flush();
    parts.push(`CASE WHEN ${list} IS NOT NULL AND ${applies} THEN list_transform(${list}, x -> {type: ${quote(r.type)}, name: ${jsonString(item)}}) ELSE [] END`);
  }
  flush();
  return `CASE WHEN ${[...new Set(present)].map((p) => `${p} IS NULL`).join(' AND ')} THEN [] ELSE ${named(parts.join('\n    || '))} END`;
}

const RESPONSE_RESOURCES_SQL = responseResources();

/** Resources in the order derive.ts lists them (the first mention of a name wins, below). */
const ALL_RESOURCES = `${RECORD_RESOURCES}\n  || ${PARAMETER_RESOURCES}\n  || ${INSTANCE_RESOURCES}\n  || ${LIST_RESOURCES}\n  || ${RESPONSE_RESOURCES_SQL}`;

const arnName = (name: string): string =>
  `nullif(coalesce(nullif(regexp_extract(${name}, ${quote(S3_ARN_NAME_PATTERN)}, 1), ''), regexp_extract(${name}, ${quote(ARN_NAME_PATTERN)}, 1)), '')`;

/** derive.ts typedResourceKeysOf over a `resources` column, for the typedResource filter and the side table. */
export function typedResourceKeysSql(resources: string): string {
  const keyType = `CASE WHEN regexp_matches(r.name, ${quote(S3_ARN_NAME_PATTERN)}) THEN ${quote(S3_BUCKET_TYPE)} ELSE r.type END`;
  const key = `CASE WHEN regexp_matches(${keyType}, ${quote(RESOURCE_TYPE_PATTERN)}) THEN ${keyType} || ' ' || coalesce(${arnName('r.name')}, r.name) END`;
  return `list_distinct(list_filter(list_transform(${resources}, r -> ${key}), k -> k IS NOT NULL))`;
}

/**
 * What a LookupEvents Event gave (ingest/cloudtrail.ts lookupGiven, already checked there): its Username
 * and its Resources, which stand in place of the derived ones, and so of everything made from them
 * (resource_keys, the pivot side table's keys). Records of S3 log files have none: a NULL, whose
 * json_transform does no JSON work.
 */
const GIVEN_TYPE = { Username: 'VARCHAR', Resources: [{ ResourceType: 'VARCHAR', ResourceName: 'VARCHAR' }] };
const GIVEN_RESOURCES = 'list_transform(g.Resources, r -> {type: r.ResourceType, name: r.ResourceName})';

/**
 * The `cloudtrail` columns, in table order, as SQL over a relation `(file_id, log_group, raw JSON,
 * lookup_given JSON)`.
 */
export function cloudTrailRowsSql(staged: string): string {
  return `
SELECT event_id, event_time, event_version, event_source, event_name, aws_region, source_ip, user_agent,
  error_code, error_message, read_only, event_type, event_category, management_event, recipient_account_id,
  request_id, shared_event_id, identity_type, identity_arn, identity_account_id, access_key_id,
  identity_user_name, principal_id, issuer_arn, session_name, username, resources,
  -- list_distinct builds a hash set per row: a lone name that is no ARN is its own only key.
  CASE WHEN len(resources) = 0 THEN []
    WHEN len(resources) = 1 AND NOT starts_with(resources[1].name, 'arn:') THEN [resources[1].name]
    ELSE list_distinct(flatten(list_transform(resources, r -> [r.name, ${arnName('r.name')}]))) END AS resource_keys,
  minted_access_key_id, log_group, log_stream, file_id, raw, lookup_given
FROM (
  SELECT
    t.eventID AS event_id,
    date_trunc('second', TRY_CAST(coalesce(t.eventTime, t."@timestamp") AS TIMESTAMPTZ)::TIMESTAMP) AS event_time,
    t.eventVersion AS event_version, ${orInsightDetail('eventSource')} AS event_source, ${orInsightDetail('eventName')} AS event_name,
    t.awsRegion AS aws_region, t.sourceIPAddress AS source_ip, t.userAgent AS user_agent,
    t.errorCode AS error_code, t.errorMessage AS error_message,
    CASE t.readOnly WHEN 'true' THEN true WHEN 'false' THEN false END AS read_only, t.eventType AS event_type,
    t.eventCategory AS event_category, TRY_CAST(t.managementEvent AS BOOLEAN) AS management_event,
    t.recipientAccountId AS recipient_account_id, t.requestID AS request_id,
    t.sharedEventID AS shared_event_id, ${IDENTITY_TYPE} AS identity_type,
    t.userIdentity.arn AS identity_arn, t.userIdentity.accountId AS identity_account_id,
    nullif(t.userIdentity.accessKeyId, '') AS access_key_id, t.userIdentity.userName AS identity_user_name,
    t.userIdentity.principalId AS principal_id, t.userIdentity.sessionContext.sessionIssuer.arn AS issuer_arn,
    ${SESSION_NAME} AS session_name,
    coalesce(g.Username, ${USERNAME}) AS username,
    CASE WHEN g.Resources IS NULL THEN list_filter(named, (r, i) -> list_position(list_transform(named, x -> x.name), r.name) = i)
      ELSE ${GIVEN_RESOURCES} END AS resources,
    -- STS's temporary credentials, or IAM CreateAccessKey's long-term key (mintedAccessKeyOf).
    coalesce(nullif(t.responseElements.credentials.accessKeyId, ''), ${jsonString('t.responseElements.accessKey.accessKeyId')}) AS minted_access_key_id,
    log_group,
    t.recipientAccountId || '_CloudTrail_' || t.awsRegion AS log_stream,
    file_id, raw, lookup_given
  FROM (
    SELECT *, ${ALL_RESOURCES} AS named
    FROM (SELECT file_id, log_group, raw, lookup_given, json_transform(raw, ${quote(JSON.stringify(RECORD_TYPE))}) AS t,
      json_transform(lookup_given, ${quote(JSON.stringify(GIVEN_TYPE))}) AS g FROM ${staged})
  )
)`;
}

/**
 * What names the derivation a store's events were made with: a digest of the SQL that derives them, so
 * any change to the rules (a resource key learned, say) makes the next ingest derive old events again.
 */
export const DERIVATION_STAMP = createHash('sha256').update(cloudTrailRowsSql('staged')).digest('hex').slice(0, 16);

/** A prepared row is a CloudTrail event when it has an eventID and a parseable eventTime. */
export const VALID_EVENT = "event_id IS NOT NULL AND event_id <> '' AND event_time IS NOT NULL";
