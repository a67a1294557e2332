import type { InsightsResult } from '../results';
import type { Rows } from '../format/table';

/**
 * GetQueryResults rows as a table: one column per field in order of first appearance (a row leaves out
 * the fields its event lacks, so rows may differ in their fields). @ptr is an internal pointer and is
 * left out of tables.
 */
export function insightsRows(result: InsightsResult): Rows {
  const columns: string[] = [];
  for (const row of result.results) {
    for (const { field } of row) if (field !== '@ptr' && !columns.includes(field)) columns.push(field);
  }
  return {
    columns,
    rows: result.results.map((row) => {
      const byField = new Map(row.map((f) => [f.field, f.value]));
      return columns.map((c) => byField.get(c));
    }),
  };
}

/** `12 rows · 3,101 records matched of 12,000 scanned · 1.2 MB scanned` */
export function statisticsLine(result: InsightsResult): string {
  const { recordsMatched, recordsScanned, bytesScanned } = result.statistics;
  const n = (x: number) => x.toLocaleString('en-US');
  const rows = result.results.length;
  return `${n(rows)} row${rows === 1 ? '' : 's'} · ${n(recordsMatched)} records matched of ${n(recordsScanned)} scanned · ${formatBytes(bytesScanned)} scanned`;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
