import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { LookupEvent } from '../../../src/core/cloudtrail/event';
import { openBrowser, writeViewPage, type BrowserSession } from './support/browser';
import { otrfEvents } from './support/events';

/** The event view's JSON tree and its search, over hostile records, in Chromium. */

/** More nested arrays than the browser's stack takes when a level costs a call (8,000 overflowed the tree). */
const NESTING = 100_000;
const deeplyNested = (inner: string) => `${'['.repeat(NESTING)}${inner}${']'.repeat(NESTING)}`;

function withRecord(event: LookupEvent, recordText: string): LookupEvent {
  return { ...event, CloudTrailEvent: recordText };
}

/** Waits until the search's highlights read `texts` (the record is searched once typing pauses). */
async function marksRead(page: Page, texts: string[]): Promise<void> {
  const read = () => page.locator('.event-view mark.match').allInnerTexts();
  await page.waitForFunction((expected) => [...document.querySelectorAll('.event-view mark.match')].map((m) => m.textContent).join('\n') === expected, texts.join('\n'), { timeout: 5000 }).catch(async () => {
    assert.deepEqual(await read(), texts);
  });
}

describe('event view over hostile records', () => {
  let session: BrowserSession;
  const [event] = otrfEvents();

  before(async () => {
    session = await openBrowser();
  });
  after(() => session?.close());

  /** Opens a page of these events at the first, collecting the page's errors. */
  async function openAt(name: string, events: LookupEvent[]): Promise<{ page: Page; errors: string[] }> {
    const page = await session.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const file = await writeViewPage(session.dir, name, { Events: events }, events[0].EventId);
    await page.goto(pathToFileURL(file).href);
    await page.locator('.event-view .json-tree').waitFor();
    return { page, errors };
  }

  it('shows a record nested 100,000 levels deep, finds a value at the bottom, and copies the record', async () => {
    const recordText = `{"eventName":"GetObject","requestParameters":{"filter":${deeplyNested('"Needle at the bottom"')}}}`;
    const { page, errors } = await openAt('deep', [withRecord(event, recordText)]);
    const view = page.locator('.event-view');
    assert.match(await view.locator('.json-tree').innerText(), /eventName: GetObject/);
    await view.locator('.event-search').fill('needle');
    const mark = view.locator('mark.match');
    await mark.waitFor({ state: 'attached' });
    assert.equal(await view.locator('.match-count').innerText(), '1 of 1');
    assert.equal(await mark.innerText(), 'Needle');
    assert.ok(await mark.isVisible(), 'the branches down to the match are open');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await view.locator('button', { hasText: 'Copy JSON' }).click();
    await page.waitForFunction(() => document.querySelector('.toast')?.textContent === 'Record copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), recordText);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('warns of a key written twice and of a number too long to show, naming them as text, and copies the record as written', async () => {
    const hostile = '<img src=x onerror=alert(1)>\u202egnp.exe';
    const recordText = `{"eventName":"ListBuckets","eventName":"DeleteTrail","requestParameters":{${JSON.stringify(hostile)}:1,${JSON.stringify(hostile)}:2,"size":12345678901234567890}}`;
    const { page, errors } = await openAt('losses', [withRecord(event, recordText)]);
    const warning = page.locator('.event-view .record-losses');
    assert.deepEqual(await warning.locator('code').allInnerTexts(), ['eventName', 'requestParameters.<img src=x onerror=alert(1)>⟨U+202E⟩gnp.exe', 'requestParameters.size']);
    assert.match(await warning.innerText(), /writes a key twice \(eventName, requestParameters\.<img.*\)\. CloudTrail never does/);
    assert.match(await warning.innerText(), /Numbers longer than this view holds exactly \(requestParameters\.size\) are shown rounded/);
    assert.equal(await page.locator('img').count(), 0);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('.event-view button', { hasText: 'Copy JSON' }).click();
    await page.waitForFunction(() => document.querySelector('.toast')?.textContent === 'Record copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /"eventName": "ListBuckets",\n {2}"eventName": "DeleteTrail",/);
    assert.match(copied, /"size": 12345678901234567890\n/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('finds a match a megabyte into a value, showing the part around it, and the rest on request', async () => {
    const blob = `${'a'.repeat(2 ** 20)}needle${'b'.repeat(1000)}`;
    const { page, errors } = await openAt('far-match', [withRecord(event, JSON.stringify({ eventName: 'GetObject', blob }))]);
    await page.locator('.event-view .event-search').fill('needle');
    await marksRead(page, ['needle']);
    const value = page.locator('.event-view mark.match').locator('xpath=..');
    const shown = await value.innerText();
    assert.ok(shown.length < 5000, `${shown.length} characters shown`);
    assert.match(shown, /^… a+needleb+… show all 1,049,582 characters$/);
    await value.locator('.show-all').click();
    assert.equal(await value.innerText(), blob);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('searches the record once typing pauses, not at every key', async () => {
    const { page, errors } = await openAt('typing', [event]);
    await page.evaluate(() => {
      const record = document.querySelector('.event-view .event-record');
      const w = window as unknown as { redraws: number };
      w.redraws = 0;
      new MutationObserver((records) => (w.redraws += records.length)).observe(record!, { childList: true });
      const search = document.querySelector<HTMLInputElement>('.event-view .event-search')!;
      for (const typed of ['e', 'ev', 'eve']) {
        search.value = typed;
        search.dispatchEvent(new Event('input'));
      }
    });
    await page.locator('.event-view mark.match').first().waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => (window as unknown as { redraws: number }).redraws), 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('highlights exactly the matching text: after characters that lower-case longer (İ), pattern characters as themselves', async () => {
    const value = `${'İ'.repeat(10)}needle and NEEDLE`;
    const note = 'costs $5 (a.k.a. [five]) or \\d+';
    const { page, errors } = await openAt('highlights', [withRecord(event, JSON.stringify({ eventName: 'GetObject', userAgent: value, note }))]);
    const view = page.locator('.event-view');
    const search = view.locator('.event-search');
    await search.fill('Needle');
    await marksRead(page, ['needle', 'NEEDLE']);
    assert.ok((await view.locator('.json-tree').innerText()).includes(`userAgent: ${value}`), 'the value reads as it is');
    await search.fill(note);
    await marksRead(page, [note]);
    await search.fill('a.k');
    await marksRead(page, ['a.k']);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
