import type { OptionSpec, ParsedArgs } from './args';

/** What a subcommand writes to; tests pass their own to capture output. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /**
   * Replaces the one status line a terminal shows on stderr (progress); '' clears it. Absent when stderr
   * is no terminal, where a line redrawn in place would only be noise.
   */
  status?: (text: string) => void;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** e.g. '<path>... --db FILE [--format text|json]' */
  usage: string;
  /** Longer help text shown after the usage line. */
  details?: string;
  options: OptionSpec[];
  /**
   * Whether it takes arguments besides its options (files, a notebook). One that does not refuses them:
   * `lookup --db F EventName=StopLogging` must not quietly return every event.
   */
  takesArguments?: boolean;
  /** Resolves to the process exit code. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
