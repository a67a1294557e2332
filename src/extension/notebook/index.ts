import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../../core/notebook/notebook-file';
import { readRendererMessage, RENDERER_ID } from '../../webview/notebook-protocol';
import { guarded, type Investigation } from '../commands/context';
import { commandCell, exportReport, newNotebook, openOutput, saveCellQuery } from './commands';
import { NotebookKernel } from './kernel';
import { registerLookupLanguage } from './lookup-language';
import { choosePlace, PlaceStatusBar, queryCellKind } from './place';
import { NotebookFileSerializer } from './serializer';

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
    vscode.commands.registerCommand('trailscope.notebook.choosePlace', guarded('Notebook cell', async (arg?: unknown) => {
      const cell = commandCell(arg);
      if (cell && queryCellKind(cell)) await choosePlace(app, cell);
    })),
    vscode.commands.registerCommand('trailscope.notebook.exportReport', guarded('Notebook report', () => exportReport())),
    vscode.commands.registerCommand('trailscope.notebook.saveQueryToCase', guarded('Save query', async (arg?: unknown, name?: string) => {
      const cell = commandCell(arg);
      if (cell) await saveCellQuery(app, cell, name);
    })),
  ];
}
