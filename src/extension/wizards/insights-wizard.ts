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

/** Insights accepts at most 50 log groups per query. */
export const MAX_LOG_GROUPS = 50;

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
  listLogGroups: (target: Target) => Promise<LogGroupInfo[]>;
  library: LibraryQuery[];
  /** The queries saved in a live account (the console's saved queries); none for a store. */
  savedQueries?: (target: Target) => Promise<LibraryQuery[]>;
  target?: Target;
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
  const logGroups = input.logGroups ?? (await pickLogGroups(prompter, await input.listLogGroups(target), last));
  if (!logGroups) return undefined;
  let query = input.query;
  let title = 'Insights query';
  let queryId = last.queryId;
  if (query === undefined) {
    // An account that will not list them (no logs:DescribeQueryDefinitions) still has the library.
    const saved = (await input.savedQueries?.(target).catch(() => [])) ?? [];
    const picked = await pickQuery(prompter, [...saved, ...input.library], logGroups, last.queryId, !input.libraryOnly);
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

async function pickLogGroups(prompter: Prompter, groups: LogGroupInfo[], last: Remembered): Promise<LogGroupInfo[] | undefined> {
  if (groups.length === 0) return undefined;
  const previous = new Set(last.logGroups ?? []);
  const picked = await prompter.pickMany(
    'Insights query: log groups',
    // Names come from logs (evidence stores name groups after file paths): shown with visible markers.
    groups.map((group) => ({ label: displayText(group.name), description: group.kind, picked: previous.has(group.name), value: group })),
    `Up to ${MAX_LOG_GROUPS} log groups`,
  );
  if (!picked || picked.length === 0) return undefined;
  return picked.slice(0, MAX_LOG_GROUPS);
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
