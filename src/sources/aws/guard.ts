/**
 * What stands between Trailscope and an account: every SDK client it builds goes through `guarded`.
 * - Read-only: a command outside READ_COMMANDS is refused before it is signed or sent, whatever code
 *   path asks for it.
 * - No secrets in errors: a SignatureDoesNotMatch answer quotes the request the service expected,
 *   headers and all (x-amz-security-token among them); every error is rebuilt without such text before
 *   anything shows, logs or saves it.
 */

import type { HandlerExecutionContext, InitializeMiddleware, MiddlewareStack } from '@smithy/types';

const READ_COMMANDS = new Set([
  'LookupEventsCommand',
  'DescribeTrailsCommand',
  'GetTrailStatusCommand',
  'DescribeLogGroupsCommand',
  'FilterLogEventsCommand',
  'StartQueryCommand',
  'GetQueryResultsCommand',
  'StopQueryCommand',
  'GetLogRecordCommand',
  'DescribeQueryDefinitionsCommand',
  'GetCallerIdentityCommand',
]);

export class RefusedCommandError extends Error {
  override name = 'RefusedCommandError';
}

/** An AWS error message without what it may quote of the signed request. */
export function scrubbedMessage(message: string): string {
  return message
    .replace(/\s*The (Canonical String|String-to-Sign) for this request should have been[\s\S]*$/i, ' (the rest of the answer, which quotes the signed request, is left out)')
    .replace(/(x-amz-security-token|authorization)\s*[:=][^\n]*/gi, '$1: (removed)')
    .replace(/(X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token|Signature|Credential)=[^\s,&]+/g, '$1=(removed)');
}

/** Deeper than this, an error's data is dropped rather than searched. */
const MAX_ERROR_DEPTH = 8;

function scrubbedValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubbedMessage(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_ERROR_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((item) => scrubbedValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubbedValue(item, depth + 1)]));
}

/**
 * The error rebuilt from scrubbed copies of its data. Scrubbing the message alone is not enough: the
 * service's answer is also in other properties (`Error.Message`), the stack and the hidden raw response,
 * which util.inspect and JSON.stringify would print. The class, name, $fault and $metadata are kept.
 */
function scrubbedError(error: Error): Error {
  const clean = Object.setPrototypeOf(new Error(scrubbedMessage(error.message)), Object.getPrototypeOf(error) as object) as Error;
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'message' && key !== 'stack') Object.assign(clean, { [key]: scrubbedValue(value, 1) });
  }
  // The stack was written with the raw message; capture a new one, headed by the error's own name.
  Error.captureStackTrace(clean, scrubbedError);
  return clean;
}

/** The client, refusing commands that change an account and scrubbing the messages of its errors. */
export function guarded<Client extends { middlewareStack: object }>(client: Client): Client {
  const guard: InitializeMiddleware<object, object> = (next, context: HandlerExecutionContext) => async (args) => {
    const command = context.commandName ?? '';
    if (!READ_COMMANDS.has(command)) {
      throw new RefusedCommandError(`Trailscope only reads from AWS: it refused to send ${command.replace(/Command$/, '') || 'an unknown command'}.`);
    }
    try {
      return await next(args);
    } catch (error) {
      throw error instanceof Error ? scrubbedError(error) : error;
    }
  };
  // Every service's stack takes an initialize middleware; its input and output types do not matter here.
  (client.middlewareStack as MiddlewareStack<object, object>).add(guard, { step: 'initialize', name: 'trailscopeGuard', priority: 'high' });
  return client;
}
