/**
 * The conformance suite: Logs Insights queries over the hand-written fixture logs
 * (test/fixtures/insights/), each with the result worked out by hand from aws-api-reference part B.
 * Rows list their fields in result order; `@ptr` is left out of the comparison (a separate test checks it).
 *
 * Fixture facts used below (flows: vpc-flow-logs, rows f0…f10; @timestamp = start):
 *   f0 22:13:20 eni-aaaa1111 10.0.0.5 → 203.0.113.9 49152→443 tcp 10 pk 5000 B ACCEPT
 *   f1 22:14:20 eni-aaaa1111 203.0.113.9 → 10.0.0.5 443→49152 tcp 8 pk 12000 B ACCEPT
 *   f2 22:15:00 eni-aaaa1111 198.51.100.7 → 10.0.0.5 51000→22 tcp 1 pk 60 B REJECT
 *   f3 22:16:40 eni-aaaa1111 198.51.100.7 → 10.0.0.5 51001→3389 tcp 1 pk 60 B REJECT
 *   f4 22:18:20 eni-bbbb2222 198.51.100.7 → 10.0.0.6 51002→22 tcp 2 pk 120 B REJECT
 *   f5 22:20:00 eni-bbbb2222 10.0.0.6 → 192.0.2.10 5353→53 udp 3 pk 300 B ACCEPT
 *   f6 22:21:40 eni-bbbb2222 10.0.0.5 → 203.0.113.9 49153→443 tcp 20 pk 9000 B ACCEPT
 *   f7 22:23:20 eni-cccc3333 NODATA (no addresses, ports, counts or action)
 *   f8 22:25:00 eni-cccc3333 2001:db8::1 → 2001:db8::2 1000→80 tcp 5 pk 700 B ACCEPT
 *   f9 22:26:40 eni-cccc3333 192.0.2.10 → 10.0.0.6 53→5353 udp 3 pk 450 B ACCEPT
 *   f10 22:28:20 eni-cccc3333 SKIPDATA
 * Lambda (/aws/lambda/orders): START r1 22:01:00, a plain line 22:01:00.5, a JSON line 22:01:01, END r1
 *   and REPORT r1 22:01:02 (102.25 ms, billed 103, 128 MB, max 70 MB, init 150.13), REPORT r2 22:03:00
 *   (50.5 ms, 51, max 80 MB), REPORT r3 22:07:30 (200 ms, 200, max 90 MB), an exception line 22:08:00.
 * CloudTrail (cloudtrail, account 123456789012), one a minute from 22:00: ConsoleLogin (alice), GetCallerIdentity,
 *   ListBuckets, GetObject (web role), AssumeRole, StopLogging (AccessDenied), RunInstances (us-east-2),
 *   CreateUser (bob). All on 2023-11-14 UTC.
 * JSON events (json-events): n -10, -5, 3; f 1.5, 1.25, 2; s b9, b10, a1; m "10", "x", "9"; the first has the
 *   keys @version and meta.@id, the second @message. Lambda app lines (/aws/lambda/checkout): JSON after the
 *   level ({level, orderId}), two objects on one line ({attempt 2, note "a}b"} then {attempt 3, extra}),
 *   braces that are not JSON, and a plain line. Both on 2023-11-13.
 */
export type Group = 'flows' | 'lambda' | 'cloudtrail' | 'sortExample' | 'chunkPrefixes' | 'jsonEvents' | 'lambdaEmbedded';

export interface Case {
  query: string;
  /** Log groups queried; default: flows, lambda and cloudtrail. */
  groups?: Group[];
  start?: string;
  end?: string;
  limit?: number;
  rows?: Array<Record<string, string>>;
  /** Expected statistics, where the case is about them. */
  statistics?: { recordsMatched?: number; recordsScanned?: number };
  error?: { line: number; column: number; contains: string; kind?: 'syntax' | 'semantic' | 'unsupported-offline' };
}

const F: Group[] = ['flows'];
const L: Group[] = ['lambda'];
const C: Group[] = ['cloudtrail'];
const J: Group[] = ['jsonEvents'];
const E: Group[] = ['lambdaEmbedded'];
const count = (n: number, name = 'count(*)') => [{ [name]: String(n) }];
const ts = (hms: string) => `2023-11-14 ${hms}`;
/** One computed value over the CreateUser event. */
const onCreateUser = (expr: string, value: string | undefined): Case => ({
  query: `filter eventName = "CreateUser" | fields ${expr} as v`,
  groups: C,
  rows: [value === undefined ? {} : { v: value }],
});
const SORT_EXAMPLE = ['!:', '#', '*%04', '0#', '5A', '111A', '2345_', '@', '@_', 'A', 'A9876fghj', 'a12345hfh', '0', '01', '1', '2', '3'];
const MINUTE_BINS = ['22:13', '22:14', '22:15', '22:16', '22:18', '22:20', '22:21', '22:23', '22:25', '22:26', '22:28'];

export const CASES: Case[] = [
  // fields, display and the default projection
  { query: 'filter interfaceId = "eni-cccc3333" | fields @timestamp, logStatus', groups: F, rows: [
    { '@timestamp': ts('22:28:20.000'), logStatus: 'SKIPDATA' }, { '@timestamp': ts('22:26:40.000'), logStatus: 'OK' },
    { '@timestamp': ts('22:25:00.000'), logStatus: 'OK' }, { '@timestamp': ts('22:23:20.000'), logStatus: 'NODATA' }] },
  { query: 'filter @requestId = "r2"', groups: L, rows: [
    { '@timestamp': ts('22:03:00.000'), '@message': 'REPORT RequestId: r2\tDuration: 50.5 ms\tBilled Duration: 51 ms\tMemory Size: 128 MB\tMax Memory Used: 80 MB' }] },
  { query: 'filter @message like "processing"', groups: L, rows: [
    { '@timestamp': ts('22:01:00.500'), '@message': 'processing order 42 for user=alice ip=198.51.100.7' }] },
  { query: 'fields srcAddr, dstPort | display dstPort | filter action = "REJECT"', groups: F, rows: [{ dstPort: '22' }, { dstPort: '3389' }, { dstPort: '22' }] },
  { query: 'fields srcAddr | fields dstAddr | filter srcAddr = "192.0.2.10"', groups: F, rows: [{ srcAddr: '192.0.2.10', dstAddr: '10.0.0.6' }] },
  { query: 'display srcAddr | display dstAddr | filter srcAddr = "192.0.2.10"', groups: F, rows: [{ dstAddr: '10.0.0.6' }] },
  { query: 'fields bytes * 8 as bits, packets | filter bytes > 9000', groups: F, rows: [{ bits: '96000', packets: '8' }] },
  { query: 'fields bytes / packets as perPacket | filter srcAddr = "10.0.0.5" | sort perPacket', groups: F, rows: [{ perPacket: '450' }, { perPacket: '500' }] },
  { query: 'fields abs(srcPort - dstPort) as d | filter protocol = 17', groups: F, rows: [{ d: '5300' }, { d: '5300' }] },
  { query: 'filter eventName="CreateUser" | fields awsRegion, requestParameters.userName, responseElements.user.arn', groups: C, rows: [
    { awsRegion: 'us-east-1', 'requestParameters.userName': 'mallory', 'responseElements.user.arn': 'arn:aws:iam::123456789012:user/mallory' }] },
  { query: 'fields @timestamp | limit 2', groups: F, rows: [{ '@timestamp': ts('22:28:20.000') }, { '@timestamp': ts('22:26:40.000') }] },
  { query: 'fields @log | filter @requestId = "r3"', rows: [{ '@log': '/aws/lambda/orders' }] },
  { query: 'fields @log, @logStream | filter eventName = "ListBuckets"', groups: C, rows: [{ '@log': '123456789012:cloudtrail', '@logStream': '123456789012_CloudTrail_us-east-1' }] },
  { query: 'fields @log, @logStream | filter srcPort = 1000', groups: F, rows: [{ '@log': '123456789012:vpc-flow-logs', '@logStream': 'eni-cccc3333' }] },
  { query: 'fields @ingestionTime | filter @requestId = "r2" and @type = "REPORT"', groups: L, rows: [{ '@ingestionTime': ts('22:03:02.000') }] },
  { query: 'fields unknownField, srcAddr | filter dstPort = 80', groups: F, rows: [{ srcAddr: '2001:db8::1' }] },
  { query: 'fields `srcAddr` | filter `dstPort` = 80', groups: F, rows: [{ srcAddr: '2001:db8::1' }] },
  { query: 'fields level, detail.code, orderId + 1 as next | filter ispresent(level)', groups: L, rows: [{ level: 'ERROR', 'detail.code': 'E1', next: '43' }] },
  { query: 'fields detail | filter ispresent(level)', groups: L, rows: [{}] },
  // only the first JSON object of a Lambda line is discovered (B.7)
  { query: 'fields level, orderId | filter ispresent(level)', groups: E, rows: [{ level: 'error', orderId: '42' }] },
  { query: 'filter ispresent(attempt) | fields attempt, note, extra', groups: E, rows: [{ attempt: '2', note: 'a}b' }] },
  { query: 'stats count(attempt) as withAttempt, count(*) as lines', groups: E, rows: [{ withAttempt: '1', lines: '4' }] },
  // a JSON key that starts with '@' is the field with one more '@'; @message stays the line
  { query: 'fields @version, @@version, @@message, meta.@id | filter ispresent(@@version) or ispresent(@@message)', groups: J, rows: [
    { '@@message': 'inner' }, { '@@version': '1', 'meta.@id': 'm1' }] },
  { query: 'filter @@message = "inner" | fields @message', groups: J, rows: [{ '@message': '{"n":-5,"f":1.25,"s":"b10","m":"x","@message":"inner"}' }] },
  // a key holding a dot (Kubernetes, OpenTelemetry) is reached in backticks; a nested one still is too
  { query: 'filter ispresent(`k8s.pod`) | fields `k8s.pod` as pod, `k8s.node` as node, labels.`app.kubernetes.io/name` as app', groups: J, rows: [
    { pod: 'web-1', node: 'n-7', app: 'api' }] },
  // whichever spelling comes first, a name means every spelling the query gives it
  { query: 'filter ispresent(k8s.pod) | fields `k8s.pod` as p', groups: J, rows: [{ p: 'web-1' }] },
  // a later spelling of a name that by then means a stats column or an alias changes nothing before it
  { query: 'stats count(*) as n by k8s.pod | display `k8s.pod`, n', groups: J, rows: [{ n: '3' }] },
  { query: 'fields `a..b` as x, `.n` as y, `n.` as z | filter n = 3', groups: J, rows: [{}] },
  { query: 'filter eventName = "GetObject" | fields resources.0.ARN, resources.1.type, requestParameters.bucketName', groups: C, rows: [
    { 'resources.0.ARN': 'arn:aws:s3:::secret-bucket/data.csv', 'resources.1.type': 'AWS::S3::Bucket', 'requestParameters.bucketName': 'secret-bucket' }] },
  { query: 'filter ispresent(responseElements.credentials.accessKeyId) | fields eventName, responseElements.credentials.accessKeyId as minted', groups: C, rows: [
    { eventName: 'AssumeRole', minted: 'ASIANEW123' }] },
  { query: 'filter eventName = "RunInstances" | fields requestParameters.instancesSet.items.0.instanceType, userIdentity.userName', groups: C, rows: [
    { 'requestParameters.instancesSet.items.0.instanceType': 'p3.16xlarge', 'userIdentity.userName': 'bob' }] },
  { query: 'filter userIdentity.sessionContext.sessionIssuer.userName = "web" | stats count(*)', groups: C, rows: count(3) },
  // a flattened name in backticks is the same path, in any command and whichever spelling comes first
  { query: 'filter userIdentity.userName = "bob" | stats count(*)', groups: C, rows: count(4) },
  { query: 'fields `userIdentity.userName` | filter userIdentity.userName = "bob" | stats count(*)', groups: C, rows: count(4) },
  { query: 'filter `userIdentity.userName` = "bob" and eventName = "RunInstances" | fields userIdentity.userName, `requestParameters.instancesSet.items.0.instanceType` as t', groups: C, rows: [
    { 'userIdentity.userName': 'bob', t: 'p3.16xlarge' }] },

  // filter and comparisons (a comparison with a missing field is false)
  { query: 'filter action = "REJECT" | stats count(*)', groups: F, rows: count(3) },
  { query: 'filter action != "REJECT" | stats count(*)', groups: F, rows: count(6) },
  { query: 'filter bytes >= 5000 | stats count(*)', groups: F, rows: count(3) },
  { query: 'filter bytes < 300 | stats count(*)', groups: F, rows: count(3) },
  { query: 'filter bytes <= 300 | stats count(*)', groups: F, rows: count(4) },
  { query: 'filter dstPort = "22" | stats count(*)', groups: F, rows: count(2) },
  { query: 'filter requestParameters.durationSeconds > 1800 | fields eventName', groups: C, rows: [{ eventName: 'AssumeRole' }] },
  { query: 'filter requestParameters.durationSeconds = 3600 | fields eventName', groups: C, rows: [{ eventName: 'AssumeRole' }] },
  { query: 'filter readOnly = "false" | stats count(*)', groups: C, rows: count(4) },
  { query: 'filter errorCode != "AccessDenied" | stats count(*)', groups: C, rows: count(0) },
  { query: 'filter not ispresent(errorCode) | stats count(*)', groups: C, rows: count(7) },
  { query: 'filter action = "REJECT" and dstPort = 22 | stats count(*)', groups: F, rows: count(2) },
  { query: 'filter dstPort = 22 or dstPort = 3389 | stats count(*)', groups: F, rows: count(3) },
  // `not` of a comparison with a missing field is true: the two NODATA records (no action) are kept.
  { query: 'filter not (action = "ACCEPT") | stats count(*)', groups: F, rows: count(5) },
  { query: 'filter not (errorCode = "AccessDenied") | stats count(*)', groups: C, rows: count(7) },
  { query: 'filter not (errorCode like "Denied" or errorCode in ["Throttling"]) | stats count(*)', groups: C, rows: count(7) },
  { query: 'filter (srcPort = 51000 or srcPort = 51001) and dstPort = 3389 | fields srcPort', groups: F, rows: [{ srcPort: '51001' }] },
  { query: 'filter srcPort = 51000 or srcPort = 51001 and dstPort = 3389 | stats count(*)', groups: F, rows: count(2) },
  { query: 'filter bytes + packets = 5010 | fields interfaceId', groups: F, rows: [{ interfaceId: 'eni-aaaa1111' }] },
  { query: 'filter bytes % 7 = 0 | stats count(*)', groups: F, rows: count(1) },
  { query: 'filter 2 ^ 3 = packets | fields srcAddr', groups: F, rows: [{ srcAddr: '203.0.113.9' }] },
  { query: 'filter -packets < -10 | fields packets', groups: F, rows: [{ packets: '20' }] },
  { query: 'where action = "REJECT" | stats count(*)', groups: F, rows: count(3) },
  { query: '# rejected traffic\nfilter action = "REJECT" # only rejects\n| stats count(*)', groups: F, rows: count(3) },
  { query: 'FILTER action = "REJECT" | STATS count(*) AS n BY srcAddr', groups: F, rows: [{ srcAddr: '198.51.100.7', n: '3' }] },
  { query: 'filter isempty(errorCode) | stats count(*)', groups: C, rows: count(7) },
  { query: 'filter strcontains(eventName, "User") | fields eventName', groups: C, rows: [{ eventName: 'CreateUser' }] },

  // like, =~ and regular expressions
  { query: 'filter srcAddr like "198.51" | stats count(*)', groups: F, rows: count(3) },
  { query: "filter srcAddr like '10.0.0.' | stats count(*)", groups: F, rows: count(3) },
  { query: 'filter srcAddr not like "10.0.0." | stats count(*)', groups: F, rows: count(6) },
  { query: 'filter @message like /Exception/ | fields @message', groups: L, rows: [{ '@message': 'Exception in thread main java.lang.NullPointerException' }] },
  { query: 'fields @message | filter @message not like /Exception/ | filter @type = "REPORT" | stats count(*)', groups: L, rows: count(3) },
  { query: 'filter @message like /(?i)exception/ | stats count(*)', groups: L, rows: count(1) },
  { query: 'filter @message like "exception" | stats count(*)', groups: L, rows: count(0) },
  { query: 'filter @message =~ /^REPORT.*Init Duration/ | fields @requestId', groups: L, rows: [{ '@requestId': 'r1' }] },
  { query: 'filter userAgent like /^aws-cli\\/2/ | stats count(*)', groups: C, rows: count(8) },
  { query: 'filter action like /^(ACCEPT|REJECT)$/ | stats count(*)', groups: F, rows: count(9) },
  { query: 'filter eventName like /^(Get|List)/ | fields eventName | sort eventName', groups: C, rows: [
    { eventName: 'GetCallerIdentity' }, { eventName: 'GetObject' }, { eventName: 'ListBuckets' }] },
  { query: 'filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h) | sort exceptionCount desc', groups: L, rows: [
    { 'bin(1h)': ts('22:00:00.000'), exceptionCount: '1' }] },

  // in / not in: whole-value matches
  { query: 'filter tlsDetails.tlsVersion in [ "TLSv1", "TLSv1.1" ] | stats count(*) as numOutdatedTlsCalls by eventSource | sort numOutdatedTlsCalls desc', groups: C, rows: [
    { eventSource: 'cloudtrail.amazonaws.com', numOutdatedTlsCalls: '1' }, { eventSource: 'sts.amazonaws.com', numOutdatedTlsCalls: '1' }] },
  { query: 'filter dstPort in [22, 3389] | stats count(*)', groups: F, rows: count(3) },
  { query: 'filter dstPort not in [22, 3389, 443] | stats count(*)', groups: F, rows: count(4) },
  { query: 'filter action in ["accept"] | stats count(*)', groups: F, rows: count(0) },
  { query: 'filter srcAddr in ["10.0.0"] | stats count(*)', groups: F, rows: count(0) },
  { query: 'filter (eventName="StartInstances" or eventName="StopInstances") and awsRegion="us-east-2"', groups: C, rows: [] },
  { query: 'filter protocol in [17] | fields srcPort', groups: F, rows: [{ srcPort: '53' }, { srcPort: '5353' }] },
  { query: 'filter eventName in ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"] | fields eventName, requestParameters.name, errorCode', groups: C, rows: [
    { eventName: 'StopLogging', 'requestParameters.name': 'management-trail', errorCode: 'AccessDenied' }] },

  // stats
  { query: 'stats count(*)', groups: F, rows: count(11) },
  { query: 'stats count(srcAddr)', groups: F, rows: count(9, 'count(srcAddr)') },
  { query: 'stats count()', groups: F, rows: count(11, 'count()') },
  { query: 'stats count_distinct(srcAddr)', groups: F, rows: count(6, 'count_distinct(srcAddr)') },
  { query: 'stats sum(bytes), round(avg(bytes), 2) as mean, min(bytes), max(bytes)', groups: F, rows: [
    { 'sum(bytes)': '27690', mean: '3076.67', 'min(bytes)': '60', 'max(bytes)': '12000' }] },
  { query: 'stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 3', groups: F, rows: [
    { srcAddr: '10.0.0.5', dstAddr: '203.0.113.9', packetsTransferred: '30' },
    { srcAddr: '203.0.113.9', dstAddr: '10.0.0.5', packetsTransferred: '8' },
    { srcAddr: '2001:db8::1', dstAddr: '2001:db8::2', packetsTransferred: '5' }] },
  { query: 'stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10', groups: F, rows: [
    { srcAddr: '10.0.0.5', dstAddr: '203.0.113.9', bytesTransferred: '14000' },
    { srcAddr: '203.0.113.9', dstAddr: '10.0.0.5', bytesTransferred: '12000' },
    { srcAddr: '2001:db8::1', dstAddr: '2001:db8::2', bytesTransferred: '700' },
    { srcAddr: '192.0.2.10', dstAddr: '10.0.0.6', bytesTransferred: '450' },
    { srcAddr: '10.0.0.6', dstAddr: '192.0.2.10', bytesTransferred: '300' },
    { srcAddr: '198.51.100.7', dstAddr: '10.0.0.5', bytesTransferred: '120' },
    { srcAddr: '198.51.100.7', dstAddr: '10.0.0.6', bytesTransferred: '120' },
    {}] },
  { query: 'filter action="REJECT" | stats count(*) as numRejections by srcAddr | sort numRejections desc | limit 20', groups: F, rows: [{ srcAddr: '198.51.100.7', numRejections: '3' }] },
  { query: 'filter protocol=17 | stats count(*) by srcAddr', groups: F, rows: [{ srcAddr: '10.0.0.6', 'count(*)': '1' }, { srcAddr: '192.0.2.10', 'count(*)': '1' }] },
  // An unaliased aggregation is sorted on by its text, as its column is named.
  { query: 'stats count(*) by srcAddr | sort count(*) desc, srcAddr | limit 2', groups: F, rows: [{ srcAddr: '198.51.100.7', 'count(*)': '3' }, { srcAddr: '10.0.0.5', 'count(*)': '2' }] },
  { query: 'stats avg(bytes), min(bytes), max(bytes) by srcAddr, dstAddr | filter srcAddr = "198.51.100.7"', groups: F, rows: [
    { srcAddr: '198.51.100.7', dstAddr: '10.0.0.5', 'avg(bytes)': '60', 'min(bytes)': '60', 'max(bytes)': '60' },
    { srcAddr: '198.51.100.7', dstAddr: '10.0.0.6', 'avg(bytes)': '120', 'min(bytes)': '120', 'max(bytes)': '120' }] },
  { query: 'filter logStatus="SKIPDATA" | stats count(*) by bin(1h) as t | sort t', groups: F, rows: [{ t: ts('22:00:00.000'), 'count(*)': '1' }] },
  { query: 'filter isIpv4InSubnet(srcAddr, "192.0.2.0/24") | stats sum(bytes) as bytesTransferred by dstAddr | sort bytesTransferred desc | limit 15', groups: F, rows: [
    { dstAddr: '10.0.0.6', bytesTransferred: '450' }] },
  { query: 'filter @type = "REPORT" | stats avg(@duration), max(@duration), min(@duration) by bin(5m)', groups: L, rows: [
    { 'bin(5m)': ts('22:00:00.000'), 'avg(@duration)': '76.375', 'max(@duration)': '102.25', 'min(@duration)': '50.5' },
    { 'bin(5m)': ts('22:05:00.000'), 'avg(@duration)': '200', 'max(@duration)': '200', 'min(@duration)': '200' }] },
  { query: 'filter @type = "REPORT" | stats max(@memorySize / 1000 / 1000) as provisionedMemoryMB, min(@maxMemoryUsed / 1000 / 1000) as smallestMemoryRequestMB, avg(@maxMemoryUsed / 1000 / 1000) as avgMemoryUsedMB, max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB, provisionedMemoryMB - maxMemoryUsedMB as overProvisionedMB', groups: L, rows: [
    { provisionedMemoryMB: '128', smallestMemoryRequestMB: '70', avgMemoryUsedMB: '80', maxMemoryUsedMB: '90', overProvisionedMB: '38' }] },
  { query: 'filter @type = "REPORT" | fields @requestId, @billedDuration | sort by @billedDuration desc', groups: L, rows: [
    { '@requestId': 'r3', '@billedDuration': '200' }, { '@requestId': 'r1', '@billedDuration': '103' }, { '@requestId': 'r2', '@billedDuration': '51' }] },
  { query: 'filter @type = "REPORT" | stats sum(coalesce(@initDuration, 0)) as init, count(@initDuration) as coldStarts', groups: L, rows: [{ init: '150.13', coldStarts: '1' }] },
  { query: 'stats count(*) as n by action | sort n desc', groups: F, rows: [{ action: 'ACCEPT', n: '6' }, { action: 'REJECT', n: '3' }, { n: '2' }] },
  { query: 'stats pct(bytes, 50) as p50, pct(bytes, 90) as p90, pct(bytes, 100) as p100', groups: F, rows: [{ p50: '450', p90: '12000', p100: '12000' }] },
  { query: 'filter @type = "REPORT" | stats pct(@duration, 50)', groups: L, rows: [{ 'pct(@duration, 50)': '102.25' }] },
  { query: 'stats round(stddev(packets), 3) as s', groups: F, rows: [{ s: '6.133' }] },
  { query: 'stats earliest(srcAddr), latest(srcAddr)', groups: F, rows: [{ 'earliest(srcAddr)': '10.0.0.5', 'latest(srcAddr)': '192.0.2.10' }] },
  { query: 'stats earliest(eventName) as first, latest(eventName) as last by userIdentity.type', groups: C, rows: [
    { 'userIdentity.type': 'AssumedRole', first: 'GetCallerIdentity', last: 'GetObject' },
    { 'userIdentity.type': 'IAMUser', first: 'ConsoleLogin', last: 'CreateUser' }] },
  { query: 'stats sortsFirst(srcAddr), sortsLast(srcAddr)', groups: F, rows: [{ 'sortsFirst(srcAddr)': '10.0.0.5', 'sortsLast(srcAddr)': '2001:db8::1' }] },
  { query: 'stats min(srcAddr) as lo, max(srcAddr) as hi', groups: F, rows: [{ lo: '10.0.0.5', hi: '2001:db8::1' }] },
  // JSON numbers are text in the record: min and max still compare them as numbers, text as text
  { query: 'stats min(n) as lo, max(n) as hi, min(f) as flo, max(f) as fhi', groups: J, rows: [{ lo: '-10', hi: '3', flo: '1.25', fhi: '2' }] },
  { query: 'stats min(s) as lo, max(s) as hi, min(m) as mlo, max(m) as mhi', groups: J, rows: [{ lo: 'a1', hi: 'b10', mlo: 'x', mhi: '10' }] },
  { query: 'stats sortsFirst(n) as first, sortsLast(n) as last', groups: J, rows: [{ first: '-5', last: '3' }] },
  { query: 'stats sum(bytes) as total | fields total / 1000 as kb', groups: F, rows: [{ total: '27690', kb: '27.69' }] },
  { query: 'stats sum(bytes) / count(bytes) as perFlow', groups: F, rows: [{ perFlow: '3076.6666666666665' }] },
  { query: 'stats count(*) as c by srcAddr | stats count(*) as sources', groups: F, rows: [{ sources: '7' }] },
  { query: 'filter action = "REJECT" | stats count(*) as attempts by srcAddr, dstPort | stats sum(attempts) as total, count(*) as ports by srcAddr', groups: F, rows: [
    { srcAddr: '198.51.100.7', total: '3', ports: '2' }] },
  { query: 'stats count_distinct(dstPort) as ports by srcAddr, bin(1h) | filter ports >= 2 | sort ports desc', groups: F, rows: [
    { srcAddr: '198.51.100.7', 'bin(1h)': ts('22:00:00.000'), ports: '2' }] },
  { query: 'stats count(*) by dstPort < 1024 as wellKnown', groups: F, rows: [{ wellKnown: 'false', 'count(*)': '3' }, { wellKnown: 'true', 'count(*)': '6' }, { 'count(*)': '2' }] },
  { query: 'stats count(*) by eventSource, eventName, awsRegion | filter eventSource = "sts.amazonaws.com"', groups: C, rows: [
    { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', awsRegion: 'us-east-1', 'count(*)': '1' },
    { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', awsRegion: 'us-east-1', 'count(*)': '1' }] },
  { query: 'filter eventSource="ec2.amazonaws.com" | stats count(*) as eventCount by eventName, awsRegion | sort eventCount desc', groups: C, rows: [
    { eventName: 'RunInstances', awsRegion: 'us-east-2', eventCount: '1' }] },
  { query: 'filter eventName="UpdateTrail" and ispresent(errorCode) | stats count(*) by errorCode, errorMessage', groups: C, rows: [] },
  { query: 'filter eventName="StopLogging" and ispresent(errorCode) | stats count(*) by errorCode', groups: C, rows: [{ errorCode: 'AccessDenied', 'count(*)': '1' }] },
  { query: 'filter eventName = "ConsoleLogin" and responseElements.ConsoleLogin = "Success" and additionalEventData.MFAUsed = "No" | fields userIdentity.userName, sourceIPAddress', groups: C, rows: [
    { 'userIdentity.userName': 'alice', sourceIPAddress: '198.51.100.7' }] },
  { query: 'stats sum( bytes )', groups: F, rows: [{ 'sum( bytes )': '27690' }] },
  { query: 'stats count(*), avg(@duration) by bin(5m) | filter `count(*)` > 4', groups: L, rows: [
    { 'bin(5m)': ts('22:00:00.000'), 'count(*)': '6', 'avg(@duration)': '76.375' }] },

  // bin(): buckets that hold events only, periods and their caps
  { query: 'stats count(*) by bin(5m)', groups: F, rows: [
    { 'bin(5m)': ts('22:10:00.000'), 'count(*)': '2' }, { 'bin(5m)': ts('22:15:00.000'), 'count(*)': '3' },
    { 'bin(5m)': ts('22:20:00.000'), 'count(*)': '3' }, { 'bin(5m)': ts('22:25:00.000'), 'count(*)': '3' }] },
  { query: 'stats count(*) by bin(1m)', groups: F, rows: MINUTE_BINS.map((m) => ({ 'bin(1m)': ts(`${m}:00.000`), 'count(*)': '1' })) },
  { query: 'stats count(*) by bin(300s)', groups: F, rows: MINUTE_BINS.map((m) => ({ 'bin(300s)': ts(`${m}:00.000`), 'count(*)': '1' })) },
  { query: 'stats count(*) by bin(1d)', rows: [{ 'bin(1d)': '2023-11-14 00:00:00.000', 'count(*)': '27' }] },
  { query: 'stats count(*) by bin(2h)', groups: F, rows: [{ 'bin(2h)': ts('22:00:00.000'), 'count(*)': '11' }] },
  { query: 'stats count(*) by bin(48h)', groups: F, rows: [{ 'bin(48h)': '2023-11-14 00:00:00.000', 'count(*)': '11' }] },
  { query: 'stats count(*) by bin(1w)', groups: F, rows: [{ 'bin(1w)': '2023-11-13 00:00:00.000', 'count(*)': '11' }] },
  { query: 'stats count(*) by bin(1mo)', groups: F, rows: [{ 'bin(1mo)': '2023-11-01 00:00:00.000', 'count(*)': '11' }] },
  { query: 'stats count(*) by bin(1q)', groups: F, rows: [{ 'bin(1q)': '2023-10-01 00:00:00.000', 'count(*)': '11' }] },
  { query: 'stats count(*) by bin(1y)', groups: F, rows: [{ 'bin(1y)': '2023-01-01 00:00:00.000', 'count(*)': '11' }] },
  { query: 'stats count(*) by bin(2minutes)', groups: F, rows: [
    { 'bin(2minutes)': ts('22:12:00.000'), 'count(*)': '1' }, { 'bin(2minutes)': ts('22:14:00.000'), 'count(*)': '2' },
    { 'bin(2minutes)': ts('22:16:00.000'), 'count(*)': '1' }, { 'bin(2minutes)': ts('22:18:00.000'), 'count(*)': '1' },
    { 'bin(2minutes)': ts('22:20:00.000'), 'count(*)': '2' },
    { 'bin(2minutes)': ts('22:22:00.000'), 'count(*)': '1' }, { 'bin(2minutes)': ts('22:24:00.000'), 'count(*)': '1' },
    { 'bin(2minutes)': ts('22:26:00.000'), 'count(*)': '1' }, { 'bin(2minutes)': ts('22:28:00.000'), 'count(*)': '1' }] },
  { query: 'stats count(*) by bin(30s)', groups: L, rows: [
    { 'bin(30s)': ts('22:01:00.000'), 'count(*)': '5' }, { 'bin(30s)': ts('22:03:00.000'), 'count(*)': '1' },
    { 'bin(30s)': ts('22:07:30.000'), 'count(*)': '1' }, { 'bin(30s)': ts('22:08:00.000'), 'count(*)': '1' }] },
  { query: 'filter @timestamp < fromMillis(1700000000000) | stats count(*) by bin(500ms)', groups: L, rows: [
    { 'bin(500ms)': ts('22:01:00.000'), 'count(*)': '1' }, { 'bin(500ms)': ts('22:01:00.500'), 'count(*)': '1' },
    { 'bin(500ms)': ts('22:01:01.000'), 'count(*)': '1' }, { 'bin(500ms)': ts('22:01:02.000'), 'count(*)': '2' },
    { 'bin(500ms)': ts('22:03:00.000'), 'count(*)': '1' }, { 'bin(500ms)': ts('22:07:30.000'), 'count(*)': '1' },
    { 'bin(500ms)': ts('22:08:00.000'), 'count(*)': '1' }] },
  { query: 'filter toMillis(@timestamp) < 1699999300000 | stats count(*) by bin(2000ms)', groups: L, rows: [
    { 'bin(2000ms)': ts('22:01:00.000'), 'count(*)': '2' }, { 'bin(2000ms)': ts('22:01:01.000'), 'count(*)': '1' },
    { 'bin(2000ms)': ts('22:01:02.000'), 'count(*)': '2' }] },

  // sort: natural order, several keys, directions
  { query: 'fields v | sort v asc', groups: ['sortExample'], rows: SORT_EXAMPLE.map((v) => ({ v })) },
  { query: 'fields v | sort v desc', groups: ['sortExample'], rows: [...SORT_EXAMPLE].reverse().map((v) => ({ v })) },
  // Chunk by chunk, a text chunk that is a prefix of another comes first: `A` of `A!`, so A1 < A!.
  { query: 'fields v | sort v asc', groups: ['chunkPrefixes'], rows: ['A1', 'A!', 'web01', 'web-01', 'x', 'x1', 'x-'].map((v) => ({ v })) },
  { query: 'stats sortsFirst(v) as first, sortsLast(v) as last', groups: ['chunkPrefixes'], rows: [{ first: 'A1', last: 'x-' }] },
  { query: 'stats count(*) by srcAddr | filter ispresent(srcAddr) | sort srcAddr desc | display srcAddr', groups: F, rows: [
    { srcAddr: '2001:db8::1' }, { srcAddr: '203.0.113.9' }, { srcAddr: '198.51.100.7' }, { srcAddr: '192.0.2.10' }, { srcAddr: '10.0.0.6' }, { srcAddr: '10.0.0.5' }] },
  { query: 'fields bytes | sort bytes desc | limit 3', groups: F, rows: [{ bytes: '12000' }, { bytes: '9000' }, { bytes: '5000' }] },
  { query: 'fields bytes | sort bytes asc | limit 3', groups: F, rows: [{ bytes: '60' }, { bytes: '60' }, { bytes: '120' }] },
  { query: 'fields bytes | filter ispresent(bytes) | sort bytes | limit 1', groups: F, rows: [{ bytes: '60' }] },
  { query: 'filter ispresent(srcAddr) | fields srcAddr, bytes | sort srcAddr asc, bytes desc | limit 4', groups: F, rows: [
    { srcAddr: '10.0.0.5', bytes: '9000' }, { srcAddr: '10.0.0.5', bytes: '5000' }, { srcAddr: '10.0.0.6', bytes: '300' }, { srcAddr: '192.0.2.10', bytes: '450' }] },
  { query: 'fields eventName | sort eventName | limit 3', groups: C, rows: [{ eventName: 'AssumeRole' }, { eventName: 'ConsoleLogin' }, { eventName: 'CreateUser' }] },
  { query: 'stats count(*) by @requestId | filter ispresent(@requestId) | sort @requestId desc', groups: L, rows: [
    { '@requestId': 'r3', 'count(*)': '1' }, { '@requestId': 'r2', 'count(*)': '1' }, { '@requestId': 'r1', 'count(*)': '3' }] },
  { query: 'parse "Duration: * ms" as d | filter @type = "REPORT" | sort d | fields d', groups: L, rows: [{ d: '50.5' }, { d: '102.25' }, { d: '200' }] },
  { query: 'fields @timestamp | sort @timestamp desc | limit 2', groups: C, rows: [{ '@timestamp': ts('22:08:00.000') }, { '@timestamp': ts('22:07:00.000') }] },

  // limit
  { query: 'filter ispresent(srcPort) | fields srcPort | limit 2', groups: F, rows: [{ srcPort: '53' }, { srcPort: '1000' }] },
  { query: 'fields interfaceId', groups: F, limit: 3, rows: [{ interfaceId: 'eni-cccc3333' }, { interfaceId: 'eni-cccc3333' }, { interfaceId: 'eni-cccc3333' }] },
  { query: 'sort bytes desc | limit 3 | filter bytes < 10000 | fields bytes', groups: F, rows: [{ bytes: '9000' }, { bytes: '5000' }] },
  { query: 'fields srcAddr | limit any 1 | stats count(*)', groups: F, rows: count(1) },

  // parse
  { query: 'parse @message "user=* ip=*" as user, ip | filter ispresent(user) | fields user, ip', groups: L, rows: [{ user: 'alice', ip: '198.51.100.7' }] },
  { query: 'parse @message /Max Memory Used: (?<mem>\\d+) MB/ | filter ispresent(mem) | stats sum(mem)', groups: L, rows: [{ 'sum(mem)': '240' }] },
  { query: 'parse @message /Max Memory Used: (?P<mem>\\d+) MB/ | stats max(mem) as m', groups: L, rows: [{ m: '90' }] },
  { query: 'parse @message "user=* ip=*" as user, ip | stats count(*)', groups: L, rows: count(8) },
  { query: 'parse @message "user=* ip=*" as user, ip | parse ip "*.*.*.*" as a, b, c, d | filter ispresent(d) | fields a, d', groups: L, rows: [{ a: '198', d: '7' }] },
  { query: 'parse eventName /^(?<verb>[A-Z][a-z]+)/ | stats count(*) by verb', groups: C, rows: [
    { verb: 'Assume', 'count(*)': '1' }, { verb: 'Console', 'count(*)': '1' }, { verb: 'Create', 'count(*)': '1' }, { verb: 'Get', 'count(*)': '2' },
    { verb: 'List', 'count(*)': '1' }, { verb: 'Run', 'count(*)': '1' }, { verb: 'Stop', 'count(*)': '1' }] },
  { query: 'parse @message /(?<kind>START|END) RequestId: (?<id>\\w+)/ | filter ispresent(kind) | fields kind, id', groups: L, rows: [
    { kind: 'END', id: 'r1' }, { kind: 'START', id: 'r1' }] },
  { query: 'PARSE @message "[*] *" as a, b | filter ispresent(a) | stats count(*)', groups: L, rows: count(0) },
  // More than nine captures (DuckDB numbers groups 0-9 only): a flow line's fourteen fields; NODATA lines' '-' sum to nothing.
  { query: 'parse @message "* * * * * * * * * * * * * *" as v,acct,eni,src,dst,sp,dp,proto,pk,bt,st,en,act,status | stats sum(bt) as total by src | sort total desc', groups: F, rows: [
    { src: '10.0.0.5', total: '14000' }, { src: '203.0.113.9', total: '12000' }, { src: '2001:db8::1', total: '700' }, { src: '192.0.2.10', total: '450' },
    { src: '10.0.0.6', total: '300' }, { src: '198.51.100.7', total: '240' }, { src: '-' }] },
  // Twelve named groups after an unnamed one; lines that do not match (NODATA, SKIPDATA) are kept without the fields.
  { query: 'parse @message /^(?<v>\\S+) (\\S+) (?<eni>\\S+) (?<src>\\S+) (?<dst>\\S+) (?<sp>\\d+) (?<dp>\\d+) (?<proto>\\d+) (?<pk>\\d+) (?<bt>\\d+) (?<st>\\d+) (?<en>\\d+) (?<act>\\S+)/ | stats count(*) by act', groups: F, rows: [
    { act: 'ACCEPT', 'count(*)': '6' }, { act: 'REJECT', 'count(*)': '3' }, { 'count(*)': '2' }] },
  { query: 'parse @message /^(?<v>\\S+) (\\S+) (?<eni>\\S+) (?<src>\\S+) (?<dst>\\S+) (?<sp>\\d+) (?<dp>\\d+) (?<proto>\\d+) (?<pk>\\d+) (?<bt>\\d+) (?<st>\\d+) (?<en>\\d+) (?<act>\\S+)/ | filter interfaceId = "eni-cccc3333" | fields v, eni, dp, en, act', groups: F, rows: [
    {}, { v: '2', eni: 'eni-cccc3333', dp: '5353', en: '1700000860', act: 'ACCEPT' }, { v: '2', eni: 'eni-cccc3333', dp: '80', en: '1700000760', act: 'ACCEPT' }, {}] },

  // dedup
  { query: 'fields srcAddr | filter ispresent(srcAddr) | dedup srcAddr', groups: F, rows: [
    { srcAddr: '192.0.2.10' }, { srcAddr: '2001:db8::1' }, { srcAddr: '10.0.0.5' }, { srcAddr: '10.0.0.6' }, { srcAddr: '198.51.100.7' }, { srcAddr: '203.0.113.9' }] },
  { query: 'fields interfaceId | dedup srcAddr', groups: F, rows: [
    { interfaceId: 'eni-cccc3333' }, { interfaceId: 'eni-cccc3333' }, { interfaceId: 'eni-cccc3333' }, { interfaceId: 'eni-cccc3333' },
    { interfaceId: 'eni-bbbb2222' }, { interfaceId: 'eni-bbbb2222' }, { interfaceId: 'eni-bbbb2222' }, { interfaceId: 'eni-aaaa1111' }] },
  { query: 'fields srcAddr, bytes | sort bytes asc | dedup srcAddr', groups: F, rows: [
    { srcAddr: '198.51.100.7', bytes: '60' }, { srcAddr: '10.0.0.6', bytes: '300' }, { srcAddr: '192.0.2.10', bytes: '450' },
    { srcAddr: '2001:db8::1', bytes: '700' }, { srcAddr: '10.0.0.5', bytes: '5000' }, { srcAddr: '203.0.113.9', bytes: '12000' }, {}, {}] },
  { query: 'fields srcAddr, dstAddr | filter ispresent(srcAddr) | dedup srcAddr, dstAddr | limit 2', groups: F, rows: [
    { srcAddr: '192.0.2.10', dstAddr: '10.0.0.6' }, { srcAddr: '2001:db8::1', dstAddr: '2001:db8::2' }] },
  { query: 'fields @timestamp, userIdentity.userName as user | filter ispresent(user) | dedup user', groups: C, rows: [
    { '@timestamp': ts('22:08:00.000'), user: 'bob' }, { '@timestamp': ts('22:00:00.000'), user: 'alice' }] },

  // unmask is a no-op offline
  { query: 'fields @message | unmask | filter @requestId = "r1" and @type = "END"', groups: L, rows: [{ '@message': 'END RequestId: r1' }] },

  // string functions
  onCreateUser('isempty(errorCode)', '1'),
  onCreateUser('isempty(eventName)', '0'),
  onCreateUser('isblank("   ")', '1'),
  onCreateUser('isblank(" x ")', '0'),
  onCreateUser('concat(eventName, "-", awsRegion)', 'CreateUser-us-east-1'),
  onCreateUser('ltrim("  x  ")', 'x  '),
  onCreateUser('rtrim("  x  ")', '  x'),
  onCreateUser('trim("  x  ")', 'x'),
  onCreateUser('trim("xyZxyfooxyxyZ", "xyZ")', 'foo'),
  onCreateUser('ltrim("xyZfoo", "xyZ")', 'foo'),
  onCreateUser('rtrim("fooxyZ", "xyZ")', 'foo'),
  onCreateUser('strlen(eventName)', '10'),
  onCreateUser('strlen("héllo")', '5'),
  onCreateUser('toupper(eventName)', 'CREATEUSER'),
  onCreateUser('tolower(eventName)', 'createuser'),
  onCreateUser('substr("xyZfooxyZ", 3, 3)', 'foo'),
  onCreateUser('substr("xyZfooxyZ", 3)', 'fooxyZ'),
  onCreateUser('replace(eventSource, ".amazonaws.com", "")', 'iam'),
  onCreateUser('strcontains(eventName, "user")', '0'),
  onCreateUser('strcontains(eventName, "user", 1)', '1'),
  onCreateUser('regexReplace(eventName, /[a-z]/, "")', 'CU'),
  onCreateUser('startsWith(eventName, "Create")', '1'),
  onCreateUser('endsWith(eventName, "Role")', '0'),
  onCreateUser('urlencode("a b&c")', 'a%20b%26c'),
  onCreateUser('urldecode("a%20b")', 'a b'),
  onCreateUser('base64encode("hi")', 'aGk='),
  onCreateUser('base64decode("aGk=")', 'hi'),
  onCreateUser('hexToDec("ff")', '255'),
  onCreateUser('decToHex(255)', '0xff'),
  onCreateUser('hexToAscii("6869")', 'hi'),
  onCreateUser('split("a,b", ",")', '["a","b"]'),

  // numeric functions and operators
  onCreateUser('abs(-5)', '5'),
  onCreateUser('ceil(1.2)', '2'),
  onCreateUser('floor(1.8)', '1'),
  onCreateUser('round(2.567, 2)', '2.57'),
  onCreateUser('round(2.5)', '3'),
  onCreateUser('greatest(1, 5, 3)', '5'),
  onCreateUser('least(4, 2, 8)', '2'),
  onCreateUser('log(1)', '0'),
  onCreateUser('sqrt(16)', '4'),
  onCreateUser('toNumber("42") + 1', '43'),
  onCreateUser('toInt("7.9")', '7'),
  onCreateUser('toLong("12345678901")', '12345678901'),
  onCreateUser('10 % 3', '1'),
  onCreateUser('2 ^ 10', '1024'),
  onCreateUser('7 / 2', '3.5'),
  onCreateUser('1 / 0', undefined),
  onCreateUser('round(haversine(0, 0, 0, 1))', '111'),

  // general functions
  onCreateUser('coalesce(errorCode, "none")', 'none'),
  onCreateUser('ispresent(errorCode)', 'false'),
  onCreateUser('if(ispresent(errorCode), "failed", "ok")', 'ok'),
  onCreateUser('case(eventName = "CreateUser", "persistence", "other")', 'persistence'),
  onCreateUser('case(eventName = "DeleteUser", "cleanup", "other")', 'other'),
  onCreateUser('isNumeric("12")', 'true'),
  onCreateUser('messageSize("héllo")', '6'),
  { query: 'filter eventName = "StopLogging" | fields coalesce(errorCode, "none") as v', groups: C, rows: [{ v: 'AccessDenied' }] },
  { query: 'fields queryStartTime() as s, queryEndTime() as e, queryTimeRange() as r | limit 1', groups: C, start: '2023-11-14T22:00:00Z', end: '2023-11-14T23:00:00Z', rows: [
    { s: '1699999200000', e: '1700002800000', r: '3600000' }] },

  // datetime functions
  onCreateUser('toMillis(@timestamp)', '1699999680000'),
  onCreateUser('fromMillis(1700000000000)', ts('22:13:20.000')),
  onCreateUser('datefloor(@timestamp, 1h)', ts('22:00:00.000')),
  onCreateUser('dateceil(@timestamp, 1h)', ts('23:00:00.000')),
  onCreateUser('dateceil(@timestamp, 1m)', ts('22:08:00.000')),
  onCreateUser('formatDate(@timestamp, "%Y/%m/%d")', '2023/11/14'),
  onCreateUser('formatDate(@timestamp, "%Y-%m-%d %H:%M %z", "UTC")', '2023-11-14 22:08 +00'),
  onCreateUser('formatDate(@timestamp, "%d %H:%M %z %Z", "America/New_York")', '14 17:08 -05 America/New_York'),
  onCreateUser('strftime(@timestamp, "%d %H:%M %z", "+05:30")', '15 03:38 +05:30'),
  onCreateUser('formatDate(@timestamp, "%H:%M", "UTC-8")', '14:08'),
  { query: 'filter toMillis(@timestamp) >= now() * 1000 - 7200000 | stats count(*)', rows: count(0) },
  { query: 'filter @timestamp >= fromMillis(1700000700000) | fields srcPort', groups: F, rows: [{}, { srcPort: '53' }, { srcPort: '1000' }] },

  // IP functions
  { query: 'filter isValidIpV4(srcAddr) | stats count(*)', groups: F, rows: count(8) },
  { query: 'filter isValidIpV6(srcAddr) | stats count(*)', groups: F, rows: count(1) },
  { query: 'filter isValidIp(srcAddr) | stats count(*)', groups: F, rows: count(9) },
  { query: 'filter isIpv4InSubnet(srcAddr, "198.51.100.0/24") | stats count(*)', groups: F, rows: count(3) },
  { query: 'filter isIpv4InSubnet(srcAddr, "10.0.0.0/30") | stats count(*)', groups: F, rows: count(0) },
  { query: 'filter isIpv4InSubnet(srcAddr, "10.0.0.4/30") | stats count(*)', groups: F, rows: count(3) },
  { query: 'filter isIpv6InSubnet(srcAddr, "2001:db8::/32") | stats count(*)', groups: F, rows: count(1) },
  { query: 'filter isIpv6InSubnet(dstAddr, "2001:db8::2/128") | stats count(*)', groups: F, rows: count(1) },
  { query: 'filter isIpv6InSubnet(srcAddr, "2001:db9::/32") | stats count(*)', groups: F, rows: count(0) },
  { query: 'filter isIpInSubnet(srcAddr, "2001:db8::/32") or isIpInSubnet(srcAddr, "203.0.113.0/24") | stats count(*)', groups: F, rows: count(2) },
  { query: 'filter isIpv4InSubnet(srcAddr, "0.0.0.0/0") | stats count(*)', groups: F, rows: count(8) },
  { query: 'filter not isIpInSubnet(srcAddr, "10.0.0.0/8") | stats count(*)', groups: F, rows: count(8) },
  { query: 'filter isPrivateIP(srcAddr) | stats count(*)', groups: F, rows: count(3) },
  // RFC 1918 only: an IPv6 address or a value that is no address is not private; a missing field stays missing.
  { query: 'filter ispresent(srcAddr) | stats count(*) by isPrivateIP(srcAddr)', groups: F, rows: [
    { 'isPrivateIP(srcAddr)': 'false', 'count(*)': '6' }, { 'isPrivateIP(srcAddr)': 'true', 'count(*)': '3' }] },
  { query: 'filter logStatus = "NODATA" | fields isPrivateIP(srcAddr) as p', groups: F, rows: [{}] },
  onCreateUser('isPrivateIP("fd00::1")', 'false'),
  onCreateUser('isPrivateIP("not an address")', 'false'),
  onCreateUser('ipv4ToNumber("10.0.0.5")', '167772165'),
  onCreateUser('isValidIp("::ffff:192.0.2.1")', 'true'),
  onCreateUser('isValidIpV6("1::2::3")', 'false'),
  onCreateUser('isValidIpV4("256.1.1.1")', 'false'),
  onCreateUser('isValidIpV6("2001:db8:0:0:0:0:0:1")', 'true'),
  onCreateUser('isValidIpV6("2001:db8:0:0:0:0:1")', 'false'),
  onCreateUser('isIpv6InSubnet("::ffff:10.0.0.1", "::ffff:0:0/96")', 'true'),
  onCreateUser('isIpInSubnet("10.1.2.3", "10.0.0.0/8")', 'true'),
  onCreateUser('isIpInSubnet(sourceIPAddress, "198.51.100.0/25")', 'true'),

  // several kinds of log group in one query, log groups and the time range
  { query: 'stats count(*) by @log | sort @log', rows: [
    { '@log': '/aws/lambda/orders', 'count(*)': '8' }, { '@log': '123456789012:cloudtrail', 'count(*)': '8' }, { '@log': '123456789012:vpc-flow-logs', 'count(*)': '11' }] },
  { query: 'filter ispresent(srcAddr) or ispresent(sourceIPAddress) | stats count(*)', rows: count(17) },
  { query: 'fields coalesce(srcAddr, sourceIPAddress) as ip | filter ip = "198.51.100.7" | stats count(*)', rows: count(8) },
  { query: 'stats count(*)', groups: ['flows', 'lambda'], rows: count(19) },
  { query: 'stats count(*)', groups: [], rows: count(58) },
  { query: 'stats count(*)', groups: F, start: '2023-11-14T22:20:00Z', end: '2023-11-14T22:25:00Z', rows: count(4), statistics: { recordsScanned: 4, recordsMatched: 4 } },
  { query: 'filter action = "REJECT"', groups: F, statistics: { recordsMatched: 3, recordsScanned: 11 } },
  { query: 'filter @type = "REPORT" | stats count(*)', groups: L, rows: count(3), statistics: { recordsMatched: 3, recordsScanned: 8 } },

  // hostile query text stays data: quotes in strings, field names and regexes
  { query: `filter eventName = "x'); DROP TABLE cloudtrail; --" | stats count(*)`, groups: C, rows: count(0) },
  { query: "fields `a'b\"c`, eventName | filter eventName = 'CreateUser'", groups: C, rows: [{ eventName: 'CreateUser' }] },
  { query: "fields `a\\`, `b\\\"c.d`, eventName | filter eventName = 'CreateUser'", groups: C, rows: [{ eventName: 'CreateUser' }] },
  { query: "filter eventName like /'; SELECT 1; --/ | stats count(*)", groups: C, rows: count(0) },
  { query: 'stats count(*)', groups: C, rows: count(8) },
  // A value no integer holds is missing, not a failed query (one such value in the data stopped it).
  { query: 'filter action = "REJECT" | fields ceil(bytes * 1e300) as c, fromMillis(1e20) as t, substr(srcAddr, 1e30) as s, substr(srcAddr, 5000000000) as s2, substr(srcAddr, 2147483647) as s4, substr(srcAddr, 1, 5000000000) as s3, decToHex(1e30) as h | limit 1', groups: F, rows: [{ s: '', s2: '', s4: '', s3: '98.51.100.7' }] },

  // After stats only its fields exist: a name it did not produce is an error at that name (B.9), not nulls.
  { query: 'stats count(*) as c by eventName | filter count > 1', groups: C, error: { line: 1, column: 43, contains: "after stats only the fields it produced can be used (eventName, c), not 'count'", kind: 'semantic' } },
  { query: 'stats count(*) as c by eventName | stats sum(c) by awsRegion', groups: C, error: { line: 1, column: 52, contains: "not 'awsRegion'", kind: 'semantic' } },
  { query: 'stats count(*) by eventName | sort "x"', groups: C, error: { line: 1, column: 36, contains: 'sort takes a field or an expression of fields, not a constant', kind: 'semantic' } },
  // Integer arithmetic beyond 64 bits still answers (12,000 ^ 5).
  { query: 'filter bytes = 12000 | fields bytes * bytes * bytes * bytes * bytes as v', groups: F, rows: [{ v: '248832000000000000000' }] },
  // The service's limits on the query text, and nesting that would exhaust the parser.
  { query: `fields ${'a, '.repeat(3400)}b`, error: { line: 1, column: 10_001, contains: 'a query is at most 10,000 characters', kind: 'syntax' } },
  { query: `filter ${'('.repeat(4990)}x${')'.repeat(4990)}`, error: { line: 1, column: 1, contains: 'the query nests too deeply', kind: 'syntax' } },
  { query: `filter ${'not '.repeat(1400)}action = "REJECT"`, groups: F, error: { line: 1, column: 1, contains: 'the query nests too deeply for the offline engine', kind: 'syntax' } },
  { query: `fields ${'bytes + '.repeat(1200)}bytes as b`, groups: F, error: { line: 1, column: 1, contains: 'the query nests too deeply for the offline engine', kind: 'syntax' } },

  // parser errors: line, column and what was expected
  { query: '', error: { line: 1, column: 1, contains: 'expected a command', kind: 'syntax' } },
  { query: 'fitler x = 1', error: { line: 1, column: 1, contains: "unknown command 'fitler'", kind: 'syntax' } },
  // The end of the query is where its last line ends: the caret goes where the missing part belongs.
  { query: 'filter x = ', error: { line: 1, column: 11, contains: 'expected a field, a value or a function call but found the end of the query', kind: 'syntax' } },
  { query: 'fields @timestamp\n| stats count(*) by\n\n', error: { line: 2, column: 20, contains: 'expected a field', kind: 'syntax' } },
  { query: 'stats count(*) by # group by what?\n# more notes\n', error: { line: 1, column: 18, contains: 'expected a field', kind: 'syntax' } },
  { query: 'stats count(*) by', error: { line: 1, column: 18, contains: 'expected a field', kind: 'syntax' } },
  { query: 'fields a,\n  b +', error: { line: 2, column: 6, contains: 'expected a field, a value or a function call', kind: 'syntax' } },
  { query: 'filter x = "abc', error: { line: 1, column: 12, contains: 'unterminated string', kind: 'syntax' } },
  { query: 'filter @message like /abc', error: { line: 1, column: 22, contains: 'unterminated regular expression', kind: 'syntax' } },
  { query: 'limit 0', error: { line: 1, column: 7, contains: 'limit must be between 1 and 100000', kind: 'syntax' } },
  { query: 'limit ten', error: { line: 1, column: 7, contains: 'expected a whole number of rows', kind: 'syntax' } },
  { query: 'filter a = 1 | | stats count(*)', error: { line: 1, column: 16, contains: 'expected a command', kind: 'syntax' } },
  { query: 'stats count(*) by bin(5m) as', error: { line: 1, column: 29, contains: 'expected an alias name', kind: 'syntax' } },
  { query: 'filter a not b', error: { line: 1, column: 14, contains: "expected 'like' or 'in' after 'not'", kind: 'syntax' } },
  { query: 'filter a in 1', error: { line: 1, column: 13, contains: 'expected a list', kind: 'syntax' } },
  { query: 'filter a = 1 extra', error: { line: 1, column: 14, contains: "expected '|' or the end of the query but found 'extra'", kind: 'syntax' } },
  { query: 'filter (a = 1', error: { line: 1, column: 14, contains: "expected ')'", kind: 'syntax' } },
  { query: 'filter a like 5', error: { line: 1, column: 15, contains: 'after like', kind: 'syntax' } },
  { query: 'fields a ~ b', error: { line: 1, column: 10, contains: "unexpected character '~'", kind: 'syntax' } },
  { query: 'filter x = 1\n| stats count(*) by\n| sort x', error: { line: 3, column: 1, contains: "found '|'", kind: 'syntax' } },

  // errors found when compiling: unsupported offline, semantics
  { query: 'pattern @message', error: { line: 1, column: 1, contains: 'not supported offline', kind: 'unsupported-offline' } },
  { query: 'filter x = 1 | diff', error: { line: 1, column: 16, contains: "'diff' is not supported offline", kind: 'unsupported-offline' } },
  { query: "SOURCE logGroups(namePrefix: ['a']) | stats count(*)", error: { line: 1, column: 1, contains: 'not supported offline', kind: 'unsupported-offline' } },
  { query: 'filter jsonParse(@message) = 1', error: { line: 1, column: 8, contains: 'jsonParse() is not supported offline', kind: 'unsupported-offline' } },
  { query: 'parse @message /(?<a>x)/ multi', error: { line: 1, column: 26, contains: 'not supported offline', kind: 'unsupported-offline' } },
  { query: 'filter foo(x) = 1', error: { line: 1, column: 8, contains: "unknown function 'foo'", kind: 'semantic' } },
  { query: 'stats count(*) | stats count(*) | stats count(*)', error: { line: 1, column: 35, contains: 'at most two stats', kind: 'semantic' } },
  { query: 'fields sum(bytes)', error: { line: 1, column: 8, contains: 'only allowed in stats', kind: 'semantic' } },
  { query: 'stats bytes', error: { line: 1, column: 7, contains: 'bytes is not an aggregation', kind: 'semantic' } },
  // What the database would refuse without a position is refused at the query's own place.
  { query: 'stats sum(bytes) / packets as x by srcAddr', error: { line: 1, column: 20, contains: 'packets is not an aggregation: use it inside one', kind: 'semantic' } },
  { query: 'stats count(*) as c by eventName | sort c desc | limit 5 | stats sum(c) as top5', error: { line: 1, column: 36, contains: 'sort must come after the second stats', kind: 'semantic' } },
  { query: 'filter bytes > 1e999', error: { line: 1, column: 16, contains: 'this number is too large', kind: 'semantic' } },
  { query: 'fields formatDate(@timestamp, "%Y %q") as t', groups: F, error: { line: 1, column: 31, contains: "'%q' is not a date format code", kind: 'semantic' } },
  { query: 'fields regexReplace(srcAddr, "[", "") as t', groups: F, error: { line: 1, column: 30, contains: 'not valid RE2 syntax: missing ]', kind: 'semantic' } },
  { query: 'dedup srcAddr | filter x = 1', error: { line: 1, column: 17, contains: 'only limit may follow dedup', kind: 'semantic' } },
  { query: 'stats count(*) by bin(5x)', error: { line: 1, column: 23, contains: "unknown period unit 'x'", kind: 'semantic' } },
  { query: 'fields abs(1, 2)', error: { line: 1, column: 8, contains: 'abs() takes 1 argument', kind: 'semantic' } },
  { query: 'parse @message "a * b * c" as x', error: { line: 1, column: 16, contains: 'the pattern has 2 * but 1 names', kind: 'semantic' } },
  { query: 'parse @message /abc/', error: { line: 1, column: 16, contains: 'named groups', kind: 'semantic' } },
  { query: 'stats count(*) by bin(5m) as t | stats count(*) by bin(1h)', error: { line: 1, column: 52, contains: 'reads @timestamp', kind: 'semantic' } },
  { query: 'filter isIpv4InSubnet(srcAddr, "10.0.0.0/33")', error: { line: 1, column: 32, contains: 'not a valid IPv4 CIDR block', kind: 'semantic' } },
  { query: 'filter isIpInSubnet(srcAddr, subnet)', error: { line: 1, column: 30, contains: 'needs a string literal', kind: 'semantic' } },
  { query: 'stats pct(bytes, 150)', error: { line: 1, column: 18, contains: 'between 0 and 100', kind: 'semantic' } },
  { query: 'stats count(*) by bin(5)', error: { line: 1, column: 23, contains: 'needs a period', kind: 'semantic' } },
  { query: 'filter @message like /[a-z/ | stats count(*)', error: { line: 1, column: 22, contains: "'[' without its ']'", kind: 'semantic' } },
  { query: 'parse @message /(?<a>x))/', error: { line: 1, column: 16, contains: "')' without its '('", kind: 'semantic' } },
  { query: 'fields regexReplace(@message, /(a/, "")', error: { line: 1, column: 31, contains: "'(' without its ')'", kind: 'semantic' } },
  { query: 'fields formatDate(@timestamp, "%H", "Mars/Olympus")', error: { line: 1, column: 37, contains: "unknown time zone 'Mars/Olympus'", kind: 'semantic' } },
  { query: 'fields strftime(@timestamp, "%H", "+25:00")', error: { line: 1, column: 35, contains: "unknown time zone '+25:00'", kind: 'semantic' } },
  { query: 'fields formatDate(@timestamp, "%H", zone)', error: { line: 1, column: 37, contains: 'needs a string literal', kind: 'semantic' } },
  { query: 'filter @message like /foo(?=bar)/', error: { line: 1, column: 22, contains: 'lookahead and lookbehind', kind: 'semantic' } },
  { query: 'filter @message like /(?<!x)y/', error: { line: 1, column: 22, contains: 'lookahead and lookbehind', kind: 'semantic' } },
  { query: 'fields a\n| parse @message /(?<w>\\w+) \\1/', error: { line: 2, column: 18, contains: 'backreferences', kind: 'semantic' } },
  { query: 'filter @message like /a/ and @message like /b\\Z/', groups: L, error: { line: 1, column: 44, contains: 'not valid RE2 syntax: invalid escape sequence: \\Z', kind: 'semantic' } },
  { query: 'fields regexReplace(@message, /x{1001}/, "")', groups: L, error: { line: 1, column: 31, contains: 'invalid repetition size', kind: 'semantic' } },
  { query: 'filter @message like /x/ + 1', error: { line: 1, column: 22, contains: "expected a \"string\" or /regex/ after like", kind: 'syntax' } },
];
