import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDiscoverPreset } from '../../src/commands/discoverPreset';

describe('parseDiscoverPreset (the cleanRooms.discoverMemberships argument)', () => {
  it('keeps the documented fields with documented values', () => {
    assert.deepEqual(parseDiscoverPreset({ status: 'ALL', pickAll: true }), { status: 'ALL', pickAll: true });
    assert.deepEqual(parseDiscoverPreset({ status: 'ACTIVE' }), { status: 'ACTIVE', pickAll: undefined });
    assert.deepEqual(parseDiscoverPreset({ status: 'COLLABORATION_DELETED', pickAll: false }), { status: 'COLLABORATION_DELETED', pickAll: undefined });
  });

  it('drops unknown statuses, non-boolean pickAll and every other field', () => {
    assert.deepEqual(parseDiscoverPreset({ status: 'BOGUS', pickAll: 'yes', regions: ['x'] }), { status: undefined, pickAll: undefined });
    assert.deepEqual(parseDiscoverPreset({ status: 42, pickAll: 1 }), { status: undefined, pickAll: undefined });
    assert.deepEqual(parseDiscoverPreset({ status: { toString: () => 'ALL' } }), { status: undefined, pickAll: undefined });
  });

  it('ignores anything that is not a plain object', () => {
    for (const arg of [undefined, null, 'ALL', 7, true, ['ALL']]) {
      assert.equal(parseDiscoverPreset(arg), undefined, JSON.stringify(arg));
    }
  });
});
