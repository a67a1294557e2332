import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EndpointBackend } from './backend';
import { CloudTrailService, type CallContext, type EndpointTrail } from './cloudtrail';
import { DEFAULT_FAULTS, pageTokenOf, seededRandom, SlidingWindowLimit, withRepeatedPageToken, type FaultConfig } from './faults';
import { LogsService } from './logs';
import { readBody, sendJson, sendJsonError, sendQueryError, sendQueryResult, ServiceError, signedCaller } from './wire';

/**
 * A local AWS-compatible endpoint: CloudTrail and CloudWatch Logs over AWS JSON 1.1, STS over the
 * query protocol, all on one port. The real SDK signs, serializes, paginates and retries against it,
 * so live code is tested end to end without an AWS account. Admin routes under /_trailscope/ let a
 * test change faults and read the log of every request received.
 */

export interface EndpointOptions {
  backend: EndpointBackend;
  /** Access key ID → account ID. Unmapped keys get the data's own account (or 123456789012) and see every account's events. */
  accounts?: Record<string, string>;
  trails?: EndpointTrail[];
  faults?: Partial<FaultConfig>;
  syntheticLogGroups?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RequestLogEntry {
  /** Milliseconds since the epoch, when the request arrived. */
  at: number;
  service: 'cloudtrail' | 'logs' | 'sts' | 'unknown';
  operation: string;
  region?: string;
  accountId?: string;
  accessKeyId?: string;
  params: Record<string, unknown>;
  status: number;
  errorType?: string;
}

export interface RunningEndpoint {
  /** e.g. http://127.0.0.1:41234 — give it to the SDK as `endpoint`. */
  url: string;
  /** Every request received, in arrival order. */
  readonly requests: RequestLogEntry[];
  faults: FaultConfig;
  close(): Promise<void>;
}

// The SDK sends the service name alone; older clients send the fully qualified form.
const CLOUDTRAIL_TARGETS = ['CloudTrail_20131101.', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'];
const LOGS_TARGET = 'Logs_20140328.';
const FALLBACK_ACCOUNT = '123456789012';

export async function startEndpoint(options: EndpointOptions): Promise<RunningEndpoint> {
  const requests: RequestLogEntry[] = [];
  const state = { faults: { ...DEFAULT_FAULTS, ...options.faults }, random: seededRandom(options.faults?.seed ?? DEFAULT_FAULTS.seed) };
  const limit = new SlidingWindowLimit();
  const cloudtrail = new CloudTrailService(options.backend, options.trails ?? []);
  const logs = new LogsService(options.backend, () => state.faults, options.syntheticLogGroups ?? 0);
  const dataAccount = options.backend.defaultAccountId();
  // Slow answers end early when the endpoint closes, so a test's teardown never waits for them.
  const closing = new AbortController();
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      closing.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  const setFaults = (patch: Partial<FaultConfig>): void => {
    state.faults = { ...state.faults, ...patch };
    if (patch.seed !== undefined) state.random = seededRandom(patch.seed);
  };

  async function context(accessKeyId: string, region: string): Promise<CallContext> {
    const mapped = options.accounts?.[accessKeyId];
    return { region, accountId: mapped ?? (await dataAccount) ?? FALLBACK_ACCOUNT, lookupAccountId: mapped };
  }

  async function service(request: IncomingMessage, response: ServerResponse, entry: RequestLogEntry): Promise<void> {
    const body = await readBody(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    const isQuery = !target && String(request.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
    entry.service = CLOUDTRAIL_TARGETS.some((t) => target.startsWith(t)) ? 'cloudtrail' : target.startsWith(LOGS_TARGET) ? 'logs' : isQuery ? 'sts' : 'unknown';
    const fail = (error: ServiceError): void => {
      entry.status = error.status;
      entry.errorType = error.type;
      if (entry.service === 'sts') sendQueryError(response, error);
      else sendJsonError(response, error);
    };
    try {
      const params = isQuery ? Object.fromEntries(new URLSearchParams(body)) : body ? (JSON.parse(body) as Record<string, unknown>) : {};
      entry.operation = isQuery ? String(params.Action ?? '') : target.slice(target.lastIndexOf('.') + 1);
      entry.params = params;
      const caller = signedCaller(request);
      entry.region = caller.region;
      entry.accessKeyId = caller.accessKeyId;
      const ctx = await context(caller.accessKeyId, caller.region);
      entry.accountId = ctx.accountId;
      const { delayMs, laterPageDelayMs, serverErrorRate, throttleRate, lookupRatePerSecond, deniedOperations, signatureMismatch, echoHeaders } = state.faults;
      const wait = delayMs + (pageTokenOf(params) ? laterPageDelayMs : 0);
      if (wait > 0) await delay(wait);
      if (signatureMismatch) throw signatureError(request);
      if (echoHeaders) throw echoedHeadersError(request);
      if (deniedOperations.includes(entry.operation)) {
        throw new ServiceError('AccessDeniedException', `User: arn:aws:iam::${ctx.accountId}:user/trailscope-local is not authorized to perform: ${entry.operation}`);
      }
      // Arrival time, not now: reading the body must not make a well-paced client look too fast.
      if (entry.operation === 'LookupEvents' && !limit.admit(`${ctx.accountId}|${ctx.region}`, lookupRatePerSecond, entry.at)) {
        throw new ServiceError('ThrottlingException', 'Rate exceeded');
      }
      if (throttleRate > 0 && state.random() < throttleRate) throw new ServiceError('ThrottlingException', 'Rate exceeded (injected).');
      if (serverErrorRate > 0 && state.random() < serverErrorRate) {
        throw state.random() < 0.5
          ? new ServiceError('InternalFailure', 'An internal error occurred (injected).', 500)
          : new ServiceError('ServiceUnavailableException', 'Service unavailable (injected).', 503);
      }
      const answer = await dispatch(entry.service, entry.operation, ctx, params);
      const result = state.faults.repeatPageToken ? withRepeatedPageToken(answer, params) : answer;
      entry.status = 200;
      if (entry.service === 'sts') sendQueryResult(response, entry.operation, result as Record<string, string>);
      else sendJson(response, 200, result);
    } catch (error) {
      if (error instanceof ServiceError) fail(error);
      else if (error instanceof SyntaxError) fail(new ServiceError('SerializationException', 'The request body is not valid JSON.'));
      else fail(new ServiceError('InternalFailure', error instanceof Error ? error.message : String(error), 500));
    }
  }

  /** SignatureDoesNotMatch as AWS words it, with the canonical request it expected: headers included. */
  function signatureError(request: IncomingMessage): ServiceError {
    const headers = ['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target'].flatMap((h) => (request.headers[h] ? [`${h}:${String(request.headers[h])}`] : []));
    const canonical = ['POST', '/', '', ...headers, '', headers.map((h) => h.split(':')[0]).join(';')].join('\n');
    return new ServiceError(
      'SignatureDoesNotMatch',
      `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n...'`,
      403,
    );
  }

  function echoedHeadersError(request: IncomingMessage): ServiceError {
    const token = String(request.headers['x-amz-security-token'] ?? '');
    const quoted = JSON.stringify({ authorization: request.headers.authorization, 'x-amz-security-token': token });
    return new ServiceError('BadRequest', `Request rejected: ${quoted}; token ${token}; retry at /?X-Amz-Security-Token%3D${encodeURIComponent(token)}`, 400);
  }

  async function dispatch(svc: RequestLogEntry['service'], operation: string, ctx: CallContext, params: Record<string, unknown>): Promise<unknown> {
    const key = `${svc}:${operation}`;
    switch (key) {
      case 'cloudtrail:LookupEvents':
        return cloudtrail.lookupEvents(ctx, params);
      case 'cloudtrail:DescribeTrails':
        return cloudtrail.describeTrails(ctx, params);
      case 'cloudtrail:GetTrailStatus':
        return cloudtrail.getTrailStatus(ctx, params);
      case 'logs:DescribeLogGroups':
        return logs.describeLogGroups(ctx, params);
      case 'logs:FilterLogEvents':
        return logs.filterLogEvents(params);
      case 'logs:StartQuery':
        return logs.startQuery(ctx, params);
      case 'logs:GetQueryResults':
        return logs.getQueryResults(params);
      case 'logs:GetLogRecord':
        return logs.getLogRecord(params);
      case 'logs:StopQuery':
        return logs.stopQuery(params);
      case 'logs:DescribeQueryDefinitions':
        return logs.describeQueryDefinitions(ctx, params);
      case 'logs:PutQueryDefinition':
        return logs.putQueryDefinition(ctx, params);
      case 'sts:GetCallerIdentity':
        return { Arn: `arn:aws:iam::${ctx.accountId}:user/trailscope-local`, UserId: 'AIDATRAILSCOPELOCAL', Account: ctx.accountId };
      default:
        throw new ServiceError('UnknownOperationException', `The local endpoint does not implement ${operation || 'this request'}.`);
    }
  }

  async function admin(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (path === '/_trailscope/requests' && request.method === 'GET') return sendJson(response, 200, requests, 'application/json');
    if (path === '/_trailscope/requests' && request.method === 'DELETE') {
      requests.length = 0;
      return sendJson(response, 200, {}, 'application/json');
    }
    if (path === '/_trailscope/faults' && request.method === 'POST') setFaults(JSON.parse(await readBody(request)) as Partial<FaultConfig>);
    if (path === '/_trailscope/faults') return sendJson(response, 200, state.faults, 'application/json');
    sendJson(response, 404, { message: 'unknown admin route' }, 'application/json');
  }

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path.startsWith('/_trailscope/')) {
      admin(request, response, path).catch((error: unknown) => sendJson(response, 400, { message: String(error) }, 'application/json'));
      return;
    }
    const entry: RequestLogEntry = { at: Date.now(), service: 'unknown', operation: '', params: {}, status: 0 };
    requests.push(entry);
    void service(request, response, entry);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    requests,
    get faults() {
      return state.faults;
    },
    set faults(value: FaultConfig) {
      setFaults(value);
    },
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.backend.close?.();
    },
  };
}
