import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newNonce, panelHtml } from '../../../src/webview/html';
import { validateAppMessage, type AppMessage, type HostMessage } from '../../../src/webview/protocol';
import { exportView } from '../../../src/webview/table';
import { openBrowser, type BrowserSession } from './support/browser';
import { otrfEvents } from './support/events';

/**
 * The app inside the panel page, with the VS Code webview API stood in for: the test plays the host,
 * sends host messages and checks what the app sends back, each of which must pass the host's validator.
 */

const DIST_MEDIA = join(__dirname, '..', '..', '..', 'dist', 'media');

describe('results app talking to its host', () => {
  let session: BrowserSession;
  let url: string;
  const events = otrfEvents();

  before(async () => {
    session = await openBrowser();
    const file = join(session.dir, 'panel.html');
    const media = (name: string) => pathToFileURL(join(DIST_MEDIA, name)).href;
    writeFileSync(file, panelHtml({ nonce: newNonce(), cspSource: 'file:', scriptUri: media('results.js'), styleUri: media('results.css') }));
    url = pathToFileURL(file).href;
  });
  after(() => session?.close());

  async function openPanel(): Promise<{ page: Page; send: (m: HostMessage) => Promise<void>; posted: () => Promise<AppMessage[]> }> {
    const page = await session.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A string, not a function: the test runner's transpiler would add helpers the page does not have.
    await page.addInitScript(`
      window.__posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });
      // window.postMessage delivers later, as a task. The app listens from its first script, before this
      // listener, so when this one runs the app has handled the message (synchronously) and shows it.
      window.__deliver = (message) => new Promise((resolve) => {
        const delivered = () => { window.removeEventListener('message', delivered); resolve(); };
        window.addEventListener('message', delivered);
        window.postMessage(message, '*');
      });
    `);
    await page.goto(url);
    const posted = async () => {
      assert.deepEqual(errors, []);
      const messages = (await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as unknown[];
      // What the app sends is exactly what the host's validator accepts.
      for (const m of messages) assert.deepEqual(validateAppMessage(m), m);
      return messages as AppMessage[];
    };
    const send = (m: HostMessage) => page.evaluate((message) => (window as unknown as { __deliver: (m: unknown) => Promise<void> }).__deliver(message), m);
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
    return { page, send, posted };
  }

  it('shows pages as they arrive with progress, and cancels', async () => {
    const { page, send, posted } = await openPanel();
    await send({ type: 'show', title: 'Lookup: Username = pedro', query: 'Username = pedro, last 24 hours', running: true, payload: { kind: 'events', result: { Events: events.slice(0, 50) } } });
    await send({ type: 'progress', pages: 1, message: 'Fetching' });
    await page.locator('.progress .cancel').waitFor();
    assert.equal(await page.locator('.row-count').innerText(), '50 events');
    assert.match(await page.locator('.progress-text').innerText(), /Fetching · 1 page/);
    await page.locator('.grid').focus();
    for (let i = 0; i < 45; i++) await page.keyboard.press('ArrowDown');
    const scrolled = await page.locator('.grid').evaluate((g) => g.scrollTop);
    assert.ok(scrolled > 0);
    await send({ type: 'appendEvents', events: events.slice(50) });
    await page.waitForFunction(() => document.querySelector('.row-count')?.textContent === '103 events');
    assert.equal(await page.locator('.row.active').getAttribute('aria-rowindex'), '46', 'a new page keeps the row the user is on');
    assert.equal(await page.locator('.grid').evaluate((g) => g.scrollTop), scrolled, 'and where the table is scrolled');
    await page.locator('.progress .cancel').click();
    assert.deepEqual((await posted()).filter((m) => m.type === 'cancel'), [{ type: 'cancel' }]);
    await send({ type: 'done', message: 'Cancelled by you' });
    await page.locator('.progress .cancel').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('.progress-text').innerText(), 'Cancelled by you');
    await page.close();
  });

  it('asks for related counts, shows them, and follows a link', async () => {
    const { page, send, posted } = await openPanel();
    await send({ type: 'show', title: 'Events', payload: { kind: 'events', result: { Events: events } } });
    await page.locator('.grid .row').first().waitFor();
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const view = page.locator('.event-view');
    assert.match(await view.locator('.related-links').innerText(), /Counting related events/);
    assert.deepEqual((await posted()).at(-1), { type: 'openEvent', eventId: events[0].EventId });
    await send({
      type: 'relatedCounts',
      eventId: events[0].EventId,
      links: [
        { pivot: 'access-key', value: 'ASIA5FLZVX4OI4ZDQJOL', count: 97 },
        { pivot: 'source-ip', value: '1.2.3.4', count: 1000, capped: true },
        { pivot: 'minted-by', value: 'arn:aws:sts::123456789123:assumed-role/x', count: 0 },
        { pivot: 'flows', value: '1.2.3.4', count: 0, error: 'not authorized to perform: DescribeLogGroups' },
      ],
    });
    const links = view.locator('.related-links .link');
    assert.deepEqual(await links.locator('.badge').allInnerTexts(), ['97', '1,000+', '0', 'not read']);
    assert.ok(await links.nth(2).isDisabled(), 'a link to nothing cannot be followed');
    assert.ok(await links.nth(3).isDisabled(), 'nor one that could not be read');
    assert.equal(await links.nth(3).getAttribute('title'), 'Flow records of this IP: 1.2.3.4. Not read: not authorized to perform: DescribeLogGroups');
    await links.nth(0).click();
    assert.deepEqual((await posted()).at(-1), { type: 'openRelated', eventId: events[0].EventId, pivot: 'access-key', value: 'ASIA5FLZVX4OI4ZDQJOL' });
    await view.locator('button', { hasText: 'Open as JSON document' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'openAsJsonDocument', eventId: events[0].EventId });
    await page.close();
  });

  it('hands copies and exports to the host, with the view the host exports', async () => {
    const { page, send, posted } = await openPanel();
    const payload = { kind: 'events' as const, result: { Events: events } };
    await send({ type: 'show', title: 'Events', payload });
    await page.locator('.filter').fill('DescribeVolumes');
    await page.waitForFunction(() => document.querySelector('.row-count')?.textContent?.includes(' of '));
    await page.locator('.hcell', { hasText: 'EventTime' }).locator('button').click();
    await page.locator('.hcell', { hasText: 'EventTime' }).locator('button').click();
    await page.locator('.grid .row').first().locator('.cell').nth(1).click();
    await page.keyboard.press('Control+c');
    assert.deepEqual((await posted()).at(-1), { type: 'copy', text: 'DescribeVolumes' });
    await page.locator('button', { hasText: 'Export CSV' }).click();
    const message = (await posted()).at(-1);
    assert.equal(message?.type, 'exportResult');
    if (message?.type !== 'exportResult') return;
    assert.deepEqual(message.view.sort, { column: 'EventTime', descending: true });
    const csv = exportView(payload, message.view, message.format).trim().split('\r\n');
    assert.equal(`${csv.length - 1} of 103 events`, await page.locator('.row-count').innerText(), 'the rows the filter shows');
    const shown = await page.locator('.grid .row').evaluateAll((rows) => rows.map((r) => (r.children[0] as HTMLElement).innerText));
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]), shown);
    await page.close();
  });

  it('says why it cannot hand the host an export: a filter over 4,096 characters, a column name over 512', async () => {
    const { page, send, posted } = await openPanel();
    const longName = 'field'.repeat(103);
    const row = [{ field: 'srcAddr', value: '10.0.0.1' }, { field: longName, value: 'x' }];
    await send({ type: 'show', title: 'Insights', payload: { kind: 'insights', result: { status: 'Complete', results: [row], statistics: { recordsMatched: 1, recordsScanned: 1, bytesScanned: 1 } } } });
    await page.locator('button', { hasText: 'Export CSV' }).click();
    await page.locator('.toast', { hasText: 'Cannot export a column whose name is over 512 characters: hide it under Columns' }).waitFor();
    await page.locator('.columns-menu summary').click();
    await page.locator('.column-choice').nth(1).locator('input').uncheck();
    await page.locator('.filter').fill('10.0.0.1 '.repeat(500));
    await page.locator('button', { hasText: 'Export JSON' }).click();
    await page.locator('.toast', { hasText: 'Cannot export with a filter over 4,096 characters: shorten it' }).waitFor();
    assert.deepEqual((await posted()).filter((m) => m.type === 'exportResult'), []);
    await page.locator('.filter').fill('10.0.0.1');
    await page.locator('button', { hasText: 'Export JSON' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'exportResult', format: 'json', view: { columns: ['srcAddr'], filter: '10.0.0.1' } });
    await page.close();
  });

  it('shows Insights polls replacing rows, their statistics, and a failed query', async () => {
    const { page, send } = await openPanel();
    const row = (n: number) => [{ field: 'eventName', value: `E${n}` }, { field: 'count(*)', value: String(n) }];
    await send({ type: 'show', title: 'Insights', running: true, payload: { kind: 'insights', result: { status: 'Running', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } } });
    await send({ type: 'rows', rows: [row(1), row(2)], replace: true, version: 1 });
    await send({ type: 'progress', status: 'Running', statistics: { recordsMatched: 2, recordsScanned: 5000, bytesScanned: 2_000_000 }, estimatedCostUsd: 0.00001 });
    await send({ type: 'rows', rows: [row(1), row(2), row(3)], replace: true, version: 2 });
    await page.waitForFunction(() => document.querySelector('.row-count')?.textContent === '3 rows');
    assert.match(await page.locator('.progress-text').innerText(), /Running · 2 records matched · 5,000 scanned · 2\.0 MB scanned · cost < USD 0\.01/);
    assert.equal(await page.locator('.chart-pane svg.bar-chart rect.bar').count(), 3, 'the chart follows the rows');
    await send({ type: 'done', status: 'Failed', message: 'Query failed: too many fields' });
    await page.locator('.progress.failed').waitFor();
    assert.match(await page.locator('.progress-text').innerText(), /Failed · Query failed: too many fields/);
    await page.close();
  });

  it('opens the event the host asked for when its page arrives, and shows pages of another region in place', async () => {
    const { page, send } = await openPanel();
    const wanted = events[60]!;
    await send({ type: 'show', title: `Event ${wanted.EventId}`, running: true, openEventId: wanted.EventId, payload: { kind: 'events', result: { Events: [] } } });
    await send({ type: 'appendEvents', events: events.slice(0, 50) });
    assert.ok(await page.locator('.event-view').isHidden(), 'not before the event is there');
    await send({ type: 'appendEvents', events: events.slice(50, 70) });
    await page.locator('.event-view').waitFor();
    assert.match(await page.locator('.event-view').innerText(), new RegExp(wanted.EventId));
    // A page that goes between the events shown replaces them; the open event stays open.
    await send({ type: 'appendEvents', events: events.slice(40, 80), replace: true });
    await page.waitForFunction(() => document.querySelector('.row-count')?.textContent === '40 events');
    assert.ok(await page.locator('.event-view').isVisible());
    // A result that ends without the event says so.
    await send({ type: 'show', title: 'Event missing', running: true, openEventId: 'no-such-event', payload: { kind: 'events', result: { Events: [] } } });
    await send({ type: 'appendEvents', events: events.slice(0, 5) });
    await send({ type: 'done' });
    await page.locator('.toast', { hasText: 'Event no-such-event is not in this result' }).waitFor();
    await page.close();
  });

  it('says when related events could not be counted, instead of "no related keys"', async () => {
    const { page, send } = await openPanel();
    await send({ type: 'show', title: 'Events', payload: { kind: 'events', result: { Events: events } } });
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await send({ type: 'relatedCounts', eventId: events[0]!.EventId, links: [], error: 'Rate exceeded (ThrottlingException)' });
    const links = await page.locator('.event-view .related-links').innerText();
    assert.match(links, /Could not count them: Rate exceeded \(ThrottlingException\)/);
    assert.doesNotMatch(links, /No related keys/);
    await page.close();
  });

  it('says what it cannot hand the host (a copy over 4 MB, an event ID too long to look up) instead of doing nothing', async () => {
    const { page, send, posted } = await openPanel();
    const huge = { ...events[0]!, EventId: 'x'.repeat(300), CloudTrailEvent: JSON.stringify({ eventID: 'x'.repeat(300), blob: 'a'.repeat(5 * 2 ** 20) }) };
    await send({ type: 'show', title: 'Events', payload: { kind: 'events', result: { Events: [huge] } } });
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const view = page.locator('.event-view');
    assert.match(await view.locator('.related-links').innerText(), /event ID is empty or longer than 256 characters/);
    await view.locator('button', { hasText: 'Copy JSON' }).click();
    await page.locator('.toast', { hasText: /^Too large to copy \(5\.0 MB\)/ }).waitFor();
    const types = (await posted()).map((m) => m.type);
    assert.ok(!types.includes('copy') && !types.includes('openEvent'), types.join(', '));
    // The host hears that nothing it could name is open: Pin must not take the event open before.
    assert.equal(types.at(-1), 'closeEvent', types.join(', '));
    await page.close();
  });

  it('names to the host no event whose ID another event of the result has, so that Pin and related events never take the other', async () => {
    const { page, send, posted } = await openPanel();
    const [first, second] = [events[0]!, events[1]!].map((e) => ({ ...e, EventId: 'same-id' }));
    await send({ type: 'show', title: 'Result file', payload: { kind: 'events', result: { Events: [first!, second!] } } });
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted()).at(-1), { type: 'openEvent', eventId: 'same-id' }, 'the host finds the first by its ID');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted()).at(-1), { type: 'closeEvent' });
    const view = page.locator('.event-view');
    // The counts the host made for the first event arrive late: they are not the second's.
    await send({ type: 'relatedCounts', eventId: 'same-id', links: [{ pivot: 'source-ip', value: '1.2.3.4', count: 3 }] });
    assert.match(await view.locator('.related-links').innerText(), /Another event in this result has the same event ID/);
    assert.equal(await view.locator('.related-links .link').count(), 0);
    await view.locator('button', { hasText: 'Open as JSON document' }).click();
    await page.locator('.toast', { hasText: 'Another event in this result has the same event ID' }).waitFor();
    assert.deepEqual((await posted()).at(-1), { type: 'closeEvent' }, 'no document asked for');
    await page.close();
  });

  it('names the open Insights row by its index in the rows of the poll it came with; a related panel\'s flow record names none', async () => {
    const { page, send, posted } = await openPanel();
    const row = (ip: string) => [{ field: 'srcAddr', value: ip }, { field: '@timestamp', value: '2024-05-01 10:00:00.000' }];
    await send({ type: 'show', title: 'Insights', running: true, rowsVersion: 0, payload: { kind: 'insights', result: { status: 'Running', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } } });
    await send({ type: 'rows', rows: [row('198.51.100.9'), row('10.0.0.5')], replace: true, version: 3 });
    await page.waitForFunction(() => document.querySelector('.row-count')?.textContent === '2 rows');
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.locator('.event-view', { hasText: '198.51.100.9' }).waitFor();
    assert.deepEqual((await posted()).filter((m) => m.type === 'openRow'), [{ type: 'openRow', index: 0, version: 3 }]);
    await page.close();

    const flows = await openPanel();
    const origin = events[0]!;
    await flows.send({ type: 'show', title: 'Related', payload: { kind: 'related', result: { event: origin, pivots: [{ pivot: 'flows', value: '198.51.100.9', count: 1, rows: [row('198.51.100.9')] }] } } });
    await flows.page.locator('.related-pane button.pivot').first().click();
    await flows.page.locator('.grid').focus();
    await flows.page.keyboard.press('Home');
    await flows.page.keyboard.press('Enter');
    await flows.page.locator('.event-view', { hasText: 'Log record' }).waitFor();
    assert.equal((await flows.posted()).at(-1)?.type, 'closeEvent', 'the origin event is no longer what is open');
    await flows.page.close();
  });

  it('paints rows of megabyte values of hidden characters at once, their tooltips cut and marked', async () => {
    const { page } = await openPanel();
    // Built in the page: a hundred rows sharing one 1 MB string, where a file would hold a hundred copies.
    // How long it takes is a speed matter (it took 14 s when tooltips were marked before being cut), not a test's.
    await page.evaluate(`(async () => {
      const blob = '\\u200b'.repeat(2 ** 20);
      const results = Array.from({ length: 100 }, (_, i) => [{ field: '@timestamp', value: '2024-05-01 10:00:' + String(i % 60).padStart(2, '0') + '.000' }, { field: '@message', value: blob }]);
      await window.__deliver({ type: 'show', title: 'Zero-width', payload: { kind: 'insights', result: { status: 'Complete', results, statistics: { recordsMatched: 100, recordsScanned: 100, bytesScanned: 100 } } } });
    })()`);
    const cell = page.locator('.grid .row').first().locator('.cell').nth(1);
    const title = (await cell.getAttribute('title')) ?? '';
    assert.ok(title.startsWith('⟨U+200B⟩⟨U+200B⟩') && title.endsWith('…') && title.length <= 2001, title.slice(0, 40));
    await page.close();
  });

  it('shows every field of an Insights row in the record view, whatever its name', async () => {
    const { page, send } = await openPanel();
    const row = [{ field: '__proto__', value: 'polluted' }, { field: 'constructor', value: 'x' }, { field: '@timestamp', value: '2024-05-01 10:00:00.000' }];
    await send({ type: 'show', title: 'Insights', payload: { kind: 'insights', result: { status: 'Complete', results: [row], statistics: { recordsMatched: 1, recordsScanned: 1, bytesScanned: 1 } } } });
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const record = await page.locator('.event-view').innerText();
    assert.match(record, /__proto__/);
    assert.match(record, /polluted/);
    await page.close();
  });

  it('takes its colours from the VS Code theme, with borders in high contrast', async () => {
    const { page, send } = await openPanel();
    // What VS Code does for a high-contrast theme: a body class and the theme's variables on <html>.
    await page.evaluate(() => {
      document.body.className = 'vscode-high-contrast';
      const root = document.documentElement.style;
      root.setProperty('--vscode-contrastActiveBorder', 'rgb(243, 133, 24)');
      root.setProperty('--vscode-focusBorder', 'rgb(255, 255, 0)');
      root.setProperty('--vscode-charts-blue', 'rgb(0, 255, 255)');
    });
    const bytes = Array.from({ length: 3 }, (_, i) => [{ field: 'srcAddr', value: `10.0.0.${i}` }, { field: 'bytes', value: String(100 - i) }]);
    await send({ type: 'show', title: 'Top talkers', payload: { kind: 'insights', result: { status: 'Complete', results: bytes, statistics: { recordsMatched: 3, recordsScanned: 3, bytesScanned: 3 } } } });
    await page.locator('.grid').focus();
    await page.keyboard.press('ArrowDown');
    const outline = () => page.locator('.row.active').evaluate((r) => `${getComputedStyle(r).outlineStyle} ${getComputedStyle(r).outlineColor}`);
    assert.equal(await outline(), 'solid rgb(255, 255, 0)', 'the focused table marks its row with the focus border');
    await page.locator('.filter').focus();
    assert.equal(await outline(), 'solid rgb(243, 133, 24)', 'and without focus with the contrast border');
    assert.equal(await page.locator('rect.bar').first().evaluate((b) => getComputedStyle(b).fill), 'rgb(0, 255, 255)');
    await page.close();
  });
});
