import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { keptOutput, readNotebook, serializeNotebook, type CellKind, type CellOutput, type NotebookCellEntry } from '../../core/notebook/notebook-file';
import { decodeText } from '../../core/text-bytes';
import { RESULT_MIME, type CellResult } from '../../webview/notebook-protocol';
import { INSIGHTS_LANGUAGE } from '../commands/insights';
import { settings } from '../settings';

/** The language of lookup cells (one condition a line, see src/core/notebook/lookup-cell.ts). */
export const LOOKUP_LANGUAGE = 'trailscope-lookup';

const ERROR_MIME = 'application/vnd.code.notebook.error';

/**
 * A failed run as the notebook shows it: VS Code's error output, without a stack. A note the file gives
 * it (a responder's words on why it failed) is shown under the message and saved with it again.
 */
export function errorOutput(message: string, ranAt: string, note?: string): vscode.NotebookCellOutput {
  const item = vscode.NotebookCellOutputItem.error({ name: 'Error', message: note ? `${message}\n\n${note}` : message });
  return new vscode.NotebookCellOutput([item], { ranAt, ...(note ? { note, error: message } : {}) });
}

/**
 * A saved output that could not be read: an error saying so, holding the output for the next save. A run
 * that failed (`failed`: which run, and why) keeps it so too: what the file holds is not the run's to lose.
 */
export function unreadableOutput(kept: Required<NotebookCellEntry>['unreadableOutput'], failed?: string): vscode.NotebookCellOutput {
  const then = failed ? `${failed.replace(/\.$/, '')}; the file keeps the saved output as it is.` : 'run the cell again.';
  return errorItem(`The saved output could not be read (This notebook: ${kept.problem}); ${then}`, { unreadableOutput: kept });
}

/** The saved output an output holds for the next save, when the file's could not be read. */
export function keptUnreadable(output: vscode.NotebookCellOutput | undefined): NotebookCellEntry['unreadableOutput'] {
  return output?.metadata?.unreadableOutput as NotebookCellEntry['unreadableOutput'];
}

function errorItem(message: string, metadata: { [key: string]: unknown }): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Error', message })], metadata);
}

/**
 * A result as the notebook shows it: the renderer's item, and plain text for views without it. One read
 * from the file is marked so (`fromFile`): a save writes it back whole, and cuts only new answers.
 */
export function resultOutput(shown: Omit<CellResult, 'id'>, fromFile = false): vscode.NotebookCellOutput {
  const result: CellResult = { id: randomUUID(), ...shown };
  const text = [result.note, `${result.payload.kind} result, ran ${result.ranAt}`].filter(Boolean).join('\n');
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.json(result, RESULT_MIME), vscode.NotebookCellOutputItem.text(text)], fromFile ? { fromFile } : undefined);
}

/** The result an output holds (outputs are written by the kernel, or by the serializer from a checked file). */
export function outputResult(output: vscode.NotebookCellOutput): CellResult | undefined {
  const item = output.items.find((i) => i.mime === RESULT_MIME);
  return item && (JSON.parse(new TextDecoder().decode(item.data)) as CellResult);
}

function toOutput(output: CellOutput): vscode.NotebookCellOutput {
  if ('error' in output) return errorOutput(output.error, output.ranAt, output.note);
  return resultOutput({ payload: output.result, ranAt: output.ranAt, ...(output.note ? { note: output.note } : {}), ...(output.asked ? { asked: output.asked } : {}) }, true);
}

function fromOutput(output: vscode.NotebookCellOutput | undefined): CellOutput | undefined {
  if (!output) return undefined;
  const result = outputResult(output);
  if (result) {
    // Saved while the cell runs (autosave): what has come back so far is what the file can keep, said so.
    const note = result.running ? 'Saved while the cell was running: what had come back by then.' : result.note;
    return { ranAt: result.ranAt, ...(note ? { note } : {}), ...(result.asked ? { asked: result.asked } : {}), result: result.payload };
  }
  const error = output.items.find((i) => i.mime === ERROR_MIME);
  if (!error) return undefined;
  const { message } = JSON.parse(new TextDecoder().decode(error.data)) as { message?: string };
  const metadata = output.metadata ?? {};
  const ranAt = typeof metadata.ranAt === 'string' ? metadata.ranAt : new Date().toISOString();
  // With a note, the message shown holds it too: the file keeps the two apart, as it had them.
  if (typeof metadata.note === 'string' && typeof metadata.error === 'string') return { ranAt, note: metadata.note, error: metadata.error };
  return { ranAt, error: message ?? 'the cell failed' };
}

/** A cell as the editor holds it: a cell being saved (NotebookCellData) or an open one (NotebookCell). */
interface EditorCell {
  kind: vscode.NotebookCellKind;
  languageId: string;
  source: string;
  metadata?: { [key: string]: unknown };
  outputs?: readonly vscode.NotebookCellOutput[];
}

/** An open notebook's cells as the file would keep them (for the report of what is on screen). */
export function openCellEntries(notebook: vscode.NotebookDocument): NotebookCellEntry[] {
  return notebook.getCells().map((c) => cellEntry({ kind: c.kind, languageId: c.document.languageId, source: c.document.getText(), metadata: c.metadata, outputs: c.outputs }));
}

function cellEntry(cell: EditorCell): NotebookCellEntry {
  const kind: CellKind = cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : cell.languageId === LOOKUP_LANGUAGE ? 'lookup' : 'insights';
  const extra = cell.metadata?.extra as Record<string, unknown> | undefined;
  const entry: NotebookCellEntry = { kind, source: cell.source, ...(cell.metadata?.place === undefined ? {} : { place: cell.metadata.place }), ...(extra ? { extra } : {}) };
  if (kind === 'markdown') return entry;
  const kept = keptUnreadable(cell.outputs?.[0]);
  if (kept) return { ...entry, unreadableOutput: kept };
  const output = fromOutput(cell.outputs?.[0]);
  return output ? { ...entry, output } : entry;
}

const LANGUAGES: Record<CellKind, string> = { markdown: 'markdown', insights: INSIGHTS_LANGUAGE, lookup: LOOKUP_LANGUAGE };

/**
 * Investigation notebooks to and from their files (src/core/notebook/notebook-file.ts). A saved output
 * that cannot be read shows as an error at its cell, saying so, rather than stopping the notebook from
 * opening, and is saved again as the file had it; running the cell again replaces it.
 */
export class NotebookFileSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    // UTF-16 too (PowerShell's `>`), as the CLI and case files read it.
    const { notebook } = readNotebook(decodeText(content), 'This notebook');
    const cells = notebook.cells.map((entry) => {
      const cell = new vscode.NotebookCellData(entry.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, entry.source, LANGUAGES[entry.kind]);
      if (entry.place !== undefined || entry.extra) cell.metadata = { ...(entry.place === undefined ? {} : { place: entry.place }), ...(entry.extra ? { extra: entry.extra } : {}) };
      if (entry.unreadableOutput) cell.outputs = [unreadableOutput(entry.unreadableOutput)];
      else if (entry.output) cell.outputs = [toOutput(entry.output)];
      return cell;
    });
    const data = new vscode.NotebookData(cells);
    if (notebook.extra) data.metadata = { extra: notebook.extra };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const savedRows = settings().notebookSavedRows;
    const cells = data.cells.map((cell) => {
      const entry = cellEntry({ ...cell, source: cell.value });
      // An answer as the file had it goes back whole (the CLI may have kept every row); new ones are cut.
      return entry.output && !cell.outputs?.[0]?.metadata?.fromFile ? { ...entry, output: keptOutput(entry.output, savedRows) } : entry;
    });
    const extra = data.metadata?.extra as Record<string, unknown> | undefined;
    return new TextEncoder().encode(serializeNotebook({ trailscopeNotebook: 1, cells, ...(extra ? { extra } : {}) }, 0));
  }
}
