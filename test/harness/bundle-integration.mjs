// Bundles the integration suite (test/integration/index.ts and every **/*.test.ts below it) into
// out/integration/, one CommonJS file each, as the extension host loads them. Packages stay external and
// resolve from the repository's node_modules at run time (out/ lives inside the repository).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO } from '../../scripts/toolchain.mjs';

export const INTEGRATION_OUT = join(REPO, 'out', 'integration');

/** @returns {Promise<string>} the folder holding index.js */
export async function bundleIntegrationSuite() {
  const source = join(REPO, 'test', 'integration');
  const tests = readdirSync(source, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.test.ts'));
  rmSync(INTEGRATION_OUT, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: ['index.ts', ...tests].map((name) => join(source, name)),
    outbase: source,
    outdir: INTEGRATION_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    packages: 'external',
    external: ['vscode'],
    // mocha's package entry is ESM; its CommonJS build loads in every extension host Node.
    alias: { mocha: 'mocha/lib/mocha.cjs' },
    logLevel: 'warning',
  });
  return INTEGRATION_OUT;
}
