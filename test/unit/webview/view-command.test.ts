import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { buildApp } from './support/browser';
import { otrfEvents } from './support/events';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('trailscope view', () => {
  let dir: string;
  before(async () => {
    await buildApp();
    dir = mkdtempSync(join(tmpdir(), 'trailscope-view-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one self-contained page with the app, its style and the result inline', async () => {
    const input = join(dir, 'lookup.json');
    const events = otrfEvents();
    writeFileSync(input, JSON.stringify({ Events: events }));
    const out = join(dir, 'page.html');
    const result = await cli(['view', input, '--out', out, '--event', events[3].EventId]);
    assert.equal(result.code, 0, result.err);
    const html = readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /\s(src|href)=/, 'loads nothing');
    assert.match(html, /<style nonce="[^"]+">/);
    assert.ok(html.includes(events[3].EventId));
    assert.ok(html.includes('"openEventId"'));
    assert.ok(html.includes('103 events · lookup.json'));
  });

  it('reads a result PowerShell saved as UTF-16, and names a file it cannot read as a usage error (exit 2)', async () => {
    const events = otrfEvents();
    const text = JSON.stringify({ Events: events.slice(0, 2) });
    for (const [name, bytes] of [
      ['utf16le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['utf16be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
      ['utf8-bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ] as const) {
      writeFileSync(join(dir, name), bytes);
      const result = await cli(['view', join(dir, name), '--out', join(dir, `${name}.html`)]);
      assert.equal(result.code, 0, `${name}: ${result.err}`);
      assert.ok(readFileSync(join(dir, `${name}.html`), 'utf8').includes(`2 events · ${name}`), name);
    }
    const missing = await cli(['view', join(dir, 'nope.json'), '--out', join(dir, 'nope.html')]);
    assert.deepEqual([missing.code, /cannot read .*nope\.json: ENOENT/.test(missing.err)], [2, true], missing.err);
  });

  it('names the line and column of a JSON syntax error', async () => {
    const input = join(dir, 'broken.json');
    writeFileSync(input, '{\n  "Events": [\n    {"EventId": "a",}\n  ]\n}\n');
    const result = await cli(['view', input, '--out', join(dir, 'x.html')]);
    assert.equal(result.code, 1);
    assert.match(result.err, /broken\.json: not valid JSON at line 3, column \d+/);
  });

  it('names the first field of the wrong shape', async () => {
    const input = join(dir, 'shape.json');
    const [event] = otrfEvents();
    writeFileSync(input, JSON.stringify({ Events: [event, { ...event, EventTime: 1600044263 }] }));
    const result = await cli(['view', input, '--out', join(dir, 'x.html')]);
    assert.equal(result.code, 1);
    assert.match(result.err, /shape\.json: Events\[1\]\.EventTime should be a string/);
    writeFileSync(input, JSON.stringify({ hello: 'world' }));
    assert.match((await cli(['view', input, '--out', join(dir, 'x.html')])).err, /an events \(Events\), insights \(results\) or related/);
  });

  it('refuses to write the page over the result file it shows', async () => {
    const input = join(dir, 'kept.json');
    const text = JSON.stringify({ Events: otrfEvents().slice(0, 2) });
    writeFileSync(input, text);
    const result = await cli(['view', input, '--out', join(dir, '.', 'kept.json')]);
    assert.equal(result.code, 2);
    assert.match(result.err, /is the result file it shows: writing there would replace it/);
    assert.equal(readFileSync(input, 'utf8'), text);
  });

  it('refuses --event for an event the result does not hold, and needs --out', async () => {
    const input = join(dir, 'one.json');
    writeFileSync(input, JSON.stringify({ Events: otrfEvents().slice(0, 1) }));
    const missing = await cli(['view', input, '--out', join(dir, 'x.html'), '--event', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no event with ID nope/);
    const usage = await cli(['view', input]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--out FILE is required/);
  });
});
