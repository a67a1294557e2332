import type { AppMessage, HostMessage } from '../../src/webview/protocol';
import { DATA_ELEMENT_ID, MORE_DATA_ELEMENT_ID } from '../../src/webview/html-ids';

/**
 * The app's link to its host: the VS Code webview API inside the editor, or nothing at all in a page
 * written by `trailscope view`, where the result is embedded in the page and the app does copies and
 * exports itself.
 */
export interface Bridge {
  standalone: boolean;
  post(message: AppMessage): void;
  /** Starts delivering host messages. */
  listen(onMessage: (message: HostMessage) => void): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function connect(): Bridge {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return {
      standalone: false,
      post: (message) => api.postMessage(message),
      // Messages come only from the host (VS Code relays nothing else into the webview frame).
      listen: (onMessage) => window.addEventListener('message', (event: MessageEvent<HostMessage>) => onMessage(event.data)),
    };
  }
  // The page holds the messages: the first before this script, the rest after it (read once parsed).
  const read = (id: string): unknown => JSON.parse(document.getElementById(id)?.textContent || 'null');
  return {
    standalone: true,
    post: () => undefined,
    listen: (onMessage) => {
      const first = read(DATA_ELEMENT_ID) as HostMessage | null;
      if (first) onMessage(first);
      document.addEventListener('DOMContentLoaded', () => {
        for (const message of (read(MORE_DATA_ELEMENT_ID) as HostMessage[] | null) ?? []) onMessage(message);
      });
    },
  };
}
