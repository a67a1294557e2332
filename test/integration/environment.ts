// What the runner tells the extension host about this test run (test/harness/environment.mjs sets it).
import { join } from 'node:path';

export interface TestEnvironment {
  /** The repository root: read fixtures from here (e.g. join(repo, 'test', 'fixtures', ...)). */
  repo: string;
  /** The folder opened as the workspace: fresh and empty for every run, free to write into. */
  workspace: string;
  /** The fake key pair in test/fixtures/aws/credentials (profile default), to assert it never shows. */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function testEnvironment(): TestEnvironment {
  const repo = required('TRAILSCOPE_REPO');
  return {
    repo,
    workspace: required('TRAILSCOPE_TEST_WORKSPACE'),
    credentials: { accessKeyId: 'AKIAFAKEFOUNDATION01', secretAccessKey: 'fakeFoundationSecretNeverShown0000000000' },
  };
}

/** A file under test/fixtures. */
export function fixture(...parts: string[]): string {
  return join(testEnvironment().repo, 'test', 'fixtures', ...parts);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the integration tests through scripts/test.mjs or scripts/test-electron.mjs`);
  return value;
}

/** Polls `probe` until it returns a value other than undefined (UI state settles asynchronously). */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
