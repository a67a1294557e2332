import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { newCase, serializeCase } from '../../../src/core/case/case-file';
import { addFinding, setNote } from '../../../src/core/case/edit';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import { cli, OTRF, tempDir } from '../evidence/helpers';

describe('trailscope timeline', () => {
  const dir = tempDir();
  let file: string;
  const [first, second] = readFileSync(OTRF, 'utf8').trim().split('\n').slice(0, 2).map((line) => toLookupEvent(line));

  before(() => {
    mkdirSync(join(dir, 'evidence'));
    const store = { kind: 'evidence', path: join(dir, 'evidence', 'otrf.duckdb') } as const;
    const now = new Date('2026-11-24T02:00:00Z');
    let c = addFinding(newCase('OTRF proxy exfiltration', now), { event: second! }, store, now).case;
    c = addFinding(c, { event: first! }, store, now).case;
    c = setNote(c, { event: first!, target: store }, 'instance role used from the proxy');
    file = join(dir, 'otrf.trailscope-case.json');
    writeFileSync(file, serializeCase(c, dir));
  });

  it('prints the case as a Markdown timeline, oldest finding first, with notes and where each was found', async () => {
    const { code, out, err } = await cli('timeline', file);
    assert.equal(code, 0, err);
    assert.match(out, /^# OTRF proxy exfiltration\n/);
    const rows = out.split('\n').filter((line) => line.startsWith('| `'));
    assert.equal(rows.length, 2);
    assert.ok(rows[0]!.includes(`\`${first!.EventId}\``) && rows[0]!.includes('instance role used from the proxy'), rows[0]);
    assert.ok(rows.every((row) => row.includes('`otrf.duckdb`')));
  });

  it('writes to --out, and names the entries it left out on standard error', async () => {
    const broken = JSON.parse(readFileSync(file, 'utf8')) as { findings: Array<{ pinnedAt: string }> };
    broken.findings[0]!.pinnedAt = 'soon';
    const path = join(dir, 'broken.trailscope-case.json');
    writeFileSync(path, JSON.stringify(broken));
    const out = join(dir, 'report.md');
    const result = await cli('timeline', path, '--out', out);
    assert.equal(result.code, 0);
    assert.equal(result.out, `wrote ${out}\n`);
    assert.equal(result.err, `trailscope timeline: left out: ${path}: findings[0].pinnedAt should be an ISO 8601 time\n`);
    assert.match(readFileSync(out, 'utf8'), /1 finding, 0 saved queries/);
  });

  it('refuses to write the report over the case file, however the path is spelled or linked', async () => {
    const before = readFileSync(file, 'utf8');
    const link = join(dir, 'case-link.json');
    symlinkSync(file, link);
    for (const [input, out] of [[file, join(dir, '.', basename(file))], [link, file], [file, link]]) {
      const result = await cli('timeline', input!, '--out', out!);
      assert.equal(result.code, 2, `${input} -> ${out}`);
      assert.match(result.err, /is the case file itself: writing there would replace it/);
    }
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('refuses to write the report over an evidence store, whether the case reads it or not', async () => {
    const db = join(dir, 'evidence', 'otrf.duckdb');
    assert.equal((await cli('ingest', OTRF, '--db', db)).code, 0);
    const before = readFileSync(db);
    const result = await cli('timeline', file, '--out', db);
    assert.equal(result.code, 2);
    assert.match(result.err, /otrf\.duckdb is an evidence store \(a DuckDB database\): writing there would replace it; choose another file/);
    assert.ok(readFileSync(db).equals(before), 'the store is as it was');
  });

  it('fails with the file named when it cannot be read or is no case', async () => {
    const missing = await cli('timeline', join(dir, 'nope.json'));
    assert.equal(missing.code, 2, 'no input is a usage error, as in every command');
    assert.match(missing.err, /cannot read .*nope\.json: ENOENT/);
    const notCase = join(dir, 'result.json');
    writeFileSync(notCase, '{"Events": []}');
    const wrong = await cli('timeline', notCase);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /result\.json: not a Trailscope case file/);
  });
});
