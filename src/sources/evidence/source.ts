import { basename } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { buildLookupEvent } from '../../core/cloudtrail/lookup-event';
import type { LookupEvent, LookupEventResource } from '../../core/cloudtrail/event';
import type { LookupRequest } from '../../core/lookup/request';
import type { InsightsResult } from '../../core/results';
import { kindFromName, kindFromSample } from '../log-group-kind';
import type { BatchAnswer, InsightsOptions, InsightsRequest, LogGroupInfo, LogKind, LookupOptions, RunOptions, TrailSource } from '../source';
import { lookupCondition, type SqlCondition } from './lookup-sql';
import { KEYS_TABLE_USABLE } from './schema';
import { EvidenceStore } from './store';
import { runEvidenceInsights } from './insights';

/** What an evidence store holds, for the tree and `trailscope summary`-like views. */
export interface EvidenceSummary {
  accounts: string[];
  regions: string[];
  logGroups: Array<{ name: string; kind: LogKind; records: number }>;
  counts: { cloudtrail: number; flow: number; logs: number; files: number };
  /** ISO 8601 UTC bounds of the CloudTrail events, when there are any. */
  first?: string;
  last?: string;
}

const PAGE = 500;
const FETCH_CHUNK = 100;
/** Requests per lookupBatch statement: an event's pivots fit in one; each branch holds its own state. */
const BATCH_REQUESTS = 32;

interface EventRow {
  event_id: string;
  event_name: string | null;
  read_only: boolean | null;
  access_key_id: string | null;
  event_time: string;
  event_source: string | null;
  username: string | null;
  resources: Array<{ type: string | null; name: string | null }> | null;
  raw: string;
}

const EVENT_COLUMNS = `event_id, event_name, read_only, access_key_id, strftime(event_time, '%Y-%m-%dT%H:%M:%SZ') AS event_time,
  event_source, username, resources, raw`;

function toEvent(row: EventRow): LookupEvent {
  return buildLookupEvent({
    EventId: row.event_id,
    EventName: row.event_name ?? undefined,
    ReadOnly: row.read_only === null ? undefined : String(row.read_only),
    AccessKeyId: row.access_key_id ?? undefined,
    EventTime: row.event_time,
    EventSource: row.event_source ?? undefined,
    Username: row.username ?? undefined,
    Resources: (row.resources ?? []).map((r): LookupEventResource => (r.type ? { ResourceType: r.type, ResourceName: r.name ?? undefined } : { ResourceName: r.name ?? undefined })),
    CloudTrailEvent: row.raw,
  });
}

function abortError(): Error {
  return new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The offline TrailSource: LookupEvents and Insights over an evidence store. Lookups compile to one SQL
 * query (src/sources/evidence/lookup-sql.ts); pages of results are delivered as they are read.
 */
export class EvidenceSource implements TrailSource {
  readonly kind = 'evidence' as const;
  readonly label: string;
  private groups?: { version: string; groups: LogGroupInfo[] };

  constructor(readonly store: EvidenceStore) {
    this.label = basename(store.path);
  }

  static async open(path: string, options: { readOnly?: boolean } = {}): Promise<EvidenceSource> {
    return new EvidenceSource(await EvidenceStore.open(path, options));
  }

  close(): void {
    this.store.close();
  }

  async lookupEvents(request: LookupRequest, options: LookupOptions = {}): Promise<LookupEvent[]> {
    const max = request.max ?? Number.POSITIVE_INFINITY;
    const events: LookupEvent[] = [];
    // Keyset pagination (time, id) keeps each page a cheap top-N query however deep the user scrolls.
    let after: { time: string; id: string } | undefined;
    while (events.length < max) {
      if (options.signal?.aborted) throw abortError();
      const limit = Math.min(PAGE, max - events.length);
      const page = await this.fetchEvents(await this.topIds(request, limit, after));
      if (options.signal?.aborted) throw abortError();
      events.push(...page);
      options.onPage?.(page);
      if (page.length < limit) break;
      const last = page[page.length - 1];
      after = { time: last.EventTime.replace('T', ' ').replace('Z', ''), id: last.EventId };
    }
    return events;
  }

  /**
   * The full events for IDs, in the order given. Selecting the top N on narrow columns first and then
   * fetching the wide ones (raw, resources) through the event_id index is what keeps lookups fast at a
   * million events: the raw text of rows that do not make the page is never read. DuckDB answers an IN
   * list of IDs through the index, one statement per chunk (measured faster than a UNION ALL of point
   * lookups, which plans and fetches each ID on its own).
   */
  private async fetchEvents(ids: string[]): Promise<LookupEvent[]> {
    const byId = new Map<string, LookupEvent>();
    for (let at = 0; at < ids.length; at += FETCH_CHUNK) {
      const chunk = ids.slice(at, at + FETCH_CHUNK);
      const sql = `SELECT ${EVENT_COLUMNS} FROM cloudtrail WHERE event_id IN (${chunk.map(() => '?').join(', ')})`;
      for (const row of await this.store.all<EventRow>(sql, chunk)) byId.set(row.event_id, toEvent(row));
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Several lookups (the related-event pivots) in one statement, so DuckDB plans and runs them together:
   * each request is one aggregate pass giving its count and its newest events (a top-N aggregate; numbering
   * every match in a window would sort all of a busy principal's events). Then one fetch of the wide
   * columns for every event returned.
   */
  async lookupBatch(requests: LookupRequest[], options: RunOptions = {}): Promise<BatchAnswer[]> {
    if (options.signal?.aborted) throw abortError();
    const answers = requests.map(() => ({ ids: [] as string[], count: 0 }));
    const keysTable = await this.hasKeysTable();
    for (let at = 0; at < requests.length; at += BATCH_REQUESTS) {
      if (options.signal?.aborted) throw abortError();
      const params: DuckDBValue[] = [];
      const branches = requests.slice(at, at + BATCH_REQUESTS).map((request, i) => {
        const { from, where, params: own, keyed } = lookupCondition(request, { keysTable });
        params.push(...own);
        // DuckDB's top-N aggregate keeps fewer than a million; the count still covers every match.
        const max = Math.min(request.max ?? PAGE, 999_999);
        // Newest first, ties by descending ID, as topIds orders them; the side table stores that order.
        const order = keyed ? 'rowid' : '{time: event_time, id: event_id}';
        const newest = max > 0 ? `max_by(event_id, ${order}, ${max})` : '[]::VARCHAR[]';
        return `SELECT ${at + i} AS q, count(*) AS n, ${newest} AS ids FROM ${from} WHERE ${where}`;
      });
      const rows = await this.store.all<{ q: number; n: bigint; ids: string[] | null }>(branches.join('\n      UNION ALL '), params);
      for (const row of rows) answers[row.q] = { count: Number(row.n), ids: row.ids ?? [] };
    }
    if (options.signal?.aborted) throw abortError();
    const events = new Map((await this.fetchEvents([...new Set(answers.flatMap((a) => a.ids))])).map((e) => [e.EventId, e]));
    return answers.map((a) => ({ events: a.ids.flatMap((id) => events.get(id) ?? []), count: a.count }));
  }

  /** IDs of the newest `limit` matching events, newest first (ties by descending ID), after a keyset. */
  private async topIds(request: LookupRequest, limit: number, after?: { time: string; id: string }): Promise<string[]> {
    const { from, where, params } = await this.condition(request);
    const keyset = after ? ` AND (event_time, event_id) < (?::TIMESTAMP, ?)` : '';
    const rows = await this.store.all<{ event_id: string }>(
      `SELECT event_id FROM ${from} WHERE ${where}${keyset} ORDER BY event_time DESC, event_id DESC LIMIT ${limit}`,
      after ? [...params, after.time, after.id] : params,
    );
    return rows.map((r) => r.event_id);
  }

  private async condition(request: LookupRequest): Promise<SqlCondition> {
    return lookupCondition(request, { keysTable: await this.hasKeysTable() });
  }

  /** Asked on every query: an ingest into this store drops the table until it has rebuilt it. */
  private async hasKeysTable(): Promise<boolean> {
    const rows = await this.store.all<{ n: bigint }>(KEYS_TABLE_USABLE);
    return Number(rows[0]?.n ?? 0) > 0;
  }

  async getEvent(eventId: string): Promise<LookupEvent | undefined> {
    const [event] = await this.fetchEvents([eventId]);
    return event;
  }

  runInsights(request: InsightsRequest, options?: InsightsOptions): Promise<InsightsResult> {
    return runEvidenceInsights(this.store, request, options);
  }

  /**
   * The log groups, counted over every record; kept until the manifest changes (every ingest adds to it
   * in the same transaction as its records), since the flows pivot asks for them on every related query.
   */
  async logGroups(options: RunOptions = {}): Promise<LogGroupInfo[]> {
    if (options.signal?.aborted) throw abortError();
    const [{ version }] = await this.store.all<{ version: string }>("SELECT count(*) || '/' || coalesce(max(file_id), 0) AS version FROM manifest");
    if (this.groups?.version !== version) this.groups = { version, groups: await this.countLogGroups() };
    return this.groups.groups.map((g) => ({ ...g }));
  }

  /**
   * The log groups of each table. A group of log events is known as the live tree knows one, by its name
   * or else by one of its messages (a trail's exported group is CloudTrail); flow records in one would
   * have gone to the flows table, so such a group is never taken for flow logs.
   */
  private async countLogGroups(): Promise<LogGroupInfo[]> {
    const rows = await this.store.all<{ name: string; kind: LogKind | null; records: bigint; account: string | null; region: string | null }>(`
      SELECT log_group AS name, 'cloudtrail' AS kind, count(*) AS records, min(recipient_account_id) AS account, NULL AS region FROM cloudtrail GROUP BY ALL
      UNION ALL SELECT log_group, 'vpc-flow', count(*), min(account_id), min(region) FROM flows GROUP BY ALL
      UNION ALL SELECT log_group, NULL, count(*), NULL, NULL FROM logs GROUP BY ALL
      ORDER BY 1`);
    const logsKind = async (name: string): Promise<LogKind> => {
      const byName = kindFromName(name);
      const [sample] = byName ? [] : await this.store.all<{ message: string }>('SELECT message FROM logs WHERE log_group = $1 LIMIT 1', [name]);
      const kind = byName ?? kindFromSample(sample?.message ?? '');
      return kind === 'vpc-flow' ? 'other' : kind;
    };
    const kinds: LogKind[] = [];
    for (const r of rows) kinds.push(r.kind ?? (await logsKind(r.name)));
    return rows.map((r, i) => ({
      name: r.name,
      kind: kinds[i],
      records: Number(r.records),
      ...(r.account ? { accountId: r.account } : {}),
      ...(r.region ? { region: r.region } : {}),
    }));
  }

  async summary(): Promise<EvidenceSummary> {
    const [counts] = await this.store.all<{ cloudtrail: bigint; flow: bigint; logs: bigint; files: bigint; first: string | null; last: string | null }>(`
      SELECT (SELECT count(*) FROM cloudtrail) AS cloudtrail, (SELECT count(*) FROM flows) AS flow,
        (SELECT count(*) FROM logs) AS logs, (SELECT count(*) FROM manifest) AS files,
        -- The span of every record, flows and log events too: a store of flow logs alone has one.
        (SELECT strftime(min(t), '%Y-%m-%dT%H:%M:%SZ') FROM (SELECT min(event_time) AS t FROM cloudtrail UNION ALL SELECT min(ts) FROM flows UNION ALL SELECT min(ts) FROM logs)) AS first,
        (SELECT strftime(max(t), '%Y-%m-%dT%H:%M:%SZ') FROM (SELECT max(event_time) AS t FROM cloudtrail UNION ALL SELECT max(ts) FROM flows UNION ALL SELECT max(ts) FROM logs)) AS last`);
    const accounts = await this.store.all<{ v: string }>(`
      SELECT DISTINCT v FROM (SELECT recipient_account_id AS v FROM cloudtrail UNION ALL SELECT account_id FROM flows) WHERE v IS NOT NULL ORDER BY v`);
    const regions = await this.store.all<{ v: string }>(`
      SELECT DISTINCT v FROM (SELECT aws_region AS v FROM cloudtrail UNION ALL SELECT region FROM flows) WHERE v IS NOT NULL ORDER BY v`);
    const groups = await this.logGroups();
    return {
      accounts: accounts.map((r) => r.v),
      regions: regions.map((r) => r.v),
      logGroups: groups.map((g) => ({ name: g.name, kind: g.kind, records: g.records ?? 0 })),
      counts: { cloudtrail: Number(counts.cloudtrail), flow: Number(counts.flow), logs: Number(counts.logs), files: Number(counts.files) },
      ...(counts.first ? { first: counts.first } : {}),
      ...(counts.last ? { last: counts.last } : {}),
    };
  }
}
