/** The profile name used for the local demo endpoint, shown when trailscope.endpointUrl is set. */
export const DEMO_PROFILE = 'demo (local endpoint)';
