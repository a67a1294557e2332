import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayWidth } from '../../../src/core/format/display-width';
import { formatTable } from '../../../src/core/format/table';

/** The columns a table gives a value: the rule under an empty header is as long as the widest cell. */
const columnWidth = (value: string): number => formatTable({ columns: [''], rows: [[value]] }).split('\n')[1].length;
/** The value as a one-column table shows it (cut when too wide). */
const shownCell = (value: string): string => formatTable({ columns: [''], rows: [[value]] }).split('\n')[2];

test('a table column is as wide as its values are on screen, not as their UTF-16 code units', () => {
  const widths: Array<[string, number]> = [
    ['alice', 5],
    ['漢字', 4], // CJK ideographs
    ['한국어', 6], // Hangul syllables
    ['カタカナ', 8], // Katakana
    ['ひらがな。', 10], // Hiragana and the ideographic full stop
    ['ＡＢ１', 6], // fullwidth forms
    ['ｶﾀｶﾅ', 4], // halfwidth Katakana stays narrow
    ['𠀋', 2], // CJK Extension B: one column pair, two code units
    ['😀', 2],
    ['👍🏽', 2], // emoji with a skin tone modifier
    ['👩\u200d💻', 2], // ZWJ sequence
    ['👨\u200d👩\u200d👧\u200d👦', 2], // a family: seven code points, eleven code units
    ['🇯🇵', 2], // a flag: two regional indicators
    ['❤\ufe0f', 2], // text-default emoji asked for as emoji (VS16)
    ['❤', 1], // the same, as text
    ['1\ufe0f\u20e3', 2], // keycap
    ['e\u0301', 1], // e + combining acute accent
    ['a\u0308\u0301', 1], // two combining marks
    ['\u0301', 0], // a combining mark with nothing to combine with
    ['Ελλάδα', 6],
  ];
  for (const [text, width] of widths) {
    assert.equal(displayWidth(text), width, JSON.stringify(text));
    assert.equal(columnWidth(text), width, `column of ${JSON.stringify(text)}`);
  }
});

test('a long value is cut at 80 columns on a grapheme boundary, never inside a surrogate pair, flag or accent', () => {
  const cut = shownCell;
  // Wide characters: 39 of them (78 columns) and the ellipsis; a 40th would make 81.
  assert.equal(cut('漢'.repeat(100)), `${'漢'.repeat(39)}…`);
  assert.equal(cut('😀'.repeat(50)), `${'😀'.repeat(39)}…`);
  assert.equal(cut('🇯🇵'.repeat(50)), `${'🇯🇵'.repeat(39)}…`);
  assert.equal(cut('👩\u200d💻'.repeat(50)), `${'👩\u200d💻'.repeat(39)}…`);
  // Odd offsets: one narrow character first shifts every pair across the old code-unit cut.
  assert.equal(cut(`x${'😀'.repeat(50)}`), `x${'😀'.repeat(39)}…`);
  assert.equal(cut(`x${'🇯🇵'.repeat(50)}`), `x${'🇯🇵'.repeat(39)}…`);
  // Accented letters take one column each: 79 of them fit before the ellipsis, each with its accent.
  assert.equal(cut('e\u0301'.repeat(100)), `${'e\u0301'.repeat(79)}…`);
  // What fits in 80 columns stays whole, wide or not.
  assert.equal(cut('漢'.repeat(40)), '漢'.repeat(40));
  assert.equal(cut('e\u0301'.repeat(80)), 'e\u0301'.repeat(80));
  assert.equal(cut('x'.repeat(100)), `${'x'.repeat(79)}…`);
  for (const text of ['漢'.repeat(100), `x${'😀'.repeat(50)}`, `x${'🇯🇵'.repeat(50)}`, 'e\u0301'.repeat(100)]) {
    const shown = cut(text);
    assert.ok(displayWidth(shown) <= 80, `${displayWidth(shown)} columns`);
    assert.doesNotMatch(shown, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, 'no half of a surrogate pair');
  }
});

test('table columns line up by display width with CJK, emoji, flags and combining marks in the cells', () => {
  const table = formatTable({
    columns: ['Username', 'SourceIP'],
    rows: [
      ['alice', '203.0.113.7'],
      ['管理者', '203.0.113.8'],
      ['👩\u200d💻dev', '203.0.113.9'],
      ['🇯🇵tokyo', '203.0.113.10'],
      ['Jose\u0301', '203.0.113.11'],
    ],
  });
  assert.equal(
    table,
    [
      'Username  SourceIP',
      '--------  ------------',
      'alice     203.0.113.7',
      '管理者    203.0.113.8',
      '👩\u200d💻dev     203.0.113.9',
      '🇯🇵tokyo   203.0.113.10',
      'Jose\u0301      203.0.113.11',
      '',
    ].join('\n'),
  );
  // Every SourceIP starts in the same terminal column.
  for (const line of table.trimEnd().split('\n')) assert.equal(displayWidth(line.slice(0, line.lastIndexOf(' ') + 1)), 10, line);
});

test('a wide cell longer than 80 columns is cut to fit and the next column still lines up', () => {
  const table = formatTable({ columns: ['Resources', 'Region'], rows: [['資源'.repeat(60), 'us-east-1'], ['short', 'eu-west-1']] });
  const [, rule, long, short] = table.split('\n');
  assert.equal(rule, `${'-'.repeat(79)}  ---------`);
  assert.equal(long, `${'資源'.repeat(19)}資…  us-east-1`);
  assert.equal(short, `short${' '.repeat(74)}  eu-west-1`);
});
