import { constants } from 'node:buffer';
import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A small reader for .zip archives (PKWARE APPNOTE): it trusts only the central directory, supports the
 * two methods archivers use for logs (0 stored, 8 deflate) and ZIP64 sizes, checks each member's CRC-32,
 * and refuses encrypted members. Node has no zip reader and this is the whole of what ingest needs.
 */
export interface ZipMember {
  name: string;
  size: number;
  /** Decompresses the member; throws ZipError with the reason when it cannot. */
  read(): Buffer;
}

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && (bytes.readUInt32LE(0) === LOCAL || bytes.readUInt32LE(0) === EOCD);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - MAX_COMMENT);
  for (let at = zip.length - 22; at >= stop; at--) if (zip.readUInt32LE(at) === EOCD) return at;
  throw new ZipError('not a zip archive or truncated (no end of central directory)');
}

/** Central directory offset and entry count, from the ZIP64 record when the classic one overflows. */
function centralDirectory(zip: Buffer, eocd: number): { offset: number; count: number } {
  let count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if ((count === 0xffff || offset === 0xffffffff) && locator >= 0 && zip.readUInt32LE(locator) === EOCD64_LOCATOR) {
    const record = Number(zip.readBigUInt64LE(locator + 8));
    if (record + 56 > zip.length || zip.readUInt32LE(record) !== EOCD64) throw new ZipError('corrupt ZIP64 end of central directory');
    count = Number(zip.readBigUInt64LE(record + 32));
    offset = Number(zip.readBigUInt64LE(record + 48));
  }
  return { offset, count };
}

/** Sizes and local-header offset, replaced by the ZIP64 extra field where the classic fields overflow. */
function zip64Values(extra: Buffer, sizes: { compressed: number; size: number; local: number }): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      for (const key of ['size', 'compressed', 'local'] as const) {
        if (sizes[key] === 0xffffffff && field + 8 <= at + 4 + length) {
          sizes[key] = Number(extra.readBigUInt64LE(field));
          field += 8;
        }
      }
    }
    at += 4 + length;
  }
}

export function readZip(zip: Buffer): ZipMember[] {
  const { offset, count } = centralDirectory(zip, findEndOfCentralDirectory(zip));
  const members: ZipMember[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipError(`corrupt central directory at entry ${i + 1}`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const sizes = { compressed: zip.readUInt32LE(at + 20), size: zip.readUInt32LE(at + 24), local: zip.readUInt32LE(at + 42) };
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const name = zip.toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    zip64Values(zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), sizes);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    members.push({
      name,
      size: sizes.size,
      read: () => readMember(zip, name, flags, method, sizes, crc),
    });
  }
  return members;
}

function readMember(zip: Buffer, name: string, flags: number, method: number, sizes: { compressed: number; size: number; local: number }, crc: number): Buffer {
  if ((flags & 0x1) !== 0) throw new ZipError(`'${name}' is encrypted`);
  const local = sizes.local;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new ZipError(`'${name}': corrupt local header`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  if (start + sizes.compressed > zip.length) throw new ZipError(`'${name}' is truncated`);
  const data = zip.subarray(start, start + sizes.compressed);
  if (sizes.size > constants.MAX_LENGTH) throw new ZipError(`'${name}' is too large to read inside a zip (${sizes.size} bytes); extract it first`);
  let out: Buffer;
  if (method === 0) out = Buffer.from(data);
  else if (method === 8) {
    try {
      // Inflating stops at the size the directory declares: a member cannot make itself larger (a zip bomb).
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, sizes.size) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError(`'${name}' inflates to more than the ${sizes.size} bytes its entry declares`);
      throw new ZipError(`'${name}': corrupt deflate data (${error instanceof Error ? error.message : String(error)})`);
    }
  } else throw new ZipError(`'${name}' uses unsupported compression method ${method}`);
  if (out.length !== sizes.size) throw new ZipError(`'${name}': size ${out.length} differs from the directory's ${sizes.size}`);
  // Evidence must be what was archived: a member whose checksum differs is damaged, not ingested.
  if (crc32(out) !== crc) throw new ZipError(`'${name}': CRC-32 mismatch (damaged archive)`);
  return out;
}
