import type { LogKind } from '../../sources/source';

/**
 * Ready-made Logs Insights queries, offered in the extension's pickers and usable from the CLI. Each
 * runs unchanged live and offline. Sources: AWS's sample queries (aws-api-reference B.14) and the hunts
 * practitioners run (investigation-practice.md) that the language can express.
 */
export interface LibraryQuery {
  id: string;
  name: string;
  description: string;
  query: string;
  kinds: LogKind[];
}

const flow: LogKind[] = ['vpc-flow'];
const trail: LogKind[] = ['cloudtrail'];
const lambda: LogKind[] = ['lambda'];

/** `filter eventName in [...] | fields …` for a hunt over a list of API calls. */
function callsHunt(id: string, name: string, description: string, eventNames: string[], extraFields: string[] = []): LibraryQuery {
  const list = eventNames.map((e) => `"${e}"`).join(', ');
  const fields = ['@timestamp', 'eventSource', 'eventName', 'userIdentity.arn', 'sourceIPAddress', 'errorCode', ...extraFields].join(', ');
  return { id, name, description, kinds: trail, query: `filter eventName in [${list}]\n| fields ${fields}\n| sort @timestamp desc` };
}

export const QUERY_LIBRARY: LibraryQuery[] = [
  // VPC flow logs
  {
    id: 'flows-top-byte-pairs',
    name: 'Top byte transfers by source and destination',
    description: 'The 10 source/destination pairs that moved the most bytes (AWS sample).',
    kinds: flow,
    query: 'stats sum(bytes) as bytesTransferred by srcAddr, dstAddr\n| sort bytesTransferred desc\n| limit 10',
  },
  {
    id: 'flows-top-packet-pairs',
    name: 'Top packet transfers by source and destination',
    description: 'The 15 source/destination pairs with the most packets (AWS sample).',
    kinds: flow,
    query: 'stats sum(packets) as packetsTransferred by srcAddr, dstAddr\n| sort packetsTransferred desc\n| limit 15',
  },
  {
    id: 'flows-rejected-ssh-rdp',
    name: 'Rejected SSH and RDP by source',
    description: 'Sources of rejected connections to ports 22 and 3389: brute force and scanning.',
    kinds: flow,
    query: 'filter action = "REJECT" and dstPort in [22, 3389]\n| stats count(*) as attempts, count_distinct(dstAddr) as targets by srcAddr\n| sort attempts desc\n| limit 50',
  },
  {
    id: 'flows-accepted-ssh-rdp-from-internet',
    name: 'Accepted SSH and RDP from outside private ranges',
    description: 'Accepted connections to ports 22 and 3389 from addresses outside RFC 1918 (IPv4) and unique local addresses (IPv6).',
    kinds: flow,
    query:
      'filter action = "ACCEPT" and dstPort in [22, 3389] and (isValidIpV4(srcAddr)\n' +
      '  and not isIpv4InSubnet(srcAddr, "10.0.0.0/8") and not isIpv4InSubnet(srcAddr, "172.16.0.0/12") and not isIpv4InSubnet(srcAddr, "192.168.0.0/16")\n' +
      '  or isValidIpV6(srcAddr) and not isIpv6InSubnet(srcAddr, "fc00::/7"))\n' +
      '| stats count(*) as connections, sum(bytes) as bytes by srcAddr, dstAddr, dstPort\n| sort connections desc',
  },
  {
    id: 'flows-port-scans',
    name: 'Port scans',
    description: 'Sources that reached 10 or more distinct destination ports within an hour (a server\'s replies, from its port to clients\' higher ones, left out).',
    kinds: flow,
    query: 'filter dstPort < srcPort\n| stats count_distinct(dstPort) as ports, count(*) as flows by srcAddr, bin(1h) as hour\n| filter ports >= 10\n| sort ports desc',
  },
  {
    id: 'flows-top-rejected-sources',
    name: 'Top 20 sources of rejected traffic',
    description: 'Sources with the most rejected flows (AWS sample).',
    kinds: flow,
    query: 'filter action = "REJECT"\n| stats count(*) as numRejections by srcAddr\n| sort numRejections desc\n| limit 20',
  },
  {
    id: 'flows-udp-sources',
    name: 'Addresses using UDP',
    description: 'Flow counts of sources sending UDP (AWS sample).',
    kinds: flow,
    query: 'filter protocol = 17\n| stats count(*) by srcAddr',
  },
  {
    id: 'flows-outbound-bytes-per-hour',
    name: 'Outbound bytes per hour from private addresses',
    description: 'Bytes sent from RFC 1918 addresses to elsewhere, per source and hour: compare against a baseline for exfiltration.',
    kinds: flow,
    query:
      'filter isPrivateIP(srcAddr) and not isPrivateIP(dstAddr)\n| stats sum(bytes) as bytesOut by srcAddr, bin(1h) as hour\n| sort bytesOut desc\n| limit 50',
  },
  {
    id: 'flows-skipped-windows',
    name: 'Skipped capture windows',
    description: 'Hours with SKIPDATA records: gaps in the flow log evidence (AWS sample).',
    kinds: flow,
    query: 'filter logStatus = "SKIPDATA"\n| stats count(*) by bin(1h) as t\n| sort t',
  },

  // Lambda
  {
    id: 'lambda-durations',
    name: 'Lambda durations by 5 minutes',
    description: 'Average, maximum and minimum duration of invocations (AWS sample).',
    kinds: lambda,
    query: 'filter @type = "REPORT"\n| stats avg(@duration), max(@duration), min(@duration) by bin(5m)',
  },
  {
    id: 'lambda-overprovisioned-memory',
    name: 'Over-provisioned Lambda memory',
    description: 'Provisioned memory against the most an invocation used (AWS sample).',
    kinds: lambda,
    query:
      'filter @type = "REPORT"\n| stats max(@memorySize / 1000 / 1000) as provisionedMemoryMB,\n' +
      '    min(@maxMemoryUsed / 1000 / 1000) as smallestMemoryRequestMB,\n    avg(@maxMemoryUsed / 1000 / 1000) as avgMemoryUsedMB,\n' +
      '    max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB,\n    provisionedMemoryMB - maxMemoryUsedMB as overProvisionedMB',
  },
  {
    id: 'lambda-slowest-invocations',
    name: 'Slowest Lambda invocations',
    description: 'Request ids by billed duration (AWS sample).',
    kinds: lambda,
    query: 'filter @type = "REPORT"\n| fields @requestId, @billedDuration\n| sort by @billedDuration desc',
  },
  {
    id: 'exceptions-per-hour',
    name: 'Exceptions per hour',
    description: 'Log events mentioning an exception, counted by hour (AWS sample).',
    kinds: ['lambda', 'other'],
    query: 'filter @message like /Exception/\n| stats count(*) as exceptionCount by bin(1h)\n| sort exceptionCount desc',
  },

  // CloudTrail samples
  {
    id: 'cloudtrail-events-by-service',
    name: 'Events by service, API and region',
    description: 'Counts of every API call by event source, name and region (AWS sample).',
    kinds: trail,
    query: 'stats count(*) by eventSource, eventName, awsRegion',
  },
  {
    id: 'cloudtrail-ec2-calls',
    name: 'EC2 API calls',
    description: 'EC2 calls counted by API and region (AWS sample).',
    kinds: trail,
    query: 'filter eventSource = "ec2.amazonaws.com"\n| stats count(*) as eventCount by eventName, awsRegion\n| sort eventCount desc',
  },
  {
    id: 'cloudtrail-created-users',
    name: 'Created IAM users',
    description: 'CreateUser calls with the new user (AWS sample).',
    kinds: trail,
    query: 'filter eventName = "CreateUser"\n| fields awsRegion, requestParameters.userName, responseElements.user.arn',
  },
  {
    id: 'cloudtrail-outdated-tls',
    name: 'Calls over outdated TLS',
    description: 'Calls made with TLS 1.0 or 1.1, by caller and API (AWS sample).',
    kinds: trail,
    query:
      'filter tlsDetails.tlsVersion in [ "TLSv1", "TLSv1.1" ]\n' +
      '| stats count(*) as numOutdatedTlsCalls by userIdentity.accountId, recipientAccountId, eventSource, eventName, awsRegion, tlsDetails.tlsVersion, tlsDetails.cipherSuite, userAgent\n' +
      '| sort eventSource, eventName, awsRegion, tlsDetails.tlsVersion',
  },

  // CloudTrail hunts
  callsHunt('hunt-trail-tampering', 'Trail tampering', 'Calls that stop, delete or change CloudTrail logging.', ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'], ['requestParameters.name', 'requestParameters.trailName']),
  callsHunt('hunt-log-deletion', 'Log and monitor deletion', 'Deletion of flow logs, log groups and streams, and of Config recording.', [
    'DeleteFlowLogs', 'DeleteLogGroup', 'DeleteLogStream', 'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel']),
  callsHunt('hunt-security-services', 'Security service disruption', 'GuardDuty and Security Hub changes that blind detection.', [
    'DeleteDetector', 'UpdateDetector', 'CreateIPSet', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount', 'DisableSecurityHub', 'DeleteMembers',
    'DisassociateMembers']),
  {
    id: 'hunt-root-use',
    name: 'Root user activity',
    description: 'Calls made as the account root user (service events excluded).',
    kinds: trail,
    query: 'filter userIdentity.type = "Root" and eventType != "AwsServiceEvent"\n| fields @timestamp, eventName, sourceIPAddress, userAgent, errorCode\n| sort @timestamp desc',
  },
  {
    id: 'hunt-console-login-without-mfa',
    name: 'Console sign-in without MFA',
    description: 'Successful console sign-ins that did not use MFA.',
    kinds: trail,
    query:
      'filter eventName = "ConsoleLogin" and responseElements.ConsoleLogin = "Success" and additionalEventData.MFAUsed = "No"\n' +
      '| fields @timestamp, userIdentity.arn, sourceIPAddress, userAgent\n| sort @timestamp desc',
  },
  {
    id: 'hunt-failed-console-logins',
    name: 'Failed console sign-ins',
    description: 'Failed console sign-ins by source address, with how many user names each tried (names that do not exist are recorded as HIDDEN_DUE_TO_SECURITY_REASONS): password spraying and guessing.',
    kinds: trail,
    query:
      'filter eventName = "ConsoleLogin" and responseElements.ConsoleLogin = "Failure"\n' +
      '| stats count(*) as failures, count_distinct(userIdentity.userName) as users by sourceIPAddress\n| sort failures desc',
  },
  {
    id: 'hunt-access-denied-bursts',
    name: 'AccessDenied bursts',
    description: 'Denied calls by principal and source address per 5 minutes.',
    kinds: trail,
    query:
      'filter errorCode in ["AccessDenied", "UnauthorizedOperation", "Client.UnauthorizedOperation", "AccessDeniedException"]\n' +
      '| stats count(*) as denied by userIdentity.arn, sourceIPAddress, bin(5m)\n| sort denied desc',
  },
  {
    id: 'hunt-reconnaissance',
    name: 'Reconnaissance bursts',
    description: 'Principals calling 6 or more distinct List/Describe/Get APIs, or making 50 such calls, within 5 minutes: the broadest first.',
    kinds: trail,
    query:
      'filter eventName like /^(List|Describe|Get)/\n| stats count(*) as calls, count_distinct(eventName) as apis by userIdentity.arn, bin(5m)\n' +
      '| filter apis >= 6 or calls >= 50\n| sort apis desc, calls desc',
  },
  callsHunt('hunt-persistence', 'Persistence', 'New users, access keys and console passwords.', ['CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile'], [
    'requestParameters.userName']),
  {
    id: 'hunt-privilege-escalation',
    name: 'Privilege escalation',
    description: 'Policy attachments and edits, new policy versions and trust policy changes.',
    kinds: trail,
    query:
      'filter eventName like /^(Attach|Put)(User|Role|Group)Policy$/ or eventName in ["CreatePolicyVersion", "UpdateAssumeRolePolicy"]\n' +
      '| fields @timestamp, eventName, userIdentity.arn, requestParameters.policyArn, requestParameters.policyName, requestParameters.roleName, requestParameters.userName,\n' +
      '  requestParameters.groupName, requestParameters.policyDocument\n| sort @timestamp desc',
  },
  callsHunt('hunt-session-tokens', 'Session and federation tokens', 'GetSessionToken and GetFederationToken calls.', ['GetSessionToken', 'GetFederationToken']),
  {
    id: 'hunt-secret-access',
    name: 'Secret access in bulk',
    description: 'Secrets Manager and SSM parameter reads by principal, with how many distinct secrets or parameters were named one at a time.',
    kinds: trail,
    query:
      'filter eventName in ["GetSecretValue", "BatchGetSecretValue", "GetParameter", "GetParameters", "GetParametersByPath"]\n' +
      '| stats count(*) as reads, count_distinct(coalesce(requestParameters.secretId, requestParameters.name)) as named by userIdentity.arn, sourceIPAddress\n' +
      '| sort reads desc',
  },
  callsHunt('hunt-s3-exposure', 'S3 exposure', 'Bucket ACL, policy and public access block changes.', [
    // CloudTrail records the public access block calls by these names, not the API's (PutPublicAccessBlock).
    'PutBucketAcl', 'PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock', 'PutAccountPublicAccessBlock',
    'DeleteAccountPublicAccessBlock'], ['requestParameters.bucketName']),
  callsHunt('hunt-sharing', 'Sharing for exfiltration', 'Snapshots and images shared, instance exports.', [
    'ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute', 'CreateInstanceExportTask']),
  {
    id: 'hunt-unusual-compute',
    name: 'Instances launched',
    description: 'RunInstances by principal, region and instance type: look for GPU or very large types and new regions.',
    kinds: trail,
    query:
      'filter eventName = "RunInstances"\n' +
      '| stats count(*) as launches by userIdentity.arn, awsRegion, requestParameters.instanceType\n| sort launches desc',
  },
  callsHunt('hunt-security-group-opened', 'Security groups opened', 'Ingress rules added, with the first rule\'s ports and ranges: check for 0.0.0.0/0 or ::/0 on 22 or 3389.', ['AuthorizeSecurityGroupIngress'], [
    'requestParameters.groupId', 'requestParameters.ipPermissions.items.0.fromPort', 'requestParameters.ipPermissions.items.0.toPort',
    'requestParameters.ipPermissions.items.0.ipRanges.items.0.cidrIp', 'requestParameters.ipPermissions.items.0.ipv6Ranges.items.0.cidrIpv6']),
  callsHunt('hunt-instance-execution', 'Execution on instances', 'Commands, sessions, user data changes and Windows password retrieval.', [
    'SendCommand', 'StartSession', 'ModifyInstanceAttribute', 'GetPasswordData']),
  callsHunt('hunt-lambda-backdoors', 'Lambda backdoors', 'Code updates, permissions, function URLs and layer changes.', [
    // CloudTrail records Lambda's calls with the API version in the name (PublishLayerVersion20181031).
    'UpdateFunctionCode20150331v2', 'UpdateFunctionCode', 'AddPermission20150331v2', 'AddPermission', 'CreateFunctionUrlConfig20211031', 'UpdateFunctionUrlConfig20211031',
    'PublishLayerVersion20181031', 'AddLayerVersionPermission20181031', 'UpdateFunctionConfiguration20150331v2'], ['requestParameters.functionName', 'requestParameters.authType']),
  callsHunt('hunt-organization-exit', 'Leaving the organization', 'LeaveOrganization calls.', ['LeaveOrganization']),
  {
    id: 'hunt-log-storm',
    name: 'Event volume by API per hour',
    description: 'Event counts by source and name per hour: a log storm shows as a climbing count.',
    kinds: trail,
    query: 'stats count(*) as events by eventSource, eventName, bin(1h)\n| sort events desc\n| limit 100',
  },
  {
    id: 'hunt-minted-keys',
    name: 'Temporary keys minted',
    description: 'Calls that returned credentials, with the new access key id (pivot on it to see where it was used).',
    kinds: trail,
    query:
      'filter ispresent(responseElements.credentials.accessKeyId)\n' +
      '| fields @timestamp, eventName, userIdentity.arn, responseElements.credentials.accessKeyId, sourceIPAddress\n| sort @timestamp desc',
  },
];

/** The library entries that apply to a log kind. */
export function queriesFor(kind: LogKind): LibraryQuery[] {
  return QUERY_LIBRARY.filter((q) => q.kinds.includes(kind));
}
