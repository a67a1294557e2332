import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LibraryQuery } from '../../../src/extension/services/ports';
import { insightsWizard, MAX_LOG_GROUPS, queriesFor } from '../../../src/extension/wizards/insights-wizard';
import { NO_TARGETS } from '../../../src/extension/wizards/target';
import type { Target } from '../../../src/core/target';
import type { LogGroupInfo } from '../../../src/sources/source';
import { memory, pickLabel, pickManyLabels, scriptedPrompter } from './scripted-prompter';

const now = new Date('2024-05-01T12:00:00Z');
const store: Target = { kind: 'evidence', path: '/cases/sample.duckdb' };
const prod: Target = { kind: 'live', profile: 'prod', regions: ['us-east-1'] };
const flows: LogGroupInfo = { name: '/vpc/flow-logs', kind: 'vpc-flow' };
const lambda: LogGroupInfo = { name: '/aws/lambda/exporter', kind: 'lambda' };
const trail: LogGroupInfo = { name: 'aws-cloudtrail-logs', kind: 'cloudtrail' };
const library: LibraryQuery[] = [
  { id: 'top-byte-pairs', name: 'Top byte pairs', description: 'sum of bytes by source and destination', kinds: ['vpc-flow'], query: 'stats sum(bytes) as bytes by srcaddr, dstaddr | sort bytes desc | limit 20' },
  { id: 'lambda-durations', name: 'Lambda durations', description: 'duration statistics per 5 minutes', kinds: ['lambda'], query: 'filter @type = "REPORT" | stats avg(@duration) by bin(5m)' },
  { id: 'recent', name: 'Most recent messages', description: 'any log group', kinds: [], query: 'fields @timestamp, @message | sort @timestamp desc | limit 20' },
];

test('only the library queries that fit the chosen log groups are offered', async () => {
  assert.deepEqual(queriesFor(library, ['vpc-flow']).map((q) => q.id), ['top-byte-pairs', 'recent']);
  assert.deepEqual(queriesFor(library, ['cloudtrail']).map((q) => q.id), ['recent']);
  const prompter = scriptedPrompter([pickLabel('sample.duckdb'), pickManyLabels('/vpc/flow-logs'), pickLabel('Top byte pairs'), pickLabel('Last 24 hours')]);
  const choice = await insightsWizard({ prompter, memory: memory(), targets: [store, prod], regions: ['us-east-1', 'eu-west-1'], listLogGroups: async () => [flows, lambda, trail], library, now });
  assert.deepEqual(prompter.asked[2]!.items!.map((i) => i.label), ['Top byte pairs', 'Most recent messages', '$(new-file) New query in the editor…']);
  assert.deepEqual(choice, { target: store, logGroups: [flows], query: library[0]!.query, title: 'Top byte pairs', range: { start: '2024-04-30T12:00:00.000Z', end: '2024-05-01T12:00:00.000Z' } });
});

test('a live account also offers the queries saved in it, first; one that cannot list them still has the library', async () => {
  const saved: LibraryQuery = { id: 'saved:prod:us-east-1:q1', name: 'Team hunt: root logins', description: 'Saved in prod · us-east-1', kinds: [], query: 'filter userIdentity.type = "Root"' };
  const asked: Target[] = [];
  const savedQueries = async (t: Target) => (asked.push(t), t.kind === 'live' ? [saved] : []);
  const prompter = scriptedPrompter([pickLabel('prod'), pickManyLabels('aws-cloudtrail-logs'), pickLabel('Team hunt: root logins'), pickLabel('Last hour')]);
  const choice = await insightsWizard({ prompter, memory: memory(), targets: [prod], regions: ['us-east-1'], listLogGroups: async () => [trail], library, savedQueries, now });
  assert.deepEqual(prompter.asked[2]!.items!.map((i) => i.label), ['Team hunt: root logins', 'Most recent messages', '$(new-file) New query in the editor…']);
  assert.equal(choice && 'query' in choice && choice.query, saved.query);
  assert.deepEqual(asked, [prod]);
  const denied = scriptedPrompter([pickLabel('prod'), pickManyLabels('aws-cloudtrail-logs'), pickLabel('Most recent messages'), pickLabel('Last hour')]);
  const failing = async () => Promise.reject(new Error('AccessDeniedException: logs:DescribeQueryDefinitions'));
  const fallback = await insightsWizard({ prompter: denied, memory: memory(), targets: [prod], regions: ['us-east-1'], listLogGroups: async () => [trail], library, savedQueries: failing, now });
  assert.equal(fallback && 'query' in fallback && fallback.query, library[2]!.query);
});

test('a live account is chosen with one region, because log groups are regional', async () => {
  const prompter = scriptedPrompter([{ pick: (items) => items.find((i) => i.label.includes('prod') && i.description === 'eu-west-1')!.value }, pickManyLabels('/aws/lambda/exporter'), pickLabel('Lambda durations'), pickLabel('Last hour')]);
  let listedFor: Target | undefined;
  const choice = await insightsWizard({ prompter, memory: memory(), targets: [store, prod], regions: ['us-east-1', 'eu-west-1'], listLogGroups: async (t) => ((listedFor = t), [lambda]), library, now });
  assert.deepEqual(listedFor, { kind: 'live', profile: 'prod', regions: ['eu-west-1'] });
  assert.equal(choice && 'query' in choice && choice.title, 'Lambda durations');
});

test('"New query in the editor" ends the wizard with where the query will run', async () => {
  const prompter = scriptedPrompter([pickManyLabels('aws-cloudtrail-logs'), pickLabel('New query')]);
  const result = await insightsWizard({ prompter, memory: memory(), targets: [], target: store, regions: [], listLogGroups: async () => [trail], library, now });
  assert.deepEqual(result, { newQuery: { target: store, logGroups: [trail] } });
});

test('from a log group in the tree only its kind\'s library queries are asked for; a query from the editor skips that step', async () => {
  const fromTree = scriptedPrompter([pickLabel('Top byte pairs'), pickLabel('Last 7 days')]);
  const choice = await insightsWizard({ prompter: fromTree, memory: memory(), targets: [], target: store, logGroups: [flows], libraryOnly: true, regions: [], listLogGroups: async () => [], library, now });
  assert.ok(choice && 'query' in choice);
  assert.ok(!fromTree.asked[0]!.items!.some((i) => i.value === 'new'));
  const fromEditor = scriptedPrompter([pickLabel('Last 15 minutes')]);
  const edited = await insightsWizard({ prompter: fromEditor, memory: memory(), targets: [], target: store, logGroups: [flows], query: 'stats count(*) by action', regions: [], listLogGroups: async () => [], library, now });
  assert.equal(edited && 'query' in edited && edited.query, 'stats count(*) by action');
});

test('a live query takes at most 50 log groups, as StartQuery allows: ticking more asks again, naming the count, and drops none unseen', async () => {
  const many = Array.from({ length: 60 }, (_, i): LogGroupInfo => ({ name: `/group/${i}`, kind: 'other' }));
  const prompter = scriptedPrompter([
    { pickMany: (items) => items.map((i) => i.value) },
    { pickMany: (items) => items.filter((i) => i.picked).slice(10).map((i) => i.value) },
    pickLabel('Most recent'),
    pickLabel('Last hour'),
  ]);
  const choice = await insightsWizard({ prompter, memory: memory(), targets: [], target: prod, regions: [], listLogGroups: async () => many, library, now });
  assert.match(prompter.asked[0]!.placeholder!, /^Choose up to 50 of 60/);
  assert.equal(prompter.asked[1]!.title, 'Insights query: log groups: 60 chosen, at most 50');
  assert.match(prompter.asked[1]!.placeholder!, /60 log groups chosen: a live Insights query searches at most 50\. Untick 10/);
  assert.equal(prompter.asked[1]!.items!.filter((i) => i.picked).length, 60, 'the 60 stay ticked');
  assert.deepEqual(choice && 'logGroups' in choice && choice.logGroups, many.slice(10));
  assert.equal(MAX_LOG_GROUPS, 50);

  const escaped = scriptedPrompter([{ pickMany: (items) => items.map((i) => i.value) }, { pickMany: () => undefined }]);
  assert.equal(await insightsWizard({ prompter: escaped, memory: memory(), targets: [], target: prod, regions: [], listLogGroups: async () => many, library, now }), undefined, 'Escape on the second asking ends the wizard');
});

test('a query over an evidence store searches every log group ticked, however many', async () => {
  const many = Array.from({ length: 60 }, (_, i): LogGroupInfo => ({ name: `/group/${i}`, kind: 'other' }));
  const prompter = scriptedPrompter([{ pickMany: (items) => items.map((i) => i.value) }, pickLabel('Most recent'), pickLabel('Last hour')]);
  const choice = await insightsWizard({ prompter, memory: memory(), targets: [], target: store, regions: [], listLogGroups: async () => many, library, now });
  assert.equal(choice && 'logGroups' in choice && choice.logGroups.length, 60);
  const given = scriptedPrompter([pickLabel('Most recent'), pickLabel('Last hour')]);
  const fromTree = await insightsWizard({ prompter: given, memory: memory(), targets: [], target: store, logGroups: many, regions: [], listLogGroups: async () => [], library, now });
  assert.equal(fromTree && 'logGroups' in fromTree && fromTree.logGroups.length, 60, 'a kind of 60 from the tree goes whole, without the log group step');
});

test('a kind of more than 50 log groups of a live account goes through the log group step, saying why', async () => {
  const many = Array.from({ length: 120 }, (_, i): LogGroupInfo => ({ name: `/aws/lambda/fn-${i}`, kind: 'lambda' }));
  const prompter = scriptedPrompter([{ pickMany: (items) => items.slice(-3).map((i) => i.value) }, pickLabel('Lambda durations'), pickLabel('Last hour')]);
  const listed: Target[] = [];
  const choice = await insightsWizard({ prompter, memory: memory(), targets: [], target: prod, logGroups: many, libraryOnly: true, regions: [], listLogGroups: async (t) => (listed.push(t), []), library, now });
  assert.equal(prompter.asked[0]!.title, 'Insights query: log groups');
  assert.equal(prompter.asked[0]!.items!.length, 120, 'the kind\'s own groups, not listed again');
  assert.match(prompter.asked[0]!.placeholder!, /Choose up to 50 of 120: a live Insights query searches at most 50 log groups/);
  assert.deepEqual(listed, []);
  assert.deepEqual(choice && 'logGroups' in choice && choice.logGroups.map((g) => g.name), ['/aws/lambda/fn-117', '/aws/lambda/fn-118', '/aws/lambda/fn-119']);
});

test('listing the log groups shows progress naming where, and Cancel ends the wizard and aborts the listing', async () => {
  const listing = (t: Target, signal?: AbortSignal) =>
    new Promise<LogGroupInfo[]>((_resolve, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error(`listing ${t.kind} cancelled`), { name: 'AbortError' }))));
  const prompter = scriptedPrompter([], { cancelBusy: true });
  const result = await insightsWizard({ prompter, memory: memory(), targets: [], target: { ...prod, regions: ['eu-west-1'] }, regions: [], listLogGroups: listing, library, now });
  assert.equal(result, undefined);
  assert.deepEqual(prompter.progress, ['Listing the log groups of prod · eu-west-1…']);
  assert.equal(prompter.signals[0]!.aborted, true);
  assert.deepEqual(prompter.asked, []);
});

test('a store or a region without log groups is said plainly, naming it, instead of ending without a word', async () => {
  const fromStore = insightsWizard({ prompter: scriptedPrompter([]), memory: memory(), targets: [], target: store, regions: [], listLogGroups: async () => [], library, now });
  await assert.rejects(fromStore, { message: /^No log groups in the evidence store sample\.duckdb \(\/cases\/sample\.duckdb\)/ });
  const fromAccount = insightsWizard({ prompter: scriptedPrompter([pickLabel('prod')]), memory: memory(), targets: [prod], regions: ['eu-west-1'], listLogGroups: async () => [], library, now });
  await assert.rejects(fromAccount, { message: /^No log groups in prod in us-east-1: the account has none in this region/ });
});

test('Run Library Query… on log groups no library query is for says so, instead of an empty list', async () => {
  const rule: LogGroupInfo = { name: '/aws/events/rule-audit', kind: 'eventbridge' };
  const forKinds = library.filter((q) => q.kinds.length > 0);
  const prompter = scriptedPrompter([]);
  await assert.rejects(
    insightsWizard({ prompter, memory: memory(), targets: [], target: store, logGroups: [rule], libraryOnly: true, regions: [], listLogGroups: async () => [], library: forKinds, now }),
    { message: 'No library query fits eventbridge log groups. Use Run Insights Query… to write one for them.' },
  );
  assert.deepEqual(prompter.asked, []);
});

test('log group names from evidence are offered with their hidden characters visible, and the group itself is returned', async () => {
  const hostile: LogGroupInfo = { name: 'cloudtrail/evil\u202egpj.exe', kind: 'cloudtrail' };
  const prompter = scriptedPrompter([{ pickMany: (items) => items.map((i) => i.value) }, pickLabel('Most recent'), pickLabel('Last hour')]);
  const choice = await insightsWizard({ prompter, memory: memory(), targets: [], target: store, regions: [], listLogGroups: async () => [hostile], library, now });
  assert.equal(prompter.asked[0]!.items![0]!.label, 'cloudtrail/evil⟨U+202E⟩gpj.exe');
  assert.deepEqual(choice && 'logGroups' in choice && choice.logGroups, [hostile], 'the query runs on the real name');
});


test('with no evidence store and no profile, the wizard says what to do first instead of offering nothing', async () => {
  const prompter = scriptedPrompter([]);
  await assert.rejects(insightsWizard({ prompter, memory: memory(), targets: [], regions: [], listLogGroups: async () => [], library, now }), { message: NO_TARGETS });
});
