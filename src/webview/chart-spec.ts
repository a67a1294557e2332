/**
 * Which chart, if any, suits an Insights result, read from its shape alone:
 * - time-binned stats (a `bin(...)` column, or a computed column of times, and numeric columns): a line per
 *   numeric column (and per group when the stats also group by labels or by numbers such as ports), e.g.
 *   the Lambda durations query `stats avg(@duration), max(@duration), min(@duration) by bin(5m)`;
 * - top-N stats (exactly one numeric column beside label columns, at most MAX_BARS rows): a bar per row
 *   labelled by its label columns, e.g. `stats sum(bytes) as bytesTransferred by srcAddr, dstAddr`.
 * A value that is not a finite number (`1e400` reads as Infinity) is not drawn; the table shows its text.
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

/** The value a chart can place for a numeric cell; undefined for an empty cell or one beyond a double (`1e400`). */
function plotted(value: string): number | undefined {
  const number = value === '' ? NaN : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function rowsDiffer(rows: string[][], columns: number): boolean {
  return new Set(rows.map((row) => JSON.stringify(row.slice(0, columns)))).size === rows.length;
}

/**
 * How many leading columns of a time-binned result are the keys its stats group by. The result does not
 * say, but Insights (and the evidence engine) puts a stats command's `by` keys before its aggregates, and
 * the keys tell its rows apart: they are the fewest leading columns, through the time column, whose
 * values differ from row to row. A number among them (a port, a status code, an account ID) then splits
 * the lines as a text key does instead of being drawn as one. Rows that none tell apart come from no such
 * stats: the time column is their only key.
 */
function groupKeyCount(rows: string[][], columnCount: number, timeColumn: number): number {
  for (let keys = timeColumn + 1; keys < columnCount; keys++) if (rowsDiffer(rows, keys)) return keys;
  return timeColumn + 1;
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
  const keyCount = timeColumn === undefined ? 0 : groupKeyCount(rows, columns.length, timeColumn);
  const numeric = indexes.filter((i) => i !== timeColumn && i >= keyCount && allMatch(rows, i, (v) => NUMBER.test(v)));
  const labels = indexes.filter((i) => i !== timeColumn && !numeric.includes(i));
  if (numeric.length === 0) return undefined;
  if (timeColumn !== undefined) return lineChartFor(columns, rows, timeColumn, numeric, labels);

  // Rows labelled by their own timestamps are records, not a top-N.
  if (labels.some(isTime)) return undefined;
  if (numeric.length !== 1 || labels.length === 0 || rows.length > MAX_BARS) return undefined;
  const value = numeric[0];
  const bars = rows.flatMap((row) => {
    const y = plotted(row[value] ?? '');
    return y === undefined ? [] : [{ label: labels.map((i) => row[i] ?? '').join(LABEL_SEPARATOR), value: y }];
  });
  if (bars.length === 0) return undefined;
  return { kind: 'bar', valueColumn: columns[value], labelColumns: labels.map((i) => columns[i]), bars };
}

function lineChartFor(columns: string[], rows: string[][], timeColumn: number, numeric: number[], labels: number[]): ChartSpec | undefined {
  const byName = new Map<string, LineSeries>();
  for (const row of rows) {
    const x = parseTimestamp(row[timeColumn] ?? '');
    if (x === undefined) continue;
    const group = labels.map((i) => row[i] ?? '').join(LABEL_SEPARATOR);
    for (const i of numeric) {
      const y = plotted(row[i] ?? '');
      if (y === undefined) continue;
      const name = group ? `${group} · ${columns[i]}` : columns[i];
      let series = byName.get(name);
      if (!series) byName.set(name, (series = { name, points: [] }));
      series.points.push({ x, y });
    }
  }
  const series = [...byName.values()];
  if (series.length === 0) return undefined;
  for (const s of series) s.points.sort((a, b) => a.x - b.x);
  // With many groups keep the largest: a chart of 200 lines says nothing.
  const total = (s: LineSeries) => s.points.reduce((sum, p) => sum + Math.abs(p.y), 0);
  const kept = series.length > MAX_SERIES ? [...series].sort((a, b) => total(b) - total(a)).slice(0, MAX_SERIES) : series;
  return { kind: 'line', xColumn: columns[timeColumn], series: kept };
}

/** Ticks one axis ever gets, whatever rounding does to the arithmetic of huge or tiny values. */
const MAX_TICKS = 25;

/**
 * Round tick values from at or below `min` to at or above `max`, about `count` of them; none for a bound
 * that is not a finite number. Each tick is a whole multiple of the step, worked out on its own (adding
 * steps up never ends once a sum overflows to Infinity), and a round tick past the largest double is left
 * out, so near ±1.8e308 the ticks may stop short of the data.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (!(max > min)) return [min];
  // Divided first: max - min overflows for a range such as ±1e308.
  const raw = max / count - min / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  // A range narrower than the smallest double (0 to 5e-324) has no step: its ends are the ticks.
  if (!(step > 0)) return [min, max];
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks = Array.from({ length: Math.min(last - first + 1, MAX_TICKS) }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  // Rounded to 12 digits, the ticks of a narrow range far from zero can be one value.
  return [...new Set(ticks.filter(Number.isFinite))];
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
