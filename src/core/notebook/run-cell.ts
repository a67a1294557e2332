import type { QuerySpec } from '../case/case-file';
import { NewestEvents, type LookupEvent } from '../cloudtrail/event';
import type { ResultPayload } from '../results';
import type { TrailSource } from '../../sources/source';

/**
 * Runs a query cell's lookup or query through a source, for the editor's kernel and `trailscope
 * notebook` alike: what it returned, and a note the responder should read beside it (the 90-day limit
 * of live event history). An Insights query that does not complete is a failure, with the service's
 * message.
 */
export interface CellRun {
  payload: ResultPayload;
  note?: string;
}

export interface CellRunOptions {
  /** The most events a lookup returns (newest first). */
  max: number;
  signal?: AbortSignal;
  /**
   * What has come back so far, as it arrives: each page of a lookup (the events found so far, newest
   * first and at most `max`, as the whole answer would have them: pages of several regions interleave)
   * or each poll of an Insights query (its rows so far).
   */
  onPartial?: (payload: ResultPayload) => void;
}

export async function runCellQuery(source: TrailSource, spec: QuerySpec, options: CellRunOptions): Promise<CellRun> {
  const { signal, onPartial } = options;
  if (spec.kind === 'lookup') {
    const max = spec.request.max ?? options.max;
    const gathered = new NewestEvents(max);
    const onPage = onPartial && ((page: LookupEvent[]) => onPartial({ kind: 'events', result: { Events: gathered.add(page) } }));
    // One more than the limit tells whether the answer was cut, which a responder counting events must know.
    const events = await source.lookupEvents({ ...spec.request, max: max + 1 }, { signal, ...(onPage ? { onPage } : {}) });
    const cut = events.length > max ? `The newest ${max.toLocaleString('en-US')} events are shown and more match: narrow the range or raise the limit` : undefined;
    const note = [source.lookupLimit?.(spec.request), cut].filter(Boolean).map((sentence) => `${sentence}.`).join(' ');
    return { payload: { kind: 'events', result: { Events: events.slice(0, max) } }, ...(note ? { note } : {}) };
  }
  const { query, logGroups, start, end } = spec;
  const result = await source.runInsights({ query, logGroups, start, end }, { signal, onProgress: (p) => onPartial?.({ kind: 'insights', result: p }) });
  if (result.status !== 'Complete') throw new Error(result.message ?? `the query ended with status ${result.status}`);
  return { payload: { kind: 'insights', result }, ...(result.warnings ? { note: result.warnings.map((w) => `${w[0]!.toUpperCase()}${w.slice(1)}.`).join(' ') } : {}) };
}

const FAILED_RERUN = /^The run of \S+ failed: [\s\S]*? \(the answer shown is from \S+\)\.(?: |$)/;

/**
 * The note of a cell whose run failed while it held an answer: the answer is kept (a failed re-run, a
 * store moved or a profile expired, must not cost the record of what was seen), and the note says the
 * run failed and when the answer is from. An earlier failure's sentence is replaced, not repeated.
 */
export function failedRerunNote(ranAt: string, error: string, answer: { ranAt: string; note?: string }): string {
  const earlier = answer.note?.replace(FAILED_RERUN, '');
  return `The run of ${ranAt} failed: ${error} (the answer shown is from ${answer.ranAt}).${earlier ? ` ${earlier}` : ''}`;
}
