import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { newCase, type InvestigationCase } from '../../../src/core/case/case-file';
import { addFinding, addJournalEntry, saveQuery, setNote } from '../../../src/core/case/edit';
import { caseTimeline } from '../../../src/core/case/timeline';
import { displayText } from '../../../src/core/format/display-text';
import type { Target } from '../../../src/core/target';
import { flowRows, injectionEvent, loadCorpus } from '../../fixtures/injection/corpus';

/**
 * The case report is Markdown that VS Code's preview (markdown-it, HTML and linkify on) and ticket systems
 * render, and most of it comes from logs. Rendered here with the same library, every payload of the
 * injection corpus must come out as text: no element, link or table cell that the log value made.
 */
const markdown = new MarkdownIt({ html: true, linkify: true });
const NOW = new Date('2026-11-24T02:00:00Z');
const store: Target = { kind: 'evidence', path: join('/cases', 'x', 'incident.duckdb') };

/** The elements a report may contain; anything else came from a value. */
const ALLOWED_TAGS = new Set(['h1', 'h2', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'ol', 'li', 'strong', 'pre']);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Text content of the cells of each body row of the `which`th table, entities decoded. */
function bodyRows(html: string, which = 0): string[][] {
  const body = [...html.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)][which]?.[1] ?? '';
  const decode = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => decode(cell[1]!)));
}

describe('case timeline report', () => {
  it('lists the findings in time order with their notes, then the saved queries', () => {
    const corpus = loadCorpus();
    let c: InvestigationCase = newCase('IR-2041: leaked key', NOW);
    c = addFinding(c, { event: injectionEvent(corpus[1]!, 1) }, store, NOW).case;
    c = addFinding(c, { event: injectionEvent(corpus[0]!, 0) }, store, NOW).case;
    c = setNote(c, { event: injectionEvent(corpus[1]!, 1), target: store }, 'attacker enumerates buckets');
    const long = `Deactivated the key, then ${'checked every region for its use; '.repeat(10)}done.`;
    c = setNote(c, { event: injectionEvent(corpus[0]!, 0), target: store }, long);
    c = addJournalEntry(c, { at: '2024-05-02T09:00:00.000Z', text: 'Rotated the key <b>now</b> | see [ticket](https://example.com)' });
    c = saveQuery(c, { kind: 'insights', target: store, logGroups: ['flows'], query: 'stats sum(bytes) as b by srcAddr\n| sort b desc', start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' }, 'top talkers', NOW);
    const report = caseTimeline(c, NOW);
    const html = markdown.render(report);
    assert.match(html, /<h1>IR-2041: leaked key<\/h1>/);
    assert.match(report, /2 findings, 1 saved query\. Times are UTC\./);
    const rows = bodyRows(html);
    assert.deepEqual(rows.map((r) => r[0]), ['2024-05-01T12:00:00Z', '2024-05-01T12:00:01Z'], 'oldest first');
    assert.ok(long.length > 300);
    assert.deepEqual(rows.map((r) => r.at(-1)), [long, 'attacker enumerates buckets'], "the responders' words whole, however long")
    assert.equal(rows[0]!.at(-2), 'incident.duckdb', 'where each finding was found');
    assert.match(html, /<strong>top talkers<\/strong>/);
    assert.match(report, /2 findings, 1 saved query\. Times are UTC\./);
    assert.deepEqual(bodyRows(html, 1), [['2024-05-02T09:00:00Z', 'Rotated the key <b>now</b> | see [ticket](https://example.com)']], 'the journal, its markup shown as text');
    assert.match(html, /<pre><code>stats sum\(bytes\) as b by srcAddr\n\| sort b desc\n<\/code><\/pre>/, 'the query text as a code block');
  });

  it('keeps the tenth saved query and its code block in the one numbered list', () => {
    let c: InvestigationCase = newCase('many queries', NOW);
    for (let i = 1; i <= 11; i++) {
      c = saveQuery(c, { kind: 'insights', target: store, logGroups: ['flows'], query: `stats count(*) by srcAddr | limit ${i}`, start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' }, `query ${i}`, NOW);
    }
    const html = markdown.render(caseTimeline(c, NOW));
    assert.equal([...html.matchAll(/<ol/g)].length, 1, 'one list');
    assert.equal([...html.matchAll(/<li>[\s\S]*?<pre><code>[\s\S]*?<\/li>/g)].length, 11, 'each item holds its query');
  });

  it('keeps a title\'s closing # and a note\'s dollar signs as text', () => {
    let c = newCase('IR-2041 #', NOW);
    c = addFinding(c, { event: injectionEvent(loadCorpus()[0]!, 0) }, store, NOW).case;
    c = setNote(c, { event: injectionEvent(loadCorpus()[0]!, 0), target: store }, 'cost $5 per $x$');
    const report = caseTimeline(c, NOW);
    assert.match(markdown.render(report), /<h1>IR-2041 #<\/h1>/);
    assert.ok(report.includes('cost \\$5 per \\$x\\$'), 'no math in the preview');
  });

  it('renders every payload of the injection corpus as text in its cell, whatever field it is in', () => {
    const corpus = loadCorpus();
    let c = newCase('injection corpus', NOW);
    corpus.forEach((entry, i) => {
      c = addFinding(c, { event: injectionEvent(entry, i) }, store, NOW).case;
      c = setNote(c, { event: injectionEvent(entry, i), target: store }, entry.payload.slice(0, 500));
    });
    const html = markdown.render(caseTimeline(c, NOW));
    const foreign = tagsOf(html).filter((tag) => !ALLOWED_TAGS.has(tag));
    assert.deepEqual([...new Set(foreign)], [], 'no element came from a log value or a note');
    assert.doesNotMatch(html, /<[a-z]+\s[^>]*(href|src)=/i, 'no element with a link or a source, not even from linkify');
    const rows = bodyRows(html);
    assert.equal(rows.length, corpus.length);
    rows.forEach((row, i) => {
      const entry = corpus[i]!;
      assert.equal(row.length, 13, `${entry.id}: the row keeps its 13 cells`);
      const capped = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);
      assert.equal(row[2], capped(displayText(entry.payload)), `${entry.id}: the user name cell shows the payload`);
      assert.equal(row[12], displayText(entry.payload.slice(0, 500).replace(/\s+/g, ' ')).trim() || '–', `${entry.id}: the note shows as written, whole`);
    });
  });

  it('renders pinned log records in a table of their own, every corpus payload in their fields shown as text', () => {
    const corpus = loadCorpus();
    const rows = flowRows(corpus);
    let c = newCase('flow records', NOW);
    rows.forEach((record, i) => {
      c = addFinding(c, { record, query: corpus[i]!.payload }, store, NOW).case;
    });
    const html = markdown.render(caseTimeline(c, NOW));
    assert.deepEqual([...new Set(tagsOf(html).filter((tag) => !ALLOWED_TAGS.has(tag)))], []);
    assert.doesNotMatch(html, /<[a-z]+\s[^>]*(href|src)=/i);
    assert.match(html, /<h2>Log records<\/h2>/);
    const shown = bodyRows(html, 0);
    assert.equal(shown.length, corpus.length);
    const capped = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);
    shown.forEach((row, i) => {
      assert.equal(row.length, 5, `${corpus[i]!.id}: time, record, query, found in, note`);
      assert.equal(row[0], new Date(Date.parse('2024-05-01T12:00:00Z') + i * 1000).toISOString().replace('.000Z', 'Z'), 'the time from @timestamp');
      assert.equal(row[1], capped(displayText(rows[i]!.map((f) => `${f.field}=${f.value}`).join(' '))), `${corpus[i]!.id}: the record's fields`);
      assert.equal(row[2], capped(displayText(corpus[i]!.payload.replace(/\s+/g, ' '))), `${corpus[i]!.id}: the query`);
    });
  });
});

