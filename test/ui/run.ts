// Runs the UI tests (test/ui/**/*.test.ts, mocha BDD) against the real workbench as a person uses it:
// code-server WITHOUT the smoke-test driver (so notifications and dialogs behave as for a user), with
// the packaged VSIX installed into a fresh extensions folder, driven in Debian's Chromium.
// Started by scripts/test.mjs (`npm run test:ui`); prints a TRAILSCOPE-RESULT line with the counts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Mocha from 'mocha';
import { createWorkbench } from './workbench';

// The harness is plain ESM shared with the scripts; this file is CommonJS, so it imports it dynamically.
const harness = async () => ({
  ...(await import('../../scripts/toolchain.mjs')),
  ...(await import('../../scripts/package.mjs')),
  ...(await import('../harness/browser.mjs')),
  ...(await import('../harness/code-server.mjs')),
  ...(await import('../harness/environment.mjs')),
  ...(await import('../harness/report.mjs')),
});

const TEST_TIMEOUT_MS = Number(process.env.TRAILSCOPE_UI_TEST_TIMEOUT_MS ?? 60_000);
const SUITE_TIMEOUT_MS = Number(process.env.TRAILSCOPE_UI_TIMEOUT_MS ?? 300_000);

async function main(): Promise<void> {
  const { ensureToolchain, REPO, vsixPath, installExtension, startCodeServer, integrationEnvironment, launchChromium, reportResult, reportRunning } = await harness();
  const toolchain = ensureToolchain();
  const vsix = vsixPath();
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);

  const scratch = mkdtempSync(join(tmpdir(), 'trailscope-ui-'));
  const extensionsDir = join(scratch, 'extensions');
  console.log(`ui: installing ${vsix}`);
  installExtension({ toolchain, root: scratch, extensionsDir, vsix });
  const workspace = join(REPO, 'out', 'ui-workspace');
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });

  // The extension host inherits the server's environment: the same fake AWS world as integration tests.
  const server = await startCodeServer({ toolchain, root: scratch, extensionsDir, env: integrationEnvironment({ workspace }) });
  const { context, page } = await launchChromium();
  let counts: { passed: number; failed: number };
  try {
    page.setDefaultTimeout(20_000);
    await page.goto(server.workbenchUrl(workspace));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    const workbench = createWorkbench(page, workspace, REPO);

    const mocha = new Mocha({ ui: 'bdd', timeout: TEST_TIMEOUT_MS, color: Boolean(process.stdout.isTTY || process.env.FORCE_COLOR), grep: process.env.TRAILSCOPE_TEST_GREP || undefined });
    for (const file of testFiles(join(REPO, 'test', 'ui'))) mocha.addFile(file);
    // A failed test leaves a picture of the window behind it.
    mocha.rootHooks({
      async afterEach(this: Mocha.Context) {
        const test = this.currentTest;
        if (test?.state === 'failed') console.log(`    screenshot: ${await workbench.screenshot(`failed-${test.fullTitle()}`)}`);
      },
    });
    counts = await runWithTimeout(mocha, reportRunning);
    const hostExit = server.extensionHostExitCode();
    if (hostExit !== undefined) {
      console.log(`ui: FAILED: the extension host exited with code ${hostExit} during the tests`);
      counts.failed += 1;
    }
  } finally {
    await context.close().catch(() => {});
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`ui: ${counts.passed} passed, ${counts.failed} failed`);
  reportResult(counts);
}

/**
 * Mocha's own timeouts catch a hung test; this catches a hung hook or a runner that never ends. Each
 * test and hook is announced as it starts (scripts/test.mjs names it if the whole stage times out).
 */
function runWithTimeout(mocha: Mocha, announce: (title: string) => void): Promise<{ passed: number; failed: number }> {
  return new Promise((resolve) => {
    let current: string | undefined;
    const runner = mocha.run(() => {
      clearTimeout(timer);
      resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 });
    });
    const started = (runnable: Mocha.Runnable) => {
      current = runnable.fullTitle();
      announce(current);
    };
    runner.on('test', started).on('hook', started);
    const timer = setTimeout(() => {
      console.log(`ui: FAILED: the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s${current ? ` (last started: "${current}")` : ''}`);
      runner.abort();
      resolve({ passed: runner.stats?.passes ?? 0, failed: (runner.stats?.failures ?? 0) + 1 });
    }, SUITE_TIMEOUT_MS);
  });
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => join(dir, name));
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(`ui: ${error instanceof Error ? error.stack : String(error)}`);
    (await import('../harness/report.mjs')).reportResult({ passed: 0, failed: 1 });
    process.exit(1);
  },
);
