import { settings } from '../settings';
import { createEvidencePort } from './evidence';
import { libraryPort } from './library';
import { createLivePort } from './live';
import { pivotPort } from './pivots';
import type { Services } from './ports';

export { awsProfiles, credentialsStatus } from './diagnostic-probes';

/**
 * Loaded by a dynamic import on first use (see investigation.ts): this module is where DuckDB, the AWS
 * SDK and the Insights engine enter the extension host, never at activation.
 */
export function createServices(): Services {
  return {
    live: createLivePort(() => settings().endpointUrl),
    evidence: createEvidencePort(),
    pivots: pivotPort,
    library: libraryPort,
  };
}
