import type { Expr, Span } from './ast';
import { capPeriod, ceilSql, floorSql, type Period } from './periods';
import { asCondition, asNumber, asText, asTimestamp, isNumeric, quote, type SqlType, type Value } from './sql';
import { cidrSql } from './subnets';

/**
 * Every function of the query language (aws-api-reference B.11) with how it compiles to DuckDB SQL.
 * Functions without `compile` exist in the service but cannot run over local evidence; using one is a
 * "not supported offline" error at its position. The editor's completion reads the same table.
 */
export type FunctionCategory = 'string' | 'numeric' | 'datetime' | 'general' | 'ip' | 'json' | 'aggregation';

export interface CallContext {
  call: Extract<Expr, { type: 'call' }>;
  /** Argument i compiled as a row-level expression. */
  arg(i: number): Value;
  /** Argument i, which must be a literal of the kind given. */
  literal(i: number, kind: 'number' | 'string'): string | number;
  period(i: number): Period;
  /** Argument i as a regular expression: a /regex/ literal (checked, in RE2 syntax) or a text value. */
  regex(i: number): string;
  /** @timestamp in the current relation (fails after a stats that did not keep it). */
  timestamp(): Value;
  /** Epoch ms of the query's start and end time and of the moment it runs. */
  times: { start: number; end: number; now: number };
  fail(message: string, span?: Span): never;
}

export interface FunctionInfo {
  name: string;
  category: FunctionCategory;
  signature: string;
  summary: string;
  minArgs: number;
  maxArgs: number;
  compile?: (ctx: CallContext) => Value;
}

const str = (sql: string): Value => ({ sql, type: 'str' });
const int = (sql: string): Value => ({ sql, type: 'int' });
const flt = (sql: string): Value => ({ sql, type: 'float' });
const bool = (sql: string): Value => ({ sql, type: 'bool' });
const ts = (sql: string): Value => ({ sql, type: 'ts' });
const agg = (sql: string, type: SqlType): Value => ({ sql, type, agg: true });
/** 1/0 results (isempty, strcontains, …), as the service documents them. */
const flag = (condition: string): Value => int(`CAST(${condition} AS INTEGER)`);

const text = (ctx: CallContext, i: number): string => asText(ctx.arg(i)).sql;
const num = (ctx: CallContext, i: number): string => asNumber(ctx.arg(i)).sql;
const allArgs = (ctx: CallContext): Value[] => ctx.call.args.map((_, i) => ctx.arg(i));

/** Values of several arguments in one SQL type: numeric when all are numbers, else text. */
function unify(values: Value[]): { sqls: string[]; type: SqlType } {
  const types = new Set(values.map((v) => v.type).filter((t) => t !== 'null'));
  if (types.size === 1) {
    const [type] = types;
    return { sqls: values.map((v) => (v.type === 'null' ? `CAST(NULL AS ${sqlTypeName(type)})` : v.sql)), type };
  }
  if ([...types].every(isNumeric)) return { sqls: values.map((v) => asNumber(v).sql), type: 'float' };
  return { sqls: values.map((v) => asText(v).sql), type: 'str' };
}

/**
 * greatest/least are numeric functions (aws-api-reference B.11): values held as text, as JSON numbers are,
 * compare as the numbers they are (greatest of 1000 and 200 is 1000, not "200"); typed values as they are.
 */
function largestOrSmallest(fn: 'greatest' | 'least', values: Value[]): Value {
  const u = values.some((v) => v.type === 'str') ? { sqls: values.map((v) => asNumber(v).sql), type: 'float' as const } : unify(values);
  return { sql: `${fn}(${u.sqls.join(', ')})`, type: u.type };
}

export function sqlTypeName(type: SqlType): string {
  return { int: 'BIGINT', float: 'DOUBLE', str: 'VARCHAR', ts: 'TIMESTAMP', bool: 'BOOLEAN', list: 'VARCHAR[]', null: 'VARCHAR' }[type];
}

function trimFn(side: 'l' | 'r' | 'both') {
  return (ctx: CallContext): Value => {
    const s = text(ctx, 0);
    if (ctx.call.args.length > 1) {
      const fn = side === 'l' ? 'ltrim' : side === 'r' ? 'rtrim' : 'trim';
      return str(`${fn}(${s}, ${text(ctx, 1)})`);
    }
    // Without a character set the service strips whitespace, not just spaces.
    const re = side === 'l' ? '^\\s+' : side === 'r' ? '\\s+$' : '^\\s+|\\s+$';
    return str(`regexp_replace(${s}, '${re}', '', 'g')`);
  };
}

/**
 * min/max/sortsFirst/sortsLast: numbers and timestamps by value, text in the service's natural sort
 * order. JSON numbers arrive as text, so min and max compare a group's values as numbers when every one
 * of them reads as a number (-10 before -5, 1.25 before 1.5); sortsFirst and sortsLast keep the order of
 * sort, where only all-digit values are numbers.
 */
function extreme(which: 'min' | 'max', numbersByValue: boolean) {
  return (ctx: CallContext): Value => {
    const v = ctx.arg(0);
    if (isNumeric(v.type) || v.type === 'ts') return agg(`${which}(${v.sql})`, v.type);
    const s = asText(v).sql;
    const natural = `arg_${which}(${s}, ts_natural_struct(${s}))`;
    if (!numbersByValue) return agg(natural, 'str');
    const n = `TRY_CAST(${s} AS DOUBLE)`;
    return agg(`CASE WHEN count(${s}) = count(${n}) THEN arg_${which}(${s}, ${n}) ELSE ${natural} END`, 'str');
  };
}

function byTime(which: 'min' | 'max') {
  return (ctx: CallContext): Value => {
    const v = ctx.arg(0);
    // The value of the earliest/latest event that has the field.
    return agg(`arg_${which}(${v.sql}, ${ctx.timestamp().sql}) FILTER (WHERE ${v.sql} IS NOT NULL)`, v.type);
  };
}

function subnet(family: 4 | 6 | 'any') {
  return (ctx: CallContext): Value => {
    const cidr = String(ctx.literal(1, 'string'));
    const address = text(ctx, 0);
    const sql = cidrSql(address, cidr, family);
    if (sql === undefined) ctx.fail(`'${cidr}' is not a valid ${family === 'any' ? '' : `IPv${family} `}CIDR block`, ctx.call.args[1]);
    return inSubnets(address, [sql]);
  };
}

/**
 * Whether an address passes any of the cidrSql tests: an address of the other family (or not an
 * address) is simply not in the subnets (false); a missing field stays missing.
 */
function inSubnets(address: string, tests: string[]): Value {
  return bool(`(CASE WHEN ${address} IS NULL THEN NULL ELSE coalesce(${tests.join(' OR ')}, false) END)`);
}

const RFC_1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function dateRound(kind: 'floor' | 'ceil') {
  return (ctx: CallContext): Value => {
    const t = asTimestamp(ctx.arg(0)).sql;
    const period = capPeriod(ctx.period(1));
    return ts(kind === 'floor' ? floorSql(t, period) : ceilSql(t, period));
  };
}

/** The strftime codes the engine formats (`%-d` and the like: without padding). */
const FORMAT_CODES = new Set('a b c d -d f g h j -j m -m n p u w x y -y z A B G H -H I -I M -M S -S T U V W X Y Z %'.split(' '));

/** A format given as a literal names each code it cannot format, at the format, rather than failing the query. */
function checkFormat(ctx: CallContext): void {
  const format = ctx.call.args[1];
  if (format.type !== 'string') return;
  for (const [code, name] of format.value.matchAll(/%(-?[\s\S]?)/g)) {
    if (!FORMAT_CODES.has(name)) ctx.fail(`'${code}' is not a date format code (use %Y, %m, %d, %H, %M, %S, %f, %z, %a, %b, %j, ...)`, format);
  }
}

/** formatDate/strftime: the timestamp as wall-clock time in the zone, with %z and %Z telling that zone. */
function formatDate(ctx: CallContext): Value {
  checkFormat(ctx);
  const t = asTimestamp(ctx.arg(0)).sql;
  if (ctx.call.args.length < 3) return str(`strftime(${t}, ${text(ctx, 1)})`);
  const zone = String(ctx.literal(2, 'string'));
  const local = timeZoneSql(zone, t);
  if (local === undefined) {
    ctx.fail(`unknown time zone '${zone}': use an IANA name such as UTC or America/New_York, or an offset such as +05:30`, ctx.call.args[2]);
  }
  const zoneCodes = new Map([['%z', `ts_offset_text(date_diff('minute', ${t}, ${local}))`], ['%Z', quote(zone)]]);
  return str(strftimeWith(local, String(ctx.literal(1, 'string')), zoneCodes));
}

/**
 * strftime of a format whose codes listed in `codes` are replaced by SQL values: strftime would print
 * offset +00 for the plain timestamp a local time is. The format is split at codes (`%%z` is not one).
 */
function strftimeWith(t: string, format: string, codes: Map<string, string>): string {
  const pieces: string[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') pieces.push(`strftime(${t}, ${quote(literal)})`);
    literal = '';
  };
  for (const token of format.split(/(%.)/s)) {
    const code = codes.get(token);
    if (code === undefined) {
      literal += token;
      continue;
    }
    flush();
    pieces.push(code);
  }
  flush();
  return pieces.length > 0 ? `(${pieces.join(' || ')})` : "''";
}

const OFFSET = /^(?:UTC|GMT)?([+-])([0-9]{1,2})(?::?([0-9]{2}))?$/i;

/** The UTC timestamp t as wall-clock time in an IANA zone or at a fixed offset (`+05:30`, `-8`, `UTC+2`). */
function timeZoneSql(zone: string, t: string): string | undefined {
  const offset = OFFSET.exec(zone);
  if (offset) {
    const [hours, minutes] = [Number(offset[2]), Number(offset[3] ?? 0)];
    if (hours > 14 || minutes > 59) return undefined;
    return `(${t} + to_minutes(${offset[1] === '-' ? '-' : ''}${hours * 60 + minutes}))`;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return undefined;
  }
  return `((${t} AT TIME ZONE 'UTC') AT TIME ZONE ${quote(zone)})`;
}

function fn(
  name: string,
  category: FunctionCategory,
  signature: string,
  summary: string,
  arity: [number, number],
  compile?: (ctx: CallContext) => Value,
): FunctionInfo {
  return { name, category, signature, summary, minArgs: arity[0], maxArgs: arity[1], compile };
}

const MANY = 100;

export const FUNCTIONS: FunctionInfo[] = [
  // String
  fn('isempty', 'string', 'isempty(field)', '1 if the field is missing or an empty string', [1, 1], (c) => {
    const s = text(c, 0);
    return flag(`(${s} IS NULL OR ${s} = '')`);
  }),
  fn('isblank', 'string', 'isblank(field)', '1 if the field is missing, empty or only whitespace', [1, 1], (c) => {
    const s = text(c, 0);
    return flag(`(${s} IS NULL OR regexp_full_match(${s}, '\\s*'))`);
  }),
  fn('concat', 'string', 'concat(str, ...)', 'concatenates strings', [1, MANY], (c) => str(`concat(${allArgs(c).map((v) => asText(v).sql).join(', ')})`)),
  fn('ltrim', 'string', 'ltrim(str[, chars])', 'removes leading whitespace (or the given characters)', [1, 2], trimFn('l')),
  fn('rtrim', 'string', 'rtrim(str[, chars])', 'removes trailing whitespace (or the given characters)', [1, 2], trimFn('r')),
  fn('trim', 'string', 'trim(str[, chars])', 'removes leading and trailing whitespace (or the given characters)', [1, 2], trimFn('both')),
  fn('strlen', 'string', 'strlen(str)', 'length in Unicode code points', [1, 1], (c) => int(`length(${text(c, 0)})`)),
  fn('toupper', 'string', 'toupper(str)', 'upper case', [1, 1], (c) => str(`upper(${text(c, 0)})`)),
  fn('tolower', 'string', 'tolower(str)', 'lower case', [1, 1], (c) => str(`lower(${text(c, 0)})`)),
  fn('substr', 'string', 'substr(str, start[, length])', 'substring from a 0-based start', [2, 3], (c) => {
    // 32-bit offsets and lengths: DuckDB refuses larger ones outright. Past any text, the answer is
    // missing; a length past it takes the rest.
    const start = `TRY_CAST(least(TRY_CAST(${num(c, 1)} AS DOUBLE) + 1, 2147483647) AS INTEGER)`;
    return str(c.call.args.length > 2 ? `substring(${text(c, 0)}, ${start}, TRY_CAST(least(${num(c, 2)}, 2147483647) AS INTEGER))` : `substring(${text(c, 0)}, ${start})`);
  }),
  fn('replace', 'string', 'replace(str, search, replacement)', 'replaces every occurrence of a literal string', [3, 3], (c) =>
    str(`replace(${text(c, 0)}, ${text(c, 1)}, ${text(c, 2)})`)),
  fn('strcontains', 'string', 'strcontains(str, search[, caseInsensitive])', '1 if str contains search', [2, 3], (c) => {
    if (c.call.args.length > 2) {
      const ci = asCondition(c.arg(2)).sql;
      return flag(`(CASE WHEN ${ci} THEN contains(lower(${text(c, 0)}), lower(${text(c, 1)})) ELSE contains(${text(c, 0)}, ${text(c, 1)}) END)`);
    }
    return flag(`contains(${text(c, 0)}, ${text(c, 1)})`);
  }),
  fn('regexReplace', 'string', 'regexReplace(str, /re/, replacement)', 'replaces every match of a regular expression (RE2)', [3, 3], (c) =>
    str(`regexp_replace(${text(c, 0)}, ${c.regex(1)}, ${text(c, 2)}, 'g')`)),
  fn('startsWith', 'string', 'startsWith(str, prefix)', '1 if str starts with prefix', [2, 2], (c) => flag(`starts_with(${text(c, 0)}, ${text(c, 1)})`)),
  fn('endsWith', 'string', 'endsWith(str, suffix)', '1 if str ends with suffix', [2, 2], (c) => flag(`ends_with(${text(c, 0)}, ${text(c, 1)})`)),
  fn('urlencode', 'string', 'urlencode(str)', 'URL-encodes', [1, 1], (c) => str(`url_encode(${text(c, 0)})`)),
  fn('urldecode', 'string', 'urldecode(str)', 'URL-decodes', [1, 1], (c) => str(`try(url_decode(${text(c, 0)}))`)),
  fn('base64encode', 'string', 'base64encode(str)', 'Base64 of the UTF-8 bytes', [1, 1], (c) => str(`to_base64(encode(${text(c, 0)}))`)),
  fn('base64decode', 'string', 'base64decode(str)', 'decodes Base64 to UTF-8 text', [1, 1], (c) => str(`try(decode(from_base64(${text(c, 0)})))`)),
  fn('split', 'string', 'split(str, delimiter)', 'splits into a list', [2, 2], (c) => ({ sql: `string_split(${text(c, 0)}, ${text(c, 1)})`, type: 'list' })),
  fn('hexToAscii', 'string', 'hexToAscii(hex)', 'decodes hex digits to text', [1, 1], (c) => str(`try(decode(unhex(regexp_replace(${text(c, 0)}, '^0[xX]', ''))))`)),
  fn('hexToDec', 'string', 'hexToDec(hex)', 'hex digits to a number', [1, 1], (c) =>
    int(`TRY_CAST(('0x' || regexp_replace(${text(c, 0)}, '^0[xX]', '')) AS BIGINT)`)),
  fn('decToHex', 'string', 'decToHex(number)', "a number as hex digits prefixed '0x'", [1, 1], (c) => str(`'0x' || lower(to_hex(TRY_CAST(${num(c, 0)} AS BIGINT)))`)),

  // Numeric
  fn('abs', 'numeric', 'abs(number)', 'absolute value', [1, 1], (c) => {
    const v = asNumber(c.arg(0));
    return { sql: `abs(${v.sql})`, type: v.type };
  }),
  fn('ceil', 'numeric', 'ceil(number)', 'rounds up to an integer', [1, 1], (c) => int(`TRY_CAST(ceil(${num(c, 0)}) AS BIGINT)`)),
  fn('floor', 'numeric', 'floor(number)', 'rounds down to an integer', [1, 1], (c) => int(`TRY_CAST(floor(${num(c, 0)}) AS BIGINT)`)),
  fn('greatest', 'numeric', 'greatest(a, ...)', 'the largest value', [1, MANY], (c) => largestOrSmallest('greatest', allArgs(c))),
  fn('least', 'numeric', 'least(a, ...)', 'the smallest value', [1, MANY], (c) => largestOrSmallest('least', allArgs(c))),
  fn('log', 'numeric', 'log(number)', 'natural logarithm', [1, 1], (c) => flt(`CASE WHEN ${num(c, 0)} > 0 THEN ln(${num(c, 0)}) END`)),
  fn('sqrt', 'numeric', 'sqrt(number)', 'square root', [1, 1], (c) => flt(`CASE WHEN ${num(c, 0)} >= 0 THEN sqrt(${num(c, 0)}) END`)),
  fn('round', 'numeric', 'round(number[, digits])', 'rounds to the given number of decimal digits (default 0)', [1, 2], (c) =>
    c.call.args.length > 1 ? flt(`round(${num(c, 0)}, TRY_CAST(${num(c, 1)} AS INTEGER))`) : int(`TRY_CAST(round(${num(c, 0)}) AS BIGINT)`)),
  fn('toNumber', 'numeric', 'toNumber(value)', 'the value as a number', [1, 1], (c) => flt(num(c, 0))),
  fn('toDouble', 'numeric', 'toDouble(value)', 'the value as a double', [1, 1], (c) => flt(num(c, 0))),
  fn('toInt', 'numeric', 'toInt(value)', 'the value as a 32-bit integer', [1, 1], (c) => int(`TRY_CAST(trunc(${num(c, 0)}) AS INTEGER)`)),
  fn('toLong', 'numeric', 'toLong(value)', 'the value as a 64-bit integer', [1, 1], (c) => int(`TRY_CAST(trunc(${num(c, 0)}) AS BIGINT)`)),
  fn('haversine', 'numeric', 'haversine(lat1, lon1, lat2, lon2)', 'great-circle distance in km', [4, 4], (c) => {
    const [a, b, d, e] = [0, 1, 2, 3].map((i) => `radians(${num(c, i)})`);
    return flt(`(2 * 6371 * asin(sqrt(pow(sin((${d} - ${a}) / 2), 2) + cos(${a}) * cos(${d}) * pow(sin((${e} - ${b}) / 2), 2))))`);
  }),

  // General
  fn('ispresent', 'general', 'ispresent(field)', 'true if the event has the field', [1, 1], (c) => bool(`(${c.arg(0).sql} IS NOT NULL)`)),
  fn('coalesce', 'general', 'coalesce(a, ...)', 'the first value that is present', [1, MANY], (c) => {
    const u = unify(allArgs(c));
    return { sql: `coalesce(${u.sqls.join(', ')})`, type: u.type };
  }),
  fn('if', 'general', 'if(condition, then, else)', 'then when the condition holds, else otherwise', [3, 3], (c) => {
    const u = unify([c.arg(1), c.arg(2)]);
    return { sql: `(CASE WHEN ${asCondition(c.arg(0)).sql} THEN ${u.sqls[0]} ELSE ${u.sqls[1]} END)`, type: u.type };
  }),
  fn('case', 'general', 'case(cond1, value1, ..., [default])', 'the value of the first condition that holds', [2, 21], (c) => {
    const n = c.call.args.length;
    const values: Value[] = [];
    for (let i = 1; i < n; i += 2) values.push(c.arg(i));
    if (n % 2 === 1) values.push(c.arg(n - 1));
    const u = unify(values);
    let sql = 'CASE';
    for (let i = 0, k = 0; i + 1 < n; i += 2, k++) sql += ` WHEN ${asCondition(c.arg(i)).sql} THEN ${u.sqls[k]}`;
    if (n % 2 === 1) sql += ` ELSE ${u.sqls[u.sqls.length - 1]}`;
    return { sql: `(${sql} END)`, type: u.type };
  }),
  fn('isNumeric', 'general', 'isNumeric(value)', 'true if the value is a number', [1, 1], (c) => {
    const v = c.arg(0);
    return isNumeric(v.type) ? bool(`(${v.sql} IS NOT NULL)`) : bool(`(TRY_CAST(${asText(v).sql} AS DOUBLE) IS NOT NULL)`);
  }),
  fn('messageSize', 'general', 'messageSize(field)', 'size in bytes', [1, 1], (c) => int(`strlen(${text(c, 0)})`)),
  fn('queryStartTime', 'general', 'queryStartTime()', 'start of the query time range, epoch ms', [0, 0], (c) => int(String(c.times.start))),
  fn('queryEndTime', 'general', 'queryEndTime()', 'end of the query time range, epoch ms', [0, 0], (c) => int(String(c.times.end))),
  fn('queryTimeRange', 'general', 'queryTimeRange()', 'length of the query time range, ms', [0, 0], (c) => int(String(c.times.end - c.times.start))),

  // Datetime
  fn('bin', 'datetime', 'bin(period)', '@timestamp rounded down to the period (5m, 1h, 1d, …)', [1, 1], (c) =>
    ts(floorSql(c.timestamp().sql, capPeriod(c.period(0))))),
  fn('datefloor', 'datetime', 'datefloor(timestamp, period)', 'the timestamp rounded down to the period', [2, 2], dateRound('floor')),
  fn('dateceil', 'datetime', 'dateceil(timestamp, period)', 'the timestamp rounded up to the period', [2, 2], dateRound('ceil')),
  fn('fromMillis', 'datetime', 'fromMillis(ms)', 'a timestamp from epoch milliseconds', [1, 1], (c) => ts(`make_timestamp(TRY_CAST(${num(c, 0)} * 1000 AS BIGINT))`)),
  fn('toMillis', 'datetime', 'toMillis(timestamp)', 'epoch milliseconds of a timestamp', [1, 1], (c) => int(`epoch_ms(${asTimestamp(c.arg(0)).sql})`)),
  fn('now', 'datetime', 'now()', 'when the query started, epoch seconds', [0, 0], (c) => int(String(Math.floor(c.times.now / 1000)))),
  fn('formatDate', 'datetime', 'formatDate(timestamp, format[, tz])', 'formats a timestamp with strftime codes (UTC unless tz is given)', [2, 3], formatDate),
  fn('strftime', 'datetime', 'strftime(timestamp, format[, tz])', 'formats a timestamp with strftime codes (UTC unless tz is given)', [2, 3], formatDate),
  fn('parseDate', 'datetime', 'parseDate(str, javaPattern[, tz])', 'parses a date with a Java pattern', [2, 3]),

  // IP
  fn('isValidIp', 'ip', 'isValidIp(field)', 'true if the value is an IPv4 or IPv6 address', [1, 1], (c) => {
    const s = text(c, 0);
    return bool(`(ts_is_ipv4(${s}) OR ts_ipv6_hex(${s}) IS NOT NULL)`);
  }),
  fn('isValidIpV4', 'ip', 'isValidIpV4(field)', 'true if the value is an IPv4 address', [1, 1], (c) => bool(`ts_is_ipv4(${text(c, 0)})`)),
  fn('isValidIpV6', 'ip', 'isValidIpV6(field)', 'true if the value is an IPv6 address', [1, 1], (c) => bool(`(ts_ipv6_hex(${text(c, 0)}) IS NOT NULL)`)),
  fn('isIpInSubnet', 'ip', 'isIpInSubnet(field, "cidr")', 'true if the address is in the IPv4 or IPv6 subnet', [2, 2], subnet('any')),
  fn('isIpv4InSubnet', 'ip', 'isIpv4InSubnet(field, "a.b.c.d/n")', 'true if the IPv4 address is in the subnet', [2, 2], subnet(4)),
  fn('isIpv6InSubnet', 'ip', 'isIpv6InSubnet(field, "x::/n")', 'true if the IPv6 address is in the subnet', [2, 2], subnet(6)),
  fn('ipv4ToNumber', 'ip', 'ipv4ToNumber(field)', 'an IPv4 address as a number', [1, 1], (c) => int(`ts_ipv4_number(${text(c, 0)})`)),
  fn('isPrivateIP', 'ip', 'isPrivateIP(field)', 'true for RFC 1918 addresses', [1, 1], (c) => {
    // RFC 1918 ranges are IPv4 only (aws-api-reference B.11), so an IPv6 address is false.
    const address = text(c, 0);
    return inSubnets(address, RFC_1918.map((cidr) => cidrSql(address, cidr, 4)!));
  }),
  fn('isPublicIP', 'ip', 'isPublicIP(field)', 'true for publicly routable addresses', [1, 1]),
  fn('isReservedIP', 'ip', 'isReservedIP(field)', 'true for reserved addresses', [1, 1]),

  // JSON values are maps and lists, which the evidence engine does not model.
  fn('jsonParse', 'json', 'jsonParse(str)', 'parses JSON text into a map or list', [1, 1]),
  fn('jsonStringify', 'json', 'jsonStringify(value)', 'a map or list as JSON text', [1, 1]),
  fn('jsonArraySize', 'json', 'jsonArraySize(list)', 'number of elements', [1, 1]),
  fn('jsonArrayContains', 'json', 'jsonArrayContains(list, value)', 'true if the list contains the value', [2, 2]),

  // Aggregation (stats)
  fn('avg', 'aggregation', 'avg(number)', 'average', [1, 1], (c) => agg(`avg(${num(c, 0)})`, 'float')),
  fn('count', 'aggregation', 'count(*) | count(field)', 'number of events (with the field present)', [0, 1], (c) => {
    const a = c.call.args[0];
    return agg(a === undefined || a.type === 'star' ? 'count(*)' : `count(${c.arg(0).sql})`, 'int');
  }),
  fn('count_distinct', 'aggregation', 'count_distinct(field)', 'number of distinct values (exact here)', [1, 1], (c) => agg(`count(DISTINCT ${c.arg(0).sql})`, 'int')),
  fn('max', 'aggregation', 'max(field)', 'largest value', [1, 1], extreme('max', true)),
  fn('min', 'aggregation', 'min(field)', 'smallest value', [1, 1], extreme('min', true)),
  fn('pct', 'aggregation', 'pct(field, percent)', 'the value below which the given percent of values fall', [2, 2], (c) => {
    const p = Number(c.literal(1, 'number'));
    if (!(p >= 0 && p <= 100)) c.fail('the percentile must be between 0 and 100', c.call.args[1]);
    const v = asNumber(c.arg(0));
    // Decision: a value from the data (nearest rank), not an interpolation.
    return agg(`quantile_disc(${v.sql}, ${p / 100})`, v.type);
  }),
  fn('stddev', 'aggregation', 'stddev(number)', 'sample standard deviation', [1, 1], (c) => agg(`stddev_samp(${num(c, 0)})`, 'float')),
  fn('sum', 'aggregation', 'sum(number)', 'total', [1, 1], (c) => {
    const v = asNumber(c.arg(0));
    return agg(`sum(${v.sql})`, v.type);
  }),
  fn('earliest', 'aggregation', 'earliest(field)', 'the value from the event with the earliest @timestamp', [1, 1], byTime('min')),
  fn('latest', 'aggregation', 'latest(field)', 'the value from the event with the latest @timestamp', [1, 1], byTime('max')),
  fn('sortsFirst', 'aggregation', 'sortsFirst(field)', 'the value that sorts first', [1, 1], extreme('min', false)),
  fn('sortsLast', 'aggregation', 'sortsLast(field)', 'the value that sorts last', [1, 1], extreme('max', false)),
];

const BY_NAME = new Map(FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));

/** Function names are case-insensitive (`isIpv4InSubnet`, `ISPRESENT`). */
export function findFunction(name: string): FunctionInfo | undefined {
  return BY_NAME.get(name.toLowerCase());
}
