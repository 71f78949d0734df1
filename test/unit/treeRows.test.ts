import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conformAnalysisTemplateSummary, conformConfiguredTableAssociationSummary, conformMemberSummary, conformProtectedQuerySummary } from '../../src/aws/conform';
import { consoleUrl } from '../../src/aws/consoleUrl';
import { describeRecord } from '../../src/views/treeRows';

/** Records reach the rows conformed, as the service hands them over. */
function must<T>(record: T | undefined): T {
  assert.ok(record);
  return record;
}

describe('tree row text for drill-down records', () => {
  it('describes each kind of record', () => {
    assert.deepEqual(describeRecord('members', must(conformMemberSummary({ displayName: 'Acme', accountId: '111122223333', status: 'ACTIVE' }))), { label: 'Acme', description: '111122223333 · ACTIVE' });
    assert.deepEqual(describeRecord('associations', must(conformConfiguredTableAssociationSummary({ name: 'orders', analysisRuleTypes: ['AGGREGATION', 'LIST'] }))), { label: 'orders', description: 'AGGREGATION, LIST' });
    assert.deepEqual(describeRecord('templates', must(conformAnalysisTemplateSummary({ name: 'reach', isSyntheticData: true }))), { label: 'reach', description: 'synthetic data' });
    assert.equal(describeRecord('queries', must(conformProtectedQuerySummary({ id: 'q1', status: 'SUCCESS' }))).description, 'SUCCESS');
  });
});

describe('console URL', () => {
  it('is the documented regional address, with the region escaped', () => {
    assert.equal(consoleUrl('eu-west-1'), 'https://eu-west-1.console.aws.amazon.com/cleanrooms/home?region=eu-west-1');
    assert.doesNotMatch(consoleUrl('x/../evil.com#'), /\/\.\.\/|#/);
  });
});
