import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { readNotebook } from '../../../src/core/notebook/notebook-file';
import { cli, fixture, OTRF, tempDir } from '../evidence/helpers';

const RANGE = { start: '2020-09-01T00:00:00Z', end: '2020-10-01T00:00:00Z' };
const store = (path: string, logGroups: string[] = []) => ({ target: { kind: 'evidence', path }, logGroups, ...RANGE });
const records = readFileSync(OTRF, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { eventName: string; eventTime?: string; '@timestamp'?: string });
const named = (name: string) => records.filter((r) => r.eventName === name).length;

describe('trailscope notebook', () => {
  const dir = tempDir();
  const file = join(dir, 'ir.trailscope-notebook');
  const text = () => JSON.stringify({
    trailscopeNotebook: 1,
    cells: [
      { kind: 'markdown', source: '# What did the proxy read?' },
      { kind: 'lookup', source: '# objects read\nEventName=GetObject', place: store('evidence/otrf.duckdb') },
      { kind: 'insights', source: 'stats count(*) as calls by eventName | sort calls desc', place: store('evidence/otrf.duckdb', ['cloudtrail']) },
      { kind: 'lookup', source: 'EventName=GetObject\nsourceIP=203.0.113.7', place: store('evidence/otrf.duckdb') },
      { kind: 'insights', source: 'fields eventName\n| filter eventName =', place: store('evidence/otrf.duckdb', ['cloudtrail']) },
      { kind: 'lookup', source: 'EventName=ListBuckets' },
    ],
  });

  before(async () => {
    mkdirSync(join(dir, 'evidence'));
    for (const [input, db] of [[OTRF, 'otrf.duckdb'], [fixture('s3'), 'other.duckdb']] as const) {
      const { code, err } = await cli('ingest', input, '--db', join(dir, 'evidence', db));
      assert.equal(code, 0, err);
    }
    writeFileSync(file, text());
  });

  it('runs every query cell where it says it runs, one line each, and leaves the file as it is', async () => {
    const { code, out } = await cli('notebook', file);
    assert.equal(code, 1, 'a cell failed');
    assert.deepEqual(out.split('\n').filter((l) => l.startsWith('cell ') && !l.startsWith('cell 5')), [
      `cell 2 (lookup) # objects read: ${named('GetObject')} events`,
      `cell 3 (insights) stats count(*) as calls by eventName | sort calls desc: ${new Set(records.map((r) => r.eventName)).size} rows`,
      "cell 4 (lookup) EventName=GetObject: failed: line 2: unknown key 'sourceIP': a LookupEvents attribute (AccessKeyId, EventId, EventName, EventSource, ReadOnly, ResourceName, ResourceType, Username) or a field filter",
      'cell 6 (lookup) EventName=ListBuckets: failed: it does not say where it runs: choose that in the editor, or give --db FILE (or --profile P) with --start and --end',
    ]);
    // A query error names its line and column, and shows the line with a caret under the place.
    assert.match(out, /\ncell 5 \(insights\) fields eventName: failed: query error at line 2, column 21: [^\n]+\n {2}\| filter eventName =\n {22}\^\n/);
    assert.equal(readFileSync(file, 'utf8'), text(), 'no --in-place, no --out: untouched');
  });

  it('keeps the answers, in place or in a copy, and runs only the cells asked for', async () => {
    const copy = join(dir, 'copy.trailscope-notebook');
    const one = await cli('notebook', file, '--cell', '2', '--out', copy);
    assert.equal(one.code, 0, one.err);
    const ran = readNotebook(readFileSync(copy, 'utf8'), 'copy').notebook;
    const output = ran.cells[1]!.output;
    assert.ok(output && 'result' in output && output.result.kind === 'events');
    assert.equal(output.result.result.Events.length, named('GetObject'));
    assert.deepEqual(ran.cells.map((c) => c.output !== undefined), [false, true, false, false, false, false], 'only cell 2 ran');

    const cut = await cli('notebook', file, '--cell', '2', '--out', copy, '--saved-rows', '1');
    assert.equal(cut.code, 0, cut.err);
    assert.match(cut.out, new RegExp(`cell 2 \\(lookup\\) # objects read: ${named('GetObject')} events`), 'the run itself has them all');
    const newest = readNotebook(readFileSync(copy, 'utf8'), 'copy').notebook.cells[1]!.output;
    assert.ok(newest && 'result' in newest);
    assert.deepEqual(newest.result.result, { Events: output.result.result.Events.slice(0, 1) });
    assert.equal(newest.note, `The file keeps the first 1 event of ${named('GetObject')}; run the cell again for all of them.`);

    const all = await cli('notebook', file, '--in-place');
    assert.equal(all.code, 1);
    const kept = readNotebook(readFileSync(file, 'utf8'), 'kept').notebook;
    assert.deepEqual(kept.cells.map((c) => (c.output ? ('error' in c.output ? 'error' : c.output.result.kind) : '-')), ['-', 'events', 'insights', 'error', 'error', 'error']);
    assert.match((kept.cells[3]!.output as { error: string }).error, /^line 2: unknown key 'sourceIP'/);

    // Run again where the store is gone: the cells fail, and keep the answers they had, saying so.
    const moved = join(dir, 'evidence-moved');
    renameSync(join(dir, 'evidence'), moved);
    try {
      const gone = await cli('notebook', file, '--in-place');
      assert.equal(gone.code, 1);
      assert.match(gone.out, /cell 2 \(lookup\) # objects read: failed: no evidence store at .* \(its answer of \S+ is kept\)/);
      const after = readNotebook(readFileSync(file, 'utf8'), 'after').notebook;
      const answer = after.cells[1]!.output;
      assert.ok(answer && 'result' in answer && answer.result.kind === 'events', 'the answer is still there');
      assert.equal(answer.ranAt, kept.cells[1]!.output!.ranAt);
      assert.match(answer.note ?? '', /^The run of \S+ failed: no evidence store at .* \(the answer shown is from \S+\)\.$/);
      // Failing again replaces that sentence rather than adding another.
      await cli('notebook', file, '--in-place', '--cell', '2');
      const again = readNotebook(readFileSync(file, 'utf8'), 'again').notebook.cells[1]!.output!;
      assert.equal(again.note?.match(/failed/g)?.length, 1, again.note);
    } finally {
      renameSync(moved, join(dir, 'evidence'));
    }
    writeFileSync(file, text());
  });

  it('writes the notebook and its answers as a Markdown report, after a run or of the saved answers alone', async () => {
    const report = join(dir, 'report.md');
    const ran = await cli('notebook', file, '--cell', '2', '--report', report);
    assert.equal(ran.code, 0, ran.err);
    const text = readFileSync(report, 'utf8');
    assert.match(text, /^# ir\\\.trailscope-notebook\n/);
    assert.ok(text.includes(`**Cell 2, lookup** on \`otrf.duckdb · 2020-09-01T00:00:00Z → 2020-10-01T00:00:00Z\`:\n\n\`\`\`\n# objects read\nEventName=GetObject\n\`\`\`\n\n${named('GetObject')} events (ran \``), text);
    assert.ok(text.includes('**Cell 3, Insights query** on `otrf.duckdb · cloudtrail · 2020-09-01T00:00:00Z → 2020-10-01T00:00:00Z`:'));
    assert.ok(text.includes('```\n\nNot run yet.'), 'cells not run say so');
    const saved = await cli('notebook', file, '--no-run', '--report', report);
    assert.equal(saved.code, 0, saved.err);
    assert.equal(saved.out, '', 'nothing ran');
    assert.equal((readFileSync(report, 'utf8').match(/Not run yet\./g) ?? []).length, 5, 'the file holds no answers');
  });

  it('runs every cell over another store with --db, over each cell\'s own range', async () => {
    const copy = join(dir, 'other.trailscope-notebook');
    const { code, out, err } = await cli('notebook', file, '--cell', '2', '--db', join(dir, 'evidence', 'other.duckdb'), '--out', copy);
    assert.equal(code, 0, err);
    const note = "Asked of other.duckdb (trailscope notebook's options), not where and when the cell's place says.";
    assert.equal(out, `cell 2 (lookup) # objects read: 0 events\n  note: ${note}\n`, 'the other store has no GetObject in September 2020');
    const kept = readNotebook(readFileSync(copy, 'utf8'), 'copy').notebook.cells[1]!;
    assert.equal(kept.output?.note, note, 'the answer says where it was asked');
    assert.deepEqual(kept.place, store('evidence/otrf.duckdb'), "the cell's own place is kept");
  });

  it('runs a cell that does not say where it runs over --db, when --start and --end give the range', async () => {
    const { code, out, err } = await cli('notebook', file, '--cell', '6', '--db', join(dir, 'evidence', 'otrf.duckdb'), '--start', RANGE.start, '--end', RANGE.end);
    assert.equal(code, 0, err);
    assert.match(out, new RegExp(`^cell 6 \\(lookup\\) EventName=ListBuckets: ${named('ListBuckets')} events?\\n  note: Asked of otrf\\.duckdb over .+ \\(trailscope notebook's options\\): the cell does not say where it runs\\.\\n$`));
    // Without a range there is nothing to ask.
    const { out: without } = await cli('notebook', file, '--cell', '6', '--db', join(dir, 'evidence', 'otrf.duckdb'));
    assert.match(without, /failed: it does not say where it runs/);
  });

  it('refuses to write a report or a copy over the notebook, its store, or each other, however the path is spelled', async () => {
    const db = join(dir, 'evidence', 'otrf.duckdb');
    const before = readFileSync(file, 'utf8');
    const link = join(dir, 'link.md');
    symlinkSync(file, link);
    for (const argv of [['--report', file], ['--report', link], ['--report', `${dir}/./ir.trailscope-notebook`], ['--db', db, '--report', db, '--cell', '2'], ['--db', db, '--out', db, '--cell', '2'], ['--out', join(dir, 'same.md'), '--report', join(dir, 'same.md')]]) {
      const { code, err } = await cli('notebook', file, '--no-run', ...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, /writing there would replace it; choose another file/, argv.join(' '));
    }
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal((await cli('lookup', '--db', db, '--max', '1')).code, 0, 'the store is still a store');
  });

  it('prints a cell\'s first line with its control characters escaped: a shared notebook cannot drive the terminal', async () => {
    const hostile = join(dir, 'hostile.trailscope-notebook');
    writeFileSync(hostile, JSON.stringify({ trailscopeNotebook: 1, cells: [{ kind: 'lookup', source: '# \u001b]0;owned\u0007\u001b[2Jall clear\nEventName=GetObject', place: store('evidence/otrf.duckdb') }] }));
    const { out } = await cli('notebook', hostile);
    assert.ok(!out.includes('\u001b'), JSON.stringify(out));
    assert.match(out, /^cell 1 \(lookup\) # \\u001b\]0;owned\\u0007\\u001b\[2Jall clear: /);
  });

  it('keeps the keys someone added by hand, to the notebook and to its cells, through a run', async () => {
    const marked = join(dir, 'marked.trailscope-notebook');
    const value = JSON.parse(text()) as { cells: Array<Record<string, unknown>> } & Record<string, unknown>;
    Object.assign(value, { owner: 'sam' });
    Object.assign(value.cells[1]!, { id: 'objects', tags: ['exfil'] });
    writeFileSync(marked, JSON.stringify(value));
    assert.equal((await cli('notebook', marked, '--cell', '2', '--in-place')).code, 0);
    const written = JSON.parse(readFileSync(marked, 'utf8')) as typeof value;
    assert.equal(written.owner, 'sam');
    assert.deepEqual([written.cells[1]!.id, written.cells[1]!.tags], ['objects', ['exfil']]);
    assert.ok(written.cells[1]!.output, 'and the cell ran');
  });

  it('keeps with each answer the text and place it was asked with; the report says when the cell changed since', async () => {
    const asked = join(tempDir(), 'asked.trailscope-notebook');
    writeFileSync(asked, text().replaceAll('evidence/otrf.duckdb', join(dir, 'evidence', 'otrf.duckdb')));
    assert.equal((await cli('notebook', asked, '--cell', '2', '--in-place')).code, 0);
    const ran = JSON.parse(readFileSync(asked, 'utf8')) as { cells: Array<{ source: string; place?: { target: { path: string } }; output?: { asked?: { source: string; place: unknown } } }> };
    assert.deepEqual(ran.cells[1]!.output!.asked, { source: ran.cells[1]!.source, place: ran.cells[1]!.place });
    // The responder edits the cell and points it elsewhere, and does not run it again.
    ran.cells[1]!.source = 'EventName=ConsoleLogin';
    ran.cells[1]!.place!.target.path = join(dir, 'evidence', 'other.duckdb');
    writeFileSync(asked, JSON.stringify(ran));
    const report = join(tempDir(), 'asked.md');
    assert.equal((await cli('notebook', asked, '--no-run', '--report', report)).code, 0);
    const written = readFileSync(report, 'utf8');
    assert.ok(written.includes('```\nEventName=ConsoleLogin\n```\n\nThe answer below was asked on `otrf.duckdb'), written);
    assert.ok(written.includes(' with other text:\n\n```\n# objects read\nEventName=GetObject\n```\n\n2 events'), written);
    // Unchanged cells say nothing more, however their place is spelled; options that asked elsewhere are
    // named with the answer (its note says why), without a claim that the cell changed.
    const plain = join(dir, 'plain.trailscope-notebook');
    writeFileSync(plain, text().replace('"evidence/otrf.duckdb"', '"./evidence/otrf.duckdb"').replace('"evidence/otrf.duckdb"', JSON.stringify(join(dir, 'evidence', 'otrf.duckdb'))));
    const plainReport = join(tempDir(), 'plain.md');
    assert.equal((await cli('notebook', plain, '--cell', '2', '--cell', '3', '--in-place', '--report', plainReport)).code, 0);
    assert.match(readFileSync(plainReport, 'utf8'), /\*\*Cell 3, Insights query\*\* on `otrf\.duckdb/, 'the absolute path read');
    assert.doesNotMatch(readFileSync(plainReport, 'utf8'), /The answer below was asked/);
    await cli('notebook', plain, '--cell', '2', '--db', join(dir, 'evidence', 'other.duckdb'), '--report', plainReport);
    assert.match(readFileSync(plainReport, 'utf8'), /The answer below was asked on `other\.duckdb · [^`]+`\.\n/);
  });

  it('keeps a copy in another folder pointing at the same stores', async () => {
    const elsewhere = join(tempDir(), 'shared', 'ir.trailscope-notebook');
    mkdirSync(join(elsewhere, '..'));
    const copied = await cli('notebook', file, '--no-run', '--out', elsewhere);
    assert.equal(copied.code, 0, copied.err);
    const places = readNotebook(readFileSync(elsewhere, 'utf8'), 'copy').notebook.cells.map((c) => (c.place as { target?: { path?: string } } | undefined)?.target?.path);
    assert.deepEqual(places, [undefined, ...Array(4).fill(join(dir, 'evidence', 'otrf.duckdb')), undefined], 'outside its folder, the store by its full path');
    const again = await cli('notebook', elsewhere, '--cell', '2');
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, `cell 2 (lookup) # objects read: ${named('GetObject')} events\n`);
    // An answer's own place moves with the copy as the cell's does.
    const ranCopy = join(elsewhere, '..', 'ran.trailscope-notebook');
    assert.equal((await cli('notebook', file, '--cell', '2', '--out', ranCopy)).code, 0);
    const answer = readNotebook(readFileSync(ranCopy, 'utf8'), 'ran').notebook.cells[1]!.output!;
    assert.equal((answer.asked?.place as { target: { path: string } }).target.path, join(dir, 'evidence', 'otrf.duckdb'));
  });

  it('asks every cell about another time range with --start and --end, as a daily hunt would', async () => {
    // These records came through a shipper: the time is in @timestamp.
    const times = records.filter((r) => r.eventName === 'GetObject').map((r) => (r.eventTime ?? r['@timestamp'])!).sort();
    assert.ok(times.length >= 2);
    const { code, out, err } = await cli('notebook', file, '--cell', '2', '--start', times[1]!, '--end', '2020-10-01T00:00:00Z');
    assert.equal(code, 0, err);
    assert.equal(out, `cell 2 (lookup) # objects read: ${times.length - 1} event${times.length === 2 ? '' : 's'}\n  note: Asked over ${times[1]!.replace(/\.000Z$/, 'Z')} → 2020-10-01T00:00:00Z (trailscope notebook's options), not where and when the cell's place says.\n`, 'the first GetObject falls before the range');
    // One bound alone replaces the cell's: a range that ends before it starts is that cell's failure.
    const lastDay = await cli('notebook', file, '--cell', '2', '--start', '24h');
    assert.equal(lastDay.code, 1);
    assert.match(lastDay.out, /^cell 2 \(lookup\) # objects read: failed: --start \S+ is after the cell's own end, 2020-10-01T00:00:00Z: give --end too\n$/);
    const backwards = await cli('notebook', file, '--start', '2020-10-01T00:00:00Z', '--end', '2020-09-01T00:00:00Z');
    assert.equal(backwards.code, 2);
    assert.match(backwards.err, /--start is after --end/);
  });

  it('refuses cell numbers it cannot run', async () => {
    for (const [args, message] of [
      [['--cell', '1'], /cell 1 is a Markdown cell/],
      [['--cell', '7'], /--cell is a cell number from 1 to 6, got '7'/],
      [['--in-place', '--out', join(dir, 'x')], /either --in-place or to --out FILE/],
      [['--out', join(dir, 'x'), '--saved-rows', '-1'], /--saved-rows is a whole number \(0 or more\), got '-1'/],
    ] as const) {
      const { code, err } = await cli('notebook', file, ...args);
      assert.equal(code, 2, err);
      assert.match(err, message);
    }
  });

  it('keeps a saved answer it cannot read as it is, until its cell runs again', async () => {
    const damaged = JSON.parse(text()) as { cells: Array<Record<string, unknown>> };
    const tampered = { ranAt: '2026-11-24T00:00:00Z', result: { Events: [{ EventId: 7 }] } };
    damaged.cells[1]!.output = tampered;
    const path = join(dir, 'damaged.trailscope-notebook');
    writeFileSync(path, JSON.stringify(damaged));
    const kept = await cli('notebook', path, '--cell', '3', '--in-place');
    assert.equal(kept.code, 0, kept.err);
    assert.match(kept.err, /cannot read a saved answer \(\S+: cells\[1\]\.output\.result: Events\[0\]\.EventId should be a string\); it is kept as it is until its cell runs/);
    const written = JSON.parse(readFileSync(path, 'utf8')) as { cells: Array<{ output?: unknown }> };
    assert.deepEqual(written.cells[1]!.output, tampered, 'not lost by writing the notebook over itself');
    assert.ok(written.cells[2]!.output, 'the cell that ran has its answer');
    const ranAgain = await cli('notebook', path, '--cell', '2', '--in-place');
    assert.equal(ranAgain.code, 0, ranAgain.err);
    const replaced = readNotebook(readFileSync(path, 'utf8'), 'again').notebook.cells[1]!;
    assert.equal(replaced.unreadableOutput, undefined);
    assert.ok(replaced.output && 'result' in replaced.output && replaced.output.result.kind === 'events');
  });
  it("refuses to write a report or a copy over the store a cell reads, found from the notebook's folder as the cell finds it", async () => {
    const db = join(dir, 'evidence', 'otrf.duckdb');
    const before = readFileSync(db);
    for (const argv of [['--report', db], ['--out', db], ['--report', relative(process.cwd(), db)], ['--report', `${dir}/evidence/../evidence/otrf.duckdb`]]) {
      const { code, out, err } = await cli('notebook', file, '--cell', '2', ...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, /otrf\.duckdb is an evidence store \(a DuckDB database\): writing there would replace it; choose another file/, argv.join(' '));
      assert.equal(out, '', 'nothing ran');
    }
    assert.ok(readFileSync(db).equals(before), 'the store is as it was');
    assert.equal((await cli('lookup', '--db', db, '--max', '1')).code, 0, 'the store is still a store');
  });

  it('writes the notebook whole or not at all: a write that fails midway (a full disk) leaves the file as it was', () => {
    const path = join(dir, 'big.trailscope-notebook');
    // Larger than the 64 KB the shell lets the command write below.
    const big = JSON.stringify({ trailscopeNotebook: 1, cells: [{ kind: 'markdown', source: `# Notes\n${'the proxy read the bucket. '.repeat(8_000)}` }] });
    writeFileSync(path, big);
    const main = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts');
    const run = spawnSync('bash', ['-c', 'ulimit -f 64; exec "$0" --import tsx "$1" notebook "$2" --no-run --in-place', process.execPath, main, path], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /EFBIG|too large/i);
    assert.equal(readFileSync(path, 'utf8'), big, 'the notebook is as it was');
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'nothing left beside it');
  });

  it('cuts to --saved-rows only the answers of the cells that ran: the others are written back as the file has them', async () => {
    const path = join(dir, 'rows.trailscope-notebook');
    writeFileSync(path, text());
    const whole = await cli('notebook', path, '--cell', '2', '--cell', '3', '--in-place', '--saved-rows', '0');
    assert.equal(whole.code, 0, whole.err);
    const outputOf = (file: string, i: number) => JSON.stringify((JSON.parse(readFileSync(file, 'utf8')) as { cells: Array<{ output?: unknown }> }).cells[i]!.output);
    const insights = outputOf(path, 2);
    // Cell 2 runs again with a smaller limit: its new answer is cut, cell 3's saved one is not.
    const one = await cli('notebook', path, '--cell', '2', '--in-place', '--saved-rows', '1');
    assert.equal(one.code, 0, one.err);
    const read = readNotebook(readFileSync(path, 'utf8'), 'rows').notebook;
    assert.equal(read.cells[1]!.output?.note, `The file keeps the first 1 event of ${named('GetObject')}; run the cell again for all of them.`);
    assert.equal(outputOf(path, 2), insights, 'cell 3 did not run: its answer whole, as it was');
    // Nothing runs: the file is written back as it is, with --in-place or into a copy beside it.
    const saved = readFileSync(path, 'utf8');
    const kept = await cli('notebook', path, '--no-run', '--in-place', '--saved-rows', '1');
    assert.equal(kept.code, 0, kept.err);
    assert.equal(readFileSync(path, 'utf8'), saved);
    const copy = join(dir, 'rows-copy.trailscope-notebook');
    assert.equal((await cli('notebook', path, '--no-run', '--out', copy)).code, 0);
    assert.equal(readFileSync(copy, 'utf8'), saved);
    // A run that fails keeps the answer the cell had, whole.
    const failedRun = await cli('notebook', path, '--cell', '3', '--in-place', '--saved-rows', '1', '--start', '24h');
    assert.equal(failedRun.code, 1);
    const failed = readNotebook(readFileSync(path, 'utf8'), 'rows').notebook.cells[2]!.output;
    assert.ok(failed && 'result' in failed && failed.result.kind === 'insights');
    assert.equal(failed.result.result.results.length, new Set(records.map((r) => r.eventName)).size);
    assert.match(failed.note ?? '', /^The run of \S+ failed: --start \S+ is after the cell's own end, [^)]+\(the answer shown is from \S+\)\.$/);
  });

  it('keeps a saved answer it cannot read when its cell runs and fails, and says so', async () => {
    const damaged = JSON.parse(text()) as { cells: Array<Record<string, unknown>> };
    const tampered = { ranAt: '2026-03-05T00:00:00Z', result: { Events: [{ EventId: 'abc', EventTime: '2026-03-04T02:52:40Z', CloudTrailEvent: '{}', Resources: 'written by a newer version' }] } };
    Object.assign(damaged.cells[1]!, { output: tampered, place: store('evidence/moved-away.duckdb') });
    const path = join(dir, 'unreadable.trailscope-notebook');
    writeFileSync(path, JSON.stringify(damaged));
    const { code, out } = await cli('notebook', path, '--cell', '2', '--in-place');
    assert.equal(code, 1);
    assert.match(out, /^cell 2 \(lookup\) # objects read: failed: no evidence store at .*moved-away\.duckdb.* \(its saved answer, which could not be read, is kept as it is\)\n$/);
    const written = JSON.parse(readFileSync(path, 'utf8')) as { cells: Array<{ output?: unknown }> };
    assert.deepEqual(written.cells[1]!.output, tampered, 'the answer the file had, not the error');
  });

  it("escapes the control characters of a failed cell's message as of its label, the caret still under the place", async () => {
    const hostile = join(dir, 'hostile-errors.trailscope-notebook');
    writeFileSync(hostile, JSON.stringify({ trailscopeNotebook: 1, cells: [
      { kind: 'lookup', source: 'EventName=GetObject\n\u001b]0;owned\u0007\u001b[2JUsername=x', place: store('evidence/otrf.duckdb') },
      { kind: 'insights', source: 'fields eventName\n| filter eventName = "\u001b[2J" \u001b[2J', place: store('evidence/otrf.duckdb', ['cloudtrail']) },
    ] }));
    const { code, out } = await cli('notebook', hostile);
    assert.equal(code, 1);
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, JSON.stringify(out));
    const lines = out.split('\n');
    assert.match(lines[0]!, /^cell 1 \(lookup\) EventName=GetObject: failed: line 2: unknown key '\\u001b\]0;owned\\u0007\\u001b\[2JUsername': /);
    assert.equal(lines[1], "cell 2 (insights) fields eventName: failed: query error at line 2, column 29: unexpected character '␛'", 'the column of the cell\'s own text');
    assert.equal(lines[2], '  | filter eventName = "\\u001b[2J" \\u001b[2J');
    assert.equal(lines[3], `${' '.repeat(lines[2]!.lastIndexOf('\\u001b'))}^^^^^^`, 'the caret under the second escape as shown');
  });
});
