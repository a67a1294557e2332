import * as vscode from 'vscode';

/**
 * Activation stays cheap: each feature registers its commands, views and providers here and does its
 * real work (opening stores, resolving credentials, loading DuckDB) only when first used.
 */
type Feature = (context: vscode.ExtensionContext) => void;

const FEATURES: Feature[] = [];

export function activate(context: vscode.ExtensionContext): void {
  for (const register of FEATURES) register(context);
}

export function deactivate(): void {}
