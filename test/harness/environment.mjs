// The environment every integration run gives the extension host (both runners use it), so tests see
// the same world: the repository, a fresh workspace folder, and fake AWS config instead of the
// machine's own ~/.aws.
import { join } from 'node:path';
import { REPO } from '../../scripts/toolchain.mjs';

/** @param {{ workspace: string }} options @returns {Record<string, string>} */
export function integrationEnvironment({ workspace }) {
  return {
    TRAILSCOPE_REPO: REPO,
    TRAILSCOPE_TEST_WORKSPACE: workspace,
    AWS_CONFIG_FILE: join(REPO, 'test', 'fixtures', 'aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(REPO, 'test', 'fixtures', 'aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PROFILE: '',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
  };
}
