import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { describePlace, readPlace, storedPlace, type CellPlace } from '../../core/notebook/place';
import type { Investigation } from '../commands/context';
import { insightsWizardInput } from '../commands/insights';
import { displayText } from '../display-text';
import { settings } from '../settings';
import { availableTargets } from '../targets';
import { insightsWizard } from '../wizards/insights-wizard';
import { lookupWizard } from '../wizards/lookup-wizard';
import { vscodePrompter } from '../wizards/vscode-prompter';
import { LOOKUP_LANGUAGE } from './serializer';

/**
 * Where each query cell of a notebook runs (src/core/notebook/place.ts), kept in the cell's metadata and
 * so in the file: chosen with the lookup or Insights wizard, taken from the cell above when a new cell
 * first runs, and shown in the cell's status bar, where a click changes it.
 */

export type QueryCellKind = 'insights' | 'lookup';

export function queryCellKind(cell: vscode.NotebookCell): QueryCellKind | undefined {
  if (cell.kind !== vscode.NotebookCellKind.Code) return undefined;
  return cell.document.languageId === LOOKUP_LANGUAGE ? 'lookup' : 'insights';
}

/** The folder relative store paths are read against; an untitled notebook keeps absolute paths. */
export function notebookFolder(notebook: vscode.NotebookDocument): string | undefined {
  return notebook.uri.scheme === 'file' ? dirname(notebook.uri.fsPath) : undefined;
}

/** The cell's place; undefined when none was chosen; throws when the file's cannot be read. */
export function placeOf(cell: vscode.NotebookCell): CellPlace | undefined {
  const stored: unknown = cell.metadata?.place;
  return stored === undefined ? undefined : readPlace(stored, notebookFolder(cell.notebook) ?? '');
}

/** A place as the cell's notebook keeps it: relative to its folder, when it has one. */
export function storedPlaceOf(cell: vscode.NotebookCell, place: CellPlace): object {
  const folder = notebookFolder(cell.notebook);
  return folder ? storedPlace(place, folder) : place;
}

async function storePlace(cell: vscode.NotebookCell, place: CellPlace): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, place: storedPlaceOf(cell, place) })]);
  await vscode.workspace.applyEdit(edit);
}

/** Asks where the cell runs (the wizard's steps, starting from the last choices) and keeps the answer. */
export async function choosePlace(app: Investigation, cell: vscode.NotebookCell): Promise<CellPlace | undefined> {
  const place = queryCellKind(cell) === 'lookup' ? await askLookupPlace(app) : await askInsightsPlace(app, cell.document.getText());
  if (place) await storePlace(cell, place);
  return place;
}

async function askInsightsPlace(app: Investigation, query: string): Promise<CellPlace | undefined> {
  const choice = await insightsWizard({ ...(await insightsWizardInput(app, undefined)), query });
  if (!choice || 'newQuery' in choice) return undefined;
  return { target: choice.target, logGroups: choice.logGroups.map((g) => g.arn ?? g.name), start: choice.range.start, end: choice.range.end };
}

async function askLookupPlace(app: Investigation): Promise<CellPlace | undefined> {
  const targets = await availableTargets(await app.services());
  const choice = await lookupWizard({ prompter: vscodePrompter, memory: app.memory, targets, regions: settings().regions, conditionsElsewhere: true });
  const { start, end } = choice?.request ?? {};
  return choice && start && end ? { target: choice.target, logGroups: [], start, end } : undefined;
}

/**
 * Where a cell about to run runs: its own place; else that of the nearest query cell above that fits
 * (an Insights cell needs log groups), which a responder adding a cell below expects; else asked.
 */
export async function placeForRun(app: Investigation, cell: vscode.NotebookCell): Promise<CellPlace | undefined> {
  const own = placeOf(cell);
  if (own) return own;
  const kind = queryCellKind(cell);
  for (let i = cell.index - 1; i >= 0; i--) {
    const above = cell.notebook.cellAt(i);
    if (!queryCellKind(above)) continue;
    let place: CellPlace | undefined;
    try {
      place = placeOf(above);
    } catch {
      continue;
    }
    if (!place || (kind === 'insights' && place.logGroups.length === 0)) continue;
    const inherited = kind === 'lookup' ? { ...place, logGroups: [] } : place;
    await storePlace(cell, inherited);
    return inherited;
  }
  return choosePlace(app, cell);
}

/** "$(database) sample.duckdb · 3 log groups · 2026-03-10T00:00:00Z → …" under each query cell. */
export class PlaceStatusBar implements vscode.NotebookCellStatusBarItemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCellStatusBarItems = this.changed.event;
  // A place chosen, inherited or edited in the file changes the cell's metadata: show it at once.
  private readonly watch = vscode.workspace.onDidChangeNotebookDocument((e) => {
    if (e.cellChanges.some((c) => c.metadata !== undefined)) this.changed.fire();
  });

  dispose(): void {
    this.watch.dispose();
    this.changed.dispose();
  }

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    if (!queryCellKind(cell)) return [];
    const command = { command: 'trailscope.notebook.choosePlace', title: 'Choose where the cell runs', arguments: [cell] };
    let item: vscode.NotebookCellStatusBarItem;
    try {
      const place = placeOf(cell);
      // Store and log group names come from files and logs: invisible characters shown, icon syntax defused.
      const text = place && displayText(describePlace(place), 120);
      item = new vscode.NotebookCellStatusBarItem(
        place ? `${place.target.kind === 'evidence' ? '$(database)' : '$(cloud)'} ${text}` : '$(gear) Choose where it runs…',
        vscode.NotebookCellStatusBarAlignment.Left,
      );
      item.tooltip = place ? 'Where this cell runs: click to change the store or account, log groups or time range' : 'The cell runs where the cell above runs, or asks';
    } catch (error) {
      item = new vscode.NotebookCellStatusBarItem('$(warning) Where it runs cannot be read', vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = error instanceof Error ? error.message : String(error);
    }
    item.command = command;
    return [item];
  }
}
