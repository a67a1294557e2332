import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { loadProbes } from './services/load';
import { firstLineOf } from './errors';

/** What "Trailscope: Show Diagnostics" reports; the command also returns it (tests read it). */
export interface DiagnosticsReport {
  extension: string;
  vscode: string;
  host: string;
  node: string;
  duckdb: string;
  credentials: string;
  profiles: string[];
}

export function registerDiagnostics(context: vscode.ExtensionContext): void {
  let channel: vscode.OutputChannel | undefined;
  context.subscriptions.push(
    vscode.commands.registerCommand('trailscope.showDiagnostics', async (): Promise<DiagnosticsReport> => {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Trailscope: collecting diagnostics' },
        () => collectDiagnostics(context),
      );
      const text = formatDiagnostics(report);
      if (!channel) {
        channel = vscode.window.createOutputChannel('Trailscope Diagnostics');
        context.subscriptions.push(channel);
      }
      channel.replace(text);
      showPanel(text);
      return report;
    }),
  );
}

async function collectDiagnostics(context: vscode.ExtensionContext): Promise<DiagnosticsReport> {
  const [duckdb, [credentials, profiles]] = await Promise.all([duckdbVersion(), awsStatus()]);
  return {
    extension: `${context.extension.id} ${String(context.extension.packageJSON.version)}`,
    vscode: `${vscode.version} (${vscode.env.appName})`,
    host: [vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop', vscode.env.remoteName ? `remote ${vscode.env.remoteName}` : 'local'].join(', '),
    node: `${process.versions.node} (${process.platform}-${process.arch})`,
    duckdb,
    credentials,
    profiles,
  };
}

export function formatDiagnostics(report: DiagnosticsReport): string {
  const rows: [string, string][] = [
    ['Trailscope', report.extension],
    ['VS Code', report.vscode],
    ['Extension host', report.host],
    ['Node', report.node],
    ['DuckDB', report.duckdb],
    ['AWS credentials', report.credentials],
    ['AWS profiles', report.profiles.length > 0 ? report.profiles.join(', ') : 'none found'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${value}`).join('\n') + '\n';
}

/** The SDK is in the services bundle, loaded here on demand, never at activation. */
async function awsStatus(): Promise<[credentials: string, profiles: string[]]> {
  let probes: ReturnType<typeof loadProbes>;
  try {
    probes = loadProbes();
  } catch (error) {
    // A damaged install is what this report is for: say so on its line and keep the rest.
    return [`not checked: the extension's services failed to load: ${firstLineOf(error)}`, []];
  }
  return Promise.all([probes.credentialsStatus(), probes.awsProfiles()]);
}

/** DuckDB's native module is loaded here, on demand, never at activation. */
async function duckdbVersion(): Promise<string> {
  try {
    const duckdb = await import('@duckdb/node-api');
    return duckdb.version();
  } catch (error) {
    return `not available: ${firstLineOf(error)}`;
  }
}

/** The report's panel: one, brought to the front with the new report when the command runs again. */
let reportPanel: vscode.WebviewPanel | undefined;

function showPanel(text: string): void {
  if (reportPanel) reportPanel.reveal(vscode.ViewColumn.Active);
  else {
    reportPanel = vscode.window.createWebviewPanel('trailscope.diagnostics', 'Trailscope Diagnostics', vscode.ViewColumn.Active, { enableScripts: false });
    reportPanel.onDidDispose(() => (reportPanel = undefined));
  }
  const panel = reportPanel;
  const nonce = randomBytes(16).toString('base64');
  // No script at all; the only style is inline and allowed by its nonce.
  panel.webview.html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>Trailscope Diagnostics</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em; }
  pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Trailscope Diagnostics</h1>
<pre id="report">${escapeHtml(text)}</pre>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
