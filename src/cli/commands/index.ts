import type { CliCommand } from '../command';

/** Every subcommand, in the order `trailscope --help` lists them. Each lives in its own module. */
export const COMMANDS: CliCommand[] = [];
