import type { CloudTrailRecord, LookupEvent } from '../cloudtrail/event';
import { arnResourceName, mintedAccessKeyOf, resourcesOf, sessionNameOf, typedResourceKey, usernameOf } from '../cloudtrail/derive';
import { eventTimeOf } from '../cloudtrail/lookup-event';
import type { FieldFilter, LookupRequest } from '../lookup/request';
import type { PivotName } from '../results';
import { parseIpv6 } from '../insights/subnets';

/**
 * The related-event pivots of one event (investigation-practice.md, "Pivots that matter"), each as a
 * LookupRequest any TrailSource can run, and the flows pivot as a Logs Insights query. Written once,
 * here, so the live and offline paths follow the same links.
 */
export interface PivotQuery {
  pivot: Exclude<PivotName, 'flows'>;
  value: string;
  request: LookupRequest;
}

export interface FlowsQuery {
  pivot: 'flows';
  value: string;
  /** Logs Insights query text over the VPC flow log groups. */
  query: string;
  start: string;
  end: string;
}

export interface PivotOptions {
  /** Half-width of the time-window pivot, in minutes (default 15). */
  windowMinutes?: number;
  /** Half-width of the flows pivot's time range, in hours; without it, the whole history (an evidence store). */
  flowHours?: number;
  /** The resource pivots of at most this many of the event's Resources, in their order (default 5). */
  maxResources?: number;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const equals = (field: FieldFilter['field'], value: string): FieldFilter => ({ field, op: 'equals', value });
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:]*$/;

export function isIpAddress(value: string): boolean {
  return IPV4.test(value) || IPV6.test(value);
}

/**
 * What a responder may start from instead of an event (a GuardDuty finding's address, a leaked key, a
 * principal): the pivots of an event that need only that value, built by the same functions.
 */
export const LEAD_KINDS = ['source-ip', 'access-key', 'principal'] as const;
export type LeadKind = (typeof LEAD_KINDS)[number];

export interface Lead {
  kind: LeadKind;
  value: string;
}

const pivotQuery = (pivot: PivotQuery['pivot'], value: string, request: Partial<LookupRequest>): PivotQuery => ({ pivot, value, request: { attributes: [], filters: [], ...request } });

/**
 * Where a LookupEvents attribute narrows the filter, add it: the live source sends it to the service
 * instead of paging through the whole history. An IAM user's Username leaves out the federated sessions
 * that name the user as issuer (GetFederationToken; the session pivot has them), so the principal pivots
 * (all time, and around an event) both carry it and agree with each other, live and offline.
 */
function principalRequest(arn: string, userName: string | undefined): Partial<LookupRequest> {
  return { attributes: userName ? [{ AttributeKey: 'Username', AttributeValue: userName }] : [], filters: [equals('principalArn', arn)] };
}

const accessKeyQuery = (key: string): PivotQuery => pivotQuery('access-key', key, { attributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: key }] });

/**
 * The call that minted a key. Temporary keys are minted only by STS (AssumeRole*, GetSessionToken,
 * GetFederationToken), long-term ones by IAM's CreateAccessKey (a leaked key's origin, or persistence).
 */
function mintedByQuery(key: string): PivotQuery | undefined {
  const minter = key.startsWith('ASIA') ? 'sts.amazonaws.com' : key.startsWith('AKIA') ? 'iam.amazonaws.com' : undefined;
  return minter ? pivotQuery('minted-by', key, { attributes: [{ AttributeKey: 'EventSource', AttributeValue: minter }], filters: [equals('mintedAccessKeyId', key)] }) : undefined;
}

const sourceIpQuery = (ip: string): PivotQuery => pivotQuery('source-ip', ip, { filters: [equals('sourceIPAddress', ip)] });

/** The user name in an IAM user's ARN (`arn:aws:iam::1:user/path/name`): what CloudTrail records as its userName. */
const IAM_USER_ARN = /^arn:[^:]+:iam::[^:]*:user\/(?:.*\/)?([^/]+)$/;

/** A lead's pivots: those an event holding that value would have for it. */
export function leadQueries(lead: Lead): PivotQuery[] {
  switch (lead.kind) {
    case 'source-ip':
      return [sourceIpQuery(lead.value)];
    case 'access-key':
      return [accessKeyQuery(lead.value), mintedByQuery(lead.value)].filter((q): q is PivotQuery => q !== undefined);
    case 'principal':
      return [pivotQuery('principal', lead.value, principalRequest(lead.value, IAM_USER_ARN.exec(lead.value)?.[1]))];
  }
}

export function relatedQueries(record: CloudTrailRecord, event: LookupEvent, options: PivotOptions = {}): PivotQuery[] {
  const identity = record.userIdentity !== null && typeof record.userIdentity === 'object' ? record.userIdentity : undefined;
  const issuerArn = text(identity?.sessionContext?.sessionIssuer?.arn);
  const principal = issuerArn ?? text(identity?.arn);
  const session = sessionNameOf(record);
  const sourceIp = text(record.sourceIPAddress);
  const queries: PivotQuery[] = [];
  const add = (pivot: PivotQuery['pivot'], value: string | undefined, request: Partial<LookupRequest>): void => {
    if (value) queries.push(pivotQuery(pivot, value, request));
  };
  const userName = identity?.type === 'IAMUser' ? text(identity.userName) : undefined;
  const byPrincipal = principal ? pivotQuery('principal', principal, principalRequest(principal, userName)) : undefined;
  if (byPrincipal) queries.push(byPrincipal);
  const key = text(event.AccessKeyId);
  if (key) queries.push(accessKeyQuery(key));
  if (session) {
    add('session', session, {
      // A session's Username is normally its session name (usernameOf); only then does it narrow exactly.
      attributes: usernameOf(record) === session ? [{ AttributeKey: 'Username', AttributeValue: session }] : [],
      filters: [...(issuerArn ? [equals('principalArn', issuerArn)] : []), equals('sessionName', session)],
    });
  }
  const mintedBy = key ? mintedByQuery(key) : undefined;
  if (mintedBy) queries.push(mintedBy);
  // The other way: what the key this call minted (AssumeRole*, GetSessionToken, CreateAccessKey) went on to sign.
  const minted = mintedAccessKeyOf(record);
  add('minted-key', minted, { attributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: minted ?? '' }] });
  if (sourceIp) queries.push(sourceIpQuery(sourceIp));
  for (const { value, filter } of resourcePivots(record, options.maxResources ?? 5)) add('resource', value, { filters: [filter] });
  // An EC2 instance's role signs as a session named after the instance: from a call on an instance (an SSM
  // command, a launch) to what the code on it then did with its role, and from such a call back to the
  // calls on that instance.
  for (const instance of instanceIdsOf(record).slice(0, options.maxResources ?? 5)) {
    add('instance-role', instance, { attributes: [{ AttributeKey: 'Username', AttributeValue: instance }], filters: [equals('sessionName', instance)] });
  }
  if (session && INSTANCE_ID.test(session)) add('instance', session, { attributes: [{ AttributeKey: 'ResourceName', AttributeValue: session }] });
  const time = eventTimeOf(record);
  // One request's events (and the copies of one call delivered to several accounts) lie within seconds of
  // each other; an hour either side keeps the pivot complete and lets the store skip the rest of time.
  const around = (hours: number): Partial<LookupRequest> =>
    time ? { start: new Date(Date.parse(time) - hours * 3_600_000).toISOString(), end: new Date(Date.parse(time) + hours * 3_600_000).toISOString() } : {};
  add('request', text(record.requestID), { filters: [equals('requestID', text(record.requestID) ?? '')], ...around(1) });
  add('request', text(record.sharedEventID), { filters: [equals('sharedEventID', text(record.sharedEventID) ?? '')], ...around(1) });
  if (byPrincipal && time) {
    const half = (options.windowMinutes ?? 15) * 60_000;
    const at = Date.parse(time);
    add('time-window', byPrincipal.value, {
      ...byPrincipal.request,
      start: new Date(at - half).toISOString(),
      end: new Date(at + half).toISOString(),
    });
  }
  return queries;
}

/** An EC2 instance ID: `i-` and 8 or 17 hexadecimal digits. */
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The EC2 instances a record names among its resources (by ID or in an instance ARN), once each. */
function instanceIdsOf(record: CloudTrailRecord): string[] {
  const ids = resourcesOf(record).map((r) => r.ResourceName ?? '').map((name) => (name.startsWith('arn:') ? arnResourceName(name) ?? '' : name));
  return [...new Set(ids.filter((id) => INSTANCE_ID.test(id)))];
}

/**
 * The resource links of a record, in the order of its Resources: an ARN exactly, then by its short name
 * within its type (`arn:aws:iam::1:role/Admin` finds `roleName=Admin` but not a bucket `Admin`); a plain
 * identifier within its type. Without a usable type (typedResourceKey), by name alone.
 */
function resourcePivots(record: CloudTrailRecord, maxResources: number): Array<{ value: string; filter: FieldFilter }> {
  const pivots: Array<{ value: string; filter: FieldFilter }> = [];
  const add = (value: string, filter: FieldFilter): void => {
    if (!pivots.some((p) => p.value === value)) pivots.push({ value, filter });
  };
  // A bare wildcard names no resource: it would link every call that grants or reads `*`.
  for (const resource of resourcesOf(record).filter((r) => r.ResourceName !== '*').slice(0, maxResources)) {
    const name = resource.ResourceName;
    if (!name) continue;
    const short = arnResourceName(name);
    if (short) add(name, equals('resource', name));
    // An ARN of every resource of a kind (`…:log-group:/aws/lambda/x:*`) links by itself only.
    const shown = short ?? name;
    if (shown === '*') continue;
    const typed = typedResourceKey(resource);
    if (typed) add(`${shown} (${typed.slice(0, typed.indexOf(' '))})`, equals('typedResource', typed));
    else add(shown, equals('resource', shown));
  }
  return pivots;
}

/** Insights string literal: the value is attacker-controlled, so quote and escape it. */
const literal = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The ways an IPv6 address is commonly written, in either case: as given; RFC 5952's (the longest run of
 * zero groups as `::`, no leading zeros); every group written out, with and without leading zeros.
 * Undefined for anything else.
 */
export function ipv6Spellings(ip: string): string[] | undefined {
  const value = parseIpv6(ip);
  if (value === undefined) return undefined;
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  const hex = groups.map((g) => g.toString(16));
  let run = { at: -1, length: 0 };
  for (let at = 0; at < 8; ) {
    let end = at;
    while (end < 8 && groups[end] === 0) end++;
    if (end - at > run.length && end - at >= 2) run = { at, length: end - at };
    at = Math.max(end, at + 1);
  }
  const compressed = run.at === -1 ? hex.join(':') : `${hex.slice(0, run.at).join(':')}::${hex.slice(run.at + run.length).join(':')}`;
  const written = [ip, compressed, hex.join(':'), groups.map((g) => g.toString(16).padStart(4, '0')).join(':')];
  return [...new Set([ip, ...written.flatMap((s) => [s.toLowerCase(), s.toUpperCase()])])];
}

/**
 * The flow records whose srcaddr or dstaddr is the event's source IP, when that is an IP address, or whose
 * pkt-srcaddr or pkt-dstaddr is (C.2: behind a NAT gateway, or for an EKS pod or a secondary address, the
 * srcaddr is the interface's own address and only the pkt-* fields carry the one CloudTrail saw).
 */
export function flowsQuery(record: CloudTrailRecord, options: PivotOptions & { limit?: number } = {}): FlowsQuery | undefined {
  const time = eventTimeOf(record);
  const hours = options.flowHours;
  if (hours !== undefined && !time) return undefined;
  // Empty: no bound (InsightsRequest), every flow record of the address.
  const around = (sign: 1 | -1): string => (hours === undefined || !time ? '' : new Date(Date.parse(time) + sign * hours * 3_600_000).toISOString());
  return addressFlowsQuery(text(record.sourceIPAddress), { start: around(-1), end: around(1) }, options.limit);
}

/**
 * A source-ip lead's flows pivot. A lead has no time to centre on: within `flowHours`, the range as wide
 * as an event's that ends at `now` (a fresh finding's traffic is recent); without, every flow record.
 */
export function leadFlowsQuery(lead: Lead, options: PivotOptions & { limit?: number; now?: Date } = {}): FlowsQuery | undefined {
  if (lead.kind !== 'source-ip') return undefined;
  const hours = options.flowHours;
  const end = (options.now ?? new Date()).getTime();
  const range = hours === undefined ? { start: '', end: '' } : { start: new Date(end - 2 * hours * 3_600_000).toISOString(), end: new Date(end).toISOString() };
  return addressFlowsQuery(lead.value, range, options.limit);
}

/** The flows pivot of an address within a range (empty bounds: none); CloudTrail also records service names there. */
function addressFlowsQuery(ip: string | undefined, range: { start: string; end: string }, limit = 50): FlowsQuery | undefined {
  if (!ip || !isIpAddress(ip)) return undefined;
  // An IPv6 address has several spellings, and CloudTrail and a flow log need not agree: each common one
  // is a whole-value match (a subnet test would parse every flow record's address, 100 times slower).
  const spellings = ipv6Spellings(ip);
  const matches = (field: string): string => (spellings ? `${field} in [${spellings.map(literal).join(', ')}]` : `${field} = ${literal(ip)}`);
  return {
    pivot: 'flows',
    value: ip,
    query: [
      'fields @timestamp, srcAddr, dstAddr, pktSrcAddr, pktDstAddr, srcPort, dstPort, protocol, packets, bytes, action, interfaceId',
      `filter ${['srcAddr', 'dstAddr', 'pktSrcAddr', 'pktDstAddr'].map(matches).join(' or ')}`,
      'sort @timestamp desc',
      `limit ${limit}`,
    ].join('\n| '),
    ...range,
  };
}
