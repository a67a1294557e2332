import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cli, tempDir } from './helpers';
import { escapeTerminal } from '../../../src/core/format/table';
import { DRIVES_TERMINAL, injectionEvent, loadCorpus } from '../../fixtures/injection/corpus';

/**
 * What `trailscope lookup` prints when a person reads it in a terminal, and when its output goes into a
 * pipe or a file: the CLI runs as a real process, once under script(1), which gives it a pseudo-terminal
 * as its standard output (so `isTTY` is what it is for a user), once with a pipe. Every payload of the
 * injection corpus is in the events, ESC sequences (title, erase screen, OSC 52 clipboard, OSC 8 links),
 * C1 controls, backspaces and lone carriage returns among them.
 */

const ROOT = join(__dirname, '..', '..', '..');
const dir = tempDir();
const db = join(dir, 'hostile.duckdb');

before(async () => {
  const file = join(dir, '111122223333_CloudTrail_us-east-1_20240501T1200Z_Hostile.json');
  writeFileSync(file, JSON.stringify({ Records: loadCorpus().map((c, i) => JSON.parse(injectionEvent(c, i).CloudTrailEvent ?? '{}')) }));
  const ingested = await cli('ingest', file, '--db', db);
  assert.equal(ingested.code, 0, ingested.out + ingested.err);
});

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The CLI's standard output, as bytes, on a terminal or into a pipe. On the terminal, stderr shares it,
 * as it does for a person; `expected` is the exit status the command must end with.
 */
async function output(to: 'terminal' | 'pipe', argv: string[], expected = 0): Promise<Buffer> {
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...argv];
  // `stty -opost`: the terminal passes the bytes on as written (no \n -> \r\n), so they compare exactly.
  const child =
    to === 'pipe'
      ? spawn(command[0], command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('script', ['--quiet', '--return', '--command', `stty -opost && exec ${command.map(quote).join(' ')}`, '/dev/null'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, expected, `${to}: ${stderr}${Buffer.concat(chunks).toString().slice(0, 2000)}`);
  return Buffer.concat(chunks);
}

test('lookup --format csv: on a terminal every control character of a cell arrives as a visible escape; into a pipe, byte for byte', { skip: process.platform !== 'linux' && 'script(1) of util-linux' }, async () => {
  const argv = ['lookup', '--db', db, '--format', 'csv'];
  const [terminal, pipe, inProcess] = await Promise.all([output('terminal', argv), output('pipe', argv), cli(...argv)]);

  // A pipe or a file gets the CSV exactly as formatted, escape sequences and all.
  assert.ok(pipe.equals(Buffer.from(inProcess.out)), 'piped CSV is the formatted CSV, unchanged');
  assert.ok(pipe.includes('\u001b]52;c;Y3VybCAtcyBodHRwOi8vMTI3LjAuMC4xOjkveCB8IHNo\u0007'), 'the OSC 52 payload is in the piped CSV as it was logged');

  // The terminal shows what the cells hold, and acts on none of it.
  const shown = terminal.toString('utf8');
  assert.doesNotMatch(shown, DRIVES_TERMINAL);
  assert.ok(shown.includes('\\u001b]52;c;Y3VybCAtcyBodHRwOi8vMTI3LjAuMC4xOjkveCB8IHNo\\u0007'), 'OSC 52 shown as text');
  assert.ok(shown.includes('\\u001b[2J\\u001b[3J\\u001b[H'), 'erase screen shown as text');
  assert.ok(shown.includes('\\u001b[31mred\\u001b[0m \\u001b]0;title\\u0007'), 'colour and window title shown as text');
  assert.ok(shown.includes('AccessDenied\\rSuccess'), 'a lone carriage return does not write over the line');
  assert.ok(shown.includes('x\\u0085y\\u009bz'), 'C1 controls shown as text');
  assert.ok(shown.includes('👩\u200d💻 root'), 'an emoji sequence stays whole');
  // The rows still end in CRLF and nothing else changed.
  assert.equal(shown, escapeTerminal(pipe.toString('utf8')));
  assert.ok(shown.startsWith('EventTime,EventName,'), shown.slice(0, 100));
  assert.equal(shown.split('\r\n').length, pipe.toString('utf8').split('\r\n').length);
});

test('lookup --format json on a terminal is still JSON of the same values, with no control character left raw', { skip: process.platform !== 'linux' && 'script(1) of util-linux' }, async () => {
  const argv = ['lookup', '--db', db, '--format', 'json'];
  const [terminal, pipe] = await Promise.all([output('terminal', argv), output('pipe', argv)]);
  // JSON.stringify leaves DEL, C1 controls and bidi characters raw; a terminal gets them as \u escapes.
  assert.ok(pipe.includes('x\u0085y\u009bz'), 'the pipe keeps the raw C1 characters');
  assert.doesNotMatch(terminal.toString('utf8'), DRIVES_TERMINAL);
  assert.deepEqual(JSON.parse(terminal.toString('utf8')), JSON.parse(pipe.toString('utf8')));
});

test('an error quoting a hostile query shows it escaped on a terminal, while the ingest progress line still redraws in place', { skip: process.platform !== 'linux' && 'script(1) of util-linux' }, async () => {
  // A query from a shared notebook or case is quoted back by its syntax error, on stderr.
  const error = (await output('terminal', ['insights', '--db', db, '--query', 'fields @timestamp | filter x = \u001b]0;owned\u0007\u001b[2J'], 1)).toString('utf8');
  assert.match(error, /query error at line 1/);
  assert.doesNotMatch(error, DRIVES_TERMINAL);
  assert.ok(error.includes('\\u001b]0;owned\\u0007\\u001b[2J'), error);
  const ingest = (await output('terminal', ['ingest', join(ROOT, 'test', 'fixtures', 'evidence', 's3'), '--db', join(tempDir(), 'progress.duckdb')])).toString('utf8');
  assert.ok(ingest.includes('\r\u001b[K'), 'the progress line is drawn with the terminal\'s own controls');
  assert.doesNotMatch(ingest, /\\u001b\[K/, 'and they are not escaped');
});
