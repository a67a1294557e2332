// `npm run test:electron`: the same integration suite as `npm test`, run by @vscode/test-electron in a
// desktop VS Code it downloads. For machines with internet (VS Code's download servers); on this
// project's offline machines `npm test` runs the suite in code-server instead.
//
//   node scripts/test-electron.mjs [--vscode-version stable|1.139.0]
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { bundleIntegrationSuite } from '../test/harness/bundle-integration.mjs';
import { integrationEnvironment } from '../test/harness/environment.mjs';
import { REPO } from './toolchain.mjs';

const versionIndex = process.argv.indexOf('--vscode-version');
const version = versionIndex > 0 ? process.argv[versionIndex + 1] : 'stable';

if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' }).status !== 0) process.exit(1);
const suite = await bundleIntegrationSuite();
const workspace = join(REPO, 'out', 'integration-workspace');
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });

try {
  await runTests({
    version,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: join(suite, 'index.js'),
    extensionTestsEnv: integrationEnvironment({ workspace }),
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`test:electron: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
