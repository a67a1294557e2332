import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * A small reader for .zip archives (PKWARE APPNOTE): it trusts only the central directory, supports the
 * two methods archivers use for logs (0 stored, 8 deflate) and ZIP64 sizes, checks each member's CRC-32,
 * and refuses encrypted members. Node has no zip reader and this is the whole of what ingest needs.
 * An archive on disk is never read whole: only its directory is held, and members are read (small ones)
 * or streamed (large ones) from their place in the file, so a zip of any size reads in bounded memory.
 */
export interface ZipMember {
  name: string;
  /** Decompressed size, as the directory declares it. */
  size: number;
  /** Decompresses the member; rejects with ZipError and the reason when it cannot. */
  read(): Promise<Buffer>;
  /** The decompressed member as a stream of buffers, checked as `read` checks it once the stream ends. */
  content(): AsyncGenerator<Buffer>;
}

export class ZipError extends Error {}

/** Random access to an archive's bytes: a file on disk, or a zip held in memory (one inside another). */
export interface ZipBytes {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(offset: number, length: number): Readable;
}

export function zipInMemory(zip: Buffer): ZipBytes {
  return {
    size: zip.length,
    read: async (offset, length) => zip.subarray(offset, offset + length),
    stream: (offset, length) => Readable.from([zip.subarray(offset, offset + length)]),
  };
}

/** Node reads at most 2 GiB at once (and may read less); longer reads are made of pieces. */
const READ_PIECE = 2 ** 30;

/** An archive on disk: small reads through one handle, streams opened on the path; `close` releases the handle. */
export async function zipOnDisk(path: string): Promise<ZipBytes & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  let size: number;
  try {
    ({ size } = await handle.stat());
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    size,
    read: async (offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      for (let done = 0; done < buffer.length; ) {
        const { bytesRead } = await handle.read(buffer, done, Math.min(READ_PIECE, buffer.length - done), offset + done);
        if (bytesRead === 0) return buffer.subarray(0, done);
        done += bytesRead;
      }
      return buffer;
    },
    stream: (offset, length) => createReadStream(path, { start: offset, end: offset + length - 1, highWaterMark: 1 << 20 }),
    close: () => handle.close(),
  };
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && (bytes.readUInt32LE(0) === LOCAL || bytes.readUInt32LE(0) === EOCD);
}

/** The end of the archive (where the end records and the comment are) and the end record's place in it. */
async function endOfCentralDirectory(zip: ZipBytes): Promise<{ tail: Buffer; tailAt: number; eocd: number }> {
  const tailAt = Math.max(0, zip.size - 22 - MAX_COMMENT - 20);
  const tail = await zip.read(tailAt, zip.size - tailAt);
  for (let at = tail.length - 22; at >= 0; at--) if (tail.readUInt32LE(at) === EOCD) return { tail, tailAt, eocd: at };
  throw new ZipError('not a zip archive or truncated (no end of central directory)');
}

/** A directory entry is 46 bytes and at most three fields of up to 65,535 bytes each. */
const MAX_ENTRY_BYTES = 46 + 3 * 0xffff;
/** About ten million members: no real archive's directory is larger, and a damaged size must not make one. */
const MAX_DIRECTORY_BYTES = 2 ** 30;

/** The central directory's bytes and entry count, from the ZIP64 record when the classic one overflows. */
async function centralDirectory(zip: ZipBytes): Promise<{ directory: Buffer; count: number }> {
  const { tail, tailAt, eocd } = await endOfCentralDirectory(zip);
  let count = tail.readUInt16LE(eocd + 10);
  let length = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if ((count === 0xffff || length === 0xffffffff || offset === 0xffffffff) && locator >= 0 && tail.readUInt32LE(locator) === EOCD64_LOCATOR) {
    const at = Number(tail.readBigUInt64LE(locator + 8));
    const record = await zip.read(at, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== EOCD64) throw new ZipError('corrupt ZIP64 end of central directory');
    count = Number(record.readBigUInt64LE(32));
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  if (offset + length > tailAt + eocd || length > Math.min(MAX_DIRECTORY_BYTES, count * MAX_ENTRY_BYTES)) {
    throw new ZipError(`corrupt central directory (${count} entries in ${length} bytes at offset ${offset})`);
  }
  return { directory: await zip.read(offset, length), count };
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  local: number;
}

/** Sizes and local-header offset, replaced by the ZIP64 extra field where the classic fields overflow. */
function zip64Values(extra: Buffer, sizes: { compressed: number; size: number; local: number }): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      for (const key of ['size', 'compressed', 'local'] as const) {
        if (sizes[key] === 0xffffffff && field + 8 <= Math.min(at + 4 + length, extra.length)) {
          sizes[key] = Number(extra.readBigUInt64LE(field));
          field += 8;
        }
      }
    }
    at += 4 + length;
  }
}

function entries(directory: Buffer, count: number): Entry[] {
  const found: Entry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new ZipError(`corrupt central directory at entry ${i + 1}`);
    const flags = directory.readUInt16LE(at + 8);
    const sizes = { compressed: directory.readUInt32LE(at + 20), size: directory.readUInt32LE(at + 24), local: directory.readUInt32LE(at + 42) };
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const name = directory.toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    zip64Values(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), sizes);
    found.push({ name, flags, method: directory.readUInt16LE(at + 10), crc: directory.readUInt32LE(at + 16), ...sizes });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

export async function readZip(zip: ZipBytes): Promise<ZipMember[]> {
  const { directory, count } = await centralDirectory(zip);
  return entries(directory, count)
    .filter((entry) => !entry.name.endsWith('/'))
    .map((entry) => ({
      name: entry.name,
      size: entry.size,
      read: () => wholeMember(zip, entry),
      content: () => streamMember(zip, entry),
    }));
}

/** Where a member's compressed bytes start, after checks that its entry and local header make sense. */
async function dataStart(zip: ZipBytes, entry: Entry): Promise<number> {
  const { name, flags, method, local, compressed, size } = entry;
  if ((flags & 0x1) !== 0) throw new ZipError(`'${name}' is encrypted`);
  if (method !== 0 && method !== 8) throw new ZipError(`'${name}' uses unsupported compression method ${method}`);
  // Stored bytes are the member. (Deflate has no such bound: a compressor may pad its stream at will.)
  if (method === 0 && compressed > size) throw new ZipError(`'${name}': ${compressed} stored bytes for the ${size} its entry declares (damaged archive)`);
  const header = await zip.read(local, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new ZipError(`'${name}': corrupt local header`);
  const start = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + compressed > zip.size) throw new ZipError(`'${name}' is truncated`);
  return start;
}

/** Up to this many compressed bytes a member is read and inflated at once: archives of many small files read twice as fast. */
const AT_ONCE_BYTES = 2 ** 20;

async function wholeMember(zip: ZipBytes, entry: Entry): Promise<Buffer> {
  if (entry.compressed > AT_ONCE_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of streamMember(zip, entry)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const data = await zip.read(await dataStart(zip, entry), entry.compressed);
  let out = data;
  if (entry.method === 8) {
    try {
      // Inflating stops at the size the entry declares, as it does when streamed.
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw inflatesBeyond(entry);
      throw corruptDeflate(entry, error);
    }
  }
  checkWhole(entry, out.length, crc32(out));
  return out;
}

/**
 * The member as it inflates, from its place in the archive. Inflating stops at the size the directory
 * declares, so a member cannot make itself larger (a zip bomb); size and CRC-32 are checked once the
 * stream ends, so a damaged large member fails at its end, which is why a reader of one holds its rows
 * until then (one transaction per large file).
 */
async function* streamMember(zip: ZipBytes, entry: Entry): AsyncGenerator<Buffer> {
  const start = await dataStart(zip, entry);
  const raw = entry.compressed > 0 ? zip.stream(start, entry.compressed) : Readable.from([]);
  const inflate = entry.method === 8 ? createInflateRaw() : undefined;
  if (inflate) {
    raw.on('error', (error) => inflate.destroy(error));
    raw.pipe(inflate);
  }
  let length = 0;
  let crc = 0;
  try {
    for await (const chunk of (inflate ?? raw) as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > entry.size) throw inflatesBeyond(entry);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ZipError || !(error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw error;
    throw corruptDeflate(entry, error);
  } finally {
    raw.destroy();
    inflate?.destroy();
  }
  checkWhole(entry, length, crc);
}

function checkWhole(entry: Entry, length: number, crc: number): void {
  if (length !== entry.size) throw new ZipError(`'${entry.name}': size ${length} differs from the directory's ${entry.size}`);
  // Evidence must be what was archived: a member whose checksum differs is damaged, not ingested.
  if (crc !== entry.crc) throw new ZipError(`'${entry.name}': CRC-32 mismatch (damaged archive)`);
}

const inflatesBeyond = (entry: Entry): ZipError => new ZipError(`'${entry.name}' inflates to more than the ${entry.size} bytes its entry declares`);

const corruptDeflate = (entry: Entry, error: unknown): ZipError =>
  new ZipError(`'${entry.name}': corrupt deflate data (${error instanceof Error ? error.message : String(error)})`);
