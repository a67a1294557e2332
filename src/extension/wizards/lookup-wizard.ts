import type { LookupRequest } from '../../core/lookup/request';
import { sameTarget, targetLabel, type Target } from '../../core/target';
import {
  ALL_CONDITION_KEYS,
  conditionHint,
  conditionId,
  conditionLabel,
  toLookupRequest,
  type Condition,
  type ConditionKey,
} from './conditions';
import type { Memory, PickItem, Prompter } from './prompter';
import { NO_TARGETS } from './target';
import { pickTimeRange } from './time-wizard';

/**
 * "Trailscope: Lookup Events…": target, then conditions (several, AND-ed), then a time range. Every step
 * starts from the last choices, so repeating a lookup with one value changed is a few keystrokes. Each
 * answer is remembered as it is given, so Escape at a later step loses nothing typed before it.
 */
export interface LookupChoice {
  target: Target;
  request: LookupRequest;
}

/** A condition as remembered: its key once chosen, its value once given. */
type RememberedCondition = { key: ConditionKey; value?: string };

interface Remembered {
  target?: Target;
  conditions?: RememberedCondition[];
}

const MEMORY_KEY = 'trailscope.lookup.last';

export interface LookupWizardInput {
  prompter: Prompter;
  memory: Memory;
  /** Every target the user can choose; the live ones with their default regions. */
  targets: Target[];
  /** Regions offered for a live target. */
  regions: string[];
  /** A target already chosen (from the tree); skips the target step. */
  target?: Target;
  /** Conditions already chosen (from the tree, e.g. a trail's region); preselected. */
  conditions?: Condition[];
  now?: Date;
  max?: number;
  /** The conditions are written elsewhere (a notebook's lookup cell): only where and when are asked. */
  conditionsElsewhere?: boolean;
}

export async function lookupWizard(input: LookupWizardInput): Promise<LookupChoice | undefined> {
  const { prompter, memory } = input;
  const last = memory.get<Remembered>(MEMORY_KEY) ?? {};
  let remembered: Remembered = { ...last };
  const remember = async (answer: Remembered) => {
    remembered = { ...remembered, ...answer };
    await memory.update(MEMORY_KEY, remembered);
  };
  const target = input.target ?? (await pickTarget(prompter, input.targets, last.target));
  if (!target) return undefined;
  if (!input.target) {
    // A live account's regions come next: until they are chosen, the ones it was last read in stay.
    const sameAccount = target.kind === 'live' && last.target?.kind === 'live' && last.target.profile === target.profile;
    await remember({ target: sameAccount ? last.target : target });
  }
  const withRegions = target.kind === 'live' && !input.target ? await pickRegions(prompter, target, input.regions, last.target) : target;
  if (!withRegions) return undefined;
  if (!input.target) await remember({ target: withRegions });
  const conditions = input.conditionsElsewhere ? [] : await pickConditions(prompter, input.conditions ?? last.conditions ?? [], (answered) => remember({ conditions: answered }));
  if (!conditions) return undefined;
  const range = await pickTimeRange(prompter, memory, 'trailscope.lookup.time', input.now ?? new Date());
  if (!range) return undefined;
  await remember({ target: withRegions });
  return { target: withRegions, request: toLookupRequest(conditions, range, input.max) };
}

/** Where "Open Event by ID…" and "Show Related Events" look, and the event ID. */
export interface EventChoice {
  target: Target;
  eventId: string;
}

const EVENT_ID_KEY = 'trailscope.lastEventId';

/** Asks where (unless there is one place only) and the event ID, starting from the last one. */
export async function eventWizard(input: { prompter: Prompter; memory: Memory; targets: Target[] }): Promise<EventChoice | undefined> {
  const { prompter, memory, targets } = input;
  if (targets.length === 0) throw new Error(NO_TARGETS);
  const target =
    targets.length === 1
      ? targets[0]
      : await prompter.pick('Event in which store or account?', targets.map((t) => ({ label: `${t.kind === 'evidence' ? '$(database)' : '$(cloud)'} ${targetLabel(t)}`, description: t.kind === 'evidence' ? t.path : 'live account', value: t })));
  if (!target) return undefined;
  const eventId = await prompter.input('Event ID', {
    prompt: 'The eventID of a CloudTrail record',
    value: memory.get<string>(EVENT_ID_KEY),
    validate: (text) => (text.trim() === '' ? 'Enter an event ID' : undefined),
  });
  if (!eventId?.trim()) return undefined;
  await memory.update(EVENT_ID_KEY, eventId.trim());
  return { target, eventId: eventId.trim() };
}

async function pickTarget(prompter: Prompter, targets: Target[], last: Target | undefined): Promise<Target | undefined> {
  if (targets.length === 0) throw new Error(NO_TARGETS);
  const items: PickItem<Target>[] = targets.map((target) => ({
    label: `${target.kind === 'evidence' ? '$(database)' : '$(cloud)'} ${target.kind === 'evidence' ? targetLabel(target) : target.profile}`,
    description: target.kind === 'evidence' ? target.path : 'live account',
    value: target,
  }));
  // The last target first, so Enter repeats it.
  if (last) items.sort((a, b) => Number(sameTarget(b.value, last)) - Number(sameTarget(a.value, last)));
  return prompter.pick('Lookup events: where?', items, 'An evidence store or a live account');
}

async function pickRegions(prompter: Prompter, target: Target & { kind: 'live' }, regions: string[], last: Target | undefined): Promise<Target | undefined> {
  const previous = last?.kind === 'live' && last.profile === target.profile ? last.regions : target.regions;
  const offered = [...new Set([...previous, ...regions])];
  const chosen = await prompter.pickMany(
    'Lookup events: which regions?',
    offered.map((region) => ({
      label: region,
      description: region === 'us-east-1' ? 'IAM, STS and CloudFront events are recorded here' : undefined,
      picked: previous.includes(region),
      value: region,
    })),
    'LookupEvents reads one region per call; Trailscope merges them newest first',
  );
  if (!chosen || chosen.length === 0) return undefined;
  return { ...target, regions: chosen };
}

/** The conditions' keys, then each value; `answered` is told each answer as it is given (keys without a value yet have none). */
async function pickConditions(prompter: Prompter, previous: RememberedCondition[], answered: (conditions: RememberedCondition[]) => Promise<void>): Promise<Condition[] | undefined> {
  const previousIds = new Set(previous.map((c) => conditionId(c.key)));
  const keys = await prompter.pickMany<ConditionKey>(
    'Lookup events: filter on (none = all events)',
    ALL_CONDITION_KEYS.map((key) => ({
      label: conditionLabel(key),
      description: conditionId(key),
      detail: conditionHint(key),
      picked: previousIds.has(conditionId(key)),
      value: key,
    })),
    'All chosen conditions must match (AND)',
  );
  if (!keys) return undefined;
  const priorOf = (key: ConditionKey) => previous.find((c) => conditionId(c.key) === conditionId(key))?.value;
  // The keys chosen, each with its last value until a new one is given.
  const given: RememberedCondition[] = keys.map((key) => {
    const prior = priorOf(key);
    return prior === undefined ? { key } : { key, value: prior };
  });
  await answered(given);
  const conditions: Condition[] = [];
  for (const [index, key] of keys.entries()) {
    const prior = priorOf(key);
    // The last choice first, so Enter repeats it, as the other steps start from theirs.
    const readOnly = [{ label: 'false', description: 'writes only', value: 'false' }, { label: 'true', description: 'reads only', value: 'true' }];
    const value = 'attribute' in key && key.attribute === 'ReadOnly'
      ? await prompter.pick(conditionLabel(key), prior === 'true' ? readOnly.reverse() : readOnly)
      : await prompter.input(conditionLabel(key), {
        prompt: conditionHint(key),
        value: prior,
        validate: (text) => (text.trim() === '' ? 'Enter a value' : undefined),
      });
    if (value === undefined) return undefined;
    conditions.push({ key, value: value.trim() });
    given[index] = { key, value: value.trim() };
    await answered(given);
  }
  return conditions;
}
