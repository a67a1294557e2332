import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LookupEvent } from '../../core/cloudtrail/event';
import { logGroupRegion } from '../../core/log-group-name';
import { beyondEventHistory } from '../../core/lookup/history';
import type { LookupRequest } from '../../core/lookup/request';
import type { InsightsResult } from '../../core/results';
import type { BatchAnswer, InsightsOptions, InsightsRequest, LogGroupInfo, LookupOptions, RunOptions, TrailSource } from '../source';
import { AwsAccount, ENVIRONMENT_PROFILE } from './accounts';
import { guarded } from './guard';
import { getLogRecord, listQueryDefinitions, runLiveInsights, type LiveInsightsOptions, type QueryDefinition } from './insights-runner';
import { listLogGroups } from './log-groups';
import { lookupRegion, lookupRegionShared, mergeNewestFirst, serviceInput, type RegionLookup } from './lookup';
import { lookupPacer } from './pacer';
import { abortError, linkedController } from './retry';
import { LOG_GROUPS_LIFETIME_MS, SharedListing } from './shared-listing';
import { describeAccountTrails, type TrailInfo } from './trails';

/**
 * A failure in one region, saying which and through which account: with several regions and profiles
 * read at once, the service's message alone does not tell the user where to look.
 */
export class RegionError extends Error {
  override name = 'RegionError';

  constructor(
    readonly region: string,
    account: string,
    cause: unknown,
  ) {
    super(`${region} (${account}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface LiveSourceOptions {
  account: AwsAccount;
  /** At least one; events of all of them are merged. */
  regions: string[];
  /** LookupEvents page size, 1-50 (the API's maximum is the fastest: the quota counts requests). */
  pageSize?: number;
  /** Requests per second per account and region; AWS allows 2. Only tests against an unlimited endpoint raise it. */
  lookupRatePerSecond?: number;
  /** Polling of Logs Insights results (tests shorten it). */
  insightsPollMs?: number;
}

/**
 * The region of log groups named by ARN: a query sent elsewhere would search that region's groups of the
 * same name, or none. Groups of several regions cannot be searched by one query.
 */
function regionOfLogGroups(groups: string[]): string | undefined {
  const regions = [...new Set(groups.map(logGroupRegion).filter((r): r is string => r !== undefined))];
  if (regions.length > 1) throw new Error(`These log groups are in ${regions.length} regions (${regions.join(', ')}); a Logs Insights query runs in one region: choose the groups of one region, and query the others on their own.`);
  return regions[0];
}

/**
 * Each account's log groups by region, shared by every LiveSource of the account (the tree's region, a
 * wizard's regions, a results panel's related events). Refresh forgets the accounts (LivePort.forget), and
 * with them their lists.
 */
const logGroupListings = new WeakMap<AwsAccount, SharedListing<LogGroupInfo[]>>();

function listingsOf(account: AwsAccount): SharedListing<LogGroupInfo[]> {
  let listings = logGroupListings.get(account);
  if (!listings) logGroupListings.set(account, (listings = new SharedListing(LOG_GROUPS_LIFETIME_MS)));
  return listings;
}

/** One AWS account (through one profile) over a set of regions, behind the common TrailSource interface. */
export class LiveSource implements TrailSource {
  readonly kind = 'live';
  readonly regions: string[];
  private readonly account: AwsAccount;
  private readonly cloudtrail = new Map<string, CloudTrailClient>();
  private readonly logs = new Map<string, CloudWatchLogsClient>();

  constructor(private readonly options: LiveSourceOptions) {
    if (options.regions.length === 0) throw new Error('A live source needs at least one region.');
    this.account = options.account;
    this.regions = [...new Set(options.regions)];
  }

  get label(): string {
    return this.account.label;
  }

  /** The account as an error names it: the profile, and the account ID when known. */
  private accountText(accountId?: string): string {
    const profile = this.label === ENVIRONMENT_PROFILE ? 'credentials from the environment' : `profile ${this.label}`;
    return accountId ? `${profile}, account ${accountId}` : profile;
  }

  private cloudTrailClient(region: string): CloudTrailClient {
    let client = this.cloudtrail.get(region);
    if (!client) this.cloudtrail.set(region, (client = guarded(new CloudTrailClient(this.account.clientConfig(region)))));
    return client;
  }

  logsClient(region: string = this.regions[0]): CloudWatchLogsClient {
    let client = this.logs.get(region);
    if (!client) this.logs.set(region, (client = guarded(new CloudWatchLogsClient(this.account.clientConfig(region)))));
    return client;
  }

  /** Events matching the request; pages reach `onPage` as they arrive. */
  async lookupEvents(request: LookupRequest, options: LookupOptions = {}): Promise<LookupEvent[]> {
    const perRegion = await this.inRegions(options, (region) => lookupRegion(request, region));
    return mergeNewestFirst(perRegion, request.max);
  }

  /**
   * The related-event pivots: lookups that send LookupEvents the same input share its pages, so the
   * pivots no attribute narrows (source IP, resources) read a region's newest pages once, not once each.
   * A count is what was read, a floor when the events filled `max` or the pages stopped at `maxPages`.
   */
  async lookupBatch(requests: LookupRequest[], options: LookupOptions = {}): Promise<BatchAnswer[]> {
    const groups = new Map<string, number[]>();
    requests.forEach((request, i) => {
      const key = JSON.stringify(serviceInput(request));
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const answers = requests.map(() => ({ lists: [] as LookupEvent[][], stoppedShort: false }));
    await this.inRegions(options, (region) =>
      Promise.all([...groups.values()].map(async (indexes) => {
        const shared = await lookupRegionShared(indexes.map((i) => requests[i]), region);
        shared.forEach(({ events, stoppedShort }, j) => {
          answers[indexes[j]].lists.push(events);
          answers[indexes[j]].stoppedShort ||= stoppedShort;
        });
      })),
    );
    return answers.map(({ lists, stoppedShort }, i) => {
      const events = mergeNewestFirst(lists, requests[i].max);
      const full = events.length >= (requests[i].max ?? Number.POSITIVE_INFINITY);
      return { events, count: events.length, ...(full || stoppedShort ? { capped: true } : {}) };
    });
  }

  /**
   * Runs `work` in every region in parallel, each paced to its own quota. The first failure (or the
   * caller's cancel) aborts every region's in-flight request.
   */
  private async inRegions<T>(options: LookupOptions, work: (region: RegionLookup) => Promise<T>): Promise<T[]> {
    const { controller, unlink } = linkedController(options.signal);
    try {
      const accountId = await this.account.accountId(controller.signal);
      return await Promise.all(
        this.regions.map((region) =>
          work({
            client: this.cloudTrailClient(region),
            pacer: lookupPacer(accountId, region, this.options.lookupRatePerSecond),
            signal: controller.signal,
            pageSize: this.options.pageSize ?? 50,
            onPage: options.onPage,
            maxPages: options.maxPages,
            onPageLimit: options.onPageLimit,
          }).catch((error: unknown) => {
            controller.abort();
            throw new RegionError(region, this.accountText(accountId), error);
          }),
        ),
      );
    } catch (error) {
      if (options.signal?.aborted) throw abortError();
      throw error;
    } finally {
      unlink();
      controller.abort();
    }
  }

  /**
   * AWS keeps 90 days of event history. An endpoint override is the local endpoint of the demo and the
   * tests, which serves whatever its data holds, so no limit is claimed there.
   */
  lookupLimit(request: LookupRequest, now = new Date()): string | undefined {
    return this.account.options.endpoint ? undefined : beyondEventHistory(request, now);
  }

  /** A query runs in one region: the one asked for, else that of the log group ARNs, else the first. */
  async runInsights(request: InsightsRequest, options: InsightsOptions & Pick<LiveInsightsOptions, 'registry'> = {}): Promise<InsightsResult> {
    const region = request.region ?? regionOfLogGroups(request.logGroups) ?? this.regions[0];
    return runLiveInsights(this.logsClient(region), request, { ...options, pollMs: this.options.insightsPollMs });
  }

  /** The same account over other regions (clients of its own; the pacer of an account and region is shared). */
  withRegions(regions: string[]): LiveSource {
    return new LiveSource({ ...this.options, regions });
  }

  /** The whole event behind an Insights result row, by its `@ptr`, from the region the query ran in. */
  getLogRecord(ptr: string, region: string = this.regions[0], options: RunOptions = {}): Promise<Record<string, string>> {
    return getLogRecord(this.logsClient(region), ptr, options.signal);
  }

  /** Every log group of the regions, as listed within LOG_GROUPS_LIFETIME_MS by any source of the account. */
  async logGroups(options: RunOptions = {}): Promise<LogGroupInfo[]> {
    const listings = listingsOf(this.account);
    const perRegion = await Promise.all(
      this.regions.map((region) =>
        listings.get(region, (signal) => listLogGroups(this.logsClient(region), region, signal), options.signal).catch((error: unknown) => {
          if (options.signal?.aborted) throw abortError();
          throw new RegionError(region, this.accountText(), error);
        }),
      ),
    );
    return perRegion.flat();
  }

  trails(options: RunOptions = {}): Promise<TrailInfo[]> {
    return describeAccountTrails(
      this.regions.map((region) => ({ region, client: this.cloudTrailClient(region) })),
      options.signal,
      (region, error) => new RegionError(region, this.accountText(), error),
    );
  }

  queryDefinitions(region: string = this.regions[0], options: RunOptions = {}): Promise<QueryDefinition[]> {
    return listQueryDefinitions(this.logsClient(region), options.signal);
  }


  accountId(signal?: AbortSignal): Promise<string> {
    return this.account.accountId(signal);
  }

  /** Closes the SDK clients' sockets. */
  close(): void {
    for (const client of [...this.cloudtrail.values(), ...this.logs.values()]) client.destroy();
    this.cloudtrail.clear();
    this.logs.clear();
  }
}
