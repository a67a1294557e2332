import { untilAborted } from './retry';

/**
 * How long a region's log group list is reused. A listing costs a DescribeLogGroups page per 50 groups
 * (thousands of groups: many pages at the service's rate) and every related-events count asks for it;
 * five minutes covers a responder going through a run of events, while a group made during the incident
 * (flow logs just turned on, an attacker's function) still shows up soon without a Refresh.
 */
export const LOG_GROUPS_LIFETIME_MS = 5 * 60_000;

interface Entry<T> {
  value: Promise<T>;
  /** Stops the listing once nobody waits for it. */
  controller: AbortController;
  waiting: number;
  /** When the listing succeeded; undefined while it runs. */
  listedAt?: number;
}

/**
 * Listings by key (a region), each remembered for `lifetimeMs` once it succeeded. Callers while one runs
 * share it, so it runs under no caller's signal: each stops waiting on its own cancel, and the listing
 * stops when the last of them does. A failed or abandoned listing is forgotten: the next caller lists again.
 */
export class SharedListing<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, list: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const found = this.entries.get(key);
    const current = found && (found.listedAt === undefined || this.now() - found.listedAt < this.lifetimeMs) ? found : this.start(key, list);
    current.waiting++;
    return untilAborted(current.value, signal).finally(() => {
      if (--current.waiting > 0 || current.listedAt !== undefined) return;
      current.controller.abort();
      this.drop(key, current);
    });
  }

  private start(key: string, list: (signal: AbortSignal) => Promise<T>): Entry<T> {
    const controller = new AbortController();
    const entry: Entry<T> = {
      controller,
      waiting: 0,
      value: list(controller.signal).then(
        (value) => {
          entry.listedAt = this.now();
          return value;
        },
        (error: unknown) => {
          this.drop(key, entry);
          throw error;
        },
      ),
    };
    this.entries.set(key, entry);
    return entry;
  }

  private drop(key: string, entry: Entry<T>): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
