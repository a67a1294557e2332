/**
 * A record's JSON text as the log holds it. JSON.parse keeps the last value of a key written twice and
 * rounds integers beyond 2^53, so a view built from the parsed value can differ from the evidence (and
 * from the store's columns: DuckDB keeps a repeated key's first value). CloudTrail writes neither, so
 * either is worth the responder's attention. These read the text itself; it must be valid JSON.
 */

export interface ParseLosses {
  /** Paths (`userIdentity.accessKeyId`) of keys written more than once in their object. */
  repeatedKeys: string[];
  /** Paths of numbers a JavaScript number cannot hold exactly. */
  impreciseNumbers: string[];
}

type Token = { kind: 'punct'; text: '{' | '}' | '[' | ']' | ':' | ',' } | { kind: 'string' | 'scalar'; text: string };

const SCALAR = /[^\s,:{}[\]"]+/y;
const SPACE = /\s*/y;

/** The tokens of valid JSON text, each as written. */
function* tokens(text: string): Generator<Token> {
  let at = 0;
  for (;;) {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
    if (at >= text.length) return;
    const c = text[at];
    if (c === '"') {
      let end = at + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      yield { kind: 'string', text: text.slice(at, end + 1) };
      at = end + 1;
    } else if ('{}[]:,'.includes(c)) {
      yield { kind: 'punct', text: c as '{' };
      at++;
    } else {
      SCALAR.lastIndex = at;
      const match = SCALAR.exec(text);
      const scalar = match ? match[0] : c;
      yield { kind: 'scalar', text: scalar };
      at += scalar.length;
    }
  }
}

/** A JSON number's decimal value as sign, significant digits and exponent: `1.10` and `11e-1` alike. */
function decimal(number: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(number);
  if (!match) return number;
  const fraction = match[3] ?? '';
  let digits = (match[2] + fraction).replace(/^0+/, '');
  let exponent = Number(match[4] ?? 0) - fraction.length;
  if (digits === '') return '0';
  const zeros = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - zeros);
  exponent += zeros;
  return `${match[1]}${digits}e${exponent}`;
}

/**
 * A number JavaScript shows otherwise than written: JSON.stringify writes its double back as the shortest
 * text that reads as it, and that is another value (`9007199254740993`, `0.30000000000000001`, `1e400`).
 */
function imprecise(number: string): boolean {
  const parsed = Number(number);
  return !Number.isFinite(parsed) || decimal(String(parsed)) !== decimal(number);
}

/** Paths reported of each kind: enough to see what is wrong, and bounded whatever the text holds. */
const MAX_PATHS = 20;

/** What JSON.parse loses of the text: keys written twice in an object, numbers it cannot hold exactly. */
export function parseLosses(text: string): ParseLosses {
  const losses: ParseLosses = { repeatedKeys: [], impreciseNumbers: [] };
  // One frame per open object or array: the keys seen (and those reported) and the current key, or the
  // current index. A path is written only the first time its key repeats, so a key written a million
  // times deep down costs one path, not a million.
  const frames: Array<{ keys?: Set<string>; reported?: Set<string>; key: string; expectKey: boolean }> = [];
  const path = (): string => frames.map((f) => f.key).join('.');
  for (const token of tokens(text)) {
    const frame = frames.at(-1);
    if (token.kind === 'punct') {
      if (token.text === '{') frames.push({ keys: new Set(), reported: new Set(), key: '', expectKey: true });
      else if (token.text === '[') frames.push({ key: '0', expectKey: false });
      else if (token.text === '}' || token.text === ']') frames.pop();
      else if (token.text === ',' && frame) {
        if (frame.keys) frame.expectKey = true;
        else frame.key = String(Number(frame.key) + 1);
      }
      continue;
    }
    if (frame?.keys && frame.expectKey) {
      frame.key = JSON.parse(token.text) as string;
      frame.expectKey = false;
      if (frame.keys.has(frame.key) && !frame.reported?.has(frame.key) && losses.repeatedKeys.length < MAX_PATHS) {
        frame.reported?.add(frame.key);
        losses.repeatedKeys.push(path());
      }
      frame.keys.add(frame.key);
    } else if (token.kind === 'scalar' && /^-?\d/.test(token.text) && losses.impreciseNumbers.length < MAX_PATHS && imprecise(token.text)) {
      losses.impreciseNumbers.push(frames.length ? path() : '(the value)');
    }
  }
  return losses;
}

export const hasLosses = (losses: ParseLosses): boolean => losses.repeatedKeys.length + losses.impreciseNumbers.length > 0;

/** Deeper than this, indenting would write more spaces than the record holds characters: it stays as written. */
const MAX_INDENTED_DEPTH = 64;

/**
 * Valid JSON text indented as JSON.stringify(value, null, 2) would, but with every key, string and number
 * as written: a key written twice stays twice, a long integer keeps its digits.
 */
export function indentJson(text: string): string {
  let out = '';
  let depth = 0;
  // The previous token opened an object or array: what follows goes on a new line, unless it closes it.
  let opened = false;
  const newline = (): string => `\n${'  '.repeat(depth)}`;
  for (const token of tokens(text)) {
    const t = token.text;
    const closing = token.kind === 'punct' && (t === '}' || t === ']');
    if (opened && !closing) out += newline();
    if (closing) {
      depth--;
      out += opened ? t : newline() + t;
    } else if (token.kind === 'punct' && t === ',') out += `,${newline()}`;
    else if (token.kind === 'punct' && t === ':') out += ': ';
    else {
      out += t;
      if (token.kind === 'punct' && ++depth > MAX_INDENTED_DEPTH) return text;
    }
    opened = token.kind === 'punct' && (t === '{' || t === '[');
  }
  return out;
}

/**
 * A record to read or copy: indented, and as written when JSON.parse would lose something of it (else
 * as JSON.stringify writes the parsed value); text that is not JSON, or nests too deep, as received.
 */
export function readableJson(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (hasLosses(parseLosses(text))) return indentJson(text);
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    // Nested too deep for JSON.stringify (it recurses).
    return text;
  }
}
