// What the runner tells the extension host about this test run (test/harness/environment.mjs sets it).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from '../../src/sources/evidence/ingest/index';
import { EvidenceStore } from '../../src/sources/evidence/store';

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

/**
 * Polls `probe` until it returns a value other than undefined (UI state settles asynchronously). The
 * default is generous: host-side state can lag by seconds on a loaded 2-core CI machine.
 */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The OTRF proxy exfiltration records (real CloudTrail, test/fixtures/otrf-ec2-proxy-s3-exfiltration). */
export const OTRF = ['otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'];

/**
 * A fresh `folder` with the OTRF records ingested into `folder/evidence/otrf.duckdb` (from a copy in
 * `folder/input`, as a responder's download would be); returns the store's path.
 */
export async function otrfStore(folder: string): Promise<string> {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(join(folder, 'input'), { recursive: true });
  mkdirSync(join(folder, 'evidence'));
  copyFileSync(fixture(...OTRF), join(folder, 'input', 'trail.json'));
  const path = join(folder, 'evidence', 'otrf.duckdb');
  const store = await EvidenceStore.open(path);
  try {
    await ingestPaths(store, [join(folder, 'input')]);
  } finally {
    store.close();
  }
  return path;
}
