import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { ingestPaths } from '../../sources/evidence/ingest/index';
import { EvidenceSource } from '../../sources/evidence/source';
import { EvidenceStore } from '../../sources/evidence/store';
import type { EvidenceHandle, EvidencePort } from './ports';

/** One key per store file: `/ir/./sample.duckdb` and `/ir/sample.duckdb` are the same store. */
function storeKey(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    return full;
  }
}

/**
 * Evidence stores for the UI: each opened read-only once and shared by the tree, the wizards and the
 * panels. Ingesting needs the file for writing, so the shared handle is closed first and reopened on
 * the next use; a store asked for while an ingest writes to it waits for the ingest, so that nothing
 * keeps a handle that predates the new records. Stores are known by their full path, however written.
 */
export function createEvidencePort(): EvidencePort {
  const open = new Map<string, Promise<EvidenceSource>>();
  const ingesting = new Map<string, Promise<unknown>>();

  const close = async (key: string) => {
    const pending = open.get(key);
    open.delete(key);
    if (pending) (await pending.catch(() => undefined))?.close();
  };

  return {
    async open(path): Promise<EvidenceHandle> {
      const key = storeKey(path);
      await ingesting.get(key)?.catch(() => undefined);
      let pending = open.get(key);
      if (!pending) {
        pending = EvidenceSource.open(path, { readOnly: true });
        pending.catch(() => open.delete(key));
        open.set(key, pending);
      }
      const source = await pending;
      return { path, source, summary: () => source.summary() };
    },
    async ingest(storePath, paths, options) {
      const key = storeKey(storePath);
      // Known at once as ingesting: an open() asked for in the same tick must wait too.
      const run = (async () => {
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
