/**
 * Typed SQL fragments. Logs Insights is dynamically typed (a JSON field is a string that may hold a
 * number), while DuckDB is not, so every compiled expression carries the type it has in SQL and the
 * operators coerce as the service does: arithmetic and ordering comparisons read strings as numbers
 * (TRY_CAST, so a non-number becomes NULL and the comparison is false), `in` compares whole values as
 * text.
 */
export type SqlType = 'int' | 'float' | 'str' | 'ts' | 'bool' | 'list' | 'null';

export interface Value {
  sql: string;
  type: SqlType;
  /** True when the expression contains an aggregation (only valid inside stats). */
  agg?: boolean;
}

export function isNumeric(type: SqlType): boolean {
  return type === 'int' || type === 'float';
}

export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export const NULL_VALUE: Value = { sql: 'NULL', type: 'null' };

/** The value as a number: strings are parsed (non-numbers become NULL), timestamps become epoch ms. */
export function asNumber(v: Value): Value {
  switch (v.type) {
    case 'int':
    case 'float':
      return v;
    case 'ts':
      return { ...v, sql: `epoch_ms(${v.sql})`, type: 'int' };
    case 'bool':
      return { ...v, sql: `CAST(${v.sql} AS INTEGER)`, type: 'int' };
    case 'null':
      return { ...v, sql: 'CAST(NULL AS DOUBLE)', type: 'float' };
    default:
      return { ...v, sql: `TRY_CAST(${v.sql} AS DOUBLE)`, type: 'float' };
  }
}

/** The value as a timestamp: numbers are epoch milliseconds, strings are parsed. */
export function asTimestamp(v: Value): Value {
  switch (v.type) {
    case 'ts':
      return v;
    case 'int':
    case 'float':
      return { ...v, sql: `make_timestamp(CAST(${v.sql} * 1000 AS BIGINT))`, type: 'ts' };
    default:
      return { ...v, sql: `TRY_CAST(${v.sql} AS TIMESTAMP)`, type: 'ts' };
  }
}

/** The value as the service would print it (GetQueryResults values are strings). */
export function asText(v: Value): Value {
  switch (v.type) {
    case 'str':
      return v;
    case 'int':
      return { ...v, sql: `CAST(${v.sql} AS VARCHAR)`, type: 'str' };
    case 'float':
      return { ...v, sql: `ts_num_text(${v.sql})`, type: 'str' };
    case 'ts':
      // Decision: timestamps print as `YYYY-MM-DD HH:MM:SS.mmm` in UTC, as GetQueryResults does.
      return { ...v, sql: `strftime(${v.sql}, '%Y-%m-%d %H:%M:%S.%g')`, type: 'str' };
    case 'bool':
      // Decision: booleans print as 'true' / 'false'.
      return { ...v, sql: `ts_bool_text(${v.sql})`, type: 'str' };
    case 'list':
      return { ...v, sql: `CAST(to_json(${v.sql}) AS VARCHAR)`, type: 'str' };
    case 'null':
      return { ...v, sql: 'CAST(NULL AS VARCHAR)', type: 'str' };
  }
}

/**
 * A condition for `filter`, `and`, `or`, `not`. Numbers are true when non-zero (isempty() and
 * strcontains() return 1/0); a string is true when present and not '', '0' or 'false'.
 */
export function asCondition(v: Value): Value {
  switch (v.type) {
    case 'bool':
      return v;
    case 'int':
    case 'float':
      return { ...v, sql: `(${v.sql} <> 0)`, type: 'bool' };
    case 'null':
      return { ...v, sql: 'CAST(NULL AS BOOLEAN)', type: 'bool' };
    default: {
      const text = asText(v).sql;
      return { ...v, sql: `(${text} NOT IN ('', '0', 'false'))`, type: 'bool' };
    }
  }
}

/** SQL macros the compiled queries call; the runner creates them once per connection. */
export const SUPPORT_MACROS = `
CREATE OR REPLACE TEMP MACRO ts_num_text(x) AS
  CASE WHEN x IS NULL THEN NULL
       WHEN isfinite(x) AND x = trunc(x) AND abs(x) < 1e15 THEN CAST(CAST(x AS BIGINT) AS VARCHAR)
       ELSE CAST(x AS VARCHAR) END;
CREATE OR REPLACE TEMP MACRO ts_bool_text(b) AS CASE WHEN b IS NULL THEN NULL WHEN b THEN 'true' ELSE 'false' END;
CREATE OR REPLACE TEMP MACRO ts_leaf(j, p) AS
  CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END;
-- The first 20 prefixes of r that end at a '}', shortest first: each is parsed again, and a line with
-- hundreds of braces must stay cheap.
CREATE OR REPLACE TEMP MACRO ts_brace_prefixes(r) AS
  list_transform([regexp_extract_all(r, '[^}]*[}]')], segs ->
    list_transform(range(1, least(len(segs), 20) + 1), k -> array_to_string(segs[1:k], '')))[1];
-- The JSON object at the start of r (which starts with '{'), or NULL. It usually ends at the last '}';
-- when that is not one object (text or a second object follows), at one of the first '}' that closes one.
CREATE OR REPLACE TEMP MACRO ts_object_at(r) AS
  list_transform([left(r, length(r) - strpos(reverse(r), '}') + 1)], whole ->
    CASE WHEN json_valid(whole) THEN whole ELSE list_filter(ts_brace_prefixes(r), c -> json_valid(c))[1] END)[1];
-- A field of a JSON log line, or of the first JSON object embedded in one (B.7: a Lambda line of
-- time, request id, level and then {…}). Lines without '{' (every REPORT line) cost one substring search,
-- and braces that cannot open a JSON object (a printed Python dict: {'a': 1}) one pattern match.
CREATE OR REPLACE TEMP MACRO ts_json_field(m, p) AS
  CASE WHEN NOT contains(m, '{') THEN NULL WHEN json_valid(m) THEN ts_leaf(m, p)
       WHEN NOT regexp_matches(substr(m, strpos(m, '{')), '^[{]\\s*["}]') THEN NULL
       ELSE ts_leaf(ts_object_at(substr(m, strpos(m, '{'))), p) END;
-- A UTC offset in minutes as strftime's %z prints one: +00, -05, +05:30.
CREATE OR REPLACE TEMP MACRO ts_offset_text(m) AS
  CASE WHEN m < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0')
    || CASE WHEN abs(m) % 60 <> 0 THEN ':' || lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0') ELSE '' END;
CREATE OR REPLACE TEMP MACRO ts_all_digits(s) AS regexp_full_match(s, '[0-9]+');
-- Chunks compared one by one (B.10): a digit run by its length, then its digits; a text chunk is closed by
-- chr(1), below any character, so a chunk that is a prefix of another sorts first (A1 < A!, x1 < x-).
CREATE OR REPLACE TEMP MACRO ts_natural_key(s) AS
  array_to_string(list_transform(regexp_extract_all(s, '[0-9]+|[^0-9]+'),
    c -> CASE WHEN c[1] BETWEEN '0' AND '9' THEN lpad(CAST(length(c) AS VARCHAR), 4, '0') || c ELSE c || chr(1) END), '');
CREATE OR REPLACE TEMP MACRO ts_natural_struct(s) AS
  struct_pack(k1 := ts_all_digits(s), k2 := CASE WHEN ts_all_digits(s) THEN TRY_CAST(s AS DOUBLE) ELSE 0 END, k3 := CASE WHEN ts_all_digits(s) THEN '' ELSE ts_natural_key(s) END, k4 := s);
CREATE OR REPLACE TEMP MACRO ts_is_ipv4(s) AS
  regexp_full_match(s, '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])');
CREATE OR REPLACE TEMP MACRO ts_ipv4_number(s) AS
  CASE WHEN ts_is_ipv4(s) THEN CAST(split_part(s, '.', 1) AS BIGINT) * 16777216 + CAST(split_part(s, '.', 2) AS BIGINT) * 65536
    + CAST(split_part(s, '.', 3) AS BIGINT) * 256 + CAST(split_part(s, '.', 4) AS BIGINT) END;
-- IPv6 text to 32 lowercase hex digits, or NULL when it is not an address. list_transform([x], v -> …)[1]
-- binds x once, so the nested macros do not expand their arguments over and over.
CREATE OR REPLACE TEMP MACRO ts_v4_tail_hex(v) AS
  list_transform([ts_ipv4_number(v)], x -> CASE WHEN x IS NOT NULL THEN printf('%x:%x', x // 65536, x % 65536) END)[1];
CREATE OR REPLACE TEMP MACRO ts_v6_norm(s) AS
  list_transform([regexp_extract(s, '[^:]*$')],
    tail -> CASE WHEN contains(s, '.') THEN regexp_replace(s, '[^:]*$', '') || ts_v4_tail_hex(tail) ELSE s END)[1];
CREATE OR REPLACE TEMP MACRO ts_v6_side(x) AS CASE WHEN x = '' THEN CAST([] AS VARCHAR[]) ELSE string_split(x, ':') END;
CREATE OR REPLACE TEMP MACRO ts_v6_join(l, r, gap) AS
  list_transform([CASE WHEN gap THEN l || list_transform(range(greatest(8 - len(l) - len(r), 0)), x -> '0') || r ELSE l END],
    g8 -> CASE WHEN len(g8) = 8 AND (NOT gap OR len(l) + len(r) <= 7)
                 AND list_bool_and(list_transform(g8, g -> regexp_full_match(g, '[0-9A-Fa-f]{1,4}')))
               THEN array_to_string(list_transform(g8, g -> lpad(lower(g), 4, '0')), '') END)[1];
CREATE OR REPLACE TEMP MACRO ts_ipv6_hex(s) AS
  list_transform([ts_v6_norm(s)], n ->
    CASE WHEN n IS NULL OR NOT regexp_full_match(n, '[0-9A-Fa-f:]+') THEN NULL
         WHEN length(n) - length(replace(n, '::', '')) > 2 THEN NULL
         WHEN contains(n, '::') THEN ts_v6_join(ts_v6_side(split_part(n, '::', 1)), ts_v6_side(split_part(n, '::', 2)), true)
         ELSE ts_v6_join(string_split(n, ':'), CAST([] AS VARCHAR[]), false) END)[1];
`;
