// `npm test`: installs what is missing, builds and packages, then runs every check and suite:
// static (typecheck, lint), unit (node:test), integration (mocha inside the real VS Code) and
// ui (the workbench driven in Chromium with the packaged VSIX installed). Each stage runs as its own
// process group with a time limit. The last line is always `N passed, N failed` over all of them, and
// the exit code is non-zero when anything failed, crashed or hung.
//
//   node scripts/test.mjs [--only static|unit|integration|ui]
//
// Plain Node ESM on purpose: it must start on a fresh clone before node_modules exists.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureDependencies } from './dependencies.mjs';
import { REPO, ensureBrowser, ensureToolchain } from './toolchain.mjs';

const STAGES = ['static', 'unit', 'integration', 'ui'];
const SECOND = 1000;
const MINUTE = 60 * SECOND;
// The suites' own budgets, with the defaults their runners use (test/harness/run-integration.mjs and
// test/ui/run.ts read the same variables).
const INTEGRATION_SUITE_MS = Number(process.env.TRAILSCOPE_INTEGRATION_TIMEOUT_MS ?? 300 * SECOND);
const UI_SUITE_MS = Number(process.env.TRAILSCOPE_UI_TIMEOUT_MS ?? 300 * SECOND);
/**
 * Whole-stage limits: a stage that runs longer is killed and counted as failed (env overrides all).
 * Each is above the sum of the budgets inside the stage, so that on a slow machine the inner limit that
 * names the problem fires first and this one only catches a runner that hangs itself. The integration
 * stage holds bundling, code-server's start (up to 60 s), Chromium and the workbench, the suite and the
 * teardown; the UI stage the VSIX install (up to 120 s), code-server's start (60 s), the workbench's
 * load (60 s), the suite and the teardown. Worst case for `npm test`, every stage at its limit: about
 * 50 minutes (CI allows 90); a normal run takes about 5.
 */
const STAGE_LIMIT = process.env.TRAILSCOPE_STAGE_TIMEOUT_MS ? Number(process.env.TRAILSCOPE_STAGE_TIMEOUT_MS) : undefined;
const STAGE_TIMEOUT_MS = Object.fromEntries(
  Object.entries({
    build: 5 * MINUTE,
    static: 5 * MINUTE,
    unit: 5 * MINUTE,
    integration: INTEGRATION_SUITE_MS + 60 * SECOND + 5 * MINUTE,
    ui: UI_SUITE_MS + (120 + 60 + 60) * SECOND + 5 * MINUTE,
  }).map(([stage, ms]) => [stage, STAGE_LIMIT ?? ms]),
);
// Per test, and per file as a whole (node:test treats a file as a test); generous for a loaded machine.
const UNIT_TEST_TIMEOUT_MS = 120_000;

const only = optionValue('--only');
if (only !== undefined && !STAGES.includes(only)) usage(`unknown stage "${only}"`);
const selected = only ? [only] : STAGES;
const needsVsCode = selected.includes('integration') || selected.includes('ui');

/** @type {{ name: string, passed: number, failed: number, seconds: number, note?: string }[]} */
const results = [];
const started = Date.now();

try {
  await step('dependencies', async () => ensureDependencies());
  // Integration and UI tests over a stale bundle or VSIX would prove nothing: they need a fresh one.
  let built = true;
  let packaged = true;
  if (needsVsCode) {
    await step('toolchain', async () => void ensureToolchain());
    built = await check('build', STAGE_TIMEOUT_MS.build, npmScript('build'));
  } else if (selected.includes('unit')) {
    // The webview unit tests drive the app in Chromium.
    await step('browser', async () => ensureBrowser());
  }
  if (selected.includes('ui') && built) packaged = await check('package', STAGE_TIMEOUT_MS.build, [process.execPath, ['scripts/package.mjs', '--skip-build']]);
  if (selected.includes('static')) {
    await check('typecheck', STAGE_TIMEOUT_MS.static, [process.execPath, [bin('typescript', 'tsc'), '-p', '.']]);
    await check('lint', STAGE_TIMEOUT_MS.static, [process.execPath, [bin('eslint', 'eslint'), '.']]);
  }
  if (selected.includes('unit')) await unitTests();
  if (selected.includes('integration')) {
    if (built) await suite('integration', [process.execPath, ['test/harness/run-integration.mjs']]);
    else skipped('integration', 'the build failed');
  }
  if (selected.includes('ui')) {
    if (built && packaged) await suite('ui', [process.execPath, ['--import', 'tsx', 'test/ui/run.ts']]);
    else skipped('ui', built ? 'packaging failed' : 'the build failed');
  }
} catch (error) {
  results.push({ name: 'setup', passed: 0, failed: 1, seconds: 0, note: error instanceof Error ? error.message : String(error) });
}

printSummary();

// ---------------------------------------------------------------------------------------------------

async function unitTests() {
  const files = findFiles(join(REPO, 'test', 'unit'), '.test.ts').map((file) => relative(REPO, file));
  if (files.length === 0) return void console.log('unit: no test files under test/unit');
  const counts = { pass: 0, fail: 0, cancelled: 0 };
  const args = [
    '--import', 'tsx', '--test', '--test-reporter=spec', `--test-timeout=${UNIT_TEST_TIMEOUT_MS}`,
    `--test-concurrency=${availableParallelism()}`, ...files,
  ];
  const outcome = await runStage('unit', STAGE_TIMEOUT_MS.unit, [process.execPath, args], (line) => {
    // The spec reporter ends with "ℹ pass N", "ℹ fail N", "ℹ cancelled N".
    const match = /^ℹ (pass|fail|cancelled) (\d+)$/.exec(line.trim());
    if (match) counts[/** @type {'pass'|'fail'|'cancelled'} */ (match[1])] = Number(match[2]);
  });
  const failed = counts.fail + counts.cancelled;
  record('unit', counts.pass, failed || (outcome.ok ? 0 : 1), outcome);
}

/** A suite runner that reports its counts on a TRAILSCOPE-RESULT line (test/harness/report.mjs). */
async function suite(name, command) {
  const { parseResult, parseRunning } = await import('../test/harness/report.mjs');
  /** @type {{ passed: number, failed: number } | undefined} */
  let counts;
  /** The test or hook the runner said it started last (a runner that reports it: TRAILSCOPE-RUNNING). */
  let running;
  const outcome = await runStage(name, STAGE_TIMEOUT_MS[name], command, (line) => {
    const title = parseRunning(line);
    if (title !== undefined) {
      running = title;
      return true;
    }
    const parsed = parseResult(line);
    if (parsed) counts = parsed;
    return parsed !== undefined;
  }, () => (running === undefined ? undefined : `last started: "${running}"`));
  const passed = counts?.passed ?? 0;
  const failed = counts?.failed ?? 0;
  record(name, passed, failed === 0 && !outcome.ok ? 1 : failed, outcome);
}

/** A single pass/fail check (build, package, typecheck, lint); resolves to whether it passed. */
async function check(name, timeoutMs, command) {
  const outcome = await runStage(name, timeoutMs, command);
  record(name, outcome.ok ? 1 : 0, outcome.ok ? 0 : 1, outcome);
  return outcome.ok;
}

/** A suite that could not run counts as one failure, so the run cannot look green. */
function skipped(name, reason) {
  record(name, 0, 1, { seconds: 0, note: `not run: ${reason}` });
}

async function step(name, action) {
  const begin = Date.now();
  await action();
  const seconds = (Date.now() - begin) / 1000;
  if (seconds > 1) console.log(`${name}: ready in ${seconds.toFixed(1)} s`);
}

function record(name, passed, failed, outcome) {
  results.push({ name, passed, failed, seconds: outcome.seconds, note: outcome.note });
  console.log(`${name}: ${passed} passed, ${failed} failed (${outcome.seconds.toFixed(1)} s)${outcome.note ? `: ${outcome.note}` : ''}`);
}

/**
 * Runs a stage in its own process group, echoing its output; `onLine` sees every stdout line and
 * returns true to keep a line out of the echo. A stage over its time limit is killed (TERM, then KILL);
 * the note says what it was doing: `doing()` if it knows, else its last line of output.
 * @param {() => string | undefined} [doing]
 * @returns {Promise<{ ok: boolean, seconds: number, note?: string }>}
 */
function runStage(name, timeoutMs, [command, args], onLine = () => false, doing = () => undefined) {
  console.log(`\n── ${name} ${'─'.repeat(Math.max(0, 70 - name.length))}`);
  const begin = Date.now();
  // The stage writes into a pipe; keep its colours when we print to a terminal.
  const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
  const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let outputClosed = false;
  child.stdout.once('close', () => (outputClosed = true));
  let lastLine;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (onLine(line)) return;
    console.log(line);
    if (line.trim()) lastLine = line.trim();
  });
  let timedOut = false;
  let stoppedWhile = '';
  const timer = setTimeout(() => {
    timedOut = true;
    const what = doing() ?? (lastLine === undefined ? undefined : `last output: "${lastLine.slice(0, 200)}"`);
    stoppedWhile = what ? `; ${what}` : '';
    console.log(`${name}: still running after ${timeoutMs / 1000} s; stopping it${stoppedWhile}`);
    signalGroup(child, 'SIGTERM');
    setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000).unref();
  }, timeoutMs);
  return new Promise((resolve) => {
    const finish = (outcome) => {
      clearTimeout(timer);
      resolve({ ...outcome, seconds: (Date.now() - begin) / 1000 });
    };
    child.once('error', (error) => finish({ ok: false, note: error.message }));
    child.once('exit', (code, signal) => {
      const outcome = timedOut
        ? { ok: false, note: `timed out after ${timeoutMs / 1000} s${stoppedWhile}` }
        : code === 0 ? { ok: true } : { ok: false, note: `exited with ${code ?? signal}` };
      // Wait for the last output lines; a leftover grandchild holding the pipe must not stall us.
      if (outputClosed) return void setImmediate(() => finish(outcome));
      const fallback = setTimeout(() => finish(outcome), 5000);
      child.stdout.once('close', () => {
        clearTimeout(fallback);
        setImmediate(() => finish(outcome));
      });
    });
  });
}

function signalGroup(child, signal) {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function printSummary() {
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`\n── summary (${((Date.now() - started) / 1000).toFixed(0)} s) ${'─'.repeat(55)}`);
  for (const r of results) {
    const verdict = r.failed > 0 ? 'FAIL' : 'ok  ';
    console.log(`${verdict} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed${r.note ? `  (${r.note})` : ''}`);
  }
  process.exitCode = failed > 0 ? 1 : 0;
  console.log(`${passed} passed, ${failed} failed`);
}

function npmScript(name) {
  return ['npm', ['run', '--silent', name]];
}

function bin(pkg, name) {
  const manifest = JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8'));
  const relativeBin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  return join(REPO, 'node_modules', pkg, relativeBin);
}

function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));
}

function optionValue(flag) {
  const index = process.argv.indexOf(flag);
  if (index === -1) return undefined;
  const value = process.argv[index + 1];
  if (value === undefined) usage(`${flag} needs a value`);
  return value;
}

function usage(problem) {
  console.error(`scripts/test.mjs: ${problem}\nUsage: node scripts/test.mjs [--only ${STAGES.join('|')}]`);
  process.exit(2);
}
