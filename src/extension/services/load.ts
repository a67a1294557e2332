import { join } from 'node:path';
import type { Services } from './ports';

/**
 * Loads the sources on first use. The bundle dist/extension-services.js (scripts/build.mjs) holds the
 * AWS SDK, the evidence store access and the Insights engine, about 1.5 MB that activation would
 * otherwise parse; it is required from beside dist/extension.js, by a path esbuild does not follow.
 */
export function loadServices(): Services {
  const bundle = join(__dirname, 'extension-services.js');
  const adapters = require(bundle) as typeof import('./adapters');
  return adapters.createServices();
}
