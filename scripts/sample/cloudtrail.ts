import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Prng } from './prng';

/** CloudTrail records as the service writes them (aws-api-reference A.9), for the sample and the bench. */
export type Json = Record<string, unknown>;

export interface Actor {
  identity: Json;
  ip: string;
  userAgent: string;
}

export function iamUser(account: string, name: string, accessKeyId: string): Json {
  return { type: 'IAMUser', principalId: `AIDA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`, arn: `arn:aws:iam::${account}:user/${name}`, accountId: account, accessKeyId, userName: name };
}

export function assumedRole(account: string, role: string, session: string, accessKeyId: string, created: string): Json {
  const roleId = `AROA${role.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'Y').slice(0, 17)}`;
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
      attributes: { creationDate: created, mfaAuthenticated: 'false' },
    },
  };
}

export function awsService(service: string): Json {
  return { type: 'AWSService', invokedBy: service };
}

export interface RecordSpec {
  time: string;
  account: string;
  region: string;
  source: string;
  name: string;
  actor: Actor;
  readOnly?: boolean;
  requestParameters?: Json | null;
  responseElements?: Json | null;
  resources?: Json[];
  errorCode?: string;
  errorMessage?: string;
  data?: boolean;
  extra?: Json;
}

export function record(prng: Prng, spec: RecordSpec): Json {
  const r: Json = {
    eventVersion: '1.09',
    userIdentity: spec.actor.identity,
    eventTime: spec.time,
    eventSource: spec.source,
    eventName: spec.name,
    awsRegion: spec.region,
    sourceIPAddress: spec.actor.ip,
    userAgent: spec.actor.userAgent,
  };
  if (spec.errorCode) {
    r.errorCode = spec.errorCode;
    r.errorMessage = spec.errorMessage ?? `User: ${String(spec.actor.identity.arn)} is not authorized to perform: ${spec.source.split('.')[0]}:${spec.name}`;
  }
  r.requestParameters = spec.requestParameters ?? null;
  r.responseElements = spec.errorCode ? null : (spec.responseElements ?? null);
  r.requestID = spec.source === 's3.amazonaws.com' ? prng.alnum(16).toUpperCase() : prng.uuid();
  r.eventID = prng.uuid();
  r.readOnly = spec.readOnly ?? /^(Get|List|Describe|Head|Lookup)/.test(spec.name);
  if (spec.resources) r.resources = spec.resources;
  r.eventType = 'AwsApiCall';
  r.managementEvent = !spec.data;
  r.recipientAccountId = spec.account;
  r.eventCategory = spec.data ? 'Data' : 'Management';
  r.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${spec.source.split('.')[0]}.${spec.region}.amazonaws.com` };
  return { ...r, ...spec.extra };
}

const FIVE_MINUTES = 5 * 60_000;

/** `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16>.json.gz`. */
export function s3Key(prng: Prng, account: string, region: string, delivery: Date): string {
  const iso = delivery.toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return join('AWSLogs', account, 'CloudTrail', region, iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), `${account}_CloudTrail_${region}_${stamp}_${prng.alnum(16)}.json.gz`);
}

/** Groups records into 5-minute delivery files per account and region, as CloudTrail delivers them. */
export class TrailWriter {
  private readonly files = new Map<string, Json[]>();

  add(r: Json): void {
    const delivery = Math.floor(Date.parse(String(r.eventTime)) / FIVE_MINUTES) * FIVE_MINUTES + FIVE_MINUTES;
    const key = `${String(r.recipientAccountId)}|${String(r.awsRegion)}|${delivery}`;
    const list = this.files.get(key) ?? [];
    list.push(r);
    this.files.set(key, list);
  }

  get count(): number {
    let n = 0;
    for (const list of this.files.values()) n += list.length;
    return n;
  }

  /** Writes the files under `root`; returns how many. */
  write(prng: Prng, root: string): number {
    for (const key of [...this.files.keys()].sort()) {
      const [account, region, delivery] = key.split('|');
      const records = this.files.get(key) ?? [];
      writeGzipJson(join(root, s3Key(prng, account, region, new Date(Number(delivery)))), { Records: records });
    }
    return this.files.size;
  }
}

export function writeGzipJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(JSON.stringify(value)));
}
