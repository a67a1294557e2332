import { parseArgs, UsageError } from './args';
import type { CliCommand, CliIo } from './command';
import { COMMANDS } from './commands';
import { VERSION } from '../core/version';

const HELP_OPTION = { name: 'help', description: 'show this help' };

export function commandHelp(command: CliCommand): string {
  const lines = [`Usage: trailscope ${command.name} ${command.usage}`.trimEnd(), '', command.summary];
  if (command.details) lines.push('', command.details);
  const options = [...command.options, HELP_OPTION];
  const width = Math.max(...options.map((o) => `--${o.name}${'value' in o && o.value ? ` ${o.value}` : ''}`.length));
  lines.push('', 'Options:');
  for (const o of options) {
    const left = `--${o.name}${'value' in o && o.value ? ` ${o.value}` : ''}`;
    lines.push(`  ${left.padEnd(width)}  ${o.description}${'repeatable' in o && o.repeatable ? ' (repeatable)' : ''}`);
  }
  return lines.join('\n') + '\n';
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  const lines = [
    `trailscope ${VERSION}: investigate AWS CloudTrail, VPC flow logs and Logs Insights, live or over evidence`,
    '',
    'Usage: trailscope <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `trailscope <command> --help` for the options of a command. `trailscope --version` prints the version.',
  ];
  return lines.join('\n') + '\n';
}

/** Runs the CLI with the given arguments; resolves to the exit code. 2 means a usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`trailscope: unknown command '${name}'. Run 'trailscope --help' for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    const args = parseArgs(rest, command.options);
    const stray = command.takesArguments ? undefined : args.positionals[0];
    if (stray !== undefined) throw new UsageError(`unexpected argument '${stray}': ${command.name} takes its values after options (see the usage below)`);
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`trailscope ${command.name}: ${error.message}\n\n${commandHelp(command)}`);
      return 2;
    }
    io.err(`trailscope ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  const io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.err(`trailscope: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
