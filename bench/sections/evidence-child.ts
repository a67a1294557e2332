import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { EvidenceStore } from '../../src/sources/evidence/store';
import { ingestPaths } from '../../src/sources/evidence/ingest';

/**
 * Runs one measured operation in its own process, so its peak RSS is its own:
 *   evidence-child.ts ingest <path> <db>   |   scan <glob>   |   raw-copy <glob> <db>   |   typed-copy <glob> <db>
 * Prints `{"seconds":N,"maxRssBytes":N,"count":N}`. raw-copy is the least a store that keeps every record's
 * text must do: DuckDB writing each record of the same files, as JSON text, into a table of its own.
 * typed-copy is the least a store of the typed columns issue 3 names must do: DuckDB reading just those
 * scalars (no text, no resources, no dedupe, no index) straight from the files into a table.
 */
const TYPED_KEYS = ['eventID', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode',
  'errorMessage', 'readOnly', 'eventType', 'recipientAccountId', 'requestID', 'sharedEventID'];
const IDENTITY_KEYS = ['type', 'arn', 'accountId', 'accessKeyId', 'userName', 'principalId'];
const TYPED_RECORD = `STRUCT(${TYPED_KEYS.map((key) => `${key} VARCHAR`).join(', ')}, userIdentity STRUCT(${IDENTITY_KEYS.map((key) => `${key} VARCHAR`).join(', ')}, sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR))))`;
const TYPED_COLUMNS = [
  ...TYPED_KEYS.map((key) => (key === 'eventTime' ? 'r.eventTime::TIMESTAMPTZ AS eventTime' : `r.${key}`)),
  ...IDENTITY_KEYS.map((key) => `r.userIdentity.${key} AS identity_${key}`),
  'r.userIdentity.sessionContext.sessionIssuer.arn AS issuer_arn',
].join(', ');

function copySql(what: string, files: string): string {
  if (what === 'raw-copy') return `CREATE TABLE records AS SELECT unnest(Records) AS raw FROM read_json(${files}, columns = {Records: 'JSON[]'}); SELECT count(*) AS n FROM records`;
  if (what === 'typed-copy') {
    return `CREATE TABLE records AS SELECT ${TYPED_COLUMNS} FROM (SELECT unnest(Records) AS r FROM read_json(${files}, columns = {Records: '${TYPED_RECORD}[]'}));
      SELECT count(*) AS n FROM records`;
  }
  return `SELECT count(*) AS n FROM (SELECT unnest(Records) FROM read_json(${files}))`;
}
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
    const instance = await DuckDBInstance.create(b ?? ':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(copySql(what, files));
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
