/**
 * Where a JSON text stops being JSON. V8's JSON.parse names the offset for some errors ("in JSON at
 * position 7") and not for others ("Unexpected token 'o', ... is not valid JSON"), so a file a person must
 * mend would often be named without a place. Called only after JSON.parse has refused a text, this scan
 * (RFC 8259, the grammar JSON.parse takes) finds the offset of the first character that cannot be there.
 */

/** `line L, column C` (both from 1) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The syntax error of a text JSON.parse refused: where it is and what was found there. */
export function jsonSyntaxError(text: string): { line: number; column: number; problem: string } {
  const offset = firstInvalidOffset(text);
  return { ...lineAndColumn(text, offset), problem: offset >= text.length ? 'unexpected end of the text' : `unexpected ${shown(text, offset)}` };
}

/** A printable ASCII character in quotes, any other by its code point: a hostile file's invisible or control characters are named, not sent. */
function shown(text: string, offset: number): string {
  const c = text[offset];
  return c >= '!' && c <= '~' ? `'${c}'` : `U+${text.codePointAt(offset)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Thrown by the scan with the offset where the text stops being JSON. */
class Invalid {
  constructor(readonly at: number) {}
}

/**
 * The closers of the open arrays and objects, a bit each: a hostile text may open a hundred million, more
 * than a JS array can hold (V8 then aborts the process) and far more than the call stack.
 */
class Closers {
  private bits = new Uint8Array(64);
  private depth = 0;

  push(close: '}' | ']'): void {
    if (this.depth >> 3 === this.bits.length) {
      const grown = new Uint8Array(this.bits.length * 2);
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (this.depth & 7);
    if (close === ']') this.bits[this.depth >> 3] |= mask;
    else this.bits[this.depth >> 3] &= ~mask;
    this.depth++;
  }

  top(): '}' | ']' | undefined {
    if (this.depth === 0) return undefined;
    const at = this.depth - 1;
    return this.bits[at >> 3] & (1 << (at & 7)) ? ']' : '}';
  }

  pop(): void {
    this.depth--;
  }
}

function firstInvalidOffset(text: string): number {
  let at = 0;
  const skipSpace = (): void => {
    while (WHITESPACE.has(text[at])) at++;
  };
  const expect = (char: string): void => {
    if (text[at] !== char) throw new Invalid(at);
    at++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      const c = text[at];
      if (c === undefined || c < ' ') throw new Invalid(at);
      if (c === '"') return void at++;
      if (c === '\\') {
        const escape = text[at + 1];
        if (escape === 'u') {
          if (!HEX.test(text.slice(at + 2, at + 6))) throw new Invalid(at + 2);
          at += 6;
        } else if (ESCAPES.has(escape)) at += 2;
        else throw new Invalid(at + 1);
      } else at++;
    }
  };
  const value = (): void => {
    const closers = new Closers();
    for (;;) {
      skipSpace();
      const c = text[at];
      if (c === '{' || c === '[') {
        at++;
        skipSpace();
        const close = c === '{' ? '}' : ']';
        if (text[at] === close) at++;
        else {
          closers.push(close);
          if (close === '}') member();
          continue;
        }
      } else if (c === '"') string();
      else if (text.startsWith('true', at)) at += 4;
      else if (text.startsWith('false', at)) at += 5;
      else if (text.startsWith('null', at)) at += 4;
      else {
        NUMBER.lastIndex = at;
        if (!NUMBER.test(text) || NUMBER.lastIndex === at) throw new Invalid(at);
        at = NUMBER.lastIndex;
      }
      // After a value: close what it ends, or go on to the next element or member.
      for (;;) {
        skipSpace();
        const close = closers.top();
        if (close === undefined) return;
        if (text[at] === close) {
          at++;
          closers.pop();
          continue;
        }
        expect(',');
        if (close === '}') {
          skipSpace();
          member();
        }
        break;
      }
    }
  };
  /** A member's name and colon; its value follows. */
  const member = (): void => {
    string();
    skipSpace();
    expect(':');
  };
  try {
    value();
    skipSpace();
    if (at < text.length) throw new Invalid(at);
  } catch (error) {
    if (error instanceof Invalid) return error.at;
    throw error;
  }
  // JSON.parse refused a text this scan accepts (a lone surrogate is fine for both): point past its end.
  return text.length;
}
