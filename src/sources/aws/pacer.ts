import { abortError, throwIfAborted } from './retry';

/**
 * Keeps LookupEvents within its quota: at most `perSecond` requests in any one-second window, per
 * account and region (the quota AWS enforces, not adjustable). Waiting here is cheaper than being
 * throttled: a ThrottlingException costs a round trip, a backoff and a slot.
 *
 * The service counts requests when they arrive, which we cannot observe; but a request has certainly
 * arrived by the time its answer is back. So a slot is held from the moment it is taken until one
 * second after its request completed (`release`). However late a request leaves or however slow the
 * network, no second-window at the service ever holds more than `perSecond` of ours.
 */
export class RequestPacer {
  /** Completion times of recent requests; undefined while a request is in flight. */
  private readonly slots: Array<{ done?: number }> = [];
  private queue: Promise<unknown> = Promise.resolve();
  private wake?: () => void;

  constructor(
    private readonly perSecond = 2,
    /** Extra spacing beyond the second, for clock granularity. */
    private readonly marginMs = 5,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves with a `release` to call when the request has completed (or failed), in arrival order. A
   * cancel rejects at once, however many wait ahead; the waiter then takes no slot when its turn comes
   * (or gives back the one it took in the same moment).
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // A cancelled waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    if (!signal) return turn;
    return new Promise((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      turn.then(
        (release) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) release();
          else resolve(release);
          settled = true;
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (!settled) reject(error);
          settled = true;
        },
      );
    });
  }

  private async waitForSlot(signal?: AbortSignal): Promise<() => void> {
    const window = 1000 + this.marginMs;
    for (;;) {
      // A request cancelled while queued must not take a slot from the ones behind it.
      throwIfAborted(signal);
      const now = this.now();
      for (let i = this.slots.length - 1; i >= 0; i--) {
        const done = this.slots[i].done;
        if (done !== undefined && now - done >= window) this.slots.splice(i, 1);
      }
      if (this.slots.length < this.perSecond) {
        const slot: { done?: number } = {};
        this.slots.push(slot);
        return () => {
          slot.done ??= this.now();
          this.wake?.();
        };
      }
      const expiries = this.slots.flatMap((s) => (s.done === undefined ? [] : [s.done + window - now]));
      await this.nextChange(expiries.length > 0 ? Math.min(...expiries) : undefined, signal);
    }
  }

  /** Waits until a slot may have expired (`ms`) or an in-flight request completes, whichever is first. */
  private nextChange(ms: number | undefined, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.wake === changed) this.wake = undefined;
      };
      const changed = (): void => {
        cleanup();
        resolve();
      };
      const onAbort = (): void => {
        cleanup();
        reject(abortError());
      };
      const timer = ms === undefined ? undefined : setTimeout(changed, Math.max(0, ms));
      this.wake = changed;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const pacers = new Map<string, RequestPacer>();

/** The one pacer of an account and region in this process, shared by every source and command. */
export function lookupPacer(accountKey: string, region: string, perSecond = 2): RequestPacer {
  const key = `${accountKey}|${region}|${perSecond}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = new RequestPacer(perSecond);
    pacers.set(key, pacer);
  }
  return pacer;
}
