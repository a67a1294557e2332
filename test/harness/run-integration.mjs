// Runs the integration suite INSIDE the real VS Code: code-server with the smoke-test driver loads the
// workbench in Chromium, and the `payload` URL parameter makes it start an extension development host
// with the repository as the extension under test and out/integration/index.js as its tests.
// The page receives the host's output through codeAutomationLog and the verdict through
// codeAutomationExit. Prints the counts as a TRAILSCOPE-RESULT line for scripts/test.mjs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { REPO, ensureToolchain } from '../../scripts/toolchain.mjs';
import { launchChromium } from './browser.mjs';
import { bundleIntegrationSuite } from './bundle-integration.mjs';
import { startCodeServer } from './code-server.mjs';
import { integrationEnvironment } from './environment.mjs';
import { reportResult } from './report.mjs';

const SUITE_TIMEOUT_MS = Number(process.env.TRAILSCOPE_INTEGRATION_TIMEOUT_MS ?? 300_000);
const SUMMARY_PREFIX = 'TRAILSCOPE-INTEGRATION-SUMMARY';
/** Workbench chatter on a closed network that says nothing about our tests. */
const NOISE = [/ENOTFOUND open-vsx\.org/, /^\[(AgentHost|ChatModelSelection)\]/];

const toolchain = ensureToolchain();
const suite = await bundleIntegrationSuite();
const scratch = mkdtempSync(join(tmpdir(), 'trailscope-integration-'));
const workspace = join(REPO, 'out', 'integration-workspace');
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });

const server = await startCodeServer({ toolchain, root: scratch, extensionsDir: join(scratch, 'extensions'), smokeTestDriver: true });
const { context, page } = await launchChromium();
let summary;
try {
  let exited;
  const exitCode = new Promise((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => exited(Number(code)));
  await page.exposeFunction('codeAutomationLog', (_level, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (NOISE.some((pattern) => pattern.test(text))) return;
    for (const line of text.split('\n')) {
      if (line.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(line.slice(SUMMARY_PREFIX.length + 1));
      else console.log(`  ${line}`);
    }
  });
  const payload = [
    ['extensionDevelopmentPath', server.remoteUri(REPO)],
    ['extensionTestsPath', server.remoteUri(join(suite, 'index.js'))],
    ['extensionEnvironment', JSON.stringify(integrationEnvironment({ workspace }))],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  await page.goto(server.workbenchUrl(workspace, payload));
  const verdict = await Promise.race([
    exitCode.then((code) => ({ code })),
    hostCrash(server),
    sleep(SUITE_TIMEOUT_MS).then(() => ({ problem: `the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s (hung test or hook?)` })),
  ]);
  const counts = summary ?? { passed: 0, failed: 0 };
  const hostExit = server.extensionHostExitCode();
  if (!('problem' in verdict) && summary === undefined) {
    // The workbench reports an exit even when the host died mid-suite (process.exit, a native crash).
    verdict.problem = `the suite ended without its summary (exit ${verdict.code}${hostExit === undefined ? '' : `, extension host exit code ${hostExit}`}): the extension host died mid-suite?`;
  }
  if ('problem' in verdict) {
    console.log(`integration: FAILED: ${verdict.problem}`);
    counts.failed += 1;
  } else if (verdict.code !== 0 && counts.failed === 0) {
    console.log(`integration: FAILED: the suite exited with ${verdict.code} before reporting a failed test (see output above)`);
    counts.failed += 1;
  }
  console.log(`integration: ${counts.passed} passed, ${counts.failed} failed`);
  reportResult(counts);
} finally {
  await context.close().catch(() => {});
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}

/** Resolves if an extension host exits while the suite runs (a crash: the verdict never comes). */
async function hostCrash(server) {
  for (;;) {
    await sleep(1000);
    const code = server.extensionHostExitCode();
    if (code !== undefined) {
      // A normal end also exits the host; give the verdict a moment to arrive first.
      await sleep(3000);
      return { problem: `the extension host exited with code ${code} before the suite finished` };
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
