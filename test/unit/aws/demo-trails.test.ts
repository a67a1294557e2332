import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { demoTrails } from '../../../src/endpoint/demo-trails';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { fixture, OTRF, openStore, tempDir } from '../evidence/helpers';

async function trailsOver(input: string): Promise<ReturnType<typeof demoTrails>> {
  const dir = tempDir();
  const store = await openStore(dir);
  await ingestPaths(store, [input]);
  store.close();
  const source = await EvidenceSource.open(join(dir, 'store.duckdb'), { readOnly: true });
  try {
    return await demoTrails(source);
  } finally {
    source.close();
  }
}

test('the demo trail is stopped since the evidence\'s last StopLogging, and logging when there is none', async () => {
  // The S3 fixture's organization trail records a StopLogging at 10:08 with no StartLogging after it.
  const [stopped] = await trailsOver(fixture('s3'));
  assert.deepEqual(stopped?.status, { IsLogging: false, StopLoggingTime: '2026-03-01T10:08:00Z' });
  const [logging] = await trailsOver(OTRF);
  assert.deepEqual(logging?.status, { IsLogging: true });
});
