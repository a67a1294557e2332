import { basename, dirname, resolve } from 'node:path';
import { optionValue, optionValues, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { openLiveSource } from '../live-options';
import { countOption, refuseOverwrite } from '../output-options';
import { escapeControl } from '../../core/format/table';
import { openEvidence, openSource, SOURCE_OPTIONS, TIME_RANGE_OPTIONS, type OpenedSource } from '../source-options';
import { describeQueryError } from './insights';
import { InsightsQueryError } from '../../core/insights';
import { keptOutput, readNotebook, SAVED_ROWS, serializeNotebook, type InvestigationNotebook, type NotebookCellEntry } from '../../core/notebook/notebook-file';
import { cellQuery, readPlace, storedPlace, type CellPlace } from '../../core/notebook/place';
import { LookupParseError, parseTime } from '../../core/lookup/parse';
import { describeRange } from '../../core/lookup/request';
import { notebookReport } from '../../core/notebook/report';
import { failedRerunNote, runCellQuery } from '../../core/notebook/run-cell';
import { resultSize } from '../../core/result-file';
import type { Target } from '../../core/target';
import { LiveSource } from '../../sources/aws/live-source';
import { MultiAccountSource } from '../../sources/aws/multi-account';
import { readInputText } from '../input-file';
import { writeWholeFile } from '../../core/whole-file';

/**
 * `trailscope notebook`: runs an investigation notebook's query cells without the editor, each where it
 * says it runs (or all of them over the store or account given), through the kernel's own code: the
 * same questions asked again of today's evidence, or on a schedule.
 */
export const notebookCommand: CliCommand = {
  name: 'notebook',
  takesArguments: true,
  summary: "run an investigation notebook's lookups and Insights queries, and keep their answers",
  usage: '<file.trailscope-notebook> [--cell N]... [--db FILE | --profile P [--region R]] [--endpoint-url URL] [--start T] [--end T] [--max N] [--in-place | --out FILE] [--saved-rows N] [--report FILE] [--no-run]',
  details: [
    'Runs the query cells of a notebook kept by the editor (Trailscope: New Investigation Notebook), one after',
    'another, or only the cells numbered with --cell (counted from 1, Markdown cells included, as the editor',
    'counts them). Each cell runs where the notebook says it runs; with --db, or --profile/--region, every cell',
    'runs there instead, over its own log groups. --start and --end replace every cell\'s time range (`24h`,',
    '`now`: a hunt run every morning over the last day); the answer\'s note then says what was asked instead',
    'of what the cell says. --endpoint-url sends every AWS request of the run to that endpoint. One line per',
    'cell says what came back or why it failed. --in-place writes the answers into the notebook and --out into',
    'a copy (its stores found from where the copy is), each new answer cut to its first rows (--saved-rows, with',
    'a note in the cell; the cells that did not run as the file has them); without either, the notebook is left',
    'as it is. --report writes the notebook with its answers as a Markdown report (log values in code spans);',
    '--no-run reports the saved answers without running anything. Exits 1 when a cell failed.',
  ].join('\n'),
  options: [
    { name: 'cell', value: 'N', description: 'run only this cell', repeatable: true },
    ...SOURCE_OPTIONS,
    ...TIME_RANGE_OPTIONS,
    { name: 'max', value: 'N', description: 'the most events a lookup cell keeps (default 10000)' },
    { name: 'in-place', description: 'write the answers into the notebook' },
    { name: 'out', value: 'FILE', description: 'write the notebook with its answers to FILE' },
    { name: 'saved-rows', value: 'N', description: `the most rows of each new answer the written notebook keeps (default ${SAVED_ROWS.toLocaleString('en-US')}; 0 keeps all)` },
    { name: 'report', value: 'FILE', description: 'write the notebook and its answers as a Markdown report' },
    { name: 'no-run', description: 'run nothing: only write the report or copy of the saved answers' },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.positionals.length !== 1) throw new UsageError('give exactly one notebook file');
    const path = args.positionals[0]!;
    const folder = dirname(resolve(path));
    const out = optionValue(args, 'out');
    const inPlace = args.flags.has('in-place');
    if (out !== undefined && inPlace) throw new UsageError('write the answers either --in-place or to --out FILE, not both');
    const report = optionValue(args, 'report');
    const max = countOption(args, 'max', 10_000);
    const savedRows = countOption(args, 'saved-rows', SAVED_ROWS, 0);
    const { notebook, problems } = readNotebook(readInputText(path), path);
    // Any evidence store is refused too, the ones the cells read among them.
    if (out !== undefined) refuseOverwrite('out', out, []);
    if (report !== undefined) refuseOverwrite('report', report, [{ path, what: 'the notebook itself' }, { path: out, what: 'where --out writes the notebook' }]);
    for (const problem of problems) io.err(`trailscope notebook: cannot read a saved answer (${problem}); it is kept as it is until its cell runs\n`);
    const cells = args.flags.has('no-run') ? [] : chosenCells(notebook.cells, optionValues(args, 'cell'));
    const range = rangeOptions(args);
    const sources = new SourcesOf(args);
    let failed = 0;
    // The cells given a new answer: only those are cut to --saved-rows when the notebook is written.
    const answered = new Set<number>();
    try {
      for (const index of cells) {
        const cell = notebook.cells[index]!;
        const ranAt = new Date().toISOString();
        const label = `cell ${index + 1} (${cell.kind}) ${firstLine(cell.source)}`;
        try {
          const own = cell.place === undefined ? undefined : readPlace(cell.place, folder);
          const place: CellPlace = own ? { ...own, ...range } : sources.placeFor(range);
          if (own && Date.parse(place.start) > Date.parse(place.end)) {
            throw new Error(range.start ? `--start ${place.start} is after the cell's own end, ${own.end}: give --end too` : `--end ${place.end} is before the cell's own start, ${own.start}: give --start too`);
          }
          const spec = cellQuery(cell.kind as 'lookup' | 'insights', cell.source, place);
          const source = await sources.for(spec.target);
          const run = await runCellQuery(source, spec, { max });
          const asked = own ? askedInstead(own, place, sources.label) : `Asked of ${sources.label} over ${describeRange(place)} (trailscope notebook's options): the cell does not say where it runs.`;
          const note = [asked, run.note].filter(Boolean).join(' ');
          cell.output = { ranAt, ...(note ? { note } : {}), asked: { source: cell.source, place: storedPlace(sources.askedOf(place, source), folder) }, result: run.payload };
          delete cell.unreadableOutput;
          answered.add(index);
          io.out(`${label}: ${resultSize(run.payload)}\n${note ? `  note: ${escapeControl(note)}\n` : ''}`);
        } catch (error) {
          failed++;
          const message = error instanceof InsightsQueryError ? describeQueryError(error).trimEnd() : error instanceof Error ? error.message : String(error);
          // The message quotes the cell's text: shown escaped as its label is (the file keeps it as it is).
          const shown = error instanceof InsightsQueryError ? describeQueryError(escapedQueryError(error)).trimEnd() : escapeControl(message);
          const previous = cell.output;
          let kept = '';
          if (previous && 'result' in previous) {
            cell.output = { ...previous, note: failedRerunNote(ranAt, message, previous) };
            kept = ` (its answer of ${previous.ranAt} is kept)`;
          } else if (cell.unreadableOutput) {
            // A failed run is no reason to lose an answer the file holds; one that cannot be read cannot take a note either.
            kept = ' (its saved answer, which could not be read, is kept as it is)';
          } else cell.output = { ranAt, error: message };
          io.out(`${label}: failed: ${shown}${kept}\n`);
        }
      }
    } finally {
      sources.close();
    }
    const written = inPlace ? path : out;
    if (written !== undefined) {
      // Only the new answers are cut (so the rest is written whole, 0): a cell that did not run is written
      // back as the file has it, and one whose run failed keeps its answer whole, as the file has its rows.
      const cut = { ...notebook, cells: notebook.cells.map((cell, i) => (answered.has(i) && cell.output ? { ...cell, output: keptOutput(cell.output, savedRows) } : cell)) };
      await writeWholeFile(written, serializeNotebook(placesFrom(cut, folder, dirname(resolve(written))), 0));
      io.err(`wrote ${written}\n`);
    }
    if (report !== undefined) {
      await writeWholeFile(report, notebookReport(notebook, basename(path), folder, new Date()));
      io.err(`wrote ${report}\n`);
    }
    return failed > 0 ? 1 : 0;
  },
};

/**
 * The notebook as a file in folder `to` keeps it, read from folder `from`: each place it can read stored
 * against `to`, so a store given relative to the notebook is still found from the copy.
 */
function placesFrom(notebook: InvestigationNotebook, from: string, to: string): InvestigationNotebook {
  if (from === to) return notebook;
  const moved = (place: unknown): unknown => {
    try {
      return storedPlace(readPlace(place, from), to);
    } catch {
      return place;
    }
  };
  const cells = notebook.cells.map((cell) => {
    const output = cell.output?.asked?.place === undefined ? cell.output : { ...cell.output, asked: { ...cell.output.asked, place: moved(cell.output.asked.place) } };
    return { ...cell, ...(cell.place === undefined ? {} : { place: moved(cell.place) }), ...(output ? { output } : {}) };
  });
  return { ...notebook, cells };
}

/**
 * A query error as a status line shows it: the query's lines escaped as a cell's label is, the place
 * moved to where it falls in them so the caret stays under it, and the message keeping the cell's own
 * line and column.
 */
function escapedQueryError(error: InsightsQueryError): InsightsQueryError {
  const escaped = (text: string): string => text.split('\n').map(escapeControl).join('\n');
  const at = (offset: number): number => escaped(error.query.slice(0, offset)).length;
  const shown = new InsightsQueryError(error.kind, error.detail, { startCharOffset: at(error.location.startCharOffset), endCharOffset: at(error.location.endCharOffset) }, escaped(error.query));
  shown.message = escapeControl(error.message);
  return shown;
}

/** What the options asked in place of what the cell's place says, for the answer's note. */
function askedInstead(own: CellPlace, asked: CellPlace, source: string | undefined): string | undefined {
  const parts = [...(source ? [`of ${source}`] : []), ...(asked.start !== own.start || asked.end !== own.end ? [`over ${describeRange(asked)}`] : [])];
  return parts.length > 0 ? `Asked ${parts.join(' ')} (trailscope notebook's options), not where and when the cell's place says.` : undefined;
}


/** The indexes of the cells to run: those numbered, each a query cell, or every query cell. */
function chosenCells(cells: NotebookCellEntry[], numbers: string[]): number[] {
  if (numbers.length === 0) return cells.flatMap((cell, i) => (cell.kind === 'markdown' ? [] : [i]));
  return numbers.map((text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > cells.length) throw new UsageError(`--cell is a cell number from 1 to ${cells.length}, got '${text}'`);
    if (cells[n - 1]!.kind === 'markdown') throw new UsageError(`cell ${n} is a Markdown cell; it has nothing to run`);
    return n - 1;
  });
}

/** The range the options give in place of every cell's own: each bound on its own, checked as `lookup` checks it. */
function rangeOptions(args: ParsedArgs): Partial<Pick<CellPlace, 'start' | 'end'>> {
  const now = new Date();
  try {
    const [start, end] = ['start', 'end'].map((name) => {
      const text = optionValue(args, name);
      return text === undefined ? undefined : parseTime(text, now, name as 'start' | 'end');
    });
    if (start && end && start > end) throw new LookupParseError('--start is after --end');
    return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
  } catch (error) {
    if (error instanceof LookupParseError) throw new UsageError(error.message);
    throw error;
  }
}

/** A cell's first line for its status line, control characters escaped: a shared notebook may hold any text. */
function firstLine(source: string): string {
  const line = escapeControl(source.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * The sources the cells run on: the one the options name, for every cell; or, per cell, the store or
 * account its place names, each opened once (a live one as `--profile P --region R` would open it).
 */
class SourcesOf {
  private readonly opened = new Map<string, Promise<OpenedSource>>();
  private readonly overridden: boolean;
  /** The store or account the options name in place of every cell's own; undefined when they name none. */
  readonly label: string | undefined;

  constructor(private readonly args: ParsedArgs) {
    this.overridden = args.options.has('db') || ['profile', 'region'].some((o) => args.options.has(o));
    const db = optionValue(args, 'db');
    const [profile, region] = ['profile', 'region'].map((o) => optionValue(args, o));
    this.label = !this.overridden ? undefined : db !== undefined ? basename(db) : [profile ?? 'the default credentials', region].filter(Boolean).join(' · ');
  }

  /**
   * Where a cell that does not say where it runs runs: the store or account the options name, over the
   * range they give (the source is the options' own, so the target only labels the answer).
   */
  placeFor(range: Partial<Pick<CellPlace, 'start' | 'end'>>): CellPlace {
    if (!this.overridden || range.start === undefined || range.end === undefined) {
      throw new Error('it does not say where it runs: choose that in the editor, or give --db FILE (or --profile P) with --start and --end');
    }
    return { target: this.optionsTarget(), logGroups: [], start: range.start, end: range.end };
  }

  /**
   * Where a cell's query was really asked: its place, or the store or account the options opened, as the
   * source resolved them (the environment's credentials, the profile's own regions).
   */
  askedOf(place: CellPlace, source: OpenedSource): CellPlace {
    if (!this.overridden) return place;
    const db = optionValue(this.args, 'db');
    if (db !== undefined) return { ...place, target: { kind: 'evidence', path: resolve(db) } };
    const accounts = source instanceof MultiAccountSource ? source.sources : source instanceof LiveSource ? [source] : [];
    if (accounts.length === 0) return place;
    const regions = [...new Set(accounts.flatMap((a) => a.regions))];
    return { ...place, target: { kind: 'live', profile: accounts.map((a) => a.label).join(','), regions } };
  }

  private optionsTarget(): Target {
    const db = optionValue(this.args, 'db');
    const [profile, region] = ['profile', 'region'].map((o) => optionValue(this.args, o));
    return db !== undefined ? { kind: 'evidence', path: resolve(db) } : { kind: 'live', profile: profile ?? 'default', regions: region?.split(',').map((r) => r.trim()) ?? [] };
  }

  for(target: Target): Promise<OpenedSource> {
    const key = this.overridden ? 'options' : JSON.stringify(target);
    let source = this.opened.get(key);
    if (!source) {
      source = this.overridden ? openSource(this.args) : this.open(target);
      this.opened.set(key, source);
    }
    return source;
  }

  private open(target: Target): Promise<OpenedSource> {
    if (target.kind === 'evidence') return openEvidence(target.path);
    const endpoint = optionValue(this.args, 'endpoint-url');
    const options = new Map([['profile', [target.profile]], ['region', [target.regions.join(',')]], ...(endpoint ? [['endpoint-url', [endpoint]] as [string, string[]]] : [])]);
    return openLiveSource({ positionals: [], options, flags: new Set<string>() });
  }

  close(): void {
    for (const source of this.opened.values()) void source.then((s) => s.close?.(), () => undefined);
  }
}
