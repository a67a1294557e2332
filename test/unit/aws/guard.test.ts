import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { runCli } from '../../../src/cli/main';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { guarded, RefusedCommandError, scrubbedMessage } from '../../../src/sources/aws/guard';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { startRig, syntheticEvents, TEST_SECRET, type TestRig } from './helpers';

/**
 * What stands between Trailscope and an account: nothing that changes it is sent, and no error shows
 * what the service quotes of a signed request (a wrong secret key gets the session token echoed back).
 */
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE-session-token-never-print';

describe('the guard on every AWS client', () => {
  let rig: TestRig;
  let account: AwsAccount;
  before(async () => {
    rig = await startRig({ events: syntheticEvents(10, ['us-east-1']) }, { faults: { lookupRatePerSecond: 0 } });
    writeFileSync(join(rig.dir, 'credentials'), `[session]\naws_access_key_id = AKIATRAILSCOPETEST01\naws_secret_access_key = ${TEST_SECRET}\naws_session_token = ${TOKEN}\n`);
    account = new AwsAccount({ profile: 'session', endpoint: rig.endpoint.url, filepath: join(rig.dir, 'credentials'), configFilepath: join(rig.dir, 'config') });
  });
  after(() => rig.close());

  test('refuses a command that would change the account, before anything is sent', async () => {
    const client = guarded(new CloudTrailClient(account.clientConfig('us-east-1')));
    rig.endpoint.requests.length = 0;
    await assert.rejects(client.send(new StopLoggingCommand({ Name: 'management-events' })), (error: Error) => {
      assert.ok(error instanceof RefusedCommandError);
      assert.equal(error.message, 'Trailscope only reads from AWS: it refused to send StopLogging.');
      return true;
    });
    assert.deepEqual(rig.endpoint.requests, []);
    client.destroy();
  });

  test('an error answer keeps no trace of the session token anywhere on it: not in its data, stack or printed form', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, signatureMismatch: true };
    const cloudtrail = guarded(new CloudTrailClient(account.clientConfig('us-east-1')));
    const logs = guarded(new CloudWatchLogsClient(account.clientConfig('us-east-1')));
    try {
      // JSON (CloudTrail, CloudWatch Logs) and query (STS) protocols put the answer in different properties.
      for (const call of [() => cloudtrail.send(new LookupEventsCommand({})), () => logs.send(new DescribeLogGroupsCommand({})), () => account.accountId()]) {
        await assert.rejects(call(), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(error.name, 'SignatureDoesNotMatch');
          assert.equal(error.$metadata?.httpStatusCode, 403);
          for (const printed of [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error), String(error.stack)]) {
            assert.ok(!printed.includes(TOKEN), printed);
          }
          return true;
        });
      }
    } finally {
      cloudtrail.destroy();
      logs.destroy();
      rig.endpoint.faults = { ...rig.endpoint.faults, signatureMismatch: false };
    }
  });

  test('an answer from a proxy echoing the request\'s headers shows no secret, in whatever form it quotes the session token', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, echoHeaders: true };
    const source = new LiveSource({ account, regions: ['us-east-1'] });
    try {
      for (const call of [() => source.lookupEvents({ attributes: [], filters: [] }), () => source.logGroups()]) {
        await assert.rejects(call(), (error: Error) => {
          assert.match(error.message, /Request rejected/);
          for (const printed of [error.message, inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error)]) {
            for (const secret of [TOKEN, encodeURIComponent(TOKEN), TEST_SECRET]) assert.ok(!printed.includes(secret), printed);
          }
          return true;
        });
      }
    } finally {
      source.close();
      rig.endpoint.faults = { ...rig.endpoint.faults, echoHeaders: false };
      rig.endpoint.requests.length = 0;
    }
  });

  test('a token Trailscope never resolved (a role chain\'s source profile) is removed where a message labels it, as JSON or in a URL', () => {
    const other = 'FwoGZXIvYXdzEXAMPLE/source+profile=token';
    const message = scrubbedMessage(`AssumeRole failed: {"x-amz-security-token":"${other}"}\nretry at /?X-Amz-Security-Token%3D${encodeURIComponent(other)}&a=1`);
    assert.ok(!message.includes(other) && !message.includes(encodeURIComponent(other)), message);
  });

  test('an answer quoting the signed request shows without the session token, live and in the CLI', async () => {
    rig.endpoint.faults = { ...rig.endpoint.faults, signatureMismatch: true };
    try {
      const source = new LiveSource({ account, regions: ['us-east-1'] });
      for (const call of [() => source.lookupEvents({ attributes: [], filters: [] }), () => source.logGroups(), () => account.accountId()]) {
        await assert.rejects(call(), (error: Error) => {
          assert.match(error.message, /does not match the signature you provided/);
          assert.ok(!error.message.includes(TOKEN), error.message);
          return true;
        });
      }
      source.close();
      // Where the token would be seen: the quoted request was on its way into the message.
      assert.ok(rig.endpoint.requests.every((r) => r.errorType === 'SignatureDoesNotMatch'));
      let err = '';
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(rig.dir, 'credentials');
      process.env.AWS_CONFIG_FILE = join(rig.dir, 'config');
      const code = await runCli(['lookup', '--profile', 'session', '--region', 'us-east-1', '--endpoint-url', rig.endpoint.url], { out: () => undefined, err: (t) => (err += t) });
      assert.equal(code, 1);
      assert.match(err, /does not match/);
      assert.ok(!err.includes(TOKEN), err);
    } finally {
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      delete process.env.AWS_CONFIG_FILE;
      rig.endpoint.faults = { ...rig.endpoint.faults, signatureMismatch: false };
    }
  });
});
