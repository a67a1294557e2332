/**
 * Which chart, if any, suits an Insights result, read from its shape alone:
 * - time-binned stats (a `bin(...)` column, or a computed column of times, and numeric columns): a line per
 *   numeric column (and per group when the stats also group by labels), e.g. the Lambda durations query
 *   `stats avg(@duration), max(@duration), min(@duration) by bin(5m)`;
 * - top-N stats (exactly one numeric column beside label columns, at most MAX_BARS rows): a bar per row
 *   labelled by its label columns, e.g. `stats sum(bytes) as bytesTransferred by srcAddr, dstAddr`.
 */

export interface LineSeries {
  name: string;
  points: Array<{ x: number; y: number }>;
}

export type ChartSpec =
  | { kind: 'line'; xColumn: string; series: LineSeries[] }
  | { kind: 'bar'; valueColumn: string; labelColumns: string[]; bars: Array<{ label: string; value: number }> };

export const MAX_BARS = 50;
export const MAX_SERIES = 8;
export const LABEL_SEPARATOR = ' → ';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
// Insights prints timestamps as "2024-05-01 10:05:00.000"; CloudTrail and exports use ISO 8601.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch, reading a timestamp without a zone as UTC (as Insights means it). */
export function parseTimestamp(value: string): number | undefined {
  if (!TIMESTAMP.test(value)) return undefined;
  let iso = value.replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function allMatch(rows: string[][], column: number, test: (v: string) => boolean): boolean {
  let seen = false;
  for (const row of rows) {
    const v = row[column] ?? '';
    if (v === '') continue;
    if (!test(v)) return false;
    seen = true;
  }
  return seen;
}

/** `columns` and `rows` as the table holds them (hidden fields such as @ptr already left out). */
export function chartFor(columns: string[], rows: string[][]): ChartSpec | undefined {
  if (rows.length === 0 || columns.length < 2) return undefined;
  const indexes = columns.map((_, i) => i);
  // A `bin()` column, or another computed column of times (`datefloor(...) as hour`); a raw record's
  // own @timestamp is not a series, so raw log rows get no chart.
  const isTime = (i: number) => allMatch(rows, i, (v) => parseTimestamp(v) !== undefined);
  const timeColumn =
    indexes.find((i) => /^bin\(/i.test(columns[i]) && isTime(i)) ?? indexes.find((i) => !columns[i].startsWith('@') && isTime(i));
  const numeric = indexes.filter((i) => i !== timeColumn && allMatch(rows, i, (v) => NUMBER.test(v)));
  const labels = indexes.filter((i) => i !== timeColumn && !numeric.includes(i));
  if (numeric.length === 0) return undefined;

  if (timeColumn !== undefined) {
    const byName = new Map<string, LineSeries>();
    for (const row of rows) {
      const x = parseTimestamp(row[timeColumn] ?? '');
      if (x === undefined) continue;
      const group = labels.map((i) => row[i] ?? '').join(LABEL_SEPARATOR);
      for (const i of numeric) {
        if ((row[i] ?? '') === '') continue;
        const name = group ? `${group} · ${columns[i]}` : columns[i];
        let series = byName.get(name);
        if (!series) byName.set(name, (series = { name, points: [] }));
        series.points.push({ x, y: Number(row[i]) });
      }
    }
    const series = [...byName.values()];
    for (const s of series) s.points.sort((a, b) => a.x - b.x);
    // With many groups keep the largest: a chart of 200 lines says nothing.
    const total = (s: LineSeries) => s.points.reduce((sum, p) => sum + Math.abs(p.y), 0);
    const kept = series.length > MAX_SERIES ? [...series].sort((a, b) => total(b) - total(a)).slice(0, MAX_SERIES) : series;
    return { kind: 'line', xColumn: columns[timeColumn], series: kept };
  }

  // Rows labelled by their own timestamps are records, not a top-N.
  if (labels.some(isTime)) return undefined;
  if (numeric.length !== 1 || labels.length === 0 || rows.length > MAX_BARS) return undefined;
  const value = numeric[0];
  return {
    kind: 'bar',
    valueColumn: columns[value],
    labelColumns: labels.map((i) => columns[i]),
    bars: rows
      .filter((row) => (row[value] ?? '') !== '')
      .map((row) => ({ label: labels.map((i) => row[i] ?? '').join(LABEL_SEPARATOR), value: Number(row[value]) })),
  };
}

/** Round tick values from at or below `min` to at or above `max`, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  const last = Math.ceil(max / step - 1e-9) * step;
  for (let t = Math.floor(min / step + 1e-9) * step; t <= last + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const MINUTE = 60_000;
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * MINUTE);

/** Times on whole minutes, hours or days (UTC) within [min, max], at most about `count` of them. */
export function niceTimeTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min];
  const step = TIME_STEPS.find((s) => (max - min) / s <= count) ?? Math.ceil((max - min) / count / (1440 * MINUTE)) * 1440 * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
  return ticks;
}
