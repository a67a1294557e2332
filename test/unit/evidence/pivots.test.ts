import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { flowsQuery, relatedQueries } from '../../../src/core/pivots/queries';
import { findRelated } from '../../../src/core/pivots/related';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import type { CloudTrailRecord, LookupEvent } from '../../../src/core/cloudtrail/event';
import type { LookupRequest } from '../../../src/core/lookup/request';
import type { TrailSource } from '../../../src/sources/source';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { openStore, tempDir } from './helpers';

const record: CloudTrailRecord = {
  eventID: 'e1',
  eventTime: '2026-03-04T02:40:00Z',
  eventName: 'GetObject',
  sourceIPAddress: '203.0.113.77',
  requestID: 'R1',
  sharedEventID: 'S1',
  userIdentity: {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::1:assumed-role/Org/sync-7731',
    accessKeyId: 'ASIAMINTED',
    sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::1:role/Org' } },
  },
  requestParameters: { bucketName: 'finance' },
};

/** An evidence store holding these files (name to content), ingested as a folder. */
async function storeOf(files: Record<string, string>): Promise<EvidenceSource> {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const store = await openStore(dir);
  await ingestPaths(store, [dir]);
  return new EvidenceSource(store);
}

test('an event yields each pivot with the value it follows', () => {
  const queries = relatedQueries(record, toLookupEvent(record), { windowMinutes: 30 });
  assert.deepEqual(queries.map((q) => [q.pivot, q.value]), [
    ['principal', 'arn:aws:iam::1:role/Org'],
    ['access-key', 'ASIAMINTED'],
    ['session', 'sync-7731'],
    ['minted-by', 'ASIAMINTED'],
    ['source-ip', '203.0.113.77'],
    ['resource', 'finance (AWS::S3::Bucket)'],
    ['request', 'R1'],
    ['request', 'S1'],
    ['time-window', 'arn:aws:iam::1:role/Org'],
  ]);
  const window = queries.find((q) => q.pivot === 'time-window')?.request;
  assert.equal(window?.start, '2026-03-04T02:10:00.000Z');
  assert.equal(window?.end, '2026-03-04T03:10:00.000Z');
  assert.deepEqual(queries.find((q) => q.pivot === 'session')?.request.filters.map((f) => f.field), ['principalArn', 'sessionName']);
  assert.equal(queries.find((q) => q.pivot === 'request')?.request.start, '2026-03-04T01:40:00.000Z');
});

test('a time without a zone (a shipper\'s rewrite) is UTC, as the store reads it, whatever the machine\'s zone', () => {
  const zone = process.env.TZ;
  process.env.TZ = 'Europe/Berlin';
  try {
    const rewritten = { ...record, eventTime: '2026-03-04 02:40:00' };
    const window = relatedQueries(rewritten, toLookupEvent(rewritten), { windowMinutes: 30 }).find((q) => q.pivot === 'time-window')?.request;
    assert.deepEqual([window?.start, window?.end], ['2026-03-04T02:10:00.000Z', '2026-03-04T03:10:00.000Z']);
    assert.equal(toLookupEvent(rewritten).EventTime, '2026-03-04T02:40:00Z');
    assert.equal(flowsQuery(rewritten, { flowHours: 24 })?.start, '2026-03-03T02:40:00.000Z');
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});

test('the flows pivot only follows IP addresses, quoted as Insights literals', () => {
  const flows = flowsQuery(record);
  assert.ok(flows);
  assert.match(flows.query, /filter srcAddr = "203\.0\.113\.77" or dstAddr = "203\.0\.113\.77" or pktSrcAddr = "203\.0\.113\.77" or pktDstAddr = "203\.0\.113\.77"/);
  assert.equal(flowsQuery({ ...record, sourceIPAddress: 'ec2.amazonaws.com' }), undefined);
  assert.equal(flowsQuery({ ...record, sourceIPAddress: '1.2.3.4" | stats count(*)' }), undefined);
});

test('the flows pivot finds an IPv6 address however the flow log spells it', async () => {
  const flow = (src: string, dst: string, bytes: number) => `2 111122223333 eni-0abc ${src} ${dst} 443 50000 6 10 ${bytes} 1772590000 1772590060 ACCEPT OK`;
  const trail = { eventVersion: '1.08', eventID: 'v6', eventTime: '2026-03-04T02:10:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', sourceIPAddress: '2001:db8::7' };
  const source = await storeOf({
    'flows.log': [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      flow('2001:db8:0:0:0:0:0:7', '10.0.0.5', 1), flow('10.0.0.5', '2001:DB8::7', 2), flow('2001:db8::70', '10.0.0.5', 3), flow('10.0.0.5', '198.51.100.7', 4),
    ].join('\n'),
    'trail.json': JSON.stringify({ Records: [trail] }),
  });
  try {
    const [event] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: 'v6' }], filters: [] });
    const [flows] = (await findRelated(source, event, { pivots: ['flows'] })).pivots;
    assert.deepEqual([flows?.count, flows?.rows?.map((row) => row.find((f) => f.field === 'bytes')?.value).sort()], [2, ['1', '2']]);
  } finally {
    source.close();
  }
});

test('findRelated on a hostile event keeps going with what it can follow', async () => {
  const asked: LookupRequest[] = [];
  const source: TrailSource = {
    kind: 'live',
    label: 'fake',
    lookupEvents: async () => [],
    lookupBatch: async (requests) => {
      asked.push(...requests);
      return requests.map(() => ({ events: [], count: 0 }));
    },
    runInsights: async () => ({ status: 'Complete', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } }),
    logGroups: async () => [],
  };
  const event: LookupEvent = { EventId: 'x', EventTime: '2026-03-04T00:00:00Z', AccessKeyId: 'AKIAX', CloudTrailEvent: '<script>not json' };
  const result = await findRelated(source, event);
  assert.deepEqual(result.pivots.map((p) => [p.pivot, p.count]), [['access-key', 0], ['minted-by', 0]]);
  assert.equal(asked[0].max, 10);
});

test('a long-term key links to the CreateAccessKey that made it, and that call to everything the key signed (persistence)', async () => {
  const call = (id: string, minute: number, key: string, eventSource: string, eventName: string, extra: object = {}): object => ({
    eventVersion: '1.08', eventID: id, eventTime: `2026-03-04T02:${String(minute).padStart(2, '0')}:00Z`, eventSource, eventName, awsRegion: 'us-east-1',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/x', userName: 'x', accessKeyId: key }, ...extra,
  });
  const source = await storeOf({ 'trail.json': JSON.stringify({ Records: [
    call('create', 1, 'AKIALEAKEDLEAKED0001', 'iam.amazonaws.com', 'CreateAccessKey', { requestParameters: { userName: 'support-sync' }, responseElements: { accessKey: { accessKeyId: 'AKIAPERSISTPERSIST01', userName: 'support-sync', status: 'Active' } } }),
    call('use', 9, 'AKIAPERSISTPERSIST01', 's3.amazonaws.com', 'ListBuckets'),
  ] }) });
  try {
    const [created, used] = ['create', 'use'].map(async (id) => (await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: id }], filters: [] }))[0]!);
    const forward = (await findRelated(source, await created, { pivots: ['minted-key'] })).pivots;
    assert.deepEqual(forward.map((p) => [p.value, p.events?.map((e) => e.EventId)]), [['AKIAPERSISTPERSIST01', ['use']]]);
    const back = (await findRelated(source, await used, { pivots: ['minted-by'] })).pivots;
    assert.deepEqual(back.map((p) => [p.value, p.events?.map((e) => e.EventId)]), [['AKIAPERSISTPERSIST01', ['create']]]);
  } finally {
    source.close();
  }
});

test('a resource links by its short name only within its type: the IAM user deploy, not the bucket deploy', async () => {
  const at = (minute: number): string => `2026-03-04T02:${String(minute).padStart(2, '0')}:00Z`;
  const call = (id: string, minute: number, eventSource: string, eventName: string, extra: object): object => ({
    eventVersion: '1.08', eventID: id, eventTime: at(minute), eventSource, eventName, awsRegion: 'us-east-1', ...extra,
  });
  const records = [
    call('user-arn', 1, 'iam.amazonaws.com', 'GetUser', { resources: [{ type: 'AWS::IAM::User', ARN: 'arn:aws:iam::111122223333:user/deploy' }] }),
    call('user-name', 2, 'iam.amazonaws.com', 'AttachUserPolicy', { requestParameters: { userName: 'deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    call('bucket-name', 3, 's3.amazonaws.com', 'GetBucketPolicy', { requestParameters: { bucketName: 'deploy' } }),
    // An object's ARN names its bucket: it follows the bucket, not the user.
    call('object-arn', 4, 's3.amazonaws.com', 'GetObject', { resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::deploy/build.zip' }] }),
    // Without a type a name can only be followed as a name.
    call('untyped', 5, 'iam.amazonaws.com', 'GetUser', { resources: [{ ARN: 'arn:aws:iam::111122223333:user/deploy' }] }),
  ];
  const source = await storeOf({ 'deploy.json': JSON.stringify({ Records: records }) });
  try {
    const resourcesOf = async (id: string): Promise<Array<[string, string[]]>> => {
      const [event] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: id }], filters: [] });
      const related = await findRelated(source, event, { pivots: ['resource'] });
      return related.pivots.map((p) => [p.value, (p.events ?? []).map((e) => e.EventId).sort()]);
    };
    assert.deepEqual(await resourcesOf('user-arn'), [
      ['arn:aws:iam::111122223333:user/deploy', ['untyped', 'user-arn']],
      ['deploy (AWS::IAM::User)', ['user-arn', 'user-name']],
    ]);
    assert.deepEqual((await resourcesOf('bucket-name'))[0], ['deploy (AWS::S3::Bucket)', ['bucket-name', 'object-arn']]);
    assert.deepEqual((await resourcesOf('untyped'))[1], ['deploy', ['bucket-name', 'object-arn', 'untyped', 'user-arn', 'user-name']]);
    // The filter a user types stays by name alone; the typed one is there to type too.
    assert.equal((await source.lookupEvents({ attributes: [], filters: [{ field: 'resource', op: 'equals', value: 'deploy' }] })).length, 5);
    assert.equal((await source.lookupEvents({ attributes: [], filters: [{ field: 'typedResource', op: 'contains', value: 's3::bucket DEPLOY' }] })).length, 2);
  } finally {
    source.close();
  }
});

test('the instances SSM ran a command on are resources: found by ResourceName and linked from the instance\'s other events', async () => {
  const call = (id: string, minute: number, eventSource: string, eventName: string, requestParameters: object): object => ({
    eventVersion: '1.08', eventID: id, eventTime: `2026-03-04T02:${String(minute).padStart(2, '0')}:00Z`, eventSource, eventName, awsRegion: 'us-east-1', requestParameters,
  });
  const records = [
    call('send', 1, 'ssm.amazonaws.com', 'SendCommand', { instanceIds: ['i-0a7d1e5c3b9f24610'], documentName: 'AWS-RunShellScript' }),
    call('session', 2, 'ssm.amazonaws.com', 'StartSession', { target: 'i-0a7d1e5c3b9f24610' }),
    call('stop', 3, 'ec2.amazonaws.com', 'StopInstances', { instancesSet: { items: [{ instanceId: 'i-0a7d1e5c3b9f24610' }] } }),
    call('share', 4, 'rds.amazonaws.com', 'ModifyDBSnapshotAttribute', { dBSnapshotIdentifier: 'prod-snap', attributeName: 'restore', valuesToAdd: ['999988887777'] }),
    call('snap', 5, 'rds.amazonaws.com', 'CreateDBSnapshot', { dBSnapshotIdentifier: 'prod-snap', dBInstanceIdentifier: 'prod-db' }),
  ];
  const source = await storeOf({ 'ssm.json': JSON.stringify({ Records: records }) });
  try {
    const byName = async (name: string): Promise<string[]> =>
      (await source.lookupEvents({ attributes: [{ AttributeKey: 'ResourceName', AttributeValue: name }], filters: [] })).map((e) => e.EventId);
    assert.deepEqual(await byName('i-0a7d1e5c3b9f24610'), ['stop', 'session', 'send']);
    assert.deepEqual(await byName('prod-snap'), ['snap', 'share']);
    const [stop] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: 'stop' }], filters: [] });
    const related = await findRelated(source, stop, { pivots: ['resource'] });
    assert.deepEqual(related.pivots.map((p) => [p.value, (p.events ?? []).map((e) => e.EventId)]), [['i-0a7d1e5c3b9f24610 (AWS::EC2::Instance)', ['stop', 'session', 'send']]]);
  } finally {
    source.close();
  }
});

test('the flows pivot finds the flows of an address behind a NAT gateway or of an EKS pod, by pkt-srcaddr and pkt-dstaddr', async () => {
  // srcaddr is the interface's own address; the pod's, which CloudTrail saw, is only in pkt-srcaddr.
  const header = 'version interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol bytes start end action log-status';
  const flows = [
    'v5 eni-0pod 10.0.0.9 52.216.0.10 10.0.1.25 52.216.0.10 40000 443 6 5000 1772590000 1772590060 ACCEPT OK',
    'v5 eni-0pod 52.216.0.10 10.0.0.9 52.216.0.10 10.0.1.25 443 40000 6 900000 1772590000 1772590060 ACCEPT OK',
    'v5 eni-0pod 10.0.0.9 52.216.0.10 10.0.1.26 52.216.0.10 40001 443 6 7 1772590000 1772590060 ACCEPT OK',
  ].map((line) => line.replace(/^v5/, '5'));
  const trail = { eventVersion: '1.08', eventID: 'pod', eventTime: '2026-03-04T02:10:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', sourceIPAddress: '10.0.1.25' };
  const source = await storeOf({ 'flows.log': [header, ...flows].join('\n') + '\n', 'trail.json': JSON.stringify({ Records: [trail] }) });
  try {
    const [event] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: 'pod' }], filters: [] });
    const [pivot] = (await findRelated(source, event, { pivots: ['flows'] })).pivots;
    assert.deepEqual([pivot?.count, pivot?.rows?.map((row) => row.find((f) => f.field === 'bytes')?.value).sort()], [2, ['5000', '900000']]);
  } finally {
    source.close();
  }
});

test("a store's time span covers its flow records and log events too, not only its CloudTrail events", async () => {
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const flowsOnly = await storeOf({ 'flows.log': `${header}\n2 111122223333 eni-0abc 10.0.0.9 203.0.113.77 40000 443 6 10 840 1772590000 1772590060 ACCEPT OK\n` });
  const mixed = await storeOf({
    'flows.log': `${header}\n2 111122223333 eni-0abc 10.0.0.9 203.0.113.77 40000 443 6 10 840 1772500000 1772500060 ACCEPT OK\n`,
    'trail.json': JSON.stringify({ Records: [record] }),
  });
  try {
    const span = async (source: EvidenceSource) => ((s) => [s.first, s.last])(await source.summary());
    assert.deepEqual(await span(flowsOnly), ['2026-03-04T02:06:40Z', '2026-03-04T02:06:40Z']);
    assert.deepEqual(await span(mixed), ['2026-03-03T01:06:40Z', '2026-03-04T02:40:00Z']);
  } finally {
    flowsOnly.close();
    mixed.close();
  }
});

test('the flows pivot of an evidence store counts every flow record of the address, whenever it was', async () => {
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const at = (iso: string): number => Date.parse(iso) / 1000;
  // Beaconing days before the event and the theft days after it are the point of following an address.
  const flows = ['2026-02-20T00:00:00Z', '2026-03-04T01:00:00Z', '2026-03-04T03:00:00Z', '2026-03-20T00:00:00Z'].map((iso, i) =>
    `2 111122223333 eni-0abc 10.0.0.9 203.0.113.77 ${40000 + i} 443 6 10 840 ${at(iso)} ${at(iso) + 60} ACCEPT OK`);
  const other = `2 111122223333 eni-0abc 10.0.0.9 198.51.100.1 40009 443 6 1 40 ${at('2026-03-04T02:00:00Z')} ${at('2026-03-04T02:01:00Z')} ACCEPT OK`;
  const source = await storeOf({ 'flows.log': [header, ...flows, other].join('\n') + '\n', 'trail.json': JSON.stringify({ Records: [record] }) });
  try {
    const [event] = await source.lookupEvents({ attributes: [], filters: [] });
    const [pivot] = (await findRelated(source, event, { pivots: ['flows'], limit: 2 })).pivots;
    assert.deepEqual([pivot.value, pivot.count, pivot.capped, pivot.rows?.length], ['203.0.113.77', 4, undefined, 2]);
    assert.deepEqual(pivot.rows?.map((row) => row.find((f) => f.field === '@timestamp')?.value), ['2026-03-20 00:00:00.000', '2026-03-04 03:00:00.000'], 'newest first');
  } finally {
    source.close();
  }
});
