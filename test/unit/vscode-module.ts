import Module from 'node:module';

/**
 * Makes `require('vscode')` give `standIn` in this process: the extension's code imports the module,
 * which exists only inside VS Code. Each test folder's vscode-stand-in.ts builds what its tests use.
 */
export function provideVscode(standIn: object): void {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request, ...rest) {
    return request === 'vscode' ? standIn : load.call(this, request, ...rest);
  };
}

/** A file URI as the stand-ins need it. */
export const fileUri = (path: string) => ({ scheme: 'file', path, fsPath: path, toString: () => `file://${path}` });
