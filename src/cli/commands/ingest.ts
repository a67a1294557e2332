import { optionValue, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { formatOption, json, outputFormat } from '../output-options';
import { EvidenceStore } from '../../sources/evidence/store';
import { ingestPaths, type IngestReport } from '../../sources/evidence/ingest';
import { escapeControl } from '../../core/format/table';

const FORMATS = ['text', 'json'] as const;

function textReport(report: IngestReport, alreadyIngested: number): string {
  const r = report.records;
  const lines = [
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

export const ingestCommand: CliCommand = {
  name: 'ingest',
  summary: 'ingest CloudTrail, VPC flow log and CloudWatch Logs files into an evidence store',
  usage: '<path>... --db FILE [--log-group NAME] [--format text|json]',
  details: [
    'Paths may be files, folders (read recursively) or .zip archives. Understood: CloudTrail S3 log files',
    '(.json/.json.gz, any layout), JSON arrays and JSON Lines of records, `aws cloudtrail lookup-events`',
    'output, VPC flow logs (plain or .gz, default or custom format with header), CloudWatch Logs export',
    'objects and `aws logs filter-log-events` output. Files already in the store add nothing.',
    'Exit status: 0 when at least one file was ingested (or was already there), 2 when none was.',
  ].join('\n'),
  options: [
    { name: 'db', value: 'FILE', description: 'evidence store to create or add to' },
    { name: 'log-group', value: 'NAME', description: 'log group for everything ingested (default: from the file layout)' },
    formatOption([...FORMATS], 'text'),
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const db = optionValue(args, 'db');
    if (!db) throw new UsageError('--db FILE is required');
    if (args.positionals.length === 0) throw new UsageError('give at least one file or folder to ingest');
    const format = outputFormat(args, [...FORMATS], 'text');
    const store = await EvidenceStore.open(db);
    try {
      const { alreadyIngested, ...report } = await ingestPaths(store, args.positionals, { logGroup: optionValue(args, 'log-group') });
      io.out(format === 'json' ? json(report) : textReport(report, alreadyIngested));
      return report.files > 0 || alreadyIngested > 0 ? 0 : 2;
    } finally {
      store.close();
    }
  },
};
