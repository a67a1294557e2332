import { readFileSync } from 'node:fs';
import { optionsHelp, optionValue, optionValues, parseArgs, UsageError, type OptionSpec } from '../cli/args';
import { EvidenceSource } from '../sources/evidence/source';
import type { EndpointTrail } from './cloudtrail';
import { evidenceBackend } from './evidence-backend';
import { demoTrails } from './demo-trails';
import type { FaultConfig } from './faults';
import { startEndpoint } from './server';

/**
 * `node dist/endpoint.js --db FILE [--port N] [--faults JSON] [--trails FILE] [--account KEY=ID]...`: the local
 * AWS-compatible endpoint as a demo account over an evidence store. Point the SDK, the CLI
 * (`--endpoint-url`) or the extension at the printed URL with any access key.
 */
const OPTIONS: OptionSpec[] = [
  { name: 'db', value: 'FILE', description: 'evidence store to serve' },
  { name: 'port', value: 'N', description: 'port to listen on (default 4599; 0 picks a free one)' },
  { name: 'host', value: 'ADDR', description: 'address to listen on (default 127.0.0.1)' },
  { name: 'faults', value: 'JSON', description: 'fault injection, e.g. {"serverErrorRate":0.1,"lookupRatePerSecond":2}' },
  { name: 'trails', value: 'FILE', description: 'JSON list of trails for DescribeTrails/GetTrailStatus (default: one organization trail, stopped when the evidence ends with a StopLogging)' },
  { name: 'synthetic-log-groups', value: 'N', description: 'extra empty log groups (pagination demos)' },
  { name: 'account', value: 'ACCESS_KEY=ACCOUNT_ID', description: 'callers signing with this key are this account', repeatable: true },
];

function endpointHelp(): string {
  return [
    'Usage: node dist/endpoint.js --db FILE [--port N] [--host ADDR] [--faults JSON] [--trails FILE] [--synthetic-log-groups N] [--account ACCESS_KEY=ACCOUNT_ID]...',
    '',
    'Serve an evidence store as a local AWS-compatible endpoint (CloudTrail and CloudWatch Logs) for one demo',
    'account. Point the trailscope CLI (--endpoint-url), the extension (trailscope.endpointUrl) or the SDK at',
    'the printed URL with any access key. Ctrl-C stops it.',
    '',
    'Options:',
    ...optionsHelp([...OPTIONS, { name: 'help', description: 'show this help' }]),
  ].join('\n') + '\n';
}

function accountMap(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const match = /^([^=\s]+)=(\d{12})$/.exec(pair);
      if (!match) throw new UsageError(`--account takes ACCESS_KEY=ACCOUNT_ID (12 digits), got '${pair}'`);
      return [match[1], match[2]];
    }),
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(endpointHelp());
    return;
  }
  const args = parseArgs(argv, OPTIONS);
  const db = optionValue(args, 'db');
  if (!db) throw new UsageError('--db FILE is required');
  const faults = optionValue(args, 'faults');
  const trails = optionValue(args, 'trails');
  const accounts = accountMap(optionValues(args, 'account'));
  const source = await EvidenceSource.open(db, { readOnly: true });
  const endpoint = await startEndpoint({
    backend: evidenceBackend(source),
    accounts,
    trails: trails ? (JSON.parse(readFileSync(trails, 'utf8')) as EndpointTrail[]) : await demoTrails(source),
    faults: faults ? (JSON.parse(faults) as Partial<FaultConfig>) : {},
    syntheticLogGroups: Number(optionValue(args, 'synthetic-log-groups') ?? 0),
    host: optionValue(args, 'host'),
    port: Number(optionValue(args, 'port') ?? 4599),
  });
  process.stdout.write(`trailscope endpoint serving ${db} at ${endpoint.url}\n`);
  process.stdout.write(`try: AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo trailscope lookup --endpoint-url ${endpoint.url} --region us-east-1\n`);
  const stop = (): void => {
    void endpoint.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError;
  process.stderr.write(`trailscope endpoint: ${error instanceof Error ? error.message : String(error)}\n${usage ? `\n${endpointHelp()}` : ''}`);
  process.exitCode = usage ? 2 : 1;
});
