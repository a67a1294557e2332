/**
 * Periods for bin(), datefloor() and dateceil() (aws-api-reference B.11). The service caps the amount
 * per unit (ms ≤ 1000, s ≤ 60, m ≤ 60, h ≤ 24), so `bin(300s)` behaves as `bin(60s)`; we do the same,
 * and say so (capped-periods.ts).
 */
export type PeriodUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'q' | 'y';

export interface Period {
  amount: number;
  unit: PeriodUnit;
}

/** A Map, so a written unit such as `5constructor` is never found on Object.prototype. */
const UNIT_NAMES = new Map<string, PeriodUnit>(Object.entries({
  ms: 'ms', msec: 'ms', millisecond: 'ms',
  s: 's', sec: 's', second: 's',
  m: 'm', min: 'm', minute: 'm',
  h: 'h', hr: 'h', hour: 'h',
  d: 'd', day: 'd',
  w: 'w', week: 'w',
  mo: 'mo', mon: 'mo', month: 'mo',
  q: 'q', qtr: 'q', quarter: 'q',
  y: 'y', yr: 'y', year: 'y',
} as const));

const CAPS: Partial<Record<PeriodUnit, number>> = { ms: 1000, s: 60, m: 60, h: 24 };

const MICROS: Partial<Record<PeriodUnit, number>> = { ms: 1e3, s: 1e6, m: 60e6, h: 3600e6, d: 86400e6 };

/** The unit a written suffix names (multi-letter units also take a plural s), or undefined. */
export function periodUnit(written: string): PeriodUnit | undefined {
  const lower = written.toLowerCase();
  if (UNIT_NAMES.has(lower)) return UNIT_NAMES.get(lower);
  if (lower.length > 2 && lower.endsWith('s')) return UNIT_NAMES.get(lower.slice(0, -1));
  return undefined;
}

export function capPeriod(period: Period): Period {
  const cap = CAPS[period.unit];
  return cap !== undefined && period.amount > cap ? { ...period, amount: cap } : period;
}

/** The units a capped period can be written in instead, each a whole number of the one before. */
const LADDER: PeriodUnit[] = ['ms', 's', 'm', 'h', 'd'];

/**
 * What to write for a period the service caps: the same length in a larger unit (300s: 5m), or, when no
 * whole amount of one is that long, the whole amounts either side (90s: 1m or 2m). Undefined when the
 * period is not capped.
 */
export function uncappedPeriods(period: Period): Period[] | undefined {
  if (capPeriod(period).amount === period.amount) return undefined;
  const micros = period.amount * MICROS[period.unit]!;
  // The first larger unit within its cap; days have none, so there always is one.
  const unit = LADDER.slice(LADDER.indexOf(period.unit) + 1).find((u) => micros / MICROS[u]! <= (CAPS[u] ?? Infinity))!;
  const amount = micros / MICROS[unit]!;
  // When this unit holds no whole amount, no larger one does (each is a whole number of the one before).
  if (!Number.isInteger(amount)) return [Math.floor(amount), Math.ceil(amount)].map((n) => ({ amount: n, unit }));
  return [{ amount, unit }];
}

/**
 * SQL flooring a TIMESTAMP to the period. Fixed-length periods count from the Unix epoch; weeks start on
 * Monday (DuckDB's default bucket origin); months, quarters and years start on the calendar boundary.
 */
export function floorSql(ts: string, period: Period): string {
  const micros = MICROS[period.unit];
  if (micros !== undefined) {
    const p = Math.round(period.amount * micros);
    return `make_timestamp(epoch_us(${ts}) - (((epoch_us(${ts}) % ${p}) + ${p}) % ${p}))`;
  }
  return `time_bucket(${intervalSql(period)}, ${ts})`;
}

/** SQL rounding a TIMESTAMP up to the period (unchanged when already on a boundary). */
export function ceilSql(ts: string, period: Period): string {
  const floor = floorSql(ts, period);
  return `(CASE WHEN ${floor} = ${ts} THEN ${ts} ELSE ${floor} + ${intervalSql(period)} END)`;
}

function intervalSql(period: Period): string {
  const n = period.amount;
  switch (period.unit) {
    case 'w':
      return `INTERVAL '${n * 7} days'`;
    case 'mo':
      return `INTERVAL '${n} months'`;
    case 'q':
      return `INTERVAL '${n * 3} months'`;
    case 'y':
      return `INTERVAL '${n} years'`;
    default:
      return `INTERVAL '${Math.round(n * MICROS[period.unit]!)} microseconds'`;
  }
}
