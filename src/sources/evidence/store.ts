import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { duckDBFileKind } from '../../core/duckdb-file';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

/** DuckDB's API, required on first use (a `require`, which every host and test loader resolves alike). */
function loadDuckDB(): typeof import('@duckdb/node-api') {
  try {
    return require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`evidence stores need DuckDB's native module, which did not load on this machine (${process.platform}-${process.arch}): ${reason}`, { cause: error });
  }
}

/**
 * DuckDB's answer when another process holds the file (VS Code with the store open, another ingest, the
 * demo endpoint) names the process but advises its own CLI's read-only flag: say what to do here instead.
 */
function lockError(path: string, error: unknown): Error | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const holder = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(message);
  if (!holder) return undefined;
  return new Error(`${path} is in use by another program (${holder[1]}, process ${holder[2]}): close the store there (in VS Code, close the window that has it open, or wait for its ingest to end) and try again`, { cause: error });
}

/**
 * DuckDB reads a `.json` or `.csv` file given as its database as that file, in memory: an ingest into a
 * case file or a CSV would report success and keep nothing. A file that is there must be a DuckDB one.
 */
function refuseOtherFile(path: string): void {
  // No file yet (a new store) or an unreadable one: DuckDB creates it or names the problem.
  if (duckDBFileKind(path) === 'other') {
    throw new Error(`${path} is not an evidence store (a DuckDB file) but holds something else: name a new file for the store, or one an ingest made`);
  }
}

/**
 * An evidence store: one DuckDB file holding ingested records and their manifest. Opening creates the
 * schema when the file is new. All queries go through here, so callers never see DuckDB's API.
 */
export class EvidenceStore {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, options: { readOnly?: boolean } = {}): Promise<EvidenceStore> {
    refuseOtherFile(path);
    // The native module loads on the first open, not with the bundle: live AWS works where it cannot load.
    const duckdb = loadDuckDB();
    const instance = await duckdb.DuckDBInstance.create(path, options.readOnly ? { access_mode: 'READ_ONLY' } : {}).catch((error: unknown) => {
      throw lockError(path, error) ?? error;
    });
    const connection = await instance.connect();
    // Every time in the store is UTC; TIMESTAMPTZ casts must not depend on the machine's zone.
    await connection.run("SET TimeZone = 'UTC'");
    const store = new EvidenceStore(path, instance, connection);
    try {
      await store.refuseOtherDatabase(options.readOnly === true);
    } catch (error) {
      store.close();
      throw error;
    }
    if (!options.readOnly) {
      await connection.run(SCHEMA_SQL);
      await connection.run(
        `INSERT INTO store_info VALUES ('schema_version', '${SCHEMA_VERSION}') ON CONFLICT (key) DO NOTHING`,
      );
    }
    return store;
  }

  /**
   * A DuckDB file that is not a Trailscope store (a dbt or analytics database in the workspace) is named
   * as such: read, it has none of the tables queries name; written, Trailscope's tables would be added
   * to someone else's database. A store from a newer Trailscope is refused rather than misread.
   */
  private async refuseOtherDatabase(readOnly: boolean): Promise<void> {
    const [{ tables, ours }] = await this.all<{ tables: bigint; ours: bigint }>(
      "SELECT count(*) AS tables, count(*) FILTER (WHERE table_name = 'store_info') AS ours FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main'");
    if (Number(ours) === 0) {
      if (readOnly || Number(tables) > 0) {
        const held = Number(tables) === 0 ? '' : ` (it holds ${tables} table${Number(tables) === 1 ? '' : 's'} of something else)`;
        throw new Error(`${this.path} is a DuckDB database but not a Trailscope evidence store${held}: name a store an ingest made, or a new file`);
      }
      return;
    }
    const [version] = await this.all<{ value: string }>("SELECT value FROM store_info WHERE key = 'schema_version'");
    if (version && Number(version.value) > SCHEMA_VERSION) {
      throw new Error(`${this.path} was made by a newer Trailscope (store format ${version.value}; this one reads ${SCHEMA_VERSION}): update Trailscope to read it`);
    }
  }

  /** Rows as plain objects. BIGINTs arrive as bigint; callers convert where they need numbers. */
  async all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = params ? await this.connection.runAndReadAll(sql, params) : await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as T[];
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    if (params) await this.connection.run(sql, params);
    else await this.connection.run(sql);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
