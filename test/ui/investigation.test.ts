// A responder's walk through the sample incident in the real workbench, from the packaged VSIX: open the
// Trailscope view, look events up from the command palette, sort, open an event, follow a related-event
// link, and run the top byte pairs query to see its chart. Each step leaves a screenshot in
// test-results/screenshots/; the README shows the best of them (docs/*.png).
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { ingestPaths } from '../../src/sources/evidence/ingest/index';
import { EvidenceStore } from '../../src/sources/evidence/store';
import { workbench } from './workbench';

const STORE = 'incident.duckdb';

/** The incident's evidence in the workspace: the OTRF CloudTrail records and the flow log beside them. */
async function ingestIncident(): Promise<void> {
  const input = join(workbench.workspace, 'evidence');
  mkdirSync(input, { recursive: true });
  cpSync(join(workbench.repo, 'test', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration'), join(input, 'cloudtrail'), { recursive: true });
  cpSync(join(workbench.repo, 'test', 'fixtures', 'ui-incident', 'AWSLogs'), join(input, 'AWSLogs'), { recursive: true });
  const store = await EvidenceStore.open(join(workbench.workspace, STORE));
  try {
    const report = await ingestPaths(store, [input]);
    assert.ok(report.records.cloudtrail >= 100 && report.records.flow > 0, JSON.stringify(report));
  } finally {
    store.close();
  }
}

/** Runs a palette command that opens a wizard: its first question replaces the palette. */
async function startWizard(command: string, firstQuestion: string): Promise<void> {
  await workbench.page.keyboard.press('F1');
  const input = quickInput().locator('input.input');
  await input.waitFor();
  await input.fill(`>${command}`);
  await quickInput().locator(`.monaco-list-row[aria-label="${command}"]`).first().click();
  await quickInput().locator('.quick-input-title', { hasText: firstQuestion }).waitFor();
}

function quickInput(): Locator {
  return workbench.page.locator('.quick-input-widget');
}

/** Types into the open quick pick and accepts the first match, as a person does. */
async function choose(text: string): Promise<void> {
  const input = quickInput().locator('input.input');
  await input.waitFor();
  await input.fill(text);
  await quickInput().locator('.monaco-list-row', { hasText: text }).first().waitFor();
  await workbench.page.keyboard.press('Enter');
}

/** Ticks one item of a multi-select quick pick by its label, then accepts. */
async function tick(...labels: string[]): Promise<void> {
  const input = quickInput().locator('input.input');
  for (const label of labels) {
    await input.fill(label);
    const row = quickInput().locator('.monaco-list-row', { hasText: label }).first();
    await row.locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
  }
  await input.fill('');
  await workbench.page.keyboard.press('Enter');
}

async function typeAnswer(text: string): Promise<void> {
  const input = quickInput().locator('input.input');
  await input.waitFor();
  await input.fill(text);
  await workbench.page.keyboard.press('Enter');
}

async function customRange(): Promise<void> {
  await choose('Custom range');
  await typeAnswer('2020-09-13');
  await typeAnswer('2020-09-15');
}

async function rows(frame: FrameLocator): Promise<Locator> {
  const all = frame.locator('.grid-rows .row');
  await all.first().waitFor({ timeout: 30_000 });
  return all;
}

describe('investigation (UI): the sample incident', function () {
  this.timeout(120_000);

  before(async () => {
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
    await choose(STORE);
    await tick('Source IP address');
    await typeAnswer('1.2.3.4');
    await customRange();
    const frame = await workbench.webviewFrame('Lookup: sourceIPAddress=1.2.3.4');
    const table = await rows(frame);
    await frame.locator('.toolbar .row-count').filter({ hasText: /9\d/ }).waitFor();
    await frame.locator('.grid-header button.sort', { hasText: 'EventName' }).click();
    await frame.locator('.grid-header .sort-mark').waitFor();
    const first = await table.first().innerText();
    assert.match(first, /Describe/, 'sorted by event name, A to Z');
    await workbench.screenshot('02-lookup-sorted');
  });

  it('opens an event with its record and related-event links', async () => {
    const frame = await workbench.webviewFrame('Lookup: sourceIPAddress=1.2.3.4');
    await frame.locator('.toolbar input.filter').fill('GetObject');
    const table = await rows(frame);
    // Enter on the active row opens it, as from the keyboard.
    await table.first().click();
    await workbench.page.keyboard.press('Enter');
    const view = frame.locator('aside.event-view');
    await view.locator('.event-name', { hasText: 'GetObject' }).waitFor();
    await view.locator('.related-links button.link').first().waitFor({ timeout: 30_000 });
    assert.match(await view.locator('.event-record').innerText(), /i-0317f6c6b66ae9c40/);
    await workbench.screenshot('03-event-view');
  });

  it('follows the role session link to the session\'s other calls', async () => {
    const frame = await workbench.webviewFrame('Lookup: sourceIPAddress=1.2.3.4');
    await frame.locator('aside.event-view .related-links button.link', { hasText: /session/i }).first().click();
    const related = await workbench.webviewFrame('Same role session');
    const table = await rows(related);
    const text = (await table.allInnerTexts()).join('\n');
    assert.match(text, /ListObjects|ListBuckets/, 'the session also listed buckets and objects');
    await workbench.screenshot('04-related-session');
  });

  it('runs the top byte pairs query on the flow logs and shows its chart', async () => {
    await startWizard('Trailscope: Run Insights Query…', 'Insights query: where?');
    await choose(STORE);
    await tick('vpc-flow-logs');
    await choose('byte');
    await customRange();
    const frame = await workbench.webviewFrame('byte');
    await rows(frame);
    await frame.locator('svg.chart.bar-chart').waitFor({ timeout: 30_000 });
    assert.match(await frame.locator('.grid-rows').innerText(), /1\.2\.3\.4/, 'the exfiltration peer is among the top pairs');
    await workbench.screenshot('05-top-byte-pairs');
  });
});
