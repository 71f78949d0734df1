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

  it("opens a row's own page: membership, collaboration; a record opens its membership's page", () => {
    const base = 'https://eu-west-1.console.aws.amazon.com/cleanrooms/home?region=eu-west-1';
    const mid = '1f2e3d4c-5b6a-4789-8abc-0123456789ab';
    const cid = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    assert.equal(consoleUrl('eu-west-1', { kind: 'membership', membershipId: mid }), `${base}#/memberships/${mid}`);
    assert.equal(consoleUrl('eu-west-1', { kind: 'collaboration', collaborationId: cid }), `${base}#/collaborations/${cid}`);
    for (const branch of ['members', 'associations', 'templates', 'queries'] as const) {
      assert.equal(consoleUrl('eu-west-1', { kind: 'record', membershipId: mid, branch }), `${base}#/memberships/${mid}`);
    }
    assert.equal(consoleUrl('eu-west-1', { kind: 'membership', membershipId: '../x#y?z' }), `${base}#/memberships/..%2Fx%23y%3Fz`);
  });
});
