import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { openStore, tempDir } from './helpers';

test('lookups page through many events that share seconds, none lost or repeated', async () => {
  const dir = tempDir();
  // 1,200 events, four per second: pages must break ties by eventID to stay exact.
  const records = Array.from({ length: 1200 }, (_, i) => ({
    eventID: `id-${String(i).padStart(5, '0')}`,
    eventTime: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 4) * 1000).toISOString().replace('.000', ''),
    eventName: i % 2 ? 'GetObject' : 'PutObject',
    userIdentity: { type: 'IAMUser', userName: 'bulk', accessKeyId: 'AKIABULK' },
  }));
  writeFileSync(join(dir, 'bulk.json.gz'), gzipSync(JSON.stringify({ Records: records })));
  const store = await openStore(dir);
  await ingestPaths(store, [join(dir, 'bulk.json.gz')]);
  const source = new EvidenceSource(store);
  const pages: number[] = [];
  const events = await source.lookupEvents({ attributes: [{ AttributeKey: 'Username', AttributeValue: 'bulk' }], filters: [] }, { onPage: (p) => pages.push(p.length) });
  assert.deepEqual(pages, [500, 500, 200]);
  assert.equal(new Set(events.map((e) => e.EventId)).size, 1200);
  const expected = records.map((r) => r.eventID).sort((a, b) => (a < b ? 1 : -1));
  assert.deepEqual(events.map((e) => e.EventId), expected);
  const getObject = { attributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'GetObject' }], filters: [] };
  const [batch, countOnly, none] = await source.lookupBatch([
    { ...getObject, max: 3 },
    { ...getObject, max: 0 },
    { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteBucket' }], filters: [], max: 3 },
  ]);
  assert.equal(batch.count, 600);
  assert.deepEqual(batch.events.map((e) => e.EventId), ['id-01199', 'id-01197', 'id-01195']);
  assert.deepEqual(countOnly, { events: [], count: 600 });
  assert.deepEqual(none, { events: [], count: 0 });
  source.close();
});
