import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { evidenceBackend } from '../../../src/endpoint/evidence-backend';
import { ENVIRONMENT_PROFILE } from '../../../src/sources/aws/accounts';
import { startEndpoint, type RunningEndpoint } from '../../../src/endpoint/server';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { TEST_SECRET } from './helpers';

/**
 * The CLI's live forms against the local endpoint serving an evidence store, compared with the
 * offline forms over the same store: a responder gets the same output whichever they use.
 */
const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
let dir: string;
let db: string;
let endpoint: RunningEndpoint;
const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const INSIGHT = {
  eventVersion: '1.07',
  eventTime: '2020-09-14T02:00:00Z',
  awsRegion: 'us-east-1',
  eventID: 'insight-0001',
  eventType: 'AwsCloudTrailInsight',
  recipientAccountId: '111122223333',
  sharedEventID: 'insight-shared-1',
  insightDetails: { state: 'Start', eventSource: 'iam.amazonaws.com', eventName: 'DeleteUser', insightType: 'ApiCallRateInsight' },
  eventCategory: 'Insight',
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailscope-cli-live-'));
  db = join(dir, 'evidence.duckdb');
  const store = await EvidenceStore.open(db);
  // An Insights event, as a trail with Insights delivers it: no eventName of its own, the API's in insightDetails.
  const insights = join(dir, 'AWSLogs', '111122223333', 'CloudTrail-Insight', 'us-east-1', '2020', '09', '14');
  mkdirSync(insights, { recursive: true });
  writeFileSync(join(insights, '111122223333_CloudTrail-Insight_us-east-1_20200914T0200Z_x.json'), JSON.stringify({ Records: [INSIGHT] }));
  await ingestPaths(store, [join(FIXTURES, 'otrf-ec2-proxy-s3-exfiltration'), join(FIXTURES, 'evidence', 's3'), join(FIXTURES, 'evidence', 'flow'), join(dir, 'AWSLogs')]);
  store.close();
  // The endpoint reads its own copy: one DuckDB file is opened by one instance at a time.
  copyFileSync(db, join(dir, 'served.duckdb'));
  endpoint = await startEndpoint({
    backend: evidenceBackend(await EvidenceSource.open(join(dir, 'served.duckdb'), { readOnly: true })),
    faults: { lookupRatePerSecond: 0 },
    trails: [{ Name: 'main', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, status: { IsLogging: false } }],
  });
  process.env.AWS_ACCESS_KEY_ID = 'AKIACLITESTKEY000001';
  process.env.AWS_SECRET_ACCESS_KEY = TEST_SECRET;
  delete process.env.AWS_PROFILE;
});

after(async () => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  await endpoint.close();
  rmSync(dir, { recursive: true, force: true });
});

const LIVE = () => ['--endpoint-url', endpoint.url, '--region', 'us-east-1,eu-west-1'];

type Events = { Events: Array<{ CloudTrailEvent: string }> };
/** What Event history can return: management events (the evidence also holds S3 data events). */
const management = (result: Events): Events => ({
  Events: result.Events.filter((e) => (JSON.parse(e.CloudTrailEvent) as { managementEvent?: boolean }).managementEvent !== false),
});

test('lookup: live and offline print the same events, in the same order and shape', async () => {
  for (const extra of [[], ['--attr', 'EventName=ListBuckets'], ['--attr', 'Username=pedro', '--attr', 'ReadOnly=true', '--filter', 'sourceIPAddress~1']]) {
    const offline = await cli('lookup', '--db', db, '--format', 'json', ...extra);
    const live = await cli('lookup', ...LIVE(), '--format', 'json', ...extra);
    assert.equal(offline.code, 0, offline.err);
    assert.equal(live.code, 0, live.err);
    const expected = management(JSON.parse(offline.out) as Events);
    assert.ok(expected.Events.length > 0, `no events for ${extra.join(' ')}`);
    assert.equal(live.out, JSON.stringify(expected, null, 2) + '\n');
  }
  const table = await cli('lookup', ...LIVE(), '--attr', 'EventSource=ec2.amazonaws.com', '--max', '5');
  assert.equal(table.out, (await cli('lookup', '--db', db, '--attr', 'EventSource=ec2.amazonaws.com', '--max', '5')).out);
  assert.equal(table.out.trim().split('\n').length, 7);
});

test('where DuckDB\'s native module cannot load, live lookups still answer and a store says why it cannot open', async () => {
  // A loader that refuses @duckdb/* to require() and to import(), as a platform without its binary would.
  const hide = join(dir, 'no-duckdb.mjs');
  const refusal = 'no DuckDB binary for this platform (test)';
  const refuse = `if (String(specifier).startsWith('@duckdb/')) throw new Error(${JSON.stringify(refusal)});`;
  writeFileSync(
    hide,
    [
      "import Module, { register } from 'node:module';",
      'const resolveFilename = Module._resolveFilename;',
      `Module._resolveFilename = function (specifier, ...rest) { ${refuse} return resolveFilename.call(this, specifier, ...rest); };`,
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(`export async function resolve(specifier, context, next) { ${refuse} return next(specifier, context); }`)}));`,
    ].join('\n'),
  );
  const run = (...argv: string[]): Promise<{ code: number | null; out: string; err: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', hide, '--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: ROOT, env: process.env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
  const live = await run('lookup', ...LIVE(), '--attr', 'EventName=ListBuckets', '--format', 'json');
  assert.equal(live.code, 0, live.err);
  assert.equal(live.out, (await cli('lookup', ...LIVE(), '--attr', 'EventName=ListBuckets', '--format', 'json')).out);
  const offline = await run('lookup', '--db', db);
  assert.equal(offline.code, 1);
  assert.equal(offline.err.trim(), `trailscope lookup: evidence stores need DuckDB's native module, which did not load on this machine (${process.platform}-${process.arch}): ${refusal}`);
});

test('lookup: data events in the evidence are not served by Event history', async () => {
  const offline = JSON.parse((await cli('lookup', '--db', db, '--attr', 'EventName=GetObject', '--format', 'json')).out) as Events;
  assert.ok(offline.Events.length > 0);
  const live = JSON.parse((await cli('lookup', ...LIVE(), '--attr', 'EventName=GetObject', '--format', 'json')).out) as Events;
  assert.deepEqual(live, management(offline));
  assert.ok(live.Events.length < offline.Events.length);
});

test('related: a live pivot that fills the page it fetched says its count is only a floor', async () => {
  const [listed] = (JSON.parse((await cli('lookup', ...LIVE(), '--attr', 'EventName=ListBuckets', '--max', '1', '--format', 'json')).out) as { Events: Array<{ EventId: string }> }).Events;
  const live = await cli('related', ...LIVE(), '--event-id', listed!.EventId, '--limit', '5', '--format', 'json');
  assert.equal(live.code, 0, live.err);
  const pivots = (JSON.parse(live.out) as { pivots: Array<{ pivot: string; count: number; capped?: boolean; events?: unknown[] }> }).pivots.filter((p) => p.events);
  const full = pivots.filter((p) => p.events!.length === 5);
  assert.ok(full.length > 0 && full.length < pivots.length, pivots.map((p) => `${p.pivot} ${p.count}`).join(', '));
  for (const p of pivots) assert.equal(p.capped, p.events!.length === 5 ? true : undefined, `${p.pivot}: ${p.count}`);
  const table = await cli('related', ...LIVE(), '--event-id', listed!.EventId, '--limit', '5');
  assert.match(table.out, new RegExp(`\\n${full[0]!.pivot} = [^\\n]+: 5\\+ event\\(s\\) \\(live: a page of matches, or 10 pages of each region's newest events, read at most\\)\\n`));
});

test('notebook: a cell that runs on an account (here the environment\'s credentials) is answered live, as `lookup` answers it', async () => {
  const notebook = join(dir, 'live.trailscope-notebook');
  const place = { target: { kind: 'live', profile: ENVIRONMENT_PROFILE, regions: ['us-east-1', 'eu-west-1'] }, logGroups: [], start: '2020-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z' };
  writeFileSync(notebook, JSON.stringify({ trailscopeNotebook: 1, cells: [{ kind: 'lookup', source: 'EventName=ListBuckets', place }] }));
  const run = await cli('notebook', notebook, '--endpoint-url', endpoint.url, '--in-place');
  assert.equal(run.code, 0, run.err);
  const expected = (JSON.parse((await cli('lookup', ...LIVE(), '--attr', 'EventName=ListBuckets', '--start', place.start, '--end', place.end, '--format', 'json')).out) as Events).Events;
  assert.ok(expected.length > 0);
  assert.equal(run.out, `cell 1 (lookup) EventName=ListBuckets: ${expected.length} event${expected.length === 1 ? '' : 's'}\n`);
  const saved = JSON.parse(readFileSync(notebook, 'utf8')) as { cells: Array<{ output: { result: Events } }> };
  assert.deepEqual(saved.cells[0]!.output.result, { Events: expected });
  // Asked instead of the cell's place through the options, the answer records the account and regions
  // they really opened: the environment's credentials, and region names as given, trimmed.
  const other = await cli('notebook', notebook, '--endpoint-url', endpoint.url, '--region', 'us-east-1, eu-west-1', '--in-place');
  assert.equal(other.code, 0, other.err);
  const asked = (JSON.parse(readFileSync(notebook, 'utf8')) as { cells: Array<{ output: { asked: { place: { target: unknown } } } }> }).cells[0]!.output.asked;
  assert.deepEqual(asked.place.target, { kind: 'live', profile: ENVIRONMENT_PROFILE, regions: ['us-east-1', 'eu-west-1'] });
});

test('log-groups: live and offline list the same groups with the same kinds', async () => {
  const offline = JSON.parse((await cli('log-groups', '--db', db, '--format', 'json')).out) as { LogGroups: Array<{ name: string; kind: string }> };
  const live = await cli('log-groups', '--endpoint-url', endpoint.url, '--region', 'us-east-1', '--format', 'json');
  assert.equal(live.code, 0, live.err);
  const liveGroups = (JSON.parse(live.out) as { LogGroups: Array<{ name: string; kind: string; arn?: string }> }).LogGroups;
  assert.ok(offline.LogGroups.length >= 2);
  assert.deepEqual(
    liveGroups.map((g) => [g.name, g.kind]),
    offline.LogGroups.filter((g) => !('region' in g) || (g as { region?: string }).region === 'us-east-1').map((g) => [g.name, g.kind]),
  );
  assert.ok(liveGroups.every((g) => g.arn?.startsWith('arn:aws:logs:us-east-1:')));
});

test('insights: live and offline give the same rows and statistics; live adds the estimated cost', async () => {
  const query = ['--log-group', 'vpc-flow-logs/111111111111', '--query', 'stats sum(bytes) as b by srcAddr | sort b desc | limit 5', '--start', '2026-01-01T00:00:00Z', '--end', '2026-12-31T00:00:00Z', '--format', 'json'];
  const offline = await cli('insights', '--db', db, ...query);
  const live = await cli('insights', '--endpoint-url', endpoint.url, '--region', 'us-east-1', ...query);
  assert.equal(offline.code, 0, offline.err);
  assert.equal(live.code, 0, live.err);
  const { estimatedCostUsd, ...liveResult } = JSON.parse(live.out) as { estimatedCostUsd: number; results: unknown[] };
  assert.ok(liveResult.results.length > 0);
  assert.deepEqual(liveResult, JSON.parse(offline.out));
  assert.equal(typeof estimatedCostUsd, 'number');
  // As a table, the statistics line on stderr says what the scan cost, live only.
  const table = query.slice(0, -2);
  assert.match((await cli('insights', '--endpoint-url', endpoint.url, '--region', 'us-east-1', ...table)).err, / · cost < USD 0\.01\n/);
  assert.doesNotMatch((await cli('insights', '--db', db, ...table)).err, /cost/);
});

test('insights: a query that times out or fails says so on stderr in every format, not as an empty result', async () => {
  const query = ['--endpoint-url', endpoint.url, '--region', 'us-east-1', '--log-group', 'vpc-flow-logs/111111111111', '--query', 'stats count(*) by srcAddr', '--start', '2026-01-01T00:00:00Z', '--end', '2026-12-31T00:00:00Z'];
  try {
    for (const outcome of ['Timeout', 'Failed'] as const) {
      endpoint.faults = { ...endpoint.faults, queryOutcome: outcome };
      for (const format of ['table', 'csv', 'json']) {
        const run = await cli('insights', ...query, '--format', format);
        assert.equal(run.code, 1, `${outcome} ${format}`);
        assert.match(run.err, new RegExp(`^trailscope insights: the query ended ${outcome}, not Complete: CloudWatch Logs Insights .*${outcome}`, 'm'), `${outcome} ${format}: ${run.err}`);
      }
    }
  } finally {
    endpoint.faults = { ...endpoint.faults, queryOutcome: 'Complete' };
  }
});

/** Runs a live `insights` query in a child CLI that never ends by itself and sends it Ctrl-C once it polls. */
async function interruptedInsights(): Promise<{ code: number | null; stderr: string; stop?: (typeof endpoint.requests)[number] }> {
  const seen = endpoint.requests.length;
  const since = (operation: string) => endpoint.requests.slice(seen).find((r) => r.operation === operation);
  const faults = endpoint.faults;
  endpoint.faults = { ...faults, queryRunningPolls: 1_000_000 };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'insights', '--endpoint-url', endpoint.url, '--region', 'us-east-1', '--log-group', 'vpc-flow-logs/111111111111', '--query', 'stats count(*) by srcAddr', '--start', '2026-01-01T00:00:00Z', '--end', '2026-12-31T00:00:00Z'],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  try {
    const deadline = Date.now() + 20_000;
    while (!since('GetQueryResults')) {
      assert.ok(running && Date.now() < deadline, `the query never started: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGINT');
    return { code: await exited, stderr, stop: since('StopQuery') };
  } finally {
    child.kill('SIGKILL');
    endpoint.faults = faults;
  }
}

test('Ctrl-C during a live Logs Insights query stops the query (StopQuery) before the CLI exits', async () => {
  const { code, stop } = await interruptedInsights();
  assert.equal(code, 130);
  assert.equal(stop?.status, 200);
});

test('Ctrl-C whose StopQuery is refused says which query still runs, where, and why', async () => {
  endpoint.faults = { ...endpoint.faults, deniedOperations: ['StopQuery'] };
  try {
    const { code, stderr, stop } = await interruptedInsights();
    assert.equal(code, 130);
    assert.equal(stop?.errorType, 'AccessDeniedException');
    assert.ok(
      stderr.includes(`trailscope: could not stop query ${String(stop?.params.queryId)} in us-east-1: User: arn:aws:iam::`) && stderr.includes('not authorized to perform: StopQuery (it may run up to 60 minutes)'),
      stderr,
    );
  } finally {
    endpoint.faults = { ...endpoint.faults, deniedOperations: [] };
  }
});

test('trails: JSON and table forms; trails needs a live source', async () => {
  const json = await cli('trails', '--endpoint-url', endpoint.url, '--region', 'us-east-1', '--format', 'json');
  assert.equal(json.code, 0, json.err);
  const trails = (JSON.parse(json.out) as { Trails: Array<{ name: string; isLogging: boolean; health: Array<{ flag: string }> }> }).Trails;
  assert.deepEqual(
    trails.map((t) => [t.name, t.isLogging, t.health.map((h) => h.flag)]),
    [['main', false, ['logging-stopped', 'log-file-validation-off', 'no-cloudwatch-logs']]],
  );
  const table = await cli('trails', '--endpoint-url', endpoint.url, '--region', 'us-east-1');
  assert.match(table.out, /^Name\s+HomeRegion.*\nmain\s+us-east-1\s+yes\s+no\s+no\s+no\s+-\s+logging-stopped log-file-validation-off no-cloudwatch-logs\n$/s);
});

test('trails with no source options reads the account of the environment\'s credentials, as its help says', async () => {
  const help = await cli('trails', '--help');
  assert.match(help.out, /--profile P\[,P\.\.\.\]\s+AWS profiles to read \(default: the SDK's default credentials: AWS_ACCESS_KEY_ID/);
  assert.doesNotMatch(help.out, /--db/);
  // The environment names everything: the credentials (set in before()), the region and the endpoint.
  const saved = { url: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION };
  process.env.AWS_ENDPOINT_URL = endpoint.url;
  process.env.AWS_REGION = 'us-east-1';
  try {
    const result = await cli('trails', '--format', 'json');
    assert.equal(result.code, 0, result.err);
    assert.doesNotMatch(result.err, /--db|say where to read/);
    assert.deepEqual((JSON.parse(result.out) as { Trails: Array<{ name: string }> }).Trails.map((t) => t.name), ['main']);
  } finally {
    for (const [key, value] of [['AWS_ENDPOINT_URL', saved.url], ['AWS_REGION', saved.region]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('lookup with no source options does not go live on the environment\'s credentials, and says how to choose', async () => {
  assert.ok(process.env.AWS_ACCESS_KEY_ID, 'credentials are in the environment');
  const refused = await cli('lookup', '--attr', 'EventName=ListBuckets');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /^trailscope lookup: say where to read: --db FILE \(an evidence store\), or --profile P and\/or --region R \(or --endpoint-url URL\) for AWS, which is not read without one of them, even with credentials in the environment\n/);
  assert.match(refused.err, /--profile P\[,P\.\.\.\]\s+AWS profiles to read live \(with only --region or --endpoint-url: the SDK's default credentials/);
  // --region alone is enough to say "AWS, with the environment's credentials".
  const live = await cli('lookup', '--endpoint-url', endpoint.url, '--region', 'us-east-1', '--attr', 'EventName=ListBuckets', '--format', 'json');
  assert.equal(live.code, 0, live.err);
});

test('usage errors: bad region, both --db and live options', async () => {
  const bad = await cli('lookup', '--endpoint-url', endpoint.url, '--region', 'mars-1');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--region takes region names/);
  const both = await cli('lookup', '--db', db, '--region', 'us-east-1');
  assert.equal(both.code, 2);
  assert.match(both.err, /not both/);
});

test('no output or error of the live CLI contains the secret key', async () => {
  endpoint.faults = { ...endpoint.faults, deniedOperations: ['LookupEvents'] };
  const denied = await cli('lookup', ...LIVE());
  endpoint.faults = { ...endpoint.faults, deniedOperations: [] };
  assert.equal(denied.code, 1);
  assert.match(denied.err, /not authorized to perform: LookupEvents/);
  assert.ok(!(denied.out + denied.err).includes(TEST_SECRET));
});

test('lookup: Insights events come only with --event-category insight, live and offline alike, by the API named in them', async () => {
  const ids = (out: string): string[] => (JSON.parse(out) as { Events: Array<{ EventId: string }> }).Events.map((e) => e.EventId);
  // Without the category, not even its ID finds it, as Event history does.
  assert.deepEqual(ids((await cli('lookup', '--db', db, '--attr', 'EventId=insight-0001', '--format', 'json')).out), []);
  for (const where of [['--db', db], LIVE()]) {
    for (const extra of [[], ['--attr', 'EventName=DeleteUser'], ['--attr', 'EventSource=iam.amazonaws.com'], ['--attr', 'EventId=insight-0001']]) {
      const result = await cli('lookup', ...where, '--event-category', 'insight', '--format', 'json', ...extra);
      assert.equal(result.code, 0, result.err);
      const [event] = (JSON.parse(result.out) as { Events: Array<Record<string, unknown>> }).Events;
      assert.deepEqual([event?.EventId, event?.EventName, event?.EventSource], ['insight-0001', 'DeleteUser', 'iam.amazonaws.com'], `${where[0]} ${extra.join(' ')}`);
    }
    assert.deepEqual(ids((await cli('lookup', ...where, '--event-category', 'insight', '--attr', 'EventName=CreateUser', '--format', 'json')).out), []);
  }
  const refused = await cli('lookup', '--db', db, '--event-category', 'insight', '--attr', 'Username=pedro');
  assert.equal(refused.code, 2);
  assert.equal(refused.err.split('\n')[0], 'trailscope lookup: Insights events are looked up by EventId, EventName, EventSource only, not Username');
  const unknown = await cli('lookup', '--db', db, '--event-category', 'management');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--event-category takes one value, insight, not 'management'/);
});
