import * as vscode from 'vscode';
import { guarded, type Investigation } from './commands/context';
import { ingestEvidence } from './commands/ingest';
import { INSIGHTS_LANGUAGE, RunQueryCodeLens, runInsightsQuery, runQueryFromEditor } from './commands/insights';
import { lookupEvents, openEventById } from './commands/lookup';
import { showRelatedEvents } from './commands/related';
import { openResultFile } from './commands/result-file';
import { ResultsPanels } from './results/panels';
import { loadServices } from './services/load';
import type { Services } from './services/ports';
import { Explorer } from './tree/explorer';
import type { Node } from './tree/nodes';

/**
 * The investigation UI: the Trailscope tree, the palette commands and their wizards, and the results
 * panels. Registration only; the sources (DuckDB, the AWS SDK, credentials) load on first use from their
 * own bundle (services/load.ts), so activation neither loads nor parses them.
 */
export function registerInvestigation(context: vscode.ExtensionContext): () => Promise<void> {
  let loaded: Promise<Services> | undefined;
  const services = () => (loaded ??= Promise.resolve().then(loadServices));
  const explorer = new Explorer(services);
  const panels = new ResultsPanels(context.extensionUri, services);
  const app: Investigation = { services, explorer, panels, memory: context.workspaceState };
  const view = vscode.window.createTreeView('trailscope.explorer', { treeDataProvider: explorer, showCollapseAll: true });

  const setFilter = async (filter: string) => {
    explorer.setLogGroupFilter(filter);
    view.description = filter ? `log groups: "${filter.length > 30 ? `${filter.slice(0, 29)}…` : filter}"` : undefined;
    await vscode.commands.executeCommand('setContext', 'trailscope.logGroupFilter', filter !== '');
  };
  const commands: Record<string, (...args: never[]) => unknown> = {
    'trailscope.lookupEvents': guarded('Lookup events', (arg?: Node) => lookupEvents(app, arg)),
    'trailscope.runInsightsQuery': guarded('Insights query', (node?: Node) => runInsightsQuery(app, node)),
    'trailscope.runLibraryQuery': guarded('Insights query', (node?: Node) => runInsightsQuery(app, node, true)),
    'trailscope.runQueryFromEditor': guarded('Insights query', (uri?: vscode.Uri, chooseAgain?: boolean) => runQueryFromEditor(app, uri, chooseAgain)),
    'trailscope.ingestEvidence': guarded('Ingest evidence', (node?: Node) => ingestEvidence(app, node)),
    'trailscope.openEventById': guarded('Open event', (node?: Node) => openEventById(app, node)),
    'trailscope.showRelatedEvents': guarded('Related events', (node?: Node) => showRelatedEvents(app, node)),
    'trailscope.openResultFile': guarded('Open result file', (arg?: vscode.Uri) => openResultFile(app, arg)),
    'trailscope.refreshExplorer': () => explorer.refresh(),
    'trailscope.loadMore': (node: Node & { type: 'more' }) => explorer.showMore(node),
    'trailscope.clearLogGroupFilter': () => setFilter(''),
    'trailscope.filterLogGroups': async () => {
      const filter = await vscode.window.showInputBox({ title: 'Filter log groups', prompt: 'Part of a log group name (case-insensitive); empty shows all', value: explorer.logGroupFilter });
      if (filter !== undefined) await setFilter(filter);
    },
  };
  const stores = vscode.workspace.createFileSystemWatcher('**/*.duckdb', false, true, false);
  context.subscriptions.push(
    stores,
    stores.onDidCreate(() => explorer.refresh()),
    stores.onDidDelete(() => explorer.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('trailscope')) explorer.refresh();
    }),
    view,
    explorer,
    panels,
    vscode.languages.registerCodeLensProvider({ language: INSIGHTS_LANGUAGE }, new RunQueryCodeLens()),
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  );

  // Deactivation: stop every running Insights query (StopQuery, so nothing keeps billing) and close the stores.
  return async () => {
    if (!loaded) return;
    const { live, evidence } = await loaded;
    await Promise.allSettled([live.stopAll(), evidence.closeAll()]);
  };
}
