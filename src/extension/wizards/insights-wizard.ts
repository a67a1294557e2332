import { MAX_LOG_GROUPS_PER_QUERY } from '../../core/insights/parser';
import { sameTarget, targetLabel, type Target } from '../../core/target';
import type { LogGroupInfo, LogKind } from '../../sources/source';
import { displayText } from '../display-text';
import type { LibraryQuery } from '../services/ports';
import type { Memory, PickItem, Prompter } from './prompter';
import { NO_TARGETS } from './target';
import { pickTimeRange } from './time-wizard';
import type { TimeRange } from './time-range';

/**
 * "Trailscope: Run Insights Query…": target (one region for a live account: log groups are regional),
 * log groups, then a library query that fits their kinds or a new query in the editor, then a time range.
 * Steps the caller already knows (from the tree or the query editor) are skipped.
 */
export interface InsightsChoice {
  target: Target;
  logGroups: LogGroupInfo[];
  query: string;
  /** The library query's title, or "Insights query". */
  title: string;
  range: TimeRange;
}

/**
 * A live query (StartQuery) searches at most 50 log groups; an evidence store's query takes any number,
 * so a kind of 120 Lambda groups in a store is searched whole.
 */
export const MAX_LOG_GROUPS = MAX_LOG_GROUPS_PER_QUERY;

/** The most log groups one query over the target may search; undefined for no limit. */
export function logGroupLimit(target: Target): number | undefined {
  return target.kind === 'live' ? MAX_LOG_GROUPS : undefined;
}

const MEMORY_KEY = 'trailscope.insights.last';

interface Remembered {
  target?: Target;
  logGroups?: string[];
  queryId?: string;
}

export interface InsightsWizardInput {
  prompter: Prompter;
  memory: Memory;
  targets: Target[];
  regions: string[];
  /** The target's log groups; the signal is aborted when the user cancels the listing. */
  listLogGroups: (target: Target, signal?: AbortSignal) => Promise<LogGroupInfo[]>;
  library: LibraryQuery[];
  /** The queries saved in a live account (the console's saved queries); none for a store. */
  savedQueries?: (target: Target, signal?: AbortSignal) => Promise<LibraryQuery[]>;
  target?: Target;
  /**
   * Log groups already chosen (a log group or a kind in the tree, the query editor's): skips the log
   * group step, unless they are more than a query on the target may search; then they are the ones offered.
   */
  logGroups?: LogGroupInfo[];
  /** Query text from the editor; skips the query step. */
  query?: string;
  /** Only library queries (from a log group's "Run library query…"): no "New query" entry. */
  libraryOnly?: boolean;
  now?: Date;
}

export type InsightsWizardResult = InsightsChoice | { newQuery: { target: Target; logGroups: LogGroupInfo[] } } | undefined;

export async function insightsWizard(input: InsightsWizardInput): Promise<InsightsWizardResult> {
  const { prompter, memory } = input;
  const last = memory.get<Remembered>(MEMORY_KEY) ?? {};
  const target = input.target ?? (await pickTarget(prompter, input.targets, input.regions, last.target));
  if (!target) return undefined;
  const logGroups = await chooseLogGroups(input, target, last);
  if (!logGroups) return undefined;
  let query = input.query;
  let title = 'Insights query';
  let queryId = last.queryId;
  if (query === undefined) {
    const saved = await readSavedQueries(input, target);
    if (!saved) return undefined;
    const library = [...saved, ...input.library];
    if (input.libraryOnly && queriesFor(library, logGroups.map((g) => g.kind)).length === 0) throw new Error(noLibraryQuery(logGroups));
    const picked = await pickQuery(prompter, library, logGroups, last.queryId, !input.libraryOnly);
    if (!picked) return undefined;
    if (picked === 'new') {
      await memory.update(MEMORY_KEY, { ...last, target, logGroups: logGroups.map((g) => g.name) } satisfies Remembered);
      return { newQuery: { target, logGroups } };
    }
    ({ query, name: title } = picked);
    queryId = picked.id;
  }
  const range = await pickTimeRange(prompter, memory, 'trailscope.insights.time', input.now ?? new Date());
  if (!range) return undefined;
  await memory.update(MEMORY_KEY, { target, logGroups: logGroups.map((g) => g.name), queryId } satisfies Remembered);
  return { target, logGroups, query, title, range };
}

/** The queries saved in a live account, read with cancellable progress; undefined when cancelled. */
async function readSavedQueries(input: InsightsWizardInput, target: Target): Promise<LibraryQuery[] | undefined> {
  const { savedQueries } = input;
  if (!savedQueries || target.kind !== 'live') return [];
  return input.prompter.busy(`Reading the queries saved in ${displayText(targetLabel(target), 80)}…`, async (signal) => {
    try {
      return await savedQueries(target, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      // An account that will not list them (no logs:DescribeQueryDefinitions) still has the library.
      return [];
    }
  });
}

/** The library queries that fit the kinds of the chosen log groups; a query without kinds fits any. */
export function queriesFor(library: LibraryQuery[], kinds: Iterable<LogKind>): LibraryQuery[] {
  const wanted = new Set(kinds);
  return library.filter((q) => q.kinds.length === 0 || q.kinds.some((k) => wanted.has(k)));
}

async function pickTarget(prompter: Prompter, targets: Target[], regions: string[], last: Target | undefined): Promise<Target | undefined> {
  if (targets.length === 0) throw new Error(NO_TARGETS);
  const items: PickItem<Target>[] = [];
  for (const target of targets) {
    if (target.kind === 'evidence') {
      items.push({ label: `$(database) ${targetLabel(target)}`, description: target.path, value: target });
      continue;
    }
    for (const region of [...new Set([...target.regions, ...regions])]) {
      items.push({ label: `$(cloud) ${target.profile}`, description: region, value: { ...target, regions: [region] } });
    }
  }
  const isLast = (t: Target) => !!last && sameTarget(t, last) && (t.kind === 'evidence' || (last.kind === 'live' && t.regions[0] === last.regions[0]));
  items.sort((a, b) => Number(isLast(b.value)) - Number(isLast(a.value)));
  return prompter.pick('Insights query: where?', items, 'An evidence store, or a live account and region');
}

/**
 * The log groups to query: those given, when a query on the target may search them all; else chosen
 * among them, or among the target's, listed with cancellable progress.
 */
async function chooseLogGroups(input: InsightsWizardInput, target: Target, last: Remembered): Promise<LogGroupInfo[] | undefined> {
  const limit = logGroupLimit(target);
  if (input.logGroups && (limit === undefined || input.logGroups.length <= limit)) return input.logGroups;
  let groups = input.logGroups;
  if (!groups) {
    groups = await input.prompter.busy(`Listing the log groups of ${displayText(targetLabel(target), 80)}…`, (signal) => input.listLogGroups(target, signal));
    if (!groups) return undefined;
    if (groups.length === 0) throw new Error(noLogGroups(target));
  }
  return pickLogGroups(input.prompter, groups, last, limit);
}

const LOG_GROUPS_TITLE = 'Insights query: log groups';

/** Asks again, naming the count, while more are ticked than a live query may search: none is dropped unseen. */
async function pickLogGroups(prompter: Prompter, groups: LogGroupInfo[], last: Remembered, limit: number | undefined): Promise<LogGroupInfo[] | undefined> {
  let ticked = new Set(last.logGroups ?? []);
  let title = LOG_GROUPS_TITLE;
  let placeholder =
    limit === undefined
      ? 'Any number of log groups: a query over an evidence store searches all it is given'
      : groups.length > limit
        ? `Choose up to ${limit} of ${groups.length}: a live Insights query searches at most ${limit} log groups`
        : `Up to ${limit} log groups`;
  for (;;) {
    const picked = await prompter.pickMany(
      title,
      // Names come from logs (evidence stores name groups after file paths): shown with visible markers.
      groups.map((group) => ({ label: displayText(group.name), description: group.kind, picked: ticked.has(group.name), value: group })),
      placeholder,
    );
    if (!picked || picked.length === 0) return undefined;
    if (limit === undefined || picked.length <= limit) return picked;
    ticked = new Set(picked.map((g) => g.name));
    title = `${LOG_GROUPS_TITLE}: ${picked.length} chosen, at most ${limit}`;
    placeholder = `${picked.length} log groups chosen: a live Insights query searches at most ${limit}. Untick ${picked.length - limit}, or press Escape.`;
  }
}

/** Why the wizard cannot go on: the store, or the account in that region, has no log group to query. */
export function noLogGroups(target: Target): string {
  if (target.kind === 'evidence') {
    return `No log groups in the evidence store ${displayText(targetLabel(target), 120)} (${displayText(target.path, 400)}): ingest CloudTrail, VPC flow log or CloudWatch Logs files into it (Trailscope: Ingest Evidence…), or choose another store.`;
  }
  const regions = target.regions.join(', ');
  return `No log groups in ${displayText(target.profile, 120)} in ${regions}: the account has none in ${target.regions.length === 1 ? 'this region' : 'these regions'}. Choose another region (trailscope.regions lists those offered).`;
}

/** Run Library Query… on log groups of a kind no library query is for (EventBridge): says so instead of an empty list. */
function noLibraryQuery(logGroups: LogGroupInfo[]): string {
  const kinds = [...new Set(logGroups.map((g) => g.kind))].join(', ');
  return `No library query fits ${kinds} log groups. Use Run Insights Query… to write one for them.`;
}

async function pickQuery(
  prompter: Prompter,
  library: LibraryQuery[],
  logGroups: LogGroupInfo[],
  lastId: string | undefined,
  allowNew: boolean,
): Promise<LibraryQuery | 'new' | undefined> {
  const fitting = queriesFor(library, logGroups.map((g) => g.kind));
  const items: PickItem<LibraryQuery | 'new'>[] = fitting.map((q) => ({ label: q.name, description: q.kinds.join(', '), detail: q.description, value: q }));
  items.sort((a, b) => Number(b.value !== 'new' && b.value.id === lastId) - Number(a.value !== 'new' && a.value.id === lastId));
  if (allowNew) items.push({ label: '$(new-file) New query in the editor…', detail: 'Write a query in the Logs Insights language and run it with "Run on log groups…"', value: 'new' });
  return prompter.pick('Insights query: which query?', items, fitting.length ? 'Library queries that fit these log groups' : 'No library query fits these log groups');
}
