import { AwsAccount, listProfiles } from '../../sources/aws/accounts';
import { runningQueries } from '../../sources/aws/insights-runner';
import { LiveSource } from '../../sources/aws/live-source';
import type { TrailInfo as AwsTrailInfo } from '../../sources/aws/trails';
import { displayText } from '../display-text';
import { DEMO_PROFILE } from '../wizards/target';
import type { Health, LivePort, TrailInfo } from './ports';

/**
 * The live side for the UI: one AwsAccount per profile (credentials resolved by the SDK on first call),
 * one LiveSource per profile and region set, reused so SDK clients and the account ID are cached.
 */
export function createLivePort(endpointUrl: () => string): LivePort {
  const accounts = new Map<string, AwsAccount>();
  const sources = new Map<string, LiveSource>();

  const account = (profile: string): AwsAccount => {
    const endpoint = endpointUrl();
    const key = `${profile}\u0000${profile === DEMO_PROFILE ? endpoint : ''}`;
    let found = accounts.get(key);
    if (!found) accounts.set(key, (found = profile === DEMO_PROFILE ? new DemoAccount(endpoint) : new AwsAccount({ profile })));
    return found;
  };
  const source = (profile: string, regions: string[]): LiveSource => {
    const key = `${profile}\u0000${regions.join(',')}\u0000${profile === DEMO_PROFILE ? endpointUrl() : ''}`;
    let found = sources.get(key);
    if (!found) sources.set(key, (found = new LiveSource({ account: account(profile), regions })));
    return found;
  };

  return {
    profiles: async () => (await listProfiles()).map((p) => ({ name: p.name, ...(p.region ? { region: p.region } : {}) })),
    accountId: (profile, options) => account(profile).accountId(options?.signal),
    trails: async (profile, region, options) => (await source(profile, [region]).trails(options)).filter((t) => t.seenIn.includes(region)).map(toTrailInfo),
    source,
    savedQueries: async (profile, region, options) =>
      (await source(profile, [region]).queryDefinitions(region, options)).map((d) => ({
        id: `saved:${profile}:${region}:${d.id}`,
        name: displayText(d.name, 120),
        description: `Saved in ${profile} · ${region}${d.logGroups.length ? ` for ${d.logGroups.length} log group(s)` : ''}`,
        query: d.query,
        kinds: [],
      })),
    stopAll: async () => {
      await runningQueries.stopAll();
      for (const s of sources.values()) s.close();
      sources.clear();
    },
    // Sources handed out before stay with their panels, which may be mid-request; the rest are let go.
    forget: () => {
      sources.clear();
      accounts.clear();
    },
  };
}

/**
 * The demo account behind trailscope.endpointUrl (the local AWS-compatible endpoint): it needs
 * credentials to sign with but checks none, so fixed placeholder keys stand in for a profile.
 */
class DemoAccount extends AwsAccount {
  override readonly credentials = async () => ({ accessKeyId: 'AKIADEMODEMODEMODEMO', secretAccessKey: 'demo-endpoint-checks-no-signature' });

  constructor(endpoint: string) {
    super({ endpoint });
  }

  override get label(): string {
    return DEMO_PROFILE;
  }
}

export function toTrailInfo(trail: AwsTrailInfo): TrailInfo {
  const flags = new Set(trail.health.map((h) => h.flag));
  const health: Health = flags.has('logging-stopped') ? 'error' : flags.size ? 'warning' : trail.isLogging === undefined ? 'unknown' : 'ok';
  const description = [
    trail.isLogging === false ? 'logging stopped' : trail.isLogging ? 'logging' : 'status unknown',
    trail.organization ? 'organization' : trail.multiRegion ? 'multi-region' : trail.homeRegion,
    ...(flags.size && !flags.has('logging-stopped') ? [`${flags.size} warning${flags.size > 1 ? 's' : ''}`] : []),
  ].join(' · ');
  const tooltip = [
    trail.arn,
    `Home region: ${trail.homeRegion}`,
    ...(trail.s3BucketName ? [`Delivers to s3://${trail.s3BucketName}`] : []),
    ...(trail.cloudWatchLogsLogGroupArn ? [`and to ${trail.cloudWatchLogsLogGroupArn}`] : []),
    ...trail.health.map((h) => `⚠ ${h.message}`),
  ];
  return { name: trail.name, homeRegion: trail.homeRegion, health, description, tooltip };
}
