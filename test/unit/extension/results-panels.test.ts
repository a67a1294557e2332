import { screen, type FakePanel } from './vscode-stand-in';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LookupEvent } from '../../../src/core/cloudtrail/event';
import type { Target } from '../../../src/core/target';
import { CAN_SAVE_QUERY_CONTEXT, ResultsPanels } from '../../../src/extension/results/panels';
import type { ResultJob } from '../../../src/extension/results/controller';
import type { Services } from '../../../src/extension/services/ports';
import type { TrailSource } from '../../../src/sources/source';

const target: Target = { kind: 'evidence', path: '/cases/sample.duckdb' };
const source = { kind: 'evidence', label: 'sample.duckdb' } as TrailSource;
const login: LookupEvent = { EventId: 'e-1', EventName: 'ConsoleLogin', EventTime: '2024-05-01T10:00:00Z', CloudTrailEvent: '{"eventID":"e-1"}' };
const events: ResultJob = { kind: 'events', run: async (sink) => sink.page([login]) };
const request = { attributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'ConsoleLogin' }], filters: [] };

/** The value the Save Query to Case button's context key was last given. */
const canSave = () => screen.commands.filter(([command, key]) => command === 'setContext' && key === CAN_SAVE_QUERY_CONTEXT).at(-1)?.[2];

test('Save Query to Case… is offered on the title bar of the panels that hold a query (a lookup, an Insights query), not on the others', async () => {
  const panels = new ResultsPanels({ scheme: 'file', path: '/ext', fsPath: '/ext' } as never, async () => ({}) as Services);
  panels.show({ title: 'Lookup: EventName=ConsoleLogin', source, target, spec: { kind: 'lookup', target, request } }, events);
  const lookup = screen.panels.at(-1)!;
  assert.equal(canSave(), true, 'a lookup can be saved');

  panels.show({ title: 'Related: ConsoleLogin', source, target, openEventId: 'e-1' }, events);
  const relatedPanel = screen.panels.at(-1)!;
  assert.equal(canSave(), false, 'related events cannot be run again');

  lookup.show();
  assert.equal(canSave(), true, 'back on the lookup\'s tab');
  relatedPanel.show();
  assert.equal(canSave(), false, 'back on the related tab');

  panels.show({ title: 'Finding: e-1', source, target }, events);
  assert.equal(canSave(), false, 'a finding, a followed link or a result file has nothing to save');
  (screen.panels.at(-1) as FakePanel).dispose();
  assert.equal(canSave(), false, 'with the active panel closed, nothing');
  lookup.show();
  assert.equal(canSave(), true);
  panels.dispose();
});
