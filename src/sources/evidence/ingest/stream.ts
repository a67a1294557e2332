import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isObject } from '../../../core/json-shape';
import { gzipError, InputError, isGzip, numberedLines, sizeText, TruncatedGzip, type NumberedLine } from './content';
import { isSubscriptionMessage, looksLikeExportLine } from './cwlogs';
import { looksLikeFlowLog } from './flow';
import { isZip, type ZipMember } from './zip';

/**
 * Reading files too large to hold: probing their size, hashing and classifying them, and their content as
 * a stream of buffers, then in batches of numbered lines or of a JSON document's records, so memory stays
 * bounded whatever the size.
 */

export interface FileProbe {
  /** Bytes on disk. */
  bytes: number;
  /** Bytes once decompressed, from gzip's trailer (modulo 4 GiB, so never taken below `bytes`). */
  size: number;
  gzip: boolean;
  zip: boolean;
}

/** What a file is and how large its content is, from its first bytes and gzip's trailer, without reading it. */
export async function probeFile(path: string): Promise<FileProbe> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    const gzip = isGzip(magic);
    const zip = isZip(magic);
    if (!gzip || size < 18) return { bytes: size, size, gzip, zip };
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    return { bytes: size, size: inflatedSize(size, trailer), gzip, zip };
  } finally {
    await handle.close();
  }
}

/** Content as stored (a file on disk, a zip member), read from its start each time: for content too large to hold. */
export interface StoredContent {
  /** Bytes as stored. */
  bytes: number;
  /** Bytes once decompressed: from gzip's trailer for a file, as stored for a zip member. */
  size: number;
  gzip: boolean;
  raw(): Readable;
  whole(): Promise<Buffer>;
}

/** Deflate makes at most about 1,032 bytes of one: a file "trailer" claiming more is other bytes (junk after the data). */
const MAX_INFLATION = 1032;

/**
 * gzip's trailer holds the inflated size modulo 4 GiB (and a crafted file can lie): never below what is
 * stored, nor above what deflate can make of it.
 */
const inflatedSize = (stored: number, trailer: Buffer): number => Math.max(stored, Math.min(trailer.readUInt32LE(0), stored * MAX_INFLATION));

export function storedFile(path: string, probe: FileProbe): StoredContent {
  return { ...probe, raw: () => createReadStream(path, { highWaterMark: 1 << 20 }), whole: () => readFile(path) };
}

/** A zip member too large to hold, streamed from the archive each time; gzip inside is told by its first bytes. */
export function storedMember(member: ZipMember, gzip: boolean): StoredContent {
  return { bytes: member.size, size: member.size, gzip, raw: () => Readable.from(member.content()), whole: () => member.read() };
}

/** Bytes already held (a small zip member), which may still inflate to more than can be held. */
export function storedBuffer(bytes: Buffer): StoredContent {
  const gzip = isGzip(bytes);
  const size = gzip && bytes.length >= 18 ? inflatedSize(bytes.length, bytes.subarray(-4)) : bytes.length;
  return { bytes: bytes.length, size, gzip, raw: () => Readable.from([bytes]), whole: async () => bytes };
}

/** Thrown inside a large file's hashing or between its parts when the run is cancelled; the file is left out. */
export class IngestCancelled extends Error {}

/** SHA-256 of stored content; rejects with IngestCancelled as soon as `signal` aborts. */
export async function digestOf(raw: Readable, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of raw) {
      if (signal?.aborted) throw new IngestCancelled();
      hash.update(chunk as Buffer);
    }
  } finally {
    raw.destroy();
  }
  return hash.digest('hex');
}

/** How much of a file's content classifies it. */
export const HEAD_BYTES = 65536;

export type LineFormat = 'cloudtrail-lines' | 'vpc-flow' | 'cloudwatch-export';

/**
 * The line format a text's first lines show, if any. `whole`: the text is all of it, so its last line is
 * complete (else it is a large file's head, whose last line is cut). A blank first line, or a damaged
 * one, does not hide the format of the lines after it: a flow log by any of its first three lines, JSON
 * Lines when most of the whole lines are JSON objects and more lines follow. Otherwise a JSON text is one
 * document (pretty-printed, or on one line), read as such when it is small enough.
 */
export function lineFormat(head: string, whole = false): LineFormat | undefined {
  const all = head.replace(/^\uFEFF/, '').split('\n').map((line) => line.trim());
  const complete = (whole ? all : all.slice(0, -1)).filter((line) => line !== '');
  const first = complete[0] ?? all.find((line) => line !== '') ?? '';
  if (looksLikeExportLine(first)) return 'cloudwatch-export';
  if ([first, ...complete.slice(1, 3)].some(looksLikeFlowLog)) return 'vpc-flow';
  const more = complete.length > 1 || (!whole && all.length > 1 && all[all.length - 1] !== '');
  if (complete.length === 0 || !more) return undefined;
  // Subscription messages a line are read whole, as those Firehose joins without line breaks are (the
  // first line may be cut from a message).
  if (complete.slice(0, 3).some((line) => isSubscriptionMessage(objectOf(line)))) return undefined;
  return complete.filter((line) => objectOf(line) !== undefined).length > complete.length / 2 ? 'cloudtrail-lines' : undefined;
}

function objectOf(line: string): object | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The first `length` bytes of streamed content (fewer when it is shorter); the rest is not read. */
export async function leadingBytes(content: AsyncIterable<Buffer>, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of content) {
    chunks.push(chunk);
    read += chunk.length;
    if (read >= length) break;
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/**
 * Stored content as it streams, decompressed when gzip. A bad gzip stream or a read that fails midway is
 * an InputError, like the same problem in a file read whole; a gzip stream cut short ends at the cut
 * instead when `onCut` is given, which is then called.
 */
export async function* decompressed(raw: Readable, gzipped: boolean, onCut?: () => void): AsyncGenerator<Buffer> {
  const inflate = gzipped ? createGunzip() : undefined;
  if (inflate) {
    raw.on('error', (error) => inflate.destroy(error));
    raw.pipe(inflate);
  }
  try {
    for await (const chunk of inflate ?? raw) yield chunk as Buffer;
  } catch (error) {
    const { code, syscall, message } = error as NodeJS.ErrnoException;
    if (code?.startsWith('Z_')) {
      const problem = gzipError(error);
      if (problem instanceof TruncatedGzip && onCut) return onCut();
      throw problem;
    }
    if (syscall) throw new InputError(`unreadable (${message})`);
    throw error;
  } finally {
    raw.destroy();
  }
}

/** In-memory content as the same stream of buffers, so large zip members read like large files. */
export async function* bufferContent(content: Buffer, sliceBytes = 1 << 20): AsyncGenerator<Buffer> {
  for (let start = 0; start < content.length; start += sliceBytes) yield content.subarray(start, start + sliceBytes);
}

/** A line is decoded into one string, and V8 strings stop at 512 MB; a longer one is a bad file, not a crash. */
const MAX_LINE_BYTES = 256 * 2 ** 20;

/**
 * The lines of streamed content, numbered, in batches of about `batchBytes` of text (a batch
 * ends at the first line end after that many bytes). A line is never split between batches; cutting the
 * bytes at a newline is safe because 0x0A never occurs inside a UTF-8 sequence.
 */
export async function* lineBatches(content: AsyncIterable<Buffer>, batchBytes: number, options: LineBatchOptions = {}): AsyncGenerator<NumberedLine[]> {
  const { maxLineBytes = MAX_LINE_BYTES, leaveOutCutLine } = options;
  // Chunks are joined only once a batch's worth has arrived, and while a long line is pending only once
  // one holds a line end: gunzip yields 16 KB at a time, and joining each onto what came before copied
  // every batch about a thousand times (and a hostile 200 MB line ten thousand).
  let chunks: Buffer[] = [];
  let chunkBytes = 0;
  let pending: Buffer = Buffer.alloc(0);
  let inLongLine = false;
  let nextLine = 1;
  const take = (end: number): NumberedLine[] => {
    let text = pending.toString('utf8', 0, end);
    if (nextLine === 1) text = text.replace(/^\uFEFF/, '');
    const lines = [...numberedLines(text, nextLine)];
    nextLine += newlines(pending.subarray(0, end));
    pending = pending.subarray(end);
    return lines;
  };
  for await (const chunk of content) {
    chunks.push(chunk);
    chunkBytes += chunk.length;
    if (pending.length + chunkBytes < batchBytes) continue;
    if (inLongLine && chunk.indexOf(0x0a) === -1) {
      if (pending.length + chunkBytes > batchBytes + maxLineBytes) {
        throw new InputError(`line ${nextLine + newlines(pending)} is longer than ${sizeText(maxLineBytes)}`);
      }
      continue;
    }
    pending = Buffer.concat([pending, ...chunks]);
    chunks = [];
    chunkBytes = 0;
    for (let cut = batchEnd(pending, batchBytes); cut > 0; cut = batchEnd(pending, batchBytes)) yield take(cut);
    // No batch could end: past batchBytes the pending bytes hold no line end yet.
    inLongLine = pending.length >= batchBytes;
  }
  pending = Buffer.concat([pending, ...chunks]);
  if (pending.length === 0) return;
  // Only now, the content read to its end, is it known whether that end is a cut.
  const cutLine = pending[pending.length - 1] !== 0x0a && leaveOutCutLine?.(nextLine + newlines(pending));
  const end = cutLine ? pending.lastIndexOf(0x0a) + 1 : pending.length;
  if (end > 0) yield take(end);
}

export interface LineBatchOptions {
  maxLineBytes?: number;
  /**
   * Asked, with its number, about a last line that has no line end: true leaves it out. A line format's
   * last line where gzip data was cut short is part of a record (a byte count cut to its first digits).
   */
  leaveOutCutLine?: (line: number) => boolean;
}

/** Why a line-format file's last line, where its gzip data was cut short, is not read. */
export const CUT_LINE = 'cut short where the gzip data ends: left out (its last value may be incomplete)';

/** Whole-text counterpart of lineBatches' leaveOutCutLine: the text without that line, and the problem it is. */
export function withoutCutLine(text: string, cutShort: boolean): { text: string; problems: Array<{ at: string; reason: string }> } {
  if (!cutShort || text.endsWith('\n')) return { text, problems: [] };
  const kept = text.slice(0, text.lastIndexOf('\n') + 1);
  return { text: kept, problems: [{ at: `line ${kept.split('\n').length}`, reason: CUT_LINE }] };
}

/** Where a batch of at least `batchBytes` ends (after a newline), or 0 when the bytes do not hold one yet. */
function batchEnd(bytes: Buffer, batchBytes: number): number {
  if (bytes.length < batchBytes) return 0;
  return bytes.indexOf(0x0a, Math.max(0, batchBytes - 1)) + 1;
}

function newlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** How a large JSON document holds its records, when they can be read one by one. */
export interface RecordArray {
  shape: 'records' | 'array' | 'lookup-events';
  /** Bytes up to and including the array's `[`. */
  prefixBytes: number;
}

const ARRAY_START = /^\uFEFF?\s*(?:\[|\{\s*"(Records|Events)"\s*:\s*\[)/;

/** A JSON array of records, or an S3 log file or lookup-events output whose first key holds them. */
export function recordArray(head: string): RecordArray | undefined {
  const match = ARRAY_START.exec(head);
  if (!match) return undefined;
  const shape = match[1] === 'Records' ? 'records' : match[1] === 'Events' ? 'lookup-events' : 'array';
  return { shape, prefixBytes: Buffer.byteLength(match[0]) };
}

export interface ItemBatch {
  /** Each item's JSON text. */
  items: string[];
  /** The number of the first item (1-based). */
  first: number;
  /** The content ended inside an item or before the array closed; `items` holds what came before. */
  truncated?: true;
  /** Something other than a document of the same kind follows a document; it is not read. */
  followed?: true;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);
const CLOSE_ARRAY = 0x5d;
const MAX_ITEM_BYTES = 256 * 2 ** 20;
const BYTE_ORDER_MARK = new Set([0xef, 0xbb, 0xbf]);

/**
 * Recognizes, a byte at a time, the opening of another document that holds its records as `shape` does:
 * `{"Records": [` (S3 log files joined with `zcat`), `{"Events": [` or `[`, with space around its parts
 * and maybe a byte order mark before it.
 */
function documentOpening(shape: RecordArray['shape']): (b: number) => 'more' | 'open' | 'other' {
  const literal = Buffer.from(shape === 'records' ? '{"Records":[' : shape === 'lookup-events' ? '{"Events":[' : '[');
  const afterKey = literal.indexOf(':');
  let at = 0;
  return (b) => {
    // Space may stand before `{`, after it, and after the key; not inside the key.
    const spaceAllowed = at <= 1 || at >= afterKey;
    if (spaceAllowed && (b <= 0x20 || (at === 0 && BYTE_ORDER_MARK.has(b)))) return 'more';
    if (b !== literal[at]) return 'other';
    at++;
    return at === literal.length ? 'open' : 'more';
  };
}

/**
 * The items of the array that opens after `array.prefixBytes` of streamed content, each as its JSON text,
 * in batches of about `batchBytes`. Item boundaries are found by bracket depth outside strings; whether an
 * item is valid JSON is left to its parser, so one bad item costs only itself. What follows the array in
 * its document (lookup-events' NextToken) is skipped; the documents that follow it are read the same way
 * while each opens an array of the same kind (files joined with `zcat`), and anything else is noticed,
 * not read. Items are numbered through the whole content.
 */
export async function* arrayItems(content: AsyncIterable<Buffer>, array: RecordArray, batchBytes: number): AsyncGenerator<ItemBatch> {
  let skip = array.prefixBytes;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Bytes of an item begun in earlier chunks. */
  let begun: Buffer[] = [];
  let begunBytes = 0;
  let items: string[] = [];
  let itemBytes = 0;
  let first = 1;
  let closed = false;
  let followed = false;
  let opening: ReturnType<typeof documentOpening> | undefined;
  const batch = (): ItemBatch => {
    const done = { items, first };
    first += items.length;
    items = [];
    itemBytes = 0;
    return done;
  };
  for await (const chunk of content) {
    const bytes = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
    skip = Math.max(0, skip - chunk.length);
    let start = begun.length > 0 ? 0 : -1;
    const end = (at: number): void => {
      const text = begun.length > 0 ? Buffer.concat([...begun, bytes.subarray(start, at)]) : bytes.subarray(start, at);
      items.push(text.toString('utf8'));
      itemBytes += text.length;
      begun = [];
      begunBytes = 0;
      start = -1;
    };
    for (let i = 0; i < bytes.length && !followed; i++) {
      const b = bytes[i];
      if (!opening && closed && !inString && depth === 0 && b > 0x20) opening = documentOpening(array.shape);
      if (opening) {
        const step = opening(b);
        if (step !== 'more') opening = undefined;
        if (step === 'other') followed = true;
        if (step === 'open') [closed, depth] = [false, 0];
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
        continue;
      }
      if (closed) {
        // The rest of the array's document, then nothing but space, or another document (above).
        if (b === QUOTE) inString = true;
        else if (OPENERS.has(b)) depth++;
        else if (CLOSERS.has(b)) depth--;
        continue;
      }
      if (start === -1) {
        if (b === CLOSE_ARRAY) closed = true;
        if (closed) depth = array.shape === 'array' ? 0 : 1;
        if (b === COMMA || b <= 0x20 || closed) continue;
        start = i;
      }
      if (b === QUOTE) inString = true;
      else if (OPENERS.has(b)) depth++;
      else if (CLOSERS.has(b) && depth > 0) {
        if (--depth === 0) end(i + 1);
      } else if (depth === 0 && (b === COMMA || b === CLOSE_ARRAY)) {
        // The end of an item that is no object or array (a number, a string, ...).
        end(i);
        closed = b === CLOSE_ARRAY;
        if (closed) depth = array.shape === 'array' ? 0 : 1;
      }
      if (itemBytes >= batchBytes) yield batch();
    }
    if (start !== -1) {
      begun.push(bytes.subarray(start));
      begunBytes += bytes.length - start;
      if (begunBytes > MAX_ITEM_BYTES) throw new InputError(`record ${first + items.length} is larger than ${MAX_ITEM_BYTES / 2 ** 20} MB`);
    }
    if (followed) break;
  }
  // Content that ends inside a document, or inside the opening of the next, was cut short.
  if (!closed || opening) yield { ...batch(), truncated: true };
  else if (followed) yield { ...batch(), followed: true };
  else if (items.length > 0) yield batch();
}
