import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../../core/notebook/notebook-file';
import { cellQuery, describePlace, readPlace } from '../../core/notebook/place';
import { notebookReport } from '../../core/notebook/report';
import { resultTitle } from '../../core/result-file';
import { baseName } from '../../core/target';
import { saveSpec } from '../commands/case';
import type { Investigation } from '../commands/context';
import { INSIGHTS_LANGUAGE } from '../commands/insights';
import { replayJob } from '../results/controller';
import { sourceFor } from '../targets';
import { choosePlace, notebookFolder, placeOf, queryCellKind } from './place';
import { LOOKUP_LANGUAGE, openCellEntries, outputResult } from './serializer';

/**
 * What the notebook commands do: a new notebook, a cell's query saved to the case, the report, and an
 * answer opened in a results panel (where a cell runs is place.ts's).
 */

/** The cell a command acts on: the one it came with (status bar, cell title), else the selected one. */
export function commandCell(arg: unknown): vscode.NotebookCell | undefined {
  if (typeof arg === 'object' && arg !== null && 'notebook' in arg && 'document' in arg) return arg as vscode.NotebookCell;
  const editor = vscode.window.activeNotebookEditor;
  const index = editor?.selection.start;
  return editor && index !== undefined && index < editor.notebook.cellCount ? editor.notebook.cellAt(index) : undefined;
}

/** "Save Cell Query to Case…": the cell's lookup or query where it runs, named after its first line. */
export async function saveCellQuery(app: Investigation, cell: vscode.NotebookCell, name?: string): Promise<void> {
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
export async function openOutput(app: Investigation, notebook: vscode.NotebookDocument, outputId: string, row?: number): Promise<void> {
  const found = notebook.getCells().flatMap((cell) => cell.outputs.map((output) => ({ cell, result: outputResult(output) })));
  const { cell, result } = found.find((f) => f.result?.id === outputId) ?? {};
  const kind = cell && queryCellKind(cell);
  if (!cell || !result || !kind) return;
  // What the answer was asked with, not what the cell says now: it may have been edited since it ran.
  const asked = result.asked;
  const place = asked?.place !== undefined ? readPlace(asked.place, notebookFolder(notebook) ?? '') : placeOf(cell);
  if (!place) throw new Error('the cell does not say where it ran, so its related events cannot be followed: choose where it runs first');
  const text = asked?.source ?? cell.document.getText();
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
export async function exportReport(): Promise<void> {
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
export async function newNotebook(): Promise<void> {
  const data = new vscode.NotebookData(STARTER.map((c) => new vscode.NotebookCellData(c.kind, c.text, c.language)));
  const document = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(document);
}
