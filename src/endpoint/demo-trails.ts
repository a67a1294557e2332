import type { LookupRequest } from '../core/lookup/request';
import type { TrailSource } from '../sources/source';
import type { EndpointTrail } from './cloudtrail';

/**
 * The demo account's one trail, an organization trail whose status follows the evidence it serves: the
 * newest StopLogging with no StartLogging after it leaves it stopped since then, as the real trail of an
 * account where the intruder ran StopLogging would be (the sample incident ends that way).
 */
export async function demoTrails(source: TrailSource): Promise<EndpointTrail[]> {
  const newest = async (eventName: string): Promise<string | undefined> => {
    const request: LookupRequest = { attributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], filters: [], max: 1 };
    return (await source.lookupEvents(request))[0]?.EventTime;
  };
  const [stopped, started] = await Promise.all([newest('StopLogging'), newest('StartLogging')]);
  const stoppedSince = stopped !== undefined && (started === undefined || started < stopped) ? stopped : undefined;
  return [
    {
      Name: 'organization-trail',
      HomeRegion: 'us-east-1',
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      LogFileValidationEnabled: true,
      S3BucketName: 'demo-cloudtrail-bucket',
      CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:aws-cloudtrail-logs:*',
      status: stoppedSince ? { IsLogging: false, StopLoggingTime: stoppedSince } : { IsLogging: true },
    },
  ];
}
