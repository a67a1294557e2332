import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailRecord, LookupEvent } from '../../../../src/core/cloudtrail/event';

/** Test data for the results view: CloudTrail records as LookupEvents return them. */

export const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');

/** A LookupEvents `Event` for a record, the way the API builds one. */
export function lookupEvent(record: CloudTrailRecord): LookupEvent {
  const identity = record.userIdentity;
  const event: LookupEvent = {
    EventId: String(record.eventID),
    EventName: record.eventName,
    EventTime: String(record.eventTime).replace(/\.\d+Z$/, 'Z'),
    EventSource: record.eventSource,
    Username: identity?.userName ?? identity?.sessionContext?.sessionIssuer?.userName ?? identity?.principalId,
    AccessKeyId: identity?.accessKeyId,
    ReadOnly: record.readOnly === undefined ? undefined : String(record.readOnly),
    Resources: (record.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
    CloudTrailEvent: JSON.stringify(record),
  };
  return event;
}

/** The 103 real records of the OTRF EC2-proxy S3 exfiltration data set (MIT; see its README). */
export function otrfEvents(): LookupEvent[] {
  const file = join(FIXTURES, 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record = JSON.parse(line) as CloudTrailRecord;
      return lookupEvent({ ...record, eventTime: record.eventTime ?? String(record['@timestamp']) });
    });
}

/** `count` synthetic events, one a second, from a handful of principals and addresses. */
export function syntheticEvents(count: number): LookupEvent[] {
  const names = ['GetObject', 'ListBuckets', 'AssumeRole', 'DescribeInstances', 'PutObject', 'GetCallerIdentity'];
  const events: LookupEvent[] = [];
  const start = Date.parse('2024-05-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const time = new Date(start + i * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    events.push(
      lookupEvent({
        eventVersion: '1.09',
        eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        eventTime: time,
        eventName: names[i % names.length],
        eventSource: i % 2 ? 's3.amazonaws.com' : 'ec2.amazonaws.com',
        awsRegion: 'us-east-1',
        sourceIPAddress: `203.0.113.${i % 250}`,
        userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 botocore/2.0',
        readOnly: i % 5 !== 0,
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::111122223333:assumed-role/responder-${i % 7}/session-${i % 3}`,
          accessKeyId: `ASIAEXAMPLE${String(i % 13).padStart(9, '0')}`,
          principalId: `AROAEXAMPLE${i % 7}:session-${i % 3}`,
        },
        requestParameters: { bucketName: `bucket-${i % 11}`, key: `data/file-${i}.csv` },
        resources: [{ ARN: `arn:aws:s3:::bucket-${i % 11}`, type: 'AWS::S3::Bucket' }],
      }),
    );
  }
  return events;
}
