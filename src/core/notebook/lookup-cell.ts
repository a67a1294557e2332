import { LookupParseError, parseAttribute, parseFilter } from '../lookup/parse';
import { LOOKUP_ATTRIBUTE_KEYS, type FieldFilter, type LookupAttribute } from '../lookup/request';

/**
 * The text of a notebook's lookup cell: one condition a line, written as the CLI takes them
 * (`EventName=ConsoleLogin`, `sourceIPAddress=203.0.113.7`, `userAgent~boto3`), all AND-ed. A line's key
 * says whether it is a LookupEvents attribute or a field filter. `#` starts a comment line; blank lines
 * are left out, so a cell can be laid out as the responder likes.
 */

export interface LookupConditions {
  attributes: LookupAttribute[];
  filters: FieldFilter[];
}

/** A line of a lookup cell that is not a condition; `line` is 1-based. */
export class LookupCellError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export function parseLookupCell(source: string): LookupConditions {
  const conditions: LookupConditions = { attributes: [], filters: [] };
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const key = /^[^=~]*/.exec(line)?.[0].trim() ?? '';
    try {
      // Spaces around the separator and at the ends of a line are layout, not part of the condition.
      const condition = line.replace(/^([^=~]*?)\s*([=~])\s*/, '$1$2');
      if ((LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) conditions.attributes.push(parseAttribute(condition));
      else conditions.filters.push(parseFilter(condition));
    } catch (error) {
      if (!(error instanceof LookupParseError)) throw error;
      const unknown = /^unknown filter field/.test(error.message)
        ? `unknown key '${key}': a LookupEvents attribute (${LOOKUP_ATTRIBUTE_KEYS.join(', ')}) or a field filter`
        : error.message;
      throw new LookupCellError(i + 1, unknown);
    }
  });
  return conditions;
}
