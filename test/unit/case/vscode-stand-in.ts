import { readFileSync } from 'node:fs';
import { fileUri, provideVscode } from '../vscode-module';

/**
 * A stand-in for the `vscode` module, to run the case view's commands on real case files outside VS Code:
 * import it before them. Its input boxes give `screen.answers` in turn, running `screen.meanwhile` first
 * (a colleague's change to the file while the responder types); it records the warnings shown, answers
 * them with `screen.choose` and keeps what went to the clipboard. It has only what those commands and
 * ActiveCase use.
 */
export const screen: { answers: string[]; meanwhile?: () => void; choose?: string; warnings: Array<{ message: string; actions: string[] }>; clipboard?: string } = { answers: [], warnings: [] };

export const Uri = { file: fileUri };
const vscode = {
  Uri,
  EventEmitter: class {
    event = () => ({ dispose() {} });
    fire() {}
    dispose() {}
  },
  Disposable: { from: () => ({ dispose() {} }) },
  RelativePattern: class {},
  FileSystemError: class extends Error {},
  workspace: {
    fs: { readFile: async (uri: { fsPath: string }) => readFileSync(uri.fsPath) },
    createFileSystemWatcher: () => ({ onDidChange() {}, onDidCreate() {}, onDidDelete() {} }),
  },
  window: {
    showInputBox: async () => {
      const meanwhile = screen.meanwhile;
      screen.meanwhile = undefined;
      meanwhile?.();
      return screen.answers.shift();
    },
    showWarningMessage: async (message: string, ...actions: string[]) => {
      screen.warnings.push({ message, actions });
      return screen.choose;
    },
  },
  env: { clipboard: { writeText: async (text: string) => void (screen.clipboard = text) } },
};
provideVscode(vscode);

