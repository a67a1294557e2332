// Installs what the tests and `npm start` need beyond Node 20 and npm: Node 24 and code-server (the real
// VS Code server + web workbench) from npm, Chromium and libkrb5-dev from apt. Everything from npm lands
// in a git-ignored cache folder; a marker file with the versions makes a warm run skip all of it.
// Plain Node ESM without dependencies: it runs before `npm ci` on a fresh machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** TRAILSCOPE_CACHE points the cache elsewhere (e.g. a temp folder to measure a cold install). */
export const CACHE = resolve(process.env.TRAILSCOPE_CACHE ?? join(REPO, '.cache'));
export const CHROMIUM = '/usr/lib/chromium/chromium';

const VERSIONS = { node: '24', codeServer: '4.139.1', apt: ['chromium', 'libkrb5-dev'] };
const MARKER = join(CACHE, 'toolchain.json');
const NODE_DIR = join(CACHE, 'node24');
const CODE_SERVER_DIR = join(CACHE, 'code-server');

/**
 * @typedef {{ node: string, nodeHeaders: string, codeServer: string, chromium: string }} Toolchain
 * `node` is the Node 24 executable, `codeServer` the code-server package folder (run out/node/entry.js).
 */

/** @returns {Toolchain} */
export function toolchainPaths() {
  const nodePackage = join(NODE_DIR, 'node_modules', 'node');
  return {
    node: join(nodePackage, 'bin', 'node'),
    nodeHeaders: join(nodePackage, 'node_modules', `node-linux-${process.arch}`),
    codeServer: join(CODE_SERVER_DIR, 'node_modules', 'code-server'),
    chromium: CHROMIUM,
  };
}

/** Installs whatever is missing and returns the paths; prints each step and its duration. */
export function ensureToolchain({ log = (line) => console.log(line) } = {}) {
  const paths = toolchainPaths();
  ensureBrowser({ log });
  if (isWarm(paths)) return paths;

  const started = Date.now();
  mkdirSync(CACHE, { recursive: true });
  rmSync(MARKER, { force: true });
  timed(log, `Node ${VERSIONS.node} from npm into ${NODE_DIR}`, () => npmInstall(NODE_DIR, `node@${VERSIONS.node}`, process.env));
  const nodeVersion = run(paths.node, ['--version']).trim();
  timed(log, `code-server@${VERSIONS.codeServer} with Node ${nodeVersion} into ${CODE_SERVER_DIR}`, () =>
    npmInstall(CODE_SERVER_DIR, `code-server@${VERSIONS.codeServer}`, {
      ...process.env,
      PATH: `${join(paths.node, '..')}:${process.env.PATH}`,
      // The machine-wide npm config points nodedir at Node 20's headers; native modules must match Node 24.
      npm_config_nodedir: paths.nodeHeaders,
    }),
  );
  if (!existsSync(join(paths.codeServer, 'out', 'node', 'entry.js'))) throw new Error(`code-server install incomplete: ${paths.codeServer}`);
  writeFileSync(MARKER, JSON.stringify({ ...VERSIONS, nodeVersion }, null, 2) + '\n');
  log(`toolchain: installed in ${seconds(Date.now() - started)}`);
  return paths;
}

function isWarm(paths) {
  if (!existsSync(MARKER)) return false;
  try {
    const marker = JSON.parse(readFileSync(MARKER, 'utf8'));
    return marker.node === VERSIONS.node && marker.codeServer === VERSIONS.codeServer && existsSync(paths.node) && existsSync(paths.codeServer);
  } catch {
    return false;
  }
}

/**
 * Debian's Chromium (and the Kerberos headers code-server's build needs), for what drives a browser
 * without VS Code: the webview unit tests and the bench's first paint (at CHROMIUM).
 */
export function ensureBrowser({ log = (line) => console.log(line) } = {}) {
  const missing = VERSIONS.apt.filter((name) => !dpkgInstalled(name));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(', ')}: run as root, or \`sudo apt-get install -y ${missing.join(' ')}\``);
  }
  timed(log, `apt packages ${missing.join(', ')}`, () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update'], { env, stdio: 'inherit' });
    run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, stdio: 'inherit' });
  });
}

function dpkgInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function npmInstall(dir, spec, env) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }) + '\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', spec], { cwd: dir, env: withoutOuterNpm(env), stdio: 'inherit' });
}

/**
 * Under `npm test` the environment describes the outer npm (npm_config_user_agent names Node 20, which
 * code-server's postinstall checks); the inner npm must describe itself. User settings (cache, registry,
 * certificates) pass through.
 */
const OUTER_NPM = /^npm_(config_user_agent|config_npm_version|config_local_prefix|config_loglevel|node_execpath|execpath|lifecycle_|package_|command$)/i;
function withoutOuterNpm(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !OUTER_NPM.test(key)));
}

function timed(log, what, action) {
  log(`toolchain: installing ${what}`);
  const started = Date.now();
  action();
  log(`toolchain: ${what}: done in ${seconds(Date.now() - started)}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  return result.stdout ?? '';
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const paths = ensureToolchain();
  console.log(`toolchain: ready (Node ${VERSIONS.node}, code-server ${VERSIONS.codeServer}, ${CHROMIUM})`);
  if (process.argv.includes('--print')) console.log(JSON.stringify(paths, null, 2));
}
