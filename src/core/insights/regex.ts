/**
 * Regular expressions of queries run on DuckDB's RE2. RE2 spells named groups `(?P<name>…)`, the
 * service's documentation `(?<name>…)`; this rewrites the latter and lists the capture groups so parse
 * can extract each named group by its index.
 */
export interface CaptureGroups {
  /** The pattern in RE2 syntax. */
  re2: string;
  /** Named groups in order, with their 1-based capture index. */
  named: Array<{ name: string; index: number }>;
  /** Why the pattern cannot run (unbalanced groups or classes, constructs RE2 lacks), if it cannot. */
  problem?: string;
}

// What other regex engines accept and RE2 rejects, caught here so the error points at the regex.
const BACKREFERENCE = /^\\(?:[1-9](?![0-9])|k[<{'])/;
const NO_BACKREFERENCES = 'backreferences such as \\1 or (?P=name) are not supported: regular expressions use RE2 syntax';
const LOOKAROUND = /^\?(?:=|!|<=|<!)/;
const NO_LOOKAROUND = 'lookahead and lookbehind such as (?=…) or (?<!…) are not supported: regular expressions use RE2 syntax';

export function toRe2(pattern: string): CaptureGroups {
  let re2 = '';
  const named: CaptureGroups['named'] = [];
  let index = 0;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (BACKREFERENCE.test(pattern.slice(i))) return { re2, named, problem: NO_BACKREFERENCES };
      re2 += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      re2 += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      re2 += c;
      continue;
    }
    if (c === ')' && --depth < 0) return { re2, named, problem: "the regular expression has a ')' without its '('" };
    if (c === '(') {
      depth++;
      const rest = pattern.slice(i + 1);
      const name = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (name) {
        index++;
        named.push({ name: name[1], index });
        re2 += `(?P<${name[1]}>`;
        i += name[0].length;
        continue;
      }
      if (LOOKAROUND.test(rest)) return { re2, named, problem: NO_LOOKAROUND };
      if (rest.startsWith('?P=')) return { re2, named, problem: NO_BACKREFERENCES };
      if (!rest.startsWith('?')) index++;
    }
    re2 += c;
  }
  if (inClass) return { re2, named, problem: "the regular expression has a '[' without its ']'" };
  if (depth > 0) return { re2, named, problem: "the regular expression has a '(' without its ')'" };
  return { re2, named };
}

/** A glob pattern of parse (`"user=* ip=*"`) as a regex whose groups are the stars. */
export function globToRegex(glob: string): { re2: string; stars: number } {
  const parts = glob.split('*');
  const escaped = parts.map((p) => p.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&'));
  // Stars match as little as possible, so the literal text after each star ends it at its first
  // occurrence; a star that ends the pattern takes the rest of the text.
  const re2 = escaped.map((p, i) => (i === 0 ? p : `${i === escaped.length - 1 && p === '' ? '(.*)' : '(.*?)'}${p}`)).join('');
  return { re2: `(?s)${re2}`, stars: parts.length - 1 };
}
