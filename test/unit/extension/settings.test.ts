import { screen } from './vscode-stand-in';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settings } from '../../../src/extension/settings';
import { evidenceStorePaths } from '../../../src/extension/targets';
import { Explorer } from '../../../src/extension/tree/explorer';
import type { Services } from '../../../src/extension/services/ports';

// The demo endpoint `npm start` passes would hide what endpointUrl falls back to.
delete process.env.TRAILSCOPE_ENDPOINT_URL;

const warningsAbout = (setting: string) => screen.warnings.filter((w) => w.message.includes(`trailscope.${setting} `));

test('trailscope.evidenceStores written as a string is ignored for the default, the tree and the wizards go on, and the user is told once why', async () => {
  screen.config = { 'trailscope.evidenceStores': 'cases/incident.duckdb' };
  assert.deepEqual(settings().evidenceStores, []);
  assert.deepEqual(await evidenceStorePaths(), [], 'the wizards list the stores without "evidenceStores.map is not a function"');
  const explorer = new Explorer(async () => ({ live: { profiles: async () => [{ name: 'prod' }] } }) as unknown as Services);
  assert.deepEqual(await explorer.getChildren(), [{ type: 'accounts' }, { type: 'evidence' }], 'the tree is the tree, not one error row');
  const evidence = await explorer.getChildren({ type: 'evidence' });
  assert.deepEqual(evidence.map((n) => n.type), ['message'], 'no store, only "Ingest evidence…"');
  settings();
  const told = warningsAbout('evidenceStores');
  assert.equal(told.length, 1, 'told once, however often the setting is read');
  assert.match(told[0]!.message, /trailscope\.evidenceStores is ignored: it should be a list of paths.*but it is a string/);
  assert.deepEqual(told[0]!.actions, ['Open Settings']);
});

test('every other setting of the wrong type falls back to its default, each named once with what it is', () => {
  screen.config = {
    'trailscope.regions': 'eu-west-1',
    'trailscope.endpointUrl': 4599,
    'trailscope.relatedWindowMinutes': '15',
    'trailscope.maxResults': 'lots',
    'trailscope.notebook.savedRows': [100],
    'trailscope.evidenceStores': ['cases/a.duckdb', 7],
  };
  const read = settings();
  assert.deepEqual(read, { evidenceStores: [], regions: ['us-east-1'], endpointUrl: '', relatedWindowMinutes: 15, maxResults: 10_000, notebookSavedRows: 1_000 });
  settings();
  assert.match(warningsAbout('regions')[0]!.message, /it is a string; us-east-1 is used/);
  assert.match(warningsAbout('endpointUrl')[0]!.message, /it is a number; no demo account/);
  assert.match(warningsAbout('relatedWindowMinutes')[0]!.message, /should be a number, but it is a string; 15 is used/);
  assert.match(warningsAbout('maxResults')[0]!.message, /it is a string; 10,000 is used/);
  assert.match(warningsAbout('notebook.savedRows')[0]!.message, /it is a list holding a number/);
  assert.match(warningsAbout('evidenceStores').at(-1)!.message, /it is a list holding a number/);
  for (const setting of ['regions', 'endpointUrl', 'relatedWindowMinutes', 'maxResults', 'notebook.savedRows']) assert.equal(warningsAbout(setting).length, 1, setting);
});

test('right values are read as they are, out-of-range numbers brought into range, and nothing is said', () => {
  const before = screen.warnings.length;
  screen.config = { 'trailscope.evidenceStores': ['cases/a.duckdb'], 'trailscope.regions': ['eu-west-1'], 'trailscope.endpointUrl': ' http://127.0.0.1:4599 ', 'trailscope.maxResults': 50_000 };
  const read = settings();
  assert.deepEqual([read.evidenceStores, read.regions, read.endpointUrl, read.maxResults], [['cases/a.duckdb'], ['eu-west-1'], 'http://127.0.0.1:4599', 10_000]);
  screen.config = {};
  assert.deepEqual(settings().regions, ['us-east-1'], 'a setting not set is its default, silently');
  assert.equal(screen.warnings.length, before);
});
