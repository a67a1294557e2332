// node_modules as package-lock.json says, checked by a hash of the lock kept inside node_modules.
// Plain Node ESM without dependencies: it is what installs them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './toolchain.mjs';

/** `npm ci` on a fresh clone; `npm install` once the lock changed (it keeps node_modules usable meanwhile). */
export function ensureDependencies({ log = (line) => console.log(line) } = {}) {
  const hash = createHash('sha256').update(readFileSync(join(REPO, 'package-lock.json'))).digest('hex');
  const marker = join(REPO, 'node_modules', '.trailscope-lock.sha256');
  const installed = existsSync(join(REPO, 'node_modules'));
  if (installed && existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  log(`dependencies: npm ${installed ? 'install' : 'ci'} (package-lock.json ${installed ? 'changed' : 'not installed yet'})`);
  const started = Date.now();
  if (installed || !npm('ci')) {
    // npm ci also refuses a lock that lacks optional packages the registry cannot serve (DuckDB's
    // binaries for other platforms on a mirror); npm install then reaches the same tree.
    if (!installed) log('dependencies: npm ci refused the lock; npm install instead');
    if (!npm('install')) throw new Error('npm install failed');
  }
  writeFileSync(marker, hash);
  log(`dependencies: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function npm(command) {
  return spawnSync('npm', [command, '--no-audit', '--no-fund'], { cwd: REPO, stdio: 'inherit' }).status === 0;
}
