/**
 * What stands between Trailscope and an account: every SDK client it builds goes through `guarded`.
 * - Read-only: a command outside READ_COMMANDS is refused before it is signed or sent, whatever code
 *   path asks for it.
 * - No secrets in errors: a SignatureDoesNotMatch answer quotes the request the service expected,
 *   headers and all (x-amz-security-token among them); such text is cut from every error message before
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
      if (error instanceof Error) error.message = scrubbedMessage(error.message);
      throw error;
    }
  };
  // Every service's stack takes an initialize middleware; its input and output types do not matter here.
  (client.middlewareStack as MiddlewareStack<object, object>).add(guard, { step: 'initialize', name: 'trailscopeGuard', priority: 'high' });
  return client;
}
