import { fileUri, provideVscode } from '../vscode-module';

/**
 * A stand-in for the `vscode` module, to run extension code that reads settings, shows notifications,
 * sets context keys or opens results panels outside VS Code: import it before that code. It has only
 * what those tests use; `screen` holds the settings (`config`, keys under `trailscope.`) and records what
 * the code showed and did. A quick pick resolves `screen.pickAnswer` (undefined: Escape).
 */
export const screen = {
  config: {} as Record<string, unknown>,
  warnings: [] as Array<{ message: string; actions: string[] }>,
  infos: [] as string[],
  quickPicks: [] as Array<{ title?: string; items: Array<{ label: string }> }>,
  pickAnswer: undefined as ((items: Array<{ label: string }>) => unknown) | undefined,
  commands: [] as unknown[][],
  progress: [] as string[],
  panels: [] as FakePanel[],
};

/** A results panel: `show()` brings it to the front as a click on its tab does. */
export interface FakePanel {
  title: string;
  active: boolean;
  show(): void;
  dispose(): void;
}

type Listener = (value?: unknown) => void;

class EventEmitter {
  private readonly listeners = new Set<Listener>();
  event = (listener: Listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value?: unknown) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

function createWebviewPanel(_viewType: string, title: string): unknown {
  const viewState = new EventEmitter();
  const disposed = new EventEmitter();
  const messages = new EventEmitter();
  const panel = {
    title,
    active: true,
    webview: {
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (u: unknown) => u,
      onDidReceiveMessage: messages.event,
      postMessage: async () => true,
    },
    onDidChangeViewState: viewState.event,
    onDidDispose: disposed.event,
    show() {
      for (const other of screen.panels) {
        if (other !== panel && other.active) {
          other.active = false;
          (other as unknown as { fireViewState: () => void }).fireViewState();
        }
      }
      panel.active = true;
      viewState.fire({ webviewPanel: panel });
    },
    fireViewState: () => viewState.fire({ webviewPanel: panel }),
    dispose() {
      screen.panels.splice(screen.panels.indexOf(panel), 1);
      disposed.fire();
    },
  };
  // The new panel takes the front, as VS Code opens it.
  for (const other of screen.panels) other.active = false;
  screen.panels.push(panel);
  return panel;
}

const vscode = {
  Uri: { file: fileUri, joinPath: (base: { path: string }, ...parts: string[]) => fileUri([base.path, ...parts].join('/')) },
  FileType: { File: 1, Directory: 2 },
  EventEmitter,
  TreeItem: class {
    constructor(
      public label: string,
      public collapsibleState: number,
    ) {}
  },
  ThemeIcon: class {
    constructor(public id: string) {}
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ViewColumn: { Active: -1, Beside: -2 },
  ProgressLocation: { Notification: 15, Window: 10 },
  ConfigurationTarget: { Global: 1, Workspace: 2 },
  workspace: {
    workspaceFolders: [{ uri: fileUri('/ws'), name: 'ws', index: 0 }],
    getConfiguration: (section: string) => ({ get: (key: string, fallback?: unknown) => (`${section}.${key}` in screen.config ? screen.config[`${section}.${key}`] : fallback) }),
    fs: { readDirectory: async () => [] },
    asRelativePath: (path: string | { fsPath: string }) => (typeof path === 'string' ? path : path.fsPath),
  },
  window: {
    showWarningMessage: async (message: string, ...actions: string[]) => void screen.warnings.push({ message, actions }),
    showInformationMessage: async (message: string) => void screen.infos.push(message),
    showErrorMessage: async () => undefined,
    showQuickPick: async (items: Array<{ label: string }>, options?: { title?: string }) => {
      screen.quickPicks.push({ title: options?.title, items });
      return screen.pickAnswer?.(items);
    },
    showInputBox: async () => undefined,
    withProgress: async (options: { title: string }, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
      screen.progress.push(options.title);
      return task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) });
    },
    createWebviewPanel,
  },
  commands: {
    executeCommand: async (...args: unknown[]) => void screen.commands.push(args),
  },
  env: { clipboard: { writeText: async () => undefined } },
};

provideVscode(vscode);
