import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { realPath, storeId } from '../../core/target';
import { ingestPaths } from '../../sources/evidence/ingest/index';
import { EvidenceSource } from '../../sources/evidence/source';
import { EvidenceStore } from '../../sources/evidence/store';
import type { LookupEvent } from '../../core/cloudtrail/event';
import type { LookupRequest } from '../../core/lookup/request';
import type { InsightsResult } from '../../core/results';
import type { BatchAnswer, InsightsOptions, InsightsRequest, LogGroupInfo, LookupOptions, RunOptions, TrailSource } from '../../sources/source';
import type { EvidenceHandle, EvidencePort } from './ports';
import { untilAborted } from '../../sources/aws/retry';

/** One key per store file: `/ir/./sample.duckdb`, `/ir/sample.duckdb` and a link to it are the same store. */
function storeKey(path: string): string {
  return storeId(realPath(path));
}

/** The file a handle was opened on: a store deleted and made again at its path is another file. */
function fileIdentity(path: string): string {
  try {
    const { dev, ino } = statSync(path);
    return `${dev}:${ino}`;
  } catch {
    return '';
  }
}

/**
 * A handle unused this long is closed: an open DuckDB file is locked against writers, and a responder
 * ingesting from a terminal (`trailscope ingest`) must not have to close the VS Code window first.
 */
const IDLE_CLOSE_MS = 30_000;

/**
 * Evidence stores for the UI: each opened read-only once and shared by the tree, the wizards, the panels
 * and the notebooks, and closed again when unused for a while. Ingesting needs the file for writing: the
 * shared handle is closed once the queries under way on it are done, and reopened on the next use; a
 * store asked for meanwhile waits for the ingest, so nothing answers from a handle that predates the new
 * records, nor from one of a file since replaced at its path. Stores are known by their full path,
 * however written.
 */
export function createEvidencePort(options: { idleCloseMs?: number } = {}): EvidencePort {
  const idleCloseMs = options.idleCloseMs ?? IDLE_CLOSE_MS;
  const open = new Map<string, Promise<EvidenceSource>>();
  const identities = new Map<string, string>();
  const idleTimers = new Map<string, NodeJS.Timeout>();
  const ingesting = new Map<string, Promise<unknown>>();
  const sources = new Map<string, CurrentStoreSource>();
  const users = new Map<string, number>();
  /** Whoever waits for a store's queries to be done (an ingest, closeAll): all of them are told. */
  const waiting = new Map<string, Array<() => void>>();

  const close = async (key: string) => {
    while ((users.get(key) ?? 0) > 0) await new Promise<void>((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
    const pending = open.get(key);
    open.delete(key);
    if (pending) (await pending.catch(() => undefined))?.close();
  };

  /**
   * Runs `work` on the store's handle of the moment, counted so that an ingest waits for it. A cancel
   * while an ingest into the store runs ends the wait at once (the ingest may take minutes).
   */
  const use = async <T>(key: string, path: string, work: (source: EvidenceSource) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    for (;;) {
      // Checked right before the handle is taken: an ingest may have begun while this call waited.
      const writing = ingesting.get(key);
      if (writing) {
        await untilAborted(writing.catch(() => undefined), signal);
        continue;
      }
      clearTimeout(idleTimers.get(key));
      let pending = open.get(key);
      if (pending && identities.get(key) !== fileIdentity(path)) {
        await close(key);
        continue;
      }
      if (!pending) {
        identities.set(key, fileIdentity(path));
        pending = EvidenceSource.open(path, { readOnly: true });
        pending.catch(() => open.delete(key));
        open.set(key, pending);
      }
      const source = await pending;
      // Closed for an ingest while it was being opened: take the next one.
      if (open.get(key) !== pending) continue;
      users.set(key, (users.get(key) ?? 0) + 1);
      try {
        return await work(source);
      } finally {
        const left = users.get(key)! - 1;
        users.set(key, left);
        if (left === 0) {
          const told = waiting.get(key) ?? [];
          waiting.delete(key);
          for (const resolve of told) resolve();
          // Unref'd: an idle store must not keep a CLI or test process alive.
          idleTimers.set(key, setTimeout(() => void close(key), idleCloseMs).unref());
        }
      }
    }
  };

  return {
    async open(path): Promise<EvidenceHandle> {
      const key = storeKey(path);
      // While an ingest writes the store it surely exists: its name now, not when the ingest ends (a
      // cancel of what opens it could not cut that wait short).
      const label = ingesting.has(key) ? basename(path) : await use(key, path, async (s) => s.label);
      let source = sources.get(key);
      if (!source) sources.set(key, (source = new CurrentStoreSource(label, (work, signal) => use(key, path, work, signal))));
      return { path, source, summary: () => use(key, path, (s) => s.summary()) };
    },
    async ingest(storePath, paths, options) {
      const key = storeKey(storePath);
      // Known at once as ingesting: a store asked for in the same tick must wait too. Two ingests into
      // one store run one after the other.
      const before = ingesting.get(key)?.catch(() => undefined);
      const run = (async () => {
        await before;
        await close(key);
        const store = await EvidenceStore.open(storePath);
        try {
          return await ingestPaths(store, paths, options);
        } finally {
          store.close();
        }
      })();
      ingesting.set(key, run);
      try {
        return await run;
      } finally {
        if (ingesting.get(key) === run) ingesting.delete(key);
      }
    },
    async closeAll() {
      await Promise.all([...open.keys()].map(close));
    },
  };
}

/**
 * A store as panels, pivots and notebooks hold it: every call goes to the store's handle of the moment,
 * so an ingest that closed and reopened the file changes nothing for them but the answers.
 */
class CurrentStoreSource implements TrailSource {
  readonly kind = 'evidence';

  constructor(
    readonly label: string,
    private readonly use: <T>(work: (source: EvidenceSource) => Promise<T>, signal?: AbortSignal) => Promise<T>,
  ) {}

  lookupEvents(request: LookupRequest, options?: LookupOptions): Promise<LookupEvent[]> {
    return this.use((s) => s.lookupEvents(request, options), options?.signal);
  }

  lookupBatch(requests: LookupRequest[], options?: LookupOptions): Promise<BatchAnswer[]> {
    return this.use((s) => s.lookupBatch(requests, options), options?.signal);
  }

  runInsights(request: InsightsRequest, options?: InsightsOptions): Promise<InsightsResult> {
    return this.use((s) => s.runInsights(request, options), options?.signal);
  }

  logGroups(options?: RunOptions): Promise<LogGroupInfo[]> {
    return this.use((s) => s.logGroups(options), options?.signal);
  }
}
