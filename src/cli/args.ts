/**
 * A small argument parser for the `trailscope` subcommands: `--name value`, `--name=value`, repeated
 * options collected in order, boolean flags, and positionals. Unknown options are errors, so a typo
 * never silently changes what a responder asked for.
 */
export interface OptionSpec {
  name: string;
  /** Shown in --help, e.g. 'FILE'. Absent for boolean flags. */
  value?: string;
  description: string;
  repeatable?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], specs: OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const parsed: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (!spec.value) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      parsed.flags.add(name);
      continue;
    }
    // `--db --format json` is a forgotten value, not a store named '--format': the next word is only taken
    // as the value when it is not itself an option (`--name=--value` still passes such a value on purpose).
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value (${spec.value})`);
    const list = parsed.options.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`--${name} may be given only once`);
    list.push(value);
    parsed.options.set(name, list);
  }
  return parsed;
}

/**
 * The Options block of a --help: one line per option, descriptions aligned. A repeatable option says so
 * once, whether or not its description already does.
 */
export function optionsHelp(specs: OptionSpec[]): string[] {
  const left = (o: OptionSpec): string => `--${o.name}${o.value ? ` ${o.value}` : ''}`;
  const width = Math.max(...specs.map((o) => left(o).length));
  return specs.map((o) => {
    const repeatable = o.repeatable && !/\brepeatable\b/i.test(o.description) ? ' (repeatable)' : '';
    return `  ${left(o).padEnd(width)}  ${o.description}${repeatable}`;
  });
}

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

export function optionValues(args: ParsedArgs, name: string): string[] {
  return args.options.get(name) ?? [];
}
