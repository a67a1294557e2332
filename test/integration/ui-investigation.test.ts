// The investigation UI inside the real VS Code: its commands, the Trailscope tree over a store built
// from real CloudTrail records, a lookup opening a results panel, and hostile log values in the tree.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createServices } from '../../src/extension/services/adapters';
import type { Services } from '../../src/extension/services/ports';
import { evidenceStorePaths } from '../../src/extension/targets';
import { Explorer } from '../../src/extension/tree/explorer';
import type { Node } from '../../src/extension/tree/nodes';
import { ingestPaths } from '../../src/sources/evidence/ingest/index';
import { EvidenceStore } from '../../src/sources/evidence/store';
import { fixture, testEnvironment, waitFor } from './environment';


/** A hostile folder name becomes a log group name (AWSLogs/<owner>/…): HTML and a bidi override. */
const HOSTILE = 'evil<img src=x onerror=alert(1)>\u202egpj.exe';
const OTRF = ['otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'];

async function buildStore(path: string): Promise<void> {
  const input = join(testEnvironment().workspace, 'input');
  rmSync(input, { recursive: true, force: true });
  mkdirSync(input, { recursive: true });
  copyFileSync(fixture(...OTRF), join(input, 'trail.json'));
  // One more record, delivered under the hostile owner folder.
  const first = JSON.parse(readFileSync(fixture(...OTRF), 'utf8').split('\n')[0]!) as Record<string, unknown>;
  const hostileFolder = join(input, 'AWSLogs', HOSTILE, 'CloudTrail');
  mkdirSync(hostileFolder, { recursive: true });
  writeFileSync(join(hostileFolder, 'extra.json'), JSON.stringify({ Records: [{ ...first, eventID: 'hostile-0000-0000-0000-000000000001' }] }));
  const store = await EvidenceStore.open(path);
  try {
    await ingestPaths(store, [input]);
  } finally {
    store.close();
  }
}

async function labels(explorer: Explorer, node?: Node): Promise<Array<[string, Node]>> {
  const children = await explorer.getChildren(node);
  return children.map((child) => {
    const label = explorer.getTreeItem(child).label;
    assert.equal(typeof label, 'string', 'tree labels are plain strings, never markup');
    return [label as string, child];
  });
}

async function child(explorer: Explorer, parent: Node | undefined, label: string | RegExp): Promise<Node> {
  const all = await labels(explorer, parent);
  const found = all.find(([text]) => (typeof label === 'string' ? text === label : label.test(text)));
  assert.ok(found, `"${String(label)}" among ${all.map(([text]) => text).join(' | ')}`);
  return found[1];
}

describe('investigation UI', function () {
  const storePath = join(testEnvironment().workspace, 'incident.duckdb');
  let services: Services;
  let explorer: Explorer;

  before(async function () {
    this.timeout(60_000);
    await buildStore(storePath);
    services = createServices();
    explorer = new Explorer(async () => services);
  });

  after(async () => {
    explorer.dispose();
    await services.evidence.closeAll();
  });

  it('registers every command the manifest contributes (palette, tree, editor and notebook menus)', async () => {
    const manifest = vscode.extensions.getExtension('trailscope.trailscope')?.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 30, `${contributed.length} commands contributed`);
    const registered = await vscode.commands.getCommands(true);
    assert.deepEqual(contributed.filter((id) => !registered.includes(id)), [], 'contributed but not registered');
  });

  it('shows the AWS profiles under Accounts and the workspace store under Evidence, with its facts', async () => {
    const roots = await labels(explorer);
    assert.deepEqual(roots.map(([text]) => text), ['Accounts', 'Evidence']);
    const accounts = await labels(explorer, roots[0]![1]);
    assert.deepEqual(accounts.map(([text]) => text), ['default', 'incident-readonly']);
    const store = await child(explorer, roots[1]![1], 'incident.duckdb');
    assert.equal(explorer.getTreeItem(store).contextValue, 'evidenceStore');
    await child(explorer, roots[1]![1], 'Ingest evidence…');
    const facets = await labels(explorer, store);
    const records = explorer.getTreeItem(facets.find(([text]) => text === 'Records')![1]);
    assert.match(String(records.description), /^104 events/, 'the 103 records of the data set and the extra one');
    assert.match(String(records.tooltip), /^104 CloudTrail events\n[\d,]+ VPC flow records\n/, 'the tooltip keeps its lines');
    const account = explorer.getTreeItem(facets.find(([text]) => text === 'Account')![1]);
    assert.match(String(account.description), /^\d{12}$/);
    const trails = await child(explorer, store, 'CloudTrail');
    const groups = await labels(explorer, trails);
    assert.ok(groups.length >= 1);
    assert.equal(explorer.getTreeItem(groups[0]![1]).contextValue, 'logGroup.cloudtrail', 'log groups offer Run Insights query');
  });

  it('drops an account answer that arrives after a refresh, and asks again', async () => {
    // The first answer is a failure that comes late (an expired session, before the responder signed in
    // and pressed Refresh); the second, asked after the refresh, succeeds.
    const answers: Array<{ settle: (id?: string) => void }> = [];
    const live = {
      ...services.live,
      accountId: () =>
        new Promise<string>((resolve, reject) => {
          answers.push({ settle: (id) => (id ? resolve(id) : reject(new Error('The AWS SSO session of profile "default" is missing or expired.'))) });
        }),
    };
    const slow = new Explorer(async () => ({ ...services, live }));
    try {
      const profile: Node = { type: 'profile', profile: 'default', demo: false };
      await slow.getChildren(profile);
      await waitFor(() => (answers.length === 1 ? true : undefined), 'the account ID to be asked for');
      slow.refresh();
      answers[0]!.settle();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const after = (await slow.getChildren(profile)).map((n) => slow.getTreeItem(n).label);
      assert.ok(!after.some((label) => String(label).includes('expired')), `no stale warning: ${after.join(' | ')}`);
      await waitFor(() => (answers.length === 2 ? true : undefined), 'the account ID to be asked for again');
      answers[1]!.settle('111122223333');
      await waitFor(() => (slow.getTreeItem(profile).description === '111122223333' ? true : undefined), 'the account ID');
    } finally {
      slow.dispose();
    }
  });

  it('shows hostile log group names literally, with hidden characters made visible, in labels and tooltips', async () => {
    const [, evidence] = (await labels(explorer))[1]!;
    const store = await child(explorer, evidence, 'incident.duckdb');
    const trails = await child(explorer, store, 'CloudTrail');
    const items = (await explorer.getChildren(trails)).map((node) => explorer.getTreeItem(node));
    const hostile = items.find((item) => String(item.label).includes('onerror'));
    assert.ok(hostile, `the hostile log group is listed among ${items.map((i) => String(i.label)).join(' | ')}`);
    assert.ok(String(hostile.label).includes('<img src=x onerror=alert(1)>'), 'markup shown as text');
    assert.ok(!String(hostile.label).includes('\u202e'), 'the bidi override is not passed through');
    assert.ok(String(hostile.label).includes('⟨U+202E⟩'));
    assert.equal(typeof hostile.tooltip, 'string', 'tooltip is plain text, not a MarkdownString');
    const tooltip = String(hostile.tooltip).split('\n');
    assert.ok(tooltip[0]!.includes('<img src=x onerror=alert(1)>⟨U+202E⟩gpj.exe'), `tooltip: ${tooltip[0]}`);
    assert.equal(tooltip[1], 'kind: CloudTrail', 'the name stays one line of the tooltip');
  });

  it('filters log groups by name and says so', async () => {
    explorer.setLogGroupFilter('no-such-group');
    const [, evidence] = (await labels(explorer))[1]!;
    const store = await child(explorer, evidence, 'incident.duckdb');
    const all = await labels(explorer, store);
    assert.ok(!all.some(([text]) => text === 'CloudTrail'), 'the CloudTrail kind is hidden when no group matches');
    explorer.setLogGroupFilter('');
    await child(explorer, store, 'CloudTrail');
  });

  it('offers "Run on log groups…" above a query in the Insights language', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'logs-insights', content: 'stats count(*) by eventName\n' });
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const run = lenses.find((lens) => lens.command?.command === 'trailscope.runQueryFromEditor');
    assert.ok(run, 'the CodeLens is there');
    assert.match(run.command!.title, /Run on log groups…/);
    assert.equal(run.range.start.line, 0);
  });

  it('runs a lookup on the store and opens its results panel', async function () {
    this.timeout(30_000);
    const before = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    await vscode.commands.executeCommand('trailscope.lookupEvents', {
      target: { kind: 'evidence', path: storePath },
      request: { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }], filters: [] },
      title: 'GetObject in the incident',
    });
    const tab = await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'GetObject in the incident'),
      'the results panel',
      10_000,
    );
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.ok(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length > before);
  });

  it('ingests the files and folders selected in the Explorer into the store picked, asking for no files', async function () {
    this.timeout(60_000);
    const folder = join(testEnvironment().workspace, '0-explorer-ingest');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(join(folder, 'download', 'nested'), { recursive: true });
    copyFileSync(fixture(...OTRF), join(folder, 'download', 'nested', 'trail.json'));
    const flows = join(folder, 'flows.log');
    writeFileSync(flows, 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n' +
      '2 123456789123 eni-0abc 10.0.0.9 198.51.100.7 443 50000 6 10 840 1600044260 1600044320 ACCEPT OK\n');
    // An existing store, which the quick pick offers first (stores are listed by path).
    const storePath = join(folder, 'evidence.duckdb');
    (await EvidenceStore.open(storePath)).close();
    assert.equal((await evidenceStorePaths())[0], storePath);

    // As VS Code calls it from the Explorer's context menu: the item clicked, then the whole selection.
    const clicked = vscode.Uri.file(join(folder, 'download'));
    let settled = false;
    const done = Promise.resolve(vscode.commands.executeCommand('trailscope.ingestEvidence', clicked, [clicked, vscode.Uri.file(flows)]))
      .finally(() => (settled = true));
    // The responder picks the store; no file dialog comes first, or this pick would never show.
    for (const deadline = Date.now() + 30_000; !settled && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    assert.ok(settled, 'the ingest did not finish: something it asked is still waiting for an answer');
    await done;
    const store = await EvidenceStore.open(storePath, { readOnly: true });
    try {
      const counts = await store.all<{ events: number; flows: number }>('SELECT (SELECT count(*) FROM cloudtrail)::INT AS events, (SELECT count(*) FROM flows)::INT AS flows');
      assert.deepEqual(counts, [{ events: 103, flows: 1 }]);
      const files = await store.all<{ path: string }>('SELECT path FROM manifest ORDER BY path');
      assert.deepEqual(files.map((f) => f.path), [join(folder, 'download', 'nested', 'trail.json'), flows]);
    } finally {
      store.close();
    }
  });

  it('reopens a saved result file in a results panel', async function () {
    this.timeout(30_000);
    const record = JSON.parse(readFileSync(fixture(...OTRF), 'utf8').split('\n')[0]!) as Record<string, string>;
    const event = { EventId: record.eventID, EventName: record.eventName, EventTime: record['@timestamp'], EventSource: record.eventSource, CloudTrailEvent: JSON.stringify(record) };
    const saved = join(testEnvironment().workspace, 'saved-result.json');
    writeFileSync(saved, JSON.stringify({ Events: [event] }, null, 2));
    const target = { kind: 'evidence', path: storePath };
    await vscode.commands.executeCommand('trailscope.openResultFile', { file: vscode.Uri.file(saved), target });
    const tab = await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === '1 event · saved-result.json'),
      'the saved result in a results panel',
      10_000,
    );
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });
});
