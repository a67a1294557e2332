import { NewestEvents, type LookupEvent } from '../../core/cloudtrail/event';
import type { LookupRequest } from '../../core/lookup/request';
import type { TrailSource } from '../../sources/source';
import type { ResultJob } from './controller';

/** How often, at most, the events shown are sent again whole while pages of several regions interleave. */
const REPLACE_EVERY_MS = 1000;

/**
 * A lookup for a results panel. Pages are shown as they arrive, as the whole answer will have them:
 * newest first and at most `max`. A page that follows what is shown is appended (the table keeps its
 * place); one from another region that goes between the events shown replaces them, at most once a
 * second (each replace sends the whole table), and the answer is shown whole at the end. Every page
 * read, matches or not, counts in the progress.
 */
export function lookupJob(source: TrailSource, request: LookupRequest, max: number, now: () => number = Date.now): ResultJob {
  return {
    kind: 'events',
    run: async (sink, signal) => {
      const gathered = new NewestEvents(max);
      let shown: LookupEvent[] = [];
      let replacedAt = Number.NEGATIVE_INFINITY;
      let read = 0;
      let found = 0;
      const show = (next: LookupEvent[], last: boolean): void => {
        found = next.length;
        const follows = next.length >= shown.length && shown.every((event, i) => next[i] === event);
        if (follows && next.length > shown.length) sink.page(next.slice(shown.length));
        else if (follows) return;
        else if (last || now() - replacedAt >= REPLACE_EVERY_MS) {
          sink.replace(next);
          replacedAt = now();
        } else return;
        shown = next;
      };
      let latest: LookupEvent[] = [];
      const onPage = (page: LookupEvent[]): void => {
        latest = gathered.add(page);
        show(latest, false);
        sink.progress(`${found.toLocaleString('en-US')} ${found === 1 ? 'event' : 'events'}`, ++read);
      };
      // A source that answers in one piece is shown in one piece; after pages, as the whole answer is.
      // Cancelled or failed, what had come back is shown whole too: a page held back for the once-a-second
      // replace must not go missing from the table, the export and the pins.
      let answer: LookupEvent[];
      try {
        // One more than the limit tells whether the answer was cut, which a responder counting events must know.
        answer = await source.lookupEvents({ ...request, max: max + 1 }, { signal, onPage });
      } catch (error) {
        show(latest, true);
        throw error;
      }
      show(answer.slice(0, max), true);
      if (answer.length > max) sink.note(`The newest ${max.toLocaleString('en-US')} events are shown and more match: narrow the range or raise trailscope.maxResults`);
    },
  };
}
