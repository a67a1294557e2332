import type { DuckDBAppender } from '@duckdb/node-api';
import { quote } from '../../../core/insights/sql';
import type { EvidenceStore } from '../store';
import { cloudTrailRowsSql, VALID_EVENT } from '../derive-sql';
import { storableJson, type RecordText } from './cloudtrail';
import { FLOW_FIELDS, flowColumn, type FlowRow } from './flow';
import type { LogRow } from './cwlogs';
import type { RoutedEvents } from './log-group-router';

/**
 * Writes one batch of ingested files into the store in a single transaction, so a cancelled or failed
 * run leaves whole files or nothing. CloudTrail S3 log files are read by DuckDB itself (the bulk of any
 * investigation, and far faster than parsing in JavaScript); records parsed in JavaScript, flow rows and
 * log events arrive through appenders into temporary staging tables.
 */
export interface PendingFile {
  fileId: number;
  path: string;
  sha256: string;
  /** Of a gzip file read in JavaScript: the SHA-256 of what it holds, which its gunzipped copy has as its own. */
  contentSha256?: string;
  size: number;
  format: string;
  /** The log group its records go to unless the reader names another. */
  logGroup: string;
  /** The log groups of the rows read in JavaScript, as they are appended. */
  logGroups?: string[];
  /** Set for S3 log files DuckDB reads from disk. */
  diskPath?: string;
  /** Flow records and log events appended (CloudTrail records are counted once derived). */
  appended: number;
}

export interface FileOutcome {
  file: PendingFile;
  records: number;
  /** Of `records`, those stored as CloudTrail events and as flow records. */
  cloudTrail: number;
  flows: number;
  duplicates: number;
  /** Records without eventID/eventTime; reported, not stored. */
  invalid: number;
  /** Nothing in the file was a CloudTrail event: it is reported and left out of the manifest. */
  rejected: boolean;
}

/**
 * Largest decompressed S3 log file DuckDB reads (it buffers twice this per thread, within the ingest's
 * memory limit); a larger one fails the read and goes to the JavaScript reader instead.
 */
const MAX_OBJECT_BYTES = 32 * 2 ** 20;

/**
 * Moves the valid rows of `prepared` into `cloudtrail`, keeping the first copy of each eventID (earliest
 * file, then first in it). The rows to keep are chosen on narrow columns, so the wide rows are neither
 * sorted nor windowed; they keep their read order, and since files are ingested oldest first the table
 * stays nearly sorted by time, which lets DuckDB skip whole row groups for time-bounded lookups. The
 * stored copies are found by probing the stored IDs with the batch's (a semi join built on the smaller
 * side), not by hashing every stored ID for each batch.
 */
const INSERT_NEW_EVENTS = `
CREATE OR REPLACE TEMP TABLE stored_copies AS
  SELECT event_id FROM cloudtrail WHERE event_id IN (SELECT event_id FROM prepared);
INSERT INTO cloudtrail
  SELECT * FROM prepared
  WHERE rowid IN (SELECT arg_min(rowid, {file: file_id, row: rowid}) FROM prepared WHERE ${VALID_EVENT} GROUP BY event_id)
    AND event_id NOT IN (SELECT event_id FROM stored_copies);
DROP TABLE stored_copies`;

/**
 * Log events and flow records with an ID (filter-log-events output, whose pages overlap when fetched
 * again) are stored once, the first copy read (earliest file, then first in it); export lines and flow
 * log files carry no ID and are all kept.
 */
async function insertNewById(store: EvidenceStore, table: 'logs' | 'flows', stage: string): Promise<void> {
  await store.run(`INSERT INTO ${table} BY NAME SELECT * FROM ${stage} WHERE event_id IS NULL`);
  // Only a batch that has IDs pays for reading the stored ones (a flow log file has none).
  const [{ n }] = await store.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${stage} WHERE event_id IS NOT NULL`);
  if (n === 0n) return;
  await store.run(`
    INSERT INTO ${table} BY NAME
      SELECT * FROM ${stage} s
      WHERE s.rowid IN (SELECT arg_min(rowid, {file: file_id::INTEGER, row: rowid}) FROM ${stage} WHERE event_id IS NOT NULL GROUP BY event_id)
        AND s.event_id NOT IN (SELECT event_id FROM ${table} WHERE event_id IS NOT NULL)`);
}

const FLOW_COLUMNS = ['log_group', 'log_stream', 'file_id', 'ts', ...FLOW_FIELDS.map(flowColumn), 'raw', 'event_id'];
const LOG_COLUMNS = ['log_group', 'log_stream', 'file_id', 'ts', 'ingestion_time', 'event_id', 'message', 'report_type', 'request_id',
  'duration', 'billed_duration', 'memory_size', 'max_memory_used', 'init_duration', 'cloudtrail_copy'];

export class BatchWriter {
  private files: PendingFile[] = [];
  private cloudTrailAppender?: DuckDBAppender;
  private flowAppender?: DuckDBAppender;
  private logAppender?: DuckDBAppender;
  /** Rows appended since staging was last cleared, and the length of their text. */
  private stagedRows = 0;
  private stagedText = 0;

  private constructor(private readonly store: EvidenceStore) {}

  static async create(store: EvidenceStore): Promise<BatchWriter> {
    const writer = new BatchWriter(store);
    const varchar = (columns: string[]): string => columns.map((c) => `"${c}" VARCHAR`).join(', ');
    await store.run(`
      CREATE OR REPLACE TEMP TABLE stage_ct (file_id INTEGER, log_group VARCHAR, raw JSON, lookup_given JSON);
      CREATE OR REPLACE TEMP TABLE stage_flows (${varchar(FLOW_COLUMNS)});
      CREATE OR REPLACE TEMP TABLE stage_logs (${varchar(LOG_COLUMNS)});
      CREATE OR REPLACE TEMP TABLE batch_files (file_id INTEGER, path VARCHAR, log_group VARCHAR);`);
    return writer;
  }

  get size(): number {
    return this.files.length;
  }

  get diskFiles(): number {
    return this.files.filter((f) => f.diskPath).length;
  }

  add(file: PendingFile): void {
    this.files.push(file);
  }

  /**
   * Rows go to the file's log group, or to `logGroup` (a subscription's group, a routed record's trail
   * group). A record from a LookupEvents Event keeps what the Event gives beside its text.
   */
  async appendCloudTrail(file: PendingFile, records: RecordText[], logGroup = file.logGroup): Promise<void> {
    this.cloudTrailAppender ??= await this.store.connection.createAppender('stage_ct', 'main', 'temp');
    if (records.length > 0) noteGroup(file, logGroup);
    for (const record of records) {
      const [raw, given] = typeof record === 'string' ? [record, undefined] : [record.text, record.given];
      this.cloudTrailAppender.appendInteger(file.fileId);
      this.cloudTrailAppender.appendVarchar(logGroup);
      this.cloudTrailAppender.appendVarchar(storableJson(raw));
      if (given === undefined) this.cloudTrailAppender.appendNull();
      else this.cloudTrailAppender.appendVarchar(storableJson(given));
      this.cloudTrailAppender.endRow();
      this.stagedText += raw.length;
    }
    this.stagedRows += records.length;
  }

  async appendFlows(file: PendingFile, rows: FlowRow[], logGroup = file.logGroup): Promise<void> {
    this.flowAppender ??= await this.store.connection.createAppender('stage_flows', 'main', 'temp');
    if (rows.length > 0) noteGroup(file, logGroup);
    for (const row of rows) {
      appendRow(this.flowAppender, [logGroup, row.logStream ?? row.values['interface-id'], String(file.fileId), row.ts,
        ...FLOW_FIELDS.map((f) => row.values[f]), row.raw, row.eventId]);
      this.stagedText += row.raw.length;
    }
    this.countStaged(file, rows.length);
  }

  async appendLogs(file: PendingFile, rows: LogRow[], logGroup = file.logGroup): Promise<void> {
    this.logAppender ??= await this.store.connection.createAppender('stage_logs', 'main', 'temp');
    if (rows.length > 0) noteGroup(file, logGroup);
    for (const r of rows) {
      appendRow(this.logAppender, [logGroup, r.logStream, String(file.fileId), r.ts, r.ingestionTime, r.eventId, r.message,
        r.reportType, r.requestId, ...[r.duration, r.billedDuration, r.memorySize, r.maxMemoryUsed, r.initDuration].map((n) => n?.toString()),
        r.cloudTrailCopy ? 'true' : undefined]);
      this.stagedText += r.message.length;
    }
    this.countStaged(file, rows.length);
  }

  /** A log group's events as LogGroupRouter routed them; returns how many rows they gave. */
  async appendLogEvents(file: PendingFile, routed: RoutedEvents<LogRow>, logGroup = file.logGroup): Promise<number> {
    for (const group of new Set(routed.cloudTrail.map((r) => r.logGroup))) {
      await this.appendCloudTrail(file, routed.cloudTrail.filter((r) => r.logGroup === group).map((r) => r.text), group);
    }
    await this.appendFlows(file, routed.flows, logGroup);
    await this.appendLogs(file, routed.logs, logGroup);
    return routed.cloudTrail.length + routed.flows.length + routed.logs.length;
  }

  private countStaged(file: PendingFile, rows: number): void {
    file.appended += rows;
    this.stagedRows += rows;
  }

  /**
   * Writes the batch. S3 log files that DuckDB cannot read (truncated gzip, invalid JSON, ...) are left
   * out and returned in `unread`: the caller hands them to the JavaScript reader, which names the problem
   * precisely or keeps what can be kept. Nothing else in the batch is affected by them.
   */
  async flush(): Promise<{ outcomes: FileOutcome[]; unread: PendingFile[] }> {
    this.flushAppenders();
    try {
      const unread = await this.prepare(this.files.filter((f) => f.diskPath));
      const files = this.files.filter((f) => !unread.includes(f));
      this.files = [];
      if (files.length === 0) return { outcomes: [], unread };
      const outcomes = await this.inTransaction(async () => {
        const staged = await this.moveStaged();
        // An S3 log file DuckDB found no record in (its Records no list) goes to the JavaScript reader
        // too, which says what it holds instead of storing it as a file of no events.
        unread.push(...files.filter((f) => f.diskPath && !staged.has(f.fileId)));
        const read = files.filter((f) => !unread.includes(f));
        return read.length > 0 ? this.record(read, staged) : [];
      });
      return { outcomes, unread };
    } finally {
      await this.clearStaging();
    }
  }

  /**
   * Writes one large file whose rows arrive in parts (batches of lines or records), in a transaction of
   * its own: the file is stored whole, or not at all when a part fails or the run is cancelled midway.
   * `read` appends each part's rows and then calls `partStaged`, which moves the staged rows into the
   * tables once about `moveBytes` of their text has gathered; the rest are moved when `read` returns.
   */
  async writeInParts(file: PendingFile, moveBytes: number, read: (partStaged: () => Promise<void>) => Promise<void>): Promise<FileOutcome> {
    if (this.files.length > 0) throw new Error('writeInParts needs an empty batch');
    const staged = { total: 0, valid: 0 };
    const move = async (): Promise<void> => {
      this.flushAppenders();
      await this.prepare([]);
      const part = (await this.moveStaged()).get(file.fileId);
      staged.total += part?.total ?? 0;
      staged.valid += part?.valid ?? 0;
      await this.clearStaging();
    };
    try {
      return await this.inTransaction(async () => {
        await read(async () => {
          if (this.stagedText >= moveBytes) await move();
        });
        if (this.stagedRows > 0) await move();
        const [outcome] = await this.record([file], staged.total > 0 ? new Map([[file.fileId, staged]]) : new Map());
        return outcome;
      });
    } finally {
      await this.clearStaging();
    }
  }

  private async inTransaction<T>(work: () => Promise<T>): Promise<T> {
    await this.store.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.store.run('COMMIT');
      return result;
    } catch (error) {
      // A COMMIT that failed (a full disk) has ended the transaction already: its error is the one to
      // show, not ROLLBACK's "no transaction is active".
      await this.store.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private flushAppenders(): void {
    for (const appender of [this.cloudTrailAppender, this.flowAppender, this.logAppender]) appender?.flushSync();
  }

  /**
   * Empties the staging tables, and the appenders' buffers first: a large file that failed between two
   * moves leaves rows there, which the next batch would otherwise write under that file's ID.
   */
  private clearStaging(): Promise<void> {
    this.flushAppenders();
    this.stagedRows = 0;
    this.stagedText = 0;
    return this.store.run('DELETE FROM stage_ct; DELETE FROM stage_flows; DELETE FROM stage_logs; DROP TABLE IF EXISTS prepared');
  }

  /**
   * Reads and derives the batch's CloudTrail rows into the temporary table `prepared`: the S3 log files
   * straight from disk together with the records parsed in JavaScript, in one statement; when a file
   * cannot be read, each file on its own, to find which. Returns the files DuckDB could not read.
   */
  private async prepare(disk: PendingFile[]): Promise<PendingFile[]> {
    const derive = (staged: string): Promise<void> => this.store.run(`CREATE OR REPLACE TEMP TABLE prepared AS ${cloudTrailRowsSql(staged)}`);
    if (disk.length > 0) {
      try {
        await derive(`(SELECT * FROM stage_ct UNION ALL ${await this.diskRecords(disk)})`);
        return [];
      } catch {
        // One of the files is bad; the loop below finds it.
      }
    }
    const unread: PendingFile[] = [];
    for (const file of disk) {
      try {
        await this.store.run(`INSERT INTO stage_ct ${await this.diskRecords([file])}`);
      } catch {
        unread.push(file);
      }
    }
    await derive('stage_ct');
    return unread;
  }

  /** Moves the prepared events and the staged flows and logs into their tables; the events staged per file. */
  private async moveStaged(): Promise<Map<number, { total: number; valid: number }>> {
    const store = this.store;
    const staged = await countsBy(store, `SELECT file_id, count(*) AS total, count(*) FILTER (WHERE ${VALID_EVENT}) AS valid FROM prepared GROUP BY file_id`);
    await store.run(INSERT_NEW_EVENTS);
    await insertNewById(store, 'flows', 'stage_flows');
    await insertNewById(store, 'logs', 'stage_logs');
    return staged;
  }

  /** What each file added, inside the open transaction, and the manifest entries of those it was accepted. */
  private async record(files: PendingFile[], staged: Map<number, { total: number; valid: number }>): Promise<FileOutcome[]> {
    const store = this.store;
    const minId = Math.min(...files.map((f) => f.fileId));
    const inserted = await countsBy(store, `SELECT file_id, count(*) AS total, 0 AS valid FROM cloudtrail WHERE file_id >= ${minId} GROUP BY file_id`);
    const stored = (table: 'flows' | 'logs') => countsBy(store, `SELECT file_id, count(*) AS total, 0 AS valid FROM ${table} WHERE file_id >= ${minId} GROUP BY file_id`);
    const [flows, logs] = [await stored('flows'), await stored('logs')];
    const outcomes = files.map((file): FileOutcome => {
      const events = staged.get(file.fileId) ?? { total: 0, valid: 0 };
      const cloudTrail = inserted.get(file.fileId)?.total ?? 0;
      const storedFlows = flows.get(file.fileId)?.total ?? 0;
      const others = storedFlows + (logs.get(file.fileId)?.total ?? 0);
      return {
        file,
        records: cloudTrail + others,
        cloudTrail,
        flows: storedFlows,
        // Events, and flow records and log events with an ID, are stored once; the other copies are duplicates.
        duplicates: events.valid - cloudTrail + file.appended - others,
        invalid: events.total - events.valid,
        rejected: events.total > 0 && events.valid === 0 && file.appended === 0,
      };
    });
    const accepted = outcomes.filter((x) => !x.rejected);
    if (accepted.length > 0) {
      await store.run(`INSERT INTO manifest VALUES ${accepted.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?)').join(', ')}`,
        accepted.flatMap((o) => [o.file.fileId, o.file.path, o.file.sha256, o.file.size, o.file.format, fileLogGroups(o.file).join(', '), o.records, o.duplicates,
          o.file.contentSha256 ?? null]));
    }
    return outcomes;
  }

  /** A query of the records of S3 log files, read by DuckDB, as stage_ct rows (batch_files names each file's ID). */
  private async diskRecords(disk: PendingFile[]): Promise<string> {
    await this.store.run('DELETE FROM batch_files');
    await this.store.run(`INSERT INTO batch_files VALUES ${disk.map((f) => `(${f.fileId}, ${quote(f.diskPath ?? '')}, ${quote(f.logGroup)})`).join(', ')}`);
    return `SELECT f.file_id, f.log_group, unnest(json_extract(o.json, '$.Records[*]')), NULL::JSON
      FROM read_json_objects([${disk.map((f) => quote(f.diskPath ?? '')).join(', ')}], format = 'auto', filename = true,
        maximum_object_size = ${MAX_OBJECT_BYTES}) o
      JOIN batch_files f ON o.filename = f.path`;
  }

  close(): void {
    for (const appender of [this.cloudTrailAppender, this.flowAppender, this.logAppender]) appender?.closeSync();
  }
}

/** The log groups a file's rows went to: those noted as they were appended, else its own (DuckDB read it). */
export const fileLogGroups = (file: PendingFile): string[] => file.logGroups ?? [file.logGroup];

function noteGroup(file: PendingFile, logGroup: string): void {
  if (!file.logGroups?.includes(logGroup)) file.logGroups = [...(file.logGroups ?? []), logGroup];
}

function appendRow(appender: DuckDBAppender, values: Array<string | undefined>): void {
  for (const value of values) {
    if (value === undefined) appender.appendNull();
    else appender.appendVarchar(value);
  }
  appender.endRow();
}

async function countsBy(store: EvidenceStore, sql: string): Promise<Map<number, { total: number; valid: number }>> {
  const rows = await store.all<{ file_id: number; total: bigint; valid: bigint | number }>(sql);
  return new Map(rows.map((r) => [r.file_id, { total: Number(r.total), valid: Number(r.valid) }]));
}
