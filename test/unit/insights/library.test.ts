import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileQuery, parseQuery, SOURCE_TABLES } from '../../../src/core/insights';
import { QUERY_LIBRARY, queriesFor } from '../../../src/core/insights/library';
import { runEvidenceInsights } from '../../../src/sources/evidence/insights';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { GROUPS, openFixtureStore, type FixtureStore } from './fixture-store';

let fixture: FixtureStore;
before(async () => {
  fixture = await openFixtureStore();
});
after(() => fixture.dispose());

const GROUP_OF_KIND: Record<string, string> = { 'vpc-flow': GROUPS.flows, lambda: GROUPS.lambda, cloudtrail: GROUPS.cloudtrail, other: GROUPS.lambda };

describe('query library', () => {
  it('has unique ids and the queries the issue names', () => {
    assert.equal(new Set(QUERY_LIBRARY.map((q) => q.id)).size, QUERY_LIBRARY.length);
    const texts = QUERY_LIBRARY.map((q) => q.query.replace(/\s+/g, ' '));
    assert.ok(texts.includes('stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10'));
    assert.ok(texts.includes('filter @type = "REPORT" | stats avg(@duration), max(@duration), min(@duration) by bin(5m)'));
    assert.ok(queriesFor('vpc-flow').some((q) => q.id === 'flows-port-scans'));
    assert.ok(queriesFor('cloudtrail').length >= 20);
  });

  for (const entry of QUERY_LIBRARY) {
    it(`${entry.id} parses, compiles and runs offline over its kind of log`, async () => {
      const query = parseQuery(entry.query);
      compileQuery(query, { tables: SOURCE_TABLES, logGroups: [], nowMs: 0, defaultLimit: 10_000 });
      const result = await runEvidenceInsights(fixture.store, { query: entry.query, logGroups: [GROUP_OF_KIND[entry.kinds[0]]], start: '', end: '' });
      assert.equal(result.status, 'Complete');
    });
  }

  it('top byte pairs and Lambda durations give the right answers on the fixture', async () => {
    const top = await runEvidenceInsights(fixture.store, { query: QUERY_LIBRARY.find((q) => q.id === 'flows-top-byte-pairs')!.query, logGroups: [GROUPS.flows], start: '', end: '' });
    assert.deepEqual(top.results[0], [{ field: 'srcAddr', value: '10.0.0.5' }, { field: 'dstAddr', value: '203.0.113.9' }, { field: 'bytesTransferred', value: '14000' }]);
    const scans = await runEvidenceInsights(fixture.store, { query: QUERY_LIBRARY.find((q) => q.id === 'hunt-trail-tampering')!.query, logGroups: [GROUPS.cloudtrail], start: '', end: '' });
    assert.equal(scans.results.length, 1);
    assert.ok(scans.results[0].some((f) => f.field === 'requestParameters.name' && f.value === 'management-trail'));
  });
});

describe('the hunts find what CloudTrail records, as it names and shapes it', () => {
  let store: EvidenceStore;
  const events: Array<Record<string, unknown>> = [
    // CloudTrail names these calls otherwise than their APIs: the bucket-level and account-level event names.
    { eventName: 'PutBucketPublicAccessBlock', eventSource: 's3.amazonaws.com', requestParameters: { bucketName: 'prod-data' } },
    { eventName: 'DeleteAccountPublicAccessBlock', eventSource: 's3-control.amazonaws.com' },
    // Lambda's carry the API version.
    { eventName: 'PublishLayerVersion20181031', eventSource: 'lambda.amazonaws.com', requestParameters: { layerName: 'shim' } },
    { eventName: 'CreateFunctionUrlConfig20211031', eventSource: 'lambda.amazonaws.com', requestParameters: { functionName: 'orders-api', authType: 'NONE' } },
    // RunInstances has the type at the top of its parameters.
    { eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', requestParameters: { instanceType: 'p3.16xlarge', instancesSet: { items: [{ imageId: 'ami-1', minCount: 1, maxCount: 1 }] } } },
    { eventName: 'PutEventSelectors', eventSource: 'cloudtrail.amazonaws.com', requestParameters: { trailName: 'management-events' } },
    { eventName: 'AuthorizeSecurityGroupIngress', eventSource: 'ec2.amazonaws.com', requestParameters: { groupId: 'sg-0123', ipPermissions: { items: [{ fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } } },
  ].map((e, i) => ({ eventVersion: '1.08', eventID: `hunt-${i}`, eventTime: `2026-03-05T10:00:${String(i).padStart(2, '0')}Z`, awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.5',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory' }, recipientAccountId: '111122223333', ...e }));
  const run = async (id: string) => {
    const result = await runEvidenceInsights(store, { query: QUERY_LIBRARY.find((q) => q.id === id)!.query, logGroups: ['hunts'], start: '', end: '' });
    return result.results.map((row) => Object.fromEntries(row.map((f) => [f.field, f.value])));
  };

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailscope-hunts-'));
    writeFileSync(join(dir, 'trail.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    store = await EvidenceStore.open(join(dir, 'hunts.duckdb'));
    await ingestPaths(store, [dir], { logGroup: 'hunts' });
  });
  after(() => store.close());

  it('S3 exposure, Lambda backdoors, instance types, trail tampering and opened security groups', async () => {
    assert.deepEqual((await run('hunt-s3-exposure')).map((r) => r.eventName), ['DeleteAccountPublicAccessBlock', 'PutBucketPublicAccessBlock']);
    assert.deepEqual((await run('hunt-lambda-backdoors')).map((r) => [r.eventName, r['requestParameters.authType']]), [['CreateFunctionUrlConfig20211031', 'NONE'], ['PublishLayerVersion20181031', undefined]]);
    assert.equal((await run('hunt-unusual-compute'))[0]?.['requestParameters.instanceType'], 'p3.16xlarge');
    assert.equal((await run('hunt-trail-tampering'))[0]?.['requestParameters.trailName'], 'management-events');
    const [opened] = await run('hunt-security-group-opened');
    assert.deepEqual([opened?.['requestParameters.ipPermissions.items.0.fromPort'], opened?.['requestParameters.ipPermissions.items.0.ipRanges.items.0.cidrIp']], ['22', '0.0.0.0/0']);
  });
});
