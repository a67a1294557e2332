import { optionValue, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { formatOption, json, outputFormat } from '../output-options';
import { EvidenceStore } from '../../sources/evidence/store';
import { derivingAgainText, ingestPaths, type IngestProgress, type IngestReport } from '../../sources/evidence/ingest';
import { escapeControl } from '../../core/format/table';

const FORMATS = ['text', 'json'] as const;

/** The shell's exit status for a run stopped by Ctrl-C (128 + SIGINT). */
const INTERRUPTED = 130;

function textReport(report: IngestReport, alreadyIngested: number, cancelled: boolean, rederived: number): string {
  const r = report.records;
  const lines = [
    ...(cancelled ? ['cancelled: the files read before Ctrl-C are in the store, whole; run again to ingest the rest'] : []),
    ...(rederived > 0 ? [`${rederived} event(s) already in the store derived again with this version's rules (Resources, sessions, minted keys)`] : []),
    `ingested ${report.files} file(s): ${r.cloudtrail} CloudTrail event(s), ${r.flow} flow record(s), ${r.logs} log event(s)`,
    `${report.duplicates} duplicate record(s) not stored again${alreadyIngested > 0 ? ` (${alreadyIngested} file(s) already in the store)` : ''}`,
  ];
  if (report.logGroups.length > 0) lines.push(`log groups: ${report.logGroups.map(escapeControl).join(', ')}`);
  if (report.skipped.length > 0) {
    lines.push(`skipped ${report.skipped.length}:`);
    for (const s of report.skipped) lines.push(`  ${escapeControl(s.file)}: ${escapeControl(s.reason)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Ctrl-C stops reading files; the files read so far are still written and reported (a large file still
 * being read is rolled back). A second Ctrl-C stops the process at once (DuckDB then keeps the batches
 * already committed).
 */
function cancelOnInterrupt(io: CliIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    io.err('\ntrailscope: cancelling; the files read so far are kept (Ctrl-C again to stop at once)\n');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onInterrupt) };
}

/** One self-overwriting progress line on a terminal, at most four times a second. */
function progressLine(status: (text: string) => void): (progress: IngestProgress) => void {
  let last = 0;
  return ({ filesDone, filesTotal, records, indexing, derivingAgain }) => {
    const now = Date.now();
    if (now - last < 250 && filesDone < filesTotal && !indexing && !derivingAgain) return;
    last = now;
    if (derivingAgain) return status(derivingAgainText(derivingAgain));
    const files = `${filesDone.toLocaleString('en-US')}/${filesTotal.toLocaleString('en-US')} files`;
    status(`${files}, ${records.toLocaleString('en-US')} records${indexing ? ', indexing for lookups and pivots' : ''}`);
  };
}

export const ingestCommand: CliCommand = {
  name: 'ingest',
  takesArguments: true,
  summary: 'ingest CloudTrail, VPC flow log and CloudWatch Logs files into an evidence store',
  usage: '<path>... --db FILE [--log-group NAME] [--format text|json]',
  details: [
    'Paths may be files, folders (read recursively) or .zip archives. Understood: CloudTrail S3 log files',
    '(.json/.json.gz, any layout), JSON arrays and JSON Lines of records, CloudTrail events in EventBridge\'s',
    'envelope, `aws cloudtrail lookup-events` output, VPC flow logs (plain or .gz, default or custom format',
    'with header), CloudWatch Logs export objects, `aws logs filter-log-events` output and subscription',
    'messages as Firehose writes them. A CloudTrail log group\'s records are also events of the trail\'s',
    'group cloudtrail/<account>; a flow log group\'s become flow records. Files already in the store add nothing.',
    'On a terminal, progress is shown on stderr. Ctrl-C stops reading and keeps the files read so far, whole',
    '(a large file still being read is left out).',
    'Exit status: 0 when at least one file was ingested (or was already there), 2 when none was, 130 when',
    'cancelled with Ctrl-C.',
  ].join('\n'),
  options: [
    { name: 'db', value: 'FILE', description: 'evidence store to create or add to' },
    { name: 'log-group', value: 'NAME', description: 'log group for what the files hold (default: from the file layout; a CloudTrail log group\'s records are also events of cloudtrail/<account>)' },
    formatOption([...FORMATS], 'text'),
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const db = optionValue(args, 'db');
    if (!db) throw new UsageError('--db FILE is required');
    if (args.positionals.length === 0) throw new UsageError('give at least one file or folder to ingest');
    const format = outputFormat(args, [...FORMATS], 'text');
    const store = await EvidenceStore.open(db);
    const cancel = cancelOnInterrupt(io);
    try {
      const { alreadyIngested, cancelled, rederived, ...report } = await ingestPaths(store, args.positionals, {
        logGroup: optionValue(args, 'log-group'),
        signal: cancel.signal,
        ...(io.status ? { onProgress: progressLine(io.status) } : {}),
      }).finally(() => io.status?.(''));
      io.out(format === 'json' ? json(report) : textReport(report, alreadyIngested, cancelled, rederived));
      if (cancelled) return INTERRUPTED;
      return report.files > 0 || alreadyIngested > 0 ? 0 : 2;
    } finally {
      cancel.dispose();
      store.close();
    }
  },
};
