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
  // The character is quoted as JSON, so a control character in a hostile file is shown, not sent.
  const problem = offset >= text.length ? 'unexpected end of the text' : `unexpected ${JSON.stringify(text[offset])}`;
  return { ...lineAndColumn(text, offset), problem };
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Thrown by the scan with the offset where the text stops being JSON. */
class Invalid {
  constructor(readonly at: number) {}
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
  // Depth is tracked on an explicit stack: a hostile document may nest deeper than the call stack.
  const value = (): void => {
    const closers: string[] = [];
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
        const close = closers.at(-1);
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
