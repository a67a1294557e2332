import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { after } from 'node:test';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { runCli } from '../../../src/cli/main';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'evidence');
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);
export const OTRF = join(__dirname, '..', '..', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');

/** A fresh folder removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-evidence-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function openStore(dir: string, name = 'store.duckdb'): Promise<EvidenceStore> {
  return EvidenceStore.open(join(dir, name));
}

/** Runs the CLI in-process and captures what it writes. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/**
 * A zip of deflated members, each entry declaring `declaredSize` (a bomb declares less than it holds)
 * and the CRC of `content` when given (zero otherwise: the reader checks it only once a member is whole).
 */
export function zipOf(members: Array<{ name: string; deflated: Buffer; declaredSize: number; content?: Buffer }>): Buffer {
  const header = (member: (typeof members)[number], signature: number, localOffset?: number): Buffer => {
    const name = Buffer.from(member.name);
    const central = localOffset !== undefined;
    const fields = Buffer.alloc(central ? 46 : 30);
    fields.writeUInt32LE(signature, 0);
    const at = central ? 6 : 4; // the central entry has "version made by" first
    fields.writeUInt16LE(20, at);
    fields.writeUInt16LE(8, at + 4); // deflate
    fields.writeUInt32LE(member.content ? crc32(member.content) : 0, at + 10);
    fields.writeUInt32LE(member.deflated.length, at + 14);
    fields.writeUInt32LE(member.declaredSize, at + 18);
    fields.writeUInt16LE(name.length, at + 22);
    if (central) fields.writeUInt32LE(localOffset, 42);
    return Buffer.concat([fields, name]);
  };
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    centrals.push(header(member, 0x02014b50, offset));
    locals.push(header(member, 0x04034b50), member.deflated);
    offset += locals.at(-2)!.length + member.deflated.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

/**
 * Three Events as `aws cloudtrail lookup-events` prints them, IDs prefixed with `prefix`: an SSM call the
 * service made (Event history names it `SSM`, the record names no user), a CreateTags whose Resources
 * name the instance its record holds only in `resourcesSet` (no rule derives it), and one that gives
 * neither Username nor Resources (what is derived stands). CloudTrailEvent is spaced as the CLI writes it.
 */
export function givenEvents(prefix: string): Array<Record<string, unknown>> {
  const record = (id: string, minute: number, extra: Record<string, unknown>): Record<string, unknown> => ({
    eventVersion: '1.09', eventTime: `2026-03-05T10:0${minute}:00Z`, awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9',
    eventID: `${prefix}${id}`, readOnly: false, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '111111111111', eventCategory: 'Management', ...extra,
  });
  const alice = { type: 'IAMUser', principalId: 'AIDAALICE', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', accessKeyId: 'AKIAALICEEXAMPLE0001', userName: 'alice' };
  const records = [
    record('ssm', 1, { userIdentity: { type: 'AWSService', invokedBy: 'ssm.amazonaws.com' }, eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceAssociationStatus',
      requestParameters: { associationId: 'assoc-1', instanceId: 'i-0ssm' } }),
    record('tags', 2, { userIdentity: alice, eventSource: 'ec2.amazonaws.com', eventName: 'CreateTags',
      requestParameters: { resourcesSet: { items: [{ resourceId: 'i-0abc' }] }, tagsSet: { items: [{ key: 'Name', value: 'web' }] } } }),
    record('plain', 3, { userIdentity: { ...alice, userName: 'bob', arn: 'arn:aws:iam::111111111111:user/bob' }, eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket',
      requestParameters: { bucketName: 'case-bucket' } }),
  ];
  const event = (r: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> => ({
    EventId: r.eventID, EventName: r.eventName, ReadOnly: 'false', EventTime: r.eventTime, EventSource: r.eventSource, ...given,
    CloudTrailEvent: JSON.stringify(r).replace(/","/g, '", "').replace(/":/g, '": '),
  });
  return [
    event(records[0], { Username: 'SSM', Resources: [] }),
    event(records[1], { AccessKeyId: 'AKIAALICEEXAMPLE0001', Username: 'alice', Resources: [{ ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0abc' }] }),
    event(records[2], {}),
  ];
}
