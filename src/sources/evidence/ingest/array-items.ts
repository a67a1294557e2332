import { InputError } from './content';

/**
 * A JSON document too large to hold, read record by record: the items of its array of records, found by
 * bracket depth outside strings, and the documents of the same kind that follow it in the same content
 * (files joined with `cat` or `zcat`), also after one of them was cut short.
 */

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
  /**
   * The document ended inside the item after `items` (which is not read, and takes its number) or before
   * its array closed: at the end of the content, or where the next document opens.
   */
  truncated?: true;
  /** Something other than a document of the same kind follows a document; it is not read. */
  followed?: true;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b;
const OPENERS = new Set([0x5b, OPEN_OBJECT]);
const CLOSERS = new Set([0x5d, 0x7d]);
const CLOSE_ARRAY = 0x5d;
/** `:`, `[` and `,`: where a value, so an object a record holds, may open. */
const BEFORE_VALUE = new Set([0x3a, 0x5b, COMMA]);
const MAX_ITEM_BYTES = 256 * 2 ** 20;
const BYTE_ORDER_MARK = new Set([0xef, 0xbb, 0xbf]);

type OpeningStep = 'more' | 'open' | 'other';

/**
 * Recognizes, a byte at a time, the opening of another document that holds its records as `shape` does:
 * `{"Records": [` (S3 log files joined with `zcat`), `{"Events": [` or `[`, with space around its parts
 * and maybe a byte order mark before it.
 */
class OpeningMatcher {
  private readonly literal: Buffer;
  private readonly afterKey: number;
  private at = 0;

  constructor(shape: RecordArray['shape']) {
    this.literal = Buffer.from(shape === 'records' ? '{"Records":[' : shape === 'lookup-events' ? '{"Events":[' : '[');
    this.afterKey = this.literal.indexOf(':');
  }

  reset(): this {
    this.at = 0;
    return this;
  }

  step(b: number): OpeningStep {
    // Space may stand before `{`, after it, and after the key; not inside the key.
    const spaceAllowed = this.at <= 1 || this.at >= this.afterKey;
    if (spaceAllowed && (b <= 0x20 || (this.at === 0 && BYTE_ORDER_MARK.has(b)))) return 'more';
    if (b !== this.literal[this.at]) return 'other';
    this.at++;
    return this.at === this.literal.length ? 'open' : 'more';
  }
}

/**
 * Whether the `{` at `offset` of a record (its bytes, in order, in `parts`) stands where the record could
 * hold an object of its own: after `:`, `[` or `,`, and not at the start of a line (a record's own
 * objects are indented there, or on its line).
 */
function couldHoldObject(parts: Buffer[], offset: number): boolean {
  let part = 0;
  let i = offset;
  for (; part < parts.length && i >= parts[part].length; part++) i -= parts[part].length;
  const previous = (): number | undefined => {
    while (--i < 0) {
      if (--part < 0) return undefined;
      i = parts[part].length;
    }
    return parts[part][i];
  };
  let b = previous();
  let byteOrderMark = false;
  for (; b !== undefined && BYTE_ORDER_MARK.has(b); b = previous()) byteOrderMark = true;
  if (byteOrderMark || b === NEWLINE) return false;
  while (b !== undefined && b <= 0x20) b = previous();
  return b !== undefined && BEFORE_VALUE.has(b);
}

/**
 * Watches the bytes of a record, and of a document's tail after its array, for the opening of another S3
 * log file or lookup-events output: where the document was cut short and the next goes on (`zcat` goes
 * straight on, on the same line). Such an opening that no record could hold (at a line's start, inside a
 * string, after a byte no value follows) is taken at once. One that a record could hold as its own
 * object is remembered, and taken only if the record then proves not to be JSON or never ends.
 */
class CutWatch {
  private readonly opening: OpeningMatcher;
  /** An opening is being matched from its `{`. */
  matching = false;
  private matchAt = 0;
  private matchInString = false;
  /** Where in the record an opening that it could hold begins; -1 while none. */
  candidate = -1;

  constructor(shape: RecordArray['shape']) {
    this.opening = new OpeningMatcher(shape);
  }

  /** A new record begins. */
  reset(): void {
    this.matching = false;
    this.candidate = -1;
  }

  /**
   * Steps over `b`, at `offset` in the record (-1 in a document's tail, where any opening is taken), with
   * `inString` as the scan read it before `b`. Returns the offset where the next document opens, when `b`
   * completes an opening to be taken; `record` gives the record's bytes up to `b` to look back on.
   */
  step(b: number, offset: number, inString: boolean, record: () => Buffer[]): number | undefined {
    if (this.matching) {
      const step = this.opening.step(b);
      this.matching = step === 'more';
      if (step === 'open') {
        const sure = this.matchAt <= 0 || this.matchInString || !couldHoldObject(record(), this.matchAt);
        if (sure) return this.candidate >= 0 ? this.candidate : this.matchAt;
        if (this.candidate < 0) this.candidate = this.matchAt;
      }
    }
    if (!this.matching && b === OPEN_OBJECT) {
      this.matching = this.opening.reset().step(b) === 'more';
      this.matchAt = offset;
      this.matchInString = inString;
    }
    return undefined;
  }
}

function isJson(parts: Buffer[]): boolean {
  try {
    JSON.parse(Buffer.concat(parts).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The items of the array that opens after `array.prefixBytes` of streamed content, each as its JSON text,
 * in batches of about `batchBytes`. Item boundaries are found by bracket depth outside strings; whether an
 * item is valid is left to its parser, so one bad item costs only itself. What follows the array in its
 * document (lookup-events' NextToken) is skipped; the documents that follow it are read the same way
 * while each opens an array of the same kind (files joined with `cat` or `zcat`), also after a document
 * cut short (CutWatch), and anything else is noticed, not read. Items are numbered through the whole
 * content.
 */
export async function* arrayItems(content: AsyncIterable<Buffer>, array: RecordArray, batchBytes: number): AsyncGenerator<ItemBatch> {
  const scanner = new ItemScanner(array, batchBytes);
  let skip = array.prefixBytes;
  for await (const chunk of content) {
    yield* scanner.scan(skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk);
    skip = Math.max(0, skip - chunk.length);
    if (scanner.followed) break;
  }
  yield* scanner.finish();
}

/** The state of arrayItems between buffers; each buffer is scanned in one plain loop, for speed. */
class ItemScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The bytes of the item being read, from earlier buffers. */
  private begun: Buffer[] = [];
  private begunBytes = 0;
  private items: string[] = [];
  private itemBytes = 0;
  private first = 1;
  private closed = false;
  followed = false;
  private opening?: OpeningMatcher;
  private readonly watch?: CutWatch;
  /** Batches complete, to be yielded. */
  private ready: ItemBatch[] = [];
  /** Bytes to scan again after a cut: the next document on. */
  private pending: Buffer[] = [];

  constructor(
    private readonly array: RecordArray,
    private readonly batchBytes: number,
  ) {
    // A bare array opens with `[`, as do the arrays its records hold: a cut one is not told from them.
    if (array.shape !== 'array') this.watch = new CutWatch(array.shape);
  }

  *scan(buffer: Buffer): Generator<ItemBatch> {
    this.pending.push(buffer);
    while (this.pending.length > 0 && !this.followed) {
      this.scanBuffer(this.pending.shift()!);
      yield* this.ready.splice(0);
    }
  }

  *finish(): Generator<ItemBatch> {
    // An item still open at the end that holds an opening was cut there: the documents after it are read.
    while (!this.followed && this.begun.length > 0 && this.watch && this.watch.candidate >= 0) {
      this.cut([Buffer.concat(this.begun).subarray(this.watch.candidate)]);
      yield* this.scan(Buffer.alloc(0));
    }
    yield* this.ready.splice(0);
    // Content that ends inside a document, or inside the opening of the next, was cut short.
    if (!this.closed || this.opening) yield { ...this.batch(), truncated: true };
    else if (this.followed) yield { ...this.batch(), followed: true };
    else if (this.items.length > 0) yield this.batch();
  }

  private batch(): ItemBatch {
    const done = { items: this.items, first: this.first };
    this.first += this.items.length;
    this.items = [];
    this.itemBytes = 0;
    return done;
  }

  /** The document was cut inside the item being read: `rest` (the next document on) is scanned anew. */
  private cut(rest: Buffer[]): void {
    this.ready.push({ ...this.batch(), truncated: true });
    this.first++;
    this.pending.unshift(...rest);
    this.begun = [];
    this.begunBytes = 0;
    [this.depth, this.inString, this.escaped, this.closed, this.opening] = [0, false, false, true, undefined];
  }

  private scanBuffer(bytes: Buffer): void {
    const { watch, array } = this;
    let start = this.begun.length > 0 ? 0 : -1;
    const record = (to: number): Buffer[] => [...this.begun, bytes.subarray(start, to)];
    const endItem = (at: number): void => {
      const text = this.begun.length > 0 ? Buffer.concat(record(at)) : bytes.subarray(start, at);
      this.items.push(text.toString('utf8'));
      this.itemBytes += text.length;
      this.begun = [];
      this.begunBytes = 0;
      start = -1;
      if (this.itemBytes >= this.batchBytes) this.ready.push(this.batch());
    };
    let i = 0;
    // Made once a buffer: the watch calls it only where an opening completes.
    const recordSoFar = (): Buffer[] => record(i + 1);
    for (; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.closed && !this.opening && !this.inString && this.depth === 0 && b > 0x20) this.opening = new OpeningMatcher(array.shape);
      if (this.opening) {
        const step = this.opening.step(b);
        if (step !== 'more') this.opening = undefined;
        if (step === 'other') {
          this.followed = true;
          return;
        }
        if (step === 'open') [this.closed, this.depth] = [false, 0];
        continue;
      }
      if (start === -1 && !this.closed) {
        if (b === CLOSE_ARRAY) [this.closed, this.depth] = [true, array.shape === 'array' ? 0 : 1];
        if (b === COMMA || b <= 0x20 || this.closed) continue;
        start = i;
        watch?.reset();
      }
      if (watch && (watch.matching || b === OPEN_OBJECT)) {
        const next = watch.step(b, start === -1 ? -1 : this.begunBytes + i - start, this.inString, recordSoFar);
        if (next !== undefined && start === -1) {
          // Cut in its tail: its records were whole, and the next document is open.
          [this.closed, this.depth, this.inString, this.escaped] = [false, 0, false, false];
          continue;
        }
        if (next !== undefined) {
          this.cut([Buffer.concat(record(i + 1)).subarray(next), bytes.subarray(i + 1)]);
          return;
        }
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (this.closed) {
        // The rest of the array's document, then nothing but space, or another document (above).
        if (b === QUOTE) this.inString = true;
        else if (OPENERS.has(b)) this.depth++;
        else if (CLOSERS.has(b)) this.depth--;
        continue;
      }
      if (b === QUOTE) this.inString = true;
      else if (OPENERS.has(b)) this.depth++;
      else if (CLOSERS.has(b) && this.depth > 0) {
        if (--this.depth > 0) continue;
        // An object or array item ends at its closing bracket.
        if (watch && watch.candidate >= 0 && !isJson(record(i + 1))) return this.cutAtCandidate(record(i + 1), bytes.subarray(i + 1));
        endItem(i + 1);
      } else if (this.depth === 0 && (b === COMMA || b === CLOSE_ARRAY)) {
        // Anything else (a number, a string, ...) ends before the `,` or `]` after it.
        if (watch && watch.candidate >= 0 && !isJson(record(i))) return this.cutAtCandidate(record(i + 1), bytes.subarray(i + 1));
        endItem(i);
        if (b === CLOSE_ARRAY) [this.closed, this.depth] = [true, array.shape === 'array' ? 0 : 1];
      }
    }
    if (start === -1) return;
    this.begun.push(bytes.subarray(start));
    this.begunBytes += bytes.length - start;
    if (this.begunBytes <= MAX_ITEM_BYTES) return;
    if (!watch || watch.candidate < 0) throw new InputError(`record ${this.first + this.items.length} is larger than ${MAX_ITEM_BYTES / 2 ** 20} MB`);
    this.cutAtCandidate(this.begun, Buffer.alloc(0));
  }

  /** A record that holds an opening and proved no JSON, or never ended, was cut there. */
  private cutAtCandidate(record: Buffer[], after: Buffer): void {
    this.cut([Buffer.concat(record).subarray(this.watch!.candidate), after]);
  }
}
