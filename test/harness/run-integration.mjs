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
/** How long the verdict may trail the extension host's exit in the server log before it counts as a crash. */
const HOST_EXIT_GRACE_MS = 15_000;
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
/** The suite's last line of output: what it was doing if it hangs. */
let lastLine;
try {
  let exited;
  const exitCode = new Promise((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => exited(Number(code)));
  await page.exposeFunction('codeAutomationLog', (_level, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (NOISE.some((pattern) => pattern.test(text))) return;
    for (const line of text.split('\n')) {
      if (line.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(line.slice(SUMMARY_PREFIX.length + 1));
      else {
        console.log(`  ${line}`);
        if (line.trim()) lastLine = line.trim();
      }
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
    sleep(SUITE_TIMEOUT_MS).then(() => ({
      problem: `the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s (hung test or hook?${lastLine === undefined ? '' : ` its last output: "${lastLine.slice(0, 200)}"`})`,
    })),
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

/**
 * Resolves if an extension host exits while the suite runs (a crash: the verdict never comes). A normal
 * end also exits the host, and its verdict can arrive after the log says so on a loaded machine: a run
 * whose summary is in is finished, and otherwise the verdict gets HOST_EXIT_GRACE_MS to arrive (the race
 * in the caller takes it) before the exit counts as a crash.
 */
async function hostCrash(server) {
  for (;;) {
    await sleep(1000);
    const code = server.extensionHostExitCode();
    if (code === undefined) continue;
    const deadline = Date.now() + HOST_EXIT_GRACE_MS;
    for (;;) {
      // The summary is the suite's last line: the run ended, whatever happens to the exit message.
      if (summary !== undefined) return { code: summary.failed > 0 ? 1 : 0 };
      if (Date.now() >= deadline) {
        return { problem: `the extension host exited with code ${code} before the suite finished (no summary within ${HOST_EXIT_GRACE_MS / 1000} s of the exit)` };
      }
      await sleep(250);
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
