import { constants, gunzipSync, inflateRawSync } from 'node:zlib';
import { jsonSyntaxError } from '../../../core/json-syntax';
import { decodeText, utf16Encoding } from '../../../core/text-bytes';

/** Raised for a file (or a line of it) that cannot be ingested; the message is the one-line reason. */
export class InputError extends Error {}

export function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A gzip stream that ends before its end, as an interrupted download leaves it. */
export class TruncatedGzip extends InputError {
  constructor() {
    super('truncated gzip (unexpected end of file)');
  }
}

/** What the report says of damaged gzip content: when what came before the damage was read, and when it held nothing usable. */
export interface GzipDamage {
  kept: string;
  refused: string;
}

/** A file cut short. */
export const TRUNCATED: GzipDamage = { kept: 'truncated gzip (unexpected end of file): what came before the cut is kept', refused: new TruncatedGzip().message };

/** Bytes after whole gzip members that start no other member: a download's junk, text appended raw. */
const junkFrom = (at: number): GzipDamage => {
  const where = `not gzip data from byte ${at.toLocaleString('en-US')} on`;
  return { kept: `${where}: what came before is kept`, refused: `corrupt gzip (${where})` };
};

export function gzipError(error: unknown): InputError {
  const message = error instanceof Error ? error.message : String(error);
  return /unexpected end/i.test(message) ? new TruncatedGzip() : new InputError(`corrupt gzip (${message})`);
}

/**
 * Decompresses in memory, up to `limit` bytes: gzip's trailer gives the size only modulo 4 GiB (and a
 * crafted file can lie), so a file that turns out larger is refused rather than allowed to fill memory.
 * A file cut short, or with bytes after its members that are not gzip data, gives the content before,
 * and says so.
 */
export function gunzip(bytes: Buffer, limit: number): { content: Buffer; damage?: GzipDamage } {
  const inflate = (finishFlush?: number): Buffer => {
    try {
      return gunzipSync(bytes, { maxOutputLength: limit, finishFlush });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new InputError(`decompresses to more than ${sizeText(limit)}, more than its gzip trailer says; decompress it and ingest the result`);
      }
      throw gzipError(error);
    }
  };
  try {
    return { content: inflate() };
  } catch (error) {
    if (error instanceof TruncatedGzip) return { content: inflate(constants.Z_SYNC_FLUSH), damage: TRUNCATED };
    const members = wholeMembers(bytes, limit);
    if (!members) throw error;
    return members;
  }
}

/**
 * The gzip members before what is not gzip data, read one by one (zlib refuses the whole file for bytes
 * after its last member), or undefined when the first member cannot be read either.
 */
function wholeMembers(bytes: Buffer, limit: number): { content: Buffer; damage: GzipDamage } | undefined {
  const members: Buffer[] = [];
  let at = 0;
  let size = 0;
  for (let body = memberBody(bytes, at); body !== undefined; body = memberBody(bytes, at)) {
    let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      // `info` gives how much of the input the member's deflate data took: the trailer's 8 bytes follow.
      inflated = inflateRawSync(bytes.subarray(body), { info: true, maxOutputLength: Math.max(1, limit - size) }) as unknown as typeof inflated;
    } catch {
      break;
    }
    members.push(inflated.buffer);
    size += inflated.buffer.length;
    at = body + inflated.engine.bytesWritten + 8;
  }
  return members.length === 0 ? undefined : { content: Buffer.concat(members), damage: junkFrom(at) };
}

/** Where the deflate data of a gzip member starting at `at` begins (past its header, RFC 1952), if one starts there. */
function memberBody(bytes: Buffer, at: number): number | undefined {
  if (bytes[at] !== 0x1f || bytes[at + 1] !== 0x8b || bytes[at + 2] !== 8 || at + 10 > bytes.length) return undefined;
  const flags = bytes[at + 3]!;
  let next = at + 10;
  if (flags & 4) next += 2 + bytes.readUInt16LE(next);
  for (const flag of [8, 16]) if (flags & flag) next = bytes.indexOf(0, next) + 1 || bytes.length;
  if (flags & 2) next += 2;
  return next < bytes.length ? next : undefined;
}

export type NumberedLine = [number, string];

export function sizeText(bytes: number): string {
  return bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * A time in milliseconds as the ISO 8601 text the store's TIMESTAMP columns take, or undefined when there
 * is none: not a number, or outside years 1 to 9999 (JavaScript writes those as +275760-..., which no
 * TIMESTAMP cast reads). Log values are hostile; one bad time must cost its record, not the run.
 */
export function isoTime(ms: number): string | undefined {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return /^\d{4}-/.test(iso) && !iso.startsWith('0000') ? iso : undefined;
}

/**
 * Text written as UTF-16 (Windows PowerShell 5's `>` writes it) as UTF-8, which every reader expects;
 * other content as it is. Only a byte order mark tells UTF-16 apart, so only such text is converted.
 */
export function asUtf8(content: Buffer): Buffer {
  return utf16Encoding(content) ? Buffer.from(decodeText(content), 'utf8') : content;
}


/** The first bytes of the (decompressed) content, cheaply, to decide what a file holds. */
export function peek(bytes: Buffer, length = 4096): string {
  if (!isGzip(bytes)) return bytes.subarray(0, length).toString('utf8');
  try {
    return gunzipSync(bytes.subarray(0, Math.min(bytes.length, 65536)), { finishFlush: constants.Z_SYNC_FLUSH })
      .subarray(0, length)
      .toString('utf8');
  } catch {
    return '';
  }
}

/**
 * Text with many NULs or replacement characters is binary, whatever its name says. A few are not: a log
 * line may carry one from the attacker's input, and that must not cost the file.
 */
export function looksBinary(text: string): boolean {
  const count = (pattern: RegExp): number => text.match(pattern)?.length ?? 0;
  return count(/\u0000/g) > Math.max(8, text.length / 100) || count(/\uFFFD/g) > text.length / 20;
}

/**
 * Lines with their 1-based numbers, without the line terminators. Blank lines are there too (a log
 * message may hold one), except after the last line end.
 */
export function* numberedLines(text: string, firstLine = 1): Generator<NumberedLine> {
  let line = firstLine - 1;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    yield [line, text.slice(start, end).replace(/\r$/, '')];
    start = end + 1;
  }
}

export const isBlank = (content: string): boolean => content.trim() === '';

/**
 * JSON.parse with a syntax error named by line and column; `origin` is where the text starts in its
 * file, when it is part of one, so that the error names the file's line.
 */
export function parseJson(text: string, origin?: TextOrigin): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw jsonInputError(text, 'invalid JSON', origin);
  }
}

export interface TextOrigin {
  line: number;
  column: number;
}

/** The reason a text JSON.parse refused is no JSON, placed by line and column (a scan of the text: call it only to report). */
export function jsonInputError(text: string, what = 'invalid JSON', origin: TextOrigin = { line: 1, column: 1 }): InputError {
  const { line, column, problem } = jsonSyntaxError(text);
  const at = line === 1 ? { line: origin.line, column: origin.column + column - 1 } : { line: origin.line + line - 1, column };
  return new InputError(`${what} at line ${at.line}, column ${at.column} (${problem})`);
}
