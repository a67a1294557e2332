/**
 * How the results view shows characters a reader cannot see or that change what neighbouring text looks
 * like: control characters, bidirectional overrides and isolates, zero-width and other invisible format
 * characters, line separators and lone surrogates. A hostile log value can use them to hide or reorder
 * text ("Trojan Source"), so each is shown as a visible marker instead: C0 controls and DEL as their
 * Unicode control pictures (U+0000 as ␀, a newline as ␊), everything else as ⟨U+XXXX⟩. Copy and export
 * keep the original characters.
 */

export type TextPiece = { text: string } | { marker: string; codePoint: number };

// A tag character naming a subdivision (0-9, a-z) and the cancel tag that ends a flag such as Scotland's.
const TAG_SPEC = '\\udb40[\\udc30-\\udc39\\udc61-\\udc7a]';
const TAG_CANCEL = '\\udb40\\udc7f';
const BLACK_FLAG = '\\ud83c\\udff4';
// At this position, a tag character of a well-formed subdivision flag: a black flag, one to six spec tags,
// a cancel tag. Written as one alternative per count of spec tags before it, so no flag is longer than six.
const IN_FLAG = [
  ...[0, 1, 2, 3, 4, 5].map((before) => `(?<=${BLACK_FLAG}(?:${TAG_SPEC}){${before}})${TAG_SPEC}(?:${TAG_SPEC}){0,${5 - before}}${TAG_CANCEL}`),
  `(?<=${BLACK_FLAG}(?:${TAG_SPEC}){1,6})${TAG_CANCEL}`,
].join('|');
// One ideographic variation selector (17-256) right after a CJK ideograph picks a glyph, as in names
// written in Japanese; a run of them, or one after anything else, can only carry hidden bytes.
const IDEOGRAPH_VARIANT = '(?<=[\\u3400-\\u9fff\\uf900-\\ufaff]|[\\ud840-\\ud87f][\\udc00-\\udfff])\\udb40[\\udd00-\\uddef]';

// C0 and C1 controls, DEL, soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers,
// Khmer inherent vowels, Mongolian variation selectors and vowel separator, zero-width characters and
// marks, line/paragraph separators, bidi embeddings/overrides/isolates, invisible operators, the braille
// blank, variation selectors 1-14, BOM, unassigned specials and interlinear annotation characters,
// shorthand format controls, musical formatting marks, the whole U+E0000-E0FFF block (tag characters,
// which can spell out hidden ASCII, variation selectors 17-256, which can carry hidden bytes, and
// reserved invisibles) and any surrogate that is not part of a pair.
// Left alone, because they build emoji or glyphs and marking them would break them: VS15/VS16 after a
// character that can be an emoji (astral, a keycap's digit, # or *, or U+00A9-U+3300), a zero-width
// joiner right after an emoji (astral or U+2600-27BF, maybe with VS15/VS16), as in 👩‍💻, the tag
// characters of a well-formed subdivision flag, as in the flag of Scotland, and IDEOGRAPH_VARIANT.
export const INVISIBLE = new RegExp(
  [
    '[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u200b\\u200c\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u206f\\u2800\\u3164\\ufeff\\uffa0\\ufff0-\\ufffb]',
    '\\u034f|\\u1160|\\u17b4|\\u17b5|[\\u180b-\\u180f]|[\\ufe00-\\ufe0d]',
    '(?<![\\ud800-\\udbff][\\udc00-\\udfff]|[#*0-9\\u00a9\\u00ae\\u2000-\\u3300])[\\ufe0e\\ufe0f]',
    '\\ud82f[\\udca0-\\udca3]|\\ud834[\\udd73-\\udd7a]',
    `(?!${IN_FLAG}|${IDEOGRAPH_VARIANT})[\\udb40-\\udb43][\\udc00-\\udfff]`,
    '(?<!(?:[\\ud800-\\udbff][\\udc00-\\udfff]|[\\u2600-\\u27bf])[\\ufe0e\\ufe0f]?)\\u200d',
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  ].join('|'),
  'g',
);

export function markerFor(codePoint: number): string {
  if (codePoint < 0x20) return String.fromCharCode(0x2400 + codePoint);
  if (codePoint === 0x7f) return '\u2421';
  return `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** Splits a value into plain text and markers; a value without such characters is one piece. */
export function displayPieces(value: string): TextPiece[] {
  if (value.search(INVISIBLE) === -1) return [{ text: value }];
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of value.matchAll(INVISIBLE)) {
    const at = match.index ?? 0;
    if (at > last) pieces.push({ text: value.slice(last, at) });
    const codePoint = match[0].codePointAt(0) ?? 0;
    pieces.push({ marker: markerFor(codePoint), codePoint });
    last = at + match[0].length;
  }
  if (last < value.length) pieces.push({ text: value.slice(last) });
  return pieces;
}

/** The text a reader sees for a value (the markers' text in place of the characters). */
export function displayText(value: string): string {
  return displayPieces(value)
    .map((p) => ('text' in p ? p.text : p.marker))
    .join('');
}
