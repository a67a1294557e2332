// Builds the extension host bundle, the CLI, the local AWS endpoint and the webview apps with esbuild.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { notebookRendererBuildOptions, webviewBuildOptions } from './webview-build.mjs';

const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { TRAILSCOPE_VERSION: JSON.stringify(pkg.version) };
// DuckDB ships a native binary per platform; it is loaded from node_modules at run time.
const nativeExternal = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'];

const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, define, logLevel: 'info' };
// Activation parses all of dist/extension.js: an import of the AWS SDK there fails the build, and names
// where it came from, instead of growing activation by a megabyte unnoticed.
const noSdk = {
  name: 'no-sdk-at-activation',
  setup(build) {
    build.onResolve({ filter: /^@(aws-sdk|smithy)\// }, (args) => ({
      errors: [{ text: `${args.path} is imported by ${args.importer}: the AWS SDK belongs in dist/extension-services.js (src/extension/services/load.ts)` }],
    }));
  },
};
const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode', ...nativeExternal], plugins: [noSdk] },
  // The investigation UI's sources (AWS SDK, DuckDB access, Insights engine): required on first use, so
  // activation does not even parse them (src/extension/services/load.ts).
  { ...node, entryPoints: { 'extension-services': 'src/extension/services/adapters.ts' }, outdir: 'dist', external: ['vscode', ...nativeExternal] },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', external: nativeExternal, banner: { js: '#!/usr/bin/env node' } },
  // The local AWS-compatible endpoint (a demo account over an evidence store; tests start it in-process).
  { ...node, entryPoints: { endpoint: 'src/endpoint/main.ts' }, outdir: 'dist', external: nativeExternal },
  // The results webview app: one browser script and one stylesheet (dist/media/results.{js,css}).
  webviewBuildOptions(define),
  notebookRendererBuildOptions(define),
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
