import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, isRetryable, safeToResend, withRetries } from '../../../src/sources/aws/retry';
import { RequestPacer } from '../../../src/sources/aws/pacer';

test('throttling, 5xx and dropped connections are retryable; client errors and cancels are not', () => {
  assert.ok(isRetryable({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
  assert.ok(isRetryable({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }));
  assert.ok(isRetryable({ name: 'Whatever', $metadata: { httpStatusCode: 503 } }));
  assert.ok(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
  assert.ok(!isRetryable({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
  assert.ok(!isRetryable({ name: 'InvalidLookupAttributesException', $metadata: { httpStatusCode: 400 } }));
  assert.ok(!isRetryable({ name: 'AbortError' }));
});

test('what a StartQuery may resend: failures the service answered or of a request that never left, not one that got no answer', () => {
  const timeout = (message: string) => Object.assign(new Error(message), { name: 'TimeoutError' });
  assert.equal(safeToResend(timeout('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 1000 ms.')), true);
  assert.equal(safeToResend(timeout('@smithy/node-http-handler - the request socket timed out after 150 ms of inactivity (configured by client requestHandler).')), false);
  assert.equal(safeToResend(Object.assign(new Error('reset'), { code: 'ECONNRESET' })), false);
  assert.equal(safeToResend(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), true);
  assert.equal(safeToResend({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }), true);
  assert.equal(safeToResend({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }), true);
  assert.equal(safeToResend({ name: 'MalformedQueryException', $metadata: { httpStatusCode: 400 } }), false);
});

test('backoff grows exponentially with full jitter, capped', () => {
  assert.equal(backoffDelay(0, 200, 10_000, () => 0.999), 200);
  assert.equal(backoffDelay(3, 200, 10_000, () => 0.999), 1598);
  assert.equal(backoffDelay(10, 200, 10_000, () => 0.999), 9990);
  assert.equal(backoffDelay(10, 200, 10_000, () => 0), 0);
});

test('a transient failure is retried until it succeeds; a permanent one surfaces at once', async () => {
  let calls = 0;
  const value = await withRetries(
    async () => {
      if (++calls < 3) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      return 'ok';
    },
    { baseDelayMs: 1 },
  );
  assert.deepEqual([value, calls], ['ok', 3]);
  calls = 0;
  await assert.rejects(
    withRetries(async () => {
      calls++;
      throw Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    }),
    { name: 'AccessDeniedException' },
  );
  assert.equal(calls, 1);
});

test('a service that does not answer is given up on after three timeouts, not ten: each waited out the idle limit', async () => {
  let calls = 0;
  const stalled = Object.assign(new Error('the request socket timed out after 30000 ms of inactivity'), { name: 'TimeoutError' });
  await assert.rejects(withRetries(async () => {
    calls++;
    throw stalled;
  }, { baseDelayMs: 1 }), { name: 'TimeoutError' });
  assert.equal(calls, 3);
  // Throttling between timeouts is still retried as throttling.
  calls = 0;
  const value = await withRetries(async () => {
    calls++;
    if (calls <= 4) throw calls % 2 ? stalled : Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    return 'ok';
  }, { baseDelayMs: 1 });
  assert.deepEqual([value, calls], ['ok', 5]);
});

test('the pacer admits at most N requests in any second, in order, and a cancelled waiter does not block the rest', async () => {
  const pacer = new RequestPacer(10, 0);
  const times: number[] = [];
  const controller = new AbortController();
  const waiter = (): Promise<void> =>
    pacer.acquire().then((release) => {
      times.push(Date.now());
      release();
    });
  const waiters = Array.from({ length: 12 }, waiter);
  const cancelled = pacer.acquire(controller.signal);
  waiters.push(...Array.from({ length: 13 }, waiter));
  controller.abort();
  await assert.rejects(cancelled, { name: 'AbortError' });
  await Promise.all(waiters);
  assert.equal(times.length, 25);
  for (let i = 10; i < times.length; i++) assert.ok(times[i] - times[i - 10] >= 1000, `11 requests within ${times[i] - times[i - 10]} ms`);
  // Three seconds would be a needless second's wait: 25 requests at 10 a second take two.
  assert.ok(times[24] - times[0] < 2900, 'no needless waiting');
});

test('a cancel releases a waiter at once, however many wait ahead of it, and costs the others no slot', async () => {
  const pacer = new RequestPacer(2, 0);
  const startedAt = Date.now();
  for (const release of [await pacer.acquire(), await pacer.acquire()]) release();
  // Both slots are free again a second from now: `ahead` takes one, `next` the other.
  const ahead = pacer.acquire();
  const controller = new AbortController();
  const cancelled = pacer.acquire(controller.signal);
  const next = pacer.acquire();
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(cancelled, { name: 'AbortError' });
  assert.ok(Date.now() - startedAt < 500, `released ${Date.now() - startedAt} ms after the start, not when its turn came`);
  const released = await Promise.all([ahead, next]);
  assert.ok(Date.now() - startedAt < 1600, 'the cancelled waiter took a slot');
  for (const release of released) release();
});

test('a request still in flight holds its slot until it completes, then for one more second', async () => {
  const pacer = new RequestPacer(1, 0);
  const release = await pacer.acquire();
  let admitted = false;
  const next = pacer.acquire().then((r) => {
    admitted = true;
    return r;
  });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal(admitted, false, 'admitted while the first request was in flight');
  const releasedAt = Date.now();
  release();
  (await next)();
  assert.ok(Date.now() - releasedAt >= 1000, `admitted ${Date.now() - releasedAt} ms after the first completed`);
});
