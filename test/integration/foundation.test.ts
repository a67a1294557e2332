// The extension as a user meets it inside a real VS Code: contributed container, lazy activation,
// and the diagnostics command reporting real versions without leaking credentials.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DiagnosticsReport } from '../../src/extension/diagnostics';
import { settings } from '../../src/extension/settings';
import { testEnvironment, waitFor } from './environment';

describe('foundation', () => {
  it('reads settings typed out of range as the nearest allowed value, and a bad endpoint URL as none', async function () {
    this.timeout(20_000);
    const config = vscode.workspace.getConfiguration('trailscope');
    const set = (key: string, value: unknown) => config.update(key, value, vscode.ConfigurationTarget.Workspace);
    try {
      await set('maxResults', -3);
      await set('relatedWindowMinutes', 10_000_000);
      await set('regions', []);
      await set('endpointUrl', 'localhost:4599');
      const read = settings();
      assert.deepEqual([read.maxResults, read.relatedWindowMinutes, read.regions], [1, 1440, ['us-east-1']]);
      assert.equal(read.endpointUrl, process.env.TRAILSCOPE_ENDPOINT_URL ?? '');
    } finally {
      for (const key of ['maxResults', 'relatedWindowMinutes', 'regions', 'endpointUrl']) await set(key, undefined);
    }
  });

  it('contributes the Trailscope container and view, and never activates on startup', () => {
    const extension = vscode.extensions.getExtension('trailscope.trailscope');
    assert.ok(extension, 'extension is installed');
    const manifest = extension.packageJSON as {
      activationEvents?: string[];
      contributes: { viewsContainers: { activitybar: { id: string }[] }; views: Record<string, { id: string }[]> };
    };
    assert.ok(!(manifest.activationEvents ?? []).includes('*'), 'activation is lazy');
    assert.ok(manifest.contributes.viewsContainers.activitybar.some((c) => c.id === 'trailscope'));
    assert.ok(manifest.contributes.views.trailscope.some((v) => v.id === 'trailscope.explorer'));
  });

  it('registers Show Diagnostics as a command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('trailscope.showDiagnostics'));
  });

  it('reports the real versions of VS Code, Node and DuckDB', async () => {
    const report = await vscode.commands.executeCommand<DiagnosticsReport>('trailscope.showDiagnostics');
    const extension = vscode.extensions.getExtension('trailscope.trailscope');
    assert.ok(extension);
    assert.equal(report.extension, `trailscope.trailscope ${String(extension.packageJSON.version)}`);
    assert.ok(report.vscode.startsWith(vscode.version), report.vscode);
    assert.ok(report.node.startsWith(process.versions.node), report.node);
    assert.match(report.duckdb, /^v\d+\.\d+\.\d+/, 'DuckDB native module loads in the extension host');
  });

  it('finds credentials and profiles from the shared files without revealing any secret', async () => {
    const { secretAccessKey, accessKeyId } = testEnvironment().credentials;
    const report = await vscode.commands.executeCommand<DiagnosticsReport>('trailscope.showDiagnostics');
    assert.equal(report.credentials, 'found (shared config/credentials files, profile default)');
    assert.deepEqual(report.profiles, ['default', 'incident-readonly']);
    const shown = JSON.stringify(report);
    assert.ok(!shown.includes(secretAccessKey) && !shown.includes(accessKeyId), 'no key material in the report');
  });

  it('shows the report in one webview panel, brought to the front each time', async () => {
    await vscode.commands.executeCommand('trailscope.showDiagnostics');
    // The earlier tests ran the command too: their report is the same panel, not another tab.
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((t) => t.label === 'Trailscope Diagnostics');
    const tab = await waitFor(() => tabs().find((t) => t.isActive && t.group === vscode.window.tabGroups.activeTabGroup), 'the diagnostics panel in front');
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.equal(tabs().length, 1, 'one report panel');
  });
});
