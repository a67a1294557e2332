import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isObject } from '../../../core/json-shape';
import type { EvidenceStore } from '../store';
import { KEYS_TABLE_DROP_SQL, KEYS_TABLE_SQL } from '../schema';
import { asUtf8, gunzip, InputError, isGzip, jsonInputError, looksBinary, numberedLines, peek, sizeText, TRUNCATED, type GzipDamage } from './content';
import { utf16Encoding } from '../../../core/text-bytes';
import { recordArray, type RecordArray } from './array-items';
import { bufferContent, decompressed, digestOf, IngestCancelled, HEAD_BYTES, leadingBytes, lineFormat, probeFile, storedBuffer, storedFile, storedMember, type StoredContent, withoutCutLine } from './stream';
import { damagedSubscriptionMessage, itemParts, lineParts, recordsOfArrayText, recordsOfJsonLines, type Problem, type StagePart } from './parts';
import { isDigest, recordsOf, shapeOf, type CloudTrailShape, type ParsedRecords, type RecordText } from './cloudtrail';
import { documentTexts } from './json-text';
import { isFilterLogEventsOutput, isSubscriptionMessage, parseExport, parseFilterLogEvents, parseSubscriptionMessages, SUBSCRIPTION_LINE, SUBSCRIPTION_START, type ParsedLogs } from './cwlogs';
import { parseFlowLog } from './flow';
import { LogGroupRouter } from './log-group-router';
import { cloudTrailLogGroup, exportLocation, fileLogGroup, flowLogGroup } from './log-groups';
import { BatchWriter, fileLogGroups, type FileOutcome, type PendingFile } from './writer';
import { cloudTrailRowsSql, DERIVATION_STAMP } from '../derive-sql';
import type { IngestProgress } from './progress';

export { derivingAgainText, type IngestProgress } from './progress';
import { isZip, readZip, ZipError, zipInMemory, zipOnDisk, type ZipBytes, type ZipMember } from './zip';
import { realPath } from '../../../core/target';

/** `trailscope ingest --format json`: what one run added to the store. */
export interface IngestReport {
  files: number;
  records: { cloudtrail: number; flow: number; logs: number };
  duplicates: number;
  logGroups: string[];
  skipped: Array<{ file: string; reason: string }>;
}

export interface IngestOptions {
  /** Stops reading further files; the files already read are written and reported (`cancelled`). */
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Put everything this run ingests into this log group instead of the one its layout implies. */
  logGroup?: string;
  /** Other sizes than READ_LIMITS' (tests read small files the way large ones are read). */
  limits?: Partial<ReadLimits>;
}

export interface IngestResult extends IngestReport {
  /** Files whose content is already in the store (same SHA-256); still a success for the exit code. */
  alreadyIngested: number;
  /** Events the store held from an older Trailscope, derived again from their text with today's rules. */
  rederived: number;
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
const MAX_ZIP_DEPTH = 4;
const RECORDS_PREFIX = /^\s*\{\s*"Records"\s*:/;
const GLOB_CHARACTERS = /[*?[\]{}]/;

/**
 * How files are read by size (of their decompressed content). Up to `streamAbove` a file is read whole
 * and joins a batch. Beyond, each file is read in parts of about `partBytes` in a transaction of its own,
 * so memory stays bounded whatever the size: line formats (JSON Lines, flow logs, log exports) by lines,
 * arrays of records (also S3 log files and lookup-events output) by records. The parts' rows gather in
 * DuckDB's staging tables and are moved into the store once about `moveBytes` of text has gathered. Any
 * other JSON document must be read whole, and V8 strings stop at 512 MB, so one above `maxDocument` is
 * refused with a reason.
 */
export interface ReadLimits {
  streamAbove: number;
  partBytes: number;
  moveBytes: number;
  maxDocument: number;
}

/**
 * DuckDB derives and inserts staged rows on one thread per row group (122,880 rows), so moving each 16 MB
 * part (about 17,000 CloudTrail records) on its own kept it on one thread. A 1 GB JSON Lines file of a
 * million records: moved every part 39 to 61 s (peak RSS 1.4 GB); every 192 MB 26 to 36 s (up to 1.8 GB);
 * every 128 MB 35 to 40 s; every 256 MB 29 to 48 s and up to 2.0 GB.
 */
const READ_LIMITS: ReadLimits = { streamAbove: 64 * 2 ** 20, partBytes: 16 * 2 ** 20, moveBytes: 192 * 2 ** 20, maxDocument: 500 * 2 ** 20 };

/** Decompressed content, however it is held: its head classifies it, then it is streamed or read whole. */
interface ContentSource {
  size: number;
  gzip: boolean;
  head: string;
  /** Its byte order mark says UTF-16 (the head is then garbled): converted when read whole. */
  utf16: boolean;
  stream(): AsyncIterable<Buffer>;
  whole(): Promise<Buffer>;
  /** Whether what was read ended where gzip data was cut short (known once read to its end). */
  cutShort(): boolean;
}

const UNRECOGNIZED = 'not a recognized log format (CloudTrail JSON, VPC flow log or CloudWatch Logs export)';

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
  const rederived = await deriveAgainIfOlder(store, options);
  const run = new IngestRun(store, options, await BatchWriter.create(store));
  try {
    const files = await run.list(paths);
    for (const path of files) {
      // Cancelling stops reading files; every file read so far is still written, whole.
      if (options.signal?.aborted) {
        run.cancelled();
        break;
      }
      await run.ingestFile(path);
      run.fileDone(path);
    }
    // A cancel inside the last file (the members of a zip) is a cancel too.
    if (options.signal?.aborted) run.cancelled();
    await run.flush();
    run.settleCopies();
    run.indexing();
    // Lookups fetch full events by ID; built once after a bulk load, maintained by later ingests.
    await store.run('CREATE INDEX IF NOT EXISTS cloudtrail_event_id ON cloudtrail (event_id)');
    await store.run(KEYS_TABLE_SQL);
    await store.run('CHECKPOINT');
    return { ...run.result(), rederived };
  } finally {
    run.close();
    await store.run('RESET memory_limit');
  }
}

/**
 * Events a store holds from an older derivation (DERIVATION_STAMP) are derived again from their raw text,
 * in their order, so that what today's rules find (Resources, the session, the minted key) is found in
 * them too; what a LookupEvents Event gave (lookup_given) still comes first. The event_id index and the
 * pivot side table are rebuilt by the ingest after it.
 */
async function deriveAgainIfOlder(store: EvidenceStore, options: IngestOptions): Promise<number> {
  const [stamp] = await store.all<{ value: string }>(`SELECT value FROM store_info WHERE key = '${DERIVATION_KEY}'`);
  if (stamp?.value === DERIVATION_STAMP) return 0;
  const [{ n }] = await store.all<{ n: bigint }>('SELECT count(*) AS n FROM cloudtrail');
  if (n > 0n) {
    options.onProgress?.({ filesDone: 0, filesTotal: 0, records: 0, derivingAgain: Number(n) });
    await store.run(`
      BEGIN TRANSACTION;
      CREATE OR REPLACE TEMP TABLE derived_again AS ${cloudTrailRowsSql('(SELECT file_id, log_group, raw, lookup_given FROM cloudtrail ORDER BY rowid)')};
      DROP INDEX IF EXISTS cloudtrail_event_id;
      DELETE FROM cloudtrail;
      INSERT INTO cloudtrail SELECT * FROM derived_again;
      DROP TABLE derived_again;
      COMMIT`);
  }
  await store.run(`INSERT OR REPLACE INTO store_info VALUES ('${DERIVATION_KEY}', '${DERIVATION_STAMP}')`);
  return Number(n);
}

const DERIVATION_KEY = 'derivation';


class IngestRun {
  private readonly report: Omit<IngestResult, 'rederived'> = {
    files: 0,
    records: { cloudtrail: 0, flow: 0, logs: 0 },
    duplicates: 0,
    logGroups: [],
    skipped: [],
    alreadyIngested: 0,
    cancelled: false,
  };
  private nextFileId = 0;
  /** The manifest as the run found it: each content's digest and its records (stored or duplicate). */
  private known?: Map<string, number>;
  /** This run's files by digest, and what became of each: a later copy in the run fares as the first did. */
  private readonly firstOfContent = new Map<string, string>();
  private readonly outcomes = new Map<string, { records: number } | { reason: string }>();
  private readonly copies: Array<{ path: string; sha256: string }> = [];
  private filesDone = 0;
  private filesTotal = 0;
  private readonly limits: ReadLimits;

  constructor(
    private readonly store: EvidenceStore,
    private readonly options: IngestOptions,
    private readonly writer: BatchWriter,
  ) {
    this.limits = { ...READ_LIMITS, ...options.limits };
  }

  recordTotal(): number {
    const r = this.report.records;
    return r.cloudtrail + r.flow + r.logs;
  }

  cancelled(): void {
    this.report.cancelled = true;
  }

  fileDone(path: string): void {
    this.options.onProgress?.({ filesDone: ++this.filesDone, filesTotal: this.filesTotal, records: this.recordTotal(), path });
  }

  indexing(): void {
    this.options.onProgress?.({ filesDone: this.filesDone, filesTotal: this.filesTotal, records: this.recordTotal(), indexing: true });
  }

  result(): Omit<IngestResult, 'rederived'> {
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

  /** A file-system read, or undefined when it failed: the path is then reported with the reason. */
  private async fsRead<T>(path: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      this.skip(path, describeFsError(error));
      return undefined;
    }
  }

  /**
   * Every file under the given paths, in a stable order; missing paths are reported. A folder reached
   * again through a symbolic link is read once, and the store's own files (the store may sit among the
   * evidence) are no evidence.
   */
  async list(paths: string[]): Promise<string[]> {
    const files: string[] = [];
    // The store's file exists once opened: its real path, through a link to it too. The WAL sits beside
    // the file DuckDB opened, which is the link's name when the store was given as a link.
    const store = realPath(this.store.path);
    const given = join(realPath(dirname(resolve(this.store.path))), basename(this.store.path));
    const storeFiles = new Set([store, `${store}.wal`, `${given}.wal`]);
    const folders = new Set<string>();
    const visit = async (path: string): Promise<void> => {
      const info = await this.fsRead(path, () => stat(path));
      if (info?.isDirectory()) {
        const real = realPath(path);
        if (folders.has(real)) return;
        folders.add(real);
        const entries = await this.fsRead(path, () => readdir(path));
        for (const entry of entries?.sort() ?? []) await visit(join(path, entry));
      } else if (info?.isFile()) {
        if (!storeFiles.has(realPath(path))) files.push(path);
      } else if (info) {
        // A pipe (`<(zcat …)`), socket or device has no size or digest to take before reading it.
        this.skip(path, 'not a regular file (a pipe, socket or device): save it to a file first');
      }
    };
    for (const path of paths) await visit(path);
    this.filesTotal = files.length;
    return oldestFirst(files);
  }

  async ingestFile(path: string): Promise<void> {
    const probe = await this.fsRead(path, () => probeFile(path));
    if (!probe) return;
    if (probe.zip) return this.ingestZipFile(path);
    if (probe.size > this.limits.streamAbove) return this.ingestLarge(path, storedFile(path, probe));
    const bytes = await this.fsRead(path, () => readFile(path));
    if (bytes) await this.ingestContent(path, bytes, path);
  }

  /** A zip on disk, never read whole: its directory, then each member from its place in the file. */
  private async ingestZipFile(path: string): Promise<void> {
    const zip = await this.fsRead(path, () => zipOnDisk(path));
    if (!zip) return;
    try {
      await this.ingestZip(path, zip, 1);
    } finally {
      await zip.close();
    }
  }

  /** A zip's members, named `archive!member`; a zip among them (a colleague zipped the zips) is read too. */
  private async ingestZip(path: string, zip: ZipBytes, depth: number): Promise<void> {
    let members;
    try {
      members = await readZip(zip);
    } catch (error) {
      this.skip(path, zipProblem(error));
      return;
    }
    for (const member of members) {
      // As between files: once cancelled, the members read so far are written, and no more are read.
      if (this.options.signal?.aborted) return;
      const name = `${path}!${member.name}`;
      try {
        if (member.size > this.limits.streamAbove) await this.ingestLargeMember(name, member, depth);
        else {
          const content = await member.read();
          if (isZip(content)) await this.ingestNestedZip(name, content, depth);
          else await this.ingestMemberContent(name, content);
        }
      } catch (error) {
        this.skip(name, zipProblem(error));
      }
    }
  }

  /** A member too large to hold is streamed as a large file is; only a zip inside is held, up to a limit. */
  private async ingestLargeMember(name: string, member: ZipMember, depth: number): Promise<void> {
    const magic = await leadingBytes(member.content(), 4);
    if (!isZip(magic)) return this.ingestLarge(name, storedMember(member, isGzip(magic)));
    if (member.size > this.limits.maxDocument) return this.skip(name, `a zip of ${sizeText(member.size)} inside a zip, too large to read there: extract it first`);
    await this.ingestNestedZip(name, await member.read(), depth);
  }

  /** A small .gz member can inflate to more than can be held: it is then streamed, as such a file is. */
  private async ingestMemberContent(name: string, content: Buffer): Promise<void> {
    const stored = storedBuffer(content);
    if (stored.size > this.limits.streamAbove) await this.ingestLarge(name, stored);
    else await this.ingestContent(name, content);
  }

  private async ingestNestedZip(name: string, content: Buffer, depth: number): Promise<void> {
    // A zip that holds itself would never end: nesting stops at a depth no real archive reaches.
    if (depth < MAX_ZIP_DEPTH) await this.ingestZip(name, zipInMemory(content), depth + 1);
    else this.skip(name, `a zip nested more than ${MAX_ZIP_DEPTH} deep`);
  }

  private async knownDigests(): Promise<Map<string, number>> {
    if (!this.known) {
      // A gzip file read in JavaScript is known by its own digest and by that of what it holds.
      const rows = await this.store.all<{ sha256: string; n: bigint }>(`SELECT sha256, max(n) AS n FROM (
          SELECT sha256, records + duplicates AS n FROM manifest
          UNION ALL SELECT content_sha256, records + duplicates FROM manifest WHERE content_sha256 IS NOT NULL)
        GROUP BY sha256`);
      this.known = new Map(rows.map((r) => [r.sha256, Number(r.n)]));
      const max = await this.store.all<{ id: number | null }>('SELECT max(file_id) AS id FROM manifest');
      this.nextFileId = (max[0]?.id ?? 0) + 1;
    }
    return this.known;
  }

  /**
   * A new file to read, or undefined when its content is already in the store (its records count as
   * duplicates), it is a digest file (reported), or it copies a file read earlier in this run (settled
   * once that one is: counted as its duplicates, or reported with its reason).
   */
  private async newFile(path: string, sha256: string, size: number): Promise<PendingFile | undefined> {
    // A digest file is never stored, so neither the store nor the run can have read it before.
    if (/(^|[\\/!])CloudTrail-Digest[\\/]/.test(path)) {
      this.skip(path, 'CloudTrail digest file (integrity data, no events)');
      return undefined;
    }
    if (await this.readBefore(path, sha256)) return undefined;
    return { fileId: this.nextFileId++, path, sha256, size, format: '', logGroup: '', appended: 0 };
  }

  /**
   * Whether content of this digest was read before: it is in the store (its records count as duplicates),
   * or a file earlier in this run had it (this one is settled as its copy). Else this file is its first.
   */
  private async readBefore(path: string, digest: string): Promise<boolean> {
    const previous = (await this.knownDigests()).get(digest);
    if (previous !== undefined) {
      this.alreadyIngested(previous);
      return true;
    }
    if (this.firstOfContent.has(digest)) {
      this.copies.push({ path, sha256: digest });
      return true;
    }
    this.firstOfContent.set(digest, path);
    return false;
  }

  private alreadyIngested(records: number): void {
    this.report.duplicates += records;
    this.report.alreadyIngested++;
  }

  /**
   * Copies of a file read earlier in the run (the same file in two folders, or in a folder and a zip),
   * once every file is written: their records are duplicates of what the first stored, or they are
   * reported with the reason the first was.
   */
  /**
   * Whether a gzip file's content was read before, as a file of its own or inside another gzip file
   * (`gunzip -k` leaves both beside each other): flow logs and log exports have no IDs to tell their
   * records apart, so only this keeps them from being stored twice. Such a file is settled as a copy.
   */
  private sameContentAsBefore(file: PendingFile, content: Buffer): Promise<boolean> {
    file.contentSha256 = createHash('sha256').update(content).digest('hex');
    return this.readBefore(file.path, file.contentSha256);
  }

  /** What became of a file, for the copies of its bytes and of its content. */
  private settle(file: PendingFile, outcome: { records: number } | { reason: string }): void {
    for (const digest of [file.sha256, file.contentSha256]) if (digest) this.outcomes.set(digest, outcome);
  }

  settleCopies(): void {
    for (const { path, sha256 } of this.copies) {
      const first = this.outcomes.get(sha256);
      if (first && 'records' in first) this.alreadyIngested(first.records);
      else this.skip(path, first?.reason ?? `the same content as ${this.firstOfContent.get(sha256)}, which was not read`);
    }
  }

  /** One file's bytes (from disk or a zip member): classify, then read with the matching reader. */
  private async ingestContent(path: string, bytes: Buffer, diskPath?: string): Promise<void> {
    if (bytes.length === 0) return this.skip(path, 'empty file');
    const file = await this.newFile(path, createHash('sha256').update(bytes).digest('hex'), bytes.length);
    if (!file) return;
    const head = peek(bytes);
    const compressedByName = /\.gz$/i.test(path);
    if (diskPath && RECORDS_PREFIX.test(head) && compressedByName === isGzip(bytes) && !GLOB_CHARACTERS.test(diskPath)) {
      file.format = 'cloudtrail';
      file.logGroup = this.options.logGroup ?? cloudTrailLogGroup(path);
      file.diskPath = diskPath;
      this.writer.add(file);
      if (this.writer.size >= BATCH_FILES) await this.flush();
      return;
    }
    await this.readInJs(file, bytes);
    if (this.writer.size >= BATCH_FILES) await this.flush();
  }

  /**
   * Content too large to hold (a file or a zip member): classified by its head, then hashed and read as
   * streams. Hashing a large member inflates it whole, so it stops when the run is cancelled.
   */
  private async ingestLarge(path: string, stored: StoredContent): Promise<void> {
    let sha256: string;
    let head: string;
    let utf16: boolean;
    try {
      // Content cut short still has its head; the read proper says where the cut is.
      const headBytes = await leadingBytes(decompressed(stored.raw(), stored.gzip, () => undefined), HEAD_BYTES);
      head = headBytes.toString('utf8');
      utf16 = utf16Encoding(headBytes) !== undefined;
      const refusal = this.refusal(head, stored.size, utf16);
      if (refusal) return this.skip(path, refusal);
      sha256 = await digestOf(stored.raw(), this.options.signal);
    } catch (error) {
      if (error instanceof IngestCancelled) return this.cancelled();
      if (!(error instanceof InputError)) throw error;
      return this.skip(path, error.message);
    }
    const file = await this.newFile(path, sha256, stored.bytes);
    if (!file) return;
    let damage: GzipDamage | undefined;
    const content: ContentSource = {
      size: stored.size,
      gzip: stored.gzip,
      head,
      utf16,
      stream: () => decompressed(stored.raw(), stored.gzip, () => (damage = TRUNCATED)),
      whole: async () => {
        const whole = stored.gzip ? gunzip(await stored.whole(), this.limits.maxDocument) : { content: await stored.whole() };
        damage = whole.damage;
        return whole.content;
      },
      cutShort: () => damage === TRUNCATED,
    };
    await this.readGuarded(file, () => this.readContent(file, content), () => damage);
  }

  /**
   * Runs a reader; what it cannot use is reported. Damaged gzip content (cut short, or junk after its
   * members) keeps what came before the damage, and says so; when that held nothing usable, the damage
   * is the reason given.
   */
  private async readGuarded(file: PendingFile, read: () => Promise<void>, damage = (): GzipDamage | undefined => undefined): Promise<void> {
    try {
      await read();
      const found = damage();
      if (found) this.skip(file.path, found.kept);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.refuse(file, damage()?.refused ?? error.message);
    }
  }

  private refuse(file: PendingFile, reason: string): void {
    this.settle(file, { reason });
    this.skip(file.path, reason);
  }

  /** Everything that is not an S3 log file DuckDB can read directly; a damaged gzip file is read up to the damage. */
  private async readInJs(file: PendingFile, bytes: Buffer): Promise<void> {
    let damage: GzipDamage | undefined;
    await this.readGuarded(file, async () => {
      const gzip = isGzip(bytes);
      const inflated = gzip ? gunzip(bytes, this.limits.maxDocument) : { content: bytes };
      damage = inflated.damage;
      if (gzip && !damage && (await this.sameContentAsBefore(file, inflated.content))) return;
      const content = asUtf8(inflated.content);
      const head = content.toString('utf8', 0, HEAD_BYTES);
      return this.readContent(file, { size: content.length, gzip, head, utf16: false, stream: () => bufferContent(content), whole: async () => content, cutShort: () => damage === TRUNCATED });
    }, () => damage);
  }

  /**
   * Why content cannot be read, from its head and size alone: decided before a large file is hashed or
   * staged, so binary junk or a bomb costs no pass over what it inflates to.
   */
  private refusal(head: string, size: number, utf16: boolean): string | undefined {
    if (looksBinary(head.slice(0, 4096))) {
      if (!utf16) return 'binary data, not a log file';
      // UTF-16 text is converted in memory, so only while it can be held.
      return size > this.limits.maxDocument ? `UTF-16 text of ${sizeText(size)}, too large to convert here: convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)` : undefined;
    }
    if (size <= this.limits.maxDocument || lineFormat(head) || recordArray(head)) return undefined;
    if (SUBSCRIPTION_START.test(head)) {
      return `CloudWatch Logs subscription messages of ${sizeText(size)}, too large to read at once: \`jq -c . FILE | split -l 1000\` cuts them into files that can be read`;
    }
    return /^\uFEFF?\s*[[{]/.test(head) ? `a single JSON document of ${sizeText(size)}, too large to read at once (JSON Lines and arrays of records of any size can be read)` : UNRECOGNIZED;
  }

  /**
   * Reads decompressed content, classified by its head. Up to `streamAbove` it is read whole and queued
   * in the batch; beyond, line formats and arrays of records are read in parts (streamFile), and any other
   * JSON document is read whole only while it can be.
   */
  private async readContent(file: PendingFile, content: ContentSource): Promise<void> {
    const refusal = this.refusal(content.head, content.size, content.utf16);
    if (refusal) throw new InputError(refusal);
    if (content.size > this.limits.streamAbove && !content.utf16) {
      const format = lineFormat(content.head);
      if (format) return this.streamFile(file, format, (problems) => lineParts(this.writer, file, format, content.stream(), this.limits.partBytes, problems, content.cutShort));
      const array = recordArray(content.head);
      if (array) {
        return this.streamFile(file, arrayFormat(array.shape), (problems) => itemParts(this.writer, file, array, content.stream(), this.limits.partBytes, problems));
      }
    }
    const text = asUtf8(await content.whole()).toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') throw new InputError(content.gzip ? 'empty file (after decompression)' : 'empty file');
    const start = text.trimStart()[0];
    if (start === '{' || start === '[') return this.readJson(file, text);
    const format = lineFormat(text.slice(0, HEAD_BYTES), text.length <= HEAD_BYTES);
    if (format === 'cloudwatch-export' || format === 'vpc-flow') {
      this.describe(file, format);
      const lines = withoutCutLine(text, content.cutShort());
      if (format === 'cloudwatch-export') {
        const parsed = parseExport(lines.text, exportLocation(file.path)?.logStream);
        return this.stageLogEvents(file, { ...parsed, problems: [...parsed.problems, ...lines.problems] });
      }
      const parsed = parseFlowLog(lines.text);
      return this.stage(file, () => this.writer.appendFlows(file, parsed.rows), parsed.rows.length, [...parsed.problems, ...lines.problems]);
    }
    // JSON Lines whose first line is a fragment: a piece cut from a log (`split -b`, `tail -c`).
    if (format === 'cloudtrail-lines') return this.readLines(file, await recordsOfJsonLines(numberedLines(text)));
    // Subscription messages a line, in a piece cut from a file: it starts mid-message.
    if (SUBSCRIPTION_LINE.test(text.slice(0, HEAD_BYTES))) return this.readJson(file, text);
    throw new InputError(UNRECOGNIZED);
  }

  private readLines(file: PendingFile, lines: ParsedRecords): Promise<void> {
    this.describe(file, 'cloudtrail-lines');
    return this.stage(file, () => this.writer.appendCloudTrail(file, lines.records), lines.records.length, lines.problems);
  }

  /** A file's format and the log group its records go to. */
  private describe(file: PendingFile, format: string): void {
    file.format = format;
    const group = format === 'vpc-flow' ? flowLogGroup(file.path)
      : format === 'cloudwatch-export' ? exportLocation(file.path)?.logGroup ?? 'exportedlogs'
      : format === 'filter-log-events' ? fileLogGroup(file.path)
      : cloudTrailLogGroup(file.path);
    file.logGroup = this.options.logGroup ?? group;
  }

  private async readJson(file: PendingFile, text: string): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // A file that opens an array of records (an S3 log file, lookup-events output, a JSON array) is read
      // as one, or as several joined, even when it holds one record a line: read as JSON Lines, only its
      // last record (the line without a trailing comma) would parse.
      const array = recordArray(text.slice(0, HEAD_BYTES));
      if (!array) {
        // Several lines, each its own JSON value: JSON Lines, where one bad line must not cost the others.
        const lines = await recordsOfJsonLines(numberedLines(text));
        if (lines.records.length > 0) return this.readLines(file, lines);
      }
      const documents = documentTexts(text);
      // Firehose writes a subscription's messages one after another, with or without line breaks; the
      // first object that starts a line says whether the file is such messages (opensWithSubscription).
      if (documents.length > 1 && SUBSCRIPTION_LINE.test(text.slice(0, HEAD_BYTES)) && opensWithSubscription(text, documents)) return this.readSubscription(file, text, documents);
      if (documents.length > 1 && isFilterLogEventsOutput(parsedOrUndefined(documents[0]!.text))) return this.readLogEventPages(file, text, documents);
      if (documents.length > 1) return this.readDocuments(file, text, documents);
      if (array) return this.readRecordArray(file, text, array);
      throw jsonInputError(text);
    }
    if (isDigest(value)) throw new InputError('CloudTrail digest file (integrity data, no events)');
    if (isFilterLogEventsOutput(value)) {
      this.describe(file, 'filter-log-events');
      return this.stageLogEvents(file, parseFilterLogEvents(value));
    }
    if (isSubscriptionMessage(value)) return this.readSubscription(file, text, [{ text, at: 0 }]);
    const shape = shapeOf(value);
    if (!shape) throw new InputError('JSON, but not CloudTrail records, lookup-events output or filter-log-events output');
    this.describe(file, arrayFormat(shape));
    const parsed = recordsOf(value, shape, text);
    return this.stage(file, () => this.writer.appendCloudTrail(file, parsed.records), parsed.records.length, parsed.problems);
  }

  /**
   * Several JSON documents one after another (lookup-events output appended with `>>`, S3 log files
   * joined with `cat`), each read as a file of its own would be: a bad one costs only itself.
   */
  private async readDocuments(file: PendingFile, text: string, documents: Array<{ text: string; at: number }>): Promise<void> {
    const records: RecordText[] = [];
    const problems: Problem[] = [];
    let format: string | undefined;
    const positionOf = positionCounter(text);
    for (const [i, document] of documents.entries()) {
      const origin = positionOf(document.at);
      const at = `document ${i + 1} (from line ${origin.line})`;
      const keep = (shape: CloudTrailShape, parsed: ParsedRecords): void => {
        format ??= arrayFormat(shape);
        records.push(...parsed.records);
        problems.push(...parsed.problems.map((p) => ({ at: `${at}, ${p.at}`, reason: p.reason })));
      };
      let value: unknown;
      try {
        value = JSON.parse(document.text);
      } catch {
        // Cut short, or one record broken: the records it holds are kept, as in a file of one document.
        const array = recordArray(document.text.slice(0, HEAD_BYTES));
        const damaged = array && (await recordsOfArrayText(document.text, array));
        if (array && damaged && damaged.records.length > 0) keep(array.shape, damaged);
        else problems.push({ at, reason: jsonInputError(document.text, 'invalid JSON', origin).message });
        continue;
      }
      const shape = isDigest(value) ? undefined : shapeOf(value);
      if (shape) keep(shape, recordsOf(value, shape, document.text));
      else problems.push({ at, reason: 'JSON, but not CloudTrail records or lookup-events output' });
    }
    this.describe(file, format ?? 'cloudtrail');
    return this.stage(file, () => this.writer.appendCloudTrail(file, records), records.length, problems);
  }

  /**
   * Pages of `aws logs filter-log-events` appended into one file (`>>`), as lookup-events output is: their
   * events together (an event on two pages is stored once, by its ID), a bad page costing only itself.
   */
  private readLogEventPages(file: PendingFile, text: string, documents: Array<{ text: string; at: number }>): Promise<void> {
    const positionOf = positionCounter(text);
    const events: ParsedLogs = { rows: [], problems: [] };
    for (const [i, document] of documents.entries()) {
      const origin = positionOf(document.at);
      const at = `document ${i + 1} (from line ${origin.line})`;
      const value = parsedOrUndefined(document.text);
      if (value === undefined) {
        events.problems.push({ at, reason: jsonInputError(document.text, 'invalid JSON', origin).message });
        continue;
      }
      if (!isFilterLogEventsOutput(value)) {
        events.problems.push({ at, reason: 'JSON, but not filter-log-events output as the first document is' });
        continue;
      }
      const page = parseFilterLogEvents(value);
      events.rows.push(...page.rows);
      events.problems.push(...page.problems.map((p) => ({ at: `${at}, ${p.at}`, reason: p.reason })));
    }
    this.describe(file, 'filter-log-events');
    return this.stageLogEvents(file, events);
  }

  /** An array of records that is not valid JSON as a whole (cut short, or one record broken). */
  private async readRecordArray(file: PendingFile, text: string, array: RecordArray): Promise<void> {
    this.describe(file, arrayFormat(array.shape));
    const parsed = await recordsOfArrayText(text, array);
    return this.stage(file, () => this.writer.appendCloudTrail(file, parsed.records), parsed.records.length, parsed.problems);
  }

  /** A log group's events, exported or fetched, routed by LogGroupRouter: flow records and CloudTrail records where theirs go, the rest as log events. */
  private stageLogEvents(file: PendingFile, parsed: ParsedLogs): Promise<void> {
    const append = async (): Promise<void> => {
      await this.writer.appendLogEvents(file, new LogGroupRouter().route(parsed.rows, true));
    };
    return this.stage(file, append, parsed.rows.length, parsed.problems);
  }

  /**
   * CloudWatch Logs subscription messages (a subscription filter's deliveries, written to S3 by Firehose):
   * each log group's events are routed as an export's are, under that group, so a trail's or a flow log's
   * events delivered this way become events or flow records.
   */
  private async readSubscription(file: PendingFile, text: string, documents: Array<{ text: string; at: number }>): Promise<void> {
    const positionOf = positionCounter(text);
    const messages: Array<{ message: Record<string, unknown>; at: string }> = [];
    const damaged: Problem[] = [];
    let damagedLine = 0;
    for (const [i, document] of documents.entries()) {
      const origin = positionOf(document.at);
      const at = `message ${i + 1} (from line ${origin.line})`;
      const value = parsedOrUndefined(document.text);
      if (isSubscriptionMessage(value)) {
        messages.push({ message: value, at });
        continue;
      }
      // A message cut short, or with an event broken, keeps its whole events.
      const salvaged = value === undefined ? await damagedSubscriptionMessage(document.text) : undefined;
      if (salvaged) {
        messages.push({ message: salvaged.message, at });
        damaged.push(...salvaged.problems.map((p) => ({ at: `${at}, ${p.at}`, reason: p.reason })));
      } else if (isObject(value)) {
        damaged.push({ at, reason: value.messageType === 'DATA_MESSAGE' ? 'a DATA_MESSAGE without a list of logEvents' : 'not a CloudWatch Logs subscription message' });
      } else if (origin.line !== damagedLine) {
        // The rest of a message cut from the start of a piece reads as bits of JSON: the first names the line.
        damagedLine = origin.line;
        damaged.push({ at, reason: value === undefined ? jsonInputError(document.text, 'invalid JSON', origin).message : 'a piece of a message, not a whole one' });
      }
    }
    const parsed = parseSubscriptionMessages(messages);
    parsed.problems.push(...damaged);
    if (parsed.groups.length === 0 && parsed.problems.length === 0) throw new InputError('CloudWatch Logs subscription messages without log events');
    this.describe(file, 'cloudwatch-subscription');
    const append = async (): Promise<void> => {
      for (const group of parsed.groups) await this.writer.appendLogEvents(file, new LogGroupRouter().route(group.rows, true), this.options.logGroup ?? group.logGroup);
    };
    return this.stage(file, append, parsed.groups.reduce((n, g) => n + g.rows.length, 0), parsed.problems);
  }

  /** Queues a parsed file, reporting its bad parts; a file with nothing usable is skipped instead. */
  private async stage(file: PendingFile, append: () => Promise<void>, usable: number, problems: Problem[]): Promise<void> {
    this.reportProblems(file, usable, problems);
    await append();
    this.writer.add(file);
  }

  private reportProblems(file: PendingFile, usable: number, problems: Problem[]): void {
    if (usable === 0 && problems.length > 0) throw new InputError(`${problems[0].at}: ${problems[0].reason}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
    for (const p of problems) this.skip(`${file.path}:${p.at}`, p.reason);
  }

  /**
   * A large file, part by part (a batch of lines, or of a document's records), in a transaction of its
   * own after the pending batch: stored whole, or not at all when it turns out unusable or the run is
   * cancelled midway. `parts` parse and stage each part, returning how many rows it gave, and report
   * bad lines or records into `problems`.
   */
  private async streamFile(file: PendingFile, format: string, parts: (problems: Problem[]) => AsyncIterable<StagePart>): Promise<void> {
    await this.flush();
    this.describe(file, format);
    const problems: Problem[] = [];
    let usable = 0;
    let outcome: FileOutcome;
    try {
      outcome = await this.writer.writeInParts(file, this.limits.moveBytes, async (partStaged) => {
        for await (const stage of parts(problems)) {
          if (this.options.signal?.aborted) throw new IngestCancelled();
          usable += await stage();
          await partStaged();
          this.options.onProgress?.({ filesDone: this.filesDone, filesTotal: this.filesTotal, records: this.recordTotal() + usable, path: file.path });
        }
        this.reportProblems(file, usable, problems);
      });
    } catch (error) {
      if (!(error instanceof IngestCancelled)) throw error;
      return this.cancelled();
    }
    this.count(outcome);
  }

  async flush(): Promise<void> {
    const { outcomes, unread } = await this.writer.flush();
    for (const outcome of outcomes) this.count(outcome);
    if (unread.length === 0) return;
    for (const file of unread) {
      delete file.diskPath;
      const bytes = await this.fsRead(file.path, () => readFile(file.path));
      if (bytes) await this.readInJs(file, bytes);
    }
    await this.flush();
  }

  private count({ file, records, cloudTrail, flows, duplicates, invalid, rejected }: FileOutcome): void {
    if (rejected) return this.refuse(file, `no CloudTrail events (${invalid} record(s) without eventID or a valid eventTime)`);
    this.settle(file, { records: records + duplicates });
    this.report.files++;
    this.report.records.cloudtrail += cloudTrail;
    this.report.records.flow += flows;
    this.report.records.logs += records - cloudTrail - flows;
    this.report.duplicates += duplicates;
    if (invalid > 0) this.skip(file.path, `${invalid} record(s) without eventID or a valid eventTime left out`);
    for (const group of fileLogGroups(file)) if (!this.report.logGroups.includes(group)) this.report.logGroups.push(group);
  }
}

/**
 * Subscription messages, when the first object that starts a line is one (a piece cut from a file starts
 * with the rest of a message, whose events are objects too, but not at a line's start): one such line
 * further on, in a file of other objects, is only a line of that file, not a reason to read it as messages.
 */
function opensWithSubscription(text: string, documents: Array<{ text: string; at: number }>): boolean {
  for (const document of documents) {
    if (document.at > 0 && text[document.at - 1] !== '\n') continue;
    const value = parsedOrUndefined(document.text);
    if (isObject(value)) return isSubscriptionMessage(value);
    // A damaged message still opens as one (the first of a Firehose object, all on one line).
    if (value === undefined && SUBSCRIPTION_START.test(document.text)) return true;
  }
  return false;
}

/** A document's value, or undefined when it is not valid JSON (its reader says why). */
function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The line and column (from 1) of offsets in `text` asked in increasing order, in one pass over the text
 * for all of them: S3 files joined with `cat` are one line, and scanning back from each would be quadratic.
 */
function positionCounter(text: string): (at: number) => { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let next = text.indexOf('\n');
  return (at) => {
    for (; next !== -1 && next < at; next = text.indexOf('\n', next + 1)) {
      line++;
      lineStart = next + 1;
    }
    return { line, column: at - lineStart + 1 };
  };
}

/** The format the manifest gives a document of CloudTrail records. */
function arrayFormat(shape: CloudTrailShape): string {
  return shape === 'records' ? 'cloudtrail' : `cloudtrail-${shape}`;
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

/** Why a zip or a member of it cannot be read: damage, or the archive failing to read from disk midway. */
function zipProblem(error: unknown): string {
  if (error instanceof ZipError) return error.message;
  if ((error as NodeJS.ErrnoException).syscall) return describeFsError(error);
  throw error;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable (permission denied)';
  if (code === 'EISDIR') return 'is a directory';
  return `unreadable (${error instanceof Error ? error.message : String(error)})`;
}
