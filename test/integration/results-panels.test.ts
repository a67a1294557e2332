// Results panels inside the real VS Code: what their native chrome (tab title, progress notification)
// shows of a title made of log values and names from shared files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ResultsPanels } from '../../src/extension/results/panels';
import { createServices } from '../../src/extension/services/adapters';
import type { TrailSource } from '../../src/sources/source';
import { waitFor } from './environment';

describe('results panels', function () {
  this.timeout(30_000);

  it('shows a hostile title in the tab and the progress notification as plain text: no link, hidden characters visible', async () => {
    const extension = vscode.extensions.getExtension('trailscope.trailscope');
    assert.ok(extension);
    const panels = new ResultsPanels(extension.extensionUri, async () => createServices());
    // A notification turns [label](command:...) into a link that runs the command when clicked.
    const hostile = 'Events of [Open](command:workbench.action.quit) invoice\u202Etxt.exe';
    const titles: string[] = [];
    const withProgress = vscode.window.withProgress;
    vscode.window.withProgress = (options, task) => {
      titles.push(options.title ?? '');
      return withProgress(options, task);
    };
    let finish = (): void => undefined;
    try {
      panels.show({ title: hostile, source: {} as TrailSource, target: { kind: 'evidence', path: '/nowhere.duckdb' } }, {
        kind: 'events',
        // Slower than a glance, so the panel also gets its notification.
        run: () => new Promise<void>((resolve) => (finish = resolve)),
      });
      await waitFor(() => (titles.length > 0 ? true : undefined), 'the progress notification', 10_000);
      assert.equal(titles[0], 'Trailscope: Events of [Open] (command:workbench.action.quit) invoice⟨U+202E⟩txt.exe');
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.equal(tab?.label, 'Events of [Open](command:workbench.action.quit) invoice⟨U+202E⟩txt.exe');
    } finally {
      finish();
      vscode.window.withProgress = withProgress;
      panels.dispose();
    }
  });
});
