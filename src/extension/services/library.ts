import type { LibraryPort } from './ports';

/** PENDING: the query library of the Insights language area (src/core/insights/library.ts). */
export const libraryPort: LibraryPort = {
  queries: async () => [],
};
