// What a responder sees first: Trailscope in the activity bar, its view, and the diagnostics report
// reached from the command palette, all from the packaged VSIX.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { workbench } from './workbench';

describe('foundation (UI)', () => {
  it('shows Trailscope in the activity bar and opens its view', async () => {
    const sidebar = await workbench.openView();
    // The view drew its tree: the fake AWS config's profiles under Accounts (without profiles or stores
    // it would show its welcome text instead, which would mean the config was not read).
    const row = (text: string) => sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: text }).first();
    await row('Accounts').waitFor({ timeout: 30_000 });
    await row('incident-readonly').waitFor({ timeout: 30_000 });
    await row('Evidence').waitFor();
    assert.match(await sidebar.innerText(), /Trailscope/);
  });

  it('runs Show Diagnostics from the command palette and shows the report in a webview', async () => {
    await workbench.runCommand('Trailscope: Show Diagnostics');
    const frame = await workbench.webviewFrame('Trailscope Diagnostics');
    const report = frame.locator('#report');
    await report.waitFor();
    const text = await report.innerText();
    assert.match(text, /Trailscope:\s+trailscope\.trailscope \d+\.\d+\.\d+/);
    assert.match(text, /DuckDB:\s+v\d+\.\d+\.\d+/, 'the packaged native DuckDB loads');
    assert.match(text, /AWS credentials:\s+found \(shared config\/credentials files, profile default\)/);
    assert.match(text, /AWS profiles:\s+default, incident-readonly/);
    assert.doesNotMatch(text, /AKIAFAKEFOUNDATION01|fakeFoundationSecret/, 'no key material on screen');

    // The README's picture is this moment.
    const shot = await workbench.screenshot('trailscope-diagnostics');
    mkdirSync(join(workbench.repo, 'test-results'), { recursive: true });
    copyFileSync(shot, join(workbench.repo, 'test-results', 'readme-screenshot.png'));
  });
});
