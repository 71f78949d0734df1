import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conformCollaborationAnalysisTemplate, conformCollaborationAnalysisTemplateSummary, conformCollaboration, conformConfiguredTableAssociationSummary, conformMemberSummary, conformProtectedQuerySummary } from '../../src/aws/conform';
import { consoleUrl } from '../../src/aws/consoleUrl';
import { describeRegion } from '../../src/aws/clientFactory';
import { inlineCodePieces, relativeTime, statusWithRaw, statusWords, withoutCodeMarks } from '../../src/util/text';
import { accountOfMembershipArn, collaborationFields, describeRecord, isCancellableQuery, isLiveQuery, matchesQueryFilter, QUERY_STATUSES, queryFilterText, queryIcon } from '../../src/views/treeRows';

/** Records reach the rows conformed, as the service hands them over. */
function must<T>(record: T | undefined): T {
  assert.ok(record);
  return record;
}

describe('tree row text for drill-down records', () => {
  it('describes each kind of record', () => {
    const member = describeRecord('members', must(conformMemberSummary({ displayName: 'Acme', accountId: '111122223333', status: 'ACTIVE' })));
    assert.deepEqual([member.label, member.description], ['Acme', '111122223333 · Active']);
    assert.deepEqual(describeRecord('associations', must(conformConfiguredTableAssociationSummary({ name: 'orders', analysisRuleTypes: ['AGGREGATION', 'LIST'] }))), { label: 'orders', description: 'Aggregation, List' });
    const template = describeRecord('templates', must(conformCollaborationAnalysisTemplateSummary({ name: 'reach', isSyntheticData: true })));
    assert.deepEqual([template.label, template.description], ['reach', 'synthetic data']);
    assert.equal(describeRecord('queries', must(conformProtectedQuerySummary({ id: 'q1', status: 'SUCCESS' }))).description, 'Success');
  });
});

describe('analysis template rows', () => {
  const summary = must(conformCollaborationAnalysisTemplateSummary({ name: 'reach', creatorAccountId: '444455556666', description: 'Reach by region' }));
  const template = must(
    conformCollaborationAnalysisTemplate({
      name: 'reach',
      format: 'SQL',
      analysisParameters: [
        { name: 'min_count', type: 'INTEGER', defaultValue: '10' },
        { name: 'since', type: 'DATE' },
      ],
    }),
  );

  it("show format, another member's account as creator and the parameter count", () => {
    const row = describeRecord('templates', { ...summary, template }, { ownAccount: '111122223333' });
    assert.equal(row.label, 'reach');
    assert.equal(row.description, 'SQL · by 444455556666 · 2 parameters');
    assert.ok(row.tooltip?.includes('Parameter min_count: INTEGER, default 10'));
    assert.ok(row.tooltip?.includes('Parameter since: DATE'));
  });

  it('leave the creator out when it is us, and fall back to the description without the template', () => {
    assert.equal(describeRecord('templates', { ...summary, template }, { ownAccount: '444455556666' }).description, 'SQL · 2 parameters');
    assert.equal(describeRecord('templates', summary, { ownAccount: '444455556666' }).description, 'Reach by region');
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

describe('status words (one humanizer everywhere)', () => {
  it('turns enum values into words and leaves anything else as it came', () => {
    assert.equal(statusWords('ACTIVE'), 'Active');
    assert.equal(statusWords('COLLABORATION_DELETED'), 'Collaboration deleted');
    assert.equal(statusWords('CAN_QUERY'), 'Can query');
    assert.equal(statusWords('TIMED_OUT'), 'Timed out');
    // Not enum-shaped: another party's text or a newer SDK's value is never disguised as a status.
    assert.equal(statusWords('$(alert) ![x](y)'), '$(alert) ![x](y)');
    assert.equal(statusWords('us-east-1'), 'us-east-1');
    assert.equal(statusWords(''), '');
  });

  it('tooltips show the words and the raw value', () => {
    assert.equal(statusWithRaw('ACTIVE'), 'Active (ACTIVE)');
    assert.equal(statusWithRaw('odd value'), 'odd value');
  });

  it('collaboration enums are words in the row and raw in the tooltip; a set-aside value stays as it arrived', () => {
    const fields = collaborationFields(must(conformCollaboration({ name: 'n', memberStatus: 'ACTIVE', analyticsEngine: 'SPARK', queryLogStatus: 'ENABLED', jobLogStatus: 42 })));
    const byLabel = new Map(fields.map((f) => [f[0], f.slice(1)]));
    assert.deepEqual(byLabel.get('Your member status'), ['Active', 'ACTIVE']);
    assert.deepEqual(byLabel.get('Analytics engine'), ['Spark', 'SPARK']);
    assert.deepEqual(byLabel.get('Query logs'), ['Enabled', 'ENABLED']);
    assert.deepEqual(byLabel.get('Job logs'), ['42']);
    assert.deepEqual(byLabel.get('Name'), ['n']);
  });
});

describe('inline code in our own messages', () => {
  it('splits backticked commands from the text, and drops the marks for plain places', () => {
    const step = 'Run `aws sso login --profile x` in a terminal, then retry.';
    assert.deepEqual(inlineCodePieces(step), [{ text: 'Run ' }, { code: 'aws sso login --profile x' }, { text: ' in a terminal, then retry.' }]);
    assert.equal(withoutCodeMarks(step), 'Run aws sso login --profile x in a terminal, then retry.');
    assert.deepEqual(inlineCodePieces('no code'), [{ text: 'no code' }]);
    assert.deepEqual(inlineCodePieces('a lone ` stays'), [{ text: 'a lone ` stays' }]);
  });
});

describe('the resolved region, named', () => {
  it('says where the region came from, and "the profile\'s region" only before resolution', () => {
    assert.equal(describeRegion({ region: 'us-east-1', regionFrom: 'profile' }), 'us-east-1 (from profile)');
    assert.equal(describeRegion({ region: 'eu-west-1', regionFrom: 'environment' }), 'eu-west-1 (from AWS_REGION)');
    assert.equal(describeRegion({ region: 'eu-west-1', regionFrom: 'request' }), 'eu-west-1');
    assert.equal(describeRegion({ region: 'eu-west-1' }), 'eu-west-1');
    assert.equal(describeRegion(undefined), "the profile's region");
  });
});

describe('members: you and the collaboration creator', () => {
  const ARN = 'arn:aws:cleanrooms:us-east-1:739275184620:membership/3f6c1a2e-8b4d-4e7f-9a1c-5d2e7b8f0a11';
  const context = { ownAccount: accountOfMembershipArn(ARN), creatorAccount: '482916305571' };

  it('reads the account from a membership ARN only', () => {
    assert.equal(accountOfMembershipArn(ARN), '739275184620');
    assert.equal(accountOfMembershipArn('arn:aws:cleanrooms:us-east-1:739275184620:collaboration/x'), undefined);
    assert.equal(accountOfMembershipArn(undefined), undefined);
  });

  it('marks your own account and the creator in the description and the tooltip', () => {
    const you = describeRecord('members', must(conformMemberSummary({ displayName: 'Example Corp', accountId: '739275184620', status: 'ACTIVE' })), context);
    assert.equal(you.description, 'you · 739275184620 · Active');
    assert.ok(you.tooltip?.includes('You: the account of this membership'));
    const creator = describeRecord('members', must(conformMemberSummary({ displayName: 'Northwind', accountId: '482916305571', status: 'ACTIVE' })), context);
    assert.equal(creator.description, 'creator · 482916305571 · Active');
    assert.ok(creator.tooltip?.includes('Created the collaboration'));
    const both = describeRecord('members', must(conformMemberSummary({ accountId: '739275184620', status: 'INVITED' })), { ownAccount: '739275184620', creatorAccount: '739275184620' });
    assert.equal(both.description, 'you, creator · 739275184620 · Invited');
    const other = describeRecord('members', must(conformMemberSummary({ displayName: 'Other', accountId: '111122223333', status: 'LEFT' })), context);
    assert.equal(other.description, '111122223333 · Left');
    assert.deepEqual(other.tooltip, ['Other', 'Account: 111122223333', 'Status: Left (LEFT)']);
  });
});

describe('protected query rows', () => {
  const ID = '1a2b3c4d-0000-4000-8000-000000000001';
  const now = new Date('2026-01-01T12:00:00Z');

  it('a short ID, the status in words and a relative time; the full ID and ISO time in the tooltip', () => {
    const created = new Date(now.getTime() - 3 * 60_000);
    const q = describeRecord('queries', must(conformProtectedQuerySummary({ id: ID, status: 'SUCCESS', createTime: created })), { now });
    assert.equal(q.label, ID, 'panel titles keep the full ID');
    assert.equal(q.rowLabel, '1a2b3c4d');
    assert.equal(q.description, 'Success · 3 min ago');
    assert.deepEqual(q.tooltip, [`Protected query ${ID}`, 'Status: Success (SUCCESS)', `Created: ${created.toISOString()}`]);
    assert.deepEqual(q.icon, { id: 'pass', color: 'testing.iconPassed' });
  });

  it('an icon per status', () => {
    assert.equal(queryIcon('SUBMITTED').id, 'sync~spin');
    assert.equal(queryIcon('STARTED').id, 'sync~spin');
    assert.deepEqual(queryIcon('FAILED'), { id: 'error', color: 'testing.iconFailed' });
    assert.equal(queryIcon('CANCELLED').id, 'circle-slash');
    assert.equal(queryIcon('CANCELLING').id, 'circle-slash');
    assert.equal(queryIcon('TIMED_OUT').id, 'watch');
    assert.deepEqual(queryIcon('__proto__'), { id: 'history' });
    assert.deepEqual(queryIcon(undefined), { id: 'history' });
  });

  it('relative times', () => {
    const ago = (ms: number): string => relativeTime(new Date(now.getTime() - ms), now);
    assert.equal(ago(10_000), 'just now');
    assert.equal(ago(-60_000), 'just now');
    assert.equal(ago(59 * 60_000), '59 min ago');
    assert.equal(ago(5 * 3_600_000), '5 h ago');
    assert.equal(ago(30 * 3_600_000), 'yesterday');
    assert.equal(ago(12 * 86_400_000), '12 days ago');
    assert.equal(relativeTime(new Date('2024-02-02T10:00:00Z'), now), '2024-02-02');
  });
});

describe('protected query filters', () => {
  it('matches every status with no filter, else only the statuses chosen', () => {
    assert.equal(matchesQueryFilter('FAILED', []), true);
    assert.equal(matchesQueryFilter(undefined, []), true);
    assert.equal(matchesQueryFilter('FAILED', ['FAILED', 'TIMED_OUT']), true);
    assert.equal(matchesQueryFilter('SUCCESS', ['FAILED']), false);
    assert.equal(matchesQueryFilter(undefined, ['FAILED']), false);
  });

  it('says the filter in words; nothing without one', () => {
    assert.equal(queryFilterText([]), undefined);
    assert.equal(queryFilterText(['FAILED']), 'filtered: Failed');
  });

  it('running: SUBMITTED and STARTED can be cancelled; CANCELLING is still watched', () => {
    assert.deepEqual(QUERY_STATUSES.filter(isCancellableQuery), ['SUBMITTED', 'STARTED']);
    assert.deepEqual(QUERY_STATUSES.filter(isLiveQuery), ['SUBMITTED', 'STARTED', 'CANCELLING']);
  });
});

