import { sleep } from './retry';

/**
 * Keeps LookupEvents within its quota: at most `perSecond` requests in any one-second window, per
 * account and region (the quota AWS enforces, not adjustable). Waiting here is cheaper than being
 * throttled: a ThrottlingException costs a round trip and a backoff.
 */
export class RequestPacer {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param marginMs extra spacing so that network jitter never lets two windows' requests arrive
   *   closer than a second apart at the service.
   */
  constructor(
    private readonly perSecond = 2,
    private readonly marginMs = 50,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when a request may be sent (and counts it as sent). Callers are served in arrival order. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // A cancelled waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && now - this.sent[0] >= 1000 + this.marginMs) this.sent.shift();
      if (this.sent.length < this.perSecond) {
        this.sent.push(now);
        return;
      }
      await sleep(this.sent[0] + 1000 + this.marginMs - now, signal);
    }
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
