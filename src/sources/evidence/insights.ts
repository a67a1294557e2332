import { compileQuery, parseQuery, SOURCE_TABLES, SUPPORT_MACROS, type SourceTable } from '../../core/insights';
import type { InsightsResult, ResultField } from '../../core/results';
import type { InsightsOptions, InsightsRequest } from '../source';
import type { EvidenceStore } from './store';

/**
 * Runs a Logs Insights query over the evidence store: parse, compile to one DuckDB statement (see
 * src/core/insights/compiler.ts for the result semantics), run it and its statistics query, and return
 * the GetQueryResults shape. Query errors are InsightsQueryError with the position; a log group the store
 * does not hold is an error rather than an empty answer, so a typo is never mistaken for "no activity".
 */
export const DEFAULT_RESULT_LIMIT = 10_000;

const prepared = new WeakSet<EvidenceStore>();

export async function runEvidenceInsights(
  store: EvidenceStore,
  request: InsightsRequest,
  options: InsightsOptions = {},
): Promise<InsightsResult> {
  const query = parseQuery(request.query);
  const signal = options.signal;
  throwIfAborted(signal);
  if (!prepared.has(store)) {
    await store.run(SUPPORT_MACROS);
    prepared.add(store);
  }
  const tables = await tablesHolding(store, request.logGroups);
  const compiled = compileQuery(query, {
    tables,
    logGroups: request.logGroups,
    startMs: parseTime(request.start, 'start'),
    endMs: parseTime(request.end, 'end'),
    nowMs: Date.now(),
    defaultLimit: request.limit ?? DEFAULT_RESULT_LIMIT,
  });
  if (tables.length === 0) return { status: 'Complete', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } };

  const onAbort = () => store.connection.interrupt();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const rows = await store.all<Record<string, string | null>>(compiled.sql);
    throwIfAborted(signal);
    const [stats] = await store.all<{ scanned: bigint; bytes: bigint | number; matched: bigint }>(compiled.statisticsSql);
    throwIfAborted(signal);
    const results: ResultField[][] = rows.map((row) =>
      // A field the event does not have is left out of its row, as GetQueryResults does.
      compiled.columns.flatMap((field, i) => {
        const value = row[`c${i}`];
        return value === null || value === undefined ? [] : [{ field, value }];
      }),
    );
    const result: InsightsResult = {
      status: 'Complete',
      results,
      statistics: {
        recordsMatched: Number(stats.matched),
        recordsScanned: Number(stats.scanned),
        bytesScanned: Number(stats.bytes),
      },
    };
    options.onProgress?.(result);
    return result;
  } catch (error) {
    throwIfAborted(signal);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The tables a query must read: those holding the requested log groups, or every non-empty table. A
 * query over flow log groups only touches the flows table.
 */
async function tablesHolding(store: EvidenceStore, logGroups: string[]): Promise<SourceTable[]> {
  const tables: SourceTable[] = [];
  const found = new Set<string>();
  for (const table of SOURCE_TABLES) {
    if (logGroups.length === 0) {
      const [row] = await store.all<{ present: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS present`);
      if (row.present) tables.push(table);
      continue;
    }
    const rows = await store.all<{ log_group: string }>(
      `SELECT DISTINCT log_group FROM ${table} WHERE log_group IN (${logGroups.map((_, i) => `$${i + 1}`).join(', ')})`,
      logGroups,
    );
    if (rows.length > 0) tables.push(table);
    for (const r of rows) found.add(r.log_group);
  }
  const missing = logGroups.filter((g) => !found.has(g));
  if (missing.length > 0) throw new Error(`log group not in the evidence store: ${missing.join(', ')}`);
  return tables;
}

function parseTime(value: string | undefined, which: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`invalid ${which} time '${value}': expected ISO 8601, e.g. 2024-05-01T00:00:00Z`);
  return ms;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const error = new Error('the query was cancelled');
    error.name = 'AbortError';
    throw error;
  }
}
