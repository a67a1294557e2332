/**
 * How the results view shows characters a reader cannot see or that change what neighbouring text looks
 * like: control characters, bidirectional overrides and isolates, zero-width and other invisible format
 * characters, line separators and lone surrogates. A hostile log value can use them to hide or reorder
 * text ("Trojan Source"), so each is shown as a visible marker instead: C0 controls and DEL as their
 * Unicode control pictures (U+0000 as ␀, a newline as ␊), everything else as ⟨U+XXXX⟩. Copy and export
 * keep the original characters.
 */

export type TextPiece = { text: string } | { marker: string; codePoint: number };

// C0 and C1 controls, DEL, soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
// characters and marks, line/paragraph separators, bidi embeddings/overrides/isolates, invisible
// operators, BOM, interlinear annotation characters, and any surrogate that is not part of a pair.
// A zero-width joiner right after an emoji (astral or U+2600-27BF, maybe with VS16) is left alone: it
// joins emoji sequences such as 👩‍💻, and marking it would break them.
export const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|(?<!(?:[\ud800-\udbff][\udc00-\udfff]|[\u2600-\u27bf])\ufe0f?)\u200d|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

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
    const codePoint = match[0].charCodeAt(0);
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
