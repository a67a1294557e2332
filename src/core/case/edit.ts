import type { LookupEvent } from '../cloudtrail/event';
import { sameTarget, type Target } from '../target';
import type { Finding, InvestigationCase, QuerySpec, SavedQuery } from './case-file';

/**
 * Changes to a case, as pure functions returning a new case: the editor applies them to the file's
 * latest content, so an edit made meanwhile in the file (or by a colleague through git) is kept.
 */

/** A finding is one event in one place: the same event ID in another store is another finding. */
export const isFinding = (finding: Finding, eventId: string, target: Target): boolean =>
  finding.event.EventId === eventId && sameTarget(finding.target, target);

/** Pins an event; pinning it again changes nothing (`added` says which happened). */
export function pinEvent(investigation: InvestigationCase, event: LookupEvent, target: Target, now: Date): { case: InvestigationCase; added: boolean } {
  if (investigation.findings.some((f) => isFinding(f, event.EventId, target))) return { case: investigation, added: false };
  const finding: Finding = { event, target, note: '', pinnedAt: now.toISOString() };
  return { case: { ...investigation, findings: [...investigation.findings, finding] }, added: true };
}

export function unpinEvent(investigation: InvestigationCase, eventId: string, target: Target): InvestigationCase {
  return { ...investigation, findings: investigation.findings.filter((f) => !isFinding(f, eventId, target)) };
}

export function setNote(investigation: InvestigationCase, eventId: string, target: Target, note: string): InvestigationCase {
  return { ...investigation, findings: investigation.findings.map((f) => (isFinding(f, eventId, target) ? { ...f, note } : f)) };
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

/** Findings in the order things happened (event time, then ID), as the tree and the timeline show them. */
export function findingsByTime(investigation: InvestigationCase): Finding[] {
  const at = (f: Finding) => Date.parse(f.event.EventTime) || 0;
  return [...investigation.findings].sort((a, b) => at(a) - at(b) || a.event.EventId.localeCompare(b.event.EventId));
}
