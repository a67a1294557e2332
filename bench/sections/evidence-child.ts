import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { EvidenceStore } from '../../src/sources/evidence/store';
import { ingestPaths } from '../../src/sources/evidence/ingest';

/**
 * Runs one measured operation in its own process, so its peak RSS is its own:
 *   evidence-child.ts ingest <dir> <db>   |   evidence-child.ts scan <glob>
 * Prints `{"seconds":N,"maxRssBytes":N,"count":N}`.
 */
async function main(): Promise<void> {
  const [what, a, b] = process.argv.slice(2);
  const started = performance.now();
  let count: number;
  if (what === 'ingest') {
    rmSync(b, { force: true });
    rmSync(`${b}.wal`, { force: true });
    const store = await EvidenceStore.open(b);
    const report = await ingestPaths(store, [a]);
    count = report.records.cloudtrail;
    store.close();
  } else {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM (SELECT unnest(Records) FROM read_json('${a.replaceAll("'", "''")}'))`);
    count = Number(reader.getRowObjectsJS()[0].n);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, count }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
