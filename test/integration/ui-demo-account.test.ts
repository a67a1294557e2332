// The demo account behind trailscope.endpointUrl, served by the local AWS-compatible endpoint: the tree
// reaches it through the real SDK (accounts, regions, trails with health, log groups), and cancelling an
// Insights query from a results panel stops it on the service with StopQuery.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startEndpoint, type RunningEndpoint } from '../../src/endpoint/server';
import { evidenceBackend } from '../../src/endpoint/evidence-backend';
import { ResultController, type PanelEffects } from '../../src/extension/results/controller';
import { targetOfNode } from '../../src/extension/commands/context';
import { createServices } from '../../src/extension/services/adapters';
import type { Services } from '../../src/extension/services/ports';
import { Explorer } from '../../src/extension/tree/explorer';
import type { Node } from '../../src/extension/tree/nodes';
import { DEMO_PROFILE } from '../../src/extension/wizards/target';
import { ingestPaths } from '../../src/sources/evidence/ingest/index';
import { EvidenceSource } from '../../src/sources/evidence/source';
import { EvidenceStore } from '../../src/sources/evidence/store';
import type { HostMessage } from '../../src/webview/protocol';
import { fixture, waitFor } from './environment';

async function find(explorer: Explorer, parent: Node | undefined, label: string): Promise<Node> {
  const children = await explorer.getChildren(parent);
  const found = children.find((node) => explorer.getTreeItem(node).label === label);
  assert.ok(found, `"${label}" among ${children.map((n) => String(explorer.getTreeItem(n).label)).join(' | ')}`);
  return found;
}

describe('investigation UI: the demo account on the local endpoint', function () {
  this.timeout(60_000);
  let scratch: string;
  let data: EvidenceSource;
  let endpoint: RunningEndpoint;
  let services: Services;
  let explorer: Explorer;

  before(async () => {
    // The endpoint's data lives outside the workspace, so it does not show up as an evidence store.
    scratch = mkdtempSync(join(tmpdir(), 'trailscope-demo-'));
    mkdirSync(join(scratch, 'in'));
    copyFileSync(fixture('otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'), join(scratch, 'in', 'trail.json'));
    const store = await EvidenceStore.open(join(scratch, 'demo.duckdb'));
    await ingestPaths(store, [join(scratch, 'in')]);
    store.close();
    data = await EvidenceSource.open(join(scratch, 'demo.duckdb'), { readOnly: true });
    endpoint = await startEndpoint({
      backend: evidenceBackend(data),
      trails: [{ Name: 'management-events', HomeRegion: 'us-east-1', IsMultiRegionTrail: false, LogFileValidationEnabled: false, status: { IsLogging: false } }],
      faults: { lookupRatePerSecond: 0 },
    });
    await vscode.workspace.getConfiguration('trailscope').update('endpointUrl', endpoint.url, vscode.ConfigurationTarget.Workspace);
    services = createServices();
    explorer = new Explorer(async () => services);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('trailscope').update('endpointUrl', undefined, vscode.ConfigurationTarget.Workspace);
    explorer?.dispose();
    await services?.live.stopAll();
    await endpoint?.close();
    data?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lists the demo account with its regions, trails (with health) and log groups', async () => {
    const accounts = await find(explorer, undefined, 'Accounts');
    const demo = await find(explorer, accounts, DEMO_PROFILE);
    const region = await find(explorer, demo, 'us-east-1');
    const trail = await find(explorer, await find(explorer, region, 'Trails'), 'management-events');
    const item = explorer.getTreeItem(trail);
    assert.match(String(item.description), /logging stopped/);
    assert.match(String(item.tooltip), /Logging is stopped/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error', 'a trail that records nothing is flagged as an error');
    const groups = await find(explorer, region, 'Log groups');
    await find(explorer, groups, 'CloudTrail');
  });

  it("reads a profile in its own region first, in the tree and in a lookup started from its node", async () => {
    const accounts = await find(explorer, undefined, 'Accounts');
    // test/fixtures/aws/config: incident-readonly has region = eu-west-1; trailscope.regions is us-east-1.
    const profile = await find(explorer, accounts, 'incident-readonly');
    const regions = (await explorer.getChildren(profile)).filter((n) => n.type === 'region').map((n) => String(explorer.getTreeItem(n).label));
    assert.deepEqual(regions, ['eu-west-1', 'us-east-1']);
    assert.deepEqual(targetOfNode(profile), { kind: 'live', profile: 'incident-readonly', regions: ['eu-west-1', 'us-east-1'] });
  });

  it('runs a lookup against the demo account through the real SDK, answering as the evidence does', async () => {
    const request = { attributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'DescribeInstances' }], filters: [], start: '2020-09-13T00:00:00Z', end: '2020-09-15T00:00:00Z' };
    const live = await services.live.source(DEMO_PROFILE, ['us-east-1']).lookupEvents(request);
    const offline = await data.lookupEvents(request);
    assert.ok(live.length > 0);
    assert.deepEqual(live.map((e) => e.EventId), offline.map((e) => e.EventId));
    assert.ok(endpoint.requests.some((r) => r.operation === 'LookupEvents'));
  });

  it('cancelling a running Insights query from the panel calls StopQuery', async () => {
    endpoint.faults = { ...endpoint.faults, queryRunningPolls: 1000 };
    const source = services.live.source(DEMO_PROFILE, ['us-east-1']);
    const [group] = await source.logGroups();
    assert.ok(group);
    const posted: HostMessage[] = [];
    const effects = { post: (m: HostMessage) => void posted.push(m) } as unknown as PanelEffects;
    const controller = new ResultController({ title: 'slow', source, target: { kind: 'live', profile: DEMO_PROFILE, regions: ['us-east-1'] } }, effects, 'insights');
    await controller.handle({ type: 'ready' });
    const running = controller.start({
      kind: 'insights',
      run: (sink, signal) => source.runInsights({ query: 'stats count(*) by eventName', logGroups: [group.arn ?? group.name], start: '2020-09-13T00:00:00Z', end: '2020-09-15T00:00:00Z' }, { signal, onProgress: sink.poll }),
    });
    // The query must be running on the service before the cancel, or the StopQuery below proves nothing.
    await waitFor(() => (endpoint.requests.some((r) => r.operation === 'GetQueryResults') ? true : undefined), 'the query to be polled (GetQueryResults)');
    await controller.handle({ type: 'cancel' });
    await running;
    assert.ok(endpoint.requests.some((r) => r.operation === 'StopQuery'), 'StopQuery was sent');
    assert.deepEqual(posted.at(-1), { type: 'done', status: 'Cancelled', message: 'Cancelled by you' });
  });
});
