import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { newCase, readCase, serializeCase, type InvestigationCase } from '../../../src/core/case/case-file';
import { addFinding, addJournalEntry } from '../../../src/core/case/edit';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import { OTRF } from '../evidence/helpers';
import { changeCaseFile } from '../../../src/core/case/save';

const REPO = join(__dirname, '..', '..', '..');

/** A fresh case file in a folder of its own. */
function caseFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'trailscope-case-'));
  const file = join(folder, 'ir.trailscope-case.json');
  writeFileSync(file, serializeCase(newCase('IR-7: private notes', new Date('2026-11-24T02:00:00Z')), folder));
  return file;
}

const journal = (file: string): string[] => readCase(readFileSync(file, 'utf8'), 'c', '/').case.journal.map((e) => e.text);
const add = (text: string) => (c: InvestigationCase) => addJournalEntry(c, { at: '2026-11-24T03:00:00.000Z', text });

/**
 * One VS Code window saving the case: a process that says "ready", waits for "go" on its stdin, then adds
 * `count` journal entries one after another, each through changeCaseFile as the editor does.
 */
function windowProcess(file: string, label: string, count: number): { ready: Promise<void>; go: () => void; done: Promise<void> } {
  const script = `
    const { changeCaseFile } = require('./src/core/case/save');
    const { addJournalEntry } = require('./src/core/case/edit');
    const [file, label, count] = process.argv.slice(1);
    process.stdout.write('ready\\n');
    process.stdin.once('data', async () => {
      for (let i = 0; i < Number(count); i++) await changeCaseFile(file, (c) => addJournalEntry(c, { at: '2026-11-24T03:00:00.000Z', text: label + ' ' + i }));
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, file, label, String(count)], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
  });
  const done = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`window ${label} exited with ${code}`)))));
  return { ready, go: () => child.stdin.write('go\n'), done };
}

describe('saving a case file', () => {
  it('keeps who may read it: a case made private (600) or shared with a group (660) stays so after a save', async () => {
    for (const mode of [0o600, 0o660]) {
      const file = caseFile();
      chmodSync(file, mode);
      await changeCaseFile(file, add('called the key owner'));
      assert.equal((statSync(file).mode & 0o777).toString(8), mode.toString(8));
      assert.deepEqual(journal(file), ['called the key owner']);
    }
  });

  it('keeps the stores the file names beside its folder (../evidence/...) as it spells them, for every finding of that store', async () => {
    const file = caseFile();
    const folder = dirname(file);
    const store = join(dirname(folder), 'evidence', 'sample.duckdb');
    const other = join('/', 'mnt', 'shared', 'org.duckdb');
    const [first, second] = readFileSync(OTRF, 'utf8').trim().split('\n').slice(0, 2).map((line) => toLookupEvent(line));
    // As a colleague wrote it by hand, cases/ and evidence/ side by side in a shared repository.
    const handWritten = JSON.parse(serializeCase(addFinding(newCase('IR-7', new Date('2026-11-24T02:00:00Z')), { event: first! }, { kind: 'evidence', path: other }, new Date()).case, folder)) as { findings: Array<{ target: { path: string } }> };
    handWritten.findings[0]!.target.path = '../evidence/sample.duckdb';
    writeFileSync(file, JSON.stringify(handWritten));
    await changeCaseFile(file, add('called the key owner'));
    await changeCaseFile(file, (c) => addFinding(c, { event: second! }, { kind: 'evidence', path: store }, new Date()).case);
    await changeCaseFile(file, (c) => addFinding(c, { event: first! }, { kind: 'evidence', path: other }, new Date()).case);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { findings: Array<{ target: { path: string } }> };
    assert.deepEqual(written.findings.map((f) => f.target.path), ['../evidence/sample.duckdb', '../evidence/sample.duckdb', other]);
  });

  it('keeps every entry two windows add at the same moment, many times over', async () => {
    const COUNT = 20;
    for (let trial = 0; trial < 3; trial++) {
      const file = caseFile();
      const windows = [windowProcess(file, 'A', COUNT), windowProcess(file, 'B', COUNT)];
      await Promise.all(windows.map((w) => w.ready));
      windows.forEach((w) => w.go());
      await Promise.all(windows.map((w) => w.done));
      const texts = journal(file);
      const missing = ['A', 'B'].flatMap((label) => Array.from({ length: COUNT }, (_, i) => `${label} ${i}`)).filter((t) => !texts.includes(t));
      assert.deepEqual(missing, [], `trial ${trial}: ${texts.length} of ${2 * COUNT} entries kept`);
      assert.ok(!existsSync(`${file}.lock`), 'the lock is gone once both have saved');
    }
  });

  it('waits for another window that is saving, then applies the change to what it wrote', async () => {
    const file = caseFile();
    const folder = dirname(file);
    // The other window holds the lock: it has read the case and is about to write its entry.
    writeFileSync(`${file}.lock`, '');
    const theirs = addJournalEntry(readCase(readFileSync(file, 'utf8'), 'c', folder).case, { at: '2026-11-24T02:30:00.000Z', text: 'theirs' });
    const ours = changeCaseFile(file, add('ours'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(file, serializeCase(theirs, folder));
    rmSync(`${file}.lock`);
    await ours;
    assert.deepEqual(journal(file), ['theirs', 'ours']);
  });

  it('is not stopped by a lock a crashed window left behind, nor leaves one after a failed change', async () => {
    const file = caseFile();
    writeFileSync(`${file}.lock`, '');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, minuteAgo, minuteAgo);
    const started = Date.now();
    await changeCaseFile(file, add('after the crash'));
    assert.ok(Date.now() - started < 2_000, `saved in ${Date.now() - started} ms`);
    assert.ok(!existsSync(`${file}.lock`));
    await assert.rejects(
      changeCaseFile(file, () => {
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.ok(!existsSync(`${file}.lock`), 'a failed change leaves no lock behind');
    await changeCaseFile(file, add('and again'));
    assert.deepEqual(journal(file), ['after the crash', 'and again']);
  });
});
