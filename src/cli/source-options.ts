import { existsSync } from 'node:fs';
import { optionValue, UsageError, type OptionSpec, type ParsedArgs } from './args';
import type { TrailSource } from '../sources/source';
import { EvidenceSource } from '../sources/evidence/source';
import { DEFAULT_CREDENTIALS, openLiveSource, LIVE_OPTIONS, wantsLive } from './live-options';

/**
 * Where a command reads from: an evidence store (`--db`) or, with the live options, an AWS profile.
 * Every reading command takes these options and gets a TrailSource, so no command knows which it holds.
 */
export const EVIDENCE_OPTIONS: OptionSpec[] = [{ name: 'db', value: 'FILE', description: 'evidence store (.duckdb) created by `trailscope ingest`' }];

/**
 * A command that reads either an evidence store or AWS reads AWS only when told to, by a live option:
 * a responder who forgot `--db` must not get answers from whatever account the environment's
 * credentials belong to. `--region` or `--endpoint-url` alone uses the SDK's default credentials.
 */
export const SOURCE_OPTIONS: OptionSpec[] = [
  ...EVIDENCE_OPTIONS,
  ...LIVE_OPTIONS.map((o) =>
    o.name === 'profile' ? { ...o, description: `AWS profiles to read live (with only --region or --endpoint-url: ${DEFAULT_CREDENTIALS})` } : o,
  ),
];

/** The inclusive time range every query command takes. */
export const TIME_RANGE_OPTIONS: OptionSpec[] = [
  { name: 'start', value: 'TIME', description: 'earliest event time (inclusive)' },
  { name: 'end', value: 'TIME', description: 'latest event time (inclusive)' },
];

/** A source the command must close when done (the evidence store holds a file lock). */
export type OpenedSource = TrailSource & { close?: () => void };

export async function openEvidence(path: string): Promise<EvidenceSource> {
  if (!existsSync(path)) throw new UsageError(`no evidence store at ${path} (create one with \`trailscope ingest <path>... --db ${path}\`)`);
  return EvidenceSource.open(path, { readOnly: true });
}

export async function openSource(args: ParsedArgs): Promise<OpenedSource> {
  const db = optionValue(args, 'db');
  if (db !== undefined && wantsLive(args)) throw new UsageError('read either an evidence store (--db) or AWS (--profile/--region/--endpoint-url), not both');
  if (db !== undefined) return openEvidence(db);
  if (wantsLive(args)) return openLiveSource(args);
  throw new UsageError(
    'say where to read: --db FILE (an evidence store), or --profile P and/or --region R (or --endpoint-url URL) for AWS, which is not read without one of them, even with credentials in the environment',
  );
}
