import type { Memory, PickItem, Prompter } from './prompter';
import { customRange, describeTimeChoice, resolveTimeChoice, TIME_PRESETS, type TimeChoice, type TimeRange } from './time-range';

/**
 * The time step shared by the lookup and Insights wizards: presets, or a custom range; remembered per
 * wizard (`key`) once it is a valid range. What was typed into the custom range's boxes is kept apart
 * (`key.typed`), as typed, even when refused or left with Escape, so the next custom range starts from it;
 * a start or end that never made a valid range is never taken for the last range used.
 */
export async function pickTimeRange(prompter: Prompter, memory: Memory, key: string, now: Date): Promise<TimeRange | undefined> {
  const last = memory.get<TimeChoice>(key) ?? { preset: '24h' };
  const items: PickItem<TimeChoice | 'custom'>[] = TIME_PRESETS.map((preset) => ({ label: preset.label, value: { preset: preset.id } }));
  items.push({ label: 'Custom range…', description: 'custom' in last ? describeTimeChoice(last) : 'ISO 8601, 6h back, or now', value: 'custom' });
  const lastIndex = 'custom' in last ? items.length - 1 : items.findIndex((i) => i.value !== 'custom' && 'preset' in i.value && i.value.preset === last.preset);
  if (lastIndex > 0) items.unshift(...items.splice(lastIndex, 1));
  const picked = await prompter.pick('Time range', items, `Last used: ${describeTimeChoice(last)}`);
  if (!picked) return undefined;
  const choice = picked === 'custom' ? await askCustom(prompter, memory, `${key}.typed`, last, now) : picked;
  if (!choice) return undefined;
  const range = resolveTimeChoice(choice, now);
  if (typeof range === 'string') return undefined;
  await memory.update(key, choice);
  return range;
}

interface Typed {
  start: string;
  end: string;
}

async function askCustom(prompter: Prompter, memory: Memory, typedKey: string, last: TimeChoice, now: Date): Promise<TimeChoice | undefined> {
  const typed: Typed = memory.get<Typed>(typedKey) ?? ('custom' in last ? last.custom : { start: '-24h', end: 'now' });
  // The text in the box as last checked: kept when the box is left without a valid answer.
  let inBox: string | undefined;
  const keep = async (bound: keyof Typed, text: string | undefined) => {
    if (text === undefined || text === typed[bound]) return;
    typed[bound] = text;
    await memory.update(typedKey, typed);
  };
  const start = await prompter.input('Start of the range (UTC)', {
    prompt: 'ISO 8601 (2024-05-01T10:00:00Z), a duration back from now (6h, 7d) or now',
    value: typed.start,
    validate: (text) => {
      inBox = text;
      const result = customRange(text, 'now', now);
      return typeof result === 'string' && result.startsWith('Start') ? result : undefined;
    },
  });
  await keep('start', start ?? inBox);
  if (start === undefined) return undefined;
  inBox = undefined;
  const end = await prompter.input('End of the range (UTC)', {
    prompt: 'ISO 8601, a duration back from now (1h) or now',
    value: typed.end,
    validate: (text) => {
      inBox = text;
      const result = customRange(start, text, now);
      return typeof result === 'string' ? result : undefined;
    },
  });
  await keep('end', end ?? inBox);
  if (end === undefined) return undefined;
  return { custom: { start, end } };
}
