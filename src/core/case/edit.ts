import type { ResultField } from '../results';
import { sameTarget, type Target } from '../target';
import type { Evidence, Finding, InvestigationCase, JournalEntry, QuerySpec, SavedQuery } from './case-file';

/**
 * Changes to a case, as pure functions returning a new case: the editor applies them to the file's
 * latest content, so an edit made meanwhile in the file (or by a colleague through git) is kept.
 */

/** An event is itself by its ID; a record (which has none) by its fields. */
const identity = (evidence: Evidence): string => ('event' in evidence ? `event ${evidence.event.EventId}` : `record ${JSON.stringify(evidence.record)}`);

/** A finding is one event or record in one place: the same event in another store is another finding. */
const sameFinding = (a: Evidence & { target: Target }, b: Evidence & { target: Target }): boolean => identity(a) === identity(b) && sameTarget(a.target, b.target);

/** The case's finding that is this event or record in this place, if it is pinned. */
export function pinnedFinding(investigation: InvestigationCase, finding: Evidence & { target: Target }): Finding | undefined {
  return investigation.findings.find((f) => sameFinding(f, finding));
}

/** Pins an event or a record; pinning it again changes nothing (`added` says which happened). */
export function addFinding(investigation: InvestigationCase, evidence: Evidence, target: Target, now: Date): { case: InvestigationCase; added: boolean } {
  if (pinnedFinding(investigation, { ...evidence, target })) return { case: investigation, added: false };
  const finding = { ...evidence, target, note: '', pinnedAt: now.toISOString() } as Finding;
  return { case: { ...investigation, findings: [...investigation.findings, finding] }, added: true };
}

export function removeFinding(investigation: InvestigationCase, finding: Finding): InvestigationCase {
  return { ...investigation, findings: investigation.findings.filter((f) => !sameFinding(f, finding)) };
}

export function setNote(investigation: InvestigationCase, finding: Evidence & { target: Target }, note: string): InvestigationCase {
  return { ...investigation, findings: investigation.findings.map((f) => (sameFinding(f, finding) ? { ...f, note } : f)) };
}

/** Saves a query under a name; a query saved under the same name before is replaced. */
export function saveQuery(investigation: InvestigationCase, spec: QuerySpec, name: string, now: Date): InvestigationCase {
  const saved: SavedQuery = { ...spec, name, savedAt: now.toISOString() };
  const others = investigation.queries.filter((q) => q.name !== name);
  return { ...investigation, queries: [...others, saved] };
}

export function removeQuery(investigation: InvestigationCase, name: string): InvestigationCase {
  return { ...investigation, queries: investigation.queries.filter((q) => q.name !== name) };
}

/** Adds a journal entry; the journal is kept in time order. */
export function addJournalEntry(investigation: InvestigationCase, entry: JournalEntry): InvestigationCase {
  const journal = [...investigation.journal, entry].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { ...investigation, journal };
}

/**
 * Replaces (or with `next` undefined, removes) the first entry equal to `entry`. Undefined when there is
 * none (the entry was changed or removed meanwhile), for the caller to say so: an edit must not vanish.
 */
export function changeJournalEntry(investigation: InvestigationCase, entry: JournalEntry, next?: JournalEntry): InvestigationCase | undefined {
  const at = investigation.journal.findIndex((e) => e.at === entry.at && e.text === entry.text);
  if (at === -1) return undefined;
  const rest = investigation.journal.filter((_, i) => i !== at);
  return next ? addJournalEntry({ ...investigation, journal: rest }, next) : { ...investigation, journal: rest };
}

/** A record's `@timestamp` as Insights writes it (`2026-03-04 02:37:30.000`, UTC). */
function recordTime(record: ResultField[]): number {
  const stamp = record.find((f) => f.field === '@timestamp')?.value;
  return stamp ? Date.parse(`${stamp.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? '' : 'Z'}`) : Number.NaN;
}

/** When what a finding shows happened, in epoch ms; NaN for a record without a time. */
export function findingTime(finding: Finding): number {
  return 'event' in finding ? Date.parse(finding.event.EventTime) : recordTime(finding.record);
}

/** Findings in the order things happened (time, then identity); records without a time come last. */
export function findingsByTime(investigation: InvestigationCase): Finding[] {
  const at = (f: Finding) => {
    const time = findingTime(f);
    return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
  };
  return [...investigation.findings].sort((a, b) => at(a) - at(b) || (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0));
}
