import type { LookupEvent } from '../../core/cloudtrail/event';
import type { LookupRequest } from '../../core/lookup/request';
import type { InsightsResult } from '../../core/results';
import type { InsightsOptions, InsightsRequest, LogGroupInfo, LookupOptions, RunOptions, TrailSource } from '../source';
import type { LiveSource } from './live-source';
import { mergeNewestFirst } from './lookup';
import { linkedController } from './retry';
import type { TrailInfo } from './trails';

/**
 * Several accounts (profiles) read as one: lookups run in parallel, each account paced on its own
 * quota, and merge newest first. Logs Insights runs in the first account, which for cross-account
 * log groups (ARNs) must be the CloudWatch monitoring account.
 */
export class MultiAccountSource implements TrailSource {
  readonly kind = 'live';

  constructor(readonly sources: LiveSource[]) {
    if (sources.length === 0) throw new Error('No accounts to read.');
  }

  get label(): string {
    return this.sources.map((s) => s.label).join(', ');
  }

  lookupLimit(request: LookupRequest, now = new Date()): string | undefined {
    return this.sources.map((s) => s.lookupLimit(request, now)).find((limit) => limit !== undefined);
  }

  async lookupEvents(request: LookupRequest, options: LookupOptions = {}): Promise<LookupEvent[]> {
    const { controller, unlink } = linkedController(options.signal);
    try {
      const perAccount = await Promise.all(
        this.sources.map((s) =>
          s.lookupEvents(request, { ...options, signal: controller.signal }).catch((error: unknown) => {
            controller.abort();
            throw error;
          }),
        ),
      );
      return mergeNewestFirst(perAccount, request.max);
    } finally {
      unlink();
      controller.abort();
    }
  }

  runInsights(request: InsightsRequest, options?: InsightsOptions): Promise<InsightsResult> {
    return this.sources[0].runInsights(request, options);
  }

  async logGroups(options?: RunOptions): Promise<LogGroupInfo[]> {
    return (await Promise.all(this.sources.map((s) => s.logGroups(options)))).flat();
  }

  async trails(options?: RunOptions): Promise<TrailInfo[]> {
    return (await Promise.all(this.sources.map((s) => s.trails(options)))).flat();
  }

  close(): void {
    for (const source of this.sources) source.close();
  }
}
