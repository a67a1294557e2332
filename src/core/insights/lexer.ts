import { displayText } from '../format/display-text';
import { InsightsQueryError } from './errors';

/**
 * Tokens of the Logs Insights query language (aws-api-reference B.8). The parser pulls tokens one at a
 * time because `/` means division after a value but starts a regular expression where a value is
 * expected (`parse @message /re/`, `like /re/`); only the parser knows which, so it asks for a regex
 * explicitly with `regexAt`.
 */
export type TokenKind = 'ident' | 'number' | 'duration' | 'string' | 'regex' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  /** ident: the name with backticks removed; string: the unescaped value; regex: the pattern; op: the operator. */
  value: string;
  /** ident: the dotted path segments (`a.`b.c`.d` is ['a', 'b.c', 'd']). */
  path?: string[];
  /** duration: amount and unit as written (`5m` is 5 and 'm'). */
  amount?: number;
  unit?: string;
  start: number;
  end: number;
}

const OPERATORS = ['!=', '<=', '>=', '=~', '|', ',', '(', ')', '[', ']', '+', '-', '*', '/', '^', '%', '=', '<', '>', ':'];
const IDENT_START = /[A-Za-z_@]/;
const IDENT_PART = /[A-Za-z0-9_@]/;
const DIGIT = /[0-9]/;

export class Lexer {
  private pos = 0;

  constructor(readonly text: string) {}

  /** The next token from `offset`, skipping whitespace and `#` comments. */
  tokenAt(offset: number): Token {
    this.pos = offset;
    this.skipTrivia();
    const start = this.pos;
    const text = this.text;
    if (start >= text.length) {
      // The end of the query is right after its last token, not past trailing blank lines or comments: an
      // error there ("expected a field but found the end of the query") points at what is missing.
      return { kind: 'eof', text: '', value: '', start: offset, end: offset };
    }
    const c = text[start];
    if (c === '"' || c === "'") return this.string(c);
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(text[start + 1] ?? ''))) return this.number();
    if (IDENT_START.test(c) || c === '`') return this.identifier();
    for (const op of OPERATORS) {
      if (text.startsWith(op, start)) return { kind: 'op', text: op, value: op, start, end: start + op.length };
    }
    // The whole code point: half an emoji is no character to underline or quote, and one the reader
    // cannot see is named by its code point, as the results view shows it.
    const char = String.fromCodePoint(text.codePointAt(start)!);
    throw this.error(`unexpected character '${displayText(char)}'`, start, start + char.length);
  }

  /** A `/…/` regular expression starting at `offset` (which must hold the opening slash). */
  regexAt(offset: number): Token {
    this.pos = offset;
    this.skipTrivia();
    const start = this.pos;
    let i = start + 1;
    let pattern = '';
    while (i < this.text.length && this.text[i] !== '/') {
      if (this.text[i] === '\n') break;
      // `\/` is an escaped slash inside the pattern; other escapes pass through to the regex engine.
      if (this.text[i] === '\\' && this.text[i + 1] === '/') {
        pattern += '/';
        i += 2;
        continue;
      }
      if (this.text[i] === '\\' && i + 1 < this.text.length) {
        pattern += this.text.slice(i, i + 2);
        i += 2;
        continue;
      }
      pattern += this.text[i++];
    }
    if (this.text[i] !== '/') throw this.error('unterminated regular expression: expected a closing /', start, i);
    return { kind: 'regex', text: this.text.slice(start, i + 1), value: pattern, start, end: i + 1 };
  }

  private skipTrivia(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.pos++;
      else if (c === '#') {
        while (this.pos < text.length && text[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  private string(quote: string): Token {
    const start = this.pos;
    let i = start + 1;
    let value = '';
    while (i < this.text.length && this.text[i] !== quote) {
      if (this.text[i] === '\\' && i + 1 < this.text.length) {
        const next = this.text[i + 1];
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next === quote || next === '\\' ? next : `\\${next}`;
        i += 2;
        continue;
      }
      value += this.text[i++];
    }
    if (i >= this.text.length) throw this.error(`unterminated string: expected a closing ${quote}`, start, i);
    return { kind: 'string', text: this.text.slice(start, i + 1), value, start, end: i + 1 };
  }

  private number(): Token {
    const start = this.pos;
    const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(start))!;
    let end = start + m[0].length;
    const unit = /^[A-Za-z]+/.exec(this.text.slice(end));
    if (unit) {
      // `5m`, `1h`, `100ms`: a period for bin(), datefloor() and dateceil().
      end += unit[0].length;
      return { kind: 'duration', text: this.text.slice(start, end), value: this.text.slice(start, end), amount: Number(m[0]), unit: unit[0], start, end };
    }
    return { kind: 'number', text: m[0], value: m[0], start, end };
  }

  private identifier(): Token {
    const start = this.pos;
    const text = this.text;
    const path: string[] = [];
    let i = start;
    for (;;) {
      let segment = '';
      // `@` directly followed by a backticked name: @`aws.tag.x` is one system-field segment.
      if (text[i] === '@' && text[i + 1] === '`') {
        segment = '@';
        i++;
      }
      if (text[i] === '`') {
        const close = text.indexOf('`', i + 1);
        if (close === -1) throw this.error('unterminated quoted name: expected a closing `', i, text.length);
        segment += text.slice(i + 1, close);
        i = close + 1;
      } else {
        while (i < text.length && IDENT_PART.test(text[i])) segment += text[i++];
      }
      if (segment === '') throw this.error('expected a name after "."', i, i + 1);
      path.push(segment);
      if (text[i] === '.' && i + 1 < text.length && (IDENT_PART.test(text[i + 1]) || text[i + 1] === '`')) {
        i++;
        continue;
      }
      break;
    }
    return { kind: 'ident', text: text.slice(start, i), value: path.join('.'), path, start, end: i };
  }

  private error(detail: string, start: number, end: number): InsightsQueryError {
    return new InsightsQueryError('syntax', detail, { startCharOffset: start, endCharOffset: Math.max(end, start + 1) }, this.text);
  }
}
