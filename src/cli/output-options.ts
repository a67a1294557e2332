import { duckDBFileKind } from '../core/duckdb-file';
import { realPath } from '../core/target';
import { optionValue, UsageError, type OptionSpec, type ParsedArgs } from './args';

/** `--format`, shared by the reading commands; the JSON of each is the result shape in src/core/results.ts. */
export type OutputFormat = 'json' | 'table' | 'csv' | 'text';

export function formatOption(formats: OutputFormat[], fallback: OutputFormat): OptionSpec {
  return { name: 'format', value: formats.join('|'), description: `output format (default ${fallback})` };
}

export function outputFormat(args: ParsedArgs, formats: OutputFormat[], fallback: OutputFormat): OutputFormat {
  const value = optionValue(args, 'format') ?? fallback;
  if (!(formats as string[]).includes(value)) throw new UsageError(`--format is one of ${formats.join(', ')}, got '${value}'`);
  return value as OutputFormat;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A whole number option of at least `least` (1 unless 0 means something), or the fallback. */
export function countOption(args: ParsedArgs, name: string, fallback: number, least: 0 | 1 = 1): number {
  const value = optionValue(args, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < least) {
    throw new UsageError(`--${name} is a ${least === 0 ? 'whole number (0 or more)' : 'positive whole number'}, got '${value}'`);
  }
  return Number(value);
}

/**
 * Refuses to write `--name FILE` over a file the command reads (a report over the notebook it came from,
 * a page over its result file) or over any evidence store, named by the input or not: no report is worth
 * the evidence. Compared as real paths, so a link or another spelling of the same file counts.
 */
export function refuseOverwrite(name: string, out: string, inputs: Array<{ path: string | undefined; what: string }>): void {
  const target = realPath(out);
  const input = inputs.find((i) => i.path !== undefined && i.path !== '-' && realPath(i.path) === target);
  if (input) throw new UsageError(`--${name} ${out} is ${input.what}: writing there would replace it; choose another file`);
  if (duckDBFileKind(out) === 'duckdb') throw new UsageError(`--${name} ${out} is an evidence store (a DuckDB database): writing there would replace it; choose another file`);
}
