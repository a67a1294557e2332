// `npm run package`: builds, then packs a platform VSIX for this machine with @vscode/vsce, and checks
// what went in: the bundles and DuckDB's packages with the native binary for the target, and nothing
// that esbuild already bundled (the AWS SDK). DuckDB's binary is per platform, so is the VSIX.
//
//   node scripts/package.mjs [--target linux-x64] [--skip-build]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { REPO } from './toolchain.mjs';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

/** The VSIX of this version for `target` (e.g. linux-x64); where `npm run package` writes it. */
export function vsixPath(target = currentTarget()) {
  return join(REPO, 'out', `${pkg.name}-${pkg.version}-${target}.vsix`);
}

/** VS Code's platform name for this machine, which is also DuckDB's binding suffix here. */
export function currentTarget() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
  if (!arch || !platform) throw new Error(`no VSIX target for ${process.platform}-${process.arch}`);
  return `${platform}-${arch}`;
}

/** Packs and verifies; returns the VSIX path. */
export function packageExtension({ target = currentTarget(), build = true } = {}) {
  const binding = `@duckdb/node-bindings-${target}`;
  if (!existsSync(join(REPO, 'node_modules', binding))) {
    throw new Error(`${binding} is not installed: DuckDB's binary for ${target} comes from npm on a ${target} machine`);
  }
  if (build) run('npm', ['run', '--silent', 'build']);
  const out = vsixPath(target);
  mkdirSync(dirname(out), { recursive: true });
  const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  // The README's links stay relative: its screenshot ships in the VSIX, so the details page shows it.
  run(process.execPath, [vsce, 'package', '--target', target, '--out', out, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links']);
  verify(out, target);
  return out;
}

function verify(vsix, target) {
  const entries = zipEntries(vsix);
  const names = new Set(entries.map((e) => e.name));
  const required = [
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/node_modules/@duckdb/node-api/package.json',
    'extension/node_modules/@duckdb/node-bindings/duckdb.js',
    'extension/node_modules/detect-libc/package.json',
    `extension/node_modules/@duckdb/node-bindings-${target}/duckdb.node`,
  ];
  const missing = required.filter((name) => !names.has(name));
  if (missing.length > 0) throw new Error(`${relative(REPO, vsix)} lacks ${missing.join(', ')}`);
  const bundled = entries.filter((e) => e.name.startsWith('extension/node_modules/@aws-sdk/'));
  if (bundled.length > 0) throw new Error(`${relative(REPO, vsix)} carries the AWS SDK, which esbuild already bundles`);
  // The manifest inside must be the one we built from.
  const manifest = JSON.parse(readEntry(vsix, entries.find((e) => e.name === 'extension/package.json')));
  if (manifest.version !== pkg.version) throw new Error(`VSIX manifest version ${manifest.version} != ${pkg.version}`);

  const top = new Map();
  for (const e of entries) {
    // Group by package inside node_modules (scoped or not), by top-level folder elsewhere.
    const key = /^extension\/node_modules\/(@[^/]+\/)?[^/]+/.exec(e.name)?.[0] ?? e.name.split('/').slice(0, 2).join('/');
    top.set(key, (top.get(key) ?? 0) + e.size);
  }
  console.log(`package: ${relative(REPO, vsix)} (${mb(statSync(vsix).size)} packed, ${entries.length} files)`);
  for (const [key, size] of [...top].sort()) console.log(`  ${key.padEnd(60)} ${mb(size).padStart(9)}`);
}

/** The central directory of a zip file: entry names, unpacked sizes and where their data starts. */
function zipEntries(file) {
  const data = readFileSync(file);
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file} is not a zip file`);
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    entries.push({
      name: data.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: data.readUInt16LE(offset + 10),
      packedSize: data.readUInt32LE(offset + 20),
      size: data.readUInt32LE(offset + 24),
      localHeader: data.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readEntry(file, entry) {
  const data = readFileSync(file);
  const start = entry.localHeader + 30 + data.readUInt16LE(entry.localHeader + 26) + data.readUInt16LE(entry.localHeader + 28);
  const raw = data.subarray(start, start + entry.packedSize);
  return (entry.method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

if (process.argv[1] && join(process.argv[1]) === join(REPO, 'scripts', 'package.mjs')) {
  const index = process.argv.indexOf('--target');
  try {
    packageExtension({ target: index > 0 ? process.argv[index + 1] : undefined, build: !process.argv.includes('--skip-build') });
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
