import type { LogGroupInfo, LogKind } from '../../sources/source';
import type { TrailInfo } from '../services/ports';
import type { Target } from '../../core/target';

/**
 * The explorer's nodes. Each carries what its context-menu commands need (a target, a region, a log
 * group), so a command invoked from the tree never has to ask again.
 */
export type Node =
  | { type: 'accounts' }
  | { type: 'evidence' }
  | { type: 'message'; label: string; tooltip?: string; icon?: string; command?: { id: string; args?: unknown[] } }
  | { type: 'profile'; profile: string; demo: boolean; /** The profile's own region (its `region =`), read first. */ region?: string }
  | { type: 'region'; profile: string; region: string }
  | { type: 'trails'; profile: string; region: string }
  | { type: 'trail'; profile: string; region: string; trail: TrailInfo }
  | { type: 'logGroups'; target: Target; region?: string }
  | { type: 'kind'; target: Target; kind: LogKind; groups: LogGroupInfo[] }
  | { type: 'logGroup'; target: Target; group: LogGroupInfo }
  | { type: 'more'; parent: Node & { type: 'kind' }; remaining: number }
  | { type: 'store'; path: string }
  | { type: 'facet'; label: string; description: string; tooltip: string[]; icon: string };

export const KIND_LABELS: Record<LogKind, string> = {
  cloudtrail: 'CloudTrail',
  'vpc-flow': 'VPC flow logs',
  lambda: 'Lambda',
  eventbridge: 'EventBridge',
  other: 'Other',
};

export const KIND_ORDER: LogKind[] = ['cloudtrail', 'vpc-flow', 'lambda', 'eventbridge', 'other'];

/** Log groups shown per kind before a "Load more…" item; accounts with thousands stay responsive. */
export const PAGE_SIZE = 200;

export function groupByKind(groups: LogGroupInfo[], filter: string): Map<LogKind, LogGroupInfo[]> {
  const needle = filter.toLowerCase();
  const byKind = new Map<LogKind, LogGroupInfo[]>();
  for (const group of groups) {
    if (needle && !group.name.toLowerCase().includes(needle)) continue;
    const list = byKind.get(group.kind) ?? [];
    list.push(group);
    byKind.set(group.kind, list);
  }
  for (const list of byKind.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return byKind;
}
