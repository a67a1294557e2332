import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { memoryBackend } from '../../../src/endpoint/backend';
import { startEndpoint } from '../../../src/endpoint/server';
import { startRig, syntheticEvents } from './helpers';

test('the admin route changes faults while the endpoint runs and returns the request log', async () => {
  const rig = await startRig({ events: syntheticEvents(10, ['eu-west-1']) });
  const client = new CloudTrailClient(rig.account.clientConfig('eu-west-1'));
  try {
    const set = await fetch(`${rig.endpoint.url}/_trailscope/faults`, { method: 'POST', body: JSON.stringify({ deniedOperations: ['LookupEvents'] }) });
    assert.deepEqual(((await set.json()) as { deniedOperations: string[] }).deniedOperations, ['LookupEvents']);
    await assert.rejects(client.send(new LookupEventsCommand({})), { name: 'AccessDeniedException' });
    await fetch(`${rig.endpoint.url}/_trailscope/faults`, { method: 'POST', body: JSON.stringify({ deniedOperations: [] }) });
    assert.equal((await client.send(new LookupEventsCommand({}))).Events?.length, 10);
    const log = (await (await fetch(`${rig.endpoint.url}/_trailscope/requests`)).json()) as Array<{ operation: string; status: number; errorType?: string }>;
    assert.deepEqual(
      log.map((r) => [r.operation, r.status, r.errorType]),
      [
        ['LookupEvents', 400, 'AccessDeniedException'],
        ['LookupEvents', 200, undefined],
      ],
    );
  } finally {
    client.destroy();
    await rig.close();
  }
});

test('an unsigned request is refused; an unknown operation is named', async () => {
  const endpoint = await startEndpoint({ backend: memoryBackend({}) });
  try {
    const unsigned = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'CloudTrail_20131101.LookupEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    assert.equal(unsigned.status, 403);
    assert.equal(((await unsigned.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
    const unknown = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'CloudTrail_20131101.StopLogging',
        'content-type': 'application/x-amz-json-1.1',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAX/20260101/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{"Name":"main"}',
    });
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { message: string }).message, /does not implement StopLogging/);
    assert.deepEqual(endpoint.requests.map((r) => [r.operation, r.status]), [['LookupEvents', 403], ['StopLogging', 400]]);
  } finally {
    await endpoint.close();
  }
});
