import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidenceStore } from '../../../src/sources/evidence/store';

/**
 * Builds an evidence store from the hand-written fixture logs with plain INSERTs, independent of the
 * ingest code: the Insights tests check the query engine, not the parsers.
 */
const FIXTURES = join(__dirname, '../../fixtures/insights');
const lines = (file: string): string[] => readFileSync(join(FIXTURES, file), 'utf8').split('\n').filter(Boolean);

export const GROUPS = {
  flows: 'vpc-flow-logs',
  lambda: '/aws/lambda/orders',
  cloudtrail: 'cloudtrail',
  sortExample: 'sort-example',
  chunkPrefixes: 'chunk-prefixes',
  jsonEvents: 'json-events',
  lambdaEmbedded: '/aws/lambda/checkout',
} as const;

export interface FixtureStore {
  store: EvidenceStore;
  dispose(): void;
}

export async function openFixtureStore(): Promise<FixtureStore> {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-insights-'));
  const store = await EvidenceStore.open(join(dir, 'evidence.duckdb'));
  await insertFlows(store);
  await insertLambda(store);
  await insertCloudTrail(store);
  await insertSortExample(store);
  // Text chunks that are prefixes of others (`A` of `A!`), shuffled.
  await insertMessages(store, GROUPS.chunkPrefixes, ['web-01', 'x1', 'A!', 'x-', 'web01', 'A1', 'x'].map((v) => JSON.stringify({ v })));
  await insertMessages(store, GROUPS.jsonEvents, lines('json-events.jsonl'));
  await insertMessages(store, GROUPS.lambdaEmbedded, lines('lambda-embedded.log'));
  return {
    store,
    dispose() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function insertFlows(store: EvidenceStore): Promise<void> {
  for (const line of lines('flows.log')) {
    const f = line.split(' ').map((v) => (v === '-' ? null : v));
    const n = (v: string | null) => (v === null ? null : Number(v));
    await store.run(
      `INSERT INTO flows (log_group, log_stream, ts, version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport,
         protocol, packets, bytes, start, "end", action, log_status, raw)
       VALUES ($1, $2, make_timestamp($3::BIGINT * 1000000), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [GROUPS.flows, f[2], n(f[10]), n(f[0]), f[1], f[2], f[3], f[4], n(f[5]), n(f[6]), n(f[7]), n(f[8]), n(f[9]), n(f[10]), n(f[11]), f[12], f[13], line],
    );
  }
}

interface LambdaLine {
  ts: string;
  message: string;
  type?: string;
  requestId?: string;
  duration?: number;
  billed?: number;
  memory?: number;
  maxMemory?: number;
  init?: number;
}

async function insertLambda(store: EvidenceStore): Promise<void> {
  for (const text of lines('lambda.jsonl')) {
    const l = JSON.parse(text) as LambdaLine;
    await store.run(
      `INSERT INTO logs (log_group, log_stream, ts, ingestion_time, message, report_type, request_id, duration, billed_duration,
         memory_size, max_memory_used, init_duration)
       VALUES ($1, '2023/11/14/[$LATEST]abc', CAST($2 AS TIMESTAMPTZ)::TIMESTAMP, CAST($2 AS TIMESTAMPTZ)::TIMESTAMP + INTERVAL 2 SECOND,
         $3, $4, $5, $6, $7, $8, $9, $10)`,
      [GROUPS.lambda, l.ts, l.message, l.type ?? null, l.requestId ?? null, l.duration ?? null, l.billed ?? null, l.memory ?? null, l.maxMemory ?? null, l.init ?? null],
    );
  }
}

async function insertCloudTrail(store: EvidenceStore): Promise<void> {
  for (const text of lines('cloudtrail.jsonl')) {
    const r = JSON.parse(text) as Record<string, string>;
    await store.run(
      `INSERT INTO cloudtrail (event_id, event_time, event_source, event_name, aws_region, recipient_account_id, log_group, log_stream, raw)
       VALUES ($1, CAST($2 AS TIMESTAMPTZ)::TIMESTAMP, $3, $4, $5, $6, $7, '123456789012_CloudTrail_us-east-1', $8)`,
      [r.eventID, r.eventTime, r.eventSource, r.eventName, r.awsRegion, r.recipientAccountId, GROUPS.cloudtrail, text],
    );
  }
}

/** The values of the service's sort-order example (aws-api-reference B.10), shuffled, as JSON events `{"v": …}`. */
async function insertSortExample(store: EvidenceStore): Promise<void> {
  await insertMessages(store, GROUPS.sortExample, lines('sort-example.txt').map((v) => JSON.stringify({ v })));
}

/** Log events with the given messages, one a second from 2023-11-13 00:00:00 UTC (before the other fixtures). */
async function insertMessages(store: EvidenceStore, group: string, messages: string[]): Promise<void> {
  for (const [i, message] of messages.entries()) {
    await store.run(
      `INSERT INTO logs (log_group, log_stream, ts, message) VALUES ($1, 'values', TIMESTAMP '2023-11-13 00:00:00' + to_seconds($2), $3)`,
      [group, i, message],
    );
  }
}
