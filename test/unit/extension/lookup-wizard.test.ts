import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupWizard } from '../../../src/extension/wizards/lookup-wizard';
import { NO_TARGETS } from '../../../src/extension/wizards/target';
import type { Target } from '../../../src/core/target';
import { acceptPicked, escape, memory, pickLabel, pickManyLabels, scriptedPrompter, type } from './scripted-prompter';

const now = new Date('2024-05-01T12:00:00Z');
const store: Target = { kind: 'evidence', path: '/cases/acme/sample.duckdb' };
const prod: Target = { kind: 'live', profile: 'prod', regions: ['eu-west-1', 'us-east-1'] };
const regions = ['us-east-1', 'eu-west-1', 'eu-central-1'];

test('several attributes and field filters are AND-ed into one request over the chosen time range', async () => {
  const prompter = scriptedPrompter([
    pickLabel('sample.duckdb'),
    pickManyLabels('Event name', 'Source IP address', 'User agent contains'),
    type('GetObject'),
    type('203.0.113.7'),
    type('boto3'),
    pickLabel('Last hour'),
  ]);
  const choice = await lookupWizard({ prompter, memory: memory(), targets: [prod, store], regions, now });
  assert.deepEqual(choice, {
    target: store,
    request: {
      attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }],
      filters: [
        { field: 'sourceIPAddress', op: 'equals', value: '203.0.113.7' },
        { field: 'userAgent', op: 'contains', value: 'boto3' },
      ],
      start: '2024-05-01T11:00:00.000Z',
      end: '2024-05-01T12:00:00.000Z',
    },
  });
  // All eight attributes and the field filters are offered.
  const offered = prompter.asked[1]!.items!.map((i) => i.description);
  for (const key of ['AccessKeyId', 'EventId', 'EventName', 'EventSource', 'ReadOnly', 'ResourceName', 'ResourceType', 'Username', 'errorCode', 'principalArn']) {
    assert.ok(offered.includes(key), `${key} is offered`);
  }
});

test('the next lookup starts from the last choices: target first, conditions preselected, values and time prefilled', async () => {
  const remembered = memory();
  await lookupWizard({
    prompter: scriptedPrompter([pickLabel('sample.duckdb'), pickManyLabels('Access key ID'), type('ASIAEXAMPLE'), pickLabel('Custom'), type('2024-04-30T00:00:00Z'), type('now')]),
    memory: remembered,
    targets: [prod, store],
    regions,
    now,
  });
  const again = scriptedPrompter([
    { pick: (items) => items[0]!.value },
    acceptPicked,
    { input: (options) => options.value },
    { pick: (items) => items[0]!.value },
    { input: (options) => options.value },
    { input: (options) => options.value },
  ]);
  const choice = await lookupWizard({ prompter: again, memory: remembered, targets: [prod, store], regions, now });
  assert.deepEqual(choice?.target, store);
  assert.deepEqual(choice?.request.attributes, [{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIAEXAMPLE' }]);
  assert.equal(choice?.request.start, '2024-04-30T00:00:00.000Z');
  assert.equal(again.asked[3]!.items![0]!.label, 'Custom range…', 'the custom range is offered first again');
});

test('a live account asks for regions, suggesting us-east-1 for global services, and ReadOnly is a choice, not free text', async () => {
  const prompter = scriptedPrompter([pickLabel('prod'), pickManyLabels('us-east-1', 'eu-central-1'), pickManyLabels('Read-only'), pickLabel('false'), pickLabel('Last 7 days')]);
  const choice = await lookupWizard({ prompter, memory: memory(), targets: [store, prod], regions, now });
  assert.deepEqual(choice?.target, { kind: 'live', profile: 'prod', regions: ['us-east-1', 'eu-central-1'] });
  assert.deepEqual(choice?.request.attributes, [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }]);
  const regionItems = prompter.asked[1]!.items!;
  assert.deepEqual(regionItems.filter((i) => i.picked).map((i) => i.label), ['eu-west-1', 'us-east-1']);
  assert.match(regionItems.find((i) => i.label === 'us-east-1')!.description!, /IAM, STS/);
});

test('ReadOnly starts from the last choice, so Enter repeats it', async () => {
  const remembered = memory();
  await lookupWizard({ prompter: scriptedPrompter([pickLabel('sample.duckdb'), pickManyLabels('Read-only'), pickLabel('true'), pickLabel('Last hour')]), memory: remembered, targets: [store], regions, now });
  // Enter at every step: the first item of a pick, the picked ones of a multi-pick.
  const enter = { pick: (items: Array<{ value: unknown }>) => items[0]!.value };
  const again = scriptedPrompter([pickLabel('sample.duckdb'), acceptPicked, enter, pickLabel('Last hour')]);
  const choice = await lookupWizard({ prompter: again, memory: remembered, targets: [store], regions, now });
  assert.deepEqual(choice?.request.attributes, [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }]);
});

test('Escape at any step ends the wizard and forgets nothing that was remembered before', async () => {
  const remembered = memory();
  await remembered.update('trailscope.lookup.last', { target: store, conditions: [] });
  const choice = await lookupWizard({ prompter: scriptedPrompter([pickLabel('sample.duckdb'), pickManyLabels(), escape]), memory: remembered, targets: [store], regions, now });
  assert.equal(choice, undefined);
  assert.deepEqual(remembered.data.get('trailscope.lookup.last'), { target: store, conditions: [] });
});

test('each answer is remembered as it is given: Escape at a later step keeps what was typed before it', async () => {
  const remembered = memory();
  // Two values typed, then Escape at the time range.
  await lookupWizard({ prompter: scriptedPrompter([pickLabel('prod'), pickManyLabels('eu-central-1'), pickManyLabels('Event name', 'Source IP address'), type('CreateAccessKey'), type('203.0.113.7'), escape]), memory: remembered, targets: [store, prod], regions, now });
  const again = scriptedPrompter([
    { pick: (items) => items[0]!.value },
    acceptPicked,
    acceptPicked,
    { input: (options) => options.value },
    { input: (options) => options.value },
    pickLabel('Last hour'),
  ]);
  const choice = await lookupWizard({ prompter: again, memory: remembered, targets: [store, prod], regions, now });
  assert.deepEqual(choice?.target, { kind: 'live', profile: 'prod', regions: ['eu-central-1'] }, 'the account first, with the regions chosen');
  assert.deepEqual(choice?.request.attributes, [{ AttributeKey: 'EventName', AttributeValue: 'CreateAccessKey' }]);
  assert.deepEqual(choice?.request.filters, [{ field: 'sourceIPAddress', op: 'equals', value: '203.0.113.7' }]);

  // Escape at the second value: the keys chosen and the first value stay; the second keeps its last value.
  await lookupWizard({ prompter: scriptedPrompter([pickLabel('sample.duckdb'), pickManyLabels('Event name', 'Source IP address', 'User name'), type('DeleteTrail'), { input: () => undefined }]), memory: remembered, targets: [store, prod], regions, now });
  const third = scriptedPrompter([{ pick: (items) => items[0]!.value }, acceptPicked, { input: (options) => options.value }, type('alice'), { input: (options) => options.value }, escape]);
  await lookupWizard({ prompter: third, memory: remembered, targets: [store, prod], regions, now });
  assert.equal(third.asked[0]!.items![0]!.label, '$(database) sample.duckdb');
  assert.deepEqual(third.asked[1]!.items!.filter((i) => i.picked).map((i) => i.description), ['EventName', 'Username', 'sourceIPAddress']);
  assert.deepEqual(third.asked.slice(2, 5).map((q) => [q.title, q.options!.value]), [['Event name', 'DeleteTrail'], ['User name', undefined], ['Source IP address', '203.0.113.7']]);
});

test('a custom range left after a refused end keeps both as typed for next time, but not as the last range used', async () => {
  const remembered = memory();
  await remembered.update('trailscope.lookup.time', { preset: '7d' });
  const refusedEnd = { input: (options: { validate?: (text: string) => string | undefined }) => (assert.match(options.validate!('2024-04-29T00:00:00Z')!, /start is after the end/), undefined) };
  const choice = await lookupWizard({ prompter: scriptedPrompter([pickLabel('sample.duckdb'), pickManyLabels(), pickLabel('Custom'), type('2024-04-30T00:00:00Z'), refusedEnd]), memory: remembered, targets: [store], regions, now });
  assert.equal(choice, undefined);
  assert.deepEqual(remembered.data.get('trailscope.lookup.time'), { preset: '7d' }, 'a range that never was valid is not the last one used');
  const again = scriptedPrompter([pickLabel('sample.duckdb'), acceptPicked, pickLabel('Custom'), { input: (options) => options.value }, type('2024-04-30T06:00:00Z')]);
  const fixed = await lookupWizard({ prompter: again, memory: remembered, targets: [store], regions, now });
  assert.equal(again.asked[2]!.items![0]!.label, 'Last 7 days', 'the last valid choice still comes first');
  assert.deepEqual(again.asked.slice(3).map((q) => q.options!.value), ['2024-04-30T00:00:00Z', '2024-04-29T00:00:00Z'], 'both boxes start from what was typed');
  assert.deepEqual([fixed?.request.start, fixed?.request.end], ['2024-04-30T00:00:00.000Z', '2024-04-30T06:00:00.000Z']);
  assert.deepEqual(remembered.data.get('trailscope.lookup.time'), { custom: { start: '2024-04-30T00:00:00Z', end: '2024-04-30T06:00:00Z' } });
});

test('an empty value is refused at the input box', async () => {
  const prompter = scriptedPrompter([pickManyLabels('Event name'), { input: (options) => (options.validate?.('  ') ? undefined : 'accepted') }]);
  const choice = await lookupWizard({ prompter, memory: memory(), targets: [], target: store, regions, now });
  assert.equal(choice, undefined);
});

test('for a notebook lookup cell, whose text holds the conditions, only where and when are asked, and the remembered conditions stay', async () => {
  const remembered = memory();
  await lookupWizard({ prompter: scriptedPrompter([pickLabel('sample.duckdb'), pickManyLabels('Event name'), type('GetObject'), pickLabel('Last hour')]), memory: remembered, targets: [prod, store], regions, now });
  const cell = scriptedPrompter([pickLabel('prod'), pickManyLabels('eu-west-1'), pickLabel('Last 24 hours')]);
  const choice = await lookupWizard({ prompter: cell, memory: remembered, targets: [prod, store], regions, now, conditionsElsewhere: true });
  assert.deepEqual(choice, {
    target: { ...prod, regions: ['eu-west-1'] },
    request: { attributes: [], filters: [], start: '2024-04-30T12:00:00.000Z', end: '2024-05-01T12:00:00.000Z' },
  });
  assert.deepEqual(cell.asked.map((q) => q.title), ['Lookup events: where?', 'Lookup events: which regions?', 'Time range']);
  const next = scriptedPrompter([pickLabel('sample.duckdb'), acceptPicked, { input: (options) => options.value }, pickLabel('Last hour')]);
  const later = await lookupWizard({ prompter: next, memory: remembered, targets: [prod, store], regions, now });
  assert.deepEqual(later?.request.attributes, [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }], 'the palette wizard still offers its own last conditions');
});

test('with no evidence store and no profile, the wizard says what to do first instead of closing silently', async () => {
  const prompter = scriptedPrompter([]);
  await assert.rejects(lookupWizard({ prompter, memory: memory(), targets: [], regions, now }), { message: NO_TARGETS });
});
