import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LookupEvent } from '../../../src/core/cloudtrail/event';
import { runCellQuery } from '../../../src/core/notebook/run-cell';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { startRig, syntheticEvents } from '../aws/helpers';

const REGIONS = ['eu-west-1', 'us-east-1'];
const times = (events: LookupEvent[]) => events.map((e) => Date.parse(e.EventTime));

describe('running a lookup cell', () => {
  it('shows what has come back so far as the answer would: newest first over every region, at most max', async () => {
    const rig = await startRig({ events: syntheticEvents(120, REGIONS) }, { faults: { lookupRatePerSecond: 0 } });
    const source = new LiveSource({ account: rig.account, regions: REGIONS, lookupRatePerSecond: 1000 });
    try {
      const shown: LookupEvent[][] = [];
      const spec = { kind: 'lookup' as const, target: { kind: 'live' as const, profile: 'test', regions: REGIONS }, request: { attributes: [], filters: [] } };
      const run = await runCellQuery(source, spec, { max: 70, onPartial: (p) => p.kind === 'events' && shown.push(p.result.Events) });
      assert.ok(shown.length >= 3, `pages from both regions (${shown.length})`);
      for (const events of shown) {
        assert.ok(events.length <= 70, `${events.length} events shown`);
        assert.deepEqual(times(events), times(events).sort((a, b) => b - a), 'newest first, whichever region answered first');
      }
      assert.ok(run.payload.kind === 'events');
      assert.deepEqual(shown.at(-1), run.payload.result.Events, 'the last of them is the answer');
      assert.equal(run.payload.result.Events.length, 70);
      assert.equal(run.note, 'The newest 70 events are shown and more match: narrow the range or raise the limit.', 'a cut answer says so');
      const whole = await runCellQuery(source, spec, { max: 240 });
      assert.ok(whole.payload.kind === 'events');
      assert.equal(whole.payload.result.Events.length, 240, "120 in each region");
      assert.equal(whole.note, undefined, 'an answer that holds every match says nothing');
    } finally {
      source.close();
      await rig.close();
    }
  });
});
