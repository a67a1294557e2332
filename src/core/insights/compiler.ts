import type { Command, Expr, Item, Query, Span } from './ast';
import { InsightsQueryError, type QueryErrorKind, type QueryLocation } from './errors';
import { sourceField, tableTimestamp, type SourceTable } from './fields';
import { findFunction, sqlTypeName, type CallContext } from './functions';
import { periodUnit, type Period } from './periods';
import { globToRegex, toRe2, type CaptureGroups } from './regex';
import { asCondition, asNumber, asText, asTimestamp, ident, isNumeric, NULL_VALUE, quote, type SqlType, type Value } from './sql';

/**
 * Compiles a parsed query to one DuckDB statement over the evidence tables, so the database does the
 * work (no row-by-row evaluation in JavaScript). The query becomes a chain of CTEs, one per command,
 * over a `base` relation: the UNION ALL of the tables that hold the requested log groups, each
 * projecting only the fields the query names under one column per field.
 *
 * Result semantics (aws-api-reference B.12), decided here:
 * - columns are named by their alias, else by the expression's source text (`count(*)`, `bin(5m)`);
 * - a query without fields/display/stats returns @timestamp and @message; event (non-stats) rows also
 *   carry @ptr, as the service's do;
 * - without sort, event rows come newest first (@timestamp desc); stats rows come ordered by their
 *   group keys ascending (the service leaves that order unspecified; a stable one is easier to read);
 * - sort uses the service's natural order for text (all-digit values after the others, by value; digit
 *   runs compared as numbers); NULLs sort last in both directions;
 * - at most `defaultLimit` rows (10,000) unless the query says `limit`;
 * - a comparison, like or in with a missing field is false (SQL NULL, taken as false by `not`, so
 *   `not (x = "a")` keeps the events without x while `x != "a"` drops them); group keys may be missing and
 *   then form their own group; bin() only produces buckets that hold events.
 */
export interface CompileOptions {
  tables: SourceTable[];
  /** Empty: every log group of the tables. */
  logGroups: string[];
  /**
   * A condition a table's rows must also meet (SQL over its columns): an evidence store leaves out, of a
   * query over every group, the log events it also holds as CloudTrail events.
   */
  rowsOf?: Partial<Record<SourceTable, string>>;
  /** Inclusive bounds in epoch ms; absent means unbounded. */
  startMs?: number;
  endMs?: number;
  nowMs: number;
  defaultLimit: number;
  /**
   * Given (the editor's diagnostics), a command or function only the service runs is reported here and
   * compiling goes on as if it gave nothing, so the errors after it are still found; else it fails.
   */
  liveOnly?: (error: InsightsQueryError) => void;
}

export interface CompiledQuery {
  /** Selects one VARCHAR column per output field, c0…cN, in `columns` order. */
  sql: string;
  columns: string[];
  /** Selects `scanned` and `bytes` (records of the log groups in the time range and their size). */
  scannedSql: string;
  /** Selects `matched`; absent when every scanned record matches (no filter before stats/limit/dedup). */
  matchedSql?: string;
  aggregated: boolean;
  /**
   * Fields the query reads that no table it reads can hold (a flow log has a fixed set of fields): a
   * misspelled name (`dstaddr` for `dstAddr`) answers nothing, silently, here and live alike.
   */
  absentFields: string[];
  /** The /regex/ literals in RE2 syntax, so the runner can name the one the database rejects. */
  regexes: Array<{ re2: string; location: QueryLocation }>;
}

interface Column {
  col: string;
  type: SqlType;
}

interface BaseField extends Column {
  name: string;
  /** Every way the query wrote the name (`k8s.pod`, `` `k8s.pod` ``): each may reach a JSON key. */
  spellings: string[][];
}

interface OrderKey {
  value: Value;
  descending: boolean;
}

interface ExprContext {
  aggAllowed: boolean;
  /** Aliases defined earlier in the same stats command (`… as a, a - b as c`). */
  aliases?: Map<string, Value>;
}

interface Output {
  name: string;
  expr?: Expr;
}

const ROW: ExprContext = { aggAllowed: false };

export function compileQuery(query: Query, options: CompileOptions): CompiledQuery {
  return new Compiler(query, options).compile();
}

class Compiler {
  private readonly base = new Map<string, BaseField>();
  private readonly ctes: string[] = [];
  private current = 'base';
  private env = new Map<string, Column>();
  private counter = 0;
  private aggregated = false;
  private statsCount = 0;
  private statsKeys: Value[] = [];
  private order?: OrderKey[];
  private projection?: Output[];
  private display?: Output[];
  private matchedStage?: string;
  private finalLimit?: number;
  private dedupAt?: Span;
  /** A sort or limit after the first stats: the service allows them only after the second. */
  private orderedAfterStats?: Extract<Command, { type: 'sort' | 'limit' }>;
  private readonly regexes: CompiledQuery['regexes'] = [];
  private readonly absent: string[] = [];
  /** A command only the service runs was gone past, so which fields exist after it is not known. */
  private skippedCommand = false;

  constructor(
    private readonly query: Query,
    private readonly options: CompileOptions,
  ) {}

  compile(): CompiledQuery {
    this.field('@timestamp', ['@timestamp']);
    const commands = this.query.commands;
    commands.forEach((command, i) => this.command(command, i === commands.length - 1));

    const outputs = this.display ?? this.projection ?? (this.aggregated ? [] : [{ name: '@timestamp' }, { name: '@message' }]);
    const unique = outputs.filter((o, i) => outputs.findIndex((p) => p.name === o.name) === i);
    if (!this.aggregated && !unique.some((o) => o.name === '@ptr')) unique.push({ name: '@ptr' });
    const values = unique.map((o) => this.outputValue(o));
    const matched = this.matchedStage ?? this.current;
    const order = this.orderSql(this.order ?? this.defaultOrder());
    const limit = this.finalLimit ?? this.options.defaultLimit;
    const select = values.map((v, i) => `${asText(v).sql} AS c${i}`).join(', ');
    const sql = `${this.withClause()} SELECT ${select} FROM ${this.current} ORDER BY ${order} LIMIT ${limit}`;
    // Separate statements: in one, DuckDB would materialize `base` (read twice) with every column.
    const message = this.baseField('@message', ['@message']);
    const scannedSql = `SELECT count(*) AS scanned, coalesce(sum(strlen(${message.col})), 0) AS bytes FROM (${this.baseSql([message])})`;
    const matchedSql = matched === 'base' ? undefined : `${this.withClause()} SELECT count(*) AS matched FROM ${matched}`;
    return { sql, columns: unique.map((o) => o.name), scannedSql, matchedSql, aggregated: this.aggregated, absentFields: this.absent, regexes: this.regexes };
  }

  // Commands.

  private command(command: Command, last: boolean): void {
    if (this.dedupAt && command.type !== 'limit') this.fail('semantic', 'only limit may follow dedup', command);
    if (this.aggregated && (command.type === 'sort' || command.type === 'limit')) this.orderedAfterStats ??= command;
    switch (command.type) {
      case 'filter': {
        const v = this.expr(command.condition, ROW);
        this.stage(`SELECT * FROM ${this.current} WHERE ${asCondition(v).sql}`);
        break;
      }
      case 'fields':
        this.projection = [...(this.projection ?? []), ...this.items(command.items)];
        break;
      case 'display':
        this.display = this.items(command.items);
        break;
      case 'stats':
        this.stats(command);
        break;
      case 'sort':
        for (const k of command.keys) if (k.expr.type === 'string' || k.expr.type === 'number') this.fail('semantic', 'sort takes a field or an expression of fields, not a constant', k.expr);
        this.order = command.keys.map((k) => ({ value: this.statsColumn(k.text) ?? this.expr(k.expr, ROW), descending: k.descending }));
        break;
      case 'limit':
        this.matchedStage ??= this.current;
        if (last) this.finalLimit = command.count;
        else this.stage(`SELECT * FROM ${this.current} ORDER BY ${this.orderSql(this.order ?? this.defaultOrder())} LIMIT ${command.count}`);
        break;
      case 'parse':
        this.parse(command);
        break;
      case 'dedup':
        this.dedup(command);
        break;
      case 'unmask':
        // Masking is a service feature; evidence holds the text as ingested, so there is nothing to unmask.
        break;
      case 'unsupported':
        this.unsupported(`${command.form} is not supported offline; run the query live against CloudWatch Logs`, command.formSpan);
        // Gone past (liveOnly): the fields it gives (`pattern`'s @ratio, ...) are unknown here.
        this.skippedCommand = true;
    }
  }

  /** fields/display items: plain field names are projected as they are, expressions get a column. */
  private items(items: Item[]): Output[] {
    return items.map((item) => {
      if (item.expr.type === 'field' && !item.alias) {
        this.producedField(item.expr);
        return { name: item.expr.name, expr: item.expr };
      }
      const v = this.expr(item.expr, ROW);
      if (v.agg) this.fail('semantic', 'aggregations are only allowed in stats', item);
      const name = item.alias ?? item.text;
      this.addColumn(name, v);
      return { name };
    });
  }

  private stats(command: Extract<Command, { type: 'stats' }>): void {
    if (++this.statsCount > 2) this.fail('semantic', 'a query can have at most two stats commands', command);
    if (this.orderedAfterStats) this.fail('semantic', `${this.orderedAfterStats.type} must come after the second stats, not between the two`, this.orderedAfterStats);
    this.matchedStage ??= this.current;
    const by = command.by.map((item) => ({ name: item.alias ?? item.text, value: this.expr(item.expr, ROW), item }));
    for (const b of by) if (b.value.agg) this.fail('semantic', 'stats … by takes fields and expressions, not aggregations', b.item);
    const aliases = new Map<string, Value>();
    const aggs = command.items.map((item) => {
      const value = this.expr(item.expr, { aggAllowed: true, aliases });
      if (!value.agg) this.fail('semantic', 'expected an aggregation such as count(*), sum(field) or avg(field)', item);
      const name = item.alias ?? item.text;
      aliases.set(name, value);
      return { name, value };
    });
    const select = [
      ...by.map((b, i) => `${b.value.sql} AS g${i}`),
      ...aggs.map((a, i) => `${a.value.sql} AS a${i}`),
    ].join(', ');
    const groupBy = by.length > 0 ? ` GROUP BY ${by.map((_, i) => i + 1).join(', ')}` : '';
    this.stage(`SELECT ${select} FROM ${this.current}${groupBy}`);

    this.env = new Map();
    by.forEach((b, i) => this.env.set(b.name, { col: `g${i}`, type: b.value.type }));
    aggs.forEach((a, i) => this.env.set(a.name, { col: `a${i}`, type: a.value.type }));
    this.statsKeys = by.map((b, i) => ({ sql: `g${i}`, type: b.value.type }));
    this.aggregated = true;
    this.order = undefined;
    this.display = undefined;
    this.projection = [...by, ...aggs].map((o) => ({ name: o.name }));
  }

  private parse(command: Extract<Command, { type: 'parse' }>): void {
    const source = asText(command.source ? this.expr(command.source, ROW) : this.field('@message', ['@message'])).sql;
    let re2: string;
    let groups: Array<{ name: string; index: number }>;
    if (command.pattern.type === 'string') {
      const glob = globToRegex(command.pattern.value);
      if (glob.stars === 0) this.fail('semantic', 'a parse pattern needs at least one * to capture', command.pattern);
      if (command.aliases.length !== glob.stars) {
        this.fail('semantic', `the pattern has ${glob.stars} * but ${command.aliases.length} names follow 'as'`, command.pattern);
      }
      re2 = glob.re2;
      groups = command.aliases.map((name, i) => ({ name, index: i + 1 }));
    } else if (command.pattern.type === 'regex') {
      const converted = this.regex(command.pattern);
      if (converted.named.length === 0) this.fail('semantic', 'the regular expression needs named groups such as (?<name>…)', command.pattern);
      if (command.aliases.length > 0) this.fail('semantic', "a regular expression names its fields with (?<name>…), not with 'as'", command.pattern);
      re2 = converted.re2;
      groups = converted.named;
    } else {
      throw new Error('parse pattern is a string or a regex');
    }
    // One match per event into a struct of every group up to the last named one (regexp_extract's group
    // index stops at 9; a name list has no limit and counts unnamed groups by position). Events that do
    // not match are kept, without the new fields.
    const re = quote(re2);
    const names = Array.from({ length: Math.max(...groups.map((g) => g.index)) }, (_, i) => quote(`g${i + 1}`));
    const captures = `x${this.counter++}`;
    this.stage(`SELECT *, CASE WHEN regexp_matches(${source}, ${re}) THEN regexp_extract(${source}, ${re}, [${names.join(', ')}]) END AS ${captures} FROM ${this.current}`);
    for (const g of groups) this.addColumn(g.name, { sql: `struct_extract(${captures}, 'g${g.index}')`, type: 'str' });
  }

  private dedup(command: Extract<Command, { type: 'dedup' }>): void {
    const values = command.fields.map((f) => this.expr(f, ROW));
    const partition = values.map((v) => v.sql).join(', ');
    // Rows with a missing value in any of the fields are all kept, as the service documents.
    const keepMissing = values.map((v) => `${v.sql} IS NULL`).join(' OR ');
    const order = this.orderSql(this.order ?? this.defaultOrder());
    this.stage(`SELECT * FROM ${this.current} QUALIFY row_number() OVER (PARTITION BY ${partition} ORDER BY ${order}) = 1 OR ${keepMissing}`);
    this.dedupAt = command;
  }

  // Expressions.

  private expr(e: Expr, ctx: ExprContext): Value {
    switch (e.type) {
      case 'field': {
        const alias = ctx.aliases?.get(e.name);
        if (alias) return alias;
        // In a stats item, a field outside any aggregation has no one value per group.
        if (ctx.aggAllowed) this.fail('semantic', `${e.name} is not an aggregation: use it inside one, such as sum(${e.name}) or latest(${e.name})`, e);
        return this.producedField(e);
      }
      case 'number':
        if (!Number.isFinite(e.value)) return this.fail('semantic', 'this number is too large (beyond a 64-bit float)', e);
        return Number.isInteger(e.value) && Math.abs(e.value) < 2 ** 53 ? { sql: `${e.value}`, type: 'int' } : { sql: `CAST(${e.value} AS DOUBLE)`, type: 'float' };
      case 'string':
        return { sql: quote(e.value), type: 'str' };
      case 'regex':
        return this.fail('semantic', 'a /regular expression/ is only allowed after like or =~, in parse and in regex functions', e);
      case 'duration':
        return this.fail('semantic', 'a period such as 5m is only allowed in bin(), datefloor() and dateceil()', e);
      case 'list':
        return this.fail('semantic', "a list is only allowed after 'in'", e);
      case 'star':
        return this.fail('semantic', '* is only allowed in count(*)', e);
      case 'call':
        return this.call(e, ctx);
      case 'unary': {
        const v = this.expr(e.operand, ctx);
        // A comparison with a missing field is false, so `not` of it is true (SQL's NOT NULL would drop the event).
        if (e.op === 'not') return { sql: `(NOT coalesce(${asCondition(v).sql}, false))`, type: 'bool', agg: v.agg };
        const n = asNumber(v);
        return { sql: `(-${n.sql})`, type: n.type, agg: v.agg };
      }
      case 'binary':
        return this.binary(e, ctx);
      case 'in':
        return this.inList(e, ctx);
      case 'like': {
        const v = this.expr(e.value, ctx);
        const text = asText(v).sql;
        const test =
          e.pattern.type === 'regex'
            ? `regexp_matches(${text}, ${quote(this.regex(e.pattern).re2)})`
            : // A quoted pattern is a case-sensitive substring, as the service documents for like.
              `contains(${text}, ${quote(e.pattern.type === 'string' ? e.pattern.value : '')})`;
        return { sql: e.negated ? `(NOT ${test})` : test, type: 'bool', agg: v.agg };
      }
    }
  }

  private binary(e: Extract<Expr, { type: 'binary' }>, ctx: ExprContext): Value {
    const l = this.expr(e.left, ctx);
    const r = this.expr(e.right, ctx);
    const agg = l.agg || r.agg;
    switch (e.op) {
      case 'and':
      case 'or':
        return { sql: `(${asCondition(l).sql} ${e.op.toUpperCase()} ${asCondition(r).sql})`, type: 'bool', agg };
      case '+':
      case '-':
      case '*':
      case '%': {
        const a = asNumber(l);
        const b = asNumber(r);
        const type = a.type === 'int' && b.type === 'int' ? 'int' : 'float';
        const rhs = e.op === '%' ? `NULLIF(${b.sql}, 0)` : b.sql;
        // Integer arithmetic in 128 bits: `now() * 1000` must not overflow DuckDB's 32-bit literals, nor
        // `bytes * bytes` of a large flow 64 bits (a failed query where the service answers).
        const lhs = type === 'int' ? `CAST(${a.sql} AS HUGEINT)` : a.sql;
        return { sql: `(${lhs} ${e.op} ${rhs})`, type, agg };
      }
      case '/':
        return { sql: `(${asNumber(l).sql} / NULLIF(${asNumber(r).sql}, 0))`, type: 'float', agg };
      case '^':
        return { sql: `pow(${asNumber(l).sql}, ${asNumber(r).sql})`, type: 'float', agg };
      default: {
        const op = e.op === '!=' ? '<>' : e.op;
        if (op !== '=' && op !== '<>' && l.type === 'str' && r.type === 'str') return { sql: orderedTexts(l.sql, op, r.sql), type: 'bool', agg };
        const [a, b] = comparable(l, r);
        return { sql: `(${a} ${op} ${b})`, type: 'bool', agg };
      }
    }
  }

  private inList(e: Extract<Expr, { type: 'in' }>, ctx: ExprContext): Value {
    const v = this.expr(e.value, ctx);
    if (e.list.type !== 'list') return this.fail('semantic', "expected a list after 'in'", e.list);
    // Whole-value match on the text of the value, as the service documents for in / not in.
    const items = e.list.items.map((item) => (item.type === 'number' ? quote(String(item.value)) : asText(this.expr(item, ROW)).sql));
    if (items.length === 0) return { sql: e.negated ? `(${asText(v).sql} IS NOT NULL)` : 'false', type: 'bool', agg: v.agg };
    return { sql: `(${asText(v).sql} ${e.negated ? 'NOT IN' : 'IN'} (${items.join(', ')}))`, type: 'bool', agg: v.agg };
  }

  private call(e: Extract<Expr, { type: 'call' }>, ctx: ExprContext): Value {
    const info = findFunction(e.name);
    if (!info) return this.fail('semantic', `unknown function '${e.name}'`, e.nameSpan);
    const n = e.args.length;
    if (n < info.minArgs || n > info.maxArgs) {
      const want = info.minArgs === info.maxArgs ? `${info.minArgs}` : info.maxArgs >= 100 ? `at least ${info.minArgs}` : `${info.minArgs} to ${info.maxArgs}`;
      this.fail('semantic', `${info.name}() takes ${want} argument${want === '1' ? '' : 's'}: ${info.signature}`, e);
    }
    if (e.args.some((a) => a.type === 'star') && info.name !== 'count') this.fail('semantic', '* is only allowed in count(*)', e);
    const isAggregation = info.category === 'aggregation';
    if (isAggregation && !ctx.aggAllowed) return this.fail('semantic', `${info.name}() is an aggregation and is only allowed in stats`, e.nameSpan);
    const argCtx = isAggregation ? ROW : ctx;
    if (!info.compile) {
      this.unsupported(`${info.name}() is not supported offline; run the query live against CloudWatch Logs`, e.nameSpan);
      // Its arguments are still checked; it stands for a value only the service computes.
      const args = e.args.filter((a) => a.type !== 'star').map((a) => this.expr(a, argCtx));
      return { ...NULL_VALUE, agg: isAggregation || args.some((a) => a.agg) };
    }
    let argAgg = false;
    const call: CallContext = {
      call: e,
      arg: (i) => {
        const v = this.expr(e.args[i], argCtx);
        argAgg ||= !!v.agg;
        return v;
      },
      literal: (i, kind) => {
        const a = e.args[i];
        if (a.type === 'number' && kind === 'number') return a.value;
        if (a.type === 'string' && kind === 'string') return a.value;
        return this.fail('semantic', `${info.name}() needs a ${kind} literal here`, a);
      },
      period: (i) => this.period(e.args[i], info.name),
      regex: (i) => {
        const a = e.args[i];
        if (a.type === 'regex') return quote(this.regex(a).re2);
        // A pattern given as a string is RE2 as written; if the engine refuses it, the error points here.
        if (a.type === 'string') this.regexes.push({ re2: a.value, location: { startCharOffset: a.start, endCharOffset: a.end } });
        return asText(this.expr(a, argCtx)).sql;
      },
      timestamp: () => {
        const col = this.aggregated ? this.env.get('@timestamp') : undefined;
        if (this.aggregated && !col) this.fail('semantic', `${info.name}() reads @timestamp, which the previous stats does not produce (keep it with '… as @timestamp')`, e);
        return this.field('@timestamp', ['@timestamp']);
      },
      times: { start: this.options.startMs ?? 0, end: this.options.endMs ?? this.options.nowMs, now: this.options.nowMs },
      fail: (message, span) => this.fail('semantic', message, span ?? e),
    };
    const result = info.compile(call);
    return { ...result, agg: isAggregation || result.agg || argAgg };
  }

  /** A /regex/ literal in RE2 syntax; unbalanced groups or classes are reported at the literal. */
  private regex(e: Extract<Expr, { type: 'regex' }>): CaptureGroups {
    const converted = toRe2(e.pattern);
    if (converted.problem) this.fail('semantic', converted.problem, e);
    this.regexes.push({ re2: converted.re2, location: { startCharOffset: e.start, endCharOffset: e.end } });
    return converted;
  }

  private period(e: Expr, fn: string): Period {
    if (e.type !== 'duration') return this.fail('semantic', `${fn}() needs a period such as 5m, 1h or 1d`, e);
    const unit = periodUnit(e.unit);
    if (!unit) return this.fail('semantic', `unknown period unit '${e.unit}': use ms, s, m, h, d, w, mo, q or y`, e);
    if (!(e.amount > 0)) return this.fail('semantic', 'a period must be greater than zero', e);
    return { amount: e.amount, unit };
  }

  // Fields and relations.

  /**
   * After stats, a column named by its expression's text (`count(*)`, `avg(bytes)`): `sort count(*) desc`
   * sorts by that column rather than asking for an aggregation outside stats.
   */
  private statsColumn(text: string): Value | undefined {
    if (!this.aggregated) return undefined;
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    const name = [...this.env.keys()].find((n) => squeeze(n) === squeeze(text));
    const column = name === undefined ? undefined : this.env.get(name);
    return column && { sql: ident(column.col), type: column.type };
  }

  /**
   * A field the query names. After stats only the fields it produced exist (aws-api-reference B.9): any
   * other name, a typo or `count` for `Count`, is an error at that name, not a column of nulls that
   * makes a filter empty or a sum wrong without a word.
   */
  private producedField(e: Extract<Expr, { type: 'field' }>): Value {
    if (this.aggregated && !this.skippedCommand && !this.env.has(e.name)) {
      this.fail('semantic', `after stats only the fields it produced can be used (${[...this.env.keys()].join(', ')}), not '${e.name}'`, e);
    }
    return this.field(e.name, e.path);
  }

  /** A field of the current relation; before the first stats, unknown names are read from the logs. */
  private field(name: string, path: string[]): Value {
    const known = this.env.get(name);
    // Another spelling of a name that still reads the logs (not a stats output or an alias by now).
    const seen = this.base.get(name);
    if (seen && known === seen && !seen.spellings.some((p) => p.join('\u0000') === path.join('\u0000'))) seen.spellings.push(path);
    if (known) return { sql: ident(known.col), type: known.type };
    if (this.aggregated) return NULL_VALUE;
    const base = this.baseField(name, path);
    this.env.set(name, base);
    return { sql: ident(base.col), type: base.type };
  }

  private baseField(name: string, path: string[]): BaseField {
    const existing = this.base.get(name);
    if (existing) return existing;
    const provided = this.options.tables.map((t) => sourceField(t, name, [path]));
    // System fields (@ingestionTime) may exist live that an evidence store does not keep: only names are told.
    if (!name.startsWith('@') && provided.length > 0 && provided.every((f) => f === undefined)) this.absent.push(name);
    const types = new Set(provided.flatMap((f) => f?.type ?? []));
    let type: SqlType = types.size === 1 ? [...types][0] : [...types].every(isNumeric) && types.size > 0 ? 'float' : 'str';
    if (types.size === 0) type = 'str';
    const field: BaseField = { col: `f${this.base.size}`, type, name, spellings: [path] };
    this.base.set(name, field);
    return field;
  }

  /** A base field's SQL in one table, from every spelling the whole query used (so read at the end). */
  private fieldSql(field: BaseField, table: SourceTable): string | undefined {
    const f = sourceField(table, field.name, field.spellings);
    if (!f) return undefined;
    // The same field from tables of different kinds unifies as text, the way JSON values arrive.
    return field.type === f.type ? f.sql : field.type === 'float' ? asNumber(f).sql : asText(f).sql;
  }

  private baseSql(fields = [...this.base.values()]): string {
    const selects = this.options.tables.map((table) => {
      const columns = fields.map((f) => `${this.fieldSql(f, table) ?? `CAST(NULL AS ${sqlTypeName(f.type)})`} AS ${f.col}`);
      const where: string[] = [];
      if (this.options.logGroups.length > 0) where.push(`log_group IN (${this.options.logGroups.map(quote).join(', ')})`);
      const rows = this.options.rowsOf?.[table];
      if (rows) where.push(rows);
      const time = tableTimestamp(table);
      // The time range is inclusive at both ends, as StartQuery's is.
      if (this.options.startMs !== undefined) where.push(`${time} >= make_timestamp(${Math.round(this.options.startMs) * 1000})`);
      if (this.options.endMs !== undefined) where.push(`${time} <= make_timestamp(${Math.round(this.options.endMs) * 1000})`);
      return `SELECT ${columns.join(', ')} FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    });
    return selects.join(' UNION ALL ');
  }

  private withClause(): string {
    return `WITH base AS (${this.baseSql()})${this.ctes.map((c) => `, ${c}`).join('')}`;
  }

  private stage(select: string): void {
    const name = `s${this.ctes.length}`;
    this.ctes.push(`${name} AS (${select})`);
    this.current = name;
  }

  private addColumn(name: string, v: Value): void {
    const col = `x${this.counter++}`;
    this.stage(`SELECT *, ${v.sql} AS ${col} FROM ${this.current}`);
    this.env.set(name, { col, type: v.type });
  }

  private outputValue(o: Output): Value {
    if (o.expr?.type === 'field') return this.field(o.expr.name, o.expr.path);
    return this.field(o.name, o.name.split('.'));
  }

  private defaultOrder(): OrderKey[] {
    if (this.aggregated) return this.statsKeys.map((value) => ({ value, descending: false }));
    return [{ value: this.field('@timestamp', ['@timestamp']), descending: true }];
  }

  /**
   * ORDER BY terms, with a tie-break so equal keys come out in the same order every run. The tie-break
   * uses plain SQL order (natural order would cost a regex per row for no visible difference).
   */
  private orderSql(keys: OrderKey[]): string {
    const terms = keys.flatMap((k) => sortTerms(k.value, k.descending));
    const tieBreak = this.aggregated ? this.statsKeys : [this.field('@ptr', ['@ptr'])];
    terms.push(...tieBreak.map((k) => `${k.sql} ASC NULLS LAST`));
    // A stats without `by` yields one row: nothing to order.
    return terms.length > 0 ? terms.join(', ') : '1';
  }

  /** A form only the service runs: fails the compile unless the caller asked to hear of it and go on. */
  private unsupported(message: string, span: Span): void {
    const error = new InsightsQueryError('unsupported-offline', message, { startCharOffset: span.start, endCharOffset: span.end }, this.query.text);
    if (!this.options.liveOnly) throw error;
    this.options.liveOnly(error);
  }

  private fail(kind: QueryErrorKind, message: string, span: Span): never {
    throw new InsightsQueryError(kind, message, { startCharOffset: span.start, endCharOffset: span.end }, this.query.text);
  }
}

/**
 * `<`, `>`, `<=`, `>=` between two texts (JSON numbers are kept as their text): as numbers when both read
 * as numbers, as the service compares `latency > threshold`; else as text.
 */
function orderedTexts(l: string, op: string, r: string): string {
  const [x, y] = [`TRY_CAST(${l} AS DOUBLE)`, `TRY_CAST(${r} AS DOUBLE)`];
  return `(CASE WHEN ${x} IS NOT NULL AND ${y} IS NOT NULL THEN ${x} ${op} ${y} ELSE ${l} ${op} ${r} END)`;
}

/** Both sides of a comparison in one SQL type: numbers when either is a number, else timestamps, else text. */
function comparable(l: Value, r: Value): [string, string] {
  if (isNumeric(l.type) || isNumeric(r.type)) return [asNumber(l).sql, asNumber(r).sql];
  if (l.type === 'ts' || r.type === 'ts') return [asTimestamp(l).sql, asTimestamp(r).sql];
  return [asText(l).sql, asText(r).sql];
}

/** The natural sort order of the service (B.10) for text; plain order for numbers and timestamps. */
function sortTerms(v: Value, descending: boolean): string[] {
  const dir = descending ? 'DESC NULLS LAST' : 'ASC NULLS LAST';
  if (v.type !== 'str') return [`${v.sql} ${dir}`];
  const s = v.sql;
  return [
    `ts_all_digits(${s}) ${dir}`,
    `CASE WHEN ts_all_digits(${s}) THEN TRY_CAST(${s} AS DOUBLE) END ${dir}`,
    // Values made only of digits tie on their number, then compare as text (`01` before `1`).
    `CASE WHEN NOT ts_all_digits(${s}) THEN ts_natural_key(${s}) END ${dir}`,
    `${s} ${dir}`,
  ];
}
