import * as vscode from 'vscode';
import { noticeText } from '../display-text';
import type { InputOptions, PickItem, Prompter } from './prompter';

/** Work done sooner shows no notification (a store lists its log groups at once): a flash would only distract. */
const PROGRESS_AFTER_MS = 400;

/** The wizards' questions as VS Code quick picks and input boxes; Escape anywhere ends the wizard. */
export const vscodePrompter: Prompter = {
  async pick<T>(title: string, items: PickItem<T>[], placeholder?: string): Promise<T | undefined> {
    const picked = await vscode.window.showQuickPick(items.map(toQuickPickItem), { title, placeHolder: placeholder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
    return picked?.value;
  },
  async pickMany<T>(title: string, items: PickItem<T>[], placeholder?: string): Promise<T[] | undefined> {
    const picked = await vscode.window.showQuickPick(items.map(toQuickPickItem), { title, placeHolder: placeholder, canPickMany: true, matchOnDescription: true, ignoreFocusOut: true });
    return picked?.map((p) => p.value);
  },
  input(title: string, options: InputOptions): Promise<string | undefined> {
    return Promise.resolve(
      vscode.window.showInputBox({ title, prompt: options.prompt, value: options.value, placeHolder: options.placeholder, validateInput: options.validate, ignoreFocusOut: true }),
    );
  },
  /** A cancellable progress notification; Cancel ends the wait at once, whether or not the work has stopped yet. */
  async busy<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const abort = new AbortController();
    const cancelled = new Promise<undefined>((resolve) => abort.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    const running = work(abort.signal);
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    const notify = setTimeout(() => {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: noticeText(title), cancellable: true }, (_progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return Promise.race([settled, cancelled]);
      });
    }, PROGRESS_AFTER_MS);
    try {
      return await Promise.race([running, cancelled]);
    } catch (error) {
      if (abort.signal.aborted) return undefined;
      throw error;
    } finally {
      clearTimeout(notify);
    }
  },
};

function toQuickPickItem<T>(item: PickItem<T>): vscode.QuickPickItem & { value: T } {
  return { label: item.label, description: item.description, detail: item.detail, picked: item.picked, value: item.value };
}
