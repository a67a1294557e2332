import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonSyntaxError } from '../../../src/core/json-syntax';
import { readCase } from '../../../src/core/case/case-file';
import { parseJson } from '../../../src/sources/evidence/ingest/content';

/** Where JSON.parse's refusal is, as the scan finds it. */
function where(text: string): string {
  assert.throws(() => JSON.parse(text), SyntaxError, 'the examples are texts JSON.parse refuses');
  const { line, column, problem } = jsonSyntaxError(text);
  return `${line}:${column} ${problem}`;
}

test('a JSON syntax error is placed by line and column, also where V8 names no position', () => {
  // V8 says only "Unexpected token 'o', ... is not valid JSON" for these.
  assert.equal(where('{"pins":\n  [oops]}'), "2:4 unexpected 'o'");
  assert.equal(where('{"a": tru}'), "1:7 unexpected 't'");
  // Characters other than printable ASCII are named by code point, so none reaches a terminal or a view.
  assert.equal(where('{"eventName": "Get\u0001Object"}'), '1:19 unexpected U+0001');
  assert.equal(where('{"a":\u00a01}'), '1:6 unexpected U+00A0');
  assert.equal(where('{"a": \ud83d\ude00}'), '1:7 unexpected U+1F600');
  // And these, where it does, agree with it.
  assert.equal(where('{"a":1,}'), "1:8 unexpected '}'");
  assert.equal(where('[1,2'), '1:5 unexpected end of the text');
  assert.equal(where('{"Records": [\n  {"eventID": "a"},\n  {"eventID": "b" "eventName": "x"}\n]}'), `3:19 unexpected '"'`);
  assert.equal(where('{"a": "\\x"}'), "1:9 unexpected 'x'");
  assert.equal(where('{"a": "\\u12G4"}'), "1:10 unexpected '1'");
  assert.equal(where('[01]'), "1:3 unexpected '1'");
  assert.equal(where('[-]'), "1:2 unexpected '-'");
  assert.equal(where('{} {}'), "1:4 unexpected '{'");
  assert.equal(where(''), '1:1 unexpected end of the text');
  // A hostile document nested far deeper than any call stack is scanned without overflowing it.
  assert.equal(where(`${'['.repeat(200_000)}x`), "1:200001 unexpected 'x'");
});

test('a document opening more arrays than a JS array can hold is placed too, without ending the process', () => {
  // 2^27 open brackets: a stack of one array element each would make V8 abort (not throw) past 134M.
  const depth = 2 ** 27 + 10;
  assert.deepEqual(jsonSyntaxError(`{"x":${'['.repeat(depth)}`), { line: 1, column: depth + 6, problem: 'unexpected end of the text' });
});

test('files name the line and column of their JSON error: evidence, a case file', () => {
  assert.throws(() => parseJson('[\n  {"eventID": "a"},\n  {"eventID": b}\n]'), { message: "invalid JSON at line 3, column 15 (unexpected 'b')" });
  assert.throws(() => readCase('{"trailscopeCase": 1,\n "pins": [oops]}', 'shared.trailscope-case.json', '/cases'), {
    message: "shared.trailscope-case.json: not valid JSON at line 2, column 11: unexpected 'o'",
  });
});
