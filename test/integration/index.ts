// The integration suite's entry, loaded INSIDE the extension host by whichever runner started VS Code
// (code-server through the payload route, or @vscode/test-electron). Both expect `run()`.
// The runner bundles every test/integration/**/*.test.ts next to this file as *.test.js.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** The last line the suite prints; the code-server runner reads the counts from it. */
export const SUMMARY_PREFIX = 'TRAILSCOPE-INTEGRATION-SUMMARY';
const EXTENSION_ID = 'trailscope.trailscope';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.TRAILSCOPE_TEST_TIMEOUT_MS ?? 30_000),
    grep: process.env.TRAILSCOPE_TEST_GREP || undefined,
  });
  for (const file of testFiles(__dirname)) mocha.addFile(file);

  // Every test may assume the extension under test is active.
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await extension.activate();

  const counts = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
  console.log(`${SUMMARY_PREFIX} ${JSON.stringify(counts)}`);
  if (counts.failed > 0) throw new Error(`${counts.failed} integration test(s) failed`);
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(dir, name));
}
