import { optionValue, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { formatOption, json, outputFormat, type OutputFormat } from '../output-options';
import { openSource, SOURCE_OPTIONS } from '../source-options';
import type { LogGroupInfo, LogKind } from '../../sources/source';
import { formatCsv, formatTable, type Rows } from '../../core/format/table';

const FORMATS: OutputFormat[] = ['json', 'table', 'csv'];
const KINDS: LogKind[] = ['cloudtrail', 'vpc-flow', 'lambda', 'eventbridge', 'other'];

function groupRows(groups: LogGroupInfo[]): Rows {
  const number = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));
  return {
    columns: ['Name', 'Kind', 'Region', 'Account', 'StoredBytes', 'Records'],
    rows: groups.map((g) => [g.name, g.kind, g.region, g.accountId, number(g.storedBytes), number(g.records)]),
  };
}

export const logGroupsCommand: CliCommand = {
  name: 'log-groups',
  summary: 'list log groups (live, or those an evidence store holds), classified by kind',
  usage: '(--db FILE | [--profile P] [--region R[,R...]] [--endpoint-url URL]) [--kind K] [--format json|table|csv]',
  details: 'eventbridge covers GuardDuty findings and other EventBridge events. JSON output is {"LogGroups": [...]}.',
  options: [...SOURCE_OPTIONS, { name: 'kind', value: KINDS.join('|'), description: 'only groups of this kind' }, formatOption(FORMATS, 'table')],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const format = outputFormat(args, FORMATS, 'table');
    const kind = optionValue(args, 'kind');
    if (kind !== undefined && !(KINDS as string[]).includes(kind)) throw new UsageError(`--kind is one of ${KINDS.join(', ')}, got '${kind}'`);
    const source = await openSource(args);
    try {
      const groups = (await source.logGroups()).filter((g) => kind === undefined || g.kind === kind);
      if (format === 'json') io.out(json({ LogGroups: groups }));
      else io.out((format === 'csv' ? formatCsv : formatTable)(groupRows(groups)));
      return 0;
    } finally {
      source.close?.();
    }
  },
};
