import { dirname, resolve } from 'node:path';
import { optionValue, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { refuseOverwrite } from '../output-options';
import { readCase } from '../../core/case/case-file';
import { caseTimeline } from '../../core/case/timeline';
import { writeWholeFile } from '../../core/whole-file';
import { readInputText } from '../input-file';

/** `trailscope timeline`: an investigation case (the editor's case file) as a Markdown report. */
export const timelineCommand: CliCommand = {
  name: 'timeline',
  takesArguments: true,
  summary: "write an investigation case's pinned events and saved queries as a Markdown report",
  usage: '<case.trailscope-case.json> [--out FILE]',
  details:
    'Reads a case file kept by the editor (Trailscope: New Investigation Case…) and prints its findings in the\n' +
    'order they happened, with notes and where each was found, then its saved queries. Log values are written\n' +
    'as code spans, so nothing in them becomes a link or markup where the report is rendered. Entries of the\n' +
    'file that are not valid are named on standard error and left out; the rest is reported.',
  options: [{ name: 'out', value: 'FILE', description: 'write the report to FILE instead of standard output' }],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.positionals.length !== 1) throw new UsageError('give exactly one case file');
    const path = args.positionals[0]!;
    const { case: investigation, problems } = readCase(readInputText(path), path, dirname(resolve(path)));
    for (const problem of problems) io.err(`trailscope timeline: left out: ${problem}\n`);
    const report = caseTimeline(investigation, new Date());
    const out = optionValue(args, 'out');
    if (out !== undefined) refuseOverwrite('out', out, [{ path, what: 'the case file itself' }]);
    if (out) {
      await writeWholeFile(out, report);
      io.out(`wrote ${out}\n`);
    } else io.out(report);
    return 0;
  },
};
