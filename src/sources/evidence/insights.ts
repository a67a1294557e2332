import { compileQuery, InsightsQueryError, parseQuery, SOURCE_TABLES, SUPPORT_MACROS, type CompiledQuery, type SourceTable } from '../../core/insights';
import { cappedPeriods } from '../../core/insights/capped-periods';
import { FLOW_FIELDS, LAMBDA_FIELDS, similarField } from '../../core/insights/fields';
import { logGroupName } from '../../core/log-group-name';
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
/** Stores whose log events mark CloudTrail copies: one made before, opened read-only, has no such column. */
const marksCopies = new WeakMap<EvidenceStore, boolean>();

async function marksCloudTrailCopies(store: EvidenceStore): Promise<boolean> {
  let marks = marksCopies.get(store);
  if (marks === undefined) {
    const [row] = await store.all<{ n: bigint }>("SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'logs' AND column_name = 'cloudtrail_copy'");
    marksCopies.set(store, (marks = Number(row?.n ?? 0) > 0));
  }
  return marks;
}

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
  const logGroups = request.logGroups.map(logGroupName);
  const tables = await tablesHolding(store, logGroups);
  const compiled = compileQuery(query, {
    tables,
    logGroups,
    // Over every group, a trail's log events would count each CloudTrail event a second time.
    ...(logGroups.length === 0 && (await marksCloudTrailCopies(store)) ? { rowsOf: { logs: 'cloudtrail_copy IS NOT TRUE' } } : {}),
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
    const scanned = await scannedRecords(store, tables, compiled.scannedSql);
    const matched = compiled.matchedSql ? (await store.all<{ matched: bigint }>(compiled.matchedSql))[0].matched : scanned.scanned;
    throwIfAborted(signal);
    const results: ResultField[][] = rows.map((row) =>
      // A field the event does not have is left out of its row, as GetQueryResults does.
      compiled.columns.flatMap((field, i) => {
        const value = row[`c${i}`];
        return value === null || value === undefined ? [] : [{ field, value }];
      }),
    );
    const warnings = [
      // The service caps periods alike (src/sources/aws/insights-runner.ts warns from the same function).
      ...cappedPeriods(query).map((w) => w.message),
      ...compiled.absentFields.map((name) => {
        const similar = similarField(name, tables);
        return `no record of these log groups has a field "${name}"${similar ? ` (did you mean ${similar}?)` : ''}: it is missing from every row, and a condition on it matches nothing`;
      }),
    ];
    const result: InsightsResult = {
      status: 'Complete',
      results,
      statistics: {
        recordsMatched: Number(matched),
        recordsScanned: Number(scanned.scanned),
        bytesScanned: Number(scanned.bytes),
      },
      ...(warnings.length ? { warnings } : {}),
    };
    options.onProgress?.(result);
    return result;
  } catch (error) {
    throwIfAborted(signal);
    throw tooDeep(request.query, error) ?? (await rejectedRegex(store, compiled.regexes, request.query, error)) ?? error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * DuckDB plans at most 1,000 levels of nested expressions (`not not … x`, `a + a + … + a`); a query
 * within the service's 10,000 characters can reach that, so it gets the parser's own error for it.
 */
function tooDeep(query: string, failure: unknown): InsightsQueryError | undefined {
  if (!/Max expression depth limit/.test(String((failure as Error)?.message))) return undefined;
  return new InsightsQueryError('syntax', 'the query nests too deeply for the offline engine (at most 1,000 levels of operators)', { startCharOffset: 0, endCharOffset: query.length }, query);
}

/**
 * The compiler catches what RE2 lacks that other engines have (lookarounds, backreferences); anything
 * else RE2 rejects (`\Z`, `x{1001}`) fails in DuckDB without a position, so name the regex that fails
 * with the error the query failed with.
 */
async function rejectedRegex(store: EvidenceStore, regexes: CompiledQuery['regexes'], query: string, failure: unknown): Promise<InsightsQueryError | undefined> {
  for (const { re2, location } of regexes) {
    const reason = await store.all(`SELECT regexp_matches('', $1) AS matched`, [re2]).then(
      () => undefined,
      (error: Error) => error.message.replace(/^Invalid Input Error: /, ''),
    );
    if (reason && String((failure as Error)?.message).includes(reason)) {
      return new InsightsQueryError('semantic', `the regular expression is not valid RE2 syntax: ${reason}`, location, query);
    }
  }
  return undefined;
}

interface Scanned {
  scanned: bigint;
  bytes: bigint | number;
}

/**
 * recordsScanned and bytesScanned depend only on the log groups and the time range, and reading every
 * record's size costs about as much as the query itself; an investigation reruns queries over the same
 * range, so the figures are kept per store until a table's row count changes (ingest only adds rows).
 */
const scannedCache = new WeakMap<EvidenceStore, Map<string, Scanned>>();

async function scannedRecords(store: EvidenceStore, tables: SourceTable[], sql: string): Promise<Scanned> {
  const counts = await Promise.all(tables.map(async (t) => (await store.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${t}`))[0].n));
  const key = `${counts.join(',')}\n${sql}`;
  let cache = scannedCache.get(store);
  if (!cache) scannedCache.set(store, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  const [scanned] = await store.all<Scanned>(sql);
  cache.set(key, scanned);
  return scanned;
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
    // EXISTS stops at the first row (and zone maps skip row groups of other log groups), where
    // DISTINCT would read every row of the group.
    let holds = false;
    for (const group of logGroups) {
      const [row] = await store.all<{ present: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE log_group = $1) AS present`, [group]);
      if (row.present) {
        holds = true;
        found.add(group);
      }
    }
    if (holds) tables.push(table);
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

/**
 * GetLogRecord over evidence: every field of the event an `@ptr` points at, as strings, with the raw
 * event in @message. JSON events (CloudTrail, JSON log lines) are flattened the way Insights discovers
 * fields (`userIdentity.type`, `resources.0.ARN`). Undefined when the pointer is not one of this store's.
 */
export async function evidenceLogRecord(store: EvidenceStore, ptr: string): Promise<Record<string, string> | undefined> {
  const m = /^([cfl])(\d+)$/.exec(ptr);
  if (!m) return undefined;
  const table = ({ c: 'cloudtrail', f: 'flows', l: 'logs' } as const)[m[1] as 'c' | 'f' | 'l'];
  const fields = ['@timestamp', '@message', '@logStream', '@log', ...(table === 'flows' ? Object.keys(FLOW_FIELDS) : []), ...(table === 'logs' ? ['@ingestionTime', ...Object.keys(LAMBDA_FIELDS)] : [])];
  const query = `fields ${fields.map((f) => `\`${f}\``).join(', ')} | filter @ptr = "${ptr}"`;
  const result = await runEvidenceInsights(store, { query, logGroups: [], start: '', end: '' });
  const row = result.results[0];
  if (!row) return undefined;
  const record: Record<string, string> = {};
  for (const { field, value } of row) if (field !== '@ptr') record[field] = value;
  if (table !== 'flows') Object.assign(record, flattenJson(record['@message']), { ...record });
  return record;
}

/**
 * Leaves of the line's JSON object under dotted paths, as queries see them: the whole line or the first
 * object embedded in it, a top-level key starting with '@' under one more '@'. Nothing without an object.
 */
function flattenJson(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, path: string): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        walk(child, path ? `${path}.${k}` : k.startsWith('@') ? `@${k}` : k);
      }
    } else out[path] = String(v);
  };
  const object = firstObject(text ?? '');
  if (object) walk(object, '');
  return out;
}

/** The JSON object a line is, or the first one in it: from the first '{' to the first '}' that closes one. */
function firstObject(text: string): object | undefined {
  const whole = parseObject(text);
  if (whole) return whole;
  const start = text.indexOf('{');
  // As the query side reads lines (ts_json_field): only braces that can open a JSON object, and at most
  // the first 20 closing braces tried.
  if (start < 0 || !/^\{\s*["}]/.test(text.slice(start))) return undefined;
  let end = text.indexOf('}', start);
  for (let tries = 0; end >= 0 && tries < 20; end = text.indexOf('}', end + 1), tries++) {
    const object = parseObject(text.slice(start, end + 1));
    if (object) return object;
  }
  return undefined;
}

function parseObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
