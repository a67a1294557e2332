import { join } from 'node:path';
import type { Services } from './ports';

/**
 * Loads the sources on first use. The bundle dist/extension-services.js (scripts/build.mjs) holds the
 * AWS SDK, the evidence store access and the Insights engine, about 1.8 MB that activation would
 * otherwise parse; it is required from beside dist/extension.js, by a path esbuild does not follow.
 */
export function loadServices(): Services {
  return servicesBundle().createServices();
}

/** Show Diagnostics' questions to the SDK, from the same bundle. */
export function loadProbes(): typeof import('./diagnostic-probes') {
  return servicesBundle();
}

function servicesBundle(): typeof import('./adapters') {
  return require(join(__dirname, 'extension-services.js')) as typeof import('./adapters');
}
