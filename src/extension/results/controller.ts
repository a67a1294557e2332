import type { LookupEvent } from '../../core/cloudtrail/event';
import type { InsightsResult, PivotName, PivotResult, RelatedResult, ResultField, ResultPayload } from '../../core/results';
import type { QuerySpec } from '../../core/case/case-file';
import type { Target } from '../../core/target';
import type { TrailSource } from '../../sources/source';
import { validateAppMessage, type AppMessage, type ExportFormat, type HostMessage, type RelatedLink } from '../../webview/protocol';
import { exportView } from '../../webview/table';
import { QueryNotStoppedError } from '../../sources/query-not-stopped';
import { readableJson } from '../../core/format/json-as-written';

/**
 * The host side of one results panel, without VS Code: it holds the result the app shows, streams
 * pages and polls to it, and acts on the app's messages. Every message is checked with
 * validateAppMessage first and anything it rejects is dropped, because the page that sends them renders
 * attacker-controlled log data. Effects (clipboard, save dialog, documents, new panels) go through
 * `PanelEffects`, so tests can show that an invalid message causes none of them.
 */
export interface PanelEffects {
  post(message: HostMessage): void;
  copy(text: string): Promise<void>;
  openJsonDocument(content: string): Promise<void>;
  /** Asks where to save and writes the file; resolves the path, or undefined when the user cancelled. */
  save(format: ExportFormat, content: string, suggestedName: string): Promise<string | undefined>;
  /** Counts every pivot of the event (cheap); the events behind a pivot are fetched when it is followed. */
  related(source: TrailSource, event: LookupEvent, signal: AbortSignal): Promise<RelatedResult>;
  /** Opens a new results panel for one pivot of an event, reading where this panel read. */
  followPivot(origin: ResultDescription, event: LookupEvent, pivot: PivotName, value: string): void;
}

/** Where an events job puts what it finds (pages that follow the events so far, or all of them anew) and how far it is. */
export interface EventsSink {
  page(events: LookupEvent[]): void;
  replace(events: LookupEvent[]): void;
  progress(message: string, pages?: number): void;
  /** A sentence to show with the finished result (the answer was cut at the panel's limit). */
  note(message: string): void;
}

/** How a result is produced; `run` streams into the controller and resolves when the result is complete. */
export type ResultJob =
  | { kind: 'events'; run: (sink: EventsSink, signal: AbortSignal) => Promise<void> }
  | { kind: 'insights'; run: (sink: { poll(partial: InsightsResult): void }, signal: AbortSignal) => Promise<InsightsResult> }
  | { kind: 'related'; run: (signal: AbortSignal) => Promise<RelatedResult> };

/** A result already at hand (a saved file, a notebook output), shown as the panel would show it arriving. */
export function replayJob(payload: ResultPayload): ResultJob {
  switch (payload.kind) {
    case 'events':
      return { kind: 'events', run: async (sink) => sink.page(payload.result.Events) };
    case 'insights':
      return { kind: 'insights', run: async () => payload.result };
    case 'related':
      return { kind: 'related', run: async () => payload.result };
  }
}

export interface ResultDescription {
  title: string;
  query?: string;
  source: TrailSource;
  /** What the source reads: where an event pinned from this panel was found. */
  target: Target;
  /** How to run the result again, for "Save Query to Case" (lookups and Insights queries). */
  spec?: QuerySpec;
  openEventId?: string;
}

const EMPTY_STATS = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };

export class ResultController {
  private payload: ResultPayload;
  private running = false;
  private ready = false;
  private closed = false;
  /** Cancels the job (the app's Cancel); `panel` also ends what the panel asks later (related counts). */
  private readonly job = new AbortController();
  private readonly panel = new AbortController();
  private readonly relatedByEvent = new Map<string, Promise<PivotResult[]>>();
  /** The pivots being counted, of the event last opened. */
  private counting?: { eventId: string; abort: AbortController };
  /** The event open in the app's event view: what "Show Related Events" and "Pin Event to Case" act on. */
  selectedEventId: string | undefined;
  /** In an Insights panel, the row open there, as it was when opened (later polls may reorder the rows). */
  selectedRow: ResultField[] | undefined;
  /** Counts the row sets sent to the app, so that an `openRow` of rows since replaced is not misread. */
  private rowsVersion = 0;
  /** The panel's last error, shown again when the app reloads. */
  private failure: string | undefined;

  constructor(
    readonly description: ResultDescription,
    private readonly effects: PanelEffects,
    kind: ResultJob['kind'],
  ) {
    this.payload = emptyPayload(kind);
  }

  get result(): ResultPayload {
    return this.payload;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Runs the job, streaming to the app; resolves when done, failed or cancelled (never rejects). */
  async start(job: ResultJob): Promise<void> {
    this.running = true;
    const signal = this.job.signal;
    try {
      if (job.kind === 'events') {
        let note: string | undefined;
        await job.run(
          {
            note: (message) => (note = message),
            page: (events) => {
              if (this.payload.kind !== 'events') return;
              for (const event of events) this.payload.result.Events.push(event);
              this.send({ type: 'appendEvents', events });
            },
            replace: (events) => {
              if (this.payload.kind !== 'events') return;
              this.payload.result.Events = [...events];
              this.send({ type: 'appendEvents', events, replace: true });
            },
            progress: (message, pages) => this.send({ type: 'progress', message, ...(pages === undefined ? {} : { pages }) }),
          },
          signal,
        );
        this.finish({ type: 'done', ...(note ? { message: note } : {}) });
      } else if (job.kind === 'insights') {
        const final = await job.run({ poll: (partial) => this.showInsights(partial, true) }, signal);
        this.showInsights(final, false);
      } else {
        const result = await job.run(signal);
        this.payload = { kind: 'related', result };
        this.running = false;
        this.send(this.showMessage());
      }
    } catch (error) {
      this.running = false;
      // A query the service would not stop is still running (and billed): that is a failure to see.
      if (signal.aborted && !(error instanceof QueryNotStoppedError)) this.finish({ type: 'done', status: 'Cancelled', message: 'Cancelled by you' });
      else {
        this.failure = error instanceof Error ? error.message : String(error);
        this.send({ type: 'error', message: this.failure });
        this.finish({ type: 'done', status: 'Failed', message: this.failure });
      }
    }
  }

  /** Stops the running job (an Insights query is stopped with StopQuery by the source). */
  cancel(): void {
    this.job.abort();
  }

  /** The panel was closed: its job is stopped, and nothing more is posted to a webview that is gone. */
  dispose(): void {
    this.closed = true;
    this.job.abort();
    this.panel.abort();
  }

  /** Entry point for everything the webview posts. */
  async handle(raw: unknown): Promise<void> {
    const message = validateAppMessage(raw);
    if (!message) return;
    await this.act(message);
  }

  private async act(message: AppMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // Also after the app reloads (a hidden panel that was not retained): it gets the whole state again.
        this.ready = true;
        this.send(this.showMessage());
        if (this.failure) this.send({ type: 'error', message: this.failure });
        return;
      case 'cancel':
        if (this.running) this.cancel();
        return;
      case 'closeEvent':
        this.selectedEventId = undefined;
        this.selectedRow = undefined;
        return;
      case 'copy':
        await this.effects.copy(message.text);
        return;
      case 'openEvent': {
        // Whatever was open is not any more, even when this event cannot be found.
        this.selectedRow = undefined;
        this.selectedEventId = undefined;
        const event = this.findEvent(message.eventId);
        if (!event) return;
        this.selectedEventId = event.EventId;
        const counted = await this.pivotsOf(event);
        // Another event opened meanwhile (its count stopped this one): nothing to show.
        if (this.selectedEventId !== event.EventId) return;
        // A count that failed (throttled, denied) must not read as "nothing related".
        if ('error' in counted) this.send({ type: 'relatedCounts', eventId: event.EventId, links: [], error: counted.error });
        else this.send({ type: 'relatedCounts', eventId: event.EventId, links: counted.pivots.map((p) => this.toLink(p)) });
        return;
      }
      case 'openRow': {
        this.selectedRow = undefined;
        this.selectedEventId = undefined;
        // An index into rows a later poll has replaced names another row: nothing is taken as open then.
        if (message.version !== this.rowsVersion) return;
        const row = this.payload.kind === 'insights' ? this.payload.result.results[message.index] : undefined;
        if (!row) return;
        this.selectedRow = row;
        return;
      }
      case 'openRelated': {
        const event = this.findEvent(message.eventId);
        if (!event) return;
        // Only a pivot the host itself computed for this event is followed, never a value the page made up.
        const counted = await this.pivotsOf(event);
        if (!('pivots' in counted) || !counted.pivots.some((p) => p.pivot === message.pivot && p.value === message.value)) return;
        this.effects.followPivot(this.description, event, message.pivot, message.value);
        return;
      }
      case 'openAsJsonDocument': {
        const event = this.findEvent(message.eventId);
        if (event) await this.effects.openJsonDocument(eventJson(event));
        return;
      }
      case 'exportResult': {
        const content = exportView(this.payload, message.view, message.format);
        const name = `${this.description.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'trailscope'}.${message.format}`;
        await this.effects.save(message.format, content, name);
        return;
      }
    }
  }

  /** The events the panel holds, including those of a related result's pivots and its subject. */
  findEvent(eventId: string): LookupEvent | undefined {
    const result = this.payload;
    if (result.kind === 'events') return result.result.Events.find((e) => e.EventId === eventId);
    if (result.kind === 'related') {
      if (result.result.event.EventId === eventId) return result.result.event;
      for (const pivot of result.result.pivots) {
        const found = pivot.events?.find((e) => e.EventId === eventId);
        if (found) return found;
      }
    }
    return undefined;
  }

  /**
   * The event's pivots, counted once; a count that failed or was stopped is asked again the next time the
   * event is opened. Only the event on screen is counted: the count of the one open before is stopped, so
   * stepping through events does not pile up their pivots (live, each a billed flows query, and all
   * sharing the lookup's 2 requests a second).
   */
  private pivotsOf(event: LookupEvent): Promise<{ pivots: PivotResult[] } | { error: string }> {
    if (this.counting && this.counting.eventId !== event.EventId) this.counting.abort.abort();
    let pending = this.relatedByEvent.get(event.EventId);
    if (!pending) {
      const counting = { eventId: event.EventId, abort: new AbortController() };
      this.counting = counting;
      pending = this.effects.related(this.description.source, event, AbortSignal.any([this.panel.signal, counting.abort.signal])).then((r) => r.pivots);
      pending.catch(() => this.relatedByEvent.delete(event.EventId));
      const done = (): void => {
        if (this.counting === counting) this.counting = undefined;
      };
      pending.then(done, done);
      this.relatedByEvent.set(event.EventId, pending);
    }
    return pending.then(
      (pivots) => ({ pivots }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    );
  }

  /** A live source cannot count: its links say "50+" when a pivot filled the page fetched to count it. */
  private toLink(pivot: PivotResult): RelatedLink {
    return { pivot: pivot.pivot, value: pivot.value, count: pivot.count, ...(pivot.capped ? { capped: true } : {}), ...(pivot.error ? { error: pivot.error } : {}) };
  }

  private showInsights(result: InsightsResult, partial: boolean): void {
    this.payload = { kind: 'insights', result };
    this.send({ type: 'rows', rows: result.results, replace: true, version: ++this.rowsVersion });
    const cost = result.estimatedCostUsd === undefined ? {} : { estimatedCostUsd: result.estimatedCostUsd };
    if (partial) this.send({ type: 'progress', status: result.status, statistics: result.statistics, message: result.status, ...cost });
    else {
      // The service's message for a query that did not complete; else what the query can only answer nothing to.
      const message = result.message ?? result.warnings?.join(' ');
      this.finish({ type: 'done', status: result.status, statistics: result.statistics, ...cost, ...(message ? { message } : {}) });
    }
  }

  private finish(done: HostMessage & { type: 'done' }): void {
    this.running = false;
    this.send(done);
  }

  private showMessage(): HostMessage {
    return {
      type: 'show',
      title: this.description.title,
      payload: this.payload,
      ...(this.description.query ? { query: this.description.query } : {}),
      running: this.running,
      rowsVersion: this.rowsVersion,
      ...(this.description.openEventId ? { openEventId: this.description.openEventId } : {}),
    };
  }

  /** Until the app says it is ready, messages would be lost; `ready` sends the whole state instead. */
  private send(message: HostMessage): void {
    if (this.ready && !this.closed) this.effects.post(message);
  }
}

function emptyPayload(kind: ResultJob['kind']): ResultPayload {
  if (kind === 'events') return { kind: 'events', result: { Events: [] } };
  if (kind === 'insights') return { kind: 'insights', result: { status: 'Scheduled', results: [], statistics: { ...EMPTY_STATS } } };
  return { kind: 'related', result: { event: { EventId: '', EventTime: '', CloudTrailEvent: '{}' }, pivots: [] } };
}


/** The record pretty-printed; a record that is not JSON (hostile or truncated) is shown as it was stored. */
export function eventJson(event: LookupEvent): string {
  const text = readableJson(event.CloudTrailEvent);
  return text === event.CloudTrailEvent ? text : `${text}\n`;
}
