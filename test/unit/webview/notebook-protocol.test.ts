import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRendererMessage } from '../../../src/webview/notebook-protocol';

describe('notebook renderer messages', () => {
  it('takes an output to open, and the row of an event to open in it', () => {
    assert.deepEqual(readRendererMessage({ type: 'openInPanel', outputId: 'a1b2' }), { type: 'openInPanel', outputId: 'a1b2' });
    assert.deepEqual(readRendererMessage({ type: 'openInPanel', outputId: 'a1b2', row: 7 }), { type: 'openInPanel', outputId: 'a1b2', row: 7 });
  });

  it('refuses anything else: other types, missing or huge IDs, rows that index nothing, extra keys', () => {
    for (const message of [
      null,
      'openInPanel',
      { type: 'runCommand', outputId: 'a1b2' },
      { type: 'openInPanel' },
      { type: 'openInPanel', outputId: '' },
      { type: 'openInPanel', outputId: 'x'.repeat(201) },
      { type: 'openInPanel', outputId: 42 },
      { type: 'openInPanel', outputId: 'a1b2', row: -1 },
      { type: 'openInPanel', outputId: 'a1b2', row: 1.5 },
      { type: 'openInPanel', outputId: 'a1b2', row: '3' },
      { type: 'openInPanel', outputId: 'a1b2', command: 'workbench.action.terminal.new' },
    ]) {
      assert.equal(readRendererMessage(message), undefined, JSON.stringify(message));
    }
  });
});
