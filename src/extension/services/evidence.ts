import { ingestPaths } from '../../sources/evidence/ingest/index';
import { EvidenceSource } from '../../sources/evidence/source';
import { EvidenceStore } from '../../sources/evidence/store';
import type { EvidenceHandle, EvidencePort } from './ports';

/**
 * Evidence stores for the UI: each opened read-only once and shared by the tree, the wizards and the
 * panels. Ingesting needs the file for writing, so the shared handle is closed first and reopened on
 * the next use.
 */
export function createEvidencePort(): EvidencePort {
  const open = new Map<string, Promise<EvidenceSource>>();

  const close = async (path: string) => {
    const pending = open.get(path);
    open.delete(path);
    if (pending) (await pending.catch(() => undefined))?.close();
  };

  return {
    async open(path): Promise<EvidenceHandle> {
      let pending = open.get(path);
      if (!pending) {
        pending = EvidenceSource.open(path, { readOnly: true });
        pending.catch(() => open.delete(path));
        open.set(path, pending);
      }
      const source = await pending;
      return { path, source, summary: () => source.summary() };
    },
    async ingest(storePath, paths, options) {
      await close(storePath);
      const store = await EvidenceStore.open(storePath);
      try {
        return await ingestPaths(store, paths, options);
      } finally {
        store.close();
      }
    },
    async closeAll() {
      await Promise.all([...open.keys()].map(close));
    },
  };
}
