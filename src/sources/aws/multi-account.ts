import type { LookupEvent } from '../../core/cloudtrail/event';
import { logGroupAccount } from '../../core/log-group-name';
import type { LookupRequest } from '../../core/lookup/request';
import type { InsightsResult } from '../../core/results';
import type { BatchAnswer, InsightsOptions, InsightsRequest, LogGroupInfo, LookupOptions, RunOptions, TrailSource } from '../source';
import type { LiveSource } from './live-source';
import { mergeNewestFirst } from './lookup';
import { linkedController } from './retry';
import type { TrailInfo } from './trails';

/**
 * Several accounts (profiles) read as one: lookups run in parallel, each account paced on its own
 * quota, and merge newest first. Two profiles of one account (read-only and admin) read each region once. Logs
 * Insights runs in the account whose log groups (ARNs) a query names, else in the first account, which
 * for cross-account log groups must be the CloudWatch monitoring account.
 */
export class MultiAccountSource implements TrailSource {
  readonly kind = 'live';

  /** A later profile of an account read before, over the regions the earlier ones do not read. */
  private readonly narrowed = new Map<LiveSource, LiveSource>();

  constructor(readonly sources: LiveSource[]) {
    if (sources.length === 0) throw new Error('No accounts to read.');
  }

  /**
   * Each account once in each region: a second profile of an account (read-only and admin) would read
   * every event twice, so it reads only the regions the profiles before it do not, if any.
   */
  private async distinctSources(signal?: AbortSignal): Promise<LiveSource[]> {
    // Each account asks STS once and shares the answer; a caller's cancel ends only its own wait.
    const ids = await Promise.all(this.sources.map((s) => s.accountId(signal)));
    const read = new Map<string, Set<string>>();
    return this.sources.flatMap((source, i) => {
      const regions = read.get(ids[i]) ?? new Set<string>();
      read.set(ids[i], regions);
      const fresh = source.regions.filter((r) => !regions.has(r));
      for (const region of fresh) regions.add(region);
      if (fresh.length === source.regions.length) return [source];
      if (fresh.length === 0) return [];
      let narrowed = this.narrowed.get(source);
      if (!narrowed) this.narrowed.set(source, (narrowed = source.withRegions(fresh)));
      return [narrowed];
    });
  }

  get label(): string {
    return this.sources.map((s) => s.label).join(', ');
  }

  lookupLimit(request: LookupRequest, now = new Date()): string | undefined {
    return this.sources.map((s) => s.lookupLimit(request, now)).find((limit) => limit !== undefined);
  }

  async lookupEvents(request: LookupRequest, options: LookupOptions = {}): Promise<LookupEvent[]> {
    const perAccount = await this.inAccounts(options, (s, signal) => s.lookupEvents(request, { ...options, signal }));
    return mergeNewestFirst(perAccount, request.max);
  }

  /** Each account's answers merged: the newest events of all, the counts added, a floor if any is one. */
  async lookupBatch(requests: LookupRequest[], options: LookupOptions = {}): Promise<BatchAnswer[]> {
    const perAccount = await this.inAccounts(options, (s, signal) => s.lookupBatch(requests, { ...options, signal }));
    return requests.map((request, i) => {
      const answers = perAccount.map((answer) => answer[i]);
      const capped = answers.some((a) => a.capped);
      return { events: mergeNewestFirst(answers.map((a) => a.events), request.max), count: answers.reduce((n, a) => n + a.count, 0), ...(capped ? { capped } : {}) };
    });
  }

  /** Runs `work` in every distinct account in parallel; the first failure (or the caller's cancel) aborts the others. */
  private async inAccounts<T>(options: RunOptions, work: (source: LiveSource, signal: AbortSignal) => Promise<T>): Promise<T[]> {
    const { controller, unlink } = linkedController(options.signal);
    try {
      return await Promise.all(
        (await this.distinctSources(controller.signal)).map((s) =>
          work(s, controller.signal).catch((error: unknown) => {
            controller.abort();
            throw error;
          }),
        ),
      );
    } finally {
      unlink();
      controller.abort();
    }
  }

  async runInsights(request: InsightsRequest, options?: InsightsOptions): Promise<InsightsResult> {
    const owners = new Set(request.logGroups.map(logGroupAccount));
    const [owner] = owners;
    // A profile that cannot say its account (an expired session) is simply not the owner.
    const ids = owners.size === 1 && owner ? await Promise.allSettled(this.sources.map((s) => s.accountId(options?.signal))) : [];
    const index = ids.findIndex((id) => id.status === 'fulfilled' && id.value === owner);
    return (this.sources[index] ?? this.sources[0]).runInsights(request, options);
  }

  async logGroups(options?: RunOptions): Promise<LogGroupInfo[]> {
    return (await Promise.all((await this.distinctSources(options?.signal)).map((s) => s.logGroups(options)))).flat();
  }

  async trails(options?: RunOptions): Promise<TrailInfo[]> {
    return (await Promise.all((await this.distinctSources(options?.signal)).map((s) => s.trails(options)))).flat();
  }

  close(): void {
    for (const source of [...this.sources, ...this.narrowed.values()]) source.close();
  }
}
