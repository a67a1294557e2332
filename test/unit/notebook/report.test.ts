import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { chromium, type Browser } from 'playwright-core';
import { displayText } from '../../../src/core/format/display-text';
import type { InvestigationNotebook } from '../../../src/core/notebook/notebook-file';
import { storedPlace } from '../../../src/core/notebook/place';
import { notebookReport } from '../../../src/core/notebook/report';
import { flowRows, injectionEvent, loadCorpus } from '../../fixtures/injection/corpus';
import { CHROMIUM } from '../webview/support/browser';

/**
 * A notebook's report is Markdown rendered by VS Code's preview (markdown-it, HTML and linkify on) and by
 * ticket systems; its answers come from logs. Every payload of the injection corpus, in event fields,
 * flow-record values and Insights field names, must come out as text in its own cell.
 */
const markdown = new MarkdownIt({ html: true, linkify: true });
const NOW = new Date('2026-11-24T04:00:00Z');
const FOLDER = join('/cases', 'ir-2041');
const place = storedPlace({ target: { kind: 'evidence', path: join(FOLDER, 'otrf.duckdb') }, logGroups: [], start: '2024-05-01T00:00:00.000Z', end: '2024-05-02T00:00:00.000Z' }, FOLDER);
const ALLOWED_TAGS = new Set(['h1', 'h2', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'strong']);
const statistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };

const tagsOf = (html: string) => [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
const decode = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const tables = (html: string) => [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) => ({
  header: [...t[1]!.matchAll(/<th>([\s\S]*?)<\/th>/g)].map((c) => decode(c[1]!)),
  rows: [...t[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((r) => [...r[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!))),
}));
const capped = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);

describe('notebook report', () => {
  it('keeps the narrative, and gives each query cell where it ran, its text and its answer', () => {
    const corpus = loadCorpus().slice(0, 3);
    const notebook: InvestigationNotebook = {
      trailscopeNotebook: 1,
      cells: [
        { kind: 'markdown', source: '## What did the key read?\n\nThe **proxy** first.' },
        { kind: 'lookup', source: 'EventName=GetObject', place, output: { ranAt: '2026-11-24T03:59:00.123Z', note: 'CloudTrail event history ends 90 days back.', result: { kind: 'events', result: { Events: corpus.map(injectionEvent) } } } },
        { kind: 'insights', source: 'fields ```odd```\n| limit 1', place: { ...place, logGroups: ['flows'] }, output: { ranAt: '2026-11-24T03:59:30Z', error: 'query error at line 1, column 8' } },
        { kind: 'lookup', source: 'ReadOnly=false' },
        { kind: 'lookup', source: 'EventName=PutObject', place, unreadableOutput: { value: { ranAt: 'x' }, problem: 'cells[4].output.ranAt should be an ISO 8601 time' } },
      ],
    };
    const report = notebookReport(notebook, 'ir-2041.trailscope-notebook', FOLDER, NOW);
    const html = markdown.render(report);
    assert.match(html, /^<h1>ir-2041.trailscope-notebook<\/h1>/);
    assert.match(html, /<h2>What did the key read\?<\/h2>\n<p>The <strong>proxy<\/strong> first.<\/p>/, 'the narrative as written');
    assert.ok(report.includes('**Cell 2, lookup** on `otrf.duckdb · 2024-05-01T00:00:00Z → 2024-05-02T00:00:00Z`:\n\n```\nEventName=GetObject\n```\n\n3 events (ran `2026-11-24T03:59:00Z`). `CloudTrail event history ends 90 days back.`'));
    assert.deepEqual(tables(html)[0]!.header, ['EventTime', 'EventName', 'Username', 'AccessKeyId', 'SourceIP', 'ErrorCode', 'Resources']);
    assert.ok(report.includes('````\nfields ```odd```\n| limit 1\n````'), 'a fence longer than the backticks in the query');
    assert.ok(report.includes('Failed (ran `2026-11-24T03:59:30Z`): `query error at line 1, column 8`'));
    assert.ok(report.includes('**Cell 4, lookup** where it runs is not chosen yet:\n\n```\nReadOnly=false\n```\n\nNot run yet.'));
    assert.ok(report.includes('```\nEventName=PutObject\n```\n\nIts saved answer could not be read: `cells[4].output.ranAt should be an ISO 8601 time`'), 'not "not run yet"');
  });

  it('keeps each Markdown cell to itself: an open fence, comment or raw HTML block does not swallow the answers after it', () => {
    const corpus = loadCorpus().slice(0, 1);
    const answered = { kind: 'lookup' as const, source: 'EventName=DeleteTrail', place, output: { ranAt: '2026-11-24T03:59:00Z', result: { kind: 'events' as const, result: { Events: corpus.map(injectionEvent) } } } };
    for (const open of ['<!-- TODO: ask the owner', '```sh\naws cloudtrail get-trail-status', '~~~~\ncode', '<pre>\nraw', '<script>\nx', '<?php', '1. ```sh\n   ls', '> ```\n> quoted',
      // A fence's container decides what ends it: these are open at the end, or ended by their container.
      '- ```sh\nls', '```\n    ```\nx', '```\n> ```\nx', '- ```\n  code\n```', '> ```\n> code\n```',
      // Tabs after a list marker, markers nested on one line, lone carriage returns as line ends.
      '-\t```\n\tcode', '1.\t```\n\tcode', '- - ```\n    code', '1. - ```\n     code', '-\t<pre>\n\tx', '> a\r> ```\n> b', 'a\r\r```\rb']) {
      const html = markdown.render(notebookReport({ trailscopeNotebook: 1, cells: [{ kind: 'markdown', source: open }, answered, { kind: 'markdown', source: '## After' }] }, 'n', FOLDER, NOW));
      assert.equal(tables(html).length, 1, `${open}: the answer's table is shown`);
      assert.match(html, /<h2>After<\/h2>/, `${open}: the next cell too`);
    }
    // Closed ones are left as written: in a list item or a quote, and inline code at a line's start.
    for (const closed of ['<!-- a -->\n```\nx\n```', '1. ```sh\n   aws sts get-caller-identity\n   ```', '> ```\n> quoted\n> ```', '```ls -la``` lists files', '<pre>\nraw\n</pre>',
      '<!-->', '<!--->', '<?>']) {
      const report = notebookReport({ trailscopeNotebook: 1, cells: [{ kind: 'markdown', source: closed }, { kind: 'markdown', source: '## After' }] }, 'n', FOLDER, NOW);
      assert.ok(report.includes(`${closed}\n\n## After`), report);
      assert.match(markdown.render(report), /<h2>After<\/h2>/, closed);
    }
  });

  describe('in a browser', () => {
    let browser: Browser;
    before(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    });
    after(() => browser.close());

    it('closes at its end every element a Markdown cell opened and did not close: the cells after it are not inside it', async () => {
      const answered = { kind: 'lookup' as const, source: 'EventName=DeleteTrail', place, output: { ranAt: '2026-11-24T03:59:00Z', result: { kind: 'events' as const, result: { Events: loadCorpus().slice(0, 1).map(injectionEvent) } } } };
      const page = await browser.newPage();
      for (const open of ['## Notes\n\n<details><summary>more</summary>\n\nsome detail', '<div style="display:none">\n\n- hidden item', 'Read <b>this', 'See <a href="https://example.com/x">the ticket', '<span>\n\ntext',
        'A <div> inline', '<ul><li>one', '<table><tr><td>x', '<DIV/>\nupper case, self-closing', 'a <textarea> b', '> <details>\n> quoted', '<details>\n<!-- </details> -->', '<span><div></span>\nstill open',
        // A raw HTML block markdown-it ends (at `</script>`) that leaves its element open in a browser.
        '<pre>\nx </script>']) {
        const report = notebookReport({ trailscopeNotebook: 1, cells: [{ kind: 'markdown', source: open }, answered, { kind: 'markdown', source: '## After' }] }, 'n', FOLDER, NOW);
        await page.setContent(markdown.render(report));
        // What follows the cell is where the report put it: at the top of the page, with nothing around it.
        const shown = await page.evaluate(() => [
          [...document.querySelectorAll('strong')].find((s) => s.textContent === 'Cell 2, lookup')?.parentElement,
          [...document.querySelectorAll('table')].at(-1),
          [...document.querySelectorAll('h2')].find((h) => h.textContent === 'After'),
        ].map((e) => `${e?.parentElement?.tagName} > ${e?.tagName}${e?.tagName === 'H2' ? `: ${e.innerHTML}` : ''}`));
        assert.deepEqual(shown, ['BODY > P', 'BODY > TABLE', 'BODY > H2: After'], `${open}\n${report}`);
      }
      await page.close();
    });
  });

  it('shows every corpus payload as text in its cell: event fields, flow records, field names; the first 20 rows of each answer', () => {
    const corpus = loadCorpus();
    const cells: InvestigationNotebook['cells'] = [];
    for (let from = 0; from < corpus.length; from += 20) {
      const part = corpus.slice(from, from + 20);
      cells.push({ kind: 'lookup', source: 'ReadOnly=true', place, output: { ranAt: '2026-11-24T03:59:00Z', result: { kind: 'events', result: { Events: part.map((c, i) => injectionEvent(c, from + i)) } } } });
      cells.push({ kind: 'insights', source: 'fields srcAddr', place, output: { ranAt: '2026-11-24T03:59:00Z', result: { kind: 'insights', result: { status: 'Complete', results: flowRows(part), statistics } } } });
    }
    const named = corpus.slice(0, 20).map((c) => [{ field: c.payload.slice(0, 200), value: 'v' }]);
    cells.push({ kind: 'insights', source: 'fields *', place, output: { ranAt: '2026-11-24T03:59:00Z', result: { kind: 'insights', result: { status: 'Complete', results: [...named, ...named], statistics } } } });
    const html = markdown.render(notebookReport({ trailscopeNotebook: 1, cells }, 'corpus', FOLDER, NOW));
    assert.deepEqual([...new Set(tagsOf(html).filter((tag) => !ALLOWED_TAGS.has(tag)))], [], 'no element came from a log value');
    assert.doesNotMatch(html, /<[a-z]+\s[^>]*(href|src)=/i, 'no link, not even from linkify');
    const shown = tables(html);
    corpus.forEach((c, i) => {
      const events = shown[Math.floor(i / 20) * 2]!;
      const flows = shown[Math.floor(i / 20) * 2 + 1]!;
      const row = i % 20;
      assert.equal(events.rows[row]!.length, 7, `${c.id}: the event row keeps its cells`);
      assert.equal(events.rows[row]![2], capped(displayText(c.payload)), `${c.id}: the user name`);
      assert.equal(flows.rows[row]![flows.header.indexOf('srcAddr')], capped(displayText(c.payload)), `${c.id}: a flow record's field`);
    });
    const last = shown.at(-1)!;
    assert.equal(last.header.length, 20, 'one column a field name');
    assert.equal(last.rows.length, 20, 'the first 20 rows');
    corpus.slice(0, 20).forEach((c, i) => assert.equal(last.header[i], capped(displayText(c.payload.slice(0, 200))), `${c.id}: a field name as text`));
    assert.match(html, /The first 20 of 40 rows; the notebook has the others\./);
  });
});
