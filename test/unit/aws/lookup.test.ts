import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupEvent } from '../../../src/core/cloudtrail/event';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { MultiAccountSource } from '../../../src/sources/aws/multi-account';
import { lookupRequests, startRig, syntheticEvents, TEST_ACCOUNT, type TestRig } from './helpers';

const REGIONS = ['eu-west-1', 'us-east-1'];
const isNewestFirst = (events: LookupEvent[]): boolean => events.every((e, i) => i === 0 || Date.parse(events[i - 1].EventTime) >= Date.parse(e.EventTime));

describe('LookupEvents through the SDK against the local endpoint (no rate limit)', () => {
  const data = syntheticEvents(5200, REGIONS);
  let rig: TestRig;
  let source: LiveSource;
  before(async () => {
    rig = await startRig({ events: data }, { faults: { lookupRatePerSecond: 0 } });
    source = new LiveSource({ account: rig.account, regions: REGIONS, lookupRatePerSecond: 1000 });
  });
  after(async () => {
    source.close();
    await rig.close();
  });

  test('pages through 10,000+ events of two regions, merged newest first, each event once and unchanged', async () => {
    rig.endpoint.requests.length = 0;
    let pages = 0;
    const events = await source.lookupEvents({ attributes: [], filters: [] }, { onPage: () => pages++ });
    assert.equal(events.length, 10_400);
    assert.equal(new Set(events.map((e) => e.EventId)).size, 10_400);
    assert.ok(isNewestFirst(events));
    assert.equal(lookupRequests(rig.endpoint).length, 2 * 104);
    assert.equal(pages, 2 * 104);
    // The SDK's Date came back as the same ISO string, and every member survived the round trip.
    const byId = new Map(data.map((e) => [e.EventId, e]));
    for (const e of events.slice(0, 50)) assert.deepEqual(e, byId.get(e.EventId));
  });

  test('sends only the most selective attribute; the others and the field filters apply to what comes back', async () => {
    rig.endpoint.requests.length = 0;
    const read: number[] = [];
    const events = await source.lookupEvents({
      attributes: [
        { AttributeKey: 'ReadOnly', AttributeValue: 'true' },
        { AttributeKey: 'EventName', AttributeValue: 'GetObject' },
        { AttributeKey: 'AccessKeyId', AttributeValue: 'AKIAEXAMPLEKEY000001' },
      ],
      filters: [{ field: 'sourceIPAddress', op: 'equals', value: '203.0.113.7' }],
      start: '2026-10-30T00:00:00Z',
    }, { onPage: (page) => read.push(page.length) });
    const expected = data.filter((e) => {
      const r = JSON.parse(e.CloudTrailEvent) as { readOnly: boolean; sourceIPAddress: string };
      return r.readOnly && e.EventName === 'GetObject' && e.AccessKeyId === 'AKIAEXAMPLEKEY000001' && r.sourceIPAddress === '203.0.113.7' && e.EventTime >= '2026-10-30T00:00:00Z';
    });
    assert.ok(expected.length > 10);
    assert.deepEqual(events.map((e) => e.EventId).sort(), expected.map((e) => e.EventId).sort());
    const sent = lookupRequests(rig.endpoint);
    assert.ok(sent.length > 0);
    for (const r of sent) assert.deepEqual(r.params.LookupAttributes, [{ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIAEXAMPLEKEY000001' }]);
    // Every page read is reported, those the filters left empty too, so progress moves while nothing matches.
    assert.equal(read.length, sent.length);
    assert.ok(read.includes(0));
  });

  test('max stops paging early', async () => {
    rig.endpoint.requests.length = 0;
    const events = await new LiveSource({ account: rig.account, regions: ['eu-west-1'], lookupRatePerSecond: 1000 }).lookupEvents({ attributes: [], filters: [], max: 120 });
    assert.equal(events.length, 120);
    assert.equal(lookupRequests(rig.endpoint).length, 3);
    assert.deepEqual(
      events.map((e) => e.EventId),
      data.filter((e) => e.EventId.startsWith('eu-west-1')).slice(0, 120).map((e) => e.EventId),
    );
  });

  test('the endpoint enforces the API rules: one attribute, MaxResults 1-50, tokens bound to parameters, inclusive times', async () => {
    const client = new CloudTrailClient(rig.account.clientConfig('eu-west-1'));
    try {
      const two = [
        { AttributeKey: 'EventName' as const, AttributeValue: 'GetObject' },
        { AttributeKey: 'Username' as const, AttributeValue: 'alice' },
      ];
      await assert.rejects(client.send(new LookupEventsCommand({ LookupAttributes: two })), { name: 'InvalidLookupAttributesException' });
      await assert.rejects(client.send(new LookupEventsCommand({ MaxResults: 51 })), { name: 'InvalidMaxResultsException' });
      const first = await client.send(new LookupEventsCommand({ MaxResults: 5 }));
      assert.equal(first.Events?.length, 5);
      await assert.rejects(
        client.send(new LookupEventsCommand({ MaxResults: 5, NextToken: first.NextToken, LookupAttributes: [two[0]] })),
        { name: 'InvalidNextTokenException' },
      );
      const at = new Date(data[3].EventTime);
      const exact = await client.send(new LookupEventsCommand({ StartTime: at, EndTime: at }));
      assert.deepEqual(exact.Events?.map((e) => e.EventId), [data[3].EventId]);
      await assert.rejects(client.send(new LookupEventsCommand({ StartTime: at, EndTime: new Date(at.getTime() - 1000) })), { name: 'InvalidTimeRangeException' });
    } finally {
      client.destroy();
    }
  });
});

describe('LookupEvents under faults', () => {
  const data = syntheticEvents(600, REGIONS);

  async function fetchAll(faults: Parameters<typeof startRig>[1]): Promise<{ events: LookupEvent[]; errors: string[] }> {
    const rig = await startRig({ events: data }, faults);
    const source = new LiveSource({ account: rig.account, regions: REGIONS, pageSize: 25, lookupRatePerSecond: 40 });
    try {
      const events = await source.lookupEvents({ attributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }], filters: [] });
      return { events, errors: rig.endpoint.requests.flatMap((r) => (r.errorType ? [r.errorType] : [])) };
    } finally {
      source.close();
      await rig.close();
    }
  }

  test('throttling and 5xx are retried and never reach the user; results are identical to a run without faults', async () => {
    const clean = await fetchAll({ faults: { lookupRatePerSecond: 0 } });
    // Throttles come from the rate limit when this machine is fast enough, and from throttleRate always.
    const faulty = await fetchAll({ faults: { lookupRatePerSecond: 20, throttleRate: 0.15, serverErrorRate: 0.2, seed: 7 } });
    assert.deepEqual(clean.errors, []);
    assert.ok(faulty.errors.includes('ThrottlingException'), 'the endpoint throttled');
    assert.ok(faulty.errors.includes('InternalFailure') || faulty.errors.includes('ServiceUnavailableException'), 'the endpoint failed some requests');
    assert.equal(clean.events.length, 1200);
    assert.deepEqual(faulty.events, clean.events);
  });
});

describe('LookupEvents at the real quota', () => {
  test('never more than 2 requests a second per account and region; pages stream as they arrive', async () => {
    const rig = await startRig({ events: syntheticEvents(250, REGIONS) });
    const source = new LiveSource({ account: rig.account, regions: REGIONS });
    try {
      const started = Date.now();
      let firstPageAfter = -1;
      let streamed = 0;
      const events = await source.lookupEvents(
        { attributes: [], filters: [] },
        {
          onPage: (page) => {
            if (firstPageAfter < 0) firstPageAfter = Date.now() - started;
            streamed += page.length;
          },
        },
      );
      const total = Date.now() - started;
      assert.equal(events.length, 500);
      assert.equal(streamed, 500);
      assert.ok(firstPageAfter < total / 2, `first page after ${firstPageAfter} ms of ${total} ms`);
      const requests = lookupRequests(rig.endpoint);
      // Not one request throttled: the pacer holds a slot until a second after its answer came back.
      assert.deepEqual(requests.map((r) => r.status), Array(10).fill(200));
      assert.ok(requests.every((r) => r.accountId === TEST_ACCOUNT));
      for (const region of REGIONS) {
        const times = requests.filter((r) => r.region === region).map((r) => r.at);
        for (let i = 2; i < times.length; i++) assert.ok(times[i] - times[i - 2] >= 1000, `3 requests within ${times[i] - times[i - 2]} ms in ${region}`);
      }
    } finally {
      source.close();
      await rig.close();
    }
  });

  test('cancel stops at once, also in the middle of a slow request', async () => {
    const rig = await startRig({ events: syntheticEvents(500, REGIONS) });
    const source = new LiveSource({ account: rig.account, regions: REGIONS });
    try {
      await source.accountId();
      rig.endpoint.faults = { ...rig.endpoint.faults, delayMs: 3000 };
      const controller = new AbortController();
      const started = Date.now();
      const lookup = source.lookupEvents({ attributes: [], filters: [] }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      await assert.rejects(lookup, { name: 'AbortError' });
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      const sent = lookupRequests(rig.endpoint).length;
      // Longer than the pacer's second: a region still paging would have sent its next request by then.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      assert.equal(lookupRequests(rig.endpoint).length, sent, 'no request after cancel');
    } finally {
      source.close();
      await rig.close();
    }
  });
});

describe('LookupEvents over several accounts', () => {
  test('each profile reads its own account; results merge newest first', async () => {
    const other = '444455556666';
    const data = [...syntheticEvents(60, ['eu-west-1']), ...syntheticEvents(60, ['eu-west-1'], Date.parse('2026-11-01T12:00:30Z'), other)];
    const rig = await startRig({ events: data }, { accounts: { AKIATRAILSCOPETEST01: TEST_ACCOUNT, AKIATRAILSCOPETEST02: other }, faults: { lookupRatePerSecond: 0 } });
    writeFileSync(
      join(rig.dir, 'credentials'),
      `[incident]\naws_access_key_id = AKIATRAILSCOPETEST01\naws_secret_access_key = x\n[second]\naws_access_key_id = AKIATRAILSCOPETEST02\naws_secret_access_key = y\n`,
    );
    const files = { endpoint: rig.endpoint.url, filepath: join(rig.dir, 'credentials'), configFilepath: join(rig.dir, 'config') };
    const source = new MultiAccountSource(
      ['incident', 'second'].map((profile) => new LiveSource({ account: new AwsAccount({ profile, ...files }), regions: ['eu-west-1'], lookupRatePerSecond: 100 })),
    );
    try {
      const events = await source.lookupEvents({ attributes: [], filters: [] });
      assert.equal(events.length, 120);
      assert.ok(isNewestFirst(events));
      assert.ok(events[0].EventId.startsWith(other), 'the newest event is the second account’s');
      assert.deepEqual(new Set(lookupRequests(rig.endpoint).map((r) => r.accountId)), new Set([TEST_ACCOUNT, other]));
      // Related-event counts over both: each account's floor added, the newest events of both; an event
      // found in one account only is counted exactly.
      const newest = events[0]!;
      const [busy, one] = await source.lookupBatch([
        { attributes: [{ AttributeKey: 'EventName', AttributeValue: newest.EventName! }], filters: [], max: 5 },
        { attributes: [{ AttributeKey: 'EventId', AttributeValue: newest.EventId }], filters: [], max: 5 },
      ]);
      assert.deepEqual([busy!.count, busy!.capped, busy!.events.length], [10, true, 5]);
      assert.ok(isNewestFirst(busy!.events) && busy!.events[0]!.EventId === newest.EventId);
      assert.deepEqual([one!.count, one!.capped, one!.events.map((e) => e.EventId)], [1, undefined, [newest.EventId]]);
    } finally {
      source.close();
      await rig.close();
    }
  });

  test('a region that fails names itself and the profile and account it was read through', async () => {
    const other = '444455556666';
    const rig = await startRig({ events: syntheticEvents(20, ['eu-west-1']) }, { faults: { lookupRatePerSecond: 0 } });
    // The second account's policy lacks LookupEvents and DescribeLogGroups.
    const denying = await startRig({ events: [] }, { accounts: { AKIATRAILSCOPETEST02: other }, faults: { lookupRatePerSecond: 0, deniedOperations: ['LookupEvents', 'DescribeLogGroups'] } });
    writeFileSync(join(rig.dir, 'credentials'), `[incident]\naws_access_key_id = AKIATRAILSCOPETEST01\naws_secret_access_key = x\n[prod]\naws_access_key_id = AKIATRAILSCOPETEST02\naws_secret_access_key = y\n`);
    const files = { filepath: join(rig.dir, 'credentials'), configFilepath: join(rig.dir, 'config') };
    const source = new MultiAccountSource([
      new LiveSource({ account: new AwsAccount({ profile: 'incident', endpoint: rig.endpoint.url, ...files }), regions: ['eu-west-1'], lookupRatePerSecond: 100 }),
      new LiveSource({ account: new AwsAccount({ profile: 'prod', endpoint: denying.endpoint.url, ...files }), regions: ['eu-west-1'], lookupRatePerSecond: 100 }),
    ]);
    try {
      await assert.rejects(source.lookupEvents({ attributes: [], filters: [] }), {
        message: `eu-west-1 (profile prod, account ${other}): User: arn:aws:iam::${other}:user/trailscope-local is not authorized to perform: LookupEvents`,
      });
      await assert.rejects(source.logGroups(), { message: /^eu-west-1 \(profile prod\): .*not authorized to perform: DescribeLogGroups$/ });
    } finally {
      source.close();
      await Promise.all([rig.close(), denying.close()]);
    }
  });
});
