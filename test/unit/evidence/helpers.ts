import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { runCli } from '../../../src/cli/main';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'evidence');
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);
export const OTRF = join(__dirname, '..', '..', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');

/** A fresh folder removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-evidence-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function openStore(dir: string, name = 'store.duckdb'): Promise<EvidenceStore> {
  return EvidenceStore.open(join(dir, name));
}

/** Runs the CLI in-process and captures what it writes. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
