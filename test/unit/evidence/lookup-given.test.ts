import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findRelated } from '../../../src/core/pivots/related';
import type { LookupRequest } from '../../../src/core/lookup/request';
import { ingestPaths, type IngestOptions } from '../../../src/sources/evidence/ingest';
import { KEYS_TABLE, KEYS_TABLE_USABLE } from '../../../src/sources/evidence/schema';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { givenEvents, openStore, tempDir } from './helpers';

/**
 * Event history exported with `aws cloudtrail lookup-events` holds AWS's own Username and Resources of
 * each event, which Trailscope otherwise derives only approximately (aws-api-reference A.6): the store
 * keeps them beside the record and answers lookups with them, as the live API does.
 */

const WHOLE_AND_IN_PARTS: Array<[string, IngestOptions]> = [['whole', {}], ['in parts', { limits: { streamAbove: 0, partBytes: 64 } }]];

/** The three Events as the CLI's output, as its list alone (`--query Events`), and one a line, each with its own IDs. */
function writeEventFiles(dir: string): Record<string, string> {
  const texts: Record<string, string> = {};
  const keep = (events: Array<Record<string, unknown>>): Array<Record<string, unknown>> => {
    for (const e of events) texts[e.EventId as string] = e.CloudTrailEvent as string;
    return events;
  };
  writeFileSync(join(dir, 'lookup-events.json'), JSON.stringify({ Events: keep(givenEvents('cli-')) }, null, 4));
  writeFileSync(join(dir, 'query-events.json'), JSON.stringify(keep(givenEvents('list-')), null, 2));
  writeFileSync(join(dir, 'events.jsonl'), keep(givenEvents('line-')).map((e) => JSON.stringify(e)).join('\n'));
  return texts;
}

const FORMS = ['cli-', 'line-', 'list-'];
const each = (id: string): string[] => FORMS.map((form) => `${form}${id}`);

async function ids(source: EvidenceSource, request: Partial<LookupRequest>): Promise<string[]> {
  return (await source.lookupEvents({ attributes: [], filters: [], ...request })).map((e) => e.EventId).sort();
}
const attribute = (key: 'Username' | 'ResourceName' | 'ResourceType', value: string): Partial<LookupRequest> => ({ attributes: [{ AttributeKey: key, AttributeValue: value }] });

/**
 * What lookups answer with the Events' own values, and with the derived ones where an Event gives none;
 * `alsoOnInstance` are the store's other events on instance i-0abc.
 */
async function assertGivenValuesAnswer(source: EvidenceSource, name: string, alsoOnInstance: string[] = []): Promise<void> {
  const tags = [...each('tags'), ...alsoOnInstance].sort();
  assert.deepEqual(await ids(source, attribute('Username', 'SSM')), each('ssm'), `${name}: Username=SSM`);
  assert.deepEqual(await ids(source, attribute('ResourceName', 'i-0abc')), tags, `${name}: ResourceName=i-0abc`);
  assert.deepEqual(await ids(source, attribute('ResourceType', 'AWS::EC2::Instance')), tags, `${name}: the SSM call's Event names no instance`);
  assert.deepEqual(await ids(source, attribute('ResourceName', 'i-0ssm')), [], `${name}: Resources [] is AWS's answer`);
  // The Event without Username and Resources: the derived ones stand.
  assert.deepEqual(await ids(source, attribute('Username', 'bob')), each('plain'), `${name}: Username derived`);
  assert.deepEqual(await ids(source, attribute('ResourceName', 'case-bucket')), each('plain'), `${name}: Resources derived`);
  // The resource filter, and the pivot side table a typed resource pivot reads, hold the given names too.
  assert.deepEqual(await ids(source, { filters: [{ field: 'resource', op: 'equals', value: 'i-0abc' }] }), tags, `${name}: resource filter`);
  const [typed] = await source.lookupBatch([{ attributes: [], filters: [{ field: 'typedResource', op: 'equals', value: 'AWS::EC2::Instance i-0abc' }] }]);
  assert.deepEqual(typed.events.map((e) => e.EventId).sort(), tags, `${name}: side table`);
  const [event] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: 'cli-tags' }], filters: [] });
  assert.deepEqual([event.Username, event.Resources], ['alice', [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0abc' }]], name);
}

test('lookup-events output, its list alone and its Events a line keep each Event\'s Username and Resources, read whole or in parts', async () => {
  const dir = tempDir();
  const texts = writeEventFiles(dir);
  const stored: Record<string, string[]> = {};
  for (const [name, options] of WHOLE_AND_IN_PARTS) {
    const store = await openStore(tempDir(), `${name}.duckdb`);
    const source = new EvidenceSource(store);
    try {
      const report = await ingestPaths(store, [dir], options);
      assert.deepEqual([report.records.cloudtrail, report.skipped], [9, []], name);
      const [usable] = await store.all<{ n: bigint }>(KEYS_TABLE_USABLE);
      assert.equal(Number(usable.n), 1, `${name}: lookups read the side table`);
      await assertGivenValuesAnswer(source, name);
      // The record stays the CloudTrailEvent text (chain of custody); what the Event gave is kept beside it.
      const rows = await store.all<{ event_id: string; raw: string; lookup_given: string | null }>('SELECT event_id, raw::VARCHAR AS raw, lookup_given::VARCHAR AS lookup_given FROM cloudtrail ORDER BY event_id');
      for (const row of rows) assert.equal(row.raw, texts[row.event_id], `${name}: ${row.event_id}`);
      const given = Object.fromEntries(rows.map((r) => [r.event_id, r.lookup_given === null ? null : JSON.parse(r.lookup_given)]));
      for (const form of FORMS) {
        assert.deepEqual([given[`${form}ssm`], given[`${form}tags`], given[`${form}plain`]], [
          { Username: 'SSM', Resources: [] },
          { Username: 'alice', Resources: [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0abc' }] },
          null,
        ], `${name}: ${form}`);
      }
      stored[name] = (await store.all<Record<string, unknown>>('SELECT * EXCLUDE (file_id) FROM cloudtrail ORDER BY event_id')).map((r) => JSON.stringify(r));
    } finally {
      source.close();
    }
  }
  assert.deepEqual(stored['in parts'], stored.whole, 'the same rows both ways');
});

test('the resource pivot of an S3 log file\'s event finds the CreateTags its instance\'s Event names, and derived again a store keeps the given values', async () => {
  const dir = tempDir();
  writeEventFiles(dir);
  const terminate = {
    eventVersion: '1.09', eventID: 'terminate', eventTime: '2026-03-05T11:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'TerminateInstances', awsRegion: 'us-east-1',
    recipientAccountId: '111111111111', requestParameters: { instancesSet: { items: [{ instanceId: 'i-0abc' }] } },
  };
  writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: [terminate] }));
  const store = await openStore(tempDir());
  const source = new EvidenceSource(store);
  try {
    await ingestPaths(store, [dir]);
    const related = async (): Promise<string[]> => {
      const [event] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: 'terminate' }], filters: [] });
      const [resource] = (await findRelated(source, event, { pivots: ['resource'] })).pivots;
      return (resource?.events ?? []).map((e) => e.EventId).sort();
    };
    assert.deepEqual(await related(), [...each('tags'), 'terminate'].sort());
    // As rules learned later leave a store: its events derived with others, which the next ingest derives again.
    await store.run("UPDATE cloudtrail SET username = NULL, resources = [], resource_keys = []; DELETE FROM store_info WHERE key = 'derivation'");
    assert.deepEqual(await ids(source, attribute('Username', 'SSM')), []);
    const report = await ingestPaths(store, []);
    assert.equal(report.rederived, 10);
    await assertGivenValuesAnswer(source, 'derived again', ['terminate']);
    assert.deepEqual(await related(), [...each('tags'), 'terminate'].sort());
    const keys = await store.all<{ key: string }>(`SELECT key FROM ${KEYS_TABLE} WHERE event_id = 'cli-tags' AND key[1] IN ('r', 't') ORDER BY key`);
    assert.deepEqual(keys.map((k) => k.key), ['r:i-0abc', 't:AWS::EC2::Instance i-0abc']);
  } finally {
    source.close();
  }
});

test('a store made before the Event\'s values were kept is read as it is, and gains their column once opened for writing', async () => {
  const dir = tempDir();
  writeEventFiles(dir);
  const old = join(tempDir(), 'old.duckdb');
  const made = await EvidenceStore.open(old);
  const trail = join(tempDir(), 'trail.json');
  writeFileSync(trail, JSON.stringify({ Records: [{ eventVersion: '1.09', eventID: 'old-1', eventTime: '2026-03-01T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers',
    userIdentity: { type: 'IAMUser', userName: 'carol' } }] }));
  await ingestPaths(made, [trail]);
  // The cloudtrail table as it was: no lookup_given column (the event_id index would keep DuckDB from dropping it).
  await made.run('DROP INDEX cloudtrail_event_id; ALTER TABLE cloudtrail DROP COLUMN lookup_given');
  made.close();
  const column = async (store: EvidenceStore): Promise<number> =>
    Number((await store.all<{ n: bigint }>("SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'cloudtrail' AND column_name = 'lookup_given'"))[0].n);

  const readOnly = await EvidenceSource.open(old, { readOnly: true });
  try {
    assert.equal(await column(readOnly.store), 0, 'a read-only open changes nothing');
    assert.deepEqual(await ids(readOnly, attribute('Username', 'carol')), ['old-1']);
  } finally {
    readOnly.close();
  }
  const writable = await EvidenceSource.open(old);
  try {
    assert.equal(await column(writable.store), 1);
    const report = await ingestPaths(writable.store, [dir]);
    assert.deepEqual([report.records.cloudtrail, report.skipped], [9, []]);
    await assertGivenValuesAnswer(writable, 'old store');
    assert.deepEqual(await ids(writable, attribute('Username', 'carol')), ['old-1']);
  } finally {
    writable.close();
  }
});

test('an Event\'s Username that is no string, or Resources that are no list of named resources, leave the derived ones, never the ingest', async () => {
  const dir = tempDir();
  const base = { eventVersion: '1.09', eventTime: '2026-03-06T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetBucketAcl', awsRegion: 'us-east-1',
    userIdentity: { type: 'IAMUser', userName: 'derived-user' }, requestParameters: { bucketName: 'derived-bucket' } };
  const given: Array<Record<string, unknown>> = [
    { Username: 5, Resources: 'i-1' },
    { Username: { name: 'x' }, Resources: [null] },
    { Username: '', Resources: [{ ResourceName: 5 }] },
    { Username: null, Resources: { ResourceName: 'i-2' } },
    { Username: ['x'], Resources: [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-3' }, 'i-4'] },
    { Username: 'given-user', Resources: [{ ResourceType: ['AWS::EC2::Instance'], ResourceName: 'i-5' }] },
    // A lone surrogate DuckDB's JSON parser refuses becomes U+FFFD; a resource without a name names nothing.
    { Username: '\ud800x', Resources: [{ ResourceType: null, ResourceName: 'i-6' }, { ResourceType: 'AWS::EC2::Instance' }, { ResourceName: '' }] },
    { Username: 'q"uote\\', Resources: [{ ResourceType: '', ResourceName: 'arn:aws:s3:::given-bucket', extra: { a: 1 } }] },
  ];
  const events = given.map((g, i) => ({ EventId: `hostile-${i}`, ...g, CloudTrailEvent: JSON.stringify({ ...base, eventID: `hostile-${i}` }) }));
  writeFileSync(join(dir, 'lookup.json'), JSON.stringify({ Events: events }));
  const derived = { Username: 'derived-user', Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'derived-bucket' }] };
  const expected = [
    derived, derived, derived, derived, derived,
    { ...derived, Username: 'given-user' },
    { Username: '\ufffdx', Resources: [{ ResourceName: 'i-6' }] },
    { Username: 'q"uote\\', Resources: [{ ResourceName: 'arn:aws:s3:::given-bucket' }] },
  ];
  for (const [name, options] of WHOLE_AND_IN_PARTS) {
    const source = new EvidenceSource(await openStore(tempDir(), `${name}.duckdb`));
    try {
      const report = await ingestPaths(source.store, [dir], options);
      assert.deepEqual([report.records.cloudtrail, report.skipped], [events.length, []], name);
      const stored = new Map((await source.lookupEvents({ attributes: [], filters: [] })).map((e) => [e.EventId, { Username: e.Username, Resources: e.Resources }]));
      assert.deepEqual(events.map((e) => stored.get(e.EventId)), expected, name);
      assert.deepEqual(await ids(source, { filters: [{ field: 'typedResource', op: 'equals', value: 'AWS::S3::Bucket given-bucket' }] }), ['hostile-7'], `${name}: an S3 ARN's type is its bucket's`);
    } finally {
      source.close();
    }
  }
});
