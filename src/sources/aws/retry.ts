/**
 * Retries for every AWS call Trailscope makes. The SDK's own retry is turned off (maxAttempts 1) so that
 * each attempt passes through our pacer and our cancellation: a retried LookupEvents still counts
 * against the 2 requests/s budget, and cancel interrupts a backoff at once.
 */

export interface RetryOptions {
  signal?: AbortSignal;
  /** Attempts in all, including the first. Throttling is retried this many times before it surfaces. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each attempt (e.g. to wait for the rate pacer); what it returns is called when the attempt ends. */
  beforeAttempt?: () => Promise<() => void>;
  /** Which failures are retried; by default every transient one (isRetryable). */
  retryable?: (error: unknown) => boolean;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

interface SdkErrorLike {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** Throttling, 5xx and dropped connections: transient, so the user never sees them. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorLike;
  if (e.name === 'AbortError') return false;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return THROTTLING.has(e.name ?? '') || status >= 500 || status === 429 || e.$retryable !== undefined || NETWORK.has(e.code ?? '') || NETWORK.has(e.name ?? '');
}

/** Failures after which the request may have reached the service and done its work: no answer came back. */
const MAYBE_DONE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'TimeoutError']);

/**
 * Transient failures the service answered (throttled, or a 5xx saying the call failed), or of a request
 * that never left (connection refused, no DNS): what a call that must not run twice (StartQuery) may
 * retry. A request that got no answer may have done its work.
 */
export function safeToResend(error: unknown): boolean {
  const e = error as SdkErrorLike & { message?: string };
  // The SDK names a connection that was never made a TimeoutError too; its message tells them apart.
  if (e.name === 'TimeoutError' && /did not establish a connection/.test(e.message ?? '')) return true;
  return isRetryable(error) && !MAYBE_DONE.has(e.code ?? '') && !MAYBE_DONE.has(e.name ?? '');
}

export function abortError(): Error {
  const error = new Error('The operation was cancelled.');
  error.name = 'AbortError';
  return error;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}

/** `promise`, or an AbortError as soon as `signal` fires; the promise itself runs on either way. */
export function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A controller that also aborts when `parent` does, until unlinked. */
export function linkedController(parent?: AbortSignal): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', abort, { once: true });
  return { controller, unlink: () => parent?.removeEventListener('abort', abort) };
}

/** Resolves after `ms`, or rejects with an AbortError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter: spreads retries of parallel callers instead of syncing them. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/**
 * Attempts in all that end in a timeout: each waited out the socket's idle limit (30 s), so ten of them
 * would leave a lookup frozen for five minutes before the user learns the service does not answer.
 */
const MAX_TIMED_OUT_ATTEMPTS = 3;

const timedOut = (error: unknown): boolean => {
  const e = error as SdkErrorLike;
  return e.name === 'TimeoutError' || e.code === 'ETIMEDOUT';
};

export async function withRetries<T>(call: (signal?: AbortSignal) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { signal, maxAttempts = 10, baseDelayMs = 200, maxDelayMs = 10_000 } = options;
  let timeouts = 0;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    const attemptEnded = await options.beforeAttempt?.();
    try {
      return await call(signal);
    } catch (error) {
      // An SDK call interrupted by our signal rejects with its own error type; report it as the cancel it is.
      if (signal?.aborted) throw abortError();
      if (!(options.retryable ?? isRetryable)(error) || attempt + 1 >= maxAttempts) throw error;
      if (timedOut(error) && ++timeouts >= MAX_TIMED_OUT_ATTEMPTS) throw error;
    } finally {
      attemptEnded?.();
    }
    await sleep(backoffDelay(attempt, baseDelayMs, maxDelayMs), signal);
  }
}
