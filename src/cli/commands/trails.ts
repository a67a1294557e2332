import type { ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { formatOption, json, outputFormat, type OutputFormat } from '../output-options';
import { DEFAULT_CREDENTIALS, LIVE_OPTIONS, openLiveSource } from '../live-options';
import type { TrailInfo } from '../../sources/aws/trails';
import { formatCsv, formatTable, type Rows } from '../../core/format/table';

const FORMATS: OutputFormat[] = ['json', 'table', 'csv'];

function trailRows(trails: TrailInfo[]): Rows {
  const yesNo = (value: boolean | undefined): string => (value === undefined ? '?' : value ? 'yes' : 'no');
  return {
    columns: ['Name', 'HomeRegion', 'MultiRegion', 'Organization', 'Logging', 'Validation', 'CloudWatchLogs', 'Health'],
    rows: trails.map((t) => [
      t.name,
      t.homeRegion,
      yesNo(t.multiRegion),
      yesNo(t.organization),
      yesNo(t.isLogging),
      yesNo(t.logFileValidation),
      t.cloudWatchLogsLogGroupArn ?? '-',
      t.health.map((h) => h.flag).join(' ') || 'ok',
    ]),
  };
}

export const trailsCommand: CliCommand = {
  name: 'trails',
  summary: 'list the CloudTrail trails of an AWS account, each once, with health flags',
  usage: '[--profile P] [--region R[,R...]] [--endpoint-url URL] [--format json|table|csv]',
  details: [
    'Health flags: logging-stopped, not-multi-region, log-file-validation-off, no-cloudwatch-logs,',
    'duplicate-global-events (a second trail recording IAM/STS/CloudFront events again).',
    'JSON output is {"Trails": [...]} with every flag and its explanation.',
    `Trails are read from AWS only. Without --profile, the account is that of ${DEFAULT_CREDENTIALS}.`,
  ].join('\n'),
  options: [...LIVE_OPTIONS, formatOption(FORMATS, 'table')],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const format = outputFormat(args, FORMATS, 'table');
    const source = await openLiveSource(args);
    try {
      const trails = await source.trails();
      if (format === 'json') io.out(json({ Trails: trails }));
      else io.out((format === 'csv' ? formatCsv : formatTable)(trailRows(trails)));
      return 0;
    } finally {
      source.close?.();
    }
  },
};
