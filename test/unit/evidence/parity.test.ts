import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { before, after, test } from 'node:test';
import { buildLookupEvent, parseRecord, toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import { matchesLookup } from '../../../src/core/lookup/match';
import type { FieldFilter, LookupRequest } from '../../../src/core/lookup/request';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { KEYS_TABLE, KEYS_TABLE_DROP_SQL } from '../../../src/sources/evidence/schema';
import { relatedQueries } from '../../../src/core/pivots/queries';
import { recordOfEvent, type LookupEvent, type LookupEventResource } from '../../../src/core/cloudtrail/event';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { fixture, givenEvents, OTRF, openStore, tempDir } from './helpers';

/**
 * The evidence store's SQL and the JavaScript rules (used by the live source) must agree: same derived
 * fields for every record, same events for every request. A record read from a LookupEvents Event that
 * gave its own Username or Resources has those in place of the derived ones (the store's `lookup_given`).
 */
interface Stored {
  raw: string;
  given?: { Username?: string; Resources?: LookupEventResource[] };
}

let source: EvidenceSource;
let rows: Stored[];
const dir = tempDir();

before(async () => {
  const store = await openStore(dir);
  const events = join(tempDir(), 'given-events.json');
  writeFileSync(events, JSON.stringify({ Events: givenEvents('given-') }));
  await ingestPaths(store, [fixture('s3'), fixture('formats'), fixture('created'), OTRF, events]);
  source = new EvidenceSource(store);
  rows = (await store.all<{ raw: string; given: string | null }>('SELECT raw, lookup_given AS given FROM cloudtrail')).map((r) => (
    r.given === null ? { raw: r.raw } : { raw: r.raw, given: JSON.parse(r.given) as Stored['given'] }));
});
after(() => source.close());

/** The event the store holds for a record: toLookupEvent's, with what its Event gave in place of the derived values. */
const storedEvent = ({ raw, given }: Stored): LookupEvent => buildLookupEvent({ ...toLookupEvent(raw), ...given });

const byResources = (f: FieldFilter): boolean => f.field === 'resource' || f.field === 'typedResource';

/**
 * matchesLookup over what the store holds. The resource filters read a record's Resources (fieldValues
 * derives them): for an Event that gave its own, a record whose Resources are exactly those answers them.
 */
function storedMatches(stored: Stored, request: LookupRequest): boolean {
  const record = parseRecord(stored.raw);
  const event = storedEvent(stored);
  const resources = stored.given?.Resources;
  if (!resources) return matchesLookup(record, event, request);
  const named = { eventCategory: record.eventCategory, resources: resources.map((r) => ({ type: r.ResourceType, ARN: r.ResourceName })) };
  return matchesLookup(record, event, { ...request, filters: request.filters.filter((f) => !byResources(f)) })
    && matchesLookup(named, event, { ...request, attributes: [], filters: request.filters.filter(byResources) });
}

test('every stored event equals toLookupEvent of its raw record, with what its LookupEvents Event gave in place of the derived Username and Resources', async () => {
  const stored = await source.lookupEvents({ attributes: [], filters: [] });
  assert.equal(stored.length, rows.length);
  assert.ok(stored.length > 110);
  const byId = new Map(rows.map((s) => [parseRecord(s.raw).eventID, s]));
  for (const event of stored) assert.deepEqual(event, storedEvent(byId.get(event.EventId)!), event.EventId);
  // Only the records of Events that gave values differ from toLookupEvent: formats/lookup-events.json's and givenEvents' first two.
  const differing = stored.filter((event) => !isDeepStrictEqual(event, toLookupEvent(event.CloudTrailEvent))).map((e) => e.EventId).sort();
  assert.deepEqual(differing, ['00000014-aaaa-4bbb-8ccc-000000000014', 'given-ssm', 'given-tags']);
});

const REQUESTS: Array<[string, LookupRequest]> = [
  ['no condition', { attributes: [], filters: [] }],
  ['Username of an IAM user', { attributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }], filters: [] }],
  ['Username is case-sensitive', { attributes: [{ AttributeKey: 'Username', AttributeValue: 'Alice' }], filters: [] }],
  ['Username of a role session', { attributes: [{ AttributeKey: 'Username', AttributeValue: 'i-0317f6c6b66ae9c40' }], filters: [] }],
  ['Username root', { attributes: [{ AttributeKey: 'Username', AttributeValue: 'root' }], filters: [] }],
  ['AccessKeyId', { attributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIA5FLZVX4OPVKKVBMX' }], filters: [] }],
  ['EventName and ReadOnly AND-ed', { attributes: [{ AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' }, { AttributeKey: 'ReadOnly', AttributeValue: 'false' }], filters: [] }],
  ['ReadOnly true', { attributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }], filters: [] }],
  ['EventId', { attributes: [{ AttributeKey: 'EventId', AttributeValue: '00000004-aaaa-4bbb-8ccc-000000000004' }], filters: [] }],
  ['ResourceName (request parameter)', { attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'backup-admin' }], filters: [] }],
  ['ResourceName (record ARN)', { attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'arn:aws:iam::222222222222:role/Audit' }], filters: [] }],
  ['ResourceType', { attributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::S3::Bucket' }], filters: [] }],
  // Named only in the response of the call that created them (RunInstances, CreateAccessKey, CreateSnapshot).
  ['ResourceName (instance RunInstances created)', { attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'i-0abc1230000000001' }], filters: [] }],
  ['ResourceName (key CreateAccessKey minted)', { attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'AKIANEWKEYEXAMPLE002' }], filters: [] }],
  ['ResourceType of a response identifier', { attributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::EC2::Snapshot' }], filters: [] }],
  ['resource (security group CreateSecurityGroup made)', { attributes: [], filters: [{ field: 'resource', op: 'equals', value: 'sg-0c0ffee0000000002' }] }],
  ['source IP', { attributes: [], filters: [{ field: 'sourceIPAddress', op: 'equals', value: '1.2.3.4' }] }],
  ['user agent contains, any case', { attributes: [], filters: [{ field: 'userAgent', op: 'contains', value: 'AWS-CLI' }] }],
  ['principal ARN matches the role behind sessions', { attributes: [], filters: [{ field: 'principalArn', op: 'equals', value: 'arn:aws:iam::222222222222:role/Audit' }] }],
  ['session name', { attributes: [], filters: [{ field: 'sessionName', op: 'equals', value: 'audit-session' }] }],
  ['resource short name from an ARN', { attributes: [], filters: [{ field: 'resource', op: 'equals', value: 'Audit' }] }],
  ['resource contains', { attributes: [], filters: [{ field: 'resource', op: 'contains', value: 'FINANCE' }] }],
  ['resource of a type, by an ARN\'s short name', { attributes: [], filters: [{ field: 'typedResource', op: 'equals', value: 'AWS::IAM::Role Audit' }] }],
  ['resource of a type contains', { attributes: [], filters: [{ field: 'typedResource', op: 'contains', value: 's3::bucket finance' }] }],
  ['minted key', { attributes: [], filters: [{ field: 'mintedAccessKeyId', op: 'equals', value: 'ASIAAUDITEXAMPLE0001' }] }],
  ['error code', { attributes: [], filters: [{ field: 'errorCode', op: 'equals', value: 'AccessDenied' }] }],
  ['shared event id', { attributes: [], filters: [{ field: 'sharedEventID', op: 'equals', value: 'shared-0004' }] }],
  ['identity type and region', { attributes: [], filters: [{ field: 'userIdentityType', op: 'equals', value: 'AssumedRole' }, { field: 'awsRegion', op: 'equals', value: 'eu-west-1' }] }],
  ['inclusive start and end', { attributes: [], filters: [], start: '2026-03-01T10:01:00Z', end: '2026-03-01T10:05:00Z' }],
  ['times with milliseconds', { attributes: [], filters: [], start: '2020-09-14T00:44:23.000Z', end: '2020-09-14T00:50:00.999Z' }],
  // What a LookupEvents Event gave, and what it left to the derivation.
  ['Username an Event gave', { attributes: [{ AttributeKey: 'Username', AttributeValue: 'SSM' }], filters: [] }],
  ['ResourceName an Event gave', { attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'i-0abc' }], filters: [] }],
  ['ResourceName derived where the Event gave none', { attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'case-bucket' }], filters: [] }],
  ['resource an Event gave', { attributes: [], filters: [{ field: 'resource', op: 'equals', value: 'i-0abc' }] }],
  ['resource of a type an Event gave', { attributes: [], filters: [{ field: 'typedResource', op: 'contains', value: 'ec2::instance i-0' }] }],
];

for (const [name, request] of REQUESTS) {
  test(`SQL and JavaScript agree: ${name}`, async () => {
    const expected = rows
      .filter((stored) => storedMatches(stored, request))
      .map((stored) => storedEvent(stored).EventId)
      .sort();
    const got = (await source.lookupEvents(request)).map((e) => e.EventId);
    assert.deepEqual([...got].sort(), expected);
    const [batch] = await source.lookupBatch([{ ...request, max: 0 }]);
    assert.equal(batch.count, expected.length);
  });
}

test('the conditions above are not vacuous: most select some but not all events', async () => {
  const counts = (await source.lookupBatch(REQUESTS.map(([, r]) => ({ ...r, max: 0 })))).map((a) => a.count);
  const partial = counts.filter((n) => n > 0 && n < rows.length).length;
  assert.ok(partial >= REQUESTS.length - 3, `only ${partial} requests select a proper subset`);
});

test('lookups are newest first, honour max and page through onPage', async () => {
  const pages: number[] = [];
  const events = await source.lookupEvents({ attributes: [], filters: [], max: 110 }, { onPage: (p) => pages.push(p.length) });
  assert.equal(events.length, 110);
  assert.deepEqual(pages, [110]);
  for (let i = 1; i < events.length; i++) assert.ok(events[i - 1].EventTime >= events[i].EventTime);
  await assert.rejects(source.lookupEvents({ attributes: [], filters: [] }, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('lookupBatch gives every request the newest events lookupEvents gives, and counts all of its matches', async () => {
  const requests = REQUESTS.map(([, r]) => ({ ...r, max: 5 }));
  const batch = await source.lookupBatch(requests);
  for (const [i, request] of requests.entries()) {
    assert.deepEqual(batch[i].events, await source.lookupEvents(request), REQUESTS[i][0]);
    assert.equal(batch[i].count, (await source.lookupEvents({ ...request, max: undefined })).length, REQUESTS[i][0]);
  }
});

test('the pivot side table answers every pivot of every event as the column scans do', async () => {
  const events = await source.lookupEvents({ attributes: [], filters: [] });
  const requests = events.flatMap((event) => relatedQueries(recordOfEvent(event), event).map((q) => q.request));
  const pivots = new Set(events.flatMap((event) => relatedQueries(recordOfEvent(event), event).map((q) => q.pivot)));
  assert.deepEqual([...pivots].sort(), ['access-key', 'instance', 'instance-role', 'minted-by', 'minted-key', 'principal', 'request', 'resource', 'session', 'source-ip', 'time-window']);
  const first = (pivot: string): string => events.flatMap((e) => relatedQueries(recordOfEvent(e), e)).find((q) => q.pivot === pivot)?.value ?? '';
  const [principal, ip] = [first('principal'), first('source-ip')];
  requests.push(
    // The side table's own columns must narrow a key, not just carry it.
    { attributes: [{ AttributeKey: 'Username', AttributeValue: 'nobody' }], filters: [{ field: 'principalArn', op: 'equals', value: principal }] },
    { attributes: [{ AttributeKey: 'EventSource', AttributeValue: 'nothing.amazonaws.com' }], filters: [{ field: 'sourceIPAddress', op: 'equals', value: ip }] },
    { attributes: [], filters: [{ field: 'principalArn', op: 'equals', value: 'arn:aws:iam::0:role/none' }, { field: 'sourceIPAddress', op: 'equals', value: ip }] },
    // Keyed requests the side table must hand back to the scans: a key with a condition it cannot check.
    { attributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }], filters: [{ field: 'sourceIPAddress', op: 'equals', value: ip }] },
    { attributes: [], filters: [{ field: 'principalArn', op: 'contains', value: 'role' }, { field: 'sessionName', op: 'equals', value: 'i-0317f6c6b66ae9c40' }] },
  );
  const answers = async (): Promise<unknown[]> => source.lookupBatch(requests.map((r) => ({ ...r, max: 3 })));
  const withTable = await answers();
  assert.ok(withTable.some((a) => (a as { count: number }).count > 3), 'some pivot has more events than it shows');
  // A side table hashed otherwise (a DuckDB whose md5_number differs), or built before typed resource keys
  // (its record is the hash of the bare string), is not used; emptied here to tell.
  await source.store.run(`DELETE FROM ${KEYS_TABLE}; UPDATE store_info SET value = md5_number('keys_hash_check')::VARCHAR WHERE key = 'keys_hash_check'`);
  assert.deepEqual(await answers(), withTable);
  await source.store.run(KEYS_TABLE_DROP_SQL);
  assert.deepEqual(await answers(), withTable);
  const more = tempDir();
  const records = [
    { eventVersion: '1.08', eventTime: '2026-03-02T00:00:00Z', eventID: 'side-0001', eventName: 'GetObject', eventSource: 's3.amazonaws.com', resources: [{ ARN: 'arn:aws:s3:::side-bucket' }] },
    { eventVersion: '1.08', eventTime: '2026-03-02T00:01:00Z', eventID: 'side-0002', eventName: 'CloudTrailInsight', eventSource: 's3.amazonaws.com', eventCategory: 'Insight', resources: [{ ARN: 'arn:aws:s3:::side-bucket' }] },
  ];
  writeFileSync(join(more, 'more.json'), JSON.stringify({ Records: records }));
  await ingestPaths(source.store, [more]);
  const found = await source.lookupEvents({ attributes: [], filters: [{ field: 'resource', op: 'equals', value: 'arn:aws:s3:::side-bucket' }] });
  assert.deepEqual(found.map((e) => e.EventId), ['side-0001']);
  const tables = await source.store.all<{ n: bigint }>('SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?', [KEYS_TABLE]);
  assert.equal(Number(tables[0].n), 1);
});

test('hostile resource values derive as in JavaScript: only non-empty JSON strings name or type a resource', async () => {
  const hostileDir = tempDir();
  const base = { eventVersion: '1.08', eventTime: '2026-03-03T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'Hostile' };
  const records = [
    { resources: [{ type: 5, ARN: 'arn:aws:s3:::b/k' }, { type: '', ARN: 'arn:aws:s3:::b' }, 'str', null, { ARN: 7 }, { type: 'T', ARN: 'arn:aws:s3:::b' }] },
    { resources: { type: 'T', ARN: 'arn:aws:s3:::not-a-list' }, requestParameters: { bucketName: 5, roleName: { a: 1 }, userName: ['x'], groupName: null, policyArn: '' } },
    { requestParameters: { bucketName: 'a\\b', roleName: 'q"uote', userName: 'line\nbreak', groupName: 'é\u2028', keyId: '\u0000z' } },
    { requestParameters: { roleName: 'dup', roleArn: 'arn:aws:iam::1:role/dup', userName: 'dup', instancesSet: { items: [{ instanceId: 'i-1' }, { instanceId: 5 }, 'i-2', { instanceId: 'i-1' }] } } },
    { requestParameters: [{ bucketName: 'in-a-list' }] },
    { eventSource: 'ssm.amazonaws.com', requestParameters: { name: 'param', groupId: 'sg-1', accessKeyId: 'AKIA' } },
    { eventSource: 'ec2.amazonaws.com', responseElements: { instancesSet: { items: [null, 'i-3', { instanceId: 5 }, { instanceId: '' }, { instanceId: 'i-4' }, { instanceId: 'i-4' }] }, snapshotId: { id: 1 }, imageId: ['ami'], volumeId: 7, groupId: '' } },
    { eventSource: 'ec2.amazonaws.com', requestParameters: { volumeId: 'vol-1' }, responseElements: { snapshotId: 'snap-1', volumeId: 'vol-1', instancesSet: { items: { instanceId: 'i-5' } }, accessKey: { accessKeyId: 'AKIA' } } },
    { eventSource: 'iam.amazonaws.com', resources: [{ ARN: 'AKIADUP' }], responseElements: { accessKey: { accessKeyId: 'AKIADUP' }, groupId: 'sg-2' } },
    { eventSource: 'iam.amazonaws.com', responseElements: { accessKey: 'AKIA', credentials: { accessKeyId: 'ASIA' } } },
    { eventSource: 'ec2.amazonaws.com', responseElements: 'text' },
    { eventSource: 'ec2.amazonaws.com', responseElements: [{ snapshotId: 'snap-in-a-list' }] },
    { eventSource: 'ssm.amazonaws.com', requestParameters: { instanceIds: ['i-6', 5, null, '', 'i-6', { id: 'i' }, 'i-7'], target: 'i-7' } },
    { eventSource: 'ssm.amazonaws.com', requestParameters: { instanceIds: 'i-8', target: ['i-9'] } },
    { eventSource: 'ec2.amazonaws.com', requestParameters: { instanceIds: ['i-10'] } },
  ].map((extra, i) => ({ ...base, eventID: `hostile-${i}`, ...extra }));
  writeFileSync(join(hostileDir, 'hostile.json'), JSON.stringify({ Records: records }));
  const hostile = new EvidenceSource(await openStore(hostileDir));
  try {
    await ingestPaths(hostile.store, [hostileDir]);
    const stored = await hostile.lookupEvents({ attributes: [], filters: [] });
    assert.equal(stored.length, records.length);
    for (const event of stored) assert.deepEqual(event, toLookupEvent(event.CloudTrailEvent), event.EventId);
    const first = stored.find((e) => e.EventId === 'hostile-0');
    assert.deepEqual(first?.Resources, [{ ResourceName: 'arn:aws:s3:::b/k' }, { ResourceName: 'arn:aws:s3:::b' }]);
    const byId = (id: string): unknown => stored.find((e) => e.EventId === id)?.Resources;
    assert.deepEqual(byId('hostile-6'), [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-4' }]);
    assert.deepEqual(byId('hostile-7'), [{ ResourceType: 'AWS::EC2::Volume', ResourceName: 'vol-1' }, { ResourceType: 'AWS::EC2::Snapshot', ResourceName: 'snap-1' }]);
    assert.deepEqual(byId('hostile-8'), [{ ResourceName: 'AKIADUP' }]);
    assert.deepEqual(byId('hostile-12'), ['i-7', 'i-6'].map((name) => ({ ResourceType: 'AWS::EC2::Instance', ResourceName: name })), 'the target first, then the list');
    assert.deepEqual([byId('hostile-13'), byId('hostile-14')], [[], []]);
  } finally {
    hostile.close();
  }
});

test('hostile ReadOnly values and letters that lower differently select the same events in SQL and JavaScript', async () => {
  const hostileDir = tempDir();
  const base = { eventVersion: '1.08', eventTime: '2026-03-03T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'Odd' };
  const records = [
    ...[true, 'true', false, 'false', 'True', 1, 'yes', 't', 0, 'FALSE'].map((readOnly) => ({ readOnly })),
    { userAgent: 'ΟΔΟΣ-agent', errorMessage: 'İstanbul denied' },
    { userAgent: 'οδοσ-agent' },
  ].map((extra, i) => ({ ...base, eventID: `odd-${i}`, ...extra }));
  writeFileSync(join(hostileDir, 'odd.json'), JSON.stringify({ Records: records }));
  const odd = new EvidenceSource(await openStore(hostileDir));
  try {
    await ingestPaths(odd.store, [hostileDir]);
    const ids = async (request: LookupRequest) => (await odd.lookupEvents(request)).map((e) => e.EventId).sort();
    const readOnly = (value: string): LookupRequest => ({ attributes: [{ AttributeKey: 'ReadOnly', AttributeValue: value }], filters: [] });
    assert.deepEqual(await ids(readOnly('true')), ['odd-0', 'odd-1'], 'only true and "true"');
    assert.deepEqual(await ids(readOnly('false')), ['odd-2', 'odd-3']);
    // Each text finds itself, whatever the two engines make of its capitals.
    for (const [field, value] of [['userAgent', 'ΟΔΟΣ-agent'], ['errorMessage', 'İstanbul'], ['userAgent', 'οδοσ-agent']] as const) {
      assert.ok((await ids({ attributes: [], filters: [{ field, op: 'contains', value }] })).length > 0, `${field}~${value}`);
    }
    for (const event of await odd.lookupEvents({ attributes: [], filters: [] })) assert.deepEqual(event, toLookupEvent(event.CloudTrailEvent), event.EventId);
  } finally {
    odd.close();
  }
});

test('Username is root for every root call, alias or not; a session named only in principalId is found by that name; an Insights event by the API it names', async () => {
  const dir = tempDir();
  const base = { eventVersion: '1.08', eventTime: '2026-03-04T10:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'GetUser', awsRegion: 'us-east-1' };
  const records = [
    { ...base, eventID: 'root-plain', userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' } },
    // An account with an alias: CloudTrail writes the alias as the root's userName; Event history shows root.
    { ...base, eventID: 'root-alias', userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', userName: 'acme-prod' } },
    { ...base, eventID: 'session-id-only', userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:i-0abc123' } },
    // An Insights event names the API whose rate was unusual only in insightDetails.
    { eventVersion: '1.07', eventTime: base.eventTime, awsRegion: 'us-east-1', eventID: 'insight-1', eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight', insightDetails: { eventSource: 'iam.amazonaws.com', eventName: 'DeleteUser', insightType: 'ApiCallRateInsight' } },
  ];
  writeFileSync(join(dir, 'identities.json'), JSON.stringify({ Records: records }));
  const store = new EvidenceSource(await openStore(dir));
  try {
    await ingestPaths(store.store, [dir]);
    const ids = async (name: string) => (await store.lookupEvents({ attributes: [{ AttributeKey: 'Username', AttributeValue: name }], filters: [] })).map((e) => e.EventId).sort();
    assert.deepEqual(await ids('root'), ['root-alias', 'root-plain']);
    assert.deepEqual(await ids('acme-prod'), []);
    assert.deepEqual(await ids('i-0abc123'), ['session-id-only']);
    const insights = await store.lookupEvents({ attributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteUser' }], filters: [], eventCategory: 'insight' });
    assert.deepEqual(insights.map((e) => [e.EventId, e.EventSource]), [['insight-1', 'iam.amazonaws.com']]);
    const all = [...(await store.lookupEvents({ attributes: [], filters: [] })), ...insights];
    assert.equal(all.length, records.length);
    for (const event of all) assert.deepEqual(event, toLookupEvent(event.CloudTrailEvent), event.EventId);
  } finally {
    store.close();
  }
});
