/**
 * The typed syntax tree of a Logs Insights query. Every node keeps its source range: errors point at
 * it, and an expression without an alias is named in the results by its source text (`count(*)`).
 */
export interface Span {
  start: number;
  end: number;
}

export type Expr =
  | ({ type: 'field'; name: string; path: string[] } & Span)
  | ({ type: 'number'; value: number } & Span)
  | ({ type: 'string'; value: string } & Span)
  | ({ type: 'regex'; pattern: string } & Span)
  | ({ type: 'duration'; amount: number; unit: string } & Span)
  | ({ type: 'list'; items: Expr[] } & Span)
  | ({ type: 'star' } & Span)
  | ({ type: 'call'; name: string; args: Expr[]; nameSpan: Span } & Span)
  | ({ type: 'unary'; op: '-' | 'not'; operand: Expr } & Span)
  | ({ type: 'binary'; op: BinaryOp; left: Expr; right: Expr } & Span)
  | ({ type: 'in'; negated: boolean; value: Expr; list: Expr } & Span)
  | ({ type: 'like'; negated: boolean; op: 'like' | '=~'; value: Expr; pattern: Expr } & Span);

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '=' | '!=' | '<' | '>' | '<=' | '>=' | 'and' | 'or';

/** An expression with an optional `as` alias; `text` is the expression's source text. */
export interface Item extends Span {
  expr: Expr;
  alias?: string;
  text: string;
}

export interface SortKey extends Span {
  expr: Expr;
  text: string;
  descending: boolean;
}

export type Command =
  | ({ type: 'fields'; items: Item[] } & Span)
  | ({ type: 'display'; items: Item[] } & Span)
  | ({ type: 'filter'; condition: Expr } & Span)
  | ({ type: 'stats'; items: Item[]; by: Item[] } & Span)
  | ({ type: 'sort'; keys: SortKey[] } & Span)
  | ({ type: 'limit'; count: number; any: boolean } & Span)
  | ({ type: 'parse'; source?: Expr; pattern: Expr; aliases: string[] } & Span)
  | ({ type: 'dedup'; fields: Expr[] } & Span)
  | ({ type: 'unmask' } & Span)
  /**
   * A command the service runs but local evidence cannot (pattern, diff, `parse … logfmt`), or one holding
   * such a form (`in (SOURCE …)`, list indexing). `form` names it as a message does: `'pattern'`.
   */
  | ({ type: 'unsupported'; form: string; formSpan: Span } & Span);

export interface Query {
  text: string;
  commands: Command[];
}
