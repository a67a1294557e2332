import type { LookupEvent } from '../core/cloudtrail/event';

/**
 * Synthetic management events in bulk, for pagination tests and the live benchmark: realistic enough
 * for every attribute and filter to select something, and cheap to make by the ten thousand.
 */
export const SYNTHETIC_ACCOUNT = '111122223333';

const EVENT_NAMES = ['GetObject', 'ListBuckets', 'AssumeRole', 'RunInstances', 'CreateAccessKey', 'DescribeInstances'];

/** `count` synthetic management events per region, one a minute going back from `newest`. */
export function syntheticEvents(count: number, regions: string[], newest = Date.parse('2026-11-01T12:00:00Z'), accountId = SYNTHETIC_ACCOUNT): LookupEvent[] {
  const events: LookupEvent[] = [];
  regions.forEach((region, r) => {
    for (let i = 0; i < count; i++) {
      const time = new Date(newest - i * 60_000 - r * 1000).toISOString().replace('.000Z', 'Z');
      const eventName = EVENT_NAMES[i % EVENT_NAMES.length];
      const eventId = `${accountId === SYNTHETIC_ACCOUNT ? '' : `${accountId}-`}${region}-${String(i).padStart(6, '0')}`;
      const accessKeyId = i % 3 === 0 ? 'AKIAEXAMPLEKEY000001' : 'ASIAEXAMPLEKEY000002';
      const record = {
        eventVersion: '1.08',
        eventTime: time,
        eventSource: eventName === 'AssumeRole' ? 'sts.amazonaws.com' : 's3.amazonaws.com',
        eventName,
        awsRegion: region,
        sourceIPAddress: i % 2 === 0 ? '203.0.113.7' : '198.51.100.9',
        userAgent: 'aws-cli/2.0',
        readOnly: i % 5 !== 0,
        eventID: eventId,
        recipientAccountId: accountId,
        userIdentity: { type: 'IAMUser', userName: 'alice', accessKeyId, arn: `arn:aws:iam::${accountId}:user/alice` },
      };
      events.push({
        EventId: eventId,
        EventName: eventName,
        ReadOnly: String(record.readOnly),
        AccessKeyId: accessKeyId,
        EventTime: time,
        EventSource: record.eventSource,
        Username: 'alice',
        Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: `bucket-${i % 4}` }],
        CloudTrailEvent: JSON.stringify(record),
      });
    }
  });
  return events;
}

