import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS, validateAppMessage } from '../../../src/webview/protocol';

const view = { columns: ['EventTime', 'EventName'], filter: 'alice', sort: { column: 'EventTime', descending: true } };

describe('validateAppMessage', () => {
  it('accepts every well-formed message and returns a fresh copy', () => {
    const messages = [
      { type: 'ready' },
      { type: 'cancel' },
      { type: 'closeEvent' },
      { type: 'openEvent', eventId: 'fd4f1042-c7f6-4107-a6ee-d841d92596e7' },
      { type: 'openAsJsonDocument', eventId: 'e1' },
      { type: 'openRow', index: 0, version: 0 },
      { type: 'openRow', index: 9_999, version: 12 },
      { type: 'openRelated', eventId: 'e1', pivot: 'access-key', value: 'ASIA5FLZVX4OI4ZDQJOL' },
      { type: 'exportResult', format: 'csv', view },
      { type: 'exportResult', format: 'json', view: { columns: [], filter: '', pivotIndex: 2 } },
      { type: 'copy', text: 'a cell' },
      { type: 'copy', text: '' },
    ];
    for (const message of messages) {
      const valid = validateAppMessage(JSON.parse(JSON.stringify(message)));
      assert.deepEqual(valid, message);
      assert.notEqual(valid, message);
    }
  });

  it('rejects unknown types, missing, extra and mistyped fields', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      {},
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'ready', extra: 1 },
      { type: 'closeEvent', eventId: 'e1' },
      { type: 'openEvent' },
      { type: 'openEvent', eventId: 42 },
      { type: 'openEvent', eventId: '' },
      { type: 'openEvent', eventId: 'e1', command: 'x' },
      { type: 'openRow' },
      { type: 'openRow', index: -1 },
      { type: 'openRow', index: 1.5 },
      { type: 'openRow', index: '3' },
      { type: 'openRow', index: LIMITS.rowIndex },
      { type: 'openRow', index: 3, fields: [] },
      { type: 'openRow', index: 3 },
      { type: 'openRow', index: 3, version: -1 },
      { type: 'openRow', index: 3, version: '2' },
      { type: 'openRelated', eventId: 'e1', pivot: 'everything', value: 'x' },
      { type: 'openRelated', eventId: 'e1', pivot: 'principal' },
      { type: 'openRelated', eventId: 'e1', pivot: 'principal', value: ['x'] },
      { type: 'exportResult', format: 'xlsx', view },
      { type: 'exportResult', format: 'csv' },
      { type: 'exportResult', format: 'csv', view: { ...view, path: '/etc/passwd' } },
      { type: 'exportResult', format: 'csv', view: { ...view, columns: 'EventTime' } },
      { type: 'exportResult', format: 'csv', view: { ...view, columns: [1] } },
      { type: 'exportResult', format: 'csv', view: { ...view, sort: { column: 'EventTime', descending: 'yes' } } },
      { type: 'exportResult', format: 'csv', view: { ...view, sort: { column: 'EventTime' } } },
      { type: 'exportResult', format: 'csv', view: { ...view, pivotIndex: -1 } },
      { type: 'exportResult', format: 'csv', view: { ...view, pivotIndex: 1.5 } },
      { type: 'copy', text: { toString: 'x' } },
      { type: 'copy' },
    ];
    for (const message of bad) assert.equal(validateAppMessage(message), undefined, JSON.stringify(message));
  });

  it('rejects values over their limits and accepts them at the limit', () => {
    assert.ok(validateAppMessage({ type: 'openEvent', eventId: 'e'.repeat(LIMITS.eventId) }));
    assert.equal(validateAppMessage({ type: 'openEvent', eventId: 'e'.repeat(LIMITS.eventId + 1) }), undefined);
    assert.ok(validateAppMessage({ type: 'openRelated', eventId: 'e', pivot: 'resource', value: 'v'.repeat(LIMITS.pivotValue) }));
    assert.equal(validateAppMessage({ type: 'openRelated', eventId: 'e', pivot: 'resource', value: 'v'.repeat(LIMITS.pivotValue + 1) }), undefined);
    assert.equal(validateAppMessage({ type: 'copy', text: 'x'.repeat(LIMITS.copyText + 1) }), undefined);
    const many = Array.from({ length: LIMITS.columns + 1 }, (_, i) => `c${i}`);
    assert.equal(validateAppMessage({ type: 'exportResult', format: 'csv', view: { columns: many, filter: '' } }), undefined);
    assert.equal(validateAppMessage({ type: 'exportResult', format: 'csv', view: { columns: [], filter: 'f'.repeat(LIMITS.filter + 1) } }), undefined);
  });

  it('ignores keys inherited through the prototype', () => {
    const message = Object.create({ eventId: 'inherited' }) as Record<string, unknown>;
    message.type = 'openEvent';
    assert.equal(validateAppMessage(message), undefined);
  });
});
