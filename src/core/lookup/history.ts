/** CloudTrail's event history, what LookupEvents reads, keeps the last 90 days (aws-api-reference A.1). */
export const EVENT_HISTORY_DAYS = 90;

/**
 * What a live lookup over `range` cannot return because it is older than the event history, in words for
 * the responder; undefined when the whole range is within it. Silence here would read as "no activity".
 */
export function beyondEventHistory(range: { start?: string; end?: string }, now: Date): string | undefined {
  const oldest = now.getTime() - EVENT_HISTORY_DAYS * 24 * 3_600_000;
  // An hour of slack: "the last 90 days", counted back a moment before, is no reason for a note.
  if (range.start === undefined || Date.parse(range.start) >= oldest - 3_600_000) return undefined;
  const from = `${new Date(oldest).toISOString().slice(0, 16)}Z`;
  const older = "older events are only in the trail's S3 log files: ingest them as evidence to search them";
  if (range.end !== undefined && Date.parse(range.end) < oldest) return `the whole range is older than CloudTrail's ${EVENT_HISTORY_DAYS}-day event history (it starts ${from}), so LookupEvents returns nothing for it; ${older}`;
  return `CloudTrail's event history keeps ${EVENT_HISTORY_DAYS} days: nothing before ${from} comes back from LookupEvents; ${older}`;
}
