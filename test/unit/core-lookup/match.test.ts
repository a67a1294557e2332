import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import { matchesLookup } from '../../../src/core/lookup/match';
import type { CloudTrailRecord } from '../../../src/core/cloudtrail/event';
import type { LookupRequest } from '../../../src/core/lookup/request';

const record: CloudTrailRecord = {
  eventID: 'e1',
  eventTime: '2026-03-01T10:00:00Z',
  eventName: 'AttachUserPolicy',
  eventSource: 'iam.amazonaws.com',
  readOnly: false,
  sourceIPAddress: '198.51.100.7',
  userAgent: 'Boto3/1.34',
  userIdentity: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAALICE' },
  requestParameters: { userName: 'alice', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
};
const event = toLookupEvent(record);
const match = (request: Partial<LookupRequest>): boolean => matchesLookup(record, event, { attributes: [], filters: [], ...request });

test('attributes are exact, case-sensitive and AND-ed', () => {
  assert.equal(match({ attributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }] }), true);
  assert.equal(match({ attributes: [{ AttributeKey: 'Username', AttributeValue: 'ALICE' }] }), false);
  assert.equal(match({ attributes: [{ AttributeKey: 'EventName', AttributeValue: 'AttachUserPolicy' }, { AttributeKey: 'ReadOnly', AttributeValue: 'true' }] }), false);
  assert.equal(match({ attributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }), true);
  assert.equal(match({ attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'arn:aws:iam::aws:policy/AdministratorAccess' }] }), true);
  assert.equal(match({ attributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::IAM::Policy' }] }), true);
});

test('filters: equals exact, contains case-insensitive; resource matches short names', () => {
  assert.equal(match({ filters: [{ field: 'userAgent', op: 'contains', value: 'boto3' }] }), true);
  assert.equal(match({ filters: [{ field: 'userAgent', op: 'equals', value: 'boto3/1.34' }] }), false);
  assert.equal(match({ filters: [{ field: 'resource', op: 'equals', value: 'AdministratorAccess' }] }), true);
  assert.equal(match({ filters: [{ field: 'sessionName', op: 'equals', value: 'alice' }] }), false);
});

test('start and end are inclusive', () => {
  assert.equal(match({ start: '2026-03-01T10:00:00Z', end: '2026-03-01T10:00:00Z' }), true);
  assert.equal(match({ start: '2026-03-01T10:00:01Z' }), false);
  assert.equal(match({ end: '2026-03-01T09:59:59.999Z' }), false);
});
