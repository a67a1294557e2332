import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../../core/notebook/notebook-file';
import { cellQuery, describePlace } from '../../core/notebook/place';
import { notebookReport } from '../../core/notebook/report';
import { resultTitle } from '../../core/result-file';
import { baseName } from '../../core/target';
import { readRendererMessage, RENDERER_ID } from '../../webview/notebook-protocol';
import { saveSpec } from '../commands/case';
import { guarded, type Investigation } from '../commands/context';
import { INSIGHTS_LANGUAGE } from '../commands/insights';
import { replayJob } from '../results/controller';
import { sourceFor } from '../targets';
import { NotebookKernel } from './kernel';
import { registerLookupLanguage } from './lookup-language';
import { choosePlace, notebookFolder, placeOf, PlaceStatusBar, queryCellKind } from './place';
import { LOOKUP_LANGUAGE, NotebookFileSerializer, openCellEntries, outputResult } from './serializer';

/**
 * Investigation notebooks: the narrative and the queries of an investigation in one file, each query
 * with where it ran and what it returned. Registration of the serializer, the kernel, the cells' status
 * bar, the output renderer's "Open in Results Panel", and the notebook commands.
 */
export function registerNotebooks(app: Investigation): vscode.Disposable[] {
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  const statusBar = new PlaceStatusBar();
  return [
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new NotebookFileSerializer()),
    new NotebookKernel(app),
    ...registerLookupLanguage(),
    statusBar,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, statusBar),
    // The renderer shows log data: only a well-formed request naming one of this notebook's outputs is acted on.
    messaging.onDidReceiveMessage(({ editor, message }) => {
      const request = readRendererMessage(message);
      if (request) void guarded('Open in results panel', () => openOutput(app, editor.notebook, request.outputId, request.row))();
    }),
    vscode.commands.registerCommand('trailscope.newNotebook', guarded('New notebook', () => newNotebook())),
    // From a cell's status bar or title the cell comes along; from the palette, the selected cell.
    vscode.commands.registerCommand('trailscope.notebook.choosePlace', guarded('Notebook cell', async (arg?: unknown) => {
      const cell = isCell(arg) ? arg : activeCell();
      if (cell && queryCellKind(cell)) await choosePlace(app, cell);
    })),
    vscode.commands.registerCommand('trailscope.notebook.exportReport', guarded('Notebook report', () => exportReport())),
    vscode.commands.registerCommand('trailscope.notebook.saveQueryToCase', guarded('Save query', async (arg?: unknown, name?: string) => {
      const cell = isCell(arg) ? arg : activeCell();
      if (cell) await saveCellQuery(app, cell, name);
    })),
  ];
}

function isCell(value: unknown): value is vscode.NotebookCell {
  return typeof value === 'object' && value !== null && 'notebook' in value && 'document' in value;
}

function activeCell(): vscode.NotebookCell | undefined {
  const editor = vscode.window.activeNotebookEditor;
  const index = editor?.selection.start;
  return editor && index !== undefined && index < editor.notebook.cellCount ? editor.notebook.cellAt(index) : undefined;
}

/** "Save Cell Query to Case…": the cell's lookup or query where it runs, named after its first line. */
async function saveCellQuery(app: Investigation, cell: vscode.NotebookCell, name?: string): Promise<void> {
  const kind = queryCellKind(cell);
  if (!kind) return;
  const place = placeOf(cell) ?? (await choosePlace(app, cell));
  if (!place) return;
  const text = cell.document.getText();
  const firstLine = text.split('\n').map((l) => l.replace(/^\s*#\s*/, '').trim()).find((l) => l !== '') ?? '';
  await saveSpec(app, cellQuery(kind, text, place), firstLine, name);
}

/**
 * A cell's output in a results panel, where its events open, filter, chart and lead to related events;
 * `row`, from a click in the output, opens that event (only an index into the host's own copy is taken).
 */
async function openOutput(app: Investigation, notebook: vscode.NotebookDocument, outputId: string, row?: number): Promise<void> {
  const found = notebook.getCells().flatMap((cell) => cell.outputs.map((output) => ({ cell, result: outputResult(output) })));
  const { cell, result } = found.find((f) => f.result?.id === outputId) ?? {};
  const kind = cell && queryCellKind(cell);
  if (!cell || !result || !kind) return;
  const place = placeOf(cell);
  if (!place) throw new Error('the cell does not say where it ran, so its related events cannot be followed: choose where it runs first');
  const text = cell.document.getText();
  let spec;
  try {
    spec = cellQuery(kind, text, place);
  } catch {
    // The text was changed into something that no longer runs: the result still opens, without "Save Query".
  }
  const source = await sourceFor(await app.services(), place.target);
  const name = baseName(notebook.uri.path);
  const event = row === undefined || result.payload.kind !== 'events' ? undefined : result.payload.result.Events[row];
  app.panels.show(
    {
      title: resultTitle(result.payload, name),
      query: `${text.trim().replace(/\s*\n\s*/g, ' ')} — ${describePlace(place)}`,
      source,
      target: place.target,
      ...(spec ? { spec } : {}),
      ...(event ? { openEventId: event.EventId } : {}),
    },
    replayJob(result.payload),
  );
}

/** "Export Notebook Report (Markdown)": the notebook on screen, answers included, as a report for the ticket. */
async function exportReport(): Promise<void> {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook?.notebookType !== NOTEBOOK_TYPE) {
    void vscode.window.showInformationMessage('Open an investigation notebook first: its report is written from the answers it shows.');
    return;
  }
  const report = notebookReport({ trailscopeNotebook: 1, cells: openCellEntries(notebook) }, baseName(notebook.uri.path), notebookFolder(notebook) ?? '', new Date());
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: report }));
}

const STARTER = [
  { kind: vscode.NotebookCellKind.Markup, language: 'markdown', text: '# Investigation notebook\n\nWrite what you are looking for and why, then query. A **lookup** cell takes one condition a line, all of which must match (`EventName=ConsoleLogin`, `sourceIPAddress=203.0.113.7`, `userAgent~boto3`); an **Insights** cell takes a Logs Insights query. Each query cell runs where its status bar says: click it to choose the store or account, the log groups and the time range.' },
  { kind: vscode.NotebookCellKind.Code, language: LOOKUP_LANGUAGE, text: '# Write events by anyone, newest first\nReadOnly=false\n' },
  { kind: vscode.NotebookCellKind.Code, language: INSIGHTS_LANGUAGE, text: 'fields @timestamp, eventName, userIdentity.arn, sourceIPAddress\n| sort @timestamp desc\n| limit 100\n' },
];

/** "Trailscope: New Investigation Notebook": an untitled notebook with a note and two example cells. */
async function newNotebook(): Promise<void> {
  const data = new vscode.NotebookData(STARTER.map((c) => new vscode.NotebookCellData(c.kind, c.text, c.language)));
  const document = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(document);
}
