import * as vscode from 'vscode';
import type { LogGroupInfo } from '../../sources/source';
import { displayText, tooltipText } from '../display-text';
import type { Services } from '../services/ports';
import { describeFailure, type Failure } from '../errors';
import { settings } from '../settings';
import { evidenceStorePaths, profileRegions, sourceFor } from '../targets';
import { baseName, type Target } from '../../core/target';
import { DEMO_PROFILE } from '../wizards/target';
import { groupByKind, KIND_LABELS, KIND_ORDER, PAGE_SIZE, type Node } from './nodes';

/**
 * The "Trailscope" view: live accounts and local evidence. Nothing is fetched before a node is
 * expanded, so opening the view costs no credential resolution and no store load.
 */
export class Explorer implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filter = '';
  private readonly shown = new Map<string, number>();
  private readonly accountIds = new Map<string, string>();
  private readonly accountErrors = new Map<string, Failure>();
  private readonly resolving = new Set<string>();
  /** Bumped by refresh(): an account ID asked for before it no longer belongs to the tree. */
  private generation = 0;
  private readonly logGroups = new Map<string, Promise<LogGroupInfo[]>>();

  constructor(private readonly services: () => Promise<Services>) {}

  dispose(): void {
    this.changed.dispose();
  }

  get logGroupFilter(): string {
    return this.filter;
  }

  setLogGroupFilter(filter: string): void {
    this.filter = filter.trim();
    this.shown.clear();
    this.changed.fire(undefined);
  }

  refresh(): void {
    // Answers still on their way belong to the tree before the refresh: they are dropped when they come.
    this.generation++;
    this.resolving.clear();
    this.accountIds.clear();
    this.accountErrors.clear();
    this.logGroups.clear();
    this.shown.clear();
    this.changed.fire(undefined);
  }

  showMore(node: Node & { type: 'more' }): void {
    const key = kindKey(node.parent);
    this.shown.set(key, (this.shown.get(key) ?? PAGE_SIZE) + PAGE_SIZE);
    this.changed.fire(node.parent);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.type) {
      case 'accounts':
        return item('Accounts', { icon: 'cloud', state: vscode.TreeItemCollapsibleState.Expanded, context: 'accounts', tooltip: 'AWS profiles from your shared config and credentials files' });
      case 'evidence':
        return item('Evidence', { icon: 'database', state: vscode.TreeItemCollapsibleState.Expanded, context: 'evidenceRoot', tooltip: 'Exported log files ingested into local DuckDB stores' });
      case 'message': {
        const message = item(node.label, { icon: node.icon ?? 'info', tooltip: node.tooltip });
        if (node.command) message.command = { title: node.label, command: node.command.id, arguments: node.command.args };
        return message;
      }
      case 'profile': {
        const id = this.accountIds.get(node.profile);
        return item(node.profile, {
          icon: node.demo ? 'beaker' : 'account',
          state: collapsed,
          context: 'account',
          description: id ?? (node.demo ? 'local endpoint' : undefined),
          tooltip: node.demo ? `Demo account served by ${settings().endpointUrl}` : `AWS profile ${node.profile}${id ? `, account ${id}` : ''}`,
        });
      }
      case 'region':
        return item(node.region, { icon: 'globe', state: collapsed, context: 'region' });
      case 'trails':
        return item('Trails', { icon: 'list-tree', state: collapsed, context: 'trails' });
      case 'trail':
        return item(displayText(node.trail.name), {
          icon: { ok: 'pass', warning: 'warning', error: 'error', unknown: 'question' }[node.trail.health],
          context: 'trail',
          description: displayText(node.trail.description),
          tooltip: tooltipText(node.trail.tooltip),
        });
      case 'logGroups':
        return item('Log groups', {
          icon: 'output',
          state: collapsed,
          context: 'logGroups',
          description: this.filter ? `filter: ${displayText(this.filter, 40)}` : undefined,
        });
      case 'kind':
        return item(KIND_LABELS[node.kind], { icon: 'folder', state: collapsed, context: `kind.${node.kind}`, description: String(node.groups.length) });
      case 'logGroup':
        return item(displayText(node.group.name), {
          icon: 'symbol-file',
          context: `logGroup.${node.group.kind}`,
          description: node.group.records !== undefined ? `${node.group.records.toLocaleString('en-US')} records` : undefined,
          tooltip: tooltipText([node.group.name, `kind: ${KIND_LABELS[node.group.kind]}`, node.group.arn]),
        });
      case 'more': {
        const more = item(`Load more… (${node.remaining.toLocaleString('en-US')} more)`, { icon: 'ellipsis' });
        more.command = { title: 'Load more', command: 'trailscope.loadMore', arguments: [node] };
        return more;
      }
      case 'store': {
        // The folder, when the store is not at the top of the workspace.
        const relative = vscode.workspace.asRelativePath(node.path);
        return item(baseName(node.path), { icon: 'database', state: collapsed, context: 'evidenceStore', description: relative === baseName(node.path) ? undefined : relative, tooltip: node.path });
      }
      case 'facet':
        return item(displayText(node.label), { icon: node.icon, description: displayText(node.description), tooltip: tooltipText(node.tooltip) });
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    try {
      if (!node) return await this.roots();
      return await this.children(node);
    } catch (error) {
      const failure = describeFailure(error);
      return [{ type: 'message', label: failure.short, tooltip: failure.detail, icon: 'error' }];
    }
  }

  /** Nothing to show at all (no profile, no endpoint, no store): the view's welcome content says what to do. */
  private async roots(): Promise<Node[]> {
    const [profiles, stores] = await Promise.all([this.services().then((s) => s.live.profiles()), evidenceStorePaths()]);
    if (profiles.length === 0 && stores.length === 0 && !settings().endpointUrl) return [];
    return [{ type: 'accounts' }, { type: 'evidence' }];
  }

  private async children(node: Node): Promise<Node[]> {
    switch (node.type) {
      case 'accounts':
        return this.accounts();
      case 'evidence':
        return this.stores();
      case 'profile':
        return this.regions(node);
      case 'region':
        return [
          { type: 'trails', profile: node.profile, region: node.region },
          { type: 'logGroups', target: { kind: 'live', profile: node.profile, regions: [node.region] }, region: node.region },
        ];
      case 'trails': {
        const trails = await (await this.services()).live.trails(node.profile, node.region);
        if (trails.length === 0) return [{ type: 'message', label: 'No trails in this region', tooltip: 'Event history (LookupEvents) still covers the last 90 days of management events.' }];
        return trails.map((trail) => ({ type: 'trail', profile: node.profile, region: node.region, trail }));
      }
      case 'logGroups':
        return this.kinds(node.target);
      case 'kind': {
        const limit = this.shown.get(kindKey(node)) ?? PAGE_SIZE;
        const page: Node[] = node.groups.slice(0, limit).map((group) => ({ type: 'logGroup', target: node.target, group }));
        if (node.groups.length > limit) page.push({ type: 'more', parent: node, remaining: node.groups.length - limit });
        return page;
      }
      case 'store':
        return this.storeFacets(node.path);
      default:
        return [];
    }
  }

  private async accounts(): Promise<Node[]> {
    const { live } = await this.services();
    const profiles = await live.profiles();
    const nodes: Node[] = profiles.map((p) => ({ type: 'profile', profile: p.name, demo: false, ...(p.region ? { region: p.region } : {}) }));
    if (settings().endpointUrl) nodes.push({ type: 'profile', profile: DEMO_PROFILE, demo: true });
    if (nodes.length === 0) {
      nodes.push({
        type: 'message',
        label: 'No AWS profiles found',
        icon: 'info',
        tooltip: 'Trailscope reads profiles from ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE). Add one with `aws configure` or `aws configure sso`. Evidence stores below work without an account.',
        command: { id: 'trailscope.ingestEvidence' },
      });
    }
    return nodes;
  }

  private regions(node: Node & { type: 'profile' }): Node[] {
    if (!node.demo) this.resolveAccount(node);
    const nodes: Node[] = profileRegions(node.region).map((region) => ({ type: 'region', profile: node.profile, region }));
    const failure = this.accountErrors.get(node.profile);
    // An expired SSO session or a missing credential shows as a row saying what to do.
    if (failure) nodes.unshift({ type: 'message', label: failure.short, tooltip: failure.detail, icon: 'warning' });
    return nodes;
  }

  /** The account ID arrives in the background: the regions are usable while STS answers. */
  private resolveAccount(node: Node & { type: 'profile' }): void {
    const { profile } = node;
    if (this.accountIds.has(profile) || this.accountErrors.has(profile) || this.resolving.has(profile)) return;
    this.resolving.add(profile);
    const generation = this.generation;
    const current = () => generation === this.generation;
    this.services()
      .then((services) => services.live.accountId(profile))
      .then(
        (id) => current() && this.accountIds.set(profile, id),
        (error: unknown) => current() && this.accountErrors.set(profile, describeFailure(error)),
      )
      .finally(() => {
        if (!current()) return;
        this.resolving.delete(profile);
        this.changed.fire(node);
      });
  }

  private async kinds(target: Target): Promise<Node[]> {
    const key = JSON.stringify(target);
    let groups = this.logGroups.get(key);
    if (!groups) {
      const pending = this.services().then((services) => sourceFor(services, target)).then((source) => source.logGroups());
      // A failure is not cached: the next expansion (after `aws sso login`, say) tries again.
      pending.catch(() => this.logGroups.delete(key));
      this.logGroups.set(key, pending);
      groups = pending;
    }
    const byKind = groupByKind(await groups, this.filter);
    if (byKind.size === 0) {
      return [{ type: 'message', label: this.filter ? `No log group matches "${displayText(this.filter, 40)}"` : 'No log groups', icon: 'info' }];
    }
    return KIND_ORDER.filter((kind) => byKind.has(kind)).map((kind) => ({ type: 'kind', target, kind, groups: byKind.get(kind)! }));
  }

  private async stores(): Promise<Node[]> {
    const paths = await evidenceStorePaths();
    const nodes: Node[] = paths.map((path) => ({ type: 'store', path }));
    nodes.push({ type: 'message', label: 'Ingest evidence…', icon: 'add', tooltip: 'Add CloudTrail, VPC flow log or CloudWatch Logs exports (files, folders, .gz, .zip) to a store', command: { id: 'trailscope.ingestEvidence' } });
    return nodes;
  }

  private async storeFacets(path: string): Promise<Node[]> {
    const handle = await (await this.services()).evidence.open(path);
    const summary = await handle.summary();
    const count = (n: number) => n.toLocaleString('en-US');
    const target: Target = { kind: 'evidence', path };
    const nodes: Node[] = [];
    if (summary.first && summary.last) {
      nodes.push({ type: 'facet', label: 'Time span', description: `${summary.first} → ${summary.last}`, tooltip: [`Earliest record ${summary.first}`, `Latest record ${summary.last}`], icon: 'calendar' });
    }
    const c = summary.counts;
    nodes.push({
      type: 'facet',
      label: 'Records',
      description: `${count(c.cloudtrail)} events · ${count(c.flow)} flows · ${count(c.logs)} log events`,
      tooltip: [`${count(c.cloudtrail)} CloudTrail events`, `${count(c.flow)} VPC flow records`, `${count(c.logs)} other log events`, `from ${count(c.files)} files`],
      icon: 'symbol-number',
    });
    nodes.push({ type: 'facet', label: summary.accounts.length === 1 ? 'Account' : `Accounts (${summary.accounts.length})`, description: summary.accounts.join(', '), tooltip: summary.accounts, icon: 'account' });
    nodes.push({ type: 'facet', label: summary.regions.length === 1 ? 'Region' : `Regions (${summary.regions.length})`, description: summary.regions.join(', '), tooltip: summary.regions, icon: 'globe' });
    const byKind = groupByKind(summary.logGroups, this.filter);
    for (const kind of KIND_ORDER) {
      const list = byKind.get(kind);
      if (list) nodes.push({ type: 'kind', target, kind, groups: list });
    }
    return nodes;
  }
}

function kindKey(node: Node & { type: 'kind' }): string {
  return `${JSON.stringify(node.target)}|${node.kind}`;
}

interface ItemOptions {
  icon?: string;
  state?: vscode.TreeItemCollapsibleState;
  context?: string;
  description?: string;
  tooltip?: string;
}

/** Labels, descriptions and tooltips are plain strings: VS Code renders them as text, never as markup. */
function item(label: string, options: ItemOptions): vscode.TreeItem {
  const treeItem = new vscode.TreeItem(label, options.state ?? vscode.TreeItemCollapsibleState.None);
  if (options.icon) treeItem.iconPath = new vscode.ThemeIcon(options.icon);
  if (options.context) treeItem.contextValue = options.context;
  if (options.description !== undefined) treeItem.description = options.description;
  if (options.tooltip !== undefined) treeItem.tooltip = options.tooltip;
  return treeItem;
}
