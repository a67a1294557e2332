import type { CloudTrailRecord, LookupEventResource } from './event';

/**
 * What Trailscope derives from a CloudTrail record: the LookupEvents `Username` and `Resources`, the
 * role session name, the temporary key a call minted, and every resource identifier a pivot can follow.
 *
 * AWS does not document how LookupEvents derives `Username` and `Resources` (aws-api-reference A.6), so
 * these are a documented best effort. The evidence store evaluates the same rules in SQL at ingest
 * (src/sources/evidence/derive-sql.ts, generated from the tables below); a parity test keeps them equal.
 */

/**
 * Identifiers CloudTrail puts at the top level of `requestParameters`, with the resource type each names
 * (CloudFormation-style type names, as the CLI guide's lookup example shows). `eventSource` limits
 * ambiguous keys such as `name` to the service where their meaning is known.
 */
export interface ResourceParameter {
  key: string;
  type: string;
  eventSource?: string;
}

export const RESOURCE_PARAMETERS: readonly ResourceParameter[] = [
  { key: 'bucketName', type: 'AWS::S3::Bucket' },
  { key: 'instanceId', type: 'AWS::EC2::Instance' },
  { key: 'roleName', type: 'AWS::IAM::Role' },
  { key: 'roleArn', type: 'AWS::IAM::Role' },
  { key: 'userName', type: 'AWS::IAM::User' },
  { key: 'groupName', type: 'AWS::IAM::Group', eventSource: 'iam.amazonaws.com' },
  { key: 'groupName', type: 'AWS::EC2::SecurityGroup', eventSource: 'ec2.amazonaws.com' },
  { key: 'policyArn', type: 'AWS::IAM::Policy' },
  { key: 'accessKeyId', type: 'AWS::IAM::AccessKey', eventSource: 'iam.amazonaws.com' },
  { key: 'functionName', type: 'AWS::Lambda::Function' },
  { key: 'keyId', type: 'AWS::KMS::Key' },
  { key: 'trailName', type: 'AWS::CloudTrail::Trail' },
  { key: 'name', type: 'AWS::CloudTrail::Trail', eventSource: 'cloudtrail.amazonaws.com' },
  { key: 'name', type: 'AWS::SSM::Parameter', eventSource: 'ssm.amazonaws.com' },
  // The instance a Session Manager session opens on (StartSession).
  { key: 'target', type: 'AWS::EC2::Instance', eventSource: 'ssm.amazonaws.com' },
  { key: 'logGroupName', type: 'AWS::Logs::LogGroup' },
  { key: 'snapshotId', type: 'AWS::EC2::Snapshot' },
  { key: 'imageId', type: 'AWS::EC2::Image' },
  { key: 'volumeId', type: 'AWS::EC2::Volume' },
  { key: 'groupId', type: 'AWS::EC2::SecurityGroup', eventSource: 'ec2.amazonaws.com' },
  // RDS writes these keys with a capital B, as its API's DBInstanceIdentifier turns into camel case.
  { key: 'dBInstanceIdentifier', type: 'AWS::RDS::DBInstance' },
  { key: 'dBSnapshotIdentifier', type: 'AWS::RDS::DBSnapshot' },
  { key: 'dBClusterIdentifier', type: 'AWS::RDS::DBCluster' },
  { key: 'dBClusterSnapshotIdentifier', type: 'AWS::RDS::DBClusterSnapshot' },
  { key: 'secretId', type: 'AWS::SecretsManager::Secret' },
  { key: 'tableName', type: 'AWS::DynamoDB::Table' },
  { key: 'topicArn', type: 'AWS::SNS::Topic' },
  { key: 'queueUrl', type: 'AWS::SQS::Queue' },
  { key: 'stackName', type: 'AWS::CloudFormation::Stack' },
  { key: 'detectorId', type: 'AWS::GuardDuty::Detector' },
];

/** EC2 puts instance IDs of multi-instance calls in `requestParameters.instancesSet.items[].instanceId`. */
export const INSTANCE_SET_TYPE = 'AWS::EC2::Instance';

/** Lists of identifiers at the top level of `requestParameters`: SSM's SendCommand names its instances so. */
export const RESOURCE_PARAMETER_LISTS: readonly ResourceParameter[] = [
  { key: 'instanceIds', type: 'AWS::EC2::Instance', eventSource: 'ssm.amazonaws.com' },
];

/** In a RESPONSE_RESOURCES path, the step into each item of a list. */
export const EACH = '[]';

/**
 * Identifiers in `responseElements` of calls whose response names what they created, which the request
 * cannot name: RunInstances' new instances, the key CreateAccessKey minted (so `ResourceName=<that key>`
 * finds its creation), the snapshot, image, volume or security group an EC2 Create or Copy call made.
 * `path` leads from `responseElements` to the identifier; EACH steps into every item of a list (at most
 * one EACH a path). Response shapes are per service, so each entry names its `eventSource`.
 */
export interface ResponseResource {
  path: readonly string[];
  type: string;
  eventSource: string;
}

const EC2 = 'ec2.amazonaws.com';

export const RESPONSE_RESOURCES: readonly ResponseResource[] = [
  // RunInstances (also Start/Stop/TerminateInstances, whose request names the same instances).
  { path: ['instancesSet', 'items', EACH, 'instanceId'], type: 'AWS::EC2::Instance', eventSource: EC2 },
  { path: ['accessKey', 'accessKeyId'], type: 'AWS::IAM::AccessKey', eventSource: 'iam.amazonaws.com' },
  // CreateSnapshot, CopySnapshot; the EBS direct API's StartSnapshot.
  { path: ['snapshotId'], type: 'AWS::EC2::Snapshot', eventSource: EC2 },
  { path: ['snapshotId'], type: 'AWS::EC2::Snapshot', eventSource: 'ebs.amazonaws.com' },
  // CreateImage, CopyImage, RegisterImage.
  { path: ['imageId'], type: 'AWS::EC2::Image', eventSource: EC2 },
  { path: ['volumeId'], type: 'AWS::EC2::Volume', eventSource: EC2 },
  { path: ['groupId'], type: 'AWS::EC2::SecurityGroup', eventSource: EC2 },
];

/**
 * The short name inside an ARN, so a pivot on `arn:aws:iam::1:role/Admin` also finds `roleName=Admin`.
 * Written in the regular-expression subset that both JavaScript and DuckDB (RE2) accept.
 */
export const S3_ARN_NAME_PATTERN = '^arn:[^:]*:s3:::([^/]+)';
export const ARN_NAME_PATTERN = '^arn:[^:]*:[^:]*:[^:]*:[^:]*:(?:.*[/:])?([^/:]+)$';

const s3ArnName = new RegExp(S3_ARN_NAME_PATTERN);
const arnName = new RegExp(ARN_NAME_PATTERN);

export function arnResourceName(arn: string): string | undefined {
  return s3ArnName.exec(arn)?.[1] ?? arnName.exec(arn)?.[1];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const obj = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function lastSegment(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const slash = arn.lastIndexOf('/');
  return slash === -1 ? undefined : str(arn.slice(slash + 1));
}

/**
 * An Insights event's `eventName` or `eventSource`: it has neither at its top level, and names the API
 * whose call or error rate was unusual in `insightDetails`, which LookupEvents matches them against.
 */
export function insightDetailOf(record: CloudTrailRecord, key: 'eventName' | 'eventSource'): string | undefined {
  return record.eventCategory === 'Insight' ? str(obj(record.insightDetails)?.[key]) : undefined;
}

/** The role session (or federated user) name: last part of the assumed-role ARN, else of principalId. */
export function sessionNameOf(record: CloudTrailRecord): string | undefined {
  const identity = obj(record.userIdentity);
  const type = str(identity?.type);
  if (type !== 'AssumedRole' && type !== 'FederatedUser') return undefined;
  const principalId = str(identity?.principalId);
  const colon = principalId?.indexOf(':') ?? -1;
  return lastSegment(str(identity?.arn)) ?? (principalId && colon !== -1 ? str(principalId.slice(colon + 1)) : undefined);
}

/**
 * LookupEvents `Username` by the local rule of aws-api-reference A.6: `root` for Root, as Event history
 * shows it (a Root record's userName is the account's alias when it has one, and most have), else
 * `userIdentity.userName`, else for AssumedRole/FederatedUser the session name.
 */
export function usernameOf(record: CloudTrailRecord): string | undefined {
  const type = str(obj(record.userIdentity)?.type);
  if (type === 'Root') return 'root';
  return str(obj(record.userIdentity)?.userName) ?? sessionNameOf(record);
}

/** The temporary access key an AssumeRole*, GetSessionToken or GetFederationToken call returned. */
export function mintedAccessKeyOf(record: CloudTrailRecord): string | undefined {
  const response = obj(record.responseElements);
  // STS returns temporary credentials; IAM's CreateAccessKey a long-term key (persistence).
  return str(obj(response?.credentials)?.accessKeyId) ?? str(obj(response?.accessKey)?.accessKeyId);
}

/** The values at `path` under `value`: none when a step is missing or of another shape. */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return [value];
  const [step, ...rest] = path;
  if (step === EACH) return Array.isArray(value) ? value.flatMap((item) => valuesAt(item, rest)) : [];
  const object = obj(value);
  return object ? valuesAt(object[step], rest) : [];
}

/**
 * LookupEvents `Resources`, best effort: the record's own `resources` (type and ARN), then the identifiers
 * of RESOURCE_PARAMETERS, the instance set and RESOURCE_PARAMETER_LISTS in `requestParameters`, then those of RESPONSE_RESOURCES in
 * `responseElements` (aws-api-reference A.6: CloudTrail reads request and response). The first mention of
 * a name wins.
 */
export function resourcesOf(record: CloudTrailRecord): LookupEventResource[] {
  const found: LookupEventResource[] = [];
  const add = (type: string | undefined, name: string | undefined): void => {
    if (name && !found.some((r) => r.ResourceName === name)) found.push(type ? { ResourceType: type, ResourceName: name } : { ResourceName: name });
  };
  if (Array.isArray(record.resources)) {
    for (const item of record.resources) add(str(obj(item)?.type), str(obj(item)?.ARN));
  }
  const params = obj(record.requestParameters);
  if (params) {
    const source = str(record.eventSource);
    const applies = (p: ResourceParameter): boolean => p.eventSource === undefined || p.eventSource === source;
    for (const p of RESOURCE_PARAMETERS) if (applies(p)) add(p.type, str(params[p.key]));
    const items = obj(params.instancesSet)?.items;
    if (Array.isArray(items)) for (const item of items) add(INSTANCE_SET_TYPE, str(obj(item)?.instanceId));
    for (const p of RESOURCE_PARAMETER_LISTS) {
      const list = params[p.key];
      if (applies(p) && Array.isArray(list)) for (const item of list) add(p.type, str(item));
    }
  }
  const response = obj(record.responseElements);
  if (response) {
    const source = str(record.eventSource);
    for (const r of RESPONSE_RESOURCES) {
      if (r.eventSource === source) for (const value of valuesAt(response, r.path)) add(r.type, str(value));
    }
  }
  return found;
}

/**
 * A CloudFormation-style type name (`AWS::IAM::User`). Only such types make typed keys: they hold no space,
 * so the first space of a key ends its type whatever the name holds.
 */
export const RESOURCE_TYPE_PATTERN = '^[A-Za-z0-9]+(::[A-Za-z0-9]+)+$';
export const S3_BUCKET_TYPE = 'AWS::S3::Bucket';

const resourceType = new RegExp(RESOURCE_TYPE_PATTERN);

/**
 * One resource as `<type> <name>`, with an ARN's short name, or undefined without a usable type. A name
 * alone would tie an IAM user `deploy` to a bucket named `deploy`; the type keeps them apart while the
 * short name still ties `arn:aws:iam::1:user/deploy` to `userName=deploy`. An S3 ARN's short name is its
 * bucket, so its type is the bucket's even when the ARN names an object in it.
 */
export function typedResourceKey({ ResourceType: type, ResourceName: name }: LookupEventResource): string | undefined {
  if (!name) return undefined;
  const keyType = s3ArnName.test(name) ? S3_BUCKET_TYPE : type;
  return keyType && resourceType.test(keyType) ? `${keyType} ${arnResourceName(name) ?? name}` : undefined;
}

/** Every typed key of a record's Resources (typedResourceKey): what the resource pivot follows. */
export function typedResourceKeysOf(record: CloudTrailRecord): string[] {
  const keys: string[] = [];
  for (const resource of resourcesOf(record)) {
    const key = typedResourceKey(resource);
    if (key && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** Every name a `resource` filter matches on: the Resources names and the short names inside their ARNs. */
export function resourceKeysOf(record: CloudTrailRecord): string[] {
  const keys: string[] = [];
  for (const { ResourceName: name } of resourcesOf(record)) {
    if (!name) continue;
    for (const key of [name, arnResourceName(name)]) if (key && !keys.includes(key)) keys.push(key);
  }
  return keys;
}
