import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { crc32, gunzipSync } from 'node:zlib';
import { assumedRole, iamUser, record, s3Key, writeGzipJson, type Actor, type Json } from '../../scripts/sample/cloudtrail';
import { Prng } from '../../scripts/sample/prng';

/**
 * Bench data: N CloudTrail events in .json.gz files of about 500 events, in the S3 layout, as
 * CloudTrail writes them. Generated once per N into the scratch folder and reused.
 */
export const EVENTS_PER_FILE = 500;
const ACCOUNTS = ['210987654321', '123456789012'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

export interface BenchData {
  dir: string;
  glob: string;
  files: number;
  /** Values the lookups and related queries pick from. */
  users: string[];
  keys: string[];
  ips: string[];
  eventIds: string[];
}

function actors(prng: Prng): Actor[] {
  const list: Actor[] = [];
  for (let i = 0; i < 200; i++) {
    const account = ACCOUNTS[i % 2];
    const ip = `198.51.100.${i % 250}`;
    if (i % 4 === 0) {
      list.push({ identity: assumedRole(account, `Role${i % 20}`, `session-${i}`, `ASIA${prng.alnum(16).toUpperCase()}`, '2026-01-01T00:00:00Z'), ip, userAgent: 'Boto3/1.34.51' });
    } else {
      list.push({ identity: iamUser(account, `user-${i}`, `AKIA${prng.alnum(16).toUpperCase()}`), ip, userAgent: 'aws-cli/2.15.10 Python/3.11.6' });
    }
  }
  return list;
}

const CALLS: Array<[string, string, (prng: Prng) => Json | null]> = [
  ['ec2.amazonaws.com', 'DescribeInstances', (p) => ({ instancesSet: { items: [{ instanceId: `i-0${p.hex(16)}` }] }, filterSet: {} })],
  ['s3.amazonaws.com', 'GetObject', (p) => ({ bucketName: `bucket-${p.int(0, 99)}`, key: `data/${p.hex(8)}.csv` })],
  ['s3.amazonaws.com', 'PutObject', (p) => ({ bucketName: `bucket-${p.int(0, 99)}`, key: `data/${p.hex(8)}.csv` })],
  ['sts.amazonaws.com', 'GetCallerIdentity', () => null],
  ['iam.amazonaws.com', 'ListUsers', () => null],
  ['iam.amazonaws.com', 'AttachUserPolicy', (p) => ({ userName: `user-${p.int(0, 199)}`, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })],
  ['lambda.amazonaws.com', 'GetFunction20150331v2', (p) => ({ functionName: `fn-${p.int(0, 49)}` })],
  ['kms.amazonaws.com', 'Decrypt', (p) => ({ keyId: `arn:aws:kms:us-east-1:210987654321:key/${p.uuid()}` })],
];

export function benchData(root: string, events: number): BenchData {
  const dir = join(root, `cloudtrail-${events}`);
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as BenchData;
  rmSync(dir, { recursive: true, force: true });
  const prng = new Prng(7);
  const people = actors(prng);
  const picked: BenchData = { dir, glob: join(dir, '**', '*.json.gz'), files: 0, users: [], keys: [], ips: [], eventIds: [] };
  const start = Date.parse('2026-01-01T00:00:00Z');
  const step = Math.max(1, Math.floor((90 * 86_400_000) / events));
  for (let written = 0, file = 0; written < events; file++) {
    const account = ACCOUNTS[file % 2];
    const region = REGIONS[file % 3];
    const records: Json[] = [];
    for (let i = 0; i < EVENTS_PER_FILE && written < events; i++, written++) {
      const actor = people[prng.int(0, people.length - 1)];
      const [source, name, params] = CALLS[prng.int(0, CALLS.length - 1)];
      const r = record(prng, { time: new Date(start + written * step).toISOString().replace(/\.\d{3}Z$/, 'Z'), account, region, source, name, actor, requestParameters: params(prng) });
      if (written % 997 === 0) picked.eventIds.push(String(r.eventID));
      records.push(r);
    }
    writeGzipJson(join(dir, s3Key(prng, account, region, new Date(start + written * step))), { Records: records });
    picked.files++;
  }
  picked.users = people.map((a) => String(a.identity.userName ?? String(a.identity.arn).split('/').pop())).slice(0, 40);
  picked.keys = people.map((a) => String(a.identity.accessKeyId)).slice(0, 40);
  picked.ips = people.map((a) => a.ip).slice(0, 40);
  picked.eventIds = picked.eventIds.slice(0, 40);
  writeFileSync(marker, JSON.stringify(picked));
  return picked;
}

/**
 * The same events as one JSON Lines file, as a SIEM export or `jq -c '.Records[]'` writes them (about 1 GB
 * at a million events, beyond what can be read as one string). Written once from the S3 files.
 */
export function benchJsonLines(data: BenchData): string {
  const path = `${data.dir}.jsonl`;
  if (existsSync(path)) return path;
  const files = (readdirSync(data.dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json.gz')).sort();
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    for (const file of files) {
      const { Records } = JSON.parse(gunzipSync(readFileSync(join(data.dir, file))).toString('utf8')) as { Records: Json[] };
      writeSync(fd, Records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

/**
 * That JSON Lines file as the one member of a .zip, stored (as archivers keep what is already large or
 * compressed): a colleague's archive larger than anything a reader should hold. Written once.
 */
export function benchJsonLinesZip(lines: string): string {
  const path = `${lines}.zip`;
  if (existsSync(path)) return path;
  const size = statSync(lines).size;
  if (size >= 0xffffffff) throw new Error(`${lines} needs ZIP64, which this writer leaves out`);
  let crc = 0;
  forEachChunk(lines, (chunk) => (crc = crc32(chunk, crc)));
  const name = Buffer.from(basename(lines));
  const header = (central: boolean): Buffer => {
    const fields = Buffer.alloc(central ? 46 : 30);
    fields.writeUInt32LE(central ? 0x02014b50 : 0x04034b50, 0);
    const at = central ? 6 : 4; // the central entry has "version made by" first
    fields.writeUInt16LE(20, at);
    fields.writeUInt32LE(crc, at + 10);
    fields.writeUInt32LE(size, at + 14);
    fields.writeUInt32LE(size, at + 18);
    fields.writeUInt16LE(name.length, at + 22);
    return Buffer.concat([fields, name]);
  };
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    writeSync(fd, header(false));
    forEachChunk(lines, (chunk) => writeSync(fd, chunk));
    const central = header(true);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length, 12);
    end.writeUInt32LE(30 + name.length + size, 16);
    writeSync(fd, Buffer.concat([central, end]));
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

function forEachChunk(path: string, use: (chunk: Buffer) => void): void {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 24);
  try {
    for (let read; (read = readSync(fd, buffer)) > 0; ) use(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}
