import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { EvidenceStore } from '../../src/sources/evidence/store';
import { ingestPaths } from '../../src/sources/evidence/ingest';

/**
 * Runs one measured operation in its own process, so its peak RSS is its own:
 *   evidence-child.ts ingest <path> <db>   |   scan <glob>   |   raw-copy <glob> <db>
 * Prints `{"seconds":N,"maxRssBytes":N,"count":N}`. raw-copy is the least a store that keeps every record's
 * text must do: DuckDB writing each record of the same files, as JSON text, into a table of its own.
 */
async function main(): Promise<void> {
  const [what, a, b] = process.argv.slice(2);
  const started = performance.now();
  let count: number;
  const files = `'${a.replaceAll("'", "''")}'`;
  if (b) {
    rmSync(b, { force: true });
    rmSync(`${b}.wal`, { force: true });
  }
  if (what === 'ingest') {
    const store = await EvidenceStore.open(b);
    const report = await ingestPaths(store, [a]);
    count = report.records.cloudtrail;
    store.close();
  } else {
    const instance = await DuckDBInstance.create(what === 'raw-copy' ? b : ':memory:');
    const connection = await instance.connect();
    const records = what === 'raw-copy'
      ? `CREATE TABLE records AS SELECT unnest(Records) AS raw FROM read_json(${files}, columns = {Records: 'JSON[]'}); SELECT count(*) AS n FROM records`
      : `SELECT count(*) AS n FROM (SELECT unnest(Records) FROM read_json(${files}))`;
    const reader = await connection.runAndReadAll(records);
    count = Number(reader.getRowObjectsJS()[0].n);
    connection.closeSync();
    instance.closeSync();
    if (b) rmSync(b, { force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, count }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
