import type { MembershipSummary } from '@aws-sdk/client-cleanrooms';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CleanRoomsFailure } from '../../src/aws/errors';
import type { MembershipNode, MembershipState } from '../../src/model/membershipStore';
import { sharedFailureOf, type ElementOf, type TreeElement } from '../../src/views/treeElements';
import { nodeName } from '../../src/model/membershipStore';
import { ACTIVATE_ROW_COMMAND, rowAction, treeRow, type RowSource, type RowTooltip, type TreeRow } from '../../src/views/treeItems';
import { conformCollaborationAnalysisTemplateSummary, conformConfiguredTableAssociationSummary, conformMemberSummary, conformProtectedQuerySummary } from '../../src/aws/conform';

const ID = '11111111-2222-3333-4444-555555555555';
const KEY = JSON.stringify([ID, 'dev', 'eu-west-1', '']);
const CONNECTION = { profile: 'dev', region: 'eu-west-1', endpoint: undefined, timeoutMs: 30_000 };
const SUMMARY: MembershipSummary = {
  id: ID,
  arn: `arn:aws:cleanrooms:eu-west-1:111122223333:membership/${ID}`,
  collaborationArn: 'arn:aws:cleanrooms:eu-west-1:111122223333:collaboration/c',
  collaborationId: 'c',
  collaborationCreatorAccountId: '444455556666',
  collaborationCreatorDisplayName: 'Acme & Co',
  collaborationName: 'Retail media',
  createTime: new Date(0),
  updateTime: new Date(0),
  status: 'ACTIVE',
  memberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
  paymentConfiguration: { queryCompute: { isResponsible: true } },
};
const FAILURE: CleanRoomsFailure = {
  kind: 'accessDenied',
  title: 'Access denied',
  message: 'User is not authorized [click](command:workbench.action.terminal.new)',
  nextStep: 'Ask for cleanrooms:ListMembers.',
  requestId: 'req-1',
  details: ['detail one'],
  retryable: false,
};

function node(state: MembershipState, label?: string): MembershipNode {
  return { key: KEY, entry: { kind: 'membership', index: 0, id: ID, label }, request: { profile: 'dev', region: 'eu-west-1', timeoutMs: 30_000 }, state };
}

/** Records as the service hands them over: conformed at the boundary, per branch. */
const CONFORM = { members: conformMemberSummary, associations: conformConfiguredTableAssociationSummary, templates: conformCollaborationAnalysisTemplateSummary, queries: conformProtectedQuerySummary } as const;

function source(n: MembershipNode | undefined, records: readonly object[] = []): RowSource {
  return { node: (key) => (key === n?.key ? n : undefined), record: (e) => CONFORM[e.branch](records[e.index]) };
}

function row(element: TreeElement, src: RowSource = source(undefined)): TreeRow {
  return treeRow(element, src);
}

/** The tooltip as the markdown VS Code would hold, with `text` parts marked so tests see what is data. */
function markdown(tooltip: RowTooltip | undefined): { markup: string; text: string[] } {
  assert.equal(tooltip?.kind, 'markdown');
  const parts = tooltip.kind === 'markdown' ? tooltip.parts : [];
  return {
    markup: parts.map((p) => ('markdown' in p ? p.markdown : '<text>')).join(''),
    text: parts.flatMap((p) => ('text' in p ? [p.text] : [])),
  };
}

describe('tree rows, rendered without VS Code', () => {
  it('a pending membership: spinner, "loading…", not expandable, opens on click', () => {
    const r = row({ type: 'membership', key: KEY }, source(node({ status: 'pending' })));
    assert.equal(r.label, ID);
    assert.equal(r.id, KEY);
    assert.equal(r.description, 'loading…');
    assert.deepEqual(r.icon, { id: 'loading~spin' });
    assert.equal(r.collapsible, 'none');
    assert.equal(r.contextValue, 'membershipPending');
    assert.deepEqual(r.command, { command: ACTIVATE_ROW_COMMAND, title: 'Open Membership' });
    assert.equal(r.accessibilityLabel, `${ID}, loading…`);
    assert.deepEqual(markdown(r.tooltip).text, [ID]);
  });

  it('a loaded membership: named from the service, status icon, abilities, facts in the tooltip as text', () => {
    const r = row({ type: 'membership', key: KEY }, source(node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) })));
    assert.equal(r.label, 'Retail media');
    assert.equal(r.description, 'Active · query, receive results');
    assert.deepEqual(r.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
    assert.equal(r.collapsible, 'collapsed');
    assert.equal(r.contextValue, 'membershipLoaded');
    assert.equal(r.accessibilityLabel, 'Retail media, Active · query, receive results');
    const tip = markdown(r.tooltip);
    assert.equal(tip.markup, '**Membership ID:** <text>  \n**Collaboration:** <text>  \n**Status:** <text>  \n**Abilities:** <text>  \n**Creator:** <text>  \n**Profile @ region:** <text>  \n');
    assert.deepEqual(tip.text, [ID, 'Retail media', 'Active (ACTIVE)', 'query, receive results', 'Acme & Co (444455556666)', 'dev @ eu-west-1']);
  });

  it('a label from settings names the row and heads the tooltip', () => {
    const r = row({ type: 'membership', key: KEY }, source(node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) }, 'Mine')));
    assert.equal(r.label, 'Mine');
    assert.deepEqual(markdown(r.tooltip).text.slice(0, 2), ['Mine', ID]);
  });

  it('a failed membership: error icon, the reason as description, the failure as escaped text', () => {
    const r = row({ type: 'membership', key: KEY }, source(node({ status: 'error', failure: FAILURE, connection: CONNECTION })));
    assert.equal(r.description, 'Access denied');
    assert.deepEqual(r.icon, { id: 'error', color: 'list.errorForeground' });
    assert.equal(r.collapsible, 'none');
    assert.equal(r.contextValue, 'membershipError');
    const tip = markdown(r.tooltip);
    assert.match(tip.markup, /\*\*Error:\*\* <text>/);
    assert.match(tip.markup, /\*\*Next step:\*\* <text> {2}\n\*\*Request ID:\*\* <text> {2}\n\*\*Profile @ region:\*\* <text> {2}\n$/);
    // The service's message (with a command link in it) is a text part, never markup.
    assert.ok(tip.text.includes(FAILURE.message ?? ''));
    assert.doesNotMatch(tip.markup, /command:/);
    assert.deepEqual(tip.text.slice(1), ['Access denied', FAILURE.message, 'detail one', FAILURE.nextStep, 'req-1', 'dev @ eu-west-1']);
  });

  it('a membership no longer in the store is a bare "(removed)" row', () => {
    assert.deepEqual(row({ type: 'membership', key: 'gone' }), { label: '(removed)', collapsible: 'none' });
  });

  it('a group: expanded, counts its memberships', () => {
    const r = row({ type: 'group', connection: '["dev","eu-west-1"]', label: 'dev @ eu-west-1', keys: ['a', 'b'] });
    assert.deepEqual(r, { label: 'dev @ eu-west-1', id: 'group|["dev","eu-west-1"]', description: '2', icon: { id: 'account' }, collapsible: 'expanded', contextValue: 'group' });
  });

  it('an invalid entry: what was written, the problem, and a click that opens the settings', () => {
    const r = row({ type: 'invalidEntry', entry: { kind: 'invalid', index: 2, written: 'not-a-uuid', problem: 'Not a lowercase UUID.', fix: 'Use the ID.' } });
    assert.equal(r.label, 'not-a-uuid');
    assert.equal(r.id, undefined);
    assert.equal(r.description, 'Not a lowercase UUID.');
    assert.deepEqual(r.icon, { id: 'warning', color: 'list.errorForeground' });
    assert.deepEqual(r.tooltip, { kind: 'plain', text: 'Entry 3 of cleanRooms.memberships is invalid.\nNot a lowercase UUID.\nUse the ID.' });
    assert.equal(r.contextValue, 'invalidEntry');
    assert.deepEqual(r.command, { command: ACTIVATE_ROW_COMMAND, title: 'Open Settings' });
    const element: TreeElement = { type: 'invalidEntry', entry: { kind: 'invalid', index: 2, written: 'not-a-uuid', problem: 'p', fix: 'f' } };
    assert.deepEqual(rowAction(element), { command: 'cleanRooms.openSettingsEntry', arguments: [element] }, 'the click opens the entry in its settings.json');
    const problem: TreeElement = { type: 'problem', problem: { setting: 'cleanRooms.region', problem: 'p', fix: 'f' } };
    assert.deepEqual(rowAction(problem), { command: 'cleanRooms.openSettingsEntry', arguments: [problem] });
    assert.equal(row({ type: 'invalidEntry', entry: { kind: 'invalid', index: 0, written: '', problem: 'p', fix: 'f' } }).label, '(empty)');
  });

  it('branches: the collaboration opens on click, the lists only expand', () => {
    const collab = row({ type: 'branch', key: KEY, branch: 'collaboration' });
    assert.deepEqual(collab, {
      label: 'Collaboration',
      id: `${KEY}|collaboration`,
      icon: { id: 'organization' },
      collapsible: 'collapsed',
      contextValue: 'branchCollaboration',
      command: { command: ACTIVATE_ROW_COMMAND, title: 'Open Collaboration' },
    });
    const members = row({ type: 'branch', key: KEY, branch: 'members' });
    assert.equal(members.label, 'Members');
    assert.deepEqual(members.icon, { id: 'person' });
    assert.equal(members.contextValue, 'branch');
    assert.equal(members.command, undefined);
  });

  it('a record: described per kind, one line, the full text in the tooltip; "(gone)" once unloaded', () => {
    const element: ElementOf<'record'> = { type: 'record', key: KEY, branch: 'members', index: 0 };
    const r = row(element, source(undefined, [{ displayName: 'Acme\nCorp', accountId: '111122223333', status: 'ACTIVE' }]));
    assert.equal(r.label, 'Acme Corp');
    assert.equal(r.id, `${KEY}|members|0`);
    assert.equal(r.description, '111122223333 · Active');
    assert.deepEqual(r.tooltip, { kind: 'plain', text: 'Acme\nCorp\nAccount: 111122223333\nStatus: Active (ACTIVE)' });
    assert.deepEqual(r.icon, { id: 'person' });
    assert.equal(r.contextValue, 'record');
    assert.deepEqual(r.command, { command: ACTIVATE_ROW_COMMAND, title: 'Open Details' });
    assert.equal(row({ ...element, index: 5 }).label, '(gone)');
  });

  it('a collaboration field: value shortened in the description, in full in the tooltip', () => {
    const long = 'x'.repeat(100);
    const r = row({ type: 'field', key: KEY, label: 'Description', value: long });
    assert.equal(r.id, `${KEY}|collaboration|Description`);
    assert.equal(r.description, `${'x'.repeat(79)}…`);
    assert.deepEqual(r.tooltip, { kind: 'plain', text: long });
    assert.equal(r.contextValue, 'field');
  });

  it('load more', () => {
    assert.deepEqual(row({ type: 'loadMore', key: KEY, branch: 'associations' }), {
      label: 'Load more…',
      id: `${KEY}|associations|more`,
      icon: { id: 'ellipsis' },
      collapsible: 'none',
      contextValue: 'loadMore',
      command: { command: ACTIVATE_ROW_COMMAND, title: 'Load More' },
    });
  });

  it('a message with a failure retries on click and explains in the tooltip; a plain message does nothing', () => {
    const failed = row({ type: 'message', key: KEY, branch: 'queries', text: FAILURE.title, failure: FAILURE });
    assert.equal(failed.label, 'Access denied');
    assert.equal(failed.id, `${KEY}|queries|message`);
    assert.deepEqual(failed.icon, { id: 'error', color: 'list.errorForeground' });
    assert.equal(failed.contextValue, 'branchError');
    assert.deepEqual(failed.command, { command: ACTIVATE_ROW_COMMAND, title: 'Retry' });
    assert.deepEqual(markdown(failed.tooltip).text, ['Access denied', FAILURE.message, 'detail one', FAILURE.nextStep, 'req-1']);
    assert.deepEqual(row({ type: 'message', key: KEY, branch: 'queries', text: 'None' }), { label: 'None', id: `${KEY}|queries|message`, collapsible: 'none', contextValue: 'message' });
  });

  it('a row has the argument-free activate command exactly when clicking it has an action', () => {
    const loaded = node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) });
    const elements: TreeElement[] = [
      { type: 'group', connection: 'c', label: 'g', keys: [KEY] },
      { type: 'group', connection: 'c', label: 'g', keys: [KEY], failure: FAILURE },
      { type: 'sharedFailure', keys: [KEY], failure: FAILURE },
      { type: 'membership', key: KEY },
      { type: 'notice', text: 'n' },
      { type: 'problem', problem: { setting: 's', problem: 'p', fix: 'f' } },
      { type: 'invalidEntry', entry: { kind: 'invalid', index: 0, written: 'w', problem: 'p', fix: 'f' } },
      { type: 'branch', key: KEY, branch: 'collaboration' },
      { type: 'branch', key: KEY, branch: 'templates' },
      { type: 'field', key: KEY, label: 'Name', value: 'v' },
      { type: 'record', key: KEY, branch: 'templates', index: 0 },
      { type: 'loadMore', key: KEY, branch: 'templates' },
      { type: 'message', key: KEY, branch: 'templates', text: 'None' },
      { type: 'message', key: KEY, branch: 'templates', text: 'x', failure: FAILURE },
    ];
    for (const element of elements) {
      const r = row(element, source(loaded, [{ name: 't' }]));
      assert.equal(r.command?.command === ACTIVATE_ROW_COMMAND, rowAction(element) !== undefined, `${element.type}: command ${r.command?.command}`);
      assert.ok(!(r.command && 'arguments' in r.command), `${element.type}: a row command never carries arguments`);
    }
  });

  // Issue 10, item 9: a connection-wide failure is said once; rows keep their names.
  const SSO: CleanRoomsFailure = { kind: 'ssoExpired', title: 'SSO session expired', message: 'token expired', nextStep: 'Run `aws sso login --profile dev` in a terminal, then retry.', retryable: false };

  it('a membership sharing a connection-wide failure keeps its last known name and a short description', () => {
    const failed: MembershipNode = { ...node({ status: 'error', failure: SSO, connection: CONNECTION }), knownName: 'Retail media' };
    assert.equal(nodeName(failed), 'Retail media');
    assert.equal(nodeName({ ...failed, entry: { ...failed.entry, label: 'Mine' } }), 'Mine', 'a configured label comes first');
    assert.equal(nodeName({ ...failed, knownName: undefined }), ID, 'the ID when nothing else is known');
    const shared = row({ type: 'membership', key: KEY }, { ...source(failed), sharedFailure: () => SSO });
    assert.equal(shared.label, 'Retail media');
    assert.equal(shared.description, 'not loaded');
    assert.deepEqual(shared.icon, { id: 'circle-outline', color: 'disabledForeground' });
    assert.equal(shared.contextValue, 'membershipError', 'the row keeps its Retry and Remove actions');
    // Alone (not shared), the row says what failed as before.
    assert.equal(row({ type: 'membership', key: KEY }, source(failed)).description, 'SSO session expired');
  });

  it('the shared failure: one row with the fix (code as code in the tooltip, no backticks in the text) and a Retry', () => {
    const r = row({ type: 'sharedFailure', keys: ['a', 'b', 'c'], failure: SSO });
    assert.equal(r.label, 'SSO session expired');
    assert.equal(r.description, 'Run aws sso login --profile dev in a terminal, then retry.');
    assert.deepEqual(r.icon, { id: 'error', color: 'list.errorForeground' });
    assert.equal(r.contextValue, 'sharedFailure');
    assert.deepEqual(r.command, { command: ACTIVATE_ROW_COMMAND, title: 'Retry' });
    assert.deepEqual(rowAction({ type: 'sharedFailure', keys: ['a'], failure: SSO }), { command: 'cleanRooms.refresh', arguments: [] });
    assert.equal(r.tooltip?.kind, 'markdown');
    const parts = r.tooltip?.kind === 'markdown' ? r.tooltip.parts : [];
    assert.ok(parts.some((p) => 'code' in p && p.code === 'aws sso login --profile dev'), JSON.stringify(parts));
    assert.ok(parts.every((p) => !('text' in p) || !p.text.includes('`')), 'no literal backticks');
    assert.match(JSON.stringify(parts), /3 memberships not loaded/);
  });

  it('a grouped shared failure is said on the group row, which retries on click', () => {
    const group: TreeElement = { type: 'group', connection: 'c', label: 'dev @ eu-west-1 (from profile)', keys: ['a', 'b'], failure: SSO };
    const r = row(group);
    assert.equal(r.label, 'dev @ eu-west-1 (from profile)');
    assert.equal(r.id, 'group|c', 'the id does not change with the label');
    assert.equal(r.description, '2 · SSO session expired');
    assert.deepEqual(r.icon, { id: 'error', color: 'list.errorForeground' });
    assert.deepEqual(r.command, { command: ACTIVATE_ROW_COMMAND, title: 'Retry' });
    assert.deepEqual(rowAction(group), { command: 'cleanRooms.refresh', arguments: [] });
    assert.equal(rowAction({ type: 'group', connection: 'c', label: 'x', keys: [] }), undefined);
  });

  it('a failure is shared when it is connection-wide and hits more than one membership the same way', () => {
    const failing = (failure: CleanRoomsFailure): MembershipNode => node({ status: 'error', failure });
    const loaded = node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) });
    assert.equal(sharedFailureOf([failing(SSO), failing(SSO), loaded]), SSO);
    assert.equal(sharedFailureOf([failing(SSO), loaded]), undefined, 'one failing membership is not shared');
    assert.equal(sharedFailureOf([failing(FAILURE), failing(FAILURE)]), undefined, 'access denied is about each membership');
    assert.equal(sharedFailureOf([failing(SSO), failing({ ...SSO, kind: 'noCredentials', title: 'No AWS credentials' })]), undefined);
  });

  it('a failure row shows its next step\'s commands as code', () => {
    const r = row({ type: 'message', key: KEY, branch: 'queries', text: SSO.title, failure: SSO });
    assert.ok(markdown(r.tooltip).markup.length > 0);
    const parts = r.tooltip?.kind === 'markdown' ? r.tooltip.parts : [];
    assert.ok(parts.some((p) => 'code' in p && p.code === 'aws sso login --profile dev'));
  });

  it('the membership tooltip names where the region came from', () => {
    const r = row({ type: 'membership', key: KEY }, source(node({ status: 'loaded', connection: { ...CONNECTION, regionFrom: 'profile' }, summary: SUMMARY, fetchedAt: new Date(0) })));
    assert.ok(markdown(r.tooltip).text.includes('dev @ eu-west-1 (from profile)'));
  });

  it('a collaboration enum field: words in the row, the raw value in the tooltip', () => {
    const r = row({ type: 'field', key: KEY, label: 'Your member status', value: 'Active', raw: 'ACTIVE' });
    assert.equal(r.description, 'Active');
    assert.deepEqual(r.tooltip, { kind: 'plain', text: 'Active (ACTIVE)' });
  });

  it('members under a membership: you (the account in its ARN) and the creator are marked', () => {
    const loaded = node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) });
    const records = [
      { displayName: 'Us', accountId: '111122223333', status: 'ACTIVE' },
      { displayName: 'Acme & Co', accountId: '444455556666', status: 'ACTIVE' },
    ];
    assert.equal(row({ type: 'record', key: KEY, branch: 'members', index: 0 }, source(loaded, records)).description, 'you · 111122223333 · Active');
    assert.equal(row({ type: 'record', key: KEY, branch: 'members', index: 1 }, source(loaded, records)).description, 'creator · 444455556666 · Active');
  });

  it('a protected query row: status icon, short ID, status and relative time; the full ID in the tooltip', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const id = '9f8e7d6c-0000-4000-8000-000000000001';
    const loaded = node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) });
    const src: RowSource = { ...source(loaded, [{ id, status: 'FAILED', createTime: new Date(now.getTime() - 2 * 3_600_000) }]), now: () => now };
    const r = row({ type: 'record', key: KEY, branch: 'queries', index: 0 }, src);
    assert.equal(r.label, '9f8e7d6c');
    assert.equal(r.description, 'Failed · 2 h ago');
    assert.deepEqual(r.icon, { id: 'error', color: 'testing.iconFailed' });
    assert.deepEqual(r.tooltip, { kind: 'plain', text: `Protected query ${id}\nStatus: Failed (FAILED)\nCreated: 2026-01-01T10:00:00.000Z` });
  });

  it('protected query rows: running ones can be cancelled (their own context value), all have Copy ID; a screen reader hears status and time', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const id = '9f8e7d6c-0000-4000-8000-000000000001';
    const loaded = node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) });
    const records = ['SUBMITTED', 'STARTED', 'CANCELLING', 'SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT'].map((status) => ({ id, status, createTime: new Date(now.getTime() - 3 * 60_000) }));
    const src: RowSource = { ...source(loaded, records), now: () => now };
    const rows = records.map((_, index) => row({ type: 'record', key: KEY, branch: 'queries', index }, src));
    assert.deepEqual(
      rows.map((r) => r.contextValue),
      ['queryRecordRunning', 'queryRecordRunning', 'queryRecord', 'queryRecord', 'queryRecord', 'queryRecord', 'queryRecord'],
    );
    assert.equal(rows[1].accessibilityLabel, 'Protected query 9f8e7d6c, Started, 3 min ago');
    assert.equal(rows[1].description, 'Started · 3 min ago');
    assert.equal(row({ type: 'record', key: KEY, branch: 'members', index: 0 }, source(loaded, [{ displayName: 'a' }])).contextValue, 'record', 'other records keep theirs');
  });

  it('a protected query with a status this version does not know: a neutral icon and the status as sent', () => {
    const loaded = node({ status: 'loaded', connection: CONNECTION, summary: SUMMARY, fetchedAt: new Date(0) });
    const r = row({ type: 'record', key: KEY, branch: 'queries', index: 0 }, source(loaded, [{ id: 'abcdef0123456789', status: 'QUEUED_FOR_REVIEW' }]));
    assert.deepEqual(r.icon, { id: 'history' });
    assert.equal(r.description, 'QUEUED_FOR_REVIEW');
    assert.equal(r.contextValue, 'queryRecord', 'not offered for cancelling');
  });

  it('the "Protected queries" branch: its own context value (the filter button), and the filter in its description', () => {
    const branch: TreeElement = { type: 'branch', key: KEY, branch: 'queries' };
    const plain = row(branch);
    assert.equal(plain.contextValue, 'branchQueries');
    assert.equal(plain.description, undefined);
    const filtered = row(branch, { ...source(undefined), queryFilter: (key) => (key === KEY ? ['FAILED', 'TIMED_OUT'] : []) });
    assert.equal(filtered.description, 'filtered: Failed, Timed out');
    assert.equal(filtered.accessibilityLabel, 'Protected queries, filtered: Failed, Timed out');
    assert.equal(row({ type: 'branch', key: KEY, branch: 'members' }).contextValue, 'branch');
  });
});
