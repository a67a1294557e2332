import { screen } from './vscode-stand-in';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUERY_LIBRARY } from '../../../src/core/insights/library';
import type { Target } from '../../../src/core/target';
import type { Investigation } from '../../../src/extension/commands/context';
import { insightsWizardInput } from '../../../src/extension/commands/insights';
import { askForEvent } from '../../../src/extension/commands/lookup';
import type { Node } from '../../../src/extension/tree/nodes';
import { insightsWizard } from '../../../src/extension/wizards/insights-wizard';
import { NO_TARGETS } from '../../../src/extension/wizards/target';
import type { LogGroupInfo } from '../../../src/sources/source';
import { memory, pickLabel, scriptedPrompter } from './scripted-prompter';

delete process.env.TRAILSCOPE_ENDPOINT_URL;

const store: Target = { kind: 'evidence', path: '/ir/case.duckdb' };
const prod: Target = { kind: 'live', profile: 'prod', regions: ['us-east-1'] };
const lambdas: LogGroupInfo[] = Array.from({ length: 120 }, (_, i) => ({ name: `/aws/lambda/fn-${String(i).padStart(3, '0')}`, kind: 'lambda' }));
const exfil = lambdas[119]!;

/** The command's context with the services a test gives: no store and no profile unless it says so. */
function app(services: Record<string, unknown> = {}): Investigation {
  return {
    services: async () => ({ library: { queries: async () => QUERY_LIBRARY }, live: { profiles: async () => [], savedQueries: async () => [] }, ...services }),
    memory: memory(),
  } as unknown as Investigation;
}

const kindNode = (target: Target): Node => ({ type: 'kind', target, kind: 'lambda', groups: lambdas });

test('Run Insights Query… on a store\'s kind of 120 Lambda log groups searches all 120: an evidence store\'s query has no 50-group limit', async () => {
  const input = await insightsWizardInput(app(), kindNode(store));
  const prompter = scriptedPrompter([pickLabel('Lambda durations'), pickLabel('Last hour')]);
  const choice = await insightsWizard({ ...input, prompter, libraryOnly: true });
  assert.ok(choice && 'logGroups' in choice);
  assert.equal(choice.logGroups.length, 120);
  assert.ok(choice.logGroups.includes(exfil), 'the 120th group is searched too');
});

test('on a live kind of 120 Lambda log groups it asks which, up to 50 of the 120, and asks again when more are ticked', async () => {
  const input = await insightsWizardInput(app(), kindNode(prod));
  const prompter = scriptedPrompter([
    { pickMany: (items) => items.map((i) => i.value) },
    { pickMany: (items) => items.filter((i) => i.picked).slice(-50).map((i) => i.value) },
    pickLabel('Lambda durations'),
    pickLabel('Last hour'),
  ]);
  const choice = await insightsWizard({ ...input, prompter, libraryOnly: true });
  const [first, again] = prompter.asked;
  assert.equal(first!.items!.length, 120, 'the kind\'s groups are offered, all of them');
  assert.match(first!.placeholder!, /up to 50 of 120/);
  assert.match(`${again!.title} ${again!.placeholder}`, /120 log groups chosen/);
  assert.equal(again!.items!.filter((i) => i.picked).length, 120, 'what was ticked stays ticked');
  assert.ok(choice && 'logGroups' in choice);
  assert.equal(choice.logGroups.length, 50);
  assert.ok(choice.logGroups.includes(exfil));
});

test('the wizard passes its cancel signal down to the listing of log groups', async () => {
  let given: AbortSignal | undefined;
  const evidence = { open: async () => ({ source: { logGroups: async (options?: { signal?: AbortSignal }) => ((given = options?.signal), [lambdas[0]!]) } }) };
  const input = await insightsWizardInput(app({ evidence }), { type: 'store', path: store.path });
  const prompter = scriptedPrompter([{ pickMany: () => undefined }]);
  await insightsWizard({ ...input, prompter });
  assert.ok(given instanceof AbortSignal);
  assert.deepEqual(prompter.progress, ['Listing the log groups of case.duckdb…']);
});

test('Open Event by ID… and Show Related Events with no store and no profile say what to do first, instead of an empty picker', async () => {
  screen.config = {};
  await assert.rejects(askForEvent(app(), undefined), { message: NO_TARGETS });
  assert.deepEqual(screen.quickPicks, [], 'no empty "Event in which store or account?"');
});
