import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEvidencePort } from '../../../src/extension/services/evidence';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { fixture, OTRF, tempDir } from '../evidence/helpers';

test('a store asked for while an ingest writes to it answers with what the ingest added', async () => {
  const port = createEvidencePort();
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  try {
    const first = await port.ingest(db, [fixture('s3')], {});
    const before = await (await port.open(db)).summary();
    assert.equal(before.counts.cloudtrail, first.records.cloudtrail);
    // The tree refreshes, or a panel looks up, while the second ingest runs: under another spelling of the path.
    const second = port.ingest(db, [OTRF], {});
    const during = port.open(join(dir, '.', 'store.duckdb'));
    const added = await second;
    assert.ok(added.records.cloudtrail > 0);
    assert.equal((await (await during).summary()).counts.cloudtrail, first.records.cloudtrail + added.records.cloudtrail);
  } finally {
    await port.closeAll();
  }
});

test('a panel holding a store before an ingest keeps working after it, with the new records', async () => {
  const port = createEvidencePort();
  const db = join(tempDir(), 'store.duckdb');
  try {
    const first = await port.ingest(db, [fixture('s3')], {});
    const held = (await port.open(db)).source;
    const count = async () => (await held.lookupBatch([{ attributes: [], filters: [], max: 0 }]))[0].count;
    assert.equal(await count(), first.records.cloudtrail);
    // A lookup asked for as the ingest starts neither fails nor sees half of it: the store before or after.
    const [during, added] = await Promise.all([held.lookupEvents({ attributes: [], filters: [] }), port.ingest(db, [OTRF], {})]);
    assert.ok([first.records.cloudtrail, first.records.cloudtrail + added.records.cloudtrail].includes(during.length), `${during.length} events`);
    assert.equal(await count(), first.records.cloudtrail + added.records.cloudtrail, 'the same source object, the store as it is now');
  } finally {
    await port.closeAll();
  }
});

test('ingests and closing wait together for a query under way, and none of them is forgotten', async () => {
  const port = createEvidencePort();
  const db = join(tempDir(), 'store.duckdb');
  await port.ingest(db, [fixture('s3')], {});
  // A summary that takes a while: the tree counting a large store.
  const summary = EvidenceSource.prototype.summary;
  EvidenceSource.prototype.summary = async function (this: EvidenceSource) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return summary.call(this);
  };
  try {
    const counting = (await port.open(db)).summary();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [counted, first, second] = await Promise.all([counting, port.ingest(db, [OTRF], {}), port.ingest(db, [fixture('flow')], {}), port.closeAll()]);
    assert.ok(counted.counts.cloudtrail > 0);
    assert.ok(first.records.cloudtrail > 0 && second.records.flow > 0, 'both ingests ran, one after the other');
  } finally {
    EvidenceSource.prototype.summary = summary;
    await port.closeAll();
  }
});

test('a lookup cancelled while an ingest into its store runs ends at once, not when the ingest does', async () => {
  const port = createEvidencePort();
  const db = join(tempDir(), 'store.duckdb');
  try {
    await port.ingest(db, [fixture('s3')], {});
    const held = (await port.open(db)).source;
    let ingestDone = false;
    const ingest = port.ingest(db, [OTRF], {}).then(() => (ingestDone = true));
    const controller = new AbortController();
    const lookup = held.lookupEvents({ attributes: [], filters: [] }, { signal: controller.signal });
    controller.abort();
    await assert.rejects(lookup, { name: 'AbortError' });
    // Opened while the ingest runs (a notebook cell, a new lookup): its cancel does not wait either.
    const opened = await port.open(db);
    assert.equal(ingestDone, false, 'opening did not wait for the ingest');
    await assert.rejects(opened.source.lookupEvents({ attributes: [], filters: [] }, { signal: controller.signal }), { name: 'AbortError' });
    assert.equal(ingestDone, false, 'the cancel did not wait for the ingest');
    assert.equal(opened.source.label, 'store.duckdb');
    await ingest;
  } finally {
    await port.closeAll();
  }
});

test('a store left unused is closed, so an ingest from a terminal can write it while VS Code stays open', async () => {
  const port = createEvidencePort({ idleCloseMs: 100 });
  const db = join(tempDir(), 'store.duckdb');
  const cliIngest = () => spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts'), 'ingest', OTRF, '--db', db], { encoding: 'utf8' });
  try {
    await port.ingest(db, [fixture('s3')], {});
    const handle = await port.open(db);
    const before = (await handle.summary()).counts.cloudtrail;
    // The tree just read it: the handle is open, and a writer is refused.
    const refused = cliIngest();
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /store\.duckdb is in use by another program/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const written = cliIngest();
    assert.equal(written.status, 0, written.stderr);
    assert.ok((await handle.summary()).counts.cloudtrail > before, 'the tree then reads what the terminal added');
  } finally {
    await port.closeAll();
  }
});

test('a store deleted and made again at its path is read anew, not from the handle of the old file', async () => {
  const port = createEvidencePort();
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  try {
    await port.ingest(db, [fixture('s3')], {});
    const handle = await port.open(db);
    assert.ok((await handle.summary()).counts.cloudtrail > 0);
    // Linux lets another program replace the file under the open handle (the lock is on the old file).
    rmSync(db);
    rmSync(`${db}.wal`, { force: true });
    const remade = await EvidenceStore.open(db);
    await ingestPaths(remade, [fixture('flow')]);
    remade.close();
    const counts = (await handle.summary()).counts;
    assert.deepEqual([counts.cloudtrail, counts.flow > 0], [0, true]);
  } finally {
    await port.closeAll();
  }
});
