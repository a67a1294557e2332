import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartFor, niceTicks, niceTimeTicks, parseTimestamp } from '../../../src/webview/chart-spec';

describe('chart choice', () => {
  it('draws the Lambda durations query as three lines over time, in time order', () => {
    const columns = ['bin(5m)', 'avg(@duration)', 'max(@duration)', 'min(@duration)'];
    const rows = [
      ['2024-05-01 10:05:00.000', '110.5', '300', '20'],
      ['2024-05-01 10:00:00.000', '100', '350', '21.25'],
    ];
    const spec = chartFor(columns, rows);
    assert.equal(spec?.kind, 'line');
    if (spec?.kind !== 'line') return;
    assert.deepEqual(spec.series.map((s) => s.name), ['avg(@duration)', 'max(@duration)', 'min(@duration)']);
    assert.deepEqual(spec.series[0].points, [
      { x: Date.parse('2024-05-01T10:00:00Z'), y: 100 },
      { x: Date.parse('2024-05-01T10:05:00Z'), y: 110.5 },
    ]);
  });

  it('draws the top byte pairs query as ten bars labelled "src → dst", in result order', () => {
    const columns = ['srcAddr', 'dstAddr', 'bytesTransferred'];
    const rows = Array.from({ length: 10 }, (_, i) => [`10.0.0.${i}`, `198.51.100.${i}`, String(1000 - i * 10)]);
    const spec = chartFor(columns, rows);
    assert.equal(spec?.kind, 'bar');
    if (spec?.kind !== 'bar') return;
    assert.equal(spec.bars.length, 10);
    assert.deepEqual(spec.bars[0], { label: '10.0.0.0 → 198.51.100.0', value: 1000 });
    assert.equal(spec.valueColumn, 'bytesTransferred');
  });

  it('draws a line per group when binned stats also group by a label', () => {
    const spec = chartFor(['bin(1h)', 'eventName', 'count(*)'], [
      ['2024-05-01 10:00:00.000', 'GetObject', '5'],
      ['2024-05-01 10:00:00.000', 'PutObject', '2'],
      ['2024-05-01 11:00:00.000', 'GetObject', '7'],
    ]);
    assert.equal(spec?.kind, 'line');
    if (spec?.kind === 'line') assert.deepEqual(spec.series.map((s) => s.name), ['GetObject · count(*)', 'PutObject · count(*)']);
  });

  it('draws a line per value of a numeric group key (ports), not the key as a line', () => {
    // filter dstPort in [22,443,3389] | stats count(*) as flows by bin(6h), dstPort
    const rows = ['00', '06'].flatMap((hour, h) => ['22', '443', '3389'].map((port, p) => [`2024-05-01 ${hour}:00:00.000`, port, String(10 * p + h)]));
    const spec = chartFor(['bin(6h)', 'dstPort', 'flows'], rows);
    assert.equal(spec?.kind, 'line');
    if (spec?.kind !== 'line') return;
    assert.deepEqual(spec.series.map((s) => s.name), ['22 · flows', '443 · flows', '3389 · flows']);
    assert.deepEqual(spec.series[1].points.map((p) => p.y), [10, 11]);
  });

  it('does not draw a value that is not a finite number, and draws nothing when no value is one', () => {
    const line = chartFor(['bin(5m)', 'count()'], [['2024-05-01 10:00:00.000', '5'], ['2024-05-01 10:05:00.000', '1e400'], ['2024-05-01 10:10:00.000', '-1e400']]);
    assert.deepEqual(line?.kind === 'line' && line.series[0].points.map((p) => p.y), [5]);
    const bars = chartFor(['srcAddr', 'bytes'], [['10.0.0.1', '1e400'], ['10.0.0.2', '5']]);
    assert.deepEqual(bars?.kind === 'bar' && bars.bars, [{ label: '10.0.0.2', value: 5 }]);
    assert.equal(chartFor(['bin(5m)', 'count()'], [['2024-05-01 10:00:00.000', '1e400']]), undefined);
    assert.equal(chartFor(['srcAddr', 'bytes'], [['10.0.0.1', '1e400']]), undefined);
  });

  it('draws nothing for raw log rows, for text only, or for too many bars', () => {
    assert.equal(chartFor(['@timestamp', '@message'], [['2024-05-01 10:00:00.000', 'START RequestId: 1']]), undefined);
    assert.equal(chartFor(['@timestamp', 'bytes'], [['2024-05-01 10:00:00.000', '840']]), undefined, 'raw flow records are not a series');
    assert.equal(chartFor(['hour', 'count(*)'], [['2024-05-01 10:00:00.000', '3']])?.kind, 'line', 'datefloor(...) as hour is');
    assert.equal(chartFor(['eventName', 'userAgent'], [['GetObject', 'aws-cli']]), undefined);
    const many = Array.from({ length: 51 }, (_, i) => [`k${i}`, String(i)]);
    assert.equal(chartFor(['key', 'count'], many), undefined);
    assert.equal(chartFor(['a', 'b', 'c'], [['x', '1', '2']]), undefined, 'two numeric columns and no time is not a top-N');
  });

  it('reads Insights and ISO timestamps as UTC', () => {
    assert.equal(parseTimestamp('2024-05-01 10:00:00.000'), Date.parse('2024-05-01T10:00:00Z'));
    assert.equal(parseTimestamp('2024-05-01T10:00:00+02:00'), Date.parse('2024-05-01T08:00:00Z'));
    assert.equal(parseTimestamp('10:00'), undefined);
  });

  it('puts axis ticks on round values that cover the data', () => {
    assert.deepEqual(niceTicks(0, 350), [0, 100, 200, 300, 400]);
    assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    const start = Date.parse('2024-05-01T10:00:00Z');
    const ticks = niceTimeTicks(start + 60_000, start + 115 * 60_000);
    assert.deepEqual(ticks, ['10:30', '11:00', '11:30'].map((t) => Date.parse(`2024-05-01T${t}:00Z`)));
    assert.equal(niceTimeTicks(start, start + 30 * 60_000).length, 7, 'every 5 minutes over half an hour, both ends');
  });

  it('puts a few finite ticks on the largest ranges a double holds, and none on a bound that is not a number', () => {
    // The round tick above 1.7e308 is 2e308, Infinity: adding steps up to it never ended.
    assert.deepEqual(niceTicks(0, 1.7e308), [0, 5e307, 1e308, 1.5e308]);
    assert.deepEqual(niceTicks(-1e308, 1e308), [-1e308, -5e307, 0, 5e307, 1e308], 'the span overflows, its halves do not');
    assert.deepEqual(niceTicks(-Number.MAX_VALUE, Number.MAX_VALUE), [-1e308, 0, 1e308]);
    assert.deepEqual(niceTicks(0, Infinity), []);
    assert.deepEqual(niceTicks(NaN, 1), []);
    assert.deepEqual(niceTicks(0, 5e-324), [0, 5e-324], 'no step fits between the two smallest doubles');
    assert.deepEqual(niceTicks(1e16, 1e16 + 2), [1e16], 'ticks that round to one value are one tick');
  });
});
