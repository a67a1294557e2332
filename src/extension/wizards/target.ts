/** The profile name used for the local demo endpoint, shown when trailscope.endpointUrl is set. */
export const DEMO_PROFILE = 'demo (local endpoint)';

/** Why a wizard cannot ask where to run: there is nowhere yet. */
export const NO_TARGETS =
  'Nothing to query yet: no evidence store in the workspace and no AWS profile. Ingest evidence (Trailscope: Ingest Evidence…) or configure an AWS profile, then try again.';
