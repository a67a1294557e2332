import type { CliCommand } from '../command';
import { viewCommand } from './view';
import { ingestCommand } from './ingest';
import { lookupCommand } from './lookup';
import { relatedCommand } from './related';
import { trailsCommand } from './trails';
import { logGroupsCommand } from './log-groups';
import { insightsCommand } from './insights';
import { timelineCommand } from './timeline';
import { notebookCommand } from './notebook';

/** Every subcommand, in the order `trailscope --help` lists them. Each lives in its own module. */
export const COMMANDS: CliCommand[] = [ingestCommand, lookupCommand, relatedCommand, viewCommand, trailsCommand, logGroupsCommand, insightsCommand, timelineCommand, notebookCommand];
