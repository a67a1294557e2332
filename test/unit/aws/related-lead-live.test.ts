import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRelatedToLead, LIVE_FLOW_HOURS } from '../../../src/core/pivots/related';
import { LiveSource } from '../../../src/sources/aws/live-source';
import type { InsightsRequest } from '../../../src/sources/source';
import { lookupRequests, startRig, syntheticEvents } from './helpers';

test('live, an address found in a finding leads to its calls and, over the last two days, its flow records; a key to its calls and its minting', async () => {
  const events = syntheticEvents(40, ['eu-west-1']);
  const groups = [{ name: '/vpc/flow-logs/prod', kind: 'vpc-flow' as const, storedBytes: 10, region: 'eu-west-1' }];
  const insights = async (request: InsightsRequest) => ({
    status: 'Complete' as const,
    results: [[{ field: '@timestamp', value: '2026-11-01 11:00:00.000' }, { field: 'srcAddr', value: request.query.includes('"198.51.100.9"') ? '198.51.100.9' : 'other' }]],
    statistics: { recordsMatched: 1, recordsScanned: 10, bytesScanned: 100 },
  });
  const rig = await startRig({ events, logGroups: groups, insights }, { faults: { lookupRatePerSecond: 0 } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'], lookupRatePerSecond: 1000, insightsPollMs: 5 });
  const now = new Date('2026-11-02T00:00:00Z');
  try {
    const address = await findRelatedToLead(source, { kind: 'source-ip', value: '198.51.100.9' }, { limit: 50, now });
    assert.deepEqual(address.lead, { kind: 'source-ip', value: '198.51.100.9' });
    const [calls, flows] = address.pivots;
    assert.deepEqual([calls?.pivot, calls?.count, calls?.capped], ['source-ip', 20, undefined], 'the whole history is one page here');
    assert.ok(calls?.events?.every((e) => e.CloudTrailEvent.includes('"sourceIPAddress":"198.51.100.9"')));
    assert.deepEqual([flows?.pivot, flows?.count, flows?.capped, flows?.rows?.[0]?.[1]?.value], ['flows', 1, true, '198.51.100.9']);
    const [start] = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery');
    const at = now.getTime() / 1000;
    assert.deepEqual([start?.params.startTime, start?.params.endTime], [at - 2 * LIVE_FLOW_HOURS * 3600, at]);

    const key = await findRelatedToLead(source, { kind: 'access-key', value: 'ASIAEXAMPLEKEY000002' }, { limit: 50 });
    assert.deepEqual(key.pivots.map((p) => [p.pivot, p.count]), [['access-key', 26], ['minted-by', 0]]);
    const sent = lookupRequests(rig.endpoint).map((r) => r.params.LookupAttributes);
    assert.ok(sent.some((a) => JSON.stringify(a) === JSON.stringify([{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIAEXAMPLEKEY000002' }])), 'the key goes to the service');
  } finally {
    source.close();
    await rig.close();
  }
});
