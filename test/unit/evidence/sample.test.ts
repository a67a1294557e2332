import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestSample, SAMPLE_CASE, SAMPLE_NOTEBOOK, writeSample } from '../../../scripts/sample';
import { readCase } from '../../../src/core/case/case-file';
import { readNotebook } from '../../../src/core/notebook/notebook-file';
import { readPlace } from '../../../src/core/notebook/place';
import { STORY } from '../../../scripts/sample-story';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { findRelated } from '../../../src/core/pivots/related';
import { QUERY_LIBRARY } from '../../../src/core/insights/library';
import { parseAttribute, parseFilter } from '../../../src/core/lookup/parse';
import { tempDir } from './helpers';

/** The sample incident at a small scale: the whole story, a little background. */
const dir = tempDir();
let source: EvidenceSource;

before(async () => {
  writeSample(join(dir, 'evidence'), { scale: 0.05 });
  const report = await ingestSample(join(dir, 'evidence'), join(dir, 'sample.duckdb'));
  assert.deepEqual(report.skipped, []);
  source = await EvidenceSource.open(join(dir, 'sample.duckdb'), { readOnly: true });
});
after(() => source.close());

test('the sample is deterministic and laid out as AWS delivers it', () => {
  const again = join(dir, 'again');
  const first = writeSample(join(dir, 'one'), { scale: 0.05 });
  assert.deepEqual(writeSample(again, { scale: 0.05 }), first);
  assert.deepEqual(readdirSync(join(again, 'cloudtrail', 'AWSLogs')).sort(), [STORY.victimAccount, STORY.secondAccount]);
  assert.deepEqual(readdirSync(join(again, 'cloudtrail', 'AWSLogs', STORY.victimAccount, 'CloudTrail')).sort(), [...STORY.regions].sort());
});

test('a lookup by the leaked key from the attacker address finds the story in order', async () => {
  const events = await source.lookupEvents({
    attributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: STORY.leakedAccessKeyId }],
    filters: [{ field: 'sourceIPAddress', op: 'equals', value: STORY.attackerIp }],
  });
  const names = events.map((e) => e.EventName).reverse();
  assert.equal(events.at(-1)?.EventTime, STORY.firstUse);
  for (const name of ['GetCallerIdentity', 'ListUsers', 'CreatePolicyVersion', 'AttachUserPolicy', 'CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'AssumeRole', 'SendCommand', 'StopLogging', 'DeleteTrail']) {
    assert.ok(names.includes(name), name);
  }
  assert.ok(names.indexOf('AttachUserPolicy') < names.indexOf('CreateUser'));
  // The key's normal use came from the company's address; the attacker's address is new.
  const all = await source.lookupEvents({ attributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: STORY.leakedAccessKeyId }], filters: [] });
  assert.ok(all.length > events.length);
});

test('the minted key in the second account links back to the AssumeRole', async () => {
  const [theft] = await source.lookupEvents({ attributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: STORY.crossAccount.mintedAccessKeyId }, { AttributeKey: 'EventName', AttributeValue: 'GetObject' }], filters: [], max: 1 });
  assert.ok(theft);
  const related = await findRelated(source, theft, { pivots: ['minted-by', 'flows'], limit: 50 });
  const minted = related.pivots.find((p) => p.pivot === 'minted-by');
  assert.equal(minted?.events?.[0]?.EventName, 'AssumeRole');
  assert.equal(minted?.count, 2);
  // And back: from the AssumeRole, everything the key it minted signed, the theft among it.
  const signed = (await findRelated(source, minted!.events![0]!, { pivots: ['minted-key'], limit: 50 })).pivots;
  const everyUse = await source.lookupEvents({ attributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: STORY.crossAccount.mintedAccessKeyId }], filters: [] });
  assert.deepEqual(signed.map((p) => [p.pivot, p.value, p.count]), [['minted-key', STORY.crossAccount.mintedAccessKeyId, everyUse.length]]);
  assert.ok(signed[0]!.events!.some((e) => e.EventId === theft.EventId));
  // The attacker's address appears in the flow logs: the exfiltration from the reporting instance.
  const flows = related.pivots.find((p) => p.pivot === 'flows');
  assert.ok(flows && flows.count >= 22);
  const bytes = (flows.rows ?? []).filter((r) => r.some((c) => c.field === 'dstAddr' && c.value === STORY.attackerIp)).reduce((sum, r) => sum + Number(r.find((c) => c.field === 'bytes')?.value ?? 0), 0);
  assert.equal(bytes, STORY.theft.outboundBytes, 'the bytes that left are the story\'s figure, to the byte');
  // As much as the objects the role read hold, as CloudTrail records them.
  const reads = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }, { AttributeKey: 'ResourceName', AttributeValue: STORY.theft.bucket }], filters: [] });
  type Read = { requestParameters?: { key?: string }; additionalEventData?: { bytesTransferredOut?: number } };
  const exports = reads.map((e) => JSON.parse(e.CloudTrailEvent) as Read).filter((r) => r.requestParameters?.key?.startsWith('customers/export-'));
  assert.equal(exports.length, 60);
  const objectBytes = exports.reduce((sum, r) => sum + (r.additionalEventData?.bytesTransferredOut ?? 0), 0);
  assert.equal(objectBytes, STORY.theft.outboundBytes);
});

test("every lookup samples/README.md gives for a step of the story finds that step's events, at its time", async () => {
  const rows = readFileSync(join(__dirname, '..', '..', '..', 'samples', 'README.md'), 'utf8').split('\n')
    .map((line) => /^\| (\d\d:\d\d(?::\d\d)?)(?:–(\d\d:\d\d(?::\d\d)?))? \|.*\| `(?:lookup )?(--(?:attr|filter) [^`]+)` \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  assert.ok(rows.length >= 8, `${rows.length} steps with a lookup`);
  const at = (time: string, end: boolean): string => `2026-03-04T${time.length === 5 ? `${time}:${end ? '59' : '00'}` : time}Z`;
  for (const [, from, to, options] of rows) {
    const [option, value] = options!.split(' ');
    const request = option === '--attr' ? { attributes: [parseAttribute(value!)], filters: [] } : { attributes: [], filters: [parseFilter(value!)] };
    const found = await source.lookupEvents({ ...request, start: at(from!, false), end: at(to ?? from!, true) });
    assert.ok(found.length > 0, `${options} finds nothing at ${from}${to ? `–${to}` : ''}`);
  }
});

test('the S3 burst on the exported bucket is found by resource and principal', async () => {
  const events = await source.lookupEvents({
    attributes: [{ AttributeKey: 'ResourceName', AttributeValue: STORY.theft.bucket }, { AttributeKey: 'EventName', AttributeValue: 'GetObject' }],
    filters: [{ field: 'sessionName', op: 'equals', value: STORY.theft.instanceId }],
    start: STORY.theft.getObjects.from,
    end: STORY.theft.getObjects.to,
  });
  assert.equal(events.length, STORY.theft.getObjects.count);
});

test('from the SSM command to what the instance\'s role then did, and back: the instance pivots join the theft to the attacker', async () => {
  const [command] = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventName', AttributeValue: 'SendCommand' }], filters: [] });
  assert.ok(command);
  const onward = (await findRelated(source, command!, { pivots: ['instance-role'], limit: 100 })).pivots;
  assert.deepEqual(onward.map((p) => p.value), [STORY.theft.instanceId]);
  const theft = onward[0]!.events!.filter((e) => e.EventName === 'GetObject' && e.EventTime >= STORY.theft.getObjects.from.replace('.000Z', 'Z'));
  assert.ok(theft.length >= STORY.theft.getObjects.count, `${theft.length} reads after the command`);
  const back = (await findRelated(source, theft[0]!, { pivots: ['instance'] })).pivots;
  assert.deepEqual(back.map((p) => [p.value, p.events?.map((e) => e.EventName)]), [[STORY.theft.instanceId, ['SendCommand']]]);
});

test("the library's reconnaissance hunt puts the leaked key's user first, above everyone's daily listing", async () => {
  const hunt = QUERY_LIBRARY.find((q) => q.id === 'hunt-reconnaissance')!;
  const groups = (await source.logGroups()).filter((g) => g.kind === 'cloudtrail').map((g) => g.name);
  const result = await source.runInsights({ query: hunt.query, logGroups: groups, start: '', end: '' });
  const principals = result.results.map((row) => row.find((f) => f.field === 'userIdentity.arn')?.value);
  assert.ok(principals.length > 0 && principals.every((arn) => arn?.endsWith(`:user/${STORY.leakedUser}`)), JSON.stringify(principals));
});

test("the sample's investigation case pins the story's turning points, as found in the store, and saves the queries that find them", async () => {
  const { case: investigation, problems } = readCase(readFileSync(join(dir, SAMPLE_CASE), 'utf8'), SAMPLE_CASE, dir);
  assert.deepEqual(problems, []);
  const events = investigation.findings.map((f) => ('event' in f ? f.event : assert.fail('the sample case pins events')));
  assert.deepEqual(events.map((e) => [e.EventName, e.EventTime]), [
    ['GetCallerIdentity', STORY.firstUse],
    ['AttachUserPolicy', STORY.escalation.attachAdministratorAccess],
    ['CreateAccessKey', STORY.persistence.createAccessKey],
    ['AssumeRole', STORY.crossAccount.assumeRole],
    ['StopLogging', STORY.tampering.stopLogging],
  ]);
  for (const [i, finding] of investigation.findings.entries()) {
    assert.deepEqual(finding.target, { kind: 'evidence', path: join(dir, 'sample.duckdb') });
    assert.deepEqual(await source.getEvent(events[i]!.EventId), events[i], 'pinned exactly as the store returns it');
    assert.ok(finding.note.length > 0);
  }
  assert.deepEqual(investigation.queries.map((q) => [q.name, q.kind]), [['Everything the leaked key did', 'lookup'], ['Where the bytes went', 'insights']]);
});

test("the sample's notebook asks the story's questions, each answered as the kernel would answer it from the store", async () => {
  const { notebook, problems } = readNotebook(readFileSync(join(dir, SAMPLE_NOTEBOOK), 'utf8'), SAMPLE_NOTEBOOK);
  assert.deepEqual(problems, []);
  const queries = notebook.cells.filter((c) => c.kind !== 'markdown');
  assert.deepEqual(queries.map((c) => c.kind), ['lookup', 'insights', 'lookup', 'insights', 'lookup']);
  for (const cell of queries) {
    assert.deepEqual(readPlace(cell.place, dir).target, { kind: 'evidence', path: join(dir, 'sample.duckdb') }, 'the store beside the notebook');
  }
  const results = queries.map((c) => (c.output && 'result' in c.output ? c.output.result : assert.fail(`${c.source}: no result`)));
  const [byKey, byAddress, persistence, bytes, stopped] = results;
  const events = (r: typeof byKey) => (r?.kind === 'events' ? r.result.Events : assert.fail('an events result'));
  const rows = (r: typeof byKey) => (r?.kind === 'insights' ? r.result.results : assert.fail('an Insights result'));
  assert.ok(events(byKey).some((e) => e.EventTime === STORY.firstUse && e.EventName === 'GetCallerIdentity'), "the leaked key's use, the attacker's first call among it");
  assert.ok(rows(byAddress).some((row) => row.some((f) => f.field === 'userIdentity.arn' && f.value.endsWith(`user/${STORY.leakedUser}`))), 'the leaked user among the callers from the address');
  assert.deepEqual(events(persistence).map((e) => [e.EventName, e.EventTime]), [['CreateAccessKey', STORY.persistence.createAccessKey]]);
  assert.deepEqual(rows(bytes)[0]!.slice(0, 2), [{ field: 'srcAddr', value: STORY.theft.instanceIp }, { field: 'dstAddr', value: STORY.attackerIp }], 'the theft, the top byte pair');
  assert.deepEqual(events(stopped).map((e) => e.EventTime), [STORY.tampering.stopLogging]);
});
