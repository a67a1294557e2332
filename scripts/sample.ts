import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSampleCase } from './sample/case';
import { writeSampleNotebook } from './sample/notebook';
import { writeSample, type SampleOptions, type SampleSummary } from './sample/incident';
import { EvidenceStore } from '../src/sources/evidence/store';
import { ingestPaths, type IngestResult } from '../src/sources/evidence/ingest';

/**
 * `npm run sample [-- --ingest] [--out DIR] [--db FILE] [--scale N]`: writes the sample incident
 * (STORY in scripts/sample-story.ts, told in samples/README.md) to samples/evidence/, and with --ingest
 * also builds samples/sample.duckdb, the store `npm start` and the UI tests open, and beside it the
 * investigation case and notebook a responder would have made of it (samples/sample-incident.trailscope-case.json
 * and .trailscope-notebook).
 */
export const SAMPLE_DIR = join(__dirname, '..', 'samples', 'evidence');
export const SAMPLE_DB = join(__dirname, '..', 'samples', 'sample.duckdb');
export const SAMPLE_CASE = 'sample-incident.trailscope-case.json';
export const SAMPLE_NOTEBOOK = 'sample-incident.trailscope-notebook';

export { writeSample, type SampleOptions, type SampleSummary };

/** Ingests a written sample into a new store at `db` (replacing it), and writes its case and notebook beside it. */
export async function ingestSample(dir: string = SAMPLE_DIR, db: string = SAMPLE_DB): Promise<IngestResult> {
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const store = await EvidenceStore.open(db);
  let report: IngestResult;
  try {
    report = await ingestPaths(store, [dir]);
  } finally {
    store.close();
  }
  await writeSampleCase(db, join(dirname(db), SAMPLE_CASE));
  await writeSampleNotebook(db, join(dirname(db), SAMPLE_NOTEBOOK));
  return report;
}

/** Writes the sample and ingests it: what `npm start` needs on a fresh clone. */
export async function prepareSample(options: SampleOptions & { dir?: string; db?: string } = {}): Promise<IngestResult> {
  writeSample(options.dir ?? SAMPLE_DIR, options);
  return ingestSample(options.dir ?? SAMPLE_DIR, options.db ?? SAMPLE_DB);
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const USAGE = `npm run sample -- [--out DIR] [--scale N] [--ingest [--db FILE]]
Writes the sample incident to DIR (default samples/evidence, replaced whole), N times the background
activity; --ingest then ingests it into FILE (default samples/sample.duckdb).`;

async function main(): Promise<void> {
  // Asking for help must not replace the sample.
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const dir = argValue('out') ?? SAMPLE_DIR;
  const summary = writeSample(dir, { scale: Number(argValue('scale') ?? 1) });
  console.log(`sample incident written to ${dir}: ${summary.cloudtrailEvents} CloudTrail events in ${summary.cloudtrailFiles} files, ${summary.flowRecords} flow records, ${summary.lambdaEvents} Lambda log events`);
  if (process.argv.includes('--ingest')) {
    const db = argValue('db') ?? SAMPLE_DB;
    const report = await ingestSample(dir, db);
    console.log(`ingested into ${db}: ${report.files} files, ${JSON.stringify(report.records)}, ${report.skipped.length} skipped`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
