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
