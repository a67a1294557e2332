import * as vscode from 'vscode';
import type { QuerySpec } from '../../core/case/case-file';
import { logGroupName } from '../../core/log-group-name';
import { describeRange } from '../../core/lookup/request';
import { targetLabel, type Target } from '../../core/target';
import type { LogGroupInfo, LogKind } from '../../sources/source';
import { displayText } from '../display-text';
import { settings } from '../settings';
import { availableTargets, sourceFor } from '../targets';
import type { Node } from '../tree/nodes';
import { insightsWizard, type InsightsChoice, type InsightsWizardInput } from '../wizards/insights-wizard';
import { vscodePrompter } from '../wizards/vscode-prompter';
import { targetOfNode, type Investigation } from './context';

/** The language id of the query editor (the Insights language area registers it). */
export const INSIGHTS_LANGUAGE = 'logs-insights';

/** Where a query written in an untitled editor runs, remembered from the wizard that opened it. */
const editorTargets = new Map<string, { target: Target; logGroups: LogGroupInfo[] }>();

/** The kinds of log group an editor's query runs on, when known: completion offers their fields only. */
export function editorLogKinds(uri: vscode.Uri): LogKind[] | undefined {
  return editorTargets.get(uri.toString())?.logGroups.map((g) => g.kind);
}

/**
 * A log group's or a kind's groups, all of them: a store's query searches every group of a kind; for a
 * live kind of more than a query may search, the wizard asks which, saying why.
 */
function nodeLogGroups(node: Node | undefined): LogGroupInfo[] | undefined {
  if (node?.type === 'logGroup') return [node.group];
  if (node?.type === 'kind') return node.groups;
  return undefined;
}

export async function insightsWizardInput(app: Investigation, node: Node | undefined): Promise<InsightsWizardInput> {
  const services = await app.services();
  // An account's node names no one region, and a query runs in one: the wizard asks.
  const target = node?.type === 'profile' ? undefined : targetOfNode(node);
  return {
    prompter: vscodePrompter,
    memory: app.memory,
    targets: target ? [] : await availableTargets(services),
    regions: settings().regions,
    listLogGroups: async (t, signal) => (await sourceFor(services, t)).logGroups({ signal }),
    library: await services.library.queries(),
    savedQueries: async (t, signal) => (t.kind === 'live' ? services.live.savedQueries(t.profile, t.regions[0] ?? settings().regions[0] ?? 'us-east-1', { signal }) : []),
    target,
    logGroups: nodeLogGroups(node),
  };
}

/** "Trailscope: Run Insights Query…", from the palette or a log group, kind or store in the tree. */
export async function runInsightsQuery(app: Investigation, node?: Node, libraryOnly = false): Promise<void> {
  const result = await insightsWizard({ ...(await insightsWizardInput(app, node)), libraryOnly });
  if (!result) return;
  if ('newQuery' in result) {
    await openQueryEditor(result.newQuery.target, result.newQuery.logGroups);
    return;
  }
  await runChoice(app, result);
}

/** A new untitled query editor, remembering where its query will run. */
async function openQueryEditor(target: Target, logGroups: LogGroupInfo[]): Promise<void> {
  // Names come from logs: shown with visible markers, so a newline in one cannot add a line to the query.
  const header = `# Runs on ${displayText(targetLabel(target))}: ${logGroups.map((g) => displayText(g.name)).join(', ')}\n`;
  const document = await vscode.workspace.openTextDocument({ language: INSIGHTS_LANGUAGE, content: `${header}fields @timestamp, @message\n| sort @timestamp desc\n| limit 100\n` });
  editorTargets.set(document.uri.toString(), { target, logGroups });
  await vscode.window.showTextDocument(document);
}

/** "Run on log groups…" (editor title button and CodeLens): the editor's query, on its remembered or newly chosen log groups. */
export async function runQueryFromEditor(app: Investigation, uri?: vscode.Uri, chooseAgain = false): Promise<void> {
  const editor = uri ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) : vscode.window.activeTextEditor;
  const document = editor?.document ?? (uri ? await vscode.workspace.openTextDocument(uri) : undefined);
  if (!document) return;
  const query = document.getText();
  if (query.trim() === '') {
    void vscode.window.showWarningMessage('The query editor is empty.');
    return;
  }
  const known = chooseAgain ? undefined : editorTargets.get(document.uri.toString());
  const input = await insightsWizardInput(app, undefined);
  // Re-running asks only for the time range; "Change log groups…" goes through every step again.
  const result = await insightsWizard({ ...input, query, ...(known ? { target: known.target, logGroups: known.logGroups } : {}) });
  if (!result || 'newQuery' in result) return;
  editorTargets.set(document.uri.toString(), { target: result.target, logGroups: result.logGroups });
  await runChoice(app, { ...result, title: vscode.workspace.asRelativePath(document.uri) });
}

function runChoice(app: Investigation, choice: InsightsChoice): Promise<void> {
  const { target, query, range } = choice;
  return runInsights(app, { kind: 'insights', target, query, logGroups: choice.logGroups.map((g) => g.arn ?? g.name), start: range.start, end: range.end }, choice.title);
}

/** Opens a panel for an Insights query; its rows arrive with each poll. */
export async function runInsights(app: Investigation, spec: QuerySpec & { kind: 'insights' }, title: string): Promise<void> {
  const source = await sourceFor(await app.services(), spec.target);
  const names = spec.logGroups.map(logGroupName).join(', ');
  app.panels.show(
    { title, query: `${spec.query.trim().replace(/\s*\n\s*/g, ' ')} — ${targetLabel(spec.target)} · ${names} · ${describeRange(spec)}`, source, target: spec.target, spec },
    {
      kind: 'insights',
      run: (sink, signal) => source.runInsights({ query: spec.query, logGroups: spec.logGroups, start: spec.start, end: spec.end }, { signal, onProgress: sink.poll }),
    },
  );
}

/** "Run on log groups…" above the first line of every query editor. */
export class RunQueryCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const known = editorTargets.get(document.uri.toString());
    const where = known && (known.logGroups.length === 1 ? displayText(known.logGroups[0]!.name, 60) : `${known.logGroups.length} log groups`);
    const title = known ? `$(play) Run on ${where} (${displayText(targetLabel(known.target), 60)})` : '$(play) Run on log groups…';
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(top, { title, command: 'trailscope.runQueryFromEditor', arguments: [document.uri] })];
    if (known) lenses.push(new vscode.CodeLens(top, { title: 'Change log groups…', command: 'trailscope.runQueryFromEditor', arguments: [document.uri, true] }));
    return lenses;
  }
}
