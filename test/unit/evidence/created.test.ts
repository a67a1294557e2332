import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, after, test } from 'node:test';
import { findRelated } from '../../../src/core/pivots/related';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { cli, fixture, openStore, tempDir } from './helpers';

/**
 * test/fixtures/evidence/created/creations.json: calls whose response, not their request, names what they
 * created (RunInstances, CreateAccessKey, CreateSnapshot, CreateImage, CopyImage, CreateVolume,
 * CreateSecurityGroup), a failed RunInstances, and later calls on what was created.
 */
const db = join(tempDir(), 'created.duckdb');
let source: EvidenceSource;

const names = (out: string): string[] => (JSON.parse(out) as { Events: Array<{ EventName: string }> }).Events.map((e) => e.EventName);
const lookup = async (...argv: string[]): Promise<string> => {
  const result = await cli('lookup', '--db', db, ...argv, '--format', 'json');
  assert.equal(result.code, 0, result.err);
  return result.out;
};

before(async () => {
  const ingest = await cli('ingest', fixture('created'), '--db', db, '--format', 'json');
  assert.equal(ingest.code, 0, ingest.err);
  assert.equal(JSON.parse(ingest.out).records.cloudtrail, 12);
  const dir = tempDir();
  const store = await openStore(dir);
  await ingestPaths(store, [fixture('created')]);
  source = new EvidenceSource(store);
});
after(() => source.close());

test('lookup by ResourceName finds the RunInstances that created the instance, with the instances in its Resources', async () => {
  assert.deepEqual(names(await lookup('--attr', 'ResourceName=i-0abc1230000000001')), ['CreateImage', 'RunInstances']);
  assert.deepEqual(names(await lookup('--attr', 'ResourceName=i-0abc1230000000002')), ['TerminateInstances', 'RunInstances']);
  const run = (JSON.parse(await lookup('--attr', 'EventName=RunInstances')) as { Events: Array<{ Resources: unknown; CloudTrailEvent: string }> }).Events;
  // The failed launch (vCPU limit) created nothing; the successful one created two instances.
  assert.deepEqual(run.map((e) => e.Resources), [
    [],
    [
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0abc1230000000001' },
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0abc1230000000002' },
    ],
  ]);
  assert.deepEqual(names(await lookup('--attr', 'ResourceType=AWS::EC2::Instance')), ['TerminateInstances', 'CreateImage', 'RunInstances']);
});

test('lookup by a key used from outside finds the CreateAccessKey that minted it', async () => {
  const used = (JSON.parse(await lookup('--attr', 'EventName=ListBuckets')) as { Events: Array<{ AccessKeyId: string }> }).Events;
  assert.equal(used.length, 1);
  const created = (JSON.parse(await lookup('--attr', `ResourceName=${used[0].AccessKeyId}`)) as { Events: Array<{ EventName: string; Resources: unknown }> }).Events;
  assert.deepEqual(created.map((e) => e.EventName), ['CreateAccessKey']);
  assert.deepEqual(created[0].Resources, [
    { ResourceType: 'AWS::IAM::User', ResourceName: 'svc-backup' },
    { ResourceType: 'AWS::IAM::AccessKey', ResourceName: 'AKIANEWKEYEXAMPLE002' },
  ]);
});

test('EC2 creations whose response carries the new ID are found by that ID', async () => {
  assert.deepEqual(names(await lookup('--attr', 'ResourceName=snap-0c0ffee0000000001')), ['ModifySnapshotAttribute', 'CreateSnapshot']);
  assert.deepEqual(names(await lookup('--attr', 'ResourceName=ami-0c0ffee0000000002')), ['CreateImage']);
  assert.deepEqual(names(await lookup('--attr', 'ResourceName=ami-0c0ffee0000000003')), ['CopyImage']);
  assert.deepEqual(names(await lookup('--attr', 'ResourceName=vol-0c0ffee0000000002')), ['CreateVolume']);
  assert.deepEqual(names(await lookup('--attr', 'ResourceName=sg-0c0ffee0000000002')), ['CreateSecurityGroup']);
  // CreateSnapshot's request names the volume; the snapshot it made follows.
  const snapshot = (JSON.parse(await lookup('--attr', 'EventName=CreateSnapshot')) as { Events: Array<{ Resources: unknown }> }).Events[0];
  assert.deepEqual(snapshot.Resources, [
    { ResourceType: 'AWS::EC2::Volume', ResourceName: 'vol-0c0ffee0000000001' },
    { ResourceType: 'AWS::EC2::Snapshot', ResourceName: 'snap-0c0ffee0000000001' },
  ]);
});

test('the same-resource pivot of a call on an instance includes the RunInstances that created it', async () => {
  const [image] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateImage' }], filters: [] });
  const related = await findRelated(source, image, { pivots: ['resource'] });
  const instance = related.pivots.find((p) => p.value === 'i-0abc1230000000001 (AWS::EC2::Instance)');
  assert.deepEqual(instance?.events?.map((e) => e.EventName), ['CreateImage', 'RunInstances']);
  // And from RunInstances itself, each instance it created is a pivot.
  const launches = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventName', AttributeValue: 'RunInstances' }], filters: [] });
  const run = launches.find((e) => !(JSON.parse(e.CloudTrailEvent ?? '{}') as { errorCode?: string }).errorCode);
  assert.ok(run);
  const fromRun = await findRelated(source, run, { pivots: ['resource'] });
  assert.deepEqual(fromRun.pivots.map((p) => [p.value, p.count]), [['i-0abc1230000000001 (AWS::EC2::Instance)', 2], ['i-0abc1230000000002 (AWS::EC2::Instance)', 2]]);
  // The CLI's related command answers the same.
  const cliRelated = await cli('related', '--db', db, '--event-id', image.EventId, '--pivot', 'resource', '--format', 'json');
  assert.equal(cliRelated.code, 0, cliRelated.err);
  const pivots = (JSON.parse(cliRelated.out) as { pivots: Array<{ value: string; events: Array<{ EventName: string }> }> }).pivots;
  assert.deepEqual(pivots.find((p) => p.value === 'i-0abc1230000000001 (AWS::EC2::Instance)')?.events.map((e) => e.EventName), ['CreateImage', 'RunInstances']);
});
