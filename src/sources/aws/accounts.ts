import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/core/config';
import type { AwsCredentialIdentityProvider, NodeHttpHandlerOptions } from '@smithy/types';
import { guarded, rememberSecrets, scrubbedMessage } from './guard';
import { untilAborted, withRetries } from './retry';
import { profileNames } from '../../core/profile-names';
import { ssoLoginCommand } from './sso-login';

/**
 * AWS accounts as the user has configured them: the profiles of the shared config and credentials
 * files, and the environment. Credentials are only ever resolved by the SDK's providers (SSO,
 * role chains, credential_process, static keys); this module reads profile NAMES and regions, never
 * secrets, and the errors it produces leave out what could carry one (credentialError).
 */

export type ProfileKind = 'sso' | 'assume-role' | 'web-identity' | 'process' | 'static' | 'unknown';

export interface AwsProfile {
  /** The profile name, or ENVIRONMENT_PROFILE for credentials from environment variables. */
  name: string;
  region?: string;
  kind: ProfileKind;
}

/** The pseudo-profile standing for AWS_ACCESS_KEY_ID / AWS_PROFILE style environment credentials. */
export const ENVIRONMENT_PROFILE = '(environment)';
/**
 * Global-service events (IAM, STS, CloudFront) are recorded in one region of each partition only
 * (us-east-1 in the commercial one), so every look-up includes it; GovCloud and China have their own.
 */
export function globalEventsRegion(region?: string): string {
  if (region?.startsWith('us-gov-')) return 'us-gov-west-1';
  if (region?.startsWith('cn-')) return 'cn-north-1';
  return 'us-east-1';
}

export interface SharedFiles {
  /** The credentials file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials). */
  filepath?: string;
  /** The config file (AWS_CONFIG_FILE, default ~/.aws/config). */
  configFilepath?: string;
}


function profileKind(settings: Record<string, string | undefined>): ProfileKind {
  if (settings.sso_session || settings.sso_start_url) return 'sso';
  if (settings.role_arn && settings.web_identity_token_file) return 'web-identity';
  if (settings.role_arn) return 'assume-role';
  if (settings.credential_process) return 'process';
  if (settings.aws_access_key_id) return 'static';
  return 'unknown';
}

/** Every configured profile (name, region, how it gets credentials), plus the environment when it holds keys. */
export async function listProfiles(files: SharedFiles = {}): Promise<AwsProfile[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ...files, ignoreCache: true });
  const names = profileNames(configFile, credentialsFile);
  const profiles = names.map((name): AwsProfile => {
    const settings = { ...credentialsFile[name], ...configFile[name] };
    return { name, region: configFile[name]?.region, kind: profileKind(settings) };
  });
  if (process.env.AWS_ACCESS_KEY_ID) {
    profiles.unshift({ name: ENVIRONMENT_PROFILE, region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION, kind: 'static' });
  }
  return profiles;
}

/** The regions to show for a profile when the user has not chosen: its own region and its partition's global one. */
export function defaultRegions(profile: Pick<AwsProfile, 'region'>): string[] {
  return [...new Set([profile.region ?? globalEventsRegion(), globalEventsRegion(profile.region)])];
}

/** A credential or sign-in problem, phrased for the user, with what to do about it. */
export class AccountError extends Error {
  override name = 'AccountError';
}

export interface AccountOptions extends SharedFiles {
  /** A profile name; absent or ENVIRONMENT_PROFILE means the SDK's default chain (environment first). */
  profile?: string;
  /** A region of the account's partition, where its ID is asked (credentials work in their partition only); default: by the profile's region. */
  region?: string;
  /** Overrides every service endpoint (the local endpoint in tests, `--endpoint-url` in the CLI). */
  endpoint?: string;
  /** How long a request may wait without a byte from the service before it fails and is retried (tests shorten it). */
  idleTimeoutMs?: number;
  /** How long keys without an expiry are used before the files are read again (tests shorten it). */
  credentialsRereadMs?: number;
}

/**
 * Keys written into the credentials file carry no expiry, and the SDK keeps credentials without one for
 * the life of its client: a responder who pastes fresh temporary keys (the old ones expired mid-incident)
 * would have had to reload the window. Such keys get an expiry that has the SDK ask again, and so read
 * the files again, within a minute. The SDK refreshes credentials within 5 minutes of their expiry.
 */
const SDK_REFRESH_WINDOW_MS = 5 * 60_000;
const CREDENTIALS_REREAD_MS = 60_000;

/**
 * Without timeouts a half-open connection never fails: the request holds its pacer slot forever, and two
 * such requests block every lookup of the account and region. Node's handler ignores `requestTimeout`
 * unless told to throw, so the socket's idle time is what is bounded; a TimeoutError is retried.
 */
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 30_000;

export interface ClientConfig {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint?: string;
  maxAttempts: number;
  requestHandler: NodeHttpHandlerOptions;
}

/**
 * One account as reached through one profile. The account ID is fetched lazily with
 * GetCallerIdentity (no permission needed) and cached; clients are configured here so every service
 * call shares the credentials, the endpoint override, and retry handled by us (see retry.ts).
 */
export class AwsAccount {
  readonly credentials: AwsCredentialIdentityProvider;
  private account?: Promise<string>;

  constructor(readonly options: AccountOptions = {}) {
    const profile = options.profile === ENVIRONMENT_PROFILE ? undefined : options.profile;
    const provider = profile
      ? fromIni({ profile, filepath: options.filepath, configFilepath: options.configFilepath, ignoreCache: true })
      : fromNodeProviderChain();
    const reread = options.credentialsRereadMs ?? CREDENTIALS_REREAD_MS;
    this.credentials = async (props) => {
      try {
        const identity = await provider(props);
        rememberSecrets(identity);
        return identity.expiration ? identity : { ...identity, expiration: new Date(Date.now() + SDK_REFRESH_WINDOW_MS + reread) };
      } catch (error) {
        throw credentialError(this.label, error, profile ? await ssoLoginProfile(profile, options) : undefined);
      }
    };
  }

  get label(): string {
    return this.options.profile ?? ENVIRONMENT_PROFILE;
  }

  /** What every SDK client of this account is built with. */
  clientConfig(region: string): ClientConfig {
    return {
      region,
      credentials: this.credentials,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS },
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
    };
  }

  /**
   * One GetCallerIdentity is shared by every concurrent caller, so it runs under no caller's signal: one
   * caller's cancel must not fail the others. Each caller stops waiting when its own signal fires.
   */
  accountId(signal?: AbortSignal): Promise<string> {
    this.account ??= this.fetchAccountId().catch((error: unknown) => {
      this.account = undefined;
      throw error;
    });
    return untilAborted(this.account, signal);
  }

  /** A region of the account's partition: the one given, else the global-events region of the profile's. */
  private async partitionRegion(): Promise<string> {
    if (this.options.region) return this.options.region;
    const profiles = await listProfiles(this.options).catch(() => []);
    return globalEventsRegion(profiles.find((p) => p.name === this.label)?.region);
  }

  private async fetchAccountId(): Promise<string> {
    const sts = guarded(new STSClient(this.clientConfig(await this.partitionRegion())));
    try {
      const identity = await withRetries((s) => sts.send(new GetCallerIdentityCommand({}), { abortSignal: s }));
      if (!identity.Account) throw new AccountError(`GetCallerIdentity returned no account for profile "${this.label}".`);
      return identity.Account;
    } finally {
      sts.destroy();
    }
  }
}

/**
 * The profile to sign in with for `profile`: itself when it is an SSO profile, else the SSO profile at
 * the root of its source_profile chain (a role assumed from an SSO session); undefined when the config
 * has none. A profile name can come from a shared notebook or case, so only a configured SSO profile is
 * ever put into a command to run.
 */
async function ssoLoginProfile(profile: string, files: SharedFiles): Promise<string | undefined> {
  try {
    const { configFile } = await loadSharedConfigFiles({ filepath: files.filepath, configFilepath: files.configFilepath, ignoreCache: true });
    const seen = new Set<string>();
    for (let name: string | undefined = profile; name && !seen.has(name); name = configFile[name]?.source_profile) {
      seen.add(name);
      if (configFile[name] && profileKind(configFile[name]) === 'sso') return name;
    }
  } catch {
    // Unreadable config: no sign-in advice.
  }
  return undefined;
}

/**
 * Turns a provider failure into a message a responder can act on. SSO sessions expire daily, so that
 * case names the exact command. A credential_process failure says only that it failed: the SDK's message
 * holds the command line and its output, where tokens and passwords live. Other provider messages name
 * profiles and files, and are kept without what an AWS answer may quote of a signed request.
 */
export function credentialError(profile: string, error: unknown, loginProfile?: string): Error {
  if (error instanceof AccountError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  if (/credential_process|^Command failed/i.test(raw)) {
    return new AccountError(`The credential_process of profile "${profile}" failed; run it yourself to see why (its output is not shown here, as it may hold secrets).`);
  }
  const message = scrubbedMessage(raw);
  // The profile's own name may say "sso"; only the rest of the message tells what failed.
  if (loginProfile && /\bsso\b/i.test(message.split(profile).join(''))) {
    return new AccountError(
      `The AWS SSO session of profile "${profile}" is missing or expired. Sign in with: ${ssoLoginCommand(loginProfile)}`,
    );
  }
  if (profile === ENVIRONMENT_PROFILE) {
    return new AccountError(`No AWS credentials found: name a profile (--profile) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. ${message}`);
  }
  return new AccountError(`Could not get AWS credentials for profile "${profile}": ${message}`);
}
