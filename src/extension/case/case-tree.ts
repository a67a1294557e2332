import * as vscode from 'vscode';
import { evidenceLabel, type Finding, type JournalEntry, type SavedQuery } from '../../core/case/case-file';
import { findingsByTime } from '../../core/case/edit';
import { recordOfEvent, type LookupEvent } from '../../core/cloudtrail/event';
import { describeRange, describeRequest } from '../../core/lookup/request';
import { logGroupName } from '../../core/log-group-name';
import type { ResultField } from '../../core/results';
import { targetLabel } from '../../core/target';
import { displayText, tooltipText } from '../display-text';
import type { ActiveCase } from './active-case';

export type CaseNode =
  | { type: 'findings'; findings: Finding[] }
  | { type: 'queries'; queries: SavedQuery[] }
  | { type: 'journal'; journal: JournalEntry[] }
  | { type: 'entry'; entry: JournalEntry }
  | { type: 'problems'; problems: string[] }
  | { type: 'problem'; text: string }
  | { type: 'finding'; finding: Finding }
  | { type: 'query'; query: SavedQuery };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** What the tree says of a pinned event: when, who, what it touched. */
function eventLines(event: LookupEvent): { time: string; who?: string; details: Array<string | undefined>; failed: boolean } {
  const record = recordOfEvent(event);
  const who = event.Username ?? text(record.userIdentity?.arn);
  const details = [
    `${event.EventSource ?? ''} ${event.EventName ?? ''}`.trim(),
    `time: ${event.EventTime}`,
    who && `principal: ${who}`,
    event.AccessKeyId && `access key: ${event.AccessKeyId}`,
    text(record.sourceIPAddress) && `source IP: ${text(record.sourceIPAddress)}`,
    `event ID: ${event.EventId}`,
  ];
  return { time: event.EventTime, who, details, failed: text(record.errorCode) !== undefined };
}

/** What the tree says of a pinned log record: its time and every field, and the query that returned it. */
function recordLines(finding: Finding & { record: ResultField[]; query: string }): { time?: string; details: string[] } {
  const time = finding.record.find((f) => f.field === '@timestamp')?.value;
  return { time, details: [...finding.record.filter((f) => f.field !== '@ptr').map((f) => `${f.field}: ${f.value}`), `query: ${finding.query}`] };
}

function findingItem(finding: Finding): vscode.TreeItem {
  const about = 'event' in finding ? eventLines(finding.event) : { ...recordLines(finding), who: undefined, failed: false };
  const item = new vscode.TreeItem(displayText(evidenceLabel(finding), 80));
  item.description = displayText([about.time, about.who, finding.note].filter(Boolean).join(' · '), 160);
  item.tooltip = tooltipText([...about.details, `found in: ${targetLabel(finding.target)}`, finding.note && `note: ${finding.note}`]);
  item.iconPath = new vscode.ThemeIcon('event' in finding ? (about.failed ? 'pinned-dirty' : 'pinned') : 'note');
  item.contextValue = 'caseFinding';
  item.command = { title: 'Open finding', command: 'trailscope.openFinding', arguments: [{ type: 'finding', finding }] };
  return item;
}

function queryItem(query: SavedQuery): vscode.TreeItem {
  const item = new vscode.TreeItem(displayText(query.name, 80));
  const what = query.kind === 'lookup' ? describeRequest(query.request) : query.logGroups.map(logGroupName).join(', ');
  item.description = displayText(`${targetLabel(query.target)} · ${what}`, 160);
  const range = describeRange(query.kind === 'lookup' ? query.request : query);
  // An Insights query is written over several lines, and its tooltip shows them as lines.
  const lines = query.kind === 'lookup' ? [what] : [what, ...query.query.split(/\r?\n/)];
  item.tooltip = tooltipText([`${query.kind === 'lookup' ? 'Lookup' : 'Insights query'} in ${targetLabel(query.target)}, ${range}`, ...lines, `saved ${query.savedAt}`], 4000);
  item.iconPath = new vscode.ThemeIcon(query.kind === 'lookup' ? 'search' : 'graph');
  item.contextValue = 'caseQuery';
  item.command = { title: 'Run saved query', command: 'trailscope.runSavedQuery', arguments: [{ type: 'query', query }] };
  return item;
}

/** A section of the view: its name, and how many entries it holds or, while it holds none, how to add one. */
function sectionItem(label: string, count: number, hint: string, icon: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
  item.description = count === 0 ? hint : String(count);
  item.iconPath = new vscode.ThemeIcon(icon);
  return item;
}

/** The "Investigation Case" view: the active case's findings (in time order) and saved queries. */
export class CaseTree implements vscode.TreeDataProvider<CaseNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CaseNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly active: ActiveCase) {
    this.subscription = active.onDidChange(() => this.changed.fire(undefined));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  getTreeItem(node: CaseNode): vscode.TreeItem {
    switch (node.type) {
      case 'findings':
        return sectionItem('Findings', node.findings.length, 'pin events and rows from a results panel', 'pinned');
      case 'queries':
        return sectionItem('Saved queries', node.queries.length, 'save one from a results panel', 'bookmark');
      case 'journal':
        return sectionItem('Journal', node.journal.length, 'what was done when', 'notebook');
      case 'entry': {
        const item = new vscode.TreeItem(displayText(node.entry.text, 80));
        item.description = node.entry.at.replace('.000Z', 'Z');
        item.tooltip = tooltipText([node.entry.at, node.entry.text], 4000);
        item.iconPath = new vscode.ThemeIcon('comment');
        item.contextValue = 'caseJournalEntry';
        return item;
      }
      case 'problems': {
        const item = new vscode.TreeItem(`Case file: ${node.problems.length} ${node.problems.length === 1 ? 'problem' : 'problems'}`, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('warning');
        item.tooltip = 'What is not valid is left out until fixed in the file; the case is not changed meanwhile, so nothing is lost.';
        item.command = { title: 'Open case file', command: 'trailscope.openCaseFile' };
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(displayText(node.text, 300));
        item.tooltip = displayText(node.text, 2000);
        item.command = { title: 'Open case file', command: 'trailscope.openCaseFile' };
        return item;
      }
      case 'finding':
        return findingItem(node.finding);
      case 'query':
        return queryItem(node.query);
    }
  }

  async getChildren(node?: CaseNode): Promise<CaseNode[]> {
    if (!node) {
      const state = await this.active.current();
      if (!state) return [];
      if ('error' in state) return [{ type: 'problems', problems: [state.error] }];
      const { investigation, problems } = state;
      return [
        ...(problems.length > 0 ? [{ type: 'problems', problems } as const] : []),
        { type: 'findings', findings: findingsByTime(investigation) },
        { type: 'journal', journal: investigation.journal },
        { type: 'queries', queries: investigation.queries },
      ];
    }
    if (node.type === 'findings') return node.findings.map((finding) => ({ type: 'finding', finding }));
    if (node.type === 'queries') return node.queries.map((query) => ({ type: 'query', query }));
    if (node.type === 'journal') return node.journal.map((entry) => ({ type: 'entry', entry }));
    if (node.type === 'problems') return node.problems.map((problem) => ({ type: 'problem', text: problem }));
    return [];
  }
}
