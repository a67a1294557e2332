import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InsightsRequest } from '../../../src/sources/source';
import type { InsightsResult } from '../../../src/core/results';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { estimatedCostUsd, RunningQueries } from '../../../src/sources/aws/insights-runner';
import { parseQuery } from '../../../src/core/insights';
import { saveInConsole, startRig, TEST_ACCOUNT, type TestRig } from './helpers';

const ROWS = Array.from({ length: 10 }, (_, i) => [
  { field: 'srcAddr', value: `10.0.0.${i}` },
  { field: 'bytes', value: String(1000 - i) },
]);
const FULL: InsightsResult = { status: 'Complete', results: ROWS, statistics: { recordsMatched: 10, recordsScanned: 5000, bytesScanned: 2e9 } };
const REQUEST: InsightsRequest = {
  query: 'stats sum(bytes) by srcAddr',
  logGroups: ['/vpc/flow-logs'],
  start: '2026-11-01T00:00:00Z',
  end: '2026-11-01T01:00:00Z',
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  for (const until = Date.now() + ms; !condition(); await sleep(10)) {
    if (Date.now() > until) assert.fail('timed out waiting');
  }
}

describe('Logs Insights runner against the local endpoint', () => {
  const seen: InsightsRequest[] = [];
  let rig: TestRig;
  let source: LiveSource;
  before(async () => {
    rig = await startRig({
      insights: async (request) => {
        parseQuery(request.query); // the engine refuses what it cannot parse, as StartQuery does
        seen.push(request);
        return FULL;
      },
    });
    source = new LiveSource({ account: rig.account, regions: ['eu-west-1'], insightsPollMs: 5 });
  });
  after(async () => {
    source.close();
    await rig.close();
  });

  test('polls until Complete, reporting partial results, statistics and the cost of the bytes scanned', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 3, queryOutcome: 'Complete' };
    const progress: InsightsResult[] = [];
    const result = await source.runInsights(REQUEST, { onProgress: (p) => progress.push(p) });
    assert.equal(result.status, 'Complete');
    assert.deepEqual(result.results, ROWS);
    assert.deepEqual(result.statistics, FULL.statistics);
    assert.equal(result.estimatedCostUsd, 0.01);
    assert.equal(estimatedCostUsd(1e9), 0.005);
    const running = progress.filter((p) => p.status === 'Running');
    assert.equal(running.length, 3);
    assert.ok(running[0].results.length < running[2].results.length && running[2].results.length < ROWS.length, 'partial results grow');
    assert.ok(running[0].statistics.bytesScanned > 0 && running[0].statistics.bytesScanned < 2e9);
    // Inclusive epoch-second bounds reached the engine unchanged.
    assert.equal(seen.at(-1)?.start, '2026-11-01T00:00:00.000Z');
    assert.equal(seen.at(-1)?.end, '2026-11-01T01:00:00.999Z');
  });

  test('5xx answers to StartQuery and GetQueryResults are retried: the result is the same as without faults', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 4, queryOutcome: 'Complete', serverErrorRate: 0.4, seed: 7 };
    const before = rig.endpoint.requests.length;
    try {
      const result = await source.runInsights(REQUEST);
      assert.deepEqual(result.results, ROWS);
      assert.deepEqual(result.statistics, FULL.statistics);
      assert.ok(rig.endpoint.requests.slice(before).some((r) => r.status >= 500), 'the endpoint failed some requests');
    } finally {
      rig.endpoint.faults = { ...rig.endpoint.faults, serverErrorRate: 0 };
    }
  });

  test('cancel calls StopQuery and rejects with AbortError', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 10_000 };
    const registry = new RunningQueries();
    const controller = new AbortController();
    const run = source.runInsights(REQUEST, { signal: controller.signal, registry, onProgress: () => controller.abort() });
    await assert.rejects(run, { name: 'AbortError' });
    const start = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery').at(-1);
    const stop = rig.endpoint.requests.filter((r) => r.operation === 'StopQuery').at(-1);
    assert.ok(stop, 'StopQuery was sent');
    assert.equal(stop.status, 200);
    assert.ok(stop.at >= (start?.at ?? Infinity));
    assert.equal(registry.size, 0);
  });

  test('a cancel while StartQuery is on its way returns at once, and the query is stopped when its ID comes back', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 10_000, delayMs: 300 };
    const registry = new RunningQueries();
    const controller = new AbortController();
    const before = rig.endpoint.requests.length;
    try {
      const run = source.runInsights(REQUEST, { signal: controller.signal, registry });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(run, { name: 'AbortError' });
      assert.equal(rig.endpoint.requests.slice(before).filter((r) => r.operation === 'StopQuery').length, 0, 'cancelled before the ID was known');
      await waitFor(() => registry.size === 0);
      const sent = rig.endpoint.requests.slice(before);
      assert.deepEqual(sent.map((r) => [r.operation, r.status]), [['StartQuery', 200], ['StopQuery', 200]]);
    } finally {
      rig.endpoint.faults = { ...rig.endpoint.faults, delayMs: 0 };
    }
  });

  test('stopAll (Ctrl-C) waits for a StartQuery on its way and stops the query it started', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 10_000, delayMs: 200 };
    const registry = new RunningQueries();
    const before = rig.endpoint.requests.length;
    try {
      const run = source.runInsights(REQUEST, { registry });
      await waitFor(() => rig.endpoint.requests.length > before);
      assert.equal(registry.size, 1, 'the StartQuery in flight counts');
      assert.deepEqual(await registry.stopAll(), []);
      assert.equal((await run).status, 'Cancelled');
      const stop = rig.endpoint.requests.slice(before).find((r) => r.operation === 'StopQuery');
      assert.equal(stop?.status, 200);
    } finally {
      rig.endpoint.faults = { ...rig.endpoint.faults, delayMs: 0 };
    }
  });

  test('stopAll (Ctrl-C) ends a StartQuery that is being retried under throttling: no further attempts', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, throttleRate: 1 };
    const registry = new RunningQueries();
    const starts = () => rig.endpoint.requests.filter((r) => r.operation === 'StartQuery').length;
    const before = starts();
    try {
      const run = source.runInsights(REQUEST, { registry });
      await waitFor(() => starts() >= before + 2);
      const atStop = starts();
      assert.deepEqual(await registry.stopAll(), []);
      await assert.rejects(run, { name: 'AbortError' });
      await sleep(1500);
      assert.ok(starts() <= atStop + 1, `${starts() - atStop} StartQuery attempts after the stop`);
      assert.equal(registry.size, 0);
    } finally {
      rig.endpoint.faults = { ...rig.endpoint.faults, throttleRate: 0 };
    }
  });

  test('a StartQuery that gets no answer in time is not sent again: a second query would run unseen beside the first', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 1, delayMs: 400 };
    const impatient = new LiveSource({ account: new AwsAccount({ ...rig.account.options, idleTimeoutMs: 150 }), regions: ['eu-west-1'], insightsPollMs: 5 });
    const before = rig.endpoint.requests.length;
    try {
      await assert.rejects(impatient.runInsights(REQUEST), /^Error: StartQuery did not complete \(.*\); the service may have started the query anyway/);
      await sleep(500);
      assert.deepEqual(rig.endpoint.requests.slice(before).filter((r) => r.operation === 'StartQuery').length, 1);
    } finally {
      rig.endpoint.faults = { ...rig.endpoint.faults, delayMs: 0 };
      impatient.close();
    }
  });

  test('a cancel whose StopQuery is refused says the query still runs, and where; a later stopAll stops it', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 10_000, deniedOperations: ['StopQuery'] };
    const registry = new RunningQueries();
    const controller = new AbortController();
    try {
      const run = source.runInsights(REQUEST, { signal: controller.signal, registry, onProgress: () => controller.abort() });
      await assert.rejects(run, (error: Error) => {
        const queryId = String(rig.endpoint.requests.filter((r) => r.operation === 'StopQuery').at(-1)?.params.queryId);
        assert.equal(error.name, 'QueryNotStoppedError');
        assert.ok(
          error.message.startsWith(`could not stop query ${queryId} in eu-west-1: User: arn:aws:iam::${TEST_ACCOUNT}:user/trailscope-local is not authorized to perform: StopQuery (it may run up to 60 minutes)`),
          error.message,
        );
        return true;
      });
      assert.equal(registry.size, 1, 'kept for a later stopAll');
      rig.endpoint.faults = { ...rig.endpoint.faults, deniedOperations: [] };
      assert.deepEqual(await registry.stopAll(), []);
      assert.equal(registry.size, 0);
      assert.equal(rig.endpoint.requests.filter((r) => r.operation === 'StopQuery').at(-1)?.status, 200);
    } finally {
      rig.endpoint.faults = { ...rig.endpoint.faults, deniedOperations: [] };
    }
  });

  test('stopAll (extension deactivate) stops a running query; the run ends Cancelled with a message', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 10_000 };
    const registry = new RunningQueries();
    let stopping: Promise<unknown> | undefined;
    const result = await source.runInsights(REQUEST, {
      registry,
      onProgress: () => {
        stopping ??= registry.stopAll();
      },
    });
    await stopping;
    assert.equal(result.status, 'Cancelled');
    assert.match(result.message ?? '', /cancelled/i);
  });

  test('a result of more than 10,000 rows is read page by page: all 25,000 rows, in order', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => [{ field: 'n', value: String(i) }]);
    const big = await startRig({ insights: async () => ({ ...FULL, results: rows }) }, { faults: { queryRunningPolls: 1 } });
    const bigSource = new LiveSource({ account: big.account, regions: ['eu-west-1'], insightsPollMs: 5 });
    try {
      const result = await bigSource.runInsights({ ...REQUEST, limit: 25_000 });
      assert.equal(result.status, 'Complete');
      assert.deepEqual(result.results, rows);
      const pages = big.endpoint.requests.filter((r) => r.operation === 'GetQueryResults' && r.params.nextToken !== undefined);
      assert.equal(pages.length, 2, 'two further pages of 10,000 and 5,000 rows');
    } finally {
      bigSource.close();
      await big.close();
    }
  });

  for (const outcome of ['Failed', 'Timeout'] as const) {
    test(`a query that ends ${outcome} is reported with its status and a message`, async () => {
      rig.endpoint.faults = { ...rig.endpoint.faults, queryRunningPolls: 1, queryOutcome: outcome };
      const result = await source.runInsights(REQUEST);
      assert.equal(result.status, outcome);
      assert.match(result.message ?? '', new RegExp(outcome, 'i'));
      rig.endpoint.faults = { ...rig.endpoint.faults, queryOutcome: 'Complete' };
    });
  }

  test('a malformed query surfaces the service message; more than 50 log groups is refused before any call', async () => {
    await assert.rejects(source.runInsights({ ...REQUEST, query: 'bogus' }), /line 1, column 1: Logs Insights rejected the query: .*bogus/);
    const before = rig.endpoint.requests.length;
    await assert.rejects(source.runInsights({ ...REQUEST, logGroups: Array.from({ length: 51 }, (_, i) => `/g/${i}`) }), /1 to 50 log groups/);
    assert.equal(rig.endpoint.requests.length, before);
  });

  test('cross-account groups given as ARNs go as logGroupIdentifiers, names as logGroupNames', async () => {
    const arn = 'arn:aws:logs:eu-west-1:999988887777:log-group:/shared/cloudtrail';
    await source.runInsights({ ...REQUEST, logGroups: ['/vpc/flow-logs', `${arn}:*`] });
    const withArn = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery').at(-1);
    assert.deepEqual(withArn?.params.logGroupIdentifiers, ['/vpc/flow-logs', arn]);
    assert.equal(withArn?.params.logGroupNames, undefined);
    await source.runInsights(REQUEST);
    assert.deepEqual(rig.endpoint.requests.filter((r) => r.operation === 'StartQuery').at(-1)?.params.logGroupNames, ['/vpc/flow-logs']);
  });

  test('the queries saved in the account are listed', async () => {
    assert.deepEqual(await source.queryDefinitions(), []);
    const id = await saveInConsole(rig, { name: 'top talkers', query: REQUEST.query, logGroups: REQUEST.logGroups });
    assert.deepEqual(await source.queryDefinitions(), [{ id, name: 'top talkers', query: REQUEST.query, logGroups: REQUEST.logGroups }]);
  });
});
