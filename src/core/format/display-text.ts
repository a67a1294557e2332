/**
 * How the results view shows characters a reader cannot see or that change what neighbouring text looks
 * like: control characters, bidirectional overrides and isolates, zero-width and other invisible format
 * characters, line separators and lone surrogates. A hostile log value can use them to hide or reorder
 * text ("Trojan Source"), so each is shown as a visible marker instead: C0 controls and DEL as their
 * Unicode control pictures (U+0000 as ␀, a newline as ␊), everything else as ⟨U+XXXX⟩. Copy and export
 * keep the original characters.
 */

export type TextPiece = { text: string } | { marker: string; codePoint: number };

// C0 and C1 controls, DEL, soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers,
// Khmer inherent vowels, Mongolian variation selectors and vowel separator, zero-width characters and
// marks, line/paragraph separators, bidi embeddings/overrides/isolates, invisible operators, the braille
// blank, variation selectors 1-14, BOM, interlinear annotation characters, musical formatting marks, tag
// characters (which can spell out hidden ASCII) and any surrogate that is not part of a pair.
// Left alone, because they build emoji and marking them would break them: a zero-width joiner right after
// an emoji (astral or U+2600-27BF, maybe with VS15/VS16, themselves left alone), as in 👩‍💻, and tag
// characters after a black flag, as in the flag of Scotland.
export const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\ufffb]|\u034f|\u1160|\u17b4|\u17b5|[\u180b-\u180f]|[\ufe00-\ufe0d]|\ud834[\udd73-\udd7a]|(?<!\ud83c\udff4(?:\udb40[\udc00-\udc7f])*)\udb40[\udc00-\udc7f]|(?<!(?:[\ud800-\udbff][\udc00-\udfff]|[\u2600-\u27bf])[\ufe0e\ufe0f]?)\u200d|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

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
