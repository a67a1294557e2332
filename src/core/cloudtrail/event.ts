/**
 * The LookupEvents `Event` shape (aws-api-reference A.4). Live results come straight from the API in
 * this shape; the evidence store builds the same shape from raw records, so every consumer (webview,
 * CLI, pivots) has exactly one code path for events.
 */
export interface LookupEventResource {
  ResourceType?: string;
  ResourceName?: string;
}

export interface LookupEvent {
  EventId: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  /** ISO 8601 UTC, e.g. 2020-09-14T00:44:23Z (the SDK's Date is converted at the source boundary). */
  EventTime: string;
  EventSource?: string;
  Username?: string;
  Resources?: LookupEventResource[];
  /** The full CloudTrail record serialized as JSON text. Attacker-controlled throughout. */
  CloudTrailEvent: string;
}

/** The parts of a CloudTrail record that Trailscope reads. Everything is optional: logs are hostile. */
export interface CloudTrailRecord {
  eventVersion?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean | string;
  eventType?: string;
  eventCategory?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  requestID?: string;
  eventID?: string;
  sharedEventID?: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  additionalEventData?: unknown;
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
  userIdentity?: UserIdentity;
  [key: string]: unknown;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  sessionContext?: {
    sessionIssuer?: { type?: string; principalId?: string; arn?: string; accountId?: string; userName?: string };
    attributes?: { creationDate?: string; mfaAuthenticated?: string };
    sourceIdentity?: string;
  };
  [key: string]: unknown;
}

/** The record inside an event; an empty record when CloudTrailEvent is not a JSON object (hostile input stays inert). */
export function recordOfEvent(event: LookupEvent): CloudTrailRecord {
  try {
    const value: unknown = JSON.parse(event.CloudTrailEvent);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as CloudTrailRecord) : {};
  } catch {
    return {};
  }
}

/** LookupEvents order: newest first; events of the same second by descending EventId (the evidence store's order too). */
export function newestFirst(a: LookupEvent, b: LookupEvent): number {
  return Date.parse(b.EventTime) - Date.parse(a.EventTime) || (a.EventId > b.EventId ? -1 : a.EventId < b.EventId ? 1 : 0);
}

/**
 * The pages of a lookup as they arrive, gathered as the whole answer will have them: newest first and at
 * most `max`. The pages of several regions or accounts interleave, so a page is not simply appended.
 */
export class NewestEvents {
  /** The newest `max` so far, in order, each time parsed once; an event past them can never come back. */
  private kept: Array<{ time: number; event: LookupEvent }> = [];

  constructor(private readonly max: number) {}

  /** The answer so far, with this page: the page merged in, not everything sorted again. */
  add(page: LookupEvent[]): LookupEvent[] {
    // As newestFirst: time descending, then EventId descending.
    const order = (a: { time: number; event: LookupEvent }, b: { time: number; event: LookupEvent }): number =>
      b.time - a.time || (a.event.EventId > b.event.EventId ? -1 : a.event.EventId < b.event.EventId ? 1 : 0);
    const incoming = page.map((event) => ({ time: Date.parse(event.EventTime), event })).sort(order);
    const merged: Array<{ time: number; event: LookupEvent }> = [];
    let [i, j] = [0, 0];
    while (merged.length < this.max && (i < this.kept.length || j < incoming.length)) {
      const takeKept = j >= incoming.length || (i < this.kept.length && order(this.kept[i]!, incoming[j]!) <= 0);
      merged.push(takeKept ? this.kept[i++]! : incoming[j++]!);
    }
    this.kept = merged;
    return merged.map((k) => k.event);
  }
}
