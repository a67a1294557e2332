import * as vscode from 'vscode';
import { ActiveCase } from './case/active-case';
import { CaseTree, type CaseNode } from './case/case-tree';
import { addJournal, editJournal, editNote, exportTimeline, newCase, openCase, openCaseFile, openFinding, pinEvent, removeJournal, removeQuery, runSavedQuery, saveQuery, unpin } from './commands/case';
import { guarded, type Investigation } from './commands/context';
import { ingestEvidence } from './commands/ingest';
import { INSIGHTS_LANGUAGE, RunQueryCodeLens, runInsightsQuery, runQueryFromEditor } from './commands/insights';
import { lookupEvents, openEventById } from './commands/lookup';
import { showRelatedEvents } from './commands/related';
import { openResultFile } from './commands/result-file';
import { displayText } from './display-text';
import { ResultsPanels } from './results/panels';
import { registerNotebooks } from './notebook';
import { loadServices } from './services/load';
import type { Services } from './services/ports';
import { Explorer } from './tree/explorer';
import type { Node } from './tree/nodes';

/**
 * A command of an item of the case view. Run from elsewhere (a keybinding, another extension), it has no
 * item to act on, and says where to find one rather than failing on the missing argument.
 */
function onCaseNode<T extends CaseNode['type']>(type: T, name: string, run: (node: Extract<CaseNode, { type: T }>) => Promise<unknown>): (node?: unknown) => Promise<void> {
  return guarded(name, async (node?: unknown) => {
    if (typeof node === 'object' && node !== null && (node as { type?: unknown }).type === type) await run(node as Extract<CaseNode, { type: T }>);
    else void vscode.window.showInformationMessage(`${name}: choose the ${type === 'entry' ? 'journal entry' : type} in the Investigation Case view.`);
  });
}

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
  const cases = new ActiveCase(context.workspaceState);
  const caseTree = new CaseTree(cases);
  const app: Investigation = { services, explorer, panels, cases, memory: context.workspaceState };
  const view = vscode.window.createTreeView('trailscope.explorer', { treeDataProvider: explorer, showCollapseAll: true });
  const caseView = vscode.window.createTreeView('trailscope.case', { treeDataProvider: caseTree });
  // The case's title, beside the view's name; the file is read when the view is first shown.
  const titleCaseView = async () => {
    const state = await cases.current();
    caseView.description = state && 'investigation' in state ? displayText(state.investigation.title, 60) : undefined;
  };

  const setFilter = async (filter: string) => {
    explorer.setLogGroupFilter(filter);
    view.description = filter ? `log groups: "${filter.length > 30 ? `${filter.slice(0, 29)}…` : filter}"` : undefined;
    await vscode.commands.executeCommand('setContext', 'trailscope.logGroupFilter', filter !== '');
  };
  const commands: Record<string, (...args: never[]) => unknown> = {
    'trailscope.lookupEvents': guarded('Lookup events', (arg?: Node) => lookupEvents(app, arg)),
    'trailscope.runInsightsQuery': guarded('Insights query', (node?: Node) => runInsightsQuery(app, node)),
    'trailscope.runLibraryQuery': guarded('Insights query', (node?: Node) => runInsightsQuery(app, node, true)),
    // The editor title's button passes (uri, {groupId, …}); only the CodeLens's `true` asks again.
    'trailscope.runQueryFromEditor': guarded('Insights query', (uri?: unknown, chooseAgain?: unknown) => runQueryFromEditor(app, uri instanceof vscode.Uri ? uri : undefined, chooseAgain === true)),
    'trailscope.ingestEvidence': guarded('Ingest evidence', (arg?: Node | vscode.Uri, selected?: vscode.Uri[]) => ingestEvidence(app, arg, selected)),
    'trailscope.openEventById': guarded('Open event', (node?: Node) => openEventById(app, node)),
    'trailscope.showRelatedEvents': guarded('Related events', (node?: Node) => showRelatedEvents(app, node)),
    'trailscope.openResultFile': guarded('Open result file', (arg?: vscode.Uri) => openResultFile(app, arg)),
    'trailscope.newCase': guarded('New case', (args?: Parameters<typeof newCase>[1]) => newCase(app, args)),
    'trailscope.openCase': guarded('Open case', (uri?: vscode.Uri) => openCase(app, uri)),
    'trailscope.pinEvent': guarded('Pin event', () => pinEvent(app)),
    'trailscope.saveQueryToCase': guarded('Save query', (name?: string) => saveQuery(app, name)),
    'trailscope.openFinding': onCaseNode('finding', 'Open finding', (node) => openFinding(app, node)),
    'trailscope.editFindingNote': onCaseNode('finding', 'Edit note', (node) => editNote(app, node)),
    'trailscope.unpinFinding': onCaseNode('finding', 'Unpin', (node) => unpin(app, node)),
    'trailscope.runSavedQuery': onCaseNode('query', 'Run saved query', (node) => runSavedQuery(app, node)),
    'trailscope.removeSavedQuery': onCaseNode('query', 'Remove saved query', (node) => removeQuery(app, node)),
    'trailscope.addJournalEntry': guarded('Journal', (entry?: Parameters<typeof addJournal>[1]) => addJournal(app, entry)),
    'trailscope.editJournalEntry': onCaseNode('entry', 'Journal', (node) => editJournal(app, node)),
    'trailscope.removeJournalEntry': onCaseNode('entry', 'Journal', (node) => removeJournal(app, node)),
    'trailscope.exportCaseTimeline': guarded('Case timeline', () => exportTimeline(app)),
    'trailscope.openCaseFile': guarded('Open case file', () => openCaseFile(app)),
    // Refresh also re-reads each profile's credentials and account (a changed config, a new SSO login).
    'trailscope.refreshExplorer': guarded('Refresh', async () => {
      (await app.services()).live.forget();
      explorer.refresh();
    }),
    'trailscope.loadMore': guarded('Load more', async (node?: Node) => {
      if (node?.type === 'more') explorer.showMore(node);
    }),
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
    caseView,
    caseTree,
    cases,
    cases.onDidChange(() => void titleCaseView()),
    caseView.onDidChangeVisibility(() => void titleCaseView()),
    panels,
    // Query editors only: a notebook's Insights cells run from the notebook.
    vscode.languages.registerCodeLensProvider(['file', 'untitled'].map((scheme) => ({ language: INSIGHTS_LANGUAGE, scheme })), new RunQueryCodeLens()),
    ...registerNotebooks(app),
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  );

  // Deactivation: stop every running Insights query (StopQuery, so nothing keeps billing) and close the stores.
  return async () => {
    if (!loaded) return;
    const { live, evidence } = await loaded;
    await Promise.allSettled([live.stopAll(), evidence.closeAll()]);
  };
}
