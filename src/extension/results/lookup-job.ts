import { NewestEvents, type LookupEvent } from '../../core/cloudtrail/event';
import type { LookupRequest } from '../../core/lookup/request';
import type { TrailSource } from '../../sources/source';
import type { ResultJob } from './controller';

/**
 * A lookup for a results panel. Pages are shown as they arrive, as the whole answer will have them:
 * newest first and at most `max`. A page that follows what is shown is appended (the table keeps its
 * place); one from another region that goes between the events shown replaces them. Every page read,
 * matches or not, counts in the progress.
 */
export function lookupJob(source: TrailSource, request: LookupRequest, max: number): ResultJob {
  return {
    kind: 'events',
    run: async (sink, signal) => {
      const gathered = new NewestEvents(max);
      let shown: LookupEvent[] = [];
      let read = 0;
      const show = (next: LookupEvent[]): void => {
        const follows = next.length >= shown.length && shown.every((event, i) => next[i] === event);
        if (follows && next.length > shown.length) sink.page(next.slice(shown.length));
        else if (!follows) sink.replace(next);
        shown = next;
      };
      // A source that answers in one piece is shown in one piece; after pages, the answer is what they showed.
      const onPage = (page: LookupEvent[]): void => {
        show(gathered.add(page));
        sink.progress(`${shown.length.toLocaleString('en-US')} ${shown.length === 1 ? 'event' : 'events'}`, ++read);
      };
      show(await source.lookupEvents({ ...request, max }, { signal, onPage }));
    },
  };
}
