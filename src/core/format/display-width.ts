/**
 * How many terminal columns a text takes, for tables that line up in a monospace font. A string's length
 * counts UTF-16 code units, so a CJK name (1 unit, 2 columns), an emoji (2 units, 2 columns), a flag
 * (4 units, 2 columns) or a letter with a combining accent (2 units, 1 column) would throw the columns
 * after it out of line. Here the unit is the grapheme cluster (what a reader sees as one character,
 * `Intl.Segmenter`), and its width is:
 * - 2 for emoji shown as emoji (Emoji_Presentation, or any emoji followed by VS16 U+FE0F), flags and
 *   ZWJ sequences included, and for East Asian Wide and Fullwidth characters (UAX #11);
 * - 0 for a cluster that starts with a combining mark, a format or a control character (the invisible
 *   ones are escaped before a table measures them, see escapeControl);
 * - 1 otherwise.
 * Terminals that lay out grapheme clusters (kitty, WezTerm, Windows Terminal, iTerm2) show exactly this;
 * those that measure code point by code point (wcwidth: xterm, VTE) give ZWJ sequences and skin-tone
 * emoji more columns, so such a cell can still push its row out of line there. East Asian Ambiguous
 * characters count 1, as they do outside CJK locales.
 */

/**
 * East Asian Wide (W) and Fullwidth (F) code points, Unicode 17, as inclusive ranges. Emoji with
 * Emoji_Presentation are left to the emoji test, and a range runs on over unassigned code points, which
 * keeps the table short: Hangul Jamo leading consonants; two angle brackets; Yijing trigrams and digrams;
 * CJK radicals, Kangxi, CJK symbols and punctuation, Hiragana, Katakana, Bopomofo, Hangul compatibility
 * Jamo, Kanbun, CJK strokes, enclosed CJK letters; CJK compatibility, CJK Extension A, Yijing hexagrams,
 * CJK Unified Ideographs, Yi; Hangul Jamo Extended-A; Hangul syllables; CJK compatibility ideographs;
 * vertical forms; CJK compatibility and small forms; fullwidth forms and signs; Tangut, Khitan, Nushu
 * and the Kana supplements; Tai Xuan Jing; enclosed ideographic supplement; a few newer symbols; CJK
 * Extensions B to J.
 */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x2329, 0x232a], [0x2630, 0x2637], [0x268a, 0x268f], [0x2e80, 0x303e],
  [0x3041, 0x3247], [0x3250, 0xa4c6], [0xa960, 0xa97c], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe6b], [0xff01, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x1b2fb],
  [0x1d300, 0x1d376], [0x1f1ae, 0x1f265], [0x1f6d9, 0x1f6d9], [0x1f7da, 0x1f7da], [0x1fa8b, 0x1fafa],
  [0x20000, 0x3fffd],
];

const EMOJI = /\p{Emoji_Presentation}|\p{Emoji}\ufe0f/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;
/** Printable ASCII: one column a character, no segmenting needed (most cells of most tables). */
const PLAIN = /^[\x20-\x7e]*$/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function isWide(codePoint: number): boolean {
  let low = 0;
  let high = WIDE.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = WIDE[middle];
    if (codePoint < first) high = middle - 1;
    else if (codePoint > last) low = middle + 1;
    else return true;
  }
  return false;
}

/** The columns one grapheme cluster takes: 0, 1 or 2. */
export function graphemeWidth(grapheme: string): number {
  if (EMOJI.test(grapheme)) return 2;
  const first = grapheme.codePointAt(0) ?? 0;
  if (isWide(first)) return 2;
  return ZERO_WIDTH.test(grapheme) ? 0 : 1;
}

/** The columns a single-line text takes in a terminal. */
export function displayWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** Blanks as wide as the text shows, its tabs kept: what lines up a marker under a place in it. */
export function blankOf(text: string): string {
  if (PLAIN.test(text)) return ' '.repeat(text.length);
  let blank = '';
  for (const { segment } of graphemes.segment(text)) blank += segment === '\t' ? '\t' : ' '.repeat(graphemeWidth(segment));
  return blank;
}

/** The text followed by spaces up to `width` columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * The text if it fits in `max` columns; else as many whole grapheme clusters as fit in `max - 1`,
 * followed by `…`. A cluster is never split, so no surrogate pair, flag, ZWJ sequence or accent is cut
 * in half. Segments no further than the cut, so a 100 KB value costs about what 80 columns cost.
 */
export function fitToWidth(text: string, max: number): string {
  if (PLAIN.test(text)) return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  let width = 0;
  let cut = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    width += graphemeWidth(segment);
    if (width > max) return `${text.slice(0, cut)}…`;
    if (width <= max - 1) cut = index + segment.length;
  }
  return text;
}
