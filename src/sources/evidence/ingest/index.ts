import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceStore } from '../store';
import { KEYS_TABLE_DROP_SQL, KEYS_TABLE_SQL } from '../schema';
import { gunzip, InputError, isGzip, looksBinary, numberedLines, parseJson, peek } from './content';
import { isDigest, recordsOf, recordsOfLines, shapeOf, type ParsedRecords } from './cloudtrail';
import { isFilterLogEventsOutput, looksLikeExportLine, parseExport, parseFilterLogEvents } from './cwlogs';
import { looksLikeFlowLog, parseFlowLog } from './flow';
import { cloudTrailLogGroup, exportLocation, fileLogGroup, flowLogGroup } from './log-groups';
import { BatchWriter, type FileOutcome, type PendingFile } from './writer';
import { isZip, readZip, ZipError } from './zip';

/** `trailscope ingest --format json`: what one run added to the store. */
export interface IngestReport {
  files: number;
  records: { cloudtrail: number; flow: number; logs: number };
  duplicates: number;
  logGroups: string[];
  skipped: Array<{ file: string; reason: string }>;
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  records: number;
  path?: string;
  /** Every file is written; the index and the pivot side table are being built (seconds at a million events). */
  indexing?: true;
}

export interface IngestOptions {
  /** Stops reading further files; the files already read are written and reported (`cancelled`). */
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Put everything this run ingests into this log group instead of the one its layout implies. */
  logGroup?: string;
}

export interface IngestResult extends IngestReport {
  /** Files whose content is already in the store (same SHA-256); still a success for the exit code. */
  alreadyIngested: number;
  /** The run was cancelled: the files read before are in the store and in this report, the rest not. */
  cancelled: boolean;
}

/**
 * Files per batch and DuckDB's memory limit while ingesting, measured together at a million events in
 * files of 500: 192 files and 800 MB took 26 s with a peak RSS of 1.4 to 1.5 GB; 256 files and 1 GB 28 to
 * 35 s and up to 2.1 GB (DuckDB allocates beyond its limit while reading JSON); 128 files 39 s (many
 * small commits, each checkpointing). Too little memory for a batch makes its one-statement read fail and
 * fall back to reading file by file: correct, but slower.
 */
const BATCH_FILES = 192;
const INGEST_MEMORY = '800MB';
const RECORDS_PREFIX = /^\s*\{\s*"Records"\s*:/;
const GLOB_CHARACTERS = /[*?[\]{}]/;

/**
 * Ingests files, folders (recursively) and zip archives into the store. Each file is hashed into the
 * manifest; a file whose content is already there adds nothing and its records count as duplicates.
 * Bad input is reported in `skipped` and never stops the run.
 */
export async function ingestPaths(store: EvidenceStore, paths: string[], options: IngestOptions = {}): Promise<IngestResult> {
  // DuckDB would otherwise cache up to 80% of RAM; batches need far less, and large ingests spill to disk.
  await store.run(`SET memory_limit = '${INGEST_MEMORY}'`);
  // Each batch's commit checkpoints (DuckDB's default once the log passes 16 MB). Deferring that to one
  // checkpoint at the end took as long and raised peak RSS by 300 MB.
  await store.run(KEYS_TABLE_DROP_SQL);
  const run = new IngestRun(store, options, await BatchWriter.create(store));
  try {
    const files = await run.list(paths);
    let filesDone = 0;
    for (const path of files) {
      // Cancelling stops reading files; every file read so far is still written, whole.
      if (options.signal?.aborted) {
        run.cancelled();
        break;
      }
      await run.ingestFile(path);
      options.onProgress?.({ filesDone: ++filesDone, filesTotal: files.length, records: run.recordTotal(), path });
    }
    await run.flush();
    options.onProgress?.({ filesDone, filesTotal: files.length, records: run.recordTotal(), indexing: true });
    // Lookups fetch full events by ID; built once after a bulk load, maintained by later ingests.
    await store.run('CREATE INDEX IF NOT EXISTS cloudtrail_event_id ON cloudtrail (event_id)');
    await store.run(KEYS_TABLE_SQL);
    await store.run('CHECKPOINT');
    return run.result();
  } finally {
    run.close();
    await store.run('RESET memory_limit');
  }
}

class IngestRun {
  private readonly report: IngestResult = {
    files: 0,
    records: { cloudtrail: 0, flow: 0, logs: 0 },
    duplicates: 0,
    logGroups: [],
    skipped: [],
    alreadyIngested: 0,
    cancelled: false,
  };
  private nextFileId = 0;
  private known?: Map<string, number>;

  constructor(
    private readonly store: EvidenceStore,
    private readonly options: IngestOptions,
    private readonly writer: BatchWriter,
  ) {}

  recordTotal(): number {
    const r = this.report.records;
    return r.cloudtrail + r.flow + r.logs;
  }

  cancelled(): void {
    this.report.cancelled = true;
  }

  result(): IngestResult {
    this.report.logGroups.sort();
    // Files are read oldest first; the report lists problems by path, as a reader looks for them.
    this.report.skipped.sort((a, b) => a.file.localeCompare(b.file, 'en', { numeric: true }));
    return this.report;
  }

  close(): void {
    this.writer.close();
  }

  private skip(file: string, reason: string): void {
    this.report.skipped.push({ file, reason });
  }

  /** Every file under the given paths, in a stable order; missing paths are reported. */
  async list(paths: string[]): Promise<string[]> {
    const files: string[] = [];
    const visit = async (path: string): Promise<void> => {
      let info;
      try {
        info = await stat(path);
      } catch (error) {
        this.skip(path, describeFsError(error));
        return;
      }
      if (info.isDirectory()) {
        let entries: string[];
        try {
          entries = (await readdir(path)).sort();
        } catch (error) {
          this.skip(path, describeFsError(error));
          return;
        }
        for (const entry of entries) await visit(join(path, entry));
      } else if (info.isFile()) files.push(path);
    };
    for (const path of paths) await visit(path);
    return oldestFirst(files);
  }

  async ingestFile(path: string): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      this.skip(path, describeFsError(error));
      return;
    }
    if (isZip(bytes)) {
      let members;
      try {
        members = readZip(bytes);
      } catch (error) {
        this.skip(path, error instanceof Error ? error.message : String(error));
        return;
      }
      for (const member of members) {
        const name = `${path}!${member.name}`;
        try {
          await this.ingestContent(name, member.read());
        } catch (error) {
          if (!(error instanceof ZipError)) throw error;
          this.skip(name, error.message);
        }
      }
      return;
    }
    await this.ingestContent(path, bytes, path);
  }

  private async knownDigests(): Promise<Map<string, number>> {
    if (!this.known) {
      const rows = await this.store.all<{ sha256: string; n: bigint }>('SELECT sha256, max(records + duplicates) AS n FROM manifest GROUP BY sha256');
      this.known = new Map(rows.map((r) => [r.sha256, Number(r.n)]));
      const max = await this.store.all<{ id: number | null }>('SELECT max(file_id) AS id FROM manifest');
      this.nextFileId = (max[0]?.id ?? 0) + 1;
    }
    return this.known;
  }

  /** One file's bytes (from disk or a zip member): classify, then read with the matching reader. */
  private async ingestContent(path: string, bytes: Buffer, diskPath?: string): Promise<void> {
    if (bytes.length === 0) return this.skip(path, 'empty file');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const known = await this.knownDigests();
    const previous = known.get(sha256);
    if (previous !== undefined) {
      this.report.duplicates += previous;
      this.report.alreadyIngested++;
      return;
    }
    if (/(^|[\\/!])CloudTrail-Digest[\\/]/.test(path)) return this.skip(path, 'CloudTrail digest file (integrity data, no events)');
    const file: PendingFile = { fileId: this.nextFileId++, path, sha256, size: bytes.length, format: '', logGroup: '', appended: 0 };
    const head = peek(bytes);
    const compressedByName = /\.gz$/i.test(path);
    if (diskPath && RECORDS_PREFIX.test(head) && compressedByName === isGzip(bytes) && !GLOB_CHARACTERS.test(diskPath)) {
      file.format = 'cloudtrail';
      file.logGroup = this.options.logGroup ?? cloudTrailLogGroup(path);
      file.diskPath = diskPath;
      known.set(sha256, 0);
      this.writer.add(file);
      if (this.writer.size >= BATCH_FILES) await this.flush();
      return;
    }
    try {
      await this.readInJs(file, bytes);
      known.set(sha256, 0);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.skip(path, error.message);
    }
    if (this.writer.size >= BATCH_FILES) await this.flush();
  }

  /** Everything that is not an S3 log file DuckDB can read directly. Throws InputError when nothing is usable. */
  private async readInJs(file: PendingFile, bytes: Buffer): Promise<void> {
    const content = isGzip(bytes) ? gunzip(bytes) : bytes;
    const text = content.toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') throw new InputError(isGzip(bytes) ? 'empty file (after decompression)' : 'empty file');
    if (looksBinary(text.slice(0, 4096))) throw new InputError('binary data, not a log file');
    const start = text.trimStart()[0];
    if (start === '{' || start === '[') return this.readJson(file, text);
    const firstLine = numberedLines(text).next().value?.[1] ?? '';
    if (looksLikeExportLine(firstLine)) {
      const location = exportLocation(file.path);
      file.format = 'cloudwatch-export';
      file.logGroup = this.options.logGroup ?? location?.logGroup ?? 'exportedlogs';
      const parsed = parseExport(text, location?.logStream);
      return this.stage(file, () => this.writer.appendLogs(file, parsed.rows), parsed.rows.length, parsed.problems);
    }
    if (looksLikeFlowLog(firstLine)) {
      file.format = 'vpc-flow';
      file.logGroup = this.options.logGroup ?? flowLogGroup(file.path);
      const parsed = parseFlowLog(text);
      return this.stage(file, () => this.writer.appendFlows(file, parsed.rows), parsed.rows.length, parsed.problems);
    }
    throw new InputError('not a recognized log format (CloudTrail JSON, VPC flow log or CloudWatch Logs export)');
  }

  private async readJson(file: PendingFile, text: string): Promise<void> {
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (error) {
      // Several lines, each its own JSON value: JSON Lines, where one bad line must not cost the others.
      const lines = recordsOfLines(text);
      if (lines.records.length === 0) throw error;
      file.format = 'cloudtrail-lines';
      return this.stageCloudTrail(file, lines);
    }
    if (isDigest(value)) throw new InputError('CloudTrail digest file (integrity data, no events)');
    if (isFilterLogEventsOutput(value)) {
      file.format = 'filter-log-events';
      file.logGroup = this.options.logGroup ?? fileLogGroup(file.path);
      const logs = parseFilterLogEvents(value);
      return this.stage(file, () => this.writer.appendLogs(file, logs.rows), logs.rows.length, logs.problems);
    }
    const shape = shapeOf(value);
    if (!shape) throw new InputError('JSON, but not CloudTrail records, lookup-events output or filter-log-events output');
    file.format = shape === 'records' ? 'cloudtrail' : `cloudtrail-${shape}`;
    return this.stageCloudTrail(file, recordsOf(value, shape));
  }

  private stageCloudTrail(file: PendingFile, parsed: ParsedRecords): Promise<void> {
    file.logGroup = this.options.logGroup ?? cloudTrailLogGroup(file.path);
    return this.stage(file, () => this.writer.appendCloudTrail(file, parsed.records), parsed.records.length, parsed.problems);
  }

  /** Queues a parsed file, reporting its bad parts; a file with nothing usable is skipped instead. */
  private async stage(file: PendingFile, append: () => Promise<void>, usable: number, problems: Array<{ at: string; reason: string }>): Promise<void> {
    if (usable === 0 && problems.length > 0) throw new InputError(`${problems[0].at}: ${problems[0].reason}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
    for (const p of problems) this.skip(`${file.path}:${p.at}`, p.reason);
    await append();
    this.writer.add(file);
  }

  async flush(): Promise<void> {
    const { outcomes, unread } = await this.writer.flush();
    for (const outcome of outcomes) this.count(outcome);
    if (unread.length === 0) return;
    for (const file of unread) {
      try {
        delete file.diskPath;
        await this.readInJs(file, await readFile(file.path));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        this.skip(file.path, error.message);
      }
    }
    await this.flush();
  }

  private count({ file, records, duplicates, invalid, rejected }: FileOutcome): void {
    if (rejected) return this.skip(file.path, `no CloudTrail events (${invalid} record(s) without eventID or a valid eventTime)`);
    this.report.files++;
    if (file.format === 'vpc-flow') this.report.records.flow += records;
    else if (file.format === 'cloudwatch-export' || file.format === 'filter-log-events') this.report.records.logs += records;
    else this.report.records.cloudtrail += records;
    this.report.duplicates += duplicates;
    if (invalid > 0) this.skip(file.path, `${invalid} record(s) without eventID or a valid eventTime left out`);
    if (!this.report.logGroups.includes(file.logGroup)) this.report.logGroups.push(file.logGroup);
  }
}

/** The delivery time CloudTrail and VPC flow logs write into their object names: `_20260323T0209Z_`. */
const DELIVERY_TIME = /_(\d{8}T\d{4})Z_[^/\\]*$/;

/**
 * Files in the order their records were written: by the delivery time in the name (S3 lists an account's
 * regions one after the other), then by path. Ingesting in time order keeps the store sorted by time.
 */
function oldestFirst(files: string[]): string[] {
  const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return files
    .map((path) => ({ path, time: DELIVERY_TIME.exec(path)?.[1] ?? '' }))
    .sort((a, b) => compare(a.time, b.time) || compare(a.path, b.path))
    .map((f) => f.path);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable (permission denied)';
  if (code === 'EISDIR') return 'is a directory';
  return `unreadable (${error instanceof Error ? error.message : String(error)})`;
}
