/**
 * Errors a query can raise before or while it runs. Each carries the character range it refers to, so
 * the editor underlines it, the CLI prints line and column, and the local endpoint answers with a
 * MalformedQueryException whose `queryCompileError.location` is exactly what the service would send.
 */
export interface QueryLocation {
  /** 0-based offsets into the query text, end exclusive. */
  startCharOffset: number;
  endCharOffset: number;
}

export type QueryErrorKind = 'syntax' | 'unsupported-offline' | 'semantic';

export class InsightsQueryError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(
    readonly kind: QueryErrorKind,
    /** The message without position, e.g. "expected a field name but found '|'". */
    readonly detail: string,
    readonly location: QueryLocation,
    readonly query: string,
  ) {
    const { line, column } = lineColumn(query, location.startCharOffset);
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'InsightsQueryError';
    this.line = line;
    this.column = column;
  }
}

/** 1-based line and column of an offset, counting columns in UTF-16 units as editors do. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
