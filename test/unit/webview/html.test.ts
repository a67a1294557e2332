import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonForHtml, newNonce, panelHtml, standaloneHtml } from '../../../src/webview/html';
import type { ShowResultMessage } from '../../../src/webview/protocol';

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta element');
  return match[1].replace(/&#39;/g, "'");
}

const hostile: ShowResultMessage = {
  type: 'show',
  title: '</title><script>window.__pwned=1</script>',
  payload: {
    kind: 'insights',
    result: {
      status: 'Complete',
      statistics: { recordsMatched: 1, recordsScanned: 1, bytesScanned: 1 },
      results: [[{ field: '@message', value: '</script><script>window.__pwned=1</script><!-- \u2028 & "' }]],
    },
  },
};

describe('results page HTML', () => {
  it('gives the panel a strict CSP: nothing but its nonce script and the extension style', () => {
    const html = panelHtml({ nonce: 'abc123', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/results.js', styleUri: 'https://x/results.css' });
    assert.equal(
      cspOf(html),
      "default-src 'none'; script-src 'nonce-abc123'; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-abc123'; img-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net",
    );
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/results.js"><\/script>/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
    assert.doesNotMatch(html, /unsafe-(inline|eval)/);
  });

  it('inlines the app and the result with nothing that could close the script block', () => {
    const nonce = newNonce();
    const html = standaloneHtml({ nonce, script: 'console.log(1)', style: 'body{}', initial: hostile, title: hostile.title });
    assert.equal(cspOf(html), `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'`);
    assert.equal(html.match(/<script/g)?.length, 2, 'the data block and the app; no injected script element');
    assert.equal(html.match(/<\/script>/g)?.length, 2);
    assert.ok(!html.includes('<!--'));
    assert.ok(html.includes('<title>&#60;/title&#62;&#60;script&#62;'));
    const data = /<script type="application\/json" id="trailscope-data">([^<]*)<\/script>/.exec(html);
    assert.ok(data);
    assert.deepEqual(JSON.parse(data[1]), hostile, 'the data reads back exactly');
  });

  it('escapes every character that could end the data block or start markup', () => {
    assert.equal(jsonForHtml('<>&\u2028'), '"\\u003c\\u003e\\u0026\\u2028"');
  });

  it('refuses a bundle it cannot inline safely', () => {
    assert.throws(() => standaloneHtml({ nonce: 'n', script: 'x="</SCRIPT>"', style: '', initial: hostile, title: 't' }), /cannot be inlined/);
  });

  it('makes a fresh nonce for every page', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    assert.equal(nonces.size, 100);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{24}$/);
  });
});
