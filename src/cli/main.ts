import { optionsHelp, parseArgs, UsageError, type OptionSpec } from './args';
import type { CliCommand, CliIo } from './command';
import { COMMANDS } from './commands';
import { escapeTerminal } from '../core/format/table';
import { VERSION } from '../core/version';
import { runningQueries } from '../sources/aws/insights-runner';

const HELP_OPTION: OptionSpec = { name: 'help', description: 'show this help' };

export function commandHelp(command: CliCommand): string {
  const lines = [`Usage: trailscope ${command.name} ${command.usage}`.trimEnd(), '', command.summary];
  if (command.details) lines.push('', command.details);
  lines.push('', 'Options:', ...optionsHelp([...command.options, HELP_OPTION]));
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

/**
 * `trailscope lookup ... | head -1`: once the reader has closed the pipe there is nobody to write for, so the
 * CLI stops quietly with status 0, as `git log | head` does, instead of a stack trace about EPIPE. A Logs
 * Insights query still running is stopped first, so it does not go on scanning (and billing) in AWS. A
 * closed stderr only silences the messages; the output still goes where it was sent.
 *
 * Output to a terminal goes through escapeTerminal, whatever the command and format: log values are
 * hostile, and an ESC or C1 sequence in a CSV cell (`\u001b]0;title\u0007`, `\u001b[2J`, OSC 52 writing
 * the clipboard) would otherwise be obeyed by the terminal. Output to a pipe or a file is written as it
 * is, so a CSV or JSON saved with `>` keeps the values exactly. Standard error is escaped the same way on
 * a terminal (errors quote queries); ingest's progress line, which redraws itself with escape sequences,
 * goes through `status`.
 */
function writersFor(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): CliIo {
  // On a terminal, a value out of a log (in a result, or quoted by an error) must not drive it.
  const shownOn = (stream: NodeJS.WriteStream) => (stream.isTTY ? escapeTerminal : (text: string): string => text);
  const shown = shownOn(stdout);
  const shownErr = shownOn(stderr);
  let outClosed = false;
  let errClosed = false;
  const exitCode = (): number => (typeof process.exitCode === 'number' ? process.exitCode : 0);
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (outClosed) return;
    outClosed = true;
    if (error.code !== 'EPIPE' && !errClosed) stderr.write(`trailscope: cannot write the output: ${error.message}\n`);
    const code = error.code === 'EPIPE' ? exitCode() : 1;
    void runningQueries.stopAll().finally(() => process.exit(code));
  });
  stderr.on('error', () => {
    errClosed = true;
  });
  return {
    out: (text) => {
      if (!outClosed) stdout.write(shown(text));
    },
    err: (text) => {
      if (!errClosed) stderr.write(shownErr(text));
    },
    ...(stderr.isTTY
      ? {
          status: (text: string) => {
            if (!errClosed) stderr.write(`\r\x1b[K${escapeTerminal(text)}`);
          },
        }
      : {}),
  };
}

if (require.main === module) {
  const io = writersFor(process.stdout, process.stderr);
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
