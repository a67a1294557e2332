import { randomBytes } from 'node:crypto';
import { displayText } from '../core/format/display-text';
import { DATA_ELEMENT_ID, MORE_DATA_ELEMENT_ID } from './html-ids';
import type { HostMessage } from './protocol';

/**
 * The HTML of the results view: in a VS Code webview panel (script and style loaded from the extension's
 * dist/media through the webview's own scheme) or as one self-contained page (`trailscope view`). Both
 * allow nothing but the app's own script (by nonce) and style: no inline handlers, no remote content,
 * no eval. Log data never appears in the markup except as escaped JSON inside a data block.
 */

/** A fresh nonce for one rendering of the page. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that is safe inside `<script type="application/json">`: no `<`, `>` or `&` can close the element
 * or start a comment, and U+2028/U+2029 are escaped too for readers that treat the block as script.
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function page(options: { csp: string; title: string; head: string; body: string; bodyClass?: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(displayText(options.title))}</title>
${options.head}
</head>
<body${options.bodyClass ? ` class="${escapeHtml(options.bodyClass)}"` : ''}>
<div id="app" class="app"></div>
${options.body}
</body>
</html>
`;
}

export interface PanelHtmlOptions {
  nonce: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri(dist/media/results.js)`, as a string. */
  scriptUri: string;
  styleUri: string;
  title?: string;
}

/** The page of the VS Code panel; the host sends the result with `show` once the app says `ready`. */
export function panelHtml(o: PanelHtmlOptions): string {
  const nonce = escapeHtml(o.nonce);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return page({
    csp,
    title: o.title ?? 'Trailscope results',
    head: `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(o.styleUri)}">`,
    body: `<script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>`,
  });
}

export interface StandaloneHtmlOptions {
  nonce: string;
  /** The bundled app (dist/media/results.js) and its stylesheet, inlined. */
  script: string;
  style: string;
  /** The message the page shows first, as the panel's host would send it. */
  initial: HostMessage;
  /**
   * Messages that follow (e.g. the rest of a large result). They come after the app's script, so the
   * app paints the first rows while the browser is still reading the rest of the page.
   */
  more?: HostMessage[];
  title: string;
}

function assertInlineable(code: string, tag: 'script' | 'style'): void {
  if (new RegExp(`</${tag}`, 'i').test(code)) throw new Error(`the bundled ${tag} contains "</${tag}" and cannot be inlined`);
}

/** One self-contained page: script, style and data inline, nothing loaded from anywhere. */
export function standaloneHtml(o: StandaloneHtmlOptions): string {
  assertInlineable(o.script, 'script');
  assertInlineable(o.style, 'style');
  const nonce = escapeHtml(o.nonce);
  const csp = ["default-src 'none'", `script-src 'nonce-${o.nonce}'`, `style-src 'nonce-${o.nonce}'`].join('; ');
  return page({
    csp,
    title: o.title,
    bodyClass: 'standalone',
    head: `<style nonce="${nonce}">\n${o.style}\n</style>`,
    body:
      `<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForHtml(o.initial)}</script>\n` +
      `<script nonce="${nonce}">\n${o.script}\n</script>\n` +
      (o.more?.length ? `<script type="application/json" id="${MORE_DATA_ELEMENT_ID}">${jsonForHtml(o.more)}</script>\n` : ''),
  });
}
