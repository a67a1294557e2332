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
}

/** "Open in Results Panel" under an output: the whole result, with its event view and related events. */
export interface OpenInPanelMessage {
  type: 'openInPanel';
  outputId: string;
}

export function readRendererMessage(value: unknown): OpenInPanelMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, outputId } = value as Record<string, unknown>;
  if (type !== 'openInPanel' || typeof outputId !== 'string' || outputId.length === 0 || outputId.length > 200) return undefined;
  return { type, outputId };
}
