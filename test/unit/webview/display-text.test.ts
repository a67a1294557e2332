import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayPieces, displayText } from '../../../src/core/format/display-text';

describe('display of invisible characters', () => {
  it('leaves ordinary text, including non-Latin scripts and emoji, alone', () => {
    for (const value of ['GetObject', 'Ünïcödé', 'مرحبا', '日本語', '👩‍💻 user', '']) assert.deepEqual(displayPieces(value), [{ text: value }]);
  });

  it('shows control characters as control pictures', () => {
    assert.equal(displayText('a\u0000b\tc\nd\u007f'), 'a␀b␉c␊d␡');
  });

  it('shows bidi overrides, zero-width characters and lone surrogates as code points', () => {
    assert.equal(displayText('invoice\u202Efdp.exe'), 'invoice⟨U+202E⟩fdp.exe');
    assert.equal(displayText('ad\u200Bmin\u2066x\u2069'), 'ad⟨U+200B⟩min⟨U+2066⟩x⟨U+2069⟩');
    assert.equal(displayText('ad\u200Dmin'), 'ad⟨U+200D⟩min', 'a joiner between letters hides nothing legitimate');
    assert.equal(displayText('x\uD800y'), 'x⟨U+D800⟩y');
    assert.equal(displayText('\u0085\u2028'), '⟨U+0085⟩⟨U+2028⟩');
  });

  it('keeps surrogate pairs whole', () => {
    assert.equal(displayText('\uD83D\uDE00'), '😀');
  });
});
