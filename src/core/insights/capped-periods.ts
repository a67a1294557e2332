import type { Command, Expr, Query } from './ast';
import { lineColumn } from './errors';
import { capPeriod, periodUnit, uncappedPeriods, type PeriodUnit } from './periods';

/**
 * Periods the service caps without a word (aws-api-reference B.11): `bin(300s)` runs as `bin(60s)`, so a
 * responder who asked for 5-minute bins reads 1-minute ones. The offline engine caps alike, so the
 * editor, offline runs and live runs all take their warning from here.
 */
export interface QueryWarning {
  start: number;
  end: number;
  /** What the query gets instead of what it says, and what to write. */
  detail: string;
  /** The detail after its line and column, as a run reports it. */
  message: string;
}

const PERIOD_FUNCTIONS = new Set(['bin', 'datefloor', 'dateceil']);

const CAPPED_UNITS: Partial<Record<PeriodUnit, string>> = { ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours' };

/** A warning for each period of bin(), datefloor() or dateceil() beyond its unit's cap, in query order. */
export function cappedPeriods(query: Query): QueryWarning[] {
  const warnings: QueryWarning[] = [];
  for (const e of query.commands.flatMap(commandExprs).flatMap(subexpressions)) {
    if (e.type !== 'call' || !PERIOD_FUNCTIONS.has(e.name.toLowerCase())) continue;
    const fn = e.name.toLowerCase();
    const shown = (period: string) => (fn === 'bin' ? `bin(${period})` : `${fn}(…, ${period})`);
    for (const arg of e.args) {
      if (arg.type !== 'duration') continue;
      const unit = periodUnit(arg.unit);
      const instead = unit && uncappedPeriods({ amount: arg.amount, unit });
      if (!unit || !instead) continue;
      const cap = capPeriod({ amount: arg.amount, unit }).amount;
      const detail = `${shown(query.text.slice(arg.start, arg.end))} runs as ${shown(`${cap}${arg.unit}`)}, as Logs Insights caps ${CAPPED_UNITS[unit]} at ${cap}: write ${instead.map((p) => shown(`${p.amount}${p.unit}`)).join(' or ')}`;
      const { line, column } = lineColumn(query.text, arg.start);
      warnings.push({ start: arg.start, end: arg.end, detail, message: `line ${line}, column ${column}: ${detail}` });
    }
  }
  return warnings;
}

/** The expressions a command holds at its top level. */
function commandExprs(command: Command): Expr[] {
  switch (command.type) {
    case 'fields':
    case 'display':
      return command.items.map((item) => item.expr);
    case 'stats':
      return [...command.items, ...command.by].map((item) => item.expr);
    case 'filter':
      return [command.condition];
    case 'sort':
      return command.keys.map((key) => key.expr);
    case 'parse':
      return command.source ? [command.source] : [];
    case 'dedup':
      return command.fields;
    default:
      return [];
  }
}

/** An expression and every expression inside it, outermost first. */
function subexpressions(e: Expr): Expr[] {
  switch (e.type) {
    case 'list':
      return [e, ...e.items.flatMap(subexpressions)];
    case 'call':
      return [e, ...e.args.flatMap(subexpressions)];
    case 'unary':
      return [e, ...subexpressions(e.operand)];
    case 'binary':
      return [e, ...subexpressions(e.left), ...subexpressions(e.right)];
    case 'in':
      return [e, ...subexpressions(e.value), ...subexpressions(e.list)];
    case 'like':
      return [e, ...subexpressions(e.value), ...subexpressions(e.pattern)];
    default:
      return [e];
  }
}
