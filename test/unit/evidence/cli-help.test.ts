import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { COMMANDS } from '../../../src/cli/commands';
import { cli } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');

test('no option of any command says (repeatable) twice in its help', async () => {
  for (const command of COMMANDS) {
    const help = await cli(command.name, '--help');
    assert.equal(help.code, 0, command.name);
    for (const line of help.out.split('\n')) assert.ok((line.match(/repeatable/gi) ?? []).length <= 1, `${command.name}: ${line}`);
    for (const option of command.options.filter((o) => o.repeatable)) {
      assert.match(help.out, new RegExp(`^  --${option.name} .*\\(repeatable\\)$`, 'm'), `${command.name} --${option.name} says it is repeatable`);
    }
  }
  const notebook = await cli('notebook', '--help');
  assert.match(notebook.out, /^ {2}--cell N +run only this cell \(repeatable\)$/m);
});

test('the local endpoint answers --help with its options, and exit status 0', async () => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/endpoint/main.ts', '--help'], { cwd: ROOT });
  assert.equal(stderr, '');
  assert.match(stdout, /^Usage: node dist\/endpoint\.js --db FILE/);
  for (const option of ['--db FILE', '--port N', '--host ADDR', '--faults JSON', '--trails FILE', '--synthetic-log-groups N', '--account ACCESS_KEY=ACCOUNT_ID', '--help']) {
    assert.match(stdout, new RegExp(`^ {2}${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'), option);
  }
  assert.match(stdout, /--account ACCESS_KEY=ACCOUNT_ID +callers signing with this key are this account \(repeatable\)$/m);
});
