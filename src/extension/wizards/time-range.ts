import { LookupParseError, parseTime } from '../../core/lookup/parse';

/**
 * Time ranges as a responder states them: a preset counted back from now, or a custom range typed as the
 * CLI takes it (ISO 8601, "6h" or "-6h" back from now, "now"). Pure, so the wizards are testable outside VS Code.
 */
export interface TimePreset {
  id: string;
  label: string;
  minutes: number;
}

export const TIME_PRESETS: readonly TimePreset[] = [
  { id: '15m', label: 'Last 15 minutes', minutes: 15 },
  { id: '1h', label: 'Last hour', minutes: 60 },
  { id: '6h', label: 'Last 6 hours', minutes: 6 * 60 },
  { id: '24h', label: 'Last 24 hours', minutes: 24 * 60 },
  { id: '7d', label: 'Last 7 days', minutes: 7 * 24 * 60 },
  { id: '30d', label: 'Last 30 days', minutes: 30 * 24 * 60 },
  { id: '90d', label: 'Last 90 days', minutes: 90 * 24 * 60 },
];

export interface TimeRange {
  /** Inclusive, ISO 8601 UTC. */
  start: string;
  end: string;
}

/** A remembered choice: a preset id, or a custom range as the user typed it. */
export type TimeChoice = { preset: string } | { custom: { start: string; end: string } };

export function presetRange(preset: TimePreset, now: Date): TimeRange {
  return { start: new Date(now.getTime() - preset.minutes * 60_000).toISOString(), end: now.toISOString() };
}

/** One bound, as the CLI reads it: ISO 8601 (UTC when no zone), `now`, or a duration back (`6h`, `7d`). */
export function parseTimeBound(text: string, now: Date, bound: 'start' | 'end' = 'start'): Date | string {
  try {
    return new Date(parseTime(text.replace(/^-/, ''), now, bound));
  } catch (error) {
    return error instanceof LookupParseError ? error.message : String(error);
  }
}

export function customRange(startText: string, endText: string, now: Date): TimeRange | string {
  const start = parseTimeBound(startText, now);
  if (typeof start === 'string') return `Start: ${start}`;
  const end = parseTimeBound(endText, now, 'end');
  if (typeof end === 'string') return `End: ${end}`;
  if (start.getTime() > end.getTime()) return 'The start is after the end';
  return { start: start.toISOString(), end: end.toISOString() };
}

export function resolveTimeChoice(choice: TimeChoice, now: Date): TimeRange | string {
  if ('custom' in choice) return customRange(choice.custom.start, choice.custom.end, now);
  const preset = TIME_PRESETS.find((p) => p.id === choice.preset);
  return preset ? presetRange(preset, now) : `Unknown time preset ${choice.preset}`;
}

export function describeTimeChoice(choice: TimeChoice): string {
  if ('custom' in choice) return `${choice.custom.start} → ${choice.custom.end}`;
  return TIME_PRESETS.find((p) => p.id === choice.preset)?.label ?? choice.preset;
}
