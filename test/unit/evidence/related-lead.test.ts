import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ingestSample, writeSample } from '../../../scripts/sample';
import { STORY } from '../../../scripts/sample-story';
import type { LookupEvent } from '../../../src/core/cloudtrail/event';
import type { PivotResult } from '../../../src/core/results';
import { cli, tempDir } from './helpers';

/** The sample incident at a small scale: the whole story, a little background. */
const dir = tempDir();
const db = join(dir, 'sample.duckdb');

before(async () => {
  writeSample(join(dir, 'evidence'), { scale: 0.05 });
  assert.deepEqual((await ingestSample(join(dir, 'evidence'), db)).skipped, []);
});

async function relatedJson(...args: string[]): Promise<{ lead?: unknown; event?: LookupEvent; pivots: PivotResult[] }> {
  const result = await cli('related', '--db', db, '--limit', '200', '--format', 'json', ...args);
  assert.equal(result.code, 0, result.err);
  return JSON.parse(result.out);
}

/** The attacker's first AttachUserPolicy (AdministratorAccess to the leaked user), signed with the leaked key from the attacker's address. */
async function escalation(): Promise<LookupEvent> {
  const found = await cli('lookup', '--db', db, '--attr', 'EventName=AttachUserPolicy', '--attr', `AccessKeyId=${STORY.leakedAccessKeyId}`, '--filter', `sourceIPAddress=${STORY.attackerIp}`, '--format', 'json');
  const event = (JSON.parse(found.out) as { Events: LookupEvent[] }).Events.at(-1);
  assert.equal(event?.EventTime, STORY.escalation.attachAdministratorAccess);
  return event!;
}

const names = (pivot: PivotResult | undefined): string[] => (pivot?.events ?? []).map((e) => e.EventName ?? '');

test("related --source-ip starts from the attacker's address: its calls in both accounts and the exfiltration in the flow logs, as from an event of that address", async () => {
  const related = await relatedJson('--source-ip', STORY.attackerIp);
  assert.deepEqual(Object.keys(related), ['lead', 'pivots']);
  assert.deepEqual(related.lead, { kind: 'source-ip', value: STORY.attackerIp });
  assert.deepEqual(related.pivots.map((p) => p.pivot), ['source-ip', 'flows']);
  const [calls, flows] = related.pivots;
  for (const name of ['GetCallerIdentity', 'AttachUserPolicy', 'CreateUser', 'CreateAccessKey', 'AssumeRole', 'SendCommand', 'StopLogging', 'DeleteTrail']) assert.ok(names(calls).includes(name), name);
  // The second account's bucket, read straight from the attacker's address with the minted key.
  const secondAccount = calls!.events!.filter((e) => e.AccessKeyId === STORY.crossAccount.mintedAccessKeyId && e.EventName === 'GetObject');
  assert.equal(secondAccount.length, STORY.theft.secondGetObjects);
  const outbound = (flows!.rows ?? []).filter((r) => r.some((c) => c.field === 'dstAddr' && c.value === STORY.attackerIp));
  assert.equal(outbound.reduce((sum, r) => sum + Number(r.find((c) => c.field === 'bytes')?.value ?? 0), 0), STORY.theft.outboundBytes);
  // The same queries as the pivots of an event from that address.
  const fromEvent = await relatedJson('--event-id', (await escalation()).EventId, '--pivot', 'source-ip', '--pivot', 'flows');
  assert.deepEqual(related.pivots, fromEvent.pivots);
});

test('related --access-key starts from a key: every call it signed, and the call that minted it', async () => {
  const leaked = await relatedJson('--access-key', STORY.leakedAccessKeyId);
  assert.deepEqual(leaked.lead, { kind: 'access-key', value: STORY.leakedAccessKeyId });
  const fromEvent = await relatedJson('--event-id', (await escalation()).EventId, '--pivot', 'access-key', '--pivot', 'minted-by');
  assert.deepEqual(leaked.pivots, fromEvent.pivots);
  const [signed, mintedBy] = leaked.pivots;
  assert.deepEqual([signed?.pivot, mintedBy?.pivot], ['access-key', 'minted-by']);
  for (const name of ['GetCallerIdentity', 'ListUsers', 'AttachUserPolicy', 'CreateUser', 'CreateAccessKey', 'AssumeRole', 'StopLogging']) assert.ok(names(signed).includes(name), name);
  assert.equal(mintedBy?.count, 0, 'the leaked key was made before the logs begin');
  // The key the attacker made for persistence leads back to the CreateAccessKey that made it; the key
  // AssumeRole minted in the second account, to that AssumeRole.
  const [, persistence] = (await relatedJson('--access-key', STORY.persistence.newAccessKeyId)).pivots;
  assert.deepEqual(persistence?.events?.map((e) => [e.EventName, e.EventTime]), [['CreateAccessKey', STORY.persistence.createAccessKey]]);
  const [, session] = (await relatedJson('--access-key', STORY.crossAccount.mintedAccessKeyId)).pivots;
  assert.deepEqual([...new Set(names(session))], ['AssumeRole']);
});

test('related --principal starts from an ARN: the principal pivot of its events', async () => {
  const arn = `arn:aws:iam::${STORY.victimAccount}:user/${STORY.leakedUser}`;
  const related = await relatedJson('--principal', arn);
  assert.deepEqual(related.lead, { kind: 'principal', value: arn });
  const fromEvent = await relatedJson('--event-id', (await escalation()).EventId, '--pivot', 'principal');
  assert.deepEqual(related.pivots, fromEvent.pivots);
  assert.ok(names(related.pivots[0]).includes('StopLogging'));
});

test('related takes exactly one starting point, and shows a lead with its control characters escaped', async () => {
  for (const args of [[], ['--event-id', 'x', '--source-ip', STORY.attackerIp], ['--access-key', 'AKIA1', '--principal', 'arn:aws:iam::1:user/a'], ['--source-ip', ''], ['--principal', 'svc-reporting']]) {
    const result = await cli('related', '--db', db, ...args);
    assert.equal(result.code, 2, JSON.stringify(args));
    assert.equal(result.out, '');
  }
  assert.match((await cli('related', '--db', db)).err, /say where to start: one of --event-id ID, --source-ip ADDR, --access-key KEY, --principal ARN/);
  assert.match((await cli('related', '--db', db, '--event-id', 'x', '--access-key', 'AKIA1')).err, /start from one of --event-id, --access-key, not several/);
  assert.match((await cli('related', '--db', db, '--principal', 'svc-reporting')).err, /--principal takes an ARN/);
  const hostile = await cli('related', '--db', db, '--source-ip', '203.0.113.77\u001b[2J\u202e');
  assert.equal(hostile.code, 0, hostile.err);
  assert.ok(!/[\u001b\u202e]/.test(hostile.out), JSON.stringify(hostile.out));
  assert.match(hostile.out, /^Related to source-ip 203\.0\.113\.77\\u001b\[2J/);
  const table = await cli('related', '--db', db, '--source-ip', STORY.attackerIp, '--pivot', 'flows');
  assert.match(table.out, /^Related to source-ip 203\.0\.113\.77\n\nflows = 203\.0\.113\.77: \d+ flow record\(s\)/);
  const help = await cli('related', '--help');
  assert.match(help.out, /\{"lead":\{"kind":"source-ip","value":"\.\.\."\},"pivots":\[\.\.\.\]\}/);
});
