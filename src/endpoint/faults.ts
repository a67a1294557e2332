/**
 * Fault injection for the local endpoint: the behaviours of the real services that a client must
 * survive. Tests set them per endpoint (constructor options) or while it runs (the admin route).
 */
export interface FaultConfig {
  /** LookupEvents requests a second per account and region before ThrottlingException; 0 turns the limit off. Default 2, as AWS. */
  lookupRatePerSecond: number;
  /** Probability (0..1) that any service request is answered 500 or 503 instead. */
  serverErrorRate: number;
  /**
   * Probability (0..1) that any service request is answered ThrottlingException, however slowly the
   * client sends: a busy service, and a throttle tests can count on whatever the machine's speed.
   */
  throttleRate: number;
  /** Seed of the pseudo-random stream behind serverErrorRate and throttleRate, so a failing run can be replayed. */
  seed: number;
  /** Milliseconds added before every service answer. */
  delayMs: number;
  /**
   * Milliseconds added, on top of delayMs, before answering a request for a later page (one that
   * carries a NextToken): a listing whose first page comes back and whose next ones are slow, so a
   * test can stop it mid-way whatever the machine's speed. Ends early when the endpoint closes.
   */
  laterPageDelayMs: number;
  /**
   * An answer to a request for a later page gives back the request's own token as the next one, in
   * place of the real next token or its absence: a service stuck on one page, which a client that does
   * not watch its tokens would read forever.
   */
  repeatPageToken: boolean;
  /** How Logs Insights queries end. */
  queryOutcome: 'Complete' | 'Failed' | 'Timeout';
  /** GetQueryResults polls a query stays Running (with partial results) before it ends. */
  queryRunningPolls: number;
  /** Operations answered AccessDeniedException, as for a principal whose policy lacks them. */
  deniedOperations: string[];
  /**
   * Every request answered SignatureDoesNotMatch, quoting the canonical request the way AWS does (its
   * headers, the session token among them): what a wrong or rotated secret key gets back.
   */
  signatureMismatch: boolean;
  /**
   * Every request answered 400 by something in the way (a proxy, an API gateway) that quotes the request's
   * headers in its message: as JSON, and the session token also bare and percent-encoded in a URL.
   */
  echoHeaders: boolean;
}

export const DEFAULT_FAULTS: FaultConfig = {
  lookupRatePerSecond: 2,
  serverErrorRate: 0,
  throttleRate: 0,
  seed: 1,
  delayMs: 0,
  laterPageDelayMs: 0,
  repeatPageToken: false,
  queryOutcome: 'Complete',
  queryRunningPolls: 1,
  deniedOperations: [],
  signatureMismatch: false,
  echoHeaders: false,
};

/** The page token a request carries and the member it goes in: CloudTrail spells it NextToken, CloudWatch Logs nextToken. */
export function pageTokenOf(params: Record<string, unknown>): { member: 'NextToken' | 'nextToken'; token: unknown } | undefined {
  for (const member of ['NextToken', 'nextToken'] as const) {
    if (params[member]) return { member, token: params[member] };
  }
  return undefined;
}

/** The repeatPageToken fault: `answer` with the request's page token as its next one. */
export function withRepeatedPageToken(answer: unknown, params: Record<string, unknown>): unknown {
  const carried = pageTokenOf(params);
  return carried && typeof answer === 'object' && answer !== null ? { ...answer, [carried.member]: carried.token } : answer;
}

/** mulberry32: a small seeded generator; quality is ample for fault dice. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The LookupEvents quota as AWS states it: at most N requests in any one-second window per account
 * and region. Only accepted requests count, so a throttled client is not punished twice.
 */
export class SlidingWindowLimit {
  private readonly accepted = new Map<string, number[]>();

  /** Whether a request for `key` at time `now` fits; records it when it does. */
  admit(key: string, perSecond: number, now: number): boolean {
    if (perSecond <= 0) return true;
    const times = (this.accepted.get(key) ?? []).filter((t) => now - t < 1000);
    const ok = times.length < perSecond;
    if (ok) times.push(now);
    this.accepted.set(key, times);
    return ok;
  }
}
