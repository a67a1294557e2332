/** The Logs Insights language: parse, check and compile queries (no DuckDB or vscode imports here). */
export { parseQuery, choosesLogGroups, COMMANDS, LIVE_ONLY_COMMANDS } from './parser';
export { compileQuery, type CompileOptions, type CompiledQuery } from './compiler';
export { InsightsQueryError, lineColumn, type QueryLocation, type QueryErrorKind } from './errors';
export { SUPPORT_MACROS } from './sql';
export { SOURCE_TABLES, type SourceTable } from './fields';
export type { Query, Command, Expr } from './ast';
