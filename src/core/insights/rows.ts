import type { InsightsResult, QueryStatistics, ResultField } from '../results';
import type { Rows } from '../format/table';

/**
 * The fields of GetQueryResults rows in the query's order. A row leaves out the fields its event lacks,
 * so a field first seen in a later row goes where that row puts it: before the next field already
 * placed, else after the one before it, else last. `stats count(*) by eventSource` keeps eventSource
 * first even when the first row's group has none.
 */
export function resultFields(rows: ResultField[][]): string[] {
  const fields: string[] = [];
  for (const row of rows) {
    let previous = -1;
    row.forEach(({ field }, i) => {
      let at = fields.indexOf(field);
      if (at === -1) {
        const next = row.slice(i + 1).map((f) => fields.indexOf(f.field)).find((n) => n !== -1);
        at = next ?? (previous === -1 ? fields.length : previous + 1);
        fields.splice(at, 0, field);
      }
      previous = at;
    });
  }
  return fields;
}

/** GetQueryResults rows as a table, one column per field; @ptr is an internal pointer, left out. */
export function insightsRows(results: ResultField[][]): Rows {
  const columns = resultFields(results).filter((f) => f !== '@ptr');
  return {
    columns,
    rows: results.map((row) => {
      const byField = new Map(row.map((f) => [f.field, f.value]));
      return columns.map((c) => byField.get(c));
    }),
  };
}

/** `3,101 records matched · 12,000 scanned · 1.2 MB scanned`, and what that scan cost when live. */
export function statisticsText(statistics: QueryStatistics, estimatedCostUsd?: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [`${n(statistics.recordsMatched)} records matched`, `${n(statistics.recordsScanned)} scanned`, `${formatBytes(statistics.bytesScanned)} scanned`];
  if (estimatedCostUsd !== undefined) parts.push(costText(estimatedCostUsd));
  return parts.join(' · ');
}

/** A live query's cost at INSIGHTS_USD_PER_GB: cents matter to a responder, fractions of one do not. */
export function costText(usd: number): string {
  return usd < 0.01 ? 'cost < USD 0.01' : `cost about USD ${usd.toFixed(2)}`;
}

/** `12 rows · 3,101 records matched · 12,000 scanned · 1.2 MB scanned`, as the CLI prints it after a table. */
export function statisticsLine(result: InsightsResult): string {
  const rows = result.results.length;
  return `${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'} · ${statisticsText(result.statistics, result.estimatedCostUsd)}`;
}

/** Bytes in the units the service bills by (1 GB = 10^9 bytes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
