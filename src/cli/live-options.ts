import { optionValue, UsageError, type OptionSpec, type ParsedArgs } from './args';
import { AwsAccount, defaultRegions, ENVIRONMENT_PROFILE, listProfiles } from '../sources/aws/accounts';
import { LiveSource } from '../sources/aws/live-source';
import { MultiAccountSource } from '../sources/aws/multi-account';
import { runningQueries } from '../sources/aws/insights-runner';

/** Where credentials come from when no profile is named: the SDK's default chain, environment first. */
export const DEFAULT_CREDENTIALS = "the SDK's default credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else AWS_PROFILE or the default profile, else an instance role";

/**
 * The live options every command that reads AWS takes: `--profile`, `--region R[,R...]`,
 * `--endpoint-url`. What none of them means is the command's to say: `trails` reads the SDK's default
 * credentials; a command that can also read a store (source-options.ts) asks where to read.
 */
export const LIVE_OPTIONS: OptionSpec[] = [
  { name: 'profile', value: 'P[,P...]', description: `AWS profiles to read (default: ${DEFAULT_CREDENTIALS})` },
  { name: 'region', value: 'R[,R...]', description: "AWS regions (default: the profile's region, or AWS_REGION, and us-east-1)" },
  { name: 'endpoint-url', value: 'URL', description: 'send every AWS request to this endpoint (e.g. the local trailscope endpoint)' },
];

export function wantsLive(args: ParsedArgs): boolean {
  return LIVE_OPTIONS.some((o) => args.options.has(o.name));
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

async function regionsFor(args: ParsedArgs, profile: string | undefined): Promise<string[]> {
  const listed = optionValue(args, 'region');
  if (listed !== undefined) {
    const regions = listed.split(',').map((r) => r.trim()).filter(Boolean);
    const bad = regions.find((r) => !REGION.test(r));
    if (regions.length === 0 || bad !== undefined) throw new UsageError(`--region takes region names like eu-west-1,us-east-1; got '${bad ?? listed}'`);
    return regions;
  }
  const environment = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const regionOf = async (name: string): Promise<string | undefined> => (await listProfiles()).find((p) => p.name === name)?.region;
  // A named profile's region, else the environment's; without a name, as the SDK reads it: the
  // environment's, else that of AWS_PROFILE or the default profile.
  const configured = profile ? ((await regionOf(profile)) ?? environment) : (environment ?? (await regionOf(process.env.AWS_PROFILE ?? 'default')));
  return defaultRegions({ region: configured });
}

/** One LiveSource per profile (the environment's credentials when none is named), merged when several. */
export async function openLiveSource(args: ParsedArgs): Promise<LiveSource | MultiAccountSource> {
  // The SDK warns on stderr about its future Node.js support; a responder's terminal is not the place.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const profiles = optionValue(args, 'profile')?.split(',').map((p) => p.trim()).filter(Boolean) ?? [];
  const endpoint = optionValue(args, 'endpoint-url');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new UsageError(`--endpoint-url must be an http(s) URL, got '${endpoint}'`);
  const sources = await Promise.all(
    (profiles.length > 0 ? profiles : [undefined]).map(async (profile) => {
      const regions = await regionsFor(args, profile);
      const account = new AwsAccount({ profile: profile ?? ENVIRONMENT_PROFILE, region: regions[0], ...(endpoint ? { endpoint } : {}) });
      return new LiveSource({ account, regions });
    }),
  );
  const source = sources.length === 1 ? sources[0] : new MultiAccountSource(sources);
  stopQueriesOnInterrupt(source);
  return source;
}

/**
 * Ctrl-C must not leave a Logs Insights query scanning (and billing) in AWS: while a live source is
 * open, an interrupt stops every running query before the process exits, and names any it could not.
 */
function stopQueriesOnInterrupt(source: LiveSource | MultiAccountSource): void {
  const onInterrupt = (): void => {
    if (runningQueries.size > 0) process.stderr.write(`trailscope: stopping ${runningQueries.size} running Logs Insights query(ies)\n`);
    void runningQueries
      .stopAll()
      .then((notStopped) => {
        for (const error of notStopped) process.stderr.write(`trailscope: ${error.message}\n`);
      })
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  const close = source.close.bind(source);
  source.close = () => {
    process.removeListener('SIGINT', onInterrupt);
    close();
  };
}
