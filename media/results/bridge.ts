import type { AppMessage, HostMessage } from '../../src/webview/protocol';
import { DATA_ELEMENT_ID } from '../../src/webview/html-ids';

/**
 * The app's link to its host: the VS Code webview API inside the editor, or nothing at all in a page
 * written by `trailscope view`, where the result is embedded in the page and the app does copies and
 * exports itself.
 */
export interface Bridge {
  standalone: boolean;
  post(message: AppMessage): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function connect(onMessage: (message: HostMessage) => void): Bridge {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    // Messages come only from the host (VS Code relays nothing else into the webview frame).
    window.addEventListener('message', (event: MessageEvent<HostMessage>) => onMessage(event.data));
    return { standalone: false, post: (message) => api.postMessage(message) };
  }
  const bridge: Bridge = { standalone: true, post: () => undefined };
  const data = document.getElementById(DATA_ELEMENT_ID);
  if (data?.textContent) queueMicrotask(() => onMessage(JSON.parse(data.textContent ?? '') as HostMessage));
  return bridge;
}
