import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryBackend } from '../../src/endpoint/backend';
import { startEndpoint } from '../../src/endpoint/server';
import { syntheticEvents } from '../../src/endpoint/synthetic';
import { AwsAccount } from '../../src/sources/aws/accounts';
import { LiveSource } from '../../src/sources/aws/live-source';
import type { BenchFigure, BenchSection } from '../report';

/**
 * Live LookupEvents throughput against the local endpoint enforcing the real quota: 2 requests/s per
 * account and region, 50 events a page. Four regions fetched in parallel can reach at most
 * 4 x 2 x 50 = 400 events/s; the pacer must get close to that ceiling without being throttled.
 */
const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const EVENTS = 20_000;
const CEILING = REGIONS.length * 2 * 50;

export const liveSection: BenchSection = async () => {
  const endpoint = await startEndpoint({ backend: memoryBackend({ events: syntheticEvents(EVENTS / REGIONS.length, REGIONS) }) });
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-bench-live-'));
  writeFileSync(join(dir, 'credentials'), '[bench]\naws_access_key_id = AKIABENCHMARK0000001\naws_secret_access_key = bench\n');
  writeFileSync(join(dir, 'config'), '');
  const account = new AwsAccount({ profile: 'bench', endpoint: endpoint.url, filepath: join(dir, 'credentials'), configFilepath: join(dir, 'config') });
  const source = new LiveSource({ account, regions: REGIONS });
  try {
    await account.accountId();
    const started = performance.now();
    const events = await source.lookupEvents({ attributes: [], filters: [] });
    const seconds = (performance.now() - started) / 1000;
    if (events.length !== EVENTS) throw new Error(`fetched ${events.length} of ${EVENTS} events`);
    const rate = Math.round(events.length / seconds);
    const throttled = endpoint.requests.filter((r) => r.errorType === 'ThrottlingException').length;
    const share = Math.round((rate / CEILING) * 1000) / 10;
    const figures: BenchFigure[] = [
      { name: `LookupEvents, ${EVENTS} events over ${REGIONS.length} regions`, value: rate, unit: 'events/s', target: `>= ${0.9 * CEILING}`, ok: rate >= 0.9 * CEILING },
      { name: 'share of the 400 events/s quota ceiling', value: share, unit: '%', target: '>= 90', ok: share >= 90 },
      { name: 'LookupEvents requests throttled by the endpoint', value: throttled, unit: 'requests' },
      { name: 'wall time', value: Math.round(seconds * 10) / 10, unit: 's' },
    ];
    return figures;
  } finally {
    source.close();
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
