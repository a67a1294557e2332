/**
 * Which log group an ingested file belongs to, so Insights queries and the tree can address evidence the
 * way they address CloudWatch Logs. An explicit `--log-group` wins; otherwise the name comes from the
 * layout AWS delivered the file in:
 * - CloudTrail: `cloudtrail/<account or organization id>` from `AWSLogs/<id>/...`, else `cloudtrail`;
 * - VPC flow logs: `vpc-flow-logs/<account>` from `AWSLogs/<account>/vpcflowlogs/...`, else `vpc-flow-logs`;
 * - CloudWatch export objects (`<prefix>/<task id>/<stream>/000000.gz`): the prefix from its last `aws`
 *   segment as `/aws/...` (a prefix named after the group, e.g. `aws/lambda/orders` → `/aws/lambda/orders`),
 *   else the prefix's last segment (`exportedlogs` by default);
 * - `filter-log-events` output: the file name without its extension.
 */
const segmentsOf = (path: string): string[] => path.split(/[\\/!]+/).filter((s) => s !== '');

export function awsLogsOwner(path: string): string | undefined {
  const segments = segmentsOf(path);
  const at = segments.lastIndexOf('AWSLogs');
  return at === -1 ? undefined : segments[at + 1];
}

export function cloudTrailLogGroup(path: string): string {
  const owner = awsLogsOwner(path);
  return owner ? `cloudtrail/${owner}` : 'cloudtrail';
}

export function flowLogGroup(path: string): string {
  const segments = segmentsOf(path);
  const at = segments.lastIndexOf('AWSLogs');
  const account = at === -1 ? undefined : segments[at + 1]?.replace(/^aws-account-id=/, '');
  return account ? `vpc-flow-logs/${account}` : 'vpc-flow-logs';
}

const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Log group and stream of an export object, when its path has the export layout. */
export function exportLocation(path: string): { logGroup: string; logStream: string } | undefined {
  const segments = segmentsOf(path);
  const task = segments.findIndex((s) => TASK_ID.test(s));
  if (task === -1 || task + 2 >= segments.length) return undefined;
  const prefix = segments.slice(0, task);
  const aws = prefix.lastIndexOf('aws');
  const logGroup = aws !== -1 && aws < prefix.length - 1 ? `/${prefix.slice(aws).join('/')}` : (prefix[prefix.length - 1] ?? 'exportedlogs');
  return { logGroup, logStream: segments.slice(task + 1, -1).join('/') };
}

export function fileLogGroup(path: string): string {
  const name = segmentsOf(path).pop() ?? 'logs';
  return name.replace(/(\.json|\.jsonl|\.txt|\.log)?(\.gz)?$/i, '') || 'logs';
}
