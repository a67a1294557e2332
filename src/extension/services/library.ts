import { QUERY_LIBRARY } from '../../core/insights/library';
import type { LibraryPort } from './ports';

/** The Insights language area's query library (data), as the wizards list it. */
export const libraryPort: LibraryPort = {
  queries: async () => QUERY_LIBRARY,
};
