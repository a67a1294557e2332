// A responder's walk through the sample incident in the real workbench, from the packaged VSIX: open the
// Trailscope view, look events up from the command palette, sort, open an event, follow a related-event
// link, ask for an event's related events from the tree's context menu, run the top byte pairs query to
// see its chart and a hunt from an .insights file's title button, and ingest a colleague's folder from the
// Explorer's context menu. Each step leaves a screenshot in
// test-results/screenshots/; the README shows the best of them (docs/*.png).
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FrameLocator, Locator } from 'playwright-core';
import { STORY } from '../../scripts/sample-story';
import { prepareSample } from '../../scripts/sample';
import { evidenceBackend } from '../../src/endpoint/evidence-backend';
import { startEndpoint } from '../../src/endpoint/server';
import { EvidenceSource } from '../../src/sources/evidence/source';
import { workbench } from './workbench';

const STORE = 'sample.duckdb';

/** The sample incident (`npm run sample`), written and ingested into the fresh workspace. */
async function ingestIncident(): Promise<void> {
  const report = await prepareSample({ dir: join(workbench.workspace, 'evidence'), db: join(workbench.workspace, STORE) });
  assert.ok(report.records.cloudtrail > 0 && report.records.flow > 0, JSON.stringify(report.records));
}

/** Runs a palette command that opens a wizard: its first question replaces the palette. */
async function startWizard(command: string, firstQuestion: string): Promise<void> {
  await workbench.page.keyboard.press('F1');
  const input = quickInput().locator('input.input');
  await input.waitFor();
  await input.fill(`>${command}`);
  // Prefix match: a command run before is labelled "…, recently used".
  await quickInput().locator(`.monaco-list-row[aria-label^="${command}"]`).first().click();
  await quickInput().locator('.quick-input-title', { hasText: firstQuestion }).waitFor();
}

function quickInput(): Locator {
  return workbench.page.locator('.quick-input-widget');
}

/** Types into the open quick pick and accepts the first match, as a person does. */
async function choose(question: string, text: string): Promise<void> {
  await quickInput().locator('.quick-input-title', { hasText: question }).waitFor();
  const input = quickInput().locator('input.input');
  await input.waitFor();
  await input.fill(text);
  await quickInput().locator('.monaco-list-row', { hasText: text }).first().waitFor();
  await workbench.page.keyboard.press('Enter');
}

/** Makes sure these items of a multi-select quick pick are ticked (the wizard may have remembered some), then accepts. */
async function tick(question: string, ...labels: string[]): Promise<void> {
  await quickInput().locator('.quick-input-title', { hasText: question }).waitFor();
  const input = quickInput().locator('input.input');
  for (const label of labels) {
    await input.fill(label);
    const row = quickInput().locator('.monaco-list-row', { hasText: label }).first();
    if ((await row.getAttribute('aria-checked')) !== 'true') {
      await row.locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
    }
  }
  await input.fill('');
  await workbench.page.keyboard.press('Enter');
}

/** Answers the input box titled `question` (waiting for it: the widget is reused between steps). */
async function typeAnswer(question: string, text: string): Promise<void> {
  await quickInput().locator('.quick-input-title', { hasText: question }).waitFor();
  const input = quickInput().locator('input.input');
  await input.fill(text);
  await workbench.page.keyboard.press('Enter');
}

/** The sample incident's three days (the presets count back from today). */
async function customRange(): Promise<void> {
  await choose('Time range', 'Custom range');
  await typeAnswer('Start of the range', STORY.start);
  await typeAnswer('End of the range', STORY.end);
}

const LOOKUP_TITLE = `Lookup: AccessKeyId=${STORY.leakedAccessKeyId}`;

/**
 * The output of a notebook cell whose summary line contains `summary`, in whichever webview frame draws
 * it. With `ranSince`, only an output that ran at or after that time counts (the line says when, to the
 * second): an answer saved in the notebook file does not.
 */
async function notebookOutput(summary: string | undefined, ranSince?: Date): Promise<Locator> {
  const since = ranSince === undefined ? undefined : Math.floor(ranSince.getTime() / 1000) * 1000;
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of workbench.page.frames()) {
      const outputs = frame.locator('.trailscope-output', { has: frame.locator('.summary', summary === undefined ? {} : { hasText: summary }) });
      const count = await outputs.count().catch(() => 0);
      if (count > 0 && since === undefined) return outputs.first();
      for (let i = 0; i < count; i++) {
        const ran = (await outputs.nth(i).locator('.summary .ran').first().textContent({ timeout: 1000 }).catch(() => null))?.trim();
        if (ran && Date.parse(ran.replace(/^ran\s+/, '')) >= since!) {
          return outputs.filter({ has: frame.locator('.summary .ran', { hasText: ran }) }).first();
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`no notebook output reads "${summary ?? ''}"${ranSince ? ` with a run at or after ${ranSince.toISOString()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Pins the open event or row from the panel's title bar until the case view shows `finding`. The panel
 * draws an opened row itself and tells the host in a message that can arrive after a quick click: that
 * click gets "Open an event or a row… first". So the click is repeated until the finding shows (pinning
 * the same event again changes nothing), and the finding must show once.
 */
async function pinUntilCaseShows(finding: string): Promise<void> {
  const sidebar = await workbench.openView();
  const rowsOfFinding = sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: finding });
  const deadline = Date.now() + 30_000;
  for (;;) {
    await workbench.page.locator('.editor-actions [aria-label^="Pin Event to Case"]').first().click();
    try {
      await rowsOfFinding.first().waitFor({ timeout: 3_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the case view never showed "${finding}"; notifications: ${JSON.stringify(await workbench.notifications())}`, { cause: error });
    }
  }
  assert.equal(await rowsOfFinding.count(), 1, `"${finding}" pinned once`);
}

/** Right-clicks `row` and runs `action` from the context menu it opens, as a person does. */
async function contextMenu(row: Locator, action: string): Promise<void> {
  await row.click({ button: 'right' });
  // The menu runs an item on Enter once the pointer rests on it (a click right after it opens can be lost).
  const item = workbench.page.getByRole('menuitem', { name: action, exact: true });
  await item.hover();
  await workbench.page.keyboard.press('Enter');
  await item.waitFor({ state: 'detached' });
}

/** The ID of the sample incident's only event with this name. */
async function eventIdOf(eventName: string): Promise<string> {
  const data = await EvidenceSource.open(join(workbench.workspace, STORE), { readOnly: true });
  try {
    const events = await data.lookupEvents({ attributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], filters: [] });
    assert.equal(events.length, 1, `${eventName} events in the sample`);
    return events[0]!.EventId;
  } finally {
    data.close();
  }
}

async function rows(frame: FrameLocator): Promise<Locator> {
  const all = frame.locator('.grid-rows .row');
  await all.first().waitFor({ timeout: 30_000 });
  return all;
}

describe('investigation (UI): a walk through the sample incident', function () {
  this.timeout(120_000);

  before(async () => {
    workbench.page.on('console', (m) => { if (m.type() === 'error') console.log('[console]', m.text()); });
    workbench.page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    await ingestIncident();
  });

  it('opens the Trailscope view with the incident store under Evidence', async () => {
    const sidebar = await workbench.openView();
    const store = sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: STORE });
    await store.waitFor({ timeout: 30_000 });
    await store.click();
    await workbench.page.keyboard.press('ArrowRight');
    await sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: 'Records' }).waitFor({ timeout: 30_000 });
    await sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: 'VPC flow logs' }).waitFor();
    await workbench.screenshot('01-trailscope-view');
  });

  it('looks events up from the command palette and sorts the table', async () => {
    await startWizard('Trailscope: Lookup Events…', 'Lookup events: where?');
    await choose('Lookup events: where?', STORE);
    await tick('Lookup events: filter on', 'Access key ID');
    await typeAnswer('Access key ID', STORY.leakedAccessKeyId);
    await customRange();
    const frame = await workbench.webviewFrame(LOOKUP_TITLE);
    const table = await rows(frame);
    await frame.locator('.toolbar .row-count').filter({ hasText: /\d+ events/ }).waitFor();
    await frame.locator('.grid-header button.sort', { hasText: 'EventName' }).click();
    await frame.locator('.grid-header .sort-mark').waitFor();
    assert.match(await table.first().innerText(), /AssumeRole|AttachUserPolicy/, 'sorted by event name, A to Z');
    await workbench.screenshot('02-lookup-sorted');
  });

  it('opens an event with its record and related-event links', async () => {
    const frame = await workbench.webviewFrame(LOOKUP_TITLE);
    await frame.locator('.toolbar input.filter').fill('AttachUserPolicy');
    // The filter applies as the user types; the table settles on the matching rows.
    await frame.locator('.toolbar .row-count', { hasText: / of 44 events/ }).waitFor();
    const table = await rows(frame);
    // Enter on the active row opens it, as from the keyboard.
    await table.first().click();
    await workbench.page.keyboard.press('Enter');
    const view = frame.locator('aside.event-view');
    await view.locator('.event-name', { hasText: 'AttachUserPolicy' }).waitFor();
    await view.locator('.related-links button.link').first().waitFor({ timeout: 30_000 });
    assert.match(await view.locator('.event-record').innerText(), /AdministratorAccess/);
    await workbench.screenshot('03-event-view');
  });

  it('opens the sample case, starts a new one, pins the open event from the panel title bar, and exports the timeline', async () => {
    const sidebar = await workbench.openView();
    await sidebar.getByRole('button', { name: 'Open Investigation Case…' }).click();
    await choose('Open investigation case', 'sample-incident.trailscope-case.json');
    await sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: 'StopLogging' }).waitFor({ timeout: 30_000 });
    await workbench.screenshot('07-sample-case');
    await startWizard('Trailscope: New Investigation Case…', 'New investigation case');
    await typeAnswer('New investigation case', 'IR-2041: leaked key');
    // The save dialog (a quick input in the browser) proposes a file named after the title in the workspace.
    await quickInput().locator('.quick-input-title', { hasText: 'Keep the case file at' }).waitFor();
    // The widget is the one the title was typed into: its value turns into the proposed path a moment later.
    await workbench.page.waitForFunction(() => /IR-2041-leaked-key\.trailscope-case\.json$/.test(document.querySelector<HTMLInputElement>('.quick-input-widget input.input')?.value ?? ''));
    await quickInput().getByRole('button', { name: 'OK' }).click();
    await sidebar.locator('.pane-header', { hasText: 'IR-2041: leaked key' }).waitFor({ timeout: 30_000 });
    // The new case starts empty: the sample's findings leave the view.
    await sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: 'StopLogging' }).waitFor({ state: 'detached' });
    await workbench.webviewFrame(LOOKUP_TITLE);
    await pinUntilCaseShows('AttachUserPolicy');
    await workbench.screenshot('08-case-finding');
    await workbench.runCommand('Trailscope: Export Case Timeline (Markdown)');
    await workbench.page.locator('.monaco-editor .view-lines', { hasText: 'AttachUserPolicy' }).first().waitFor({ timeout: 30_000 });
    // Back to the lookup, so that the next step acts on its open event.
    const lookup = await workbench.webviewFrame(LOOKUP_TITLE);
    await lookup.locator('aside.event-view .event-name', { hasText: 'AttachUserPolicy' }).waitFor();
  });

  it('shows every related event of the open event from the command palette', async () => {
    await workbench.runCommand('Trailscope: Show Related Events');
    const frame = await workbench.webviewFrame('Related: AttachUserPolicy');
    const pivots = frame.locator('nav.related-pane button.pivot');
    await pivots.first().waitFor({ timeout: 30_000 });
    assert.ok((await pivots.count()) >= 5, 'principal, access key, source IP, resources, request, time window…');
    await rows(frame);
    await workbench.screenshot('04-related-events');
  });

  it('shows the related events of an event asked for by ID from the store\'s context menu in the tree', async () => {
    const stopLogging = await eventIdOf('StopLogging');
    const sidebar = await workbench.openView();
    await contextMenu(sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: STORE }).first(), 'Show Related Events');
    // Asked in the store right-clicked (no "which store?"), whatever event the open panel shows.
    await typeAnswer('Event ID', stopLogging);
    const frame = await workbench.webviewFrame('Related: StopLogging');
    await frame.locator('nav.related-pane button.pivot').first().waitFor({ timeout: 30_000 });
    assert.match(await frame.locator('nav.related-pane').innerText(), new RegExp(STORY.attackerIp.replace(/\./g, '\\.')), 'the attacker\'s address is one of its links');
  });

  it('follows the source IP link to everything the attacker\'s address did', async () => {
    const frame = await workbench.webviewFrame(LOOKUP_TITLE);
    await frame.locator('aside.event-view .related-links button.link', { hasText: STORY.attackerIp }).first().click();
    const related = await workbench.webviewFrame(`Same source IP: ${STORY.attackerIp}`);
    const table = await rows(related);
    const text = (await table.allInnerTexts()).join('\n');
    assert.match(text, /GetObject/, 'the address also read objects');
    await workbench.screenshot('05-related-source-ip');
  });

  it('runs the top byte pairs query on the flow logs and shows its chart', async () => {
    await startWizard('Trailscope: Run Insights Query…', 'Insights query: where?');
    await choose('Insights query: where?', STORE);
    await tick('Insights query: log groups', 'vpc-flow-logs/');
    await choose('Insights query: which query?', 'Top byte transfers');
    await customRange();
    const frame = await workbench.webviewFrame('Top byte transfers');
    await rows(frame);
    await frame.locator('svg.chart.bar-chart').waitFor({ timeout: 30_000 });
    assert.match(await frame.locator('.grid-rows').innerText(), new RegExp(STORY.attackerIp.replace(/\./g, '\\.')), 'the attacker is among the top pairs');
    await workbench.screenshot('06-top-byte-pairs');
    // The top pair is the theft: open it and pin it to the case, as evidence of what left.
    const table = await rows(frame);
    await table.first().click();
    await workbench.page.keyboard.press('Enter');
    await frame.locator('aside.event-view').waitFor();
    await pinUntilCaseShows(`srcAddr=${STORY.theft.instanceIp} dstAddr=${STORY.attackerIp}`);
  });

  it('runs a query written in an .insights file from the editor title button, on the log groups chosen', async () => {
    const hunt = join(workbench.workspace, 'hunts', 'theft.insights');
    mkdirSync(dirname(hunt), { recursive: true });
    writeFileSync(hunt, `filter srcAddr = "${STORY.theft.instanceIp}"\n| stats sum(bytes) as bytesOut by dstAddr\n| sort bytesOut desc\n`);
    await workbench.page.keyboard.press('Control+P');
    await quickInput().locator('input.input').fill('theft.insights');
    await quickInput().locator('.monaco-list-row', { hasText: 'theft.insights' }).first().waitFor();
    await workbench.page.keyboard.press('Enter');
    await workbench.page.locator('.editor-actions [aria-label^="Run on Log Groups"]').first().click();
    // VS Code passes the button the file's URI and more: the wizard starts at its first step, and the
    // query is the file's (no "which query?" step).
    await choose('Insights query: where?', STORE);
    await tick('Insights query: log groups', 'vpc-flow-logs/');
    await customRange();
    const frame = await workbench.webviewFrame('hunts/theft.insights');
    const table = await rows(frame);
    assert.match(await table.first().innerText(), new RegExp(STORY.attackerIp.replace(/\./g, '\\.')), 'most bytes went to the attacker');
    // Run again from the button, the file's log groups are remembered: only the time range is asked.
    await workbench.page.locator('.tabs-container .tab', { hasText: 'theft.insights' }).first().click();
    await workbench.page.locator('.editor-actions [aria-label^="Run on Log Groups"]').first().click();
    await quickInput().locator('.quick-input-title', { hasText: 'Time range' }).waitFor();
    await workbench.page.keyboard.press('Escape');
  });

  it('opens the sample notebook: each question with its saved answer; an event opens in a results panel; Run All asks again', async () => {
    await workbench.page.keyboard.press('Control+P');
    const input = quickInput().locator('input.input');
    await input.fill('sample-incident.trailscope-notebook');
    await quickInput().locator('.monaco-list-row', { hasText: 'sample-incident.trailscope-notebook' }).first().waitFor();
    await workbench.page.keyboard.press('Enter');
    // Outputs are drawn by the extension's renderer inside the notebook's own webview.
    const output = await notebookOutput('44 events');
    await output.locator('td', { hasText: STORY.attackerIp }).first().waitFor();
    // The pins' notifications would cover the answer in the README's picture.
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.screenshot('09-sample-notebook');

    // A click on the StopLogging row opens the answer in a results panel, on that event.
    await output.locator('tr', { hasText: 'StopLogging' }).first().click();
    const frame = await workbench.webviewFrame('44 events · sample-incident.trailscope-notebook');
    await frame.locator('.toolbar .row-count').filter({ hasText: /44 events/ }).waitFor({ timeout: 30_000 });
    await frame.locator('aside.event-view .event-name', { hasText: 'StopLogging' }).waitFor({ timeout: 30_000 });

    // Run All asks every question again with Trailscope's kernel (the only one for these notebooks, chosen
    // without a picker); the toolbar offers Run All again once the last cell is done.
    await workbench.page.locator('.tabs-container .tab', { hasText: 'sample-incident.trailscope-notebook' }).first().click();
    const runAll = workbench.page.getByRole('button', { name: /^Run All/ }).first();
    // The saved answers say when they ran (the incident's last day): a fresh one ran after this click.
    const clicked = new Date();
    await runAll.click();
    await notebookOutput(undefined, clicked);
    assert.equal(await quickInput().isVisible(), false, 'no kernel picker');
    await runAll.waitFor({ timeout: 30_000 });
    // Select the first query cell (Escape leaves its editor), go to the last cell, then up one: the top byte
    // pairs come into view with the bar chart the results view would draw.
    await workbench.page.locator('.notebook-editor .monaco-editor .view-lines', { hasText: 'AccessKeyId=' }).first().click();
    await workbench.page.keyboard.press('Escape');
    await workbench.page.keyboard.press('Control+End');
    await workbench.page.keyboard.press('ArrowUp');
    await workbench.page.keyboard.press('ArrowUp');
    // Asked again by Run All: the saved answer reads "10 rows" too.
    const bytes = await notebookOutput('10 rows', clicked);
    await bytes.locator('svg.chart.bar-chart').waitFor();
    await workbench.screenshot('10-notebook-chart');
  });

  it('reaches the demo account on the local endpoint: the stopped trail is flagged, and a live lookup finds the StopLogging', async () => {
    const data = await EvidenceSource.open(join(workbench.workspace, STORE), { readOnly: true });
    const endpoint = await startEndpoint({
      backend: evidenceBackend(data),
      trails: [{
        Name: STORY.tampering.trailName, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true,
        LogFileValidationEnabled: true, S3BucketName: 'acme-cloudtrail-logs', status: { IsLogging: false, StopLoggingTime: STORY.tampering.stopLogging },
      }],
      faults: { lookupRatePerSecond: 0 },
    });
    const settings = join(workbench.workspace, '.vscode');
    try {
      mkdirSync(settings, { recursive: true });
      writeFileSync(join(settings, 'settings.json'), JSON.stringify({ 'trailscope.endpointUrl': endpoint.url }));
      const sidebar = await workbench.openView();
      // A row whose label starts with the text (a store's "Regions" row also mentions us-east-1).
      const row = (text: string) => sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first();
      await row('demo (local endpoint)').waitFor({ timeout: 30_000 });
      for (const label of ['demo (local endpoint)', 'us-east-1', 'Trails']) {
        await row(label).click();
        await workbench.page.keyboard.press('ArrowRight');
      }
      const trail = row(STORY.tampering.trailName);
      await trail.waitFor({ timeout: 30_000 });
      assert.match(await trail.innerText(), /logging stopped/);

      await startWizard('Trailscope: Lookup Events…', 'Lookup events: where?');
      await choose('Lookup events: where?', 'demo (local endpoint)');
      await quickInput().locator('.quick-input-title', { hasText: 'which regions' }).waitFor();
      await workbench.page.keyboard.press('Enter');
      // The wizard remembers the leaked key from the first lookup; with the event name, both must match.
      await tick('Lookup events: filter on', 'Access key ID', 'Event name');
      await typeAnswer('Access key ID', STORY.leakedAccessKeyId);
      await typeAnswer('Event name', 'StopLogging');
      await customRange();
      const frame = await workbench.webviewFrame('EventName=StopLogging');
      assert.match((await (await rows(frame)).allInnerTexts()).join('\n'), /StopLogging/);
      assert.ok(endpoint.requests.some((r) => r.operation === 'LookupEvents'), 'the lookup went through the endpoint');
      await workbench.screenshot('07-demo-account-live-lookup');
    } finally {
      rmSync(settings, { recursive: true, force: true });
      await endpoint.close();
      data.close();
    }
  });
  it('ingests a folder from the Explorer\'s context menu into a new store, and lists each problem with what was kept', async () => {
    const share = join(workbench.workspace, 'colleague-share');
    mkdirSync(share, { recursive: true });
    const otrf = join(workbench.repo, 'test', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');
    copyFileSync(otrf, join(share, 'trail.json'));
    // Half of a gzip file: DuckDB cannot read it; the records before the cut are kept and the cut reported.
    const records = readFileSync(otrf, 'utf8').split('\n').filter(Boolean).slice(0, 20).map((line) => JSON.parse(line) as unknown);
    const gz = gzipSync(JSON.stringify({ Records: records }));
    writeFileSync(join(share, 'broken.json.gz'), gz.subarray(0, gz.length >> 1));

    await workbench.page.keyboard.press('Control+Shift+E');
    const folder = workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'colleague-share' }).first();
    await folder.waitFor({ timeout: 30_000 });
    await contextMenu(folder, 'Ingest Evidence…');
    await choose('Ingest into which evidence store?', 'New store…');
    // The save dialog (a quick input in the browser) proposes evidence.duckdb in the workspace.
    await quickInput().locator('.quick-input-title', { hasText: 'New evidence store' }).waitFor();
    await workbench.page.waitForFunction(() => /evidence\.duckdb$/.test(document.querySelector<HTMLInputElement>('.quick-input-widget input.input')?.value ?? ''));
    await quickInput().getByRole('button', { name: 'OK' }).click();

    const toast = workbench.page.locator('.notifications-toasts .notification-list-item', { hasText: 'Ingested 103 CloudTrail events' });
    await toast.waitFor({ timeout: 60_000 });
    assert.match(await toast.innerText(), /from 2 files into evidence\.duckdb \(5 duplicates skipped\); 2 problems found\./);
    await toast.getByRole('button', { name: 'Show Problems' }).click();
    const problems = workbench.page.locator('.monaco-editor .view-lines', { hasText: 'Problems (everything else was ingested)' }).first();
    await problems.waitFor({ timeout: 30_000 });
    // The editor draws spaces as no-break spaces.
    const text = (await problems.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /broken\.json\.gz: truncated gzip \(unexpected end of file\): what came before the cut is kept/);
    assert.match(text, /broken\.json\.gz:record 6: the document ends here, cut short/);
    // The new store is in the tree, with the colleague's events.
    const sidebar = await workbench.openView();
    await sidebar.locator('.monaco-list-row[role=treeitem]', { hasText: 'evidence.duckdb' }).first().waitFor({ timeout: 30_000 });
    await workbench.screenshot('11-skipped-files');
  });
});
