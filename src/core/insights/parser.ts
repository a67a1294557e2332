import type { BinaryOp, Command, Expr, Item, Query, SortKey, Span } from './ast';
import { InsightsQueryError } from './errors';
import { Lexer, type Token } from './lexer';

/** Commands this tool runs, in the order completion offers them. */
export const COMMANDS = ['fields', 'display', 'filter', 'stats', 'sort', 'limit', 'parse', 'dedup', 'unmask'] as const;

/**
 * Commands the service has that cannot run over local evidence. They parse (so the editor does not flag
 * a valid live query) and the compiler rejects them with their position. `where` is the service's alias
 * of filter and is handled as filter.
 */
/** A query that opens with SOURCE (after any comment lines) chooses its own log groups, in place of StartQuery's. */
export function choosesLogGroups(query: string): boolean {
  return /^\s*(?:#[^\n]*\n\s*)*source\s/i.test(query);
}

export const LIVE_ONLY_COMMANDS = [
  'pattern', 'diff', 'anomaly', 'filterindex', 'source', 'addtotals', 'unnest', 'lookup', 'join', 'autoregress',
  'logcompare', 'filldown', 'fillmissing', 'cidrlookup', 'outlier', 'accum', 'appendcols', 'sessionize',
  'countfrequent', 'relevantfields', 'expand', 'search', 'head', 'tail', 'order',
] as const;

const COMPARISONS = new Set(['=', '!=', '<', '>', '<=', '>=']);

/** The service refuses a longer query string (StartQuery's queryString). */
export const MAX_QUERY_LENGTH = 10_000;

/** parse's newer modes (`parse @message logfmt as lf`), which only the service runs. */
const PARSE_MODES = new Set(['logfmt', 'csv', 'json']);

/** The most log groups one StartQuery may name. */
export const MAX_LOG_GROUPS_PER_QUERY = 50;

/** Parses a query into its syntax tree, or throws an InsightsQueryError naming the position and what was expected. */
export function parseQuery(text: string): Query {
  const at = (start: number, end: number) => ({ startCharOffset: start, endCharOffset: end });
  if (text.length > MAX_QUERY_LENGTH) {
    throw new InsightsQueryError('syntax', `a query is at most ${MAX_QUERY_LENGTH.toLocaleString('en-US')} characters, as CloudWatch Logs Insights allows; this one has ${text.length.toLocaleString('en-US')}`, at(MAX_QUERY_LENGTH, text.length), text);
  }
  try {
    return new Parser(text).query();
  } catch (error) {
    // Thousands of nested parentheses exhaust the stack of a recursive parser; that is the query's fault.
    if (error instanceof RangeError) throw new InsightsQueryError('syntax', 'the query nests too deeply', at(0, text.length), text);
    throw error;
  }
}

/** Thrown inside an expression on a form only the service runs; `command` turns it into an unsupported command. */
class LiveOnlyForm extends Error {
  constructor(
    readonly form: string,
    readonly span: Span,
  ) {
    super(form);
  }
}

/** The token `read` gives, or undefined where the lexer finds a syntax error. */
function lenient(read: () => Token): Token | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof InsightsQueryError) return undefined;
    throw error;
  }
}

/** Keywords and operators after which a `/` opens a regex rather than dividing. */
const BEFORE_VALUE = new Set(['like', 'in', 'and', 'or', 'not', 'as', 'by']);

export function valueExpectedAfter(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'op') return previous.value !== ')' && previous.value !== ']';
  return previous.kind === 'ident' && BEFORE_VALUE.has(previous.value.toLowerCase());
}

class Parser {
  private readonly lexer: Lexer;
  private current: Token;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.current = this.lexer.tokenAt(0);
  }

  query(): Query {
    const commands: Command[] = [];
    if (this.current.kind === 'eof') throw this.expected('a command (fields, filter, stats, …)');
    for (;;) {
      commands.push(this.command());
      if (this.atEnd()) break;
      if (!this.isOp('|')) throw this.expected("'|' or the end of the query");
      this.advance();
    }
    return { text: this.text, commands };
  }

  private command(): Command {
    const start = this.current.start;
    try {
      return this.commandOrLiveOnly();
    } catch (error) {
      if (!(error instanceof LiveOnlyForm)) throw error;
      // Brackets the command opened before the form count: `in (SOURCE … | …)` after it stays whole.
      this.current = this.lexer.tokenAt(start);
      const parsing = this.isKeyword('parse');
      const depth = this.walk(0, () => this.current.start >= error.span.start);
      return { type: 'unsupported', form: error.form, formSpan: error.span, ...this.skipToNextCommand(start, depth, parsing) };
    }
  }

  private commandOrLiveOnly(): Command {
    const token = this.current;
    if (token.kind !== 'ident') throw this.expected('a command (fields, filter, stats, …)');
    const name = token.value.toLowerCase();
    const start = token.start;
    this.advance();
    switch (name) {
      case 'fields':
      case 'display':
        return { type: name, items: this.items(), ...this.spanFrom(start) };
      case 'filter':
      case 'where':
        return { type: 'filter', condition: this.expr(), ...this.spanFrom(start) };
      case 'stats':
        return this.stats(start);
      case 'sort':
        return this.sort(start);
      case 'limit':
        return this.limit(start);
      case 'parse':
        return this.parse(start);
      case 'dedup': {
        const fields = [this.fieldRef()];
        while (this.isOp(',')) {
          this.advance();
          fields.push(this.fieldRef());
        }
        return { type: 'dedup', fields, ...this.spanFrom(start) };
      }
      case 'unmask':
        return { type: 'unmask', ...this.spanFrom(start) };
      default:
        if ((LIVE_ONLY_COMMANDS as readonly string[]).includes(name)) return this.skipLiveOnly(token);
        throw new InsightsQueryError(
          'syntax',
          `unknown command '${token.text}': expected one of ${[...COMMANDS, 'pattern', 'diff', 'SOURCE'].join(', ')}`,
          { startCharOffset: token.start, endCharOffset: token.end },
          this.text,
        );
    }
  }

  private skipLiveOnly(nameToken: Token): Command {
    const formSpan = { start: nameToken.start, end: nameToken.end };
    return { type: 'unsupported', form: `'${nameToken.text}'`, formSpan, ...this.skipToNextCommand(nameToken.start) };
  }

  /**
   * Skips the rest of a command the service reads and this engine does not, up to the `|` of the next
   * command, so that the commands after it are still checked; `depth` counts the brackets the command
   * opened before, `patternAhead` that it is a `parse` whose pattern is still to come. A character this
   * lexer does not know (`users[1].action` is fine, `~` is not) is the service's to judge; an unterminated
   * string is not.
   */
  private skipToNextCommand(start: number, depth = 0, patternAhead = false): Span {
    this.walk(depth, (open) => open <= 0 && this.isOp('|'), patternAhead);
    return this.spanFrom(start);
  }

  /**
   * Steps over tokens from the current one until `stop`, counting open brackets from `depth`, and returns
   * the count. A `/` where a value belongs starts a regex, which may hold a `|`; so does the first `/`
   * outside brackets when a `parse` pattern is ahead (it follows the source, `parse j.items[0] /re/`).
   */
  private walk(depth: number, stop: (depth: number) => boolean, patternAhead = false): number {
    let previous: Token | undefined;
    while (this.current.kind !== 'eof' && !stop(depth)) {
      if (this.isOp('(') || this.isOp('[')) depth++;
      if (this.isOp(')') || this.isOp(']')) depth--;
      if (this.isOp('/') && (valueExpectedAfter(previous) || (patternAhead && depth === 0))) {
        this.current = lenient(() => this.lexer.regexAt(this.current.start)) ?? this.current;
        if (this.current.kind === 'regex') patternAhead = false;
      }
      previous = this.current;
      this.previousEnd = this.current.end;
      this.current = this.tokenSkippingUnknown(this.current.end);
    }
    return depth;
  }

  /** The next token from `from`, past characters the lexer refuses; an unterminated string or name stands. */
  private tokenSkippingUnknown(from: number): Token {
    for (;;) {
      try {
        return this.lexer.tokenAt(from);
      } catch (error) {
        if (!(error instanceof InsightsQueryError)) throw error;
        const { startCharOffset, endCharOffset } = error.location;
        if (endCharOffset >= this.text.length && '"\'`'.includes(this.text[startCharOffset] ?? '')) throw error;
        from = endCharOffset;
      }
    }
  }

  private stats(start: number): Command {
    const items = this.items();
    let by: Item[] = [];
    if (this.isKeyword('by')) {
      this.advance();
      by = this.items();
    }
    return { type: 'stats', items, by, ...this.spanFrom(start) };
  }

  private sort(start: number): Command {
    // `sort by x desc` appears in AWS's console samples.
    if (this.isKeyword('by')) this.advance();
    const keys: SortKey[] = [];
    do {
      if (keys.length > 0) this.advance();
      const expr = this.expr();
      let descending = false;
      let end = expr.end;
      if (this.isKeyword('asc') || this.isKeyword('desc')) {
        descending = this.current.value.toLowerCase() === 'desc';
        end = this.current.end;
        this.advance();
      }
      keys.push({ expr, text: this.source(expr), descending, start: expr.start, end });
    } while (this.isOp(','));
    return { type: 'sort', keys, ...this.spanFrom(start) };
  }

  private limit(start: number): Command {
    let any = false;
    if (this.isKeyword('any')) {
      any = true;
      this.advance();
    }
    const token = this.current;
    if (token.kind !== 'number' || !/^[0-9]+$/.test(token.text)) throw this.expected('a whole number of rows');
    const count = Number(token.text);
    if (count < 1 || count > 100_000) {
      throw new InsightsQueryError('syntax', 'limit must be between 1 and 100000', { startCharOffset: token.start, endCharOffset: token.end }, this.text);
    }
    this.advance();
    return { type: 'limit', count, any, ...this.spanFrom(start) };
  }

  private parse(start: number): Command {
    let source: Expr | undefined;
    // The source is a single term: `parse @message /re/` must not read the regex as a division.
    if (!(this.current.kind === 'string' || this.isOp('/'))) source = this.primary();
    if (this.isOp('/')) this.current = this.lexer.regexAt(this.current.start);
    // `parse @message logfmt as lf`, `… csv as a, b`: newer modes, valid live.
    if (source && this.current.kind === 'ident' && PARSE_MODES.has(this.current.value.toLowerCase())) {
      return { type: 'unsupported', form: `'parse … ${this.current.text}'`, formSpan: { start: this.current.start, end: this.current.end }, ...this.skipToNextCommand(start) };
    }
    const token = this.current;
    if (token.kind !== 'string' && token.kind !== 'regex') throw this.expected('a "glob" pattern or a /regular expression/');
    this.advance();
    const pattern: Expr =
      token.kind === 'string'
        ? { type: 'string', value: token.value, start: token.start, end: token.end }
        : { type: 'regex', pattern: token.value, start: token.start, end: token.end };
    const aliases: string[] = [];
    if (this.isKeyword('as')) {
      do {
        this.advance();
        aliases.push(this.name('a field name'));
      } while (this.isOp(','));
    }
    // `parse … /re/ multi` and other newer modes run live only.
    if (this.current.kind === 'ident') {
      return { type: 'unsupported', form: `'parse … ${this.current.text}'`, formSpan: { start: this.current.start, end: this.current.end }, ...this.skipToNextCommand(start) };
    }
    return { type: 'parse', source, pattern, aliases, ...this.spanFrom(start) };
  }

  /** A form the service runs and this engine cannot: a warning in the editor, an error offline. */
  private liveOnly(form: string): LiveOnlyForm {
    return new LiveOnlyForm(form, { start: this.current.start, end: this.current.end });
  }

  private items(): Item[] {
    const items = [this.item()];
    while (this.isOp(',')) {
      this.advance();
      items.push(this.item());
    }
    return items;
  }

  private item(): Item {
    const expr = this.expr();
    let alias: string | undefined;
    let end = expr.end;
    if (this.isKeyword('as')) {
      this.advance();
      end = this.current.end;
      alias = this.name('an alias name');
    }
    return { expr, alias, text: this.source(expr), start: expr.start, end };
  }

  private fieldRef(): Expr {
    const token = this.current;
    if (token.kind !== 'ident') throw this.expected('a field name');
    this.advance();
    return { type: 'field', name: token.value, path: token.path!, start: token.start, end: token.end };
  }

  private name(what: string): string {
    if (this.current.kind !== 'ident') throw this.expected(what);
    const value = this.current.value;
    this.advance();
    return value;
  }

  // Expressions, loosest first: or, and, not, comparison / like / in, + -, * / %, ^, unary minus, primary.
  private expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isKeyword('or')) {
      this.advance();
      const right = this.and();
      left = { type: 'binary', op: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKeyword('and')) {
      this.advance();
      const right = this.not();
      left = { type: 'binary', op: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(): Expr {
    if (this.isKeyword('not')) {
      const start = this.current.start;
      this.advance();
      const operand = this.not();
      return { type: 'unary', op: 'not', operand, start, end: operand.end };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    if (this.current.kind === 'op' && COMPARISONS.has(this.current.value)) {
      const op = this.current.value as BinaryOp;
      this.advance();
      const right = this.additive();
      return { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    let negated = false;
    if (this.isKeyword('not')) {
      negated = true;
      this.advance();
      if (!this.isKeyword('like') && !this.isKeyword('in')) throw this.expected("'like' or 'in' after 'not'");
    }
    if (this.isKeyword('like') || this.isOp('=~')) {
      const op = this.isOp('=~') ? '=~' : 'like';
      this.advance();
      const pattern = this.additive();
      if (pattern.type !== 'string' && pattern.type !== 'regex') {
        throw new InsightsQueryError('syntax', `expected a "string" or /regex/ after ${op}`, { startCharOffset: pattern.start, endCharOffset: pattern.end }, this.text);
      }
      return { type: 'like', negated, op, value: left, pattern, start: left.start, end: pattern.end };
    }
    if (this.isKeyword('in')) {
      this.advance();
      if (this.isOp('(')) throw this.liveOnly("a subquery after 'in'");
      if (!this.isOp('[')) throw this.expected("a list such as [\"a\", \"b\"] after 'in'");
      const list = this.primary();
      return { type: 'in', negated, value: left, list, start: left.start, end: list.end };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.current.value as BinaryOp;
      this.advance();
      const right = this.multiplicative();
      left = { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.power();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.current.value as BinaryOp;
      this.advance();
      const right = this.power();
      left = { type: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private power(): Expr {
    const left = this.unary();
    if (this.isOp('^')) {
      this.advance();
      const right = this.power();
      return { type: 'binary', op: '^', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const start = this.current.start;
      this.advance();
      const operand = this.unary();
      if (operand.type === 'number') return { ...operand, value: -operand.value, start };
      return { type: 'unary', op: '-', operand, start, end: operand.end };
    }
    return this.primary();
  }

  private primary(): Expr {
    if (this.isOp('/')) this.current = this.lexer.regexAt(this.current.start);
    const token = this.current;
    switch (token.kind) {
      case 'number':
        this.advance();
        return { type: 'number', value: Number(token.text), start: token.start, end: token.end };
      case 'string':
        this.advance();
        return { type: 'string', value: token.value, start: token.start, end: token.end };
      case 'regex':
        this.advance();
        return { type: 'regex', pattern: token.value, start: token.start, end: token.end };
      case 'duration':
        this.advance();
        return { type: 'duration', amount: token.amount!, unit: token.unit!, start: token.start, end: token.end };
      case 'ident':
        return this.identOrCall(token);
      case 'op':
        if (token.value === '(') {
          this.advance();
          const inner = this.expr();
          this.expectOp(')');
          return { ...inner, start: token.start, end: this.previousEnd };
        }
        if (token.value === '[') return this.list(token);
        break;
      default:
        break;
    }
    throw this.expected('a field, a value or a function call');
  }

  private identOrCall(token: Token): Expr {
    // The token's text, not its value: a keyword in backticks (`` `desc` ``) is a field name.
    if (isReserved(token.text)) throw this.expected('a field, a value or a function call');
    this.advance();
    // `jsonParse(@message) as j | filter j.users[1].action = …`: a map's list, which only the service models.
    // Only right after the name: `status [200]` is a slip for `in [200]`, an error to show as one.
    if (this.isOp('[') && this.current.start === token.end) throw this.liveOnly('indexing a list with [ ]');
    if (!this.isOp('(')) return { type: 'field', name: token.value, path: token.path!, start: token.start, end: token.end };
    this.advance();
    const args: Expr[] = [];
    if (this.isOp('*')) {
      args.push({ type: 'star', start: this.current.start, end: this.current.end });
      this.advance();
    } else if (!this.isOp(')')) {
      args.push(this.expr());
      while (this.isOp(',')) {
        this.advance();
        args.push(this.expr());
      }
    }
    this.expectOp(')');
    return { type: 'call', name: token.value, args, nameSpan: { start: token.start, end: token.end }, start: token.start, end: this.previousEnd };
  }

  private list(open: Token): Expr {
    this.advance();
    const items: Expr[] = [];
    if (!this.isOp(']')) {
      items.push(this.expr());
      while (this.isOp(',')) {
        this.advance();
        items.push(this.expr());
      }
    }
    this.expectOp(']');
    return { type: 'list', items, start: open.start, end: this.previousEnd };
  }

  // Token plumbing.
  private previousEnd = 0;

  private atEnd(): boolean {
    return this.current.kind === 'eof';
  }

  private advance(): void {
    this.previousEnd = this.current.end;
    this.current = this.lexer.tokenAt(this.current.end);
  }

  private isOp(op: string): boolean {
    return this.current.kind === 'op' && this.current.value === op;
  }

  private isKeyword(word: string): boolean {
    return this.current.kind === 'ident' && this.current.text.toLowerCase() === word;
  }

  private expectOp(op: string): void {
    if (!this.isOp(op)) throw this.expected(`'${op}'`);
    this.advance();
  }

  private spanFrom(start: number): Span {
    return { start, end: this.previousEnd };
  }

  private source(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  private expected(what: string): InsightsQueryError {
    const t = this.current;
    const found = t.kind === 'eof' ? 'the end of the query' : `'${t.text}'`;
    const end = t.kind === 'eof' ? t.start : t.end;
    return new InsightsQueryError('syntax', `expected ${what} but found ${found}`, { startCharOffset: t.start, endCharOffset: end }, this.text);
  }
}

/** Words that cannot start an expression (so `fields as` or `filter and` fail where they are). */
function isReserved(word: string): boolean {
  return ['and', 'or', 'as', 'by', 'in', 'like', 'asc', 'desc'].includes(word.toLowerCase());
}
