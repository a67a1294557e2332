import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { STORY } from '../sample-story';
import { assumedRole, awsService, iamUser, record, TrailWriter, type Actor, type Json, type RecordSpec } from './cloudtrail';
import { Prng } from './prng';

/**
 * The sample incident: three days of ordinary activity in two accounts and three regions, and the
 * intrusion of STORY on the third night, as the files AWS would deliver (CloudTrail and VPC flow logs in
 * the S3 layout, Lambda logs as a CloudWatch Logs export). Deterministic for a given seed and scale.
 */
export interface SampleOptions {
  seed?: number;
  /** Background volume relative to the default (about 12,000 CloudTrail events); the story is always whole. */
  scale?: number;
}

export interface SampleSummary {
  cloudtrailEvents: number;
  cloudtrailFiles: number;
  flowRecords: number;
  lambdaEvents: number;
}

const A1 = STORY.victimAccount;
const A2 = STORY.secondAccount;
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const at = (time: string, seconds = 0): number => Date.parse(time) + seconds * 1000;

const CONSOLE_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36';
const actors = {
  maria: { identity: iamUser(A1, 'dev-maria', 'AKIAQ3EXAMPLEMARIA01'), ip: '198.51.100.20', userAgent: 'aws-cli/2.15.10 Python/3.11.6 Darwin/23.3.0 exe/x86_64' },
  ci: { identity: iamUser(A1, 'ci-deployer', 'AKIAQ3EXAMPLECIDEP01'), ip: '192.0.2.10', userAgent: 'aws-sdk-go-v2/1.24.1 os/linux lang/go#1.21.6' },
  reporting: { identity: iamUser(A1, STORY.leakedUser, STORY.leakedAccessKeyId), ip: '192.0.2.44', userAgent: 'Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux' },
  instance: {
    identity: assumedRole(A1, STORY.theft.instanceRole, STORY.theft.instanceId, 'ASIAQ3EXAMPLEINST001', '2026-03-01T23:58:00Z'),
    ip: STORY.theft.instanceIp,
    userAgent: 'aws-cli/2.15.10 Python/3.11.6 Linux/6.1.79-99.164.amzn2023.x86_64 exe/x86_64.amzn.2023',
  },
  jo: { identity: iamUser(A2, 'analyst-jo', 'AKIA4EXAMPLEANALYST1'), ip: '198.51.100.21', userAgent: CONSOLE_UA },
  autoscaling: { identity: awsService('autoscaling.amazonaws.com'), ip: 'autoscaling.amazonaws.com', userAgent: 'autoscaling.amazonaws.com' },
  attacker: { identity: iamUser(A1, STORY.leakedUser, STORY.leakedAccessKeyId), ip: STORY.attackerIp, userAgent: STORY.attackerUserAgent },
  attackerInA2: {
    identity: assumedRole(A2, 'OrganizationAccountAccessRole', STORY.crossAccount.sessionName, STORY.crossAccount.mintedAccessKeyId, STORY.crossAccount.assumeRole),
    ip: STORY.attackerIp,
    userAgent: STORY.attackerUserAgent,
  },
} satisfies Record<string, Actor>;

type Spec = Omit<RecordSpec, 'time' | 'account' | 'region' | 'actor'> & { region?: string };

function s3Object(bucket: string, key: string, bytes: number): Spec {
  return {
    source: 's3.amazonaws.com',
    name: 'GetObject',
    data: true,
    requestParameters: { bucketName: bucket, key, Host: `${bucket}.s3.amazonaws.com` },
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, { type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
    extra: { additionalEventData: { bytesTransferredOut: bytes, bytesTransferredIn: 0, SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' } },
  };
}

/** Ordinary calls of each actor, weighted towards working hours. */
function background(prng: Prng, trail: TrailWriter, scale: number): void {
  const add = (time: number, account: string, actor: Actor, spec: Spec): void =>
    trail.add(record(prng, { region: 'us-east-1', ...spec, time: iso(time), account, actor }));
  const regions = STORY.regions;
  const routine: Array<[Actor, string, number, (t: number) => Spec]> = [
    [actors.maria, A1, 14, () => prng.pick<Spec>([
      { source: 'ec2.amazonaws.com', name: 'DescribeInstances', region: prng.pick(regions), requestParameters: { instancesSet: {}, filterSet: {} } },
      { source: 's3.amazonaws.com', name: 'ListBuckets', requestParameters: { Host: 's3.amazonaws.com' } },
      s3Object('acme-build-artifacts', `builds/${prng.int(1000, 1400)}/app.zip`, prng.int(1e6, 9e6)),
      { source: 'logs.amazonaws.com', name: 'DescribeLogGroups', region: prng.pick(regions) },
      { source: 'lambda.amazonaws.com', name: 'GetFunction20150331v2', requestParameters: { functionName: 'orders-api' } },
    ])],
    [actors.ci, A1, 8, () => prng.pick<Spec>([
      { source: 'lambda.amazonaws.com', name: 'UpdateFunctionCode20150331v2', requestParameters: { functionName: 'orders-api', publish: true } },
      { source: 's3.amazonaws.com', name: 'PutObject', data: true, requestParameters: { bucketName: 'acme-build-artifacts', key: `builds/${prng.int(1000, 1400)}/app.zip` } },
      { source: 'cloudformation.amazonaws.com', name: 'DescribeStacks', region: prng.pick(regions), requestParameters: { stackName: 'orders' } },
    ])],
    [actors.instance, A1, 6, () => ({ ...s3Object(STORY.theft.bucket, `daily/${prng.int(1, 28)}.csv.gz`, prng.int(2e5, 8e5)), extra: { vpcEndpointId: 'vpce-0d1e2f3a4b5c6d7e8' } })],
    [actors.jo, A2, 6, () => prng.pick<Spec>([
      s3Object(STORY.theft.secondBucket, `ledger/2026-02-${String(prng.int(1, 28)).padStart(2, '0')}.parquet`, prng.int(1e6, 5e6)),
      { source: 's3.amazonaws.com', name: 'ListObjects', requestParameters: { bucketName: STORY.theft.secondBucket, prefix: 'ledger/' }, data: true },
      { source: 'athena.amazonaws.com', name: 'StartQueryExecution', region: 'eu-west-1' },
    ])],
    [actors.autoscaling, A1, 4, () => ({ source: 'ec2.amazonaws.com', name: 'DescribeInstanceStatus', region: prng.pick(regions) })],
    [actors.autoscaling, A2, 3, () => ({ source: 'ec2.amazonaws.com', name: 'DescribeInstanceStatus', region: prng.pick(regions) })],
  ];
  for (let hour = Date.parse(STORY.start); hour < Date.parse(STORY.end); hour += HOUR) {
    const h = new Date(hour).getUTCHours();
    const busy = h >= 7 && h <= 18 ? 1 : 0.15;
    for (const [actor, account, perHour, spec] of routine) {
      const n = Math.round(perHour * 6 * busy * scale * (0.6 + prng.next() * 0.8));
      for (let i = 0; i < n; i++) {
        const t = hour + prng.int(0, HOUR - 1000);
        add(t, account, actor, spec(t));
      }
    }
    // The reporting job's nightly run: the leaked key's normal use, from the company's own address.
    if (h === 6) {
      for (let i = 0; i < 5; i++) add(hour + 60_000 * i, A1, actors.reporting, s3Object(STORY.theft.bucket, `daily/${i + 1}.csv.gz`, 500_000));
    }
    if (h === 8) {
      add(hour + prng.int(0, 900_000), A1, { ...actors.maria, userAgent: CONSOLE_UA }, {
        source: 'signin.amazonaws.com', name: 'ConsoleLogin', readOnly: false,
        responseElements: { ConsoleLogin: 'Success' }, extra: { eventType: 'AwsConsoleSignIn', additionalEventData: { MFAUsed: 'Yes', LoginTo: 'https://console.aws.amazon.com/' } },
      });
    }
  }
}

/** The intrusion, call by call (STORY holds the key facts). */
function story(prng: Prng, trail: TrailWriter): void {
  const add = (time: number, account: string, actor: Actor, spec: Spec): Json => {
    const r = record(prng, { region: 'us-east-1', ...spec, time: iso(time), account, actor });
    trail.add(r);
    return r;
  };
  const attacker = actors.attacker;
  add(at(STORY.firstUse), A1, attacker, { source: 'sts.amazonaws.com', name: 'GetCallerIdentity' });
  const recon: Spec[] = [
    { source: 'iam.amazonaws.com', name: 'ListUsers' },
    { source: 'iam.amazonaws.com', name: 'ListRoles' },
    { source: 'iam.amazonaws.com', name: 'ListAttachedUserPolicies', requestParameters: { userName: STORY.leakedUser } },
    { source: 'iam.amazonaws.com', name: 'ListUserPolicies', requestParameters: { userName: STORY.leakedUser } },
    { source: 'iam.amazonaws.com', name: 'GetAccountAuthorizationDetails', errorCode: 'AccessDenied' },
    { source: 'iam.amazonaws.com', name: 'ListPolicies', requestParameters: { scope: 'Local' } },
    { source: 's3.amazonaws.com', name: 'ListBuckets', requestParameters: { Host: 's3.amazonaws.com' } },
    ...STORY.regions.map((region): Spec => ({ source: 'ec2.amazonaws.com', name: 'DescribeInstances', region, requestParameters: { instancesSet: {}, filterSet: {} } })),
    ...STORY.regions.map((region): Spec => ({ source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', region })),
    { source: 'ec2.amazonaws.com', name: 'DescribeRegions' },
    { source: 'lambda.amazonaws.com', name: 'ListFunctions20150331', region: 'us-east-1' },
    { source: 'secretsmanager.amazonaws.com', name: 'ListSecrets', errorCode: 'AccessDeniedException' },
    { source: 'cloudtrail.amazonaws.com', name: 'DescribeTrails' },
    { source: 'organizations.amazonaws.com', name: 'DescribeOrganization' },
  ];
  const span = (at(STORY.recon.to) - at(STORY.recon.from)) / recon.length;
  recon.forEach((spec, i) => add(at(STORY.recon.from) + 7000 + Math.round(i * span), A1, attacker, spec));
  const adminPolicy = STORY.escalation.policyArn;
  add(at(STORY.escalation.deniedCreatePolicyVersion), A1, attacker, {
    source: 'iam.amazonaws.com', name: 'CreatePolicyVersion', errorCode: 'AccessDenied',
    requestParameters: { policyArn: `arn:aws:iam::${A1}:policy/ReportingReadOnly`, policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', setAsDefault: true },
  });
  add(at(STORY.escalation.attachAdministratorAccess), A1, attacker, { source: 'iam.amazonaws.com', name: 'AttachUserPolicy', requestParameters: { userName: STORY.leakedUser, policyArn: adminPolicy } });
  const user = STORY.persistence.user;
  add(at(STORY.persistence.createUser), A1, attacker, {
    source: 'iam.amazonaws.com', name: 'CreateUser', requestParameters: { userName: user },
    responseElements: { user: { userName: user, userId: 'AIDAQ3EXAMPLESUPPORT', arn: `arn:aws:iam::${A1}:user/${user}`, path: '/', createDate: 'Mar 4, 2026, 2:24:02 AM' } },
  });
  add(at(STORY.persistence.createAccessKey), A1, attacker, {
    source: 'iam.amazonaws.com', name: 'CreateAccessKey', requestParameters: { userName: user },
    responseElements: { accessKey: { accessKeyId: STORY.persistence.newAccessKeyId, status: 'Active', userName: user, createDate: 'Mar 4, 2026, 2:24:19 AM' } },
  });
  add(at(STORY.persistence.createLoginProfile), A1, attacker, {
    source: 'iam.amazonaws.com', name: 'CreateLoginProfile', requestParameters: { userName: user, passwordResetRequired: false },
    responseElements: { loginProfile: { userName: user, createDate: 'Mar 4, 2026, 2:24:44 AM', passwordResetRequired: false } },
  });
  add(at(STORY.persistence.createLoginProfile, 20), A1, attacker, { source: 'iam.amazonaws.com', name: 'AttachUserPolicy', requestParameters: { userName: user, policyArn: adminPolicy } });
  // AssumeRole into the second account: recorded in both, linked by sharedEventID and the minted key.
  const cross = STORY.crossAccount;
  const shared = prng.uuid();
  const requestId = prng.uuid();
  const assume: Spec = {
    source: 'sts.amazonaws.com', name: 'AssumeRole',
    requestParameters: { roleArn: cross.roleArn, roleSessionName: cross.sessionName, durationSeconds: 3600 },
    responseElements: {
      credentials: { accessKeyId: cross.mintedAccessKeyId, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE', expiration: 'Mar 4, 2026, 3:30:12 AM' },
      assumedRoleUser: { assumedRoleId: `AROAORGACCESS:${cross.sessionName}`, arn: `arn:aws:sts::${A2}:assumed-role/OrganizationAccountAccessRole/${cross.sessionName}` },
    },
    resources: [{ ARN: cross.roleArn, accountId: A2, type: 'AWS::IAM::Role' }],
    extra: { sharedEventID: shared, requestID: requestId },
  };
  add(at(cross.assumeRole), A1, attacker, assume);
  add(at(cross.assumeRole), A2, { ...attacker, identity: { type: 'AWSAccount', principalId: 'AIDASVCREPORTINGXXXX', accountId: A1 } }, assume);
  const a2 = actors.attackerInA2;
  add(at(cross.assumeRole, 25), A2, a2, { source: 'sts.amazonaws.com', name: 'GetCallerIdentity' });
  add(at(cross.assumeRole, 48), A2, a2, { source: 's3.amazonaws.com', name: 'ListBuckets', requestParameters: { Host: 's3.amazonaws.com' } });
  add(at(cross.assumeRole, 70), A2, a2, { source: 's3.amazonaws.com', name: 'ListObjects', data: true, requestParameters: { bucketName: STORY.theft.secondBucket, prefix: '' } });
  for (let i = 0; i < STORY.theft.secondGetObjects; i++) {
    add(at(cross.assumeRole, 90 + i * 9), A2, a2, s3Object(STORY.theft.secondBucket, `ledger/2025-${String((i % 12) + 1).padStart(2, '0')}.parquet`, 4_000_000 + i * 1000));
  }
  // Theft through the reporting instance: SSM command, then its role reads the bucket in a burst.
  const theft = STORY.theft;
  add(at(theft.sendCommand), A1, attacker, {
    source: 'ssm.amazonaws.com', name: 'SendCommand',
    requestParameters: { instanceIds: [theft.instanceId], documentName: 'AWS-RunShellScript', parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    resources: [{ ARN: `arn:aws:ec2:us-east-1:${A1}:instance/${theft.instanceId}`, accountId: A1, type: 'AWS::EC2::Instance' }],
  });
  const step = (at(theft.getObjects.to) - at(theft.getObjects.from)) / theft.getObjects.count;
  for (let i = 0; i < theft.getObjects.count; i++) {
    const bytes = shareOf(theft.outboundBytes, theft.getObjects.count, i);
    add(at(theft.getObjects.from) + Math.round(i * step), A1, actors.instance, {
      ...s3Object(theft.bucket, `customers/export-${String(i).padStart(4, '0')}.csv.gz`, bytes),
      extra: { vpcEndpointId: 'vpce-0d1e2f3a4b5c6d7e8', additionalEventData: { bytesTransferredOut: bytes } },
    });
  }
  const trailArn = `arn:aws:cloudtrail:us-east-1:${A1}:trail/${STORY.tampering.trailName}`;
  add(at(STORY.tampering.stopLogging), A1, attacker, { source: 'cloudtrail.amazonaws.com', name: 'StopLogging', requestParameters: { name: trailArn }, resources: [{ ARN: trailArn, accountId: A1, type: 'AWS::CloudTrail::Trail' }] });
  add(at(STORY.tampering.deniedDeleteTrail), A1, attacker, { source: 'cloudtrail.amazonaws.com', name: 'DeleteTrail', requestParameters: { name: trailArn }, errorCode: 'AccessDenied', errorMessage: 'An explicit deny in a service control policy' });
}

/**
 * Part `i` of `total` split into `parts` whole numbers that add up to it exactly: the bytes the objects
 * read and the flow records carry out sum to the story's figure, as a responder adding them up expects.
 */
function shareOf(total: number, parts: number, i: number): number {
  return Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts);
}

const FLOW_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** VPC flow logs of the first account's VPC, hourly files in the S3 layout with the header line. */
function flowLogs(prng: Prng, root: string, scale: number): number {
  const theft = STORY.theft;
  const web = { eni: 'eni-07b3d9f1a2c4e6801', ip: '10.20.1.10' };
  let total = 0;
  for (let hour = Date.parse(STORY.start); hour < Date.parse(STORY.end); hour += HOUR) {
    const lines: string[] = [];
    const flow = (eni: string, src: string, dst: string, sport: number, dport: number, packets: number, bytes: number, start: number, action = 'ACCEPT'): void => {
      lines.push(`2 ${A1} ${eni} ${src} ${dst} ${sport} ${dport} 6 ${packets} ${bytes} ${Math.floor(start / 1000)} ${Math.floor(start / 1000) + 60} ${action} OK`);
    };
    for (let w = 0; w < 6; w++) {
      const start = hour + w * 600_000;
      for (let i = 0; i < Math.max(1, Math.round(4 * scale)); i++) {
        const client = `198.18.${prng.int(0, 255)}.${prng.int(1, 254)}`;
        const port = prng.int(32768, 60999);
        flow(web.eni, client, web.ip, port, 443, prng.int(5, 40), prng.int(800, 60_000), start + prng.int(0, 500_000));
        flow(web.eni, web.ip, client, 443, port, prng.int(5, 60), prng.int(2_000, 400_000), start + prng.int(0, 500_000));
      }
      if (prng.next() < 0.3) flow(web.eni, `198.18.${prng.int(0, 255)}.${prng.int(1, 254)}`, web.ip, prng.int(40000, 60000), 22, 2, 120, start, 'REJECT');
      // The reporting instance's normal traffic: small reads from S3 through the gateway endpoint.
      flow(theft.interfaceId, theft.instanceIp, '198.18.200.10', prng.int(32768, 60999), 443, prng.int(20, 80), prng.int(20_000, 90_000), start);
      flow(theft.interfaceId, '198.18.200.10', theft.instanceIp, 443, prng.int(32768, 60999), prng.int(200, 900), prng.int(200_000, 900_000), start);
      lines.push(`2 ${A1} eni-0ff1c2d3e4a5b6c7d - - - - - - - ${Math.floor(start / 1000)} ${Math.floor(start / 1000) + 600} - NODATA`);
    }
    // The exfiltration: one-minute records from the instance to the attacker, while the bucket is read.
    if (hour === Math.floor(at(theft.getObjects.from) / HOUR) * HOUR) {
      const minutes = 11;
      for (let m = 0; m < minutes; m++) {
        const start = at(theft.getObjects.from) + m * 60_000;
        flow(theft.interfaceId, theft.instanceIp, STORY.attackerIp, 51822, 443, 130_000, shareOf(theft.outboundBytes, minutes, m), start);
        flow(theft.interfaceId, STORY.attackerIp, theft.instanceIp, 443, 51822, 40_000, 2_100_000, start);
      }
    }
    const stamp = new Date(hour + HOUR).toISOString();
    const day = `${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}`;
    const name = `${A1}_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60789_${stamp.slice(0, 4)}${stamp.slice(5, 7)}${stamp.slice(8, 10)}T${stamp.slice(11, 13)}00Z_${prng.hex(8)}.log.gz`;
    writeGzip(join(root, 'AWSLogs', A1, 'vpcflowlogs', 'us-east-1', day, name), [FLOW_HEADER, ...lines].join('\n') + '\n');
    total += lines.length;
  }
  return total;
}

/** Lambda logs of `orders-api`, one log stream per day, as a CloudWatch Logs export task writes them. */
function lambdaLogs(prng: Prng, root: string, scale: number): number {
  const task = prng.uuid();
  let total = 0;
  for (let day = Date.parse(STORY.start); day < Date.parse(STORY.end); day += 24 * HOUR) {
    const date = new Date(day).toISOString().slice(0, 10).replaceAll('-', '/');
    const stream = `${date}/[$LATEST]${prng.hex(32)}`;
    const lines: string[] = [];
    let cold = true;
    for (let t = day + prng.int(0, 300_000); t < day + 24 * HOUR; t += Math.round(prng.int(120_000, 900_000) / scale)) {
      const id = prng.uuid();
      const duration = prng.int(1500, 48000) / 100;
      const stamp = (offset: number): string => new Date(t + offset).toISOString();
      lines.push(`${stamp(0)} START RequestId: ${id} Version: $LATEST`);
      lines.push(`${stamp(5)} ${stamp(5)}\t${id}\tINFO\torder ${prng.int(10000, 99999)} accepted`);
      lines.push(`${stamp(Math.ceil(duration))} END RequestId: ${id}`);
      lines.push(`${stamp(Math.ceil(duration) + 1)} REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: 512 MB\tMax Memory Used: ${prng.int(88, 140)} MB\t${cold ? `Init Duration: ${(prng.int(20000, 45000) / 100).toFixed(2)} ms\t` : ''}`);
      cold = false;
      total += 4;
    }
    writeGzip(join(root, 'aws', 'lambda', 'orders-api', task, stream, '000000.gz'), lines.join('\n') + '\n');
  }
  return total;
}

function writeGzip(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(text));
}

/** Writes the sample under `dir` (replacing what was there): cloudtrail/, flowlogs/, cloudwatch/. */
export function writeSample(dir: string, options: SampleOptions = {}): SampleSummary {
  const prng = new Prng(options.seed ?? 20260304);
  const scale = options.scale ?? 1;
  rmSync(dir, { recursive: true, force: true });
  const trail = new TrailWriter();
  background(prng, trail, scale);
  story(prng, trail);
  const cloudtrailFiles = trail.write(prng, join(dir, 'cloudtrail'));
  return {
    cloudtrailEvents: trail.count,
    cloudtrailFiles,
    flowRecords: flowLogs(prng, join(dir, 'flowlogs'), scale),
    lambdaEvents: lambdaLogs(prng, join(dir, 'cloudwatch'), scale),
  };
}
