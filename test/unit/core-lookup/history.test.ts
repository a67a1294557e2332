import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beyondEventHistory } from '../../../src/core/lookup/history';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';

const NOW = new Date('2026-11-24T02:50:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('the 90-day event history of live lookups', () => {
  it('says nothing for a range inside it, the "last 90 days" preset included', () => {
    assert.equal(beyondEventHistory({}, NOW), undefined, 'no start: the service starts at the history itself');
    assert.equal(beyondEventHistory({ start: daysAgo(7), end: NOW.toISOString() }, NOW), undefined);
    assert.equal(beyondEventHistory({ start: new Date(NOW.getTime() - 90 * 86_400_000 - 5_000).toISOString() }, NOW), undefined, 'counted back a few seconds earlier');
  });

  it('names the first time LookupEvents can return when the range starts before it, and points to the S3 files', () => {
    const note = beyondEventHistory({ start: daysAgo(120), end: NOW.toISOString() }, NOW);
    assert.equal(note, "CloudTrail's event history keeps 90 days: nothing before 2026-08-26T02:50Z comes back from LookupEvents; older events are only in the trail's S3 log files: ingest them as evidence to search them");
  });

  it('says so when the whole range is older than the history', () => {
    assert.match(beyondEventHistory({ start: daysAgo(200), end: daysAgo(150) }, NOW) ?? '', /^the whole range is older than CloudTrail's 90-day event history \(it starts 2026-08-26T02:50Z\), so LookupEvents returns nothing for it/);
  });

  it('is claimed for AWS itself, not for an endpoint override that serves its own data (the demo, the tests)', () => {
    const request = { attributes: [], filters: [], start: daysAgo(120) };
    const aws = new LiveSource({ account: new AwsAccount({ profile: 'incident' }), regions: ['us-east-1'] });
    const local = new LiveSource({ account: new AwsAccount({ profile: 'incident', endpoint: 'http://127.0.0.1:9' }), regions: ['us-east-1'] });
    assert.match(aws.lookupLimit(request, NOW) ?? '', /nothing before 2026-08-26T02:50Z/);
    assert.equal(local.lookupLimit(request, NOW), undefined);
  });
});
