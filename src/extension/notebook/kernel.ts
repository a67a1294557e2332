import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../../core/notebook/notebook-file';
import { cellQuery } from '../../core/notebook/place';
import { failedRerunNote, runCellQuery } from '../../core/notebook/run-cell';
import type { ResultPayload } from '../../core/results';
import type { Investigation } from '../commands/context';
import { INSIGHTS_LANGUAGE } from '../commands/insights';
import { describeFailure } from '../errors';
import { settings } from '../settings';
import { sourceFor } from '../targets';
import { placeForRun, queryCellKind, storedPlaceOf } from './place';
import { errorOutput, keptUnreadable, LOOKUP_LANGUAGE, outputResult, resultOutput, unreadableOutput } from './serializer';

/** How often a running cell's output is redrawn with what has come back so far. */
const PARTIAL_EVERY_MS = 1000;

/**
 * Runs a notebook's query cells, one after another (AWS rate limits and a 2-core laptop both prefer it),
 * through the same sources as the results panels. A cell shows what has come back as it arrives (a
 * lookup's pages, an Insights query's polls); stopping it cancels the work (StopQuery for a live query)
 * and keeps what had come back.
 */
export class NotebookKernel implements vscode.Disposable {
  private readonly controller = vscode.notebooks.createNotebookController('trailscope.notebook.kernel', NOTEBOOK_TYPE, 'Trailscope');
  private order = 0;
  /** The runs asked for, one after another: a cell run while a Run All is under way waits its turn. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly app: Investigation) {
    this.controller.supportedLanguages = [INSIGHTS_LANGUAGE, LOOKUP_LANGUAGE];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Lookups and Insights queries, live or over evidence';
    this.controller.executeHandler = (cells) => this.runCells(cells);
  }

  dispose(): void {
    this.controller.dispose();
  }

  /**
   * Every cell's execution is created at once, so each shows as waiting and a stop (of a cell, or of the
   * whole notebook) reaches the cells not started yet too.
   */
  private runCells(cells: vscode.NotebookCell[]): Promise<void> {
    const executions = cells.flatMap((cell) => (queryCellKind(cell) ? [this.controller.createNotebookCellExecution(cell)] : []));
    const run = this.queue.then(() => this.runInTurn(executions));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs the executions in order. As a Jupyter kernel clears its queue on an interrupt, a stopped cell
   * ends the run, and so does a place not chosen: asking again for every cell below would be a nuisance.
   * A cell deleted while it runs is cancelled by the editor, not stopped by the responder: the run goes on.
   */
  private async runInTurn(executions: vscode.NotebookCellExecution[]): Promise<void> {
    let going = true;
    for (const execution of executions) {
      const stopped = (): boolean => execution.token.isCancellationRequested && execution.cell.index !== -1;
      if (going && !execution.token.isCancellationRequested) going = (await this.runCell(execution)) && !stopped();
      else execution.end(undefined);
    }
  }

  /** False when the responder dismissed the question of where the cell runs. */
  private async runCell(execution: vscode.NotebookCellExecution): Promise<boolean> {
    const { cell } = execution;
    const kind = queryCellKind(cell);
    if (!kind) {
      // Turned into Markdown, or another language, while it waited.
      execution.end(undefined);
      return true;
    }
    execution.executionOrder = ++this.order;
    execution.start(Date.now());
    const abort = new AbortController();
    const cancelled = execution.token.onCancellationRequested(() => abort.abort());
    const ranAt = new Date().toISOString();
    // The answer the cell holds: kept, saying so, when this run fails (partial rows replace it meanwhile).
    const previous = cell.outputs.map(outputResult).find((r) => r !== undefined && !r.running);
    // An answer the file had stays whole when saved (resultOutput's fromFile), also kept after a failed run.
    const previousFromFile = cell.outputs[0]?.metadata?.fromFile === true;
    // Or the file's answer this version could not read, kept for the file whatever this run does.
    const unreadable = keptUnreadable(cell.outputs[0]);
    let partial: ResultPayload | undefined;
    // The text and place the answer is asked with, kept with it: the cell may be edited afterwards.
    let asked: { source: string; place: object } | undefined;
    let shownAt = 0;
    try {
      const place = await placeForRun(this.app, cell);
      if (!place) {
        execution.end(undefined);
        return false;
      }
      const text = cell.document.getText();
      asked = { source: text, place: storedPlaceOf(cell, place) };
      const spec = cellQuery(kind, text, place);
      const source = await sourceFor(await this.app.services(), spec.target);
      const result = await runCellQuery(source, spec, {
        max: settings().maxResults,
        signal: abort.signal,
        onPartial: (payload) => {
          partial = payload;
          // A long lookup brings a page every half second; redrawing thousands of events each time would not help.
          if (Date.now() - shownAt < PARTIAL_EVERY_MS) return;
          shownAt = Date.now();
          void execution.replaceOutput(resultOutput({ payload, ranAt, running: true, asked }));
        },
      });
      await execution.replaceOutput(resultOutput({ ...result, ranAt, asked }));
      execution.end(true, Date.now());
    } catch (error) {
      const failure = describeFailure(error);
      const kept = failure.cancelled && partial ? keptWhenStopped(partial) : undefined;
      if (kept) await execution.replaceOutput(resultOutput({ ...kept, ranAt, asked }));
      else if (previous) await execution.replaceOutput(resultOutput(failure.cancelled ? previous : { ...previous, note: failedRerunNote(ranAt, failure.detail, previous) }, previousFromFile));
      else if (unreadable) await execution.replaceOutput(unreadableOutput(unreadable, `the run of ${ranAt} ${failure.cancelled ? 'was cancelled' : `failed: ${failure.detail}`}`));
      else await execution.replaceOutput(errorOutput(failure.cancelled ? 'Cancelled.' : failure.detail, ranAt));
      execution.end(false, Date.now());
    } finally {
      cancelled.dispose();
    }
    return true;
  }
}

/** What a stopped cell keeps of what had come back, saying so. */
function keptWhenStopped(partial: ResultPayload): { payload: ResultPayload; note: string } | undefined {
  if (partial.kind === 'insights') {
    return { payload: { ...partial, result: { ...partial.result, status: 'Cancelled' } }, note: 'Cancelled: the rows returned before the query was stopped.' };
  }
  if (partial.kind === 'events') {
    return { payload: partial, note: 'Cancelled: the events found before the lookup was stopped.' };
  }
  return undefined;
}
