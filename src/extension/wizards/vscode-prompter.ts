import * as vscode from 'vscode';
import type { InputOptions, PickItem, Prompter } from './prompter';

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
};

function toQuickPickItem<T>(item: PickItem<T>): vscode.QuickPickItem & { value: T } {
  return { label: item.label, description: item.description, detail: item.detail, picked: item.picked, value: item.value };
}
