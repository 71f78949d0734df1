import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleUrl } from '../../src/aws/consoleUrl';
import { describeRecord } from '../../src/views/treeRows';

describe('tree row text for drill-down records', () => {
  it('describes each kind of record', () => {
    assert.deepEqual(describeRecord('members', { displayName: 'Acme', accountId: '111122223333', status: 'ACTIVE' }), { label: 'Acme', description: '111122223333 · ACTIVE' });
    assert.deepEqual(describeRecord('associations', { name: 'orders', analysisRuleTypes: ['AGGREGATION', 'LIST'] }), { label: 'orders', description: 'AGGREGATION, LIST' });
    assert.deepEqual(describeRecord('templates', { name: 'reach', isSyntheticData: true }), { label: 'reach', description: 'synthetic data' });
    assert.equal(describeRecord('queries', { id: 'q1', status: 'SUCCESS' }).description, 'SUCCESS');
  });
});

describe('console URL', () => {
  it('is the documented regional address, with the region escaped', () => {
    assert.equal(consoleUrl('eu-west-1'), 'https://eu-west-1.console.aws.amazon.com/cleanrooms/home?region=eu-west-1');
    assert.doesNotMatch(consoleUrl('x/../evil.com#'), /\/\.\.\/|#/);
  });
});
