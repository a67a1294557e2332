/**
 * What an ingest reports as it goes, and how its one unusual step reads; a module of its own, so that the
 * editor can word progress without loading the ingest at activation.
 */
export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  records: number;
  path?: string;
  /** Every file is written; the index and the pivot side table are being built (seconds at a million events). */
  indexing?: true;
  /** Before any file: the store's events from an older Trailscope are being derived again (deriveAgainIfOlder). */
  derivingAgain?: number;
}

/** The progress message while a store's events are derived again, the same in the CLI and the editor. */
export const derivingAgainText = (events: number): string =>
  `deriving the store's ${events.toLocaleString('en-US')} events again with this version's rules (once)`;
