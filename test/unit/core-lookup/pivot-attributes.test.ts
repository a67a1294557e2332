import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { relatedQueries } from '../../../src/core/pivots/queries';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import type { CloudTrailRecord } from '../../../src/core/cloudtrail/event';

// The live source can send one attribute to LookupEvents; pivots that carry an exact one are fetched
// without paging through the account's whole history.
const attributesOf = (record: CloudTrailRecord, pivot: string) =>
  relatedQueries(record, toLookupEvent(record)).find((q) => q.pivot === pivot)?.request.attributes;

test('an IAM user principal pivot narrows by Username, around this event too, so the two agree', () => {
  const record: CloudTrailRecord = {
    eventID: 'e1', eventTime: '2026-01-01T00:00:00Z', eventName: 'ListBuckets', eventSource: 's3.amazonaws.com',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice', accessKeyId: 'AKIAEXAMPLE' },
  };
  assert.deepEqual(attributesOf(record, 'principal'), [{ AttributeKey: 'Username', AttributeValue: 'alice' }]);
  assert.deepEqual(attributesOf(record, 'time-window'), [{ AttributeKey: 'Username', AttributeValue: 'alice' }]);
});

test('a call that minted a key links to what that key signed; a bare wildcard is no resource', () => {
  const record: CloudTrailRecord = {
    eventID: 'e3', eventTime: '2026-01-01T00:00:00Z', eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice', accessKeyId: 'AKIAEXAMPLE' },
    resources: [{ ARN: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/x:*' }],
    requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/ops', policyArn: '*' },
    responseElements: { credentials: { accessKeyId: 'ASIAMINTED0001' } },
  };
  assert.deepEqual(attributesOf(record, 'minted-key'), [{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIAMINTED0001' }]);
  const resources = relatedQueries(record, toLookupEvent(record)).filter((q) => q.pivot === 'resource').map((q) => q.value);
  assert.ok(resources.length > 0 && !resources.includes('*'), resources.join(', '));
});

test('an assumed-role session pivot narrows by its session name, and minted-by by STS', () => {
  const record: CloudTrailRecord = {
    eventID: 'e2', eventTime: '2026-01-01T00:00:00Z', eventName: 'GetObject', eventSource: 's3.amazonaws.com',
    userIdentity: {
      type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/ops/deploy-42', principalId: 'AROAX:deploy-42',
      accessKeyId: 'ASIAEXAMPLE', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/ops' } },
    },
  };
  assert.deepEqual(attributesOf(record, 'session'), [{ AttributeKey: 'Username', AttributeValue: 'deploy-42' }]);
  assert.deepEqual(attributesOf(record, 'minted-by'), [{ AttributeKey: 'EventSource', AttributeValue: 'sts.amazonaws.com' }]);
  // A role's principal spans every session of the role: no attribute names exactly those events.
  assert.deepEqual(attributesOf(record, 'principal'), []);
});

test('a call over many resources links the first five of them, each within its type', () => {
  const instances = Array.from({ length: 7 }, (_, i) => ({ instanceId: `i-00000000000000${i}` }));
  const record: CloudTrailRecord = {
    eventID: 'e4', eventTime: '2026-01-01T00:00:00Z', eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', userName: 'alice', accessKeyId: 'AKIAEXAMPLE' },
    requestParameters: { instancesSet: { items: [{ imageId: 'ami-1', minCount: 7, maxCount: 7 }] } },
    responseElements: { instancesSet: { items: instances } },
  };
  const resources = (options?: { maxResources: number }) =>
    relatedQueries(record, toLookupEvent(record), options).filter((q) => q.pivot === 'resource').map((q) => q.value);
  assert.deepEqual(resources(), instances.slice(0, 5).map((i) => `${i.instanceId} (AWS::EC2::Instance)`));
  assert.equal(resources({ maxResources: 7 }).length, 7);
  // A bare wildcard among them takes no place.
  record.resources = [{ ARN: '*' }];
  assert.equal(resources().length, 5);
});
