import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { QUERY_LIBRARY } from '../../../src/core/insights/library';
import { KIND_ORDER } from '../../../src/extension/tree/nodes';
import { queriesFor } from '../../../src/extension/wizards/insights-wizard';

/**
 * package.json's menus against what the commands behind them can do: a menu item offered where its
 * command has nothing to offer is a dead end during an incident.
 */
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };
const menus = manifest.contributes.menus;

/** Whether the item's `viewItem =~ /…/` clause matches a tree item's context value. */
function shownOn(item: MenuItem, contextValue: string): boolean {
  const match = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(item.when ?? '');
  assert.ok(match, `${item.command} (${item.group}) has a viewItem clause: ${item.when}`);
  return new RegExp(match[1]!).test(contextValue);
}

const treeItems = (command: string) => menus['view/item/context']!.filter((m) => m.command === command && m.when?.includes('view == trailscope.explorer'));

test('Run Library Query… (menu and inline button) shows on exactly the log groups and kinds the library has queries for', () => {
  const items = treeItems('trailscope.runLibraryQuery');
  assert.deepEqual(items.map((i) => i.group?.split('@')[0]).sort(), ['1_investigate', 'inline']);
  for (const kind of KIND_ORDER) {
    const fits = queriesFor(QUERY_LIBRARY, [kind]).length > 0;
    for (const item of items) {
      for (const contextValue of [`logGroup.${kind}`, `kind.${kind}`]) {
        assert.equal(shownOn(item, contextValue), fits, `${item.group} on ${contextValue}: the library has ${fits ? 'queries' : 'none'} for ${kind}`);
      }
    }
  }
  assert.ok(!shownOn(items[0]!, 'logGroups'), 'not on the "Log groups" folder');
});

test('Lookup Events…, Open Event by ID… and Show Related Events are on an account, a region, a trail and a store, as the README says', () => {
  for (const command of ['trailscope.lookupEvents', 'trailscope.openEventById', 'trailscope.showRelatedEvents']) {
    const items = treeItems(command);
    assert.ok(items.length > 0, command);
    for (const item of items) {
      for (const contextValue of ['account', 'region', 'trail', 'evidenceStore']) assert.ok(shownOn(item, contextValue), `${command} (${item.group}) on ${contextValue}`);
      for (const contextValue of ['trails', 'logGroups', 'kind.cloudtrail', 'evidenceRoot']) assert.ok(!shownOn(item, contextValue), `${command} (${item.group}) not on ${contextValue}`);
    }
  }
});

test('Save Query to Case… shows on a results panel only while the panel holds a query to save', () => {
  const [save] = menus['editor/title']!.filter((m) => m.command === 'trailscope.saveQueryToCase');
  assert.ok(save);
  assert.match(save.when!, /activeWebviewPanelId == 'trailscope\.results'/);
  assert.match(save.when!, /&& trailscope\.results\.canSaveQuery\b/);
  const [pin] = menus['editor/title']!.filter((m) => m.command === 'trailscope.pinEvent');
  assert.equal(pin!.when, "activeWebviewPanelId == 'trailscope.results'", 'Pin works on every panel that shows an event or a row');
});
