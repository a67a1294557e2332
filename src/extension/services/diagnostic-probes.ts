import { profileNames } from '../../core/profile-names';
import { firstLineOf } from '../errors';

/**
 * What Show Diagnostics asks the AWS SDK: whether credentials resolve and which profiles exist. Here, in
 * the services bundle, so that the SDK is not part of what activation loads.
 */

const CREDENTIALS_TIMEOUT_MS = 5000;

/**
 * The $source features the AWS SDK records on resolved credentials, in the order they are checked:
 * a profile that uses SSO carries both PROFILE and PROFILE_SSO, and the more specific one wins.
 */
const CREDENTIAL_SOURCES: [feature: string, description: string][] = [
  ['CREDENTIALS_PROFILE_SSO', 'IAM Identity Center (SSO) through profile'],
  ['CREDENTIALS_PROFILE_SSO_LEGACY', 'IAM Identity Center (SSO) through profile'],
  ['CREDENTIALS_PROFILE_PROCESS', 'credential_process of profile'],
  ['CREDENTIALS_PROFILE_SOURCE_PROFILE', 'role assumed through profile'],
  ['CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN', 'web identity token of profile'],
  ['CREDENTIALS_PROFILE_LOGIN', 'console login of profile'],
  ['CREDENTIALS_PROFILE', 'shared config/credentials files, profile'],
  ['CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN', 'web identity token from environment variables'],
  ['CREDENTIALS_ENV_VARS', 'environment variables'],
  ['CREDENTIALS_SSO', 'IAM Identity Center (SSO)'],
  ['CREDENTIALS_PROCESS', 'credential_process'],
  ['CREDENTIALS_HTTP', 'container credentials endpoint'],
  ['CREDENTIALS_IMDS', 'EC2 instance metadata'],
];

/** Says whether and from where credentials resolve; never returns any part of the credentials. */
export async function credentialsStatus(): Promise<string> {
  try {
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    const credentials = await withTimeout(fromNodeProviderChain()(), CREDENTIALS_TIMEOUT_MS, 'timed out');
    const features = (credentials as { $source?: Record<string, unknown> }).$source ?? {};
    const source = CREDENTIAL_SOURCES.find(([feature]) => feature in features)?.[1];
    const profile = source?.endsWith('profile') ? ` ${process.env.AWS_PROFILE || 'default'}` : '';
    return source ? `found (${source}${profile})` : 'found';
  } catch (error) {
    return `not found (${firstLineOf(error)})`;
  }
}

export async function awsProfiles(): Promise<string[]> {
  try {
    const { loadSharedConfigFiles } = await import('@smithy/core/config');
    const { configFile, credentialsFile } = await loadSharedConfigFiles();
    // As the tree lists them: sso-session and services sections are no profiles.
    return profileNames(configFile, credentialsFile);
  } catch {
    return [];
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
