import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { withRetries } from './retry';
import { globalEventsRegion } from './accounts';

/**
 * The trails of an account, each shown once although DescribeTrails lists a multi-region or
 * organization trail in every region (as shadow trails), with the health problems a responder
 * wants to know before trusting the record.
 */

export type TrailHealthFlag = 'logging-stopped' | 'not-multi-region' | 'log-file-validation-off' | 'no-cloudwatch-logs' | 'duplicate-global-events';

export interface TrailHealth {
  flag: TrailHealthFlag;
  message: string;
}

export interface TrailInfo {
  name: string;
  arn: string;
  homeRegion: string;
  accountId?: string;
  multiRegion: boolean;
  organization: boolean;
  includeGlobalServiceEvents: boolean;
  logFileValidation: boolean;
  s3BucketName?: string;
  cloudWatchLogsLogGroupArn?: string;
  /** Undefined when GetTrailStatus failed (e.g. an organization trail seen from a member account without access). */
  isLogging?: boolean;
  /** Regions in which DescribeTrails listed it. */
  seenIn: string[];
  health: TrailHealth[];
}

export interface TrailRegionClient {
  region: string;
  client: CloudTrailClient;
}

export async function describeAccountTrails(clients: TrailRegionClient[], signal?: AbortSignal, regionError: (region: string, error: unknown) => unknown = (_region, error) => error): Promise<TrailInfo[]> {
  const listed = await Promise.all(
    clients.map(async ({ region, client }) => {
      const out = await withRetries((s) => client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: s }), { signal }).catch((error: unknown) => {
        // A region an SCP denies is a common cause: the message must say which one.
        throw regionError(region, error);
      });
      return (out.trailList ?? []).map((trail) => ({ region, trail }));
    }),
  );
  const byArn = new Map<string, { trail: Trail; seenIn: string[] }>();
  for (const { region, trail } of listed.flat()) {
    const key = trail.TrailARN ?? `${trail.HomeRegion}/${trail.Name}`;
    const entry = byArn.get(key);
    if (entry) entry.seenIn.push(region);
    else byArn.set(key, { trail, seenIn: [region] });
  }
  const clientFor = (regions: string[], home?: string): CloudTrailClient =>
    (clients.find((c) => c.region === home) ?? clients.find((c) => regions.includes(c.region)) ?? clients[0]).client;
  const trails = await Promise.all(
    [...byArn.values()].map(async ({ trail, seenIn }) => {
      const client = clientFor(seenIn, trail.HomeRegion);
      const status = await withRetries((s) => client.send(new GetTrailStatusCommand({ Name: trail.TrailARN ?? trail.Name }), { abortSignal: s }), { signal }).catch(
        (error: unknown) => {
          if (signal?.aborted) throw error;
          return undefined;
        },
      );
      return toInfo(trail, seenIn, status?.IsLogging);
    }),
  );
  trails.sort(trailOrder);
  flagDuplicateGlobalEvents(trails);
  return trails;
}

function toInfo(trail: Trail, seenIn: string[], isLogging: boolean | undefined): TrailInfo {
  const arn = trail.TrailARN ?? '';
  const info: TrailInfo = {
    name: trail.Name ?? arn,
    arn,
    homeRegion: trail.HomeRegion ?? seenIn[0],
    ...(arn ? { accountId: arn.split(':')[4] } : {}),
    multiRegion: trail.IsMultiRegionTrail === true,
    organization: trail.IsOrganizationTrail === true,
    includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents === true,
    logFileValidation: trail.LogFileValidationEnabled === true,
    ...(trail.S3BucketName ? { s3BucketName: trail.S3BucketName } : {}),
    ...(trail.CloudWatchLogsLogGroupArn ? { cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn } : {}),
    ...(isLogging !== undefined ? { isLogging } : {}),
    seenIn: [...seenIn].sort(),
    health: [],
  };
  if (isLogging === false) info.health.push({ flag: 'logging-stopped', message: 'Logging is stopped: no events are being recorded by this trail.' });
  if (!info.multiRegion) info.health.push({ flag: 'not-multi-region', message: `Records only ${info.homeRegion}: activity in other regions is not captured.` });
  if (!info.logFileValidation) info.health.push({ flag: 'log-file-validation-off', message: 'Log file validation is off: tampering with delivered files cannot be detected.' });
  if (!info.cloudWatchLogsLogGroupArn) info.health.push({ flag: 'no-cloudwatch-logs', message: 'Not delivered to CloudWatch Logs: Logs Insights cannot query it.' });
  return info;
}

/** Organization and multi-region trails first: they are the ones a responder relies on. */
function trailOrder(a: TrailInfo, b: TrailInfo): number {
  const rank = (t: TrailInfo): number => (t.organization ? 0 : t.multiRegion ? 1 : 2);
  return rank(a) - rank(b) || a.name.localeCompare(b.name, 'en') || a.arn.localeCompare(b.arn, 'en');
}

/**
 * Global-service events (IAM, STS, CloudFront) are delivered by every trail that includes them and
 * records their region (a multi-region trail, or one homed there), so a second such trail records each
 * of them twice (and bills for it). The first in trailOrder is kept.
 */
function flagDuplicateGlobalEvents(trails: TrailInfo[]): void {
  const recording = trails.filter((t) => t.includeGlobalServiceEvents && t.isLogging !== false && (t.multiRegion || t.homeRegion === globalEventsRegion(t.homeRegion)));
  for (const trail of recording.slice(1)) {
    trail.health.push({ flag: 'duplicate-global-events', message: `Duplicates the global-service events already recorded by trail "${recording[0].name}".` });
  }
}
