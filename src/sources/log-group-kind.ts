import type { LogKind } from './source';

/**
 * What a log group holds, from its name (the conventions AWS and most teams use) and, when the name
 * says nothing, from one of its events. The sample is attacker-controlled text: it is only matched,
 * never evaluated or shown.
 */
const NAME_RULES: Array<[RegExp, LogKind]> = [
  [/^\/aws\/lambda\//, 'lambda'],
  [/cloudtrail/i, 'cloudtrail'],
  [/flow[-_ ]?logs?|vpc[-_]?flow|^\/aws\/vpc\//i, 'vpc-flow'],
  [/^\/aws\/events\/|guardduty|eventbridge/i, 'eventbridge'],
];

export function kindFromName(name: string): LogKind | undefined {
  return NAME_RULES.find(([pattern]) => pattern.test(name))?.[1];
}

// Default (v2) flow log line: version account eni src dst sport dport proto packets bytes start end action status.
const FLOW_LINE = /^\d+ (\d{12}|-|unknown) (eni-[0-9a-f]+|-) \S+ \S+ \S+ \S+ \S+ \S+ \S+ \d+ \d+ (ACCEPT|REJECT|-) (OK|NODATA|SKIPDATA)\b/;
const LAMBDA_LINE = /^(START|END|REPORT|INIT_START) RequestId: |^INIT_START Runtime/;

export function kindFromSample(message: string): LogKind {
  const text = message.trim();
  if (FLOW_LINE.test(text)) return 'vpc-flow';
  if (LAMBDA_LINE.test(text)) return 'lambda';
  if (text.startsWith('{')) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (typeof value.eventVersion === 'string' && typeof value.eventSource === 'string' && typeof value.eventName === 'string') return 'cloudtrail';
      if (typeof value['detail-type'] === 'string' && typeof value.source === 'string') return 'eventbridge';
    } catch {
      // not JSON after all
    }
  }
  return 'other';
}
