import type { ResultPayload } from '../core/results';

/**
 * What passes between an investigation notebook's kernel and the renderer that draws its outputs
 * (media/notebook/): the output item the kernel writes, and the one message the renderer sends back.
 * That message comes from a page that shows log data, so the host acts only on what
 * `readRendererMessage` accepts.
 */

export const RENDERER_ID = 'trailscope.notebook-results';
export const RESULT_MIME = 'application/vnd.trailscope.result+json';

/** A query cell's output item: the result, when the cell ran, and whether more is still arriving. */
export interface CellResult {
  /** Names this output in the renderer's messages (VS Code gives extensions no output IDs). */
  id: string;
  payload: ResultPayload;
  ranAt: string;
  /** Something the responder should know about the result (the 90-day limit, a cancelled run). */
  note?: string;
  /** True while an Insights query is still running: the rows so far. */
  running?: boolean;
  /** The cell's text and place (as the file keeps it) when it ran: the cell may have changed since. */
  asked?: { source: string; place?: unknown };
}

/**
 * "Open in Results Panel" under an output, or a click on one of its rows: the whole result in a panel,
 * with its event view (open on that row's event) and related events. `row` indexes the result's rows.
 */
export interface OpenInPanelMessage {
  type: 'openInPanel';
  outputId: string;
  row?: number;
}

export function readRendererMessage(value: unknown): OpenInPanelMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, outputId, row, ...rest } = value as Record<string, unknown>;
  if (type !== 'openInPanel' || typeof outputId !== 'string' || outputId.length === 0 || outputId.length > 200 || Object.keys(rest).length > 0) return undefined;
  if (row === undefined) return { type, outputId };
  return Number.isSafeInteger(row) && (row as number) >= 0 ? { type, outputId, row: row as number } : undefined;
}
