import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { indentJson, parseLosses, readableJson } from '../../../src/core/format/json-as-written';

const OTRF = join(__dirname, '..', '..', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');

test('a record written twice over one key, or with a number too long for JavaScript, says where', () => {
  const text = '{"eventName":"ListBuckets","userIdentity":{"accessKeyId":"AKIAREAL","accessKeyId":"AKIADECOY"},"eventName":"DeleteTrail",' +
    '"requestParameters":{"size":12345678901234567890,"items":[1,{"id":-9007199254740993,"ok":9007199254740991,"ratio":1.10}],' +
    '"note":"\\"eventName\\": twice in a string is no key","pi":3.14159265358979323846}}';
  assert.deepEqual(parseLosses(text), {
    repeatedKeys: ['userIdentity.accessKeyId', 'eventName'],
    impreciseNumbers: ['requestParameters.size', 'requestParameters.items.1.id', 'requestParameters.pi'],
  });
  // A number is shown as written when JavaScript writes its value back the same: `1.10` and `1E2` are, the
  // others here are not (a long integer written as a decimal, more digits than a double, beyond its range).
  const numbers = ['1.10', '1E2', '-0', '0.1', '12345678901234567000', '9007199254740993.0', '0.30000000000000001', '1e400', '1e-400'];
  assert.deepEqual(parseLosses(`[${numbers.join(',')}]`).impreciseNumbers, ['5', '6', '7', '8']);
  // Keys are compared as JSON.parse reads them: an escaped letter is the same key.
  assert.deepEqual(parseLosses('{"a":1,"\\u0061":2}').repeatedKeys, ['a']);
  // The same key in sibling objects is no repeat.
  assert.deepEqual(parseLosses('[{"a":1},{"a":2}]'), { repeatedKeys: [], impreciseNumbers: [] });
});

test('real records lose nothing when parsed, and are indented as JSON.stringify indents them', () => {
  const lines = readFileSync(OTRF, 'utf8').trim().split('\n');
  for (const line of lines) assert.deepEqual(parseLosses(line), { repeatedKeys: [], impreciseNumbers: [] });
  // The layout is JSON.stringify's; numbers stay as written (`500.0`, which JSON.stringify writes `500`).
  const plain = lines.filter((line) => !/:-?\d+\.0\b/.test(line));
  assert.ok(plain.length > 90 && plain.length < lines.length);
  for (const line of plain) assert.equal(indentJson(line), JSON.stringify(JSON.parse(line), null, 2));
  const written = lines.find((line) => line.includes('"bytesTransferredOut":500.0'));
  assert.match(indentJson(written ?? ''), /\n {4}"bytesTransferredOut": 500\.0,\n/);
  for (const text of ['{}', '[]', '[{"a":[]},{}]', ' { "x" : [ 1 , "a,b:{" ] } ']) assert.equal(indentJson(text), JSON.stringify(JSON.parse(text), null, 2), text);
});

test('what is read and copied keeps a repeated key and a long integer as written, and anything else as before', () => {
  const altered = '{"eventName":"ListBuckets","eventName":"DeleteTrail","size":12345678901234567890}';
  assert.equal(readableJson(altered), '{\n  "eventName": "ListBuckets",\n  "eventName": "DeleteTrail",\n  "size": 12345678901234567890\n}');
  assert.equal(readableJson('{"a":"\\u00e9"}'), '{\n  "a": "é"\n}');
  assert.equal(readableJson('<script>not json'), '<script>not json');
  // Too deep to indent (or to stringify): as received, at once.
  const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)},"a":1}`;
  assert.equal(readableJson(deep), deep);
  assert.deepEqual(parseLosses(deep).repeatedKeys, ['a']);
});
