/**
 * What stands between Trailscope and an account: every SDK client it builds goes through `guarded`.
 * - Read-only: a command outside READ_COMMANDS is refused before it is signed or sent, whatever code
 *   path asks for it.
 * - No secrets in errors: a SignatureDoesNotMatch answer quotes the request the service expected,
 *   headers and all (x-amz-security-token among them), and a proxy in the way may echo the headers in
 *   any form; every error is rebuilt without such text, and without any secret value of the credentials
 *   resolved so far, before anything shows, logs or saves it.
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

/**
 * The secret parts of the credentials resolved so far (AwsAccount remembers each identity it signs with):
 * removed from every error by value, as well as by the labels AWS quotes them under, since a proxy or
 * gateway in the way may echo them in any form (JSON, a URL, bare).
 */
const knownSecrets = new Set<string>();
/** Credentials are refreshed about hourly: a long session holds a few; the oldest go first. */
const MAX_KNOWN_SECRETS = 64;

export function rememberSecrets(identity: { secretAccessKey?: string; sessionToken?: string }): void {
  for (const secret of [identity.secretAccessKey, identity.sessionToken]) {
    // Real keys are 40 characters and tokens hundreds: a short value would strip ordinary text.
    if (secret === undefined || secret.length < 16 || knownSecrets.has(secret)) continue;
    if (knownSecrets.size >= MAX_KNOWN_SECRETS) knownSecrets.delete(knownSecrets.values().next().value!);
    knownSecrets.add(secret);
  }
}

/** A secret as text may carry it: as is, percent-encoded (a URL), and with JSON's escaped slashes. */
const spellingsOf = (secret: string): string[] => [...new Set([secret, encodeURIComponent(secret), secret.replaceAll('/', '\\/')])];

/** An AWS error message without what it may quote of the signed request, or of the credentials. */
export function scrubbedMessage(message: string): string {
  let scrubbed = message
    .replace(/\s*The (Canonical String|String-to-Sign) for this request should have been[\s\S]*$/i, ' (the rest of the answer, which quotes the signed request, is left out)')
    // The label as a header (`name:`), a query parameter (`name=`) or a JSON key (`"name":`).
    .replace(/(x-amz-security-token|authorization)["']?\s*[:=][^\n]*/gi, '$1: (removed)')
    .replace(/(X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token|Signature|Credential)(=|%3D)[^\s,&"]+/gi, '$1$2(removed)');
  for (const secret of knownSecrets) {
    for (const spelling of spellingsOf(secret)) scrubbed = scrubbed.replaceAll(spelling, '(removed)');
  }
  return scrubbed;
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
