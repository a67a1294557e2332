import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * The two wire protocols the SDK speaks to the services we emulate: AWS JSON 1.1 (CloudTrail,
 * CloudWatch Logs) and the query protocol (STS: form-encoded request, XML response).
 */

/** An error the emulated service returns; `type` is the shape name the SDK turns into an exception class. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    /** Members of the error shape beyond `message` (e.g. MalformedQueryException's queryCompileError). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface SignedCaller {
  accessKeyId: string;
  region: string;
  service: string;
}

/**
 * The caller named by the SigV4 Authorization header. The signature itself is not verified (this is a
 * local test double), but an unsigned request is refused the way AWS refuses it.
 */
export function signedCaller(request: IncomingMessage): SignedCaller {
  const header = request.headers.authorization ?? '';
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header);
  if (!match) throw new ServiceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 403);
  return { accessKeyId: match[1], region: match[2], service: match[3] };
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.1'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

export function sendJsonError(response: ServerResponse, error: ServiceError): void {
  sendJson(response, error.status, { ...error.fields, __type: error.type, message: error.message });
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
  response.end(xml);
}

/** A query-protocol success: `<{Action}Response><{Action}Result>fields</...>`. */
export function sendQueryResult(response: ServerResponse, action: string, fields: Record<string, string>): void {
  const inner = Object.entries(fields)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  sendXml(
    response,
    200,
    `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${inner}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

export function sendQueryError(response: ServerResponse, error: ServiceError): void {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  sendXml(
    response,
    error.status,
    `<ErrorResponse><Error><Type>${type}</Type><Code>${xmlEscape(error.type)}</Code><Message>${xmlEscape(error.message)}</Message></Error>` +
      `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/** Epoch seconds (the JSON protocol's timestamp form) from an ISO string. */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
