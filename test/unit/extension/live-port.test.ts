import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEndpoint } from '../../../src/endpoint/server';
import { memoryBackend } from '../../../src/endpoint/backend';
import { createLivePort } from '../../../src/extension/services/live';
import { DEMO_PROFILE } from '../../../src/extension/wizards/target';

test('Refresh forgets each profile\'s account: the tree shows the account the profile reaches now', async () => {
  // The demo account's fixed key, mapped to one account and then, as after a config change, another.
  const accounts: Record<string, string> = { AKIADEMODEMODEMODEMO: '111111111111' };
  const endpoint = await startEndpoint({ backend: memoryBackend({}), accounts });
  const port = createLivePort(() => endpoint.url);
  try {
    assert.equal(await port.accountId(DEMO_PROFILE), '111111111111');
    accounts.AKIADEMODEMODEMODEMO = '222222222222';
    assert.equal(await port.accountId(DEMO_PROFILE), '111111111111', 'asked once, until a refresh');
    port.forget();
    assert.equal(await port.accountId(DEMO_PROFILE), '222222222222');
  } finally {
    await port.stopAll();
    await endpoint.close();
  }
});
