import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayText, noticeText, tooltipText } from '../../../src/extension/display-text';

test('log values in tree labels and tooltips show hidden characters and stay short', () => {
  // A bidi override that would make "invoice‮fdp.exe" read as "invoiceexe.pdf".
  assert.equal(displayText('invoice\u202efdp.exe'), 'invoice⟨U+202E⟩fdp.exe');
  assert.equal(displayText('line1\nline2\u0000'), 'line1␊line2␀');
  const long = displayText('a'.repeat(10_000));
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('…'));
  assert.equal(displayText('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>', 'markup stays literal text');
  // A cut never leaves half an emoji, which would show as a replacement character.
  assert.equal(displayText(`${'a'.repeat(8)}😀😀`, 10), `${'a'.repeat(8)}…`);
  assert.equal(displayText(`${'a'.repeat(7)}😀😀`, 10), `${'a'.repeat(7)}😀…`);
});

test('notification text keeps every character of a Markdown link but not the link', () => {
  const title = '[Open ticket](command:workbench.action.terminal.new) and [x](https://evil.example)';
  const shown = noticeText(`Pinned the event to "${title}".`);
  assert.equal(shown, 'Pinned the event to "[Open ticket] (command:workbench.action.terminal.new) and [x] (https://evil.example)".');
  assert.ok(!shown.includes(']('));
});

test('icon syntax from a log stays text where VS Code draws icons (quick picks, CodeLens, status bar)', () => {
  // A log group named from an `AWSLogs/<segment>/` path.
  const shown = displayText('cloudtrail/$(pass-filled) verified $(shield)');
  assert.ok(!shown.includes('$('));
  assert.equal(shown.replaceAll('\u200b', ''), 'cloudtrail/$(pass-filled) verified $(shield)');
});

test('a tooltip keeps its lines, and a line break inside a value stays a marker', () => {
  assert.equal(tooltipText(['evil\nfound in: evidence', undefined, false, '', 'note: x'], 30), 'evil␊found in: evidence\nnote:…');
  assert.equal(tooltipText(['a\u202eb', 'c']), 'a⟨U+202E⟩b\nc');
});
