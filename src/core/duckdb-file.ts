import { closeSync, openSync, readSync } from 'node:fs';

/**
 * What the file at `path` is, from its first bytes (a DuckDB database has `DUCK` at offset 8): absent
 * (or unreadable), empty, a DuckDB database, or something else. Read without loading DuckDB.
 */
export function duckDBFileKind(path: string): 'absent' | 'empty' | 'duckdb' | 'other' {
  const header = Buffer.alloc(12);
  let read: number;
  try {
    const file = openSync(path, 'r');
    try {
      read = readSync(file, header, 0, 12, 0);
    } finally {
      closeSync(file);
    }
  } catch {
    return 'absent';
  }
  if (read === 0) return 'empty';
  return header.toString('latin1', 8, 12) === 'DUCK' ? 'duckdb' : 'other';
}
