/**
 * The facts of the sample incident (`npm run sample`), for samples/README.md, tests and demos. Every
 * identifier uses documentation ranges (RFC 5737 addresses, example account IDs): nothing is real.
 */
export const STORY = {
  /** The account the leaked key belongs to, and the second account the attacker moves into. */
  victimAccount: '111122223333',
  secondAccount: '444455556666',
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const,
  /** Three days of background activity; the intrusion happens on the third night. */
  start: '2026-03-02T00:00:00Z',
  end: '2026-03-05T00:00:00Z',
  attackerIp: '203.0.113.77',
  attackerUserAgent: 'aws-cli/2.13.25 Python/3.11.5 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off',
  leakedUser: 'svc-reporting',
  leakedAccessKeyId: 'AKIAQ3EXAMPLELEAK7Q2',
  firstUse: '2026-03-04T02:13:07Z',
  recon: { from: '2026-03-04T02:13:07Z', to: '2026-03-04T02:19:40Z' },
  escalation: {
    deniedCreatePolicyVersion: '2026-03-04T02:20:31Z',
    attachAdministratorAccess: '2026-03-04T02:21:10Z',
    policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  },
  persistence: {
    user: 'support-sync',
    createUser: '2026-03-04T02:24:02Z',
    createAccessKey: '2026-03-04T02:24:19Z',
    createLoginProfile: '2026-03-04T02:24:44Z',
    newAccessKeyId: 'AKIAQ3EXAMPLEPERS1ST',
  },
  crossAccount: {
    assumeRole: '2026-03-04T02:30:12Z',
    roleArn: 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole',
    sessionName: 'sync-7731',
    mintedAccessKeyId: 'ASIAZ7EXAMPLEMINTED1',
  },
  theft: {
    /** Through the instance the attacker commands with SSM, whose role reads the bucket... */
    sendCommand: '2026-03-04T02:36:45Z',
    instanceId: 'i-0a7d1e5c3b9f24610',
    instanceIp: '10.20.12.34',
    interfaceId: 'eni-0c4f8a2e6b1d93577',
    instanceRole: 'ReportingWorkerRole',
    bucket: 'acme-customer-exports',
    getObjects: { from: '2026-03-04T02:37:30Z', to: '2026-03-04T02:47:30Z', count: 60 },
    /** ...and sends it to the attacker: flow records from the instance to attackerIp:443. */
    outboundBytes: 1_846_000_000,
    /** In the second account, directly from the attacker's address with the minted key. */
    secondBucket: 'acme-finance-archive',
    secondGetObjects: 25,
  },
  tampering: {
    trailName: 'management-events',
    stopLogging: '2026-03-04T02:52:40Z',
    deniedDeleteTrail: '2026-03-04T02:53:05Z',
  },
} as const;
