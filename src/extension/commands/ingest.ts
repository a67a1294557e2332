import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { counted } from '../../core/result-file';
import { baseName } from '../../core/target';
import { derivingAgainText } from '../../sources/evidence/ingest/progress';
import { displayText, noticeText } from '../display-text';
import type { IngestResult } from '../services/ports';
import { settings } from '../settings';
import { evidenceStorePaths } from '../targets';
import type { Node } from '../tree/nodes';
import type { Investigation } from './context';

/**
 * "Trailscope: Ingest Evidence…": files or folders into a store, with a cancellable progress notification.
 * From the Explorer's context menu it takes the files and folders selected there (VS Code passes the one
 * clicked and the whole selection); otherwise it asks for them.
 */
export async function ingestEvidence(app: Investigation, arg?: Node | vscode.Uri, selected?: vscode.Uri[]): Promise<void> {
  const fromExplorer = arg instanceof vscode.Uri ? (selected?.length ? selected : [arg]) : undefined;
  const picked = fromExplorer ?? (await askForEvidence());
  if (!picked?.length) return;
  const node = arg instanceof vscode.Uri ? undefined : arg;
  const store = node?.type === 'store' ? node.path : await chooseStore();
  if (!store) return;
  const services = await app.services();
  // An ingest commits batch by batch: even one that fails midway may have written the store, so the
  // tree shows it as it is now, and a new store is remembered, whatever the outcome.
  const remember = async (): Promise<void> => {
    if (existsSync(store)) await rememberStore(store);
    app.explorer.refresh();
  };
  let report: IngestResult;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: noticeText(`Ingesting into ${displayText(baseName(store), 80)}`), cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        return services.evidence.ingest(store, picked.map((uri) => uri.fsPath), {
          signal: abort.signal,
          onProgress: (p) => {
            const share = p.filesTotal ? (p.filesDone / p.filesTotal) * 100 : 0;
            const detail = p.indexing ? ' · indexing for lookups and pivots' : p.path ? ` · ${displayText(baseName(p.path), 60)}` : '';
            progress.report({
              message: noticeText(p.derivingAgain ? derivingAgainText(p.derivingAgain) : `${p.records.toLocaleString('en-US')} records · ${p.filesDone}/${p.filesTotal} files${detail}`),
              increment: share - last,
            });
            last = share;
          },
        });
      },
    );
  } catch (error) {
    // The ingest's own failure is what the responder must read, not a settings error after it.
    await remember().catch(() => undefined);
    throw error;
  }
  await remember();
  await showReport(store, report);
}

function askForEvidence(): Thenable<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    title: 'Ingest evidence: CloudTrail, VPC flow log or CloudWatch Logs exports (files, folders, .gz, .zip)',
    openLabel: 'Ingest',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
}

async function chooseStore(): Promise<string | undefined> {
  const stores = await evidenceStorePaths();
  const NEW = '';
  const choice = stores.length === 0 ? NEW : await pickStore(stores, NEW);
  if (choice !== NEW) return choice;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: 'New evidence store',
    saveLabel: 'Create Store',
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'evidence.duckdb') : undefined,
    filters: { 'DuckDB evidence store': ['duckdb'] },
  });
  return uri?.fsPath;
}

async function pickStore(stores: string[], newStore: string): Promise<string | undefined> {
  const items = [
    ...stores.map((path) => ({ label: `$(database) ${baseName(path)}`, description: vscode.workspace.asRelativePath(path), path })),
    { label: '$(new-file) New store…', description: 'a new .duckdb file', path: newStore },
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Ingest into which evidence store?', ignoreFocusOut: true }))?.path;
}

/** A store outside the workspace would not be found again: it goes into trailscope.evidenceStores. */
async function rememberStore(store: string): Promise<void> {
  if ((await evidenceStorePaths()).includes(store)) return;
  const config = vscode.workspace.getConfiguration('trailscope');
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('evidenceStores', [...settings().evidenceStores, store], target);
}

async function showReport(store: string, report: IngestResult): Promise<void> {
  const { cloudtrail, flow, logs } = report.records;
  const summary =
    (report.cancelled ? 'Ingest cancelled; the files read before are kept. ' : '') +
    `Ingested ${counted(cloudtrail, 'CloudTrail event')}, ${counted(flow, 'flow record')} and ${counted(logs, 'log event')} from ${counted(report.files, 'file')} into ${baseName(store)}` +
    (report.duplicates ? ` (${counted(report.duplicates, 'duplicate')} skipped` + (report.alreadyIngested ? `, ${counted(report.alreadyIngested, 'file')} already ingested)` : ')') : '') +
    // A problem may cost a whole file or one line of it; each reason says what was kept.
    (report.skipped.length ? `; ${counted(report.skipped.length, 'problem')} found` : '') +
    '.' +
    (report.rederived ? ` The ${counted(report.rederived, 'event')} the store held before were derived again with this version's rules.` : '');
  if (report.skipped.length === 0) {
    void (report.cancelled ? vscode.window.showWarningMessage(noticeText(summary)) : vscode.window.showInformationMessage(noticeText(summary)));
    return;
  }
  if (!(await vscode.window.showWarningMessage(noticeText(summary), 'Show Problems'))) return;
  // A plain-text document: file names (zip members' too) and reasons come from the evidence, shown as
  // text with visible markers, so a line break in a name cannot add a line to the list.
  const rest = report.cancelled ? 'the files read before the cancel were ingested' : 'everything else was ingested';
  const lines = [`Ingest into ${store}`, summary, '', `Problems (${rest}):`, ...report.skipped.map((s) => `  ${displayText(s.file, 4000)}: ${displayText(s.reason, 4000)}`)];
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: lines.join('\n') + '\n' });
  await vscode.window.showTextDocument(document, { preview: true });
}
