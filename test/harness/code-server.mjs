// Starts the real VS Code (code-server from npm, run by Node 24) on a free local port, with fresh
// user-data and extensions folders, and stops it again. Shared by the integration runner, the UI
// runner and `npm start`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { killGroup, spawnGroup } from './processes.mjs';

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {string} origin            http://127.0.0.1:<port>
 * @property {string} userDataDir
 * @property {(folder: string, payload?: [string, string][]) => string} workbenchUrl
 * @property {(path: string) => string} remoteUri   vscode-remote:// URI of a path on this machine
 * @property {() => number | undefined} extensionHostExitCode  from the server log, once a host exited
 * @property {() => Promise<void>} stop
 */

/**
 * @param {object} options
 * @param {import('../../scripts/toolchain.mjs').Toolchain} options.toolchain
 * @param {string} options.root               a scratch folder for this run (user data, config, logs)
 * @param {string} options.extensionsDir
 * @param {boolean} [options.smokeTestDriver] needed for the payload route (integration tests)
 * @param {number} [options.port]             0 or absent: any free port
 * @param {NodeJS.ProcessEnv} [options.env]
 * @param {boolean} [options.quiet]           send the server's output to <root>/server.log only
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({ toolchain, root, extensionsDir, smokeTestDriver = false, port = 0, env = {}, quiet = true }) {
  const userDataDir = join(root, 'user-data');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // An empty config file keeps the user's own ~/.config/code-server out of the run.
  const config = join(root, 'config.yaml');
  writeFileSync(config, '');
  // Settings that make a test workbench calm and predictable.
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'git.openRepositoryInParentFolders': 'never',
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
      },
      null,
      2,
    ),
  );

  const chosenPort = port || (await freePort());
  const args = [
    join(toolchain.codeServer, 'out', 'node', 'entry.js'),
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const logFile = join(root, 'server.log');
  const { openSync } = await import('node:fs');
  const out = quiet ? openSync(logFile, 'a') : 'inherit';
  const child = spawnGroup(toolchain.node, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });

  const origin = `http://127.0.0.1:${chosenPort}`;
  await waitForHealth(origin, child, logFile);
  const host = `127.0.0.1:${chosenPort}`;
  return {
    port: chosenPort,
    origin,
    userDataDir,
    workbenchUrl(folder, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${origin}/?${query}`;
    },
    remoteUri: (path) => `vscode-remote://${host}${encodeURI(path)}`,
    extensionHostExitCode: () => extensionHostExitCode(userDataDir),
    stop: () => killGroup(child),
  };
}

/** Installs a VSIX into an extensions folder with code-server's own CLI (it exits when done). */
export function installExtension({ toolchain, root, extensionsDir, vsix }) {
  mkdirSync(join(root, 'user-data'), { recursive: true });
  const result = spawnSync(
    toolchain.node,
    [join(toolchain.codeServer, 'out', 'node', 'entry.js'), '--user-data-dir', join(root, 'user-data'), '--extensions-dir', extensionsDir, '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout.trim();
}

async function waitForHealth(origin, child, logFile) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await killGroup(child);
  throw new Error(`code-server did not answer ${origin}/healthz within 60 s; see ${logFile}`);
}

/** The server records "Extension Host Process exited with code: N" when an extension host ends. */
function extensionHostExitCode(userDataDir) {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return undefined;
  for (const session of readdirSync(logs)) {
    const file = join(logs, session, 'remoteagent.log');
    if (!existsSync(file)) continue;
    const match = /Extension Host Process exited with code: (\d+)/.exec(readFileSync(file, 'utf8'));
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
