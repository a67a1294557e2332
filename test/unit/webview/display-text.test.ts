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

  it('shows fillers and blanks that look like nothing, and tag characters that spell hidden text', () => {
    const tags = (text: string): string => [...text].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const markers = (text: string): string => [...text].map((c) => `⟨U+E00${c.charCodeAt(0).toString(16).toUpperCase()}⟩`).join('');
    assert.equal(displayText(`admin${tags('rm')}`), `admin${markers('rm')}`);
    assert.equal(displayText('a\u3164b\uFFA0c\u2800d\u034Fe\u180Bf\uFE01g'), 'a⟨U+3164⟩b⟨U+FFA0⟩c⟨U+2800⟩d⟨U+034F⟩e⟨U+180B⟩f⟨U+FE01⟩g');
    // The flag of Scotland is a black flag and tag characters: left whole.
    const scotland = `\u{1F3F4}${tags('gbsct')}\u{E007F}`;
    assert.deepEqual(displayPieces(scotland), [{ text: scotland }]);
    // Only a well-formed flag: hidden text after a flag, inside a flag that never ends, or after its end shows.
    assert.equal(displayText(`alice\u{1F3F4}${tags('rm')}`), 'alice\u{1F3F4}⟨U+E0072⟩⟨U+E006D⟩');
    assert.equal(displayText(`\u{1F3F4}${tags('ignoreall')}\u{E007F}`), `\u{1F3F4}${markers('ignoreall')}⟨U+E007F⟩`, 'no flag is that long');
    assert.equal(displayText(`${scotland}${tags('x')}`), `${scotland}⟨U+E0078⟩`);
    assert.equal(displayText(`\u{1F3F4}${tags('RM')}\u{E007F}`), '\u{1F3F4}⟨U+E0052⟩⟨U+E004D⟩⟨U+E007F⟩', 'capitals name no subdivision');
  });

  it('shows variation selectors that carry hidden bytes, and VS15/VS16 where no emoji can take them', () => {
    assert.equal(displayText('deploy\u{E0100}\u{E01EF}'), 'deploy⟨U+E0100⟩⟨U+E01EF⟩');
    // One after a CJK ideograph picks its glyph (Japanese names); a second one after it carries bytes.
    assert.deepEqual(displayPieces('葛\u{E0100}城 \u{20B9F}\u{E0101}'), [{ text: '葛\u{E0100}城 \u{20B9F}\u{E0101}' }]);
    assert.equal(displayText('葛\u{E0100}\u{E0101}'), '葛\u{E0100}⟨U+E0101⟩');
    assert.equal(displayText('admin\uFE0F'), 'admin⟨U+FE0F⟩');
    assert.equal(displayText('a\u{1BCA0}b\uFFF0c'), 'a⟨U+1BCA0⟩b⟨U+FFF0⟩c');
    // Emoji that need them stay whole: text-default emoji asked for as emoji, keycaps, and a sequence joined after VS16.
    for (const value of ['\u2764\uFE0F', '1\uFE0F\u20E3', '#\uFE0F\u20E3', '\u00A9\uFE0E', '\u{1F3F3}\uFE0F\u200D\u{1F308}', '\u{1F44D}\uFE0F']) {
      assert.deepEqual(displayPieces(value), [{ text: value }], JSON.stringify(value));
    }
  });

  it('keeps surrogate pairs whole', () => {
    assert.equal(displayText('\uD83D\uDE00'), '😀');
  });
});
