import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionsAt, diagnosticsFor, hoverAt } from '../../../src/core/insights/language';

const labels = (text: string, offset = text.length) => completionsAt(text, offset).map((c) => c.label);

describe('diagnostics as you type', () => {
  it('reports nothing for a valid query, an empty document or only comments', () => {
    assert.deepEqual(diagnosticsFor('filter action = "REJECT" | stats count(*) by srcAddr'), []);
    assert.deepEqual(diagnosticsFor(''), []);
    assert.deepEqual(diagnosticsFor('# notes\n  # more'), []);
  });

  it('marks a syntax error where it is, saying what was expected', () => {
    const text = 'filter action = "REJECT"\n| stats count(*) by\n| sort x';
    const [d] = diagnosticsFor(text);
    assert.equal(d.severity, 'error');
    assert.equal(text.slice(d.start, d.end), '|');
    assert.equal(d.start, text.lastIndexOf('|'));
    assert.match(d.message, /expected a field, a value or a function call but found '\|'/);
  });

  it('marks an unknown function by its name and a bad arity by the call', () => {
    const unknown = diagnosticsFor('fields strlenn(@message)');
    assert.equal(unknown[0].start, 7);
    assert.equal(unknown[0].end, 14);
    assert.match(unknown[0].message, /unknown function 'strlenn'/);
    assert.match(diagnosticsFor('fields substr(@message)')[0].message, /substr\(\) takes 2 to 3 arguments/);
  });

  it('marks a regex that uses what RE2 lacks, and a time zone it does not know', () => {
    const text = 'filter @message like /(\\w+) \\1/ | stats count(*)';
    const [regex] = diagnosticsFor(text);
    assert.equal(text.slice(regex.start, regex.end), '/(\\w+) \\1/');
    assert.match(regex.message, /backreferences/);
    const [zone] = diagnosticsFor('fields formatDate(@timestamp, "%H", "Mars/Olympus")');
    assert.equal(zone.start, 36);
    assert.match(zone.message, /unknown time zone/);
  });

  it('warns, not errs, on what runs only live', () => {
    const [d] = diagnosticsFor('fields @message | pattern @message');
    assert.equal(d.severity, 'warning');
    assert.equal(d.start, 18);
    assert.match(d.message, /not supported offline/);
    // Forms of the service's own documentation: list indexing after jsonParse, parse modes, subqueries.
    const live = [
      ['fields jsonParse(@message) as j | filter j.users[1].action = "PutData"', [7, 48]],
      ['filter users[1].action = "PutData"', [12]],
      ['parse @message logfmt as lf', [15]],
      ['parse @message csv as a, b, c', [15]],
      ['filter x in (SOURCE "/lg" | fields x)', [12]],
    ] as const;
    for (const [query, starts] of live) {
      assert.deepEqual(diagnosticsFor(query).map((w) => [w.severity, w.start]), starts.map((start) => ['warning', start]), query);
    }
    // A word where the pattern goes that is no parse mode stays an error, and so does a list after a
    // space (`in` forgotten).
    assert.equal(diagnosticsFor('parse @message logfnt as lf')[0].severity, 'error');
    assert.equal(diagnosticsFor('filter status [200]')[0].severity, 'error');
  });

  it('still finds a semantic error after a form that runs only live, and marks each such form before it', () => {
    const found = (query: string): Array<[string, string]> => diagnosticsFor(query).map((d) => [d.severity, query.slice(d.start, d.end)]);
    assert.deepEqual(found('pattern @message | fields strlenn(@message)'), [['warning', 'pattern'], ['error', 'strlenn']]);
    assert.deepEqual(found('fields @message | diff | stats count(*) as n | stats sum(n) | stats sum(n)'), [['warning', 'diff'], ['error', 'stats sum(n)']]);
    // The fields a live-only command gives are not known here: no name after it is called unknown.
    assert.deepEqual(found('stats count(*) as n by x | pattern @message | filter @ratio > 0.5'), [['warning', 'pattern']]);
    // Inside an expression: the live-only call's own arguments are checked, and it counts as the value it gives.
    assert.deepEqual(found('fields isPublicIP(substr(srcAddr)) as public'), [['warning', 'isPublicIP'], ['error', 'substr(srcAddr)']]);
    assert.deepEqual(found('filter isPublicIP(srcAddr) | stats count(*) by srcAddr | fields sum(bytes)'), [['warning', 'isPublicIP'], ['error', 'sum']]);
    assert.deepEqual(found('filter isPublicIP(srcAddr) and jsonArraySize(jsonParse(@message)) > 1 | stats count(*) by srcAddr'),
      [['warning', 'isPublicIP'], ['warning', 'jsonArraySize'], ['warning', 'jsonParse']]);
  });

  it('still finds a syntax error after a form that runs only live', () => {
    const errorAt = (query: string): Array<[string, number]> => diagnosticsFor(query).map((d) => [d.severity, d.start]);
    assert.deepEqual(errorAt('filter users[1].action = "PutData" | stats count( by x'), [['error', 50]]);
    assert.deepEqual(errorAt('parse @message logfmt as lf | filter x ='), [['error', 40]]);
    assert.deepEqual(errorAt('filter x in (SOURCE "/lg" | fields x) | sort'), [['error', 44]]);
    assert.deepEqual(errorAt('pattern @message | limit 0'), [['error', 25]]);
    // What is skipped is read as the service reads it: a `|` inside a regex ends nothing, a `/` after a
    // value divides.
    assert.deepEqual(errorAt('filterIndex @message like /a|b/ | fields x'), [['warning', 0]]);
    assert.deepEqual(errorAt('filter users[0] / 2 > 1 | fields x'), [['warning', 12]]);
    // Brackets opened before the live-only form count, so a subquery later in the command stays whole.
    const nested = 'filter (j.a[0] = 1) or @logStream in (SOURCE "g" | fields @logStream) | stats count( by x';
    assert.deepEqual(errorAt(nested), [['error', nested.indexOf('by x')]]);
    // A `|` in a comment ends nothing; a character the lexer refuses is skipped, at the end too; an
    // unterminated string stays an error.
    const commented = 'pattern @message # a | b\n~ | stats count( by x';
    assert.deepEqual(errorAt(commented), [['error', commented.indexOf('by x')]]);
    assert.deepEqual(errorAt('pattern @message ~'), [['warning', 0]]);
    assert.deepEqual(errorAt('pattern "abc | fields x'), [['error', 8]]);
    // A parse regex before a live-only mode is still a regex: its quotes and `|` are its own.
    const indexed = 'parse j.items[0] /(?<a>x)|y/ | stats count( by a';
    assert.deepEqual(errorAt(indexed), [['error', indexed.indexOf('by a')]], 'the pattern after an indexed source is a regex');
    for (const query of ['parse @message /user="(?<u>[^"]+)"/ multi | stats count(*) by u', 'parse @message /user=(?<a>\\S+)|uid=(?<b>\\S+)/ multi | stats count(*)']) {
      assert.deepEqual(errorAt(query), [['warning', query.indexOf('multi')]], query);
    }
  });

  it('marks a character the language does not have whole and names it, one outside the BMP too', () => {
    assert.deepEqual(diagnosticsFor('fields 😀😀 | filter x = '), [{ start: 7, end: 9, message: "unexpected character '😀'", severity: 'error' }]);
    // One the reader cannot see is named by its code point, as the results view shows it.
    for (const [text, end, shown] of [['fields a\u200b', 9, '⟨U+200B⟩'], ['fields a\u{E0041}', 10, '⟨U+E0041⟩'], ['fields a\ud83d', 9, '⟨U+D83D⟩']] as const) {
      assert.deepEqual(diagnosticsFor(text).map((d) => [d.start, d.end, d.message]), [[8, end, `unexpected character '${shown}'`]], shown);
    }
  });

  it('warns that a period beyond its unit\'s cap runs capped, at the period, saying what to write', () => {
    const text = 'filter action = "REJECT"\n| stats count(*) by bin(300s), datefloor(@timestamp, 90s)';
    assert.deepEqual(diagnosticsFor(text).map((d) => [d.severity, text.slice(d.start, d.end), d.message]), [
      ['warning', '300s', 'bin(300s) runs as bin(60s), as Logs Insights caps seconds at 60: write bin(5m)'],
      ['warning', '90s', 'datefloor(…, 90s) runs as datefloor(…, 60s), as Logs Insights caps seconds at 60: write datefloor(…, 1m) or datefloor(…, 2m)'],
    ]);
    // Still said beside an error later in the query; periods within their caps are fine.
    assert.deepEqual(diagnosticsFor('stats count(*) by bin(7200s) | fields strlenn(x)').map((d) => d.message), ["unknown function 'strlenn'", 'bin(7200s) runs as bin(60s), as Logs Insights caps seconds at 60: write bin(2h)']);
    const within = 'stats count(*) by bin(60s), bin(1000ms), bin(24h), bin(90m) as slow';
    assert.deepEqual(diagnosticsFor(within), [
      { start: within.indexOf('90m'), end: within.indexOf('90m') + 3, severity: 'warning', message: 'bin(90m) runs as bin(60m), as Logs Insights caps minutes at 60: write bin(1h) or bin(2h)' },
    ]);
  });

  it('underlines at least one character at the end of the text', () => {
    const [d] = diagnosticsFor('filter x =');
    assert.equal(d.start, 10);
    assert.equal(d.end, 10);
    const [e] = diagnosticsFor('filter x = 1 |');
    assert.equal(e.start, 14);
  });
});

describe('completion', () => {
  it('offers commands at the start and after a pipe', () => {
    assert.ok(labels('').includes('filter'));
    assert.ok(labels('fil').includes('filter'));
    assert.ok(labels('filter x = 1 | st').includes('stats'));
    assert.equal(completionsAt('filter x = 1 | ', 15).find((c) => c.label === 'stats')?.kind, 'command');
  });

  it('offers fields, functions and keywords inside a command, aggregations only in stats', () => {
    const inFilter = labels('filter ');
    assert.ok(inFilter.includes('srcAddr') && inFilter.includes('@timestamp') && inFilter.includes('userIdentity.arn'));
    assert.ok(inFilter.includes('isIpv4InSubnet') && inFilter.includes('and'));
    assert.ok(!inFilter.includes('count_distinct'));
    const inStats = labels('filter x = 1 | stats ');
    assert.equal(completionsAt('stats ', 6).find((c) => c.kind === 'function')?.label, 'avg');
    assert.ok(inStats.includes('count_distinct') && inStats.includes('pct'));
    assert.equal(completionsAt('filter ', 7).find((c) => c.label === 'strlen')?.insertText, 'strlen(');
  });

  it('offers the names the query defined earlier', () => {
    const text = 'parse @message /user=(?<user>\\S+)/ | stats count(*) as attempts by user | sort ';
    const fields = completionsAt(text, text.length).filter((c) => c.kind === 'field').map((c) => c.label);
    assert.deepEqual(fields.slice(0, 2), ['attempts', 'user']);
  });

  it('completes at the cursor, not the end of the document, and ignores comments', () => {
    const text = 'filter x = 1\n| \n| limit 5';
    assert.ok(labels(text, 15).includes('stats'));
    // A `|` in a comment starts no command.
    const commented = 'filter x = 1 # then | stats\n  ';
    assert.ok(labels(commented).includes('and') && !labels(commented).includes('stats'));
    assert.deepEqual(labels('filter x = 1 | limit '), []);
  });

  it('offers nothing inside a string, a regex or a comment', () => {
    const inside = [
      'filter eventName = "Con',
      "filter eventName = 'Con",
      'filter @message like /Access|Den',
      'parse @message /user=(?<user>\\S',
      'filter x = 1 # look at srcA',
      '# only a note, f',
    ];
    for (const text of inside) assert.deepEqual(labels(text), [], text);
    // In a closed string or regex, with the query going on after the cursor.
    const closed = 'filter eventName = "ConsoleLogin" and @message like /Denied/ | stats count(*) by bin(5m)';
    for (const word of ['Login', 'nied']) assert.deepEqual(labels(closed, closed.indexOf(word)), [], word);
    // Right after them, and on the line after a comment, completion is back; a `/` after a value divides.
    assert.ok(labels('filter eventName = "ConsoleLogin" ').includes('and'));
    assert.ok(labels('filter @message like /a|stats/ ').includes('and'));
    assert.ok(!labels('filter @message like /a|stats/ ').includes('count_distinct'), 'a `|` inside a regex starts no stats command');
    assert.ok(labels('# a note\n').includes('filter'));
    assert.ok(labels('fields bytes / ').includes('packets'));
  });

  it('offers only the fields of the log groups the query runs on, when they are known', () => {
    const fields = (text: string, kinds?: Parameters<typeof completionsAt>[2]) =>
      completionsAt(text, text.length, kinds).filter((c) => c.kind === 'field').map((c) => c.label);
    const flows = fields('filter ', ['vpc-flow']);
    assert.ok(flows.includes('srcAddr') && flows.includes('@timestamp'));
    assert.ok(!flows.includes('eventName') && !flows.includes('@billedDuration'), flows.join(', '));
    const trailAndLambda = fields('filter ', ['cloudtrail', 'lambda']);
    assert.ok(trailAndLambda.includes('userIdentity.arn') && trailAndLambda.includes('@billedDuration') && !trailAndLambda.includes('srcAddr'));
    // The query's own names stay; a kind without a known set (JSON app logs) gets the common @-fields only.
    assert.deepEqual(fields('stats count(*) as hits by eventName | sort ', ['other']), ['hits', '@timestamp', '@message', '@logStream', '@log', '@ingestionTime', '@ptr']);
    // Not known: every field.
    for (const kinds of [undefined, []]) assert.ok(fields('filter ', kinds).includes('eventName') && fields('filter ', kinds).includes('srcAddr'));
  });
});

describe('hover', () => {
  it('shows a function signature and a command syntax, nothing on fields', () => {
    const text = 'filter isIpv4InSubnet(srcAddr, "10.0.0.0/8") | stats count(*)';
    const fn = hoverAt(text, 10);
    assert.deepEqual([fn?.start, fn?.end], [7, 21]);
    assert.match(fn!.markdown, /isIpv4InSubnet\(field, "a\.b\.c\.d\/n"\)/);
    assert.match(hoverAt(text, 50)!.markdown, /aggregate/);
    assert.equal(hoverAt(text, 24), undefined);
    assert.match(hoverAt('fields jsonParse(@message)', 9)!.markdown, /Runs live only/);
    assert.equal(hoverAt('# filter by the caller\nfields x', 3), undefined, 'a command word in a comment');
  });
});

describe('field names that JavaScript objects have (constructor, __proto__, toString…)', () => {
  // JSON keys like any other: a query naming them is checked as any query is, and never throws.
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it('takes them as fields in every command', () => {
    for (const name of names) {
      for (const query of [
        `filter ${name} = 1`,
        `stats count(*) by ${name}`,
        `fields x | sort ${name}`,
        `display ${name}`,
        `filter \`${name}\` = "a" | fields ${name}.x`,
        `stats count(*) as ${name} by x | sort ${name}`,
      ]) {
        assert.deepEqual(diagnosticsFor(query), [], query);
      }
      // An error after them is still found.
      const query = `stats count(*) by ${name} | fields strlenn(${name})`;
      assert.deepEqual(diagnosticsFor(query).map((d) => d.message), ["unknown function 'strlenn'"], query);
    }
  });

  it('refuses them as a period unit', () => {
    const text = 'stats count(*) by bin(5constructor)';
    assert.deepEqual(diagnosticsFor(text).map((d) => [text.slice(d.start, d.end), d.message]), [['5constructor', "unknown period unit 'constructor': use ms, s, m, h, d, w, mo, q or y"]]);
  });

  it('shows no hover on them, where a command goes or elsewhere', () => {
    for (const name of names) {
      for (const text of [name, `fields @message | ${name}`, `fields ${name}`]) assert.equal(hoverAt(text, text.length - 1), undefined, text);
    }
  });
});
