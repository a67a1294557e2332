import * as vscode from 'vscode';
import { registerDiagnostics } from './diagnostics';
import { registerInvestigation } from './investigation';
import { registerInsightsLanguage } from './insights-language';

/**
 * Activation stays cheap: each feature registers its commands, views and providers here and does its
 * real work (opening stores, resolving credentials, loading DuckDB) only when first used.
 */
type Feature = (context: vscode.ExtensionContext) => void | Teardown;
/** Asynchronous work deactivation must wait for (stopping running queries, closing stores). */
type Teardown = () => Promise<void>;

const FEATURES: Feature[] = [registerDiagnostics, registerInvestigation, registerInsightsLanguage];
const teardowns: Teardown[] = [];

export function activate(context: vscode.ExtensionContext): void {
  for (const register of FEATURES) {
    const teardown = register(context);
    if (teardown) teardowns.push(teardown);
  }
}

export async function deactivate(): Promise<void> {
  await Promise.allSettled(teardowns.splice(0).map((teardown) => teardown()));
}
