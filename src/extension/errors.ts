import { displayText } from './display-text';

/**
 * How a failure reads in the UI: a short line for a tree row or notification and the full message for
 * its tooltip or "details". Messages from the sources already say what to do (e.g. the exact
 * `aws sso login --profile NAME`), so they are shown as they are, never swallowed.
 */
export interface Failure {
  short: string;
  detail: string;
  cancelled: boolean;
}

export function describeFailure(error: unknown): Failure {
  const cancelled = error instanceof Error && (error.name === 'AbortError' || error.name === 'CancellationError');
  const message = error instanceof Error ? error.message : String(error);
  return { short: displayText(firstLineOf(error), 160), detail: displayText(message, 4000), cancelled };
}

/** The first line of an error's message, for a one-line report. */
export function firstLineOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
