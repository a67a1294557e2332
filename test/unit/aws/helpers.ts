import { CloudWatchLogsClient, PutQueryDefinitionCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryBackend, type MemoryBackendOptions } from '../../../src/endpoint/backend';
import { startEndpoint, type EndpointOptions, type RunningEndpoint } from '../../../src/endpoint/server';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { SYNTHETIC_ACCOUNT } from '../../../src/endpoint/synthetic';

export { syntheticEvents } from '../../../src/endpoint/synthetic';

/** The secret of every test profile; tests assert it never shows up anywhere. */
export const TEST_SECRET = 'tEsT/SeCrEt+KeY/never-print-me-0123456789';
export const TEST_ACCOUNT = SYNTHETIC_ACCOUNT;

export interface TestRig {
  endpoint: RunningEndpoint;
  account: AwsAccount;
  dir: string;
  close(): Promise<void>;
}

/** An endpoint on loopback and an account whose profile (static keys in a temp credentials file) points at it. */
export async function startRig(data: MemoryBackendOptions, options: Omit<EndpointOptions, 'backend'> = {}): Promise<TestRig> {
  const endpoint = await startEndpoint({ backend: memoryBackend(data), accounts: { AKIATRAILSCOPETEST01: TEST_ACCOUNT }, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-aws-'));
  writeFileSync(join(dir, 'credentials'), `[incident]\naws_access_key_id = AKIATRAILSCOPETEST01\naws_secret_access_key = ${TEST_SECRET}\n`);
  writeFileSync(join(dir, 'config'), `[profile incident]\nregion = eu-west-1\n`);
  const account = new AwsAccount({ profile: 'incident', endpoint: endpoint.url, filepath: join(dir, 'credentials'), configFilepath: join(dir, 'config') });
  return {
    endpoint,
    account,
    dir,
    async close() {
      await endpoint.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function lookupRequests(endpoint: RunningEndpoint) {
  return endpoint.requests.filter((r) => r.operation === 'LookupEvents');
}

/** A query saved in the account the way the console saves one (Trailscope itself never writes). */
export async function saveInConsole(rig: TestRig, definition: { name: string; query: string; logGroups: string[] }, region = 'eu-west-1'): Promise<string> {
  const client = new CloudWatchLogsClient(rig.account.clientConfig(region));
  try {
    const saved = await client.send(new PutQueryDefinitionCommand({ name: definition.name, queryString: definition.query, logGroupNames: definition.logGroups }));
    return saved.queryDefinitionId ?? '';
  } finally {
    client.destroy();
  }
}
