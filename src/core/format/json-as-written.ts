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

/** An integer beyond 2^53, or a number with more significant digits than a double keeps. */
function imprecise(number: string): boolean {
  if (/^-?\d+$/.test(number)) return !Number.isSafeInteger(Number(number));
  const mantissa = number.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return mantissa.length > 17;
}

/** Paths reported of each kind: enough to see what is wrong, and bounded whatever the text holds. */
const MAX_PATHS = 20;

/** What JSON.parse loses of the text: keys written twice in an object, numbers it cannot hold exactly. */
export function parseLosses(text: string): ParseLosses {
  const losses: ParseLosses = { repeatedKeys: [], impreciseNumbers: [] };
  // One frame per open object or array: the keys seen and the current key, or the current index.
  const frames: Array<{ keys?: Set<string>; key: string; expectKey: boolean }> = [];
  const path = (): string => frames.map((f) => f.key).join('.');
  for (const token of tokens(text)) {
    const frame = frames.at(-1);
    if (token.kind === 'punct') {
      if (token.text === '{') frames.push({ keys: new Set(), key: '', expectKey: true });
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
      if (frame.keys.has(frame.key) && losses.repeatedKeys.length < MAX_PATHS && !losses.repeatedKeys.includes(path())) losses.repeatedKeys.push(path());
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
