// `npm start`: installs what is missing, builds, prepares the sample incident, starts the background
// services, then opens VS Code with Trailscope on samples/: the desktop `code` when it is on PATH,
// otherwise the browser VS Code the tests use (code-server), whose local URL it prints. It stays up
// until Ctrl-C and then stops everything it started.
//
//   npm start [-- --browser] [-- --port 8080]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCodeServer } from '../test/harness/code-server.mjs';
import { spawnGroup } from '../test/harness/processes.mjs';
import { ensureDependencies } from './dependencies.mjs';
import { CACHE, REPO, ensureToolchain } from './toolchain.mjs';

const SAMPLES = join(REPO, 'samples');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

/**
 * Background services started before VS Code and stopped with it: the place to add, for example, the
 * local AWS-compatible endpoint serving the sample account. Each service is a Node program run from the
 * repository root; once a line of its output matches `ready`, `env(match)` gives the variables VS Code's
 * extension host receives (e.g. the endpoint URL).
 * @type {{ name: string, args: string[], ready: RegExp, env: (match: RegExpExecArray) => Record<string, string> }[]}
 */
export const SERVICES = [
  {
    // The demo account: the local AWS-compatible endpoint serving the sample store, so the live paths
    // (trails, LookupEvents, Logs Insights through the real SDK) work without an AWS account.
    name: 'the local AWS endpoint (demo account)',
    args: ['dist/endpoint.js', '--db', 'samples/sample.duckdb', '--port', '0'],
    ready: /at (http:\/\/\S+)/,
    env: (match) => ({ TRAILSCOPE_ENDPOINT_URL: match[1] }),
  },
];

const browserOnly = process.argv.includes('--browser');
const portIndex = process.argv.indexOf('--port');
const port = Number(portIndex > 0 ? process.argv[portIndex + 1] : (process.env.TRAILSCOPE_PORT ?? 0));

ensureDependencies();
const desktop = !browserOnly && onPath('code');
const toolchain = desktop ? undefined : ensureToolchain();
run('npm', ['run', '--silent', 'build']);
// The store, its investigation case and its notebook are made together (an older sample is made again).
const SAMPLE_FILES = ['sample.duckdb', 'sample-incident.trailscope-case.json', 'sample-incident.trailscope-notebook'];
if (!SAMPLE_FILES.every((name) => existsSync(join(SAMPLES, name)))) {
  console.log('start: preparing the sample incident (npm run sample -- --ingest)');
  // Without the sample evidence VS Code is still worth opening: the tree says how to add evidence.
  const sample = spawnSync('npm', ['run', '--silent', 'sample', '--', '--ingest'], { cwd: REPO, stdio: 'inherit' });
  if (sample.status !== 0) console.warn('start: WARNING: npm run sample failed; opening samples/ without its evidence');
}
mkdirSync(SAMPLES, { recursive: true });

const serviceEnv = {};
for (const service of SERVICES) Object.assign(serviceEnv, await startService(service));

if (desktop) {
  console.log(`start: opening desktop VS Code on ${SAMPLES} with Trailscope from ${REPO}`);
  run('code', [`--extensionDevelopmentPath=${REPO}`, SAMPLES], { env: { ...process.env, ...serviceEnv } });
  if (SERVICES.length === 0) process.exit(0);
  console.log('start: services running; press Ctrl-C to stop them');
} else {
  const root = join(CACHE, 'start');
  rmSync(root, { recursive: true, force: true });
  // The repository itself is the installed extension, so a rebuild plus "Reload Window" picks up changes.
  const extensionsDir = join(root, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  symlinkSync(REPO, join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  const server = await startCodeServer({ toolchain, root, extensionsDir, port, env: serviceEnv });
  console.log(`\nTrailscope is running in VS Code at\n\n  ${server.workbenchUrl(SAMPLES)}\n`);
  console.log(`(server log: ${join(root, 'server.log')}; press Ctrl-C to stop)`);
}
// Ctrl-C ends this process; test/harness/processes.mjs then stops every process group it started.
setInterval(() => {}, 1 << 30);

async function startService(service) {
  console.log(`start: starting ${service.name}`);
  const child = spawnGroup(process.execPath, service.args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = service.ready.exec(line);
      if (match) {
        console.log(`start: ${service.name}: ${line}`);
        resolve(service.env(match));
      }
    });
    child.once('exit', (code) => reject(new Error(`${service.name} exited with ${code} before it was ready`)));
  });
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: REPO, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`start: ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}
