import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogGroupInfo } from '../source';
import { kindFromName, kindFromSample } from '../log-group-kind';
import { PageTokens } from './page-tokens';
import { withRetries } from './retry';

/** Unclear groups sampled per region at most; beyond it they stay 'other' rather than cost thousands of calls. */
const MAX_SAMPLED = 200;
const SAMPLE_CONCURRENCY = 4;

/** Every log group of a region (DescribeLogGroups, all pages), each classified. */
export async function listLogGroups(client: CloudWatchLogsClient, region: string, signal?: AbortSignal): Promise<LogGroupInfo[]> {
  const groups: LogGroupInfo[] = [];
  const unclear: LogGroupInfo[] = [];
  const tokens = new PageTokens('DescribeLogGroups');
  let nextToken: string | undefined;
  do {
    const page = await withRetries((s) => client.send(new DescribeLogGroupsCommand({ nextToken, limit: 50 }), { abortSignal: s }), { signal });
    for (const g of page.logGroups ?? []) {
      const name = g.logGroupName ?? '';
      const arn = g.logGroupArn ?? g.arn?.replace(/:\*$/, '');
      const kind = kindFromName(name);
      const info: LogGroupInfo = {
        name,
        kind: kind ?? 'other',
        ...(arn ? { arn, accountId: arn.split(':')[4] } : {}),
        ...(g.storedBytes !== undefined ? { storedBytes: g.storedBytes } : {}),
        region,
      };
      groups.push(info);
      // An empty group has nothing to sample.
      if (!kind && (g.storedBytes ?? 1) > 0 && unclear.length < MAX_SAMPLED) unclear.push(info);
    }
    nextToken = tokens.next(page.nextToken);
  } while (nextToken);
  await forEachLimited(unclear, SAMPLE_CONCURRENCY, async (info) => {
    try {
      const sample = await withRetries(
        (s) => client.send(new FilterLogEventsCommand({ logGroupName: info.name, limit: 1 }), { abortSignal: s }),
        { signal },
      );
      const message = sample.events?.[0]?.message;
      if (message !== undefined) info.kind = kindFromSample(message);
    } catch (error) {
      // A role that may list groups but not read them (no logs:FilterLogEvents) still gets the list.
      if (signal?.aborted) throw error;
    }
  });
  return groups;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
