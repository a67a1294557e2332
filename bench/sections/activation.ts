import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchFigure, BenchSection } from '../report';

/**
 * Extension activation: what VS Code pays when the Trailscope view or a command first wakes the
 * extension. Each run is a fresh node process (a cold module cache, as in a new extension host) that
 * installs a stub `vscode` module recording registrations, then times `require('dist/extension.js')`
 * plus `activate(context)`. The figure is the median over the runs. It also counts the heavy modules
 * loaded by then: activation must not load DuckDB, the AWS SDK or dist/extension-services.js.
 */
const RUNS = 15;
const ROOT = join(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'dist', 'extension.js');

// Runs in the child process. The stub answers every property with a callable, constructible proxy, so
// whatever API the features touch at activation exists; the calls are counted by name.
const PROBE = String.raw`
const Module = require('node:module');
const calls = {};
const stub = (path) => new Proxy(function () {}, {
  get: (_t, key) => key === 'then' ? undefined : key === Symbol.toPrimitive ? () => path : stub(path + '.' + String(key)),
  apply: () => { calls[path] = (calls[path] || 0) + 1; return stub(path + '()'); },
  construct: () => stub('new ' + path),
});
// A module object with the API's namespaces and classes as own keys, as esbuild's interop copies them.
const NAMES = ['window', 'commands', 'workspace', 'languages', 'notebooks', 'env', 'extensions', 'debug', 'tasks', 'scm', 'tests', 'authentication', 'l10n', 'chat', 'lm',
  'Uri', 'EventEmitter', 'Disposable', 'TreeItem', 'TreeItemCollapsibleState', 'ThemeIcon', 'ThemeColor', 'ViewColumn', 'ProgressLocation', 'CodeLens', 'Range', 'Position',
  'Selection', 'ConfigurationTarget', 'StatusBarAlignment', 'MarkdownString', 'CancellationTokenSource', 'RelativePattern', 'FileType', 'ExtensionMode', 'UIKind',
  'DiagnosticSeverity', 'Diagnostic', 'SemanticTokensLegend', 'SemanticTokensBuilder', 'CompletionItem', 'CompletionItemKind', 'Hover', 'Location', 'SnippetString',
  'TextEdit', 'WorkspaceEdit', 'FoldingRange', 'DocumentSymbol', 'SymbolKind', 'QuickPickItemKind', 'TabInputText', 'TabInputWebview', 'LogLevel', 'version',
  'NotebookCellKind', 'NotebookCellData', 'NotebookData', 'NotebookCellOutput', 'NotebookCellOutputItem', 'NotebookCellStatusBarItem', 'NotebookCellStatusBarAlignment', 'NotebookEdit'];
const vscode = Object.fromEntries(NAMES.map((name) => [name, stub('vscode.' + name)]));
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const context = { subscriptions: [], extensionUri: stub('context.extensionUri'), extensionPath: process.argv[1], workspaceState: stub('context.workspaceState'), globalState: stub('context.globalState'), extensionMode: 1, logUri: stub('context.logUri'), storageUri: stub('context.storageUri'), globalStorageUri: stub('context.globalStorageUri') };
const t0 = process.hrtime.bigint();
const extension = require(process.argv[1]);
extension.activate(context);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const heavy = Object.keys(require.cache).filter((p) => /node_modules[\\/](@duckdb|@aws-sdk|@smithy)|extension-services\.js$/.test(p));
process.stdout.write(JSON.stringify({ ms, heavy: heavy.length, commands: calls['vscode.commands.registerCommand'] || 0, views: calls['vscode.window.createTreeView'] || 0, kernels: calls['vscode.notebooks.createNotebookController'] || 0 }));
`;

interface Probe {
  ms: number;
  heavy: number;
  commands: number;
  views: number;
  kernels: number;
}

function ensureBundle(log: (line: string) => void): void {
  if (existsSync(BUNDLE)) return;
  log('dist/extension.js is missing: building it (npm run build)');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const activationSection: BenchSection = async (ctx) => {
  ensureBundle(ctx.log);
  const runs: Probe[] = [];
  for (let i = 0; i < RUNS; i++) {
    const child = spawnSync(process.execPath, ['-e', PROBE, BUNDLE], { cwd: ROOT, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`activation probe failed: ${child.stderr}`);
    runs.push(JSON.parse(child.stdout) as Probe);
  }
  const ms = Math.round(median(runs.map((r) => r.ms)) * 10) / 10;
  const last = runs.at(-1)!;
  ctx.log(`dist/extension.js ${(statSync(BUNDLE).size / 1024).toFixed(0)} KiB; ${last.commands} commands, ${last.views} tree views and ${last.kernels} notebook kernel registered; ${RUNS} cold runs`);
  const figures: BenchFigure[] = [
    { name: 'extension activation (require + activate, median)', value: ms, unit: 'ms', target: '< 100 ms', ok: ms < 100 },
    { name: 'DuckDB / AWS SDK / sources bundle loaded at activation', value: last.heavy, unit: 'modules', target: '= 0', ok: last.heavy === 0 },
  ];
  return figures;
};
