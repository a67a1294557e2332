/** Injected by the esbuild bundles from package.json; the fallback serves unbundled runs (tsx, tests). */
declare const TRAILSCOPE_VERSION: string | undefined;

export const VERSION: string =
  typeof TRAILSCOPE_VERSION === 'string' ? TRAILSCOPE_VERSION : (require('../../package.json') as { version: string }).version;
