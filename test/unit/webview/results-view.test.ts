import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { InsightsResult, RelatedResult } from '../../../src/core/results';
import { openBrowser, writeViewPage, type BrowserSession } from './support/browser';
import { otrfEvents, syntheticEvents } from './support/events';

/** The standalone results view in Chromium, used as a responder uses it: mouse and keyboard. */

const statistics = { recordsMatched: 2880, recordsScanned: 1_000_000, bytesScanned: 52_428_800 };

function lambdaDurations(): InsightsResult {
  const start = Date.parse('2024-05-01T10:00:00Z');
  const results = Array.from({ length: 24 }, (_, i) => [
    { field: 'bin(5m)', value: new Date(start + i * 300_000).toISOString().replace('T', ' ').replace('Z', '') },
    { field: 'avg(@duration)', value: String(120 + 40 * Math.sin(i / 3)) },
    { field: 'max(@duration)', value: String(400 + 80 * Math.cos(i / 4)) },
    { field: 'min(@duration)', value: String(15 + (i % 5)) },
  ]);
  return { status: 'Complete', results, statistics };
}

function topBytePairs(): InsightsResult {
  const results = Array.from({ length: 10 }, (_, i) => [
    { field: 'srcAddr', value: `10.0.1.${10 + i}` },
    { field: 'dstAddr', value: `198.51.100.${70 + i}` },
    { field: 'bytesTransferred', value: String(Math.round(8e9 / (i + 1))) },
  ]);
  return { status: 'Complete', results, statistics };
}

describe('results view in a browser', () => {
  let session: BrowserSession;
  const events = otrfEvents();
  let otrfPage: string;

  before(async () => {
    session = await openBrowser();
    otrfPage = pathToFileURL(await writeViewPage(session.dir, 'otrf', { Events: events })).href;
  });
  after(() => session?.close());

  async function open(url: string): Promise<Page> {
    const page = await session.newPage();
    await page.goto(url);
    await page.locator('.grid .row').first().waitFor();
    return page;
  }

  const column = (page: Page, index: number) => page.locator('.grid .row').evaluateAll((rows, i) => rows.map((r) => (r.children[i] as HTMLElement).innerText), index);

  it('sorts by a column from the mouse and from the keyboard, numbers as numbers', async () => {
    const page = await open(otrfPage);
    const header = page.locator('.hcell', { hasText: 'EventName' });
    await header.locator('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const ascending = await column(page, 1);
    assert.deepEqual(ascending, [...ascending].sort());
    await header.locator('button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const descending = await column(page, 1);
    assert.deepEqual(descending, [...descending].sort().reverse());
    // From inside the table: S sorts by the active cell's column.
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('s');
    assert.equal(await page.locator('.hcell', { hasText: 'EventSource' }).getAttribute('aria-sort'), 'ascending');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'filter', '/ goes to the filter');
    await page.close();
  });

  it('filters on every word, chooses columns, and counts what it shows', async () => {
    const page = await open(otrfPage);
    await page.locator('.filter').fill('assumerole ec2.amazonaws');
    await page.waitForFunction(() => document.querySelector('.row-count')?.textContent?.startsWith('5 of'));
    assert.equal(await page.locator('.row-count').innerText(), '5 of 103 events');
    assert.deepEqual(new Set(await column(page, 1)), new Set(['AssumeRole']));
    await page.locator('.columns-menu summary').click();
    await page.locator('.column-choice', { hasText: 'UserAgent' }).locator('input').check();
    await page.locator('.column-choice', { hasText: 'Resources' }).locator('input').uncheck();
    const headers = await page.locator('.hcell').allInnerTexts();
    assert.ok(headers.includes('UserAgent') && !headers.includes('Resources'), headers.join());
    // Drag the EventName header's edge 100 px to the right: the column and its cells widen.
    const header = page.locator('.hcell', { hasText: 'EventName' });
    const before = (await header.boundingBox())?.width ?? 0;
    const edge = await header.locator('.resize').boundingBox();
    assert.ok(edge);
    await page.mouse.move(edge.x + 2, edge.y + 5);
    await page.mouse.down();
    await page.mouse.move(edge.x + 102, edge.y + 5, { steps: 5 });
    await page.mouse.up();
    assert.equal(Math.round((await header.boundingBox())?.width ?? 0), Math.round(before + 100));
    assert.equal(Math.round((await page.locator('.grid .row').first().locator('.cell').nth(1).boundingBox())?.width ?? 0), Math.round(before + 100));
    await page.close();
  });

  it('moves through 10,000 rows from the keyboard with only the visible rows in the page', async () => {
    const file = await writeViewPage(session.dir, 'big', { Events: syntheticEvents(10_000) });
    const page = await open(pathToFileURL(file).href);
    const grid = page.locator('.grid');
    await grid.focus();
    assert.ok((await page.locator('.grid .row').count()) < 120, 'virtual scrolling keeps the DOM small');
    await page.keyboard.press('End');
    assert.equal(await page.locator('.row.active').getAttribute('aria-rowindex'), '10001');
    assert.ok((await page.locator('.row.active').innerText()).includes('02:46:39Z'), 'the last event is on screen');
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    const afterPage = Number(await page.locator('.row.active').getAttribute('aria-rowindex'));
    assert.ok(afterPage > 20 && afterPage < 60, `PageDown moves a screenful (row ${afterPage})`);
    await page.keyboard.press('ArrowUp');
    assert.equal(Number(await page.locator('.row.active').getAttribute('aria-rowindex')), afterPage - 1);
    await page.keyboard.press('Enter');
    assert.ok(await page.locator('.event-view').isVisible());
    await page.keyboard.press('Escape');
    assert.ok(await page.locator('.event-view').isHidden());
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'grid', 'focus returns to the table');
    await page.close();
  });

  it('opens an event as a JSON tree whose search highlights and expands the matches', async () => {
    const page = await open(otrfPage);
    await page.locator('.grid .row').nth(2).dblclick();
    const view = page.locator('.event-view');
    assert.equal(await view.locator('.event-name').innerText(), events[2].EventName);
    const attributes = view.locator('details', { has: page.locator('> summary', { hasText: 'attributes' }) });
    assert.equal(await attributes.getAttribute('open'), null, 'deep branches start collapsed');
    await view.locator('.event-search').fill('mfaauth');
    await view.locator('mark.match').first().waitFor();
    assert.equal(await view.locator('mark.match').count(), 1);
    assert.equal(await view.locator('mark.match').innerText(), 'mfaAuth');
    assert.notEqual(await attributes.getAttribute('open'), null, 'the branch holding the match opens');
    assert.equal(await view.locator('.match-count').innerText(), '1 of 1');
    await page.close();
  });

  it('shows a record that is not JSON as its raw text', async () => {
    const broken = { ...events[0], CloudTrailEvent: '{"eventName": "GetObject", "userAgent": "cut off here' };
    const file = await writeViewPage(session.dir, 'broken', { Events: [broken] }, broken.EventId);
    const page = await open(pathToFileURL(file).href);
    const view = page.locator('.event-view');
    assert.match(await view.innerText(), /not valid JSON/);
    assert.equal(await view.locator('.raw-record').innerText(), broken.CloudTrailEvent);
    await page.close();
  });

  it('opens an Insights row with its JSON @message as a tree', async () => {
    const record = JSON.parse(events[7].CloudTrailEvent) as Record<string, unknown>;
    const rows: InsightsResult = {
      status: 'Complete',
      statistics,
      results: [
        [{ field: '@timestamp', value: '2020-09-14 00:44:24.000' }, { field: '@message', value: JSON.stringify(record) }],
        [{ field: '@timestamp', value: '2020-09-14 00:44:25.000' }, { field: '@message', value: '{not json' }],
      ],
    };
    const page = await open(pathToFileURL(await writeViewPage(session.dir, 'messages', rows)).href);
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const view = page.locator('.event-view');
    assert.equal(await view.locator('summary', { hasText: '@message' }).count(), 1, '@message is a branch');
    assert.match(await view.innerText(), new RegExp(`eventName: ${String(record.eventName)}`));
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.match(await view.innerText(), /@message: \{not json/);
    await page.close();
  });

  it('cuts long values in cells and tooltips between characters, never inside an emoji', async () => {
    const name = `${'A'.repeat(399)}😀tail`;
    const user = `${'B'.repeat(1999)}😀tail`;
    const file = await writeViewPage(session.dir, 'emoji-cut', { Events: [{ ...events[0], EventName: name, Username: user }] });
    const page = await open(pathToFileURL(file).href);
    const cells = page.locator('.grid .row').first().locator('.cell');
    assert.equal(await cells.nth(1).locator('.ctl').count(), 0, 'no half of the emoji shown as a hidden character');
    assert.equal(await cells.nth(1).innerText(), `${'A'.repeat(399)}… (405 characters)`);
    assert.equal(await cells.nth(3).getAttribute('title'), `${'B'.repeat(1999)}…`);
    await page.close();
  });

  it('warns of a key written twice or a long number in an Insights row\'s JSON @message, and copies the message as written', async () => {
    const message = '{"eventName":"ListBuckets","eventName":"DeleteTrail","size":12345678901234567890}';
    const rows: InsightsResult = { status: 'Complete', statistics, results: [[{ field: '@timestamp', value: '2020-09-14 00:44:24.000' }, { field: '@message', value: message }]] };
    const page = await open(pathToFileURL(await writeViewPage(session.dir, 'message-losses', rows)).href);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('.grid .row').first().dblclick();
    const warning = page.locator('.event-view .record-losses');
    assert.deepEqual(await warning.locator('code').allInnerTexts(), ['@message.eventName', '@message.size']);
    await page.locator('.event-view button', { hasText: 'Copy JSON' }).click();
    await page.waitForFunction(() => document.querySelector('.toast')?.textContent === 'Record copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /"eventName": "ListBuckets",\n {4}"eventName": "DeleteTrail",\n {4}"size": 12345678901234567890\n/);
    await page.close();
  });

  it('opens the event view at load with --event', async () => {
    const file = await writeViewPage(session.dir, 'with-event', { Events: events }, events[40].EventId);
    const page = await open(pathToFileURL(file).href);
    assert.ok((await page.locator('.event-view .event-meta').innerText()).includes(events[40].EventId));
    assert.equal(await page.locator('.row.active').getAttribute('aria-rowindex'), '42');
    await page.close();
  });

  it('copies a cell and a row to the clipboard', async () => {
    const page = await open(otrfPage);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('.grid .row').nth(0).locator('.cell').nth(1).click();
    await page.keyboard.press('Control+c');
    await page.waitForFunction(() => document.querySelector('.toast')?.textContent === 'Cell copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), events[0].EventName);
    await page.locator('button', { hasText: 'Copy row' }).click();
    await page.waitForFunction(() => document.querySelector('.toast')?.textContent === 'Row copied');
    const row = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(row.EventName, events[0].EventName);
    assert.equal(row.SourceIP, '1.2.3.4');
    await page.close();
  });

  it('exports the filtered, sorted rows as CSV and JSON downloads', async () => {
    const page = await open(otrfPage);
    await page.locator('.filter').fill('ListObjects');
    await page.waitForFunction(() => document.querySelector('.row-count')?.textContent?.startsWith('7 of'));
    await page.locator('.hcell', { hasText: 'EventTime' }).locator('button').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: 'Export CSV' }).click()]);
    const lines = readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
    assert.equal(lines[0], 'EventTime,EventName,EventSource,Username,SourceIP,ErrorCode,Resources');
    assert.equal(lines.length, 8);
    assert.ok(lines.slice(1).every((l) => l.includes(',ListObjects,')));
    const times = lines.slice(1).map((l) => l.split(',')[0]);
    assert.deepEqual(times, [...times].sort());
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('button', { hasText: 'Export JSON' }).click()]);
    const exported = JSON.parse(readFileSync(await json.path(), 'utf8'));
    assert.equal(exported.Events.length, 7);
    assert.equal(exported.Events[0].CloudTrailEvent, events.find((e) => e.EventId === exported.Events[0].EventId)?.CloudTrailEvent);
    await page.close();
  });

  it('draws the Lambda durations query as three lines in the theme chart colours', async () => {
    const file = await writeViewPage(session.dir, 'lambda', lambdaDurations());
    const page = await open(pathToFileURL(file).href);
    const chart = page.locator('.chart-pane svg.line-chart');
    await chart.waitFor();
    assert.equal(await chart.locator('path.series-line').count(), 3);
    assert.deepEqual(await chart.locator('.legend-label').allTextContents(), ['avg(@duration)', 'max(@duration)', 'min(@duration)']);
    const stroke = () => chart.locator('path.series-line').first().evaluate((p) => getComputedStyle(p).stroke);
    assert.equal(await stroke(), 'rgb(26, 133, 255)', 'charts-blue of the light defaults');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await stroke(), 'rgb(55, 148, 255)', 'charts-blue of the dark defaults');
    const box = await chart.boundingBox();
    const grid = await page.locator('.grid').boundingBox();
    assert.ok(box && grid && box.x >= grid.x + grid.width - 1, 'the chart is beside the table');
    await page.screenshot({ path: join(session.dir, 'lambda.png') });
    await page.close();
  });

  it('draws the top byte pairs query as ten bars labelled "src → dst"', async () => {
    const file = await writeViewPage(session.dir, 'bytes', topBytePairs());
    const page = await open(pathToFileURL(file).href);
    const chart = page.locator('.chart-pane svg.bar-chart');
    await chart.waitFor();
    assert.equal(await chart.locator('rect.bar').count(), 10);
    assert.equal(await chart.locator('.bar-label').first().textContent(), '10.0.1.10 → 198.51.100.70');
    const widths = await chart.locator('rect.bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('width'))));
    assert.deepEqual(widths, [...widths].sort((a, b) => b - a), 'bars shrink with the bytes');
    await page.locator('button', { hasText: 'Hide chart' }).click();
    assert.ok(await page.locator('.chart-pane').isHidden());
    await page.close();
  });

  it('draws a chart of values up to the largest double, without one beyond it, and the table shows them all', async () => {
    const values = ['5', '1.7e308', '-1e308', '1e400'];
    const results = values.map((value, i) => [{ field: 'bin(5m)', value: `2024-05-01 10:${String(i * 5).padStart(2, '0')}:00.000` }, { field: 'bytes', value }]);
    const file = await writeViewPage(session.dir, 'huge', { status: 'Complete', results, statistics } satisfies InsightsResult);
    const page = await open(pathToFileURL(file).href);
    const chart = page.locator('.chart-pane svg.line-chart');
    await chart.waitFor();
    const path = (await chart.locator('path.series-line').getAttribute('d')) ?? '';
    const ys = path.split(' ').map((point) => Number(point.split(',')[1]));
    assert.equal(ys.length, 3, `a point for each finite value: ${path}`);
    const height = Number(await chart.getAttribute('height'));
    assert.ok(ys.every((y) => y >= 0 && y <= height), `every point inside the chart: ${path}`);
    const labels = await chart.locator('.axis-label').allTextContents();
    assert.ok(labels.includes('1e+308') && labels.includes('-1e+308'), labels.join(' '));
    assert.ok(labels.every((l) => !/NaN|Infinity/.test(l)), labels.join(' '));
    assert.deepEqual(await column(page, 1), values);
    await page.close();
  });

  it('shows a related result: its pivots with counts, each opening its events in the table', async () => {
    const origin = events.find((e) => e.EventName === 'ListObjects') ?? events[0];
    const related: RelatedResult = {
      event: origin,
      pivots: [
        { pivot: 'source-ip', value: '1.2.3.4', count: 98, events: events.filter((e) => e.CloudTrailEvent.includes('"1.2.3.4"')) },
        { pivot: 'time-window', value: 'arn:aws:iam::123456789123:user/pedro', count: 12, events: events.slice(0, 3) },
      ],
    };
    const file = await writeViewPage(session.dir, 'related', related);
    const page = await open(pathToFileURL(file).href);
    const pivots = page.locator('.related-pane .pivot');
    assert.deepEqual(await pivots.locator('.badge').allInnerTexts(), ['98', '12']);
    assert.equal(await page.locator('.row-count').innerText(), '98 events');
    await page.locator('.related-pane button', { hasText: 'Open event' }).click();
    const link = page.locator('.event-view .related-links .link', { hasText: 'Same principal around this time' });
    assert.equal(await link.locator('.badge').innerText(), '12');
    await link.click();
    assert.equal(await page.locator('.row-count').innerText(), '3 events (the first of 12 related)');
    assert.equal(await pivots.nth(1).getAttribute('aria-pressed'), 'true');
    await page.close();
  });
});
