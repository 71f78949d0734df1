import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { TreeElement } from '../../src/views/treeElements';
import { PROFILES } from '../fakes/awsHome';
import { MEMBER_ACCOUNT_ID, membersFor, protectedQueriesFor, SAMPLE_MEMBERSHIPS, TEST_CREDENTIALS } from '../fakes/fixtures';
import { api, config, setMemberships, suiteEndpoint, waitFor } from './helpers';

/** Issue 10, "what a new user ran into": items 5, 6, 9, 10, 14 and 15, in the real extension host. */
describe('tree rows say what they mean', () => {
  const own = suiteEndpoint();
  const DELETED = SAMPLE_MEMBERSHIPS.find((m) => m.status === 'COLLABORATION_DELETED');
  const REMOVED = SAMPLE_MEMBERSHIPS.find((m) => m.status === 'REMOVED');

  const item = async (element: TreeElement): Promise<vscode.TreeItem> => (await api()).tree.getTreeItem(element);
  /** A tooltip as read: markdown's escapes of text undone. */
  const tooltipText = (i: vscode.TreeItem): string =>
    typeof i.tooltip === 'string' ? i.tooltip : (i.tooltip?.value ?? '').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
  const iconOf = (i: vscode.TreeItem): string | undefined => (i.iconPath instanceof vscode.ThemeIcon ? i.iconPath.id : undefined);

  /** The rows of a branch once loaded (the first call starts the load and answers "Loading…"). */
  async function branchRows(membershipId: string, name: string): Promise<TreeElement[]> {
    const a = await api();
    const node = a.store.all.find((n) => n.entry.id === membershipId);
    assert.ok(node, membershipId);
    return waitFor(`branch ${name} loaded`, () => {
      const rows = a.tree.getChildren({ type: 'branch', key: node.key, branch: name as 'members' });
      return rows.some((r) => r.type === 'message' && r.text === 'Loading…') ? undefined : rows;
    });
  }

  /**
   * Runs `command` and returns the items its picker offered, then cancels the pick. Both kinds of
   * picker are covered: showQuickPick (Discover) is replaced; a createQuickPick picker (Open
   * Membership, which updates as the user types) is the real one, read when shown and then hidden.
   */
  async function pickerItems(command: string, arg?: unknown): Promise<vscode.QuickPickItem[]> {
    const win = vscode.window as { showQuickPick: unknown; createQuickPick: unknown };
    const originalShow = win.showQuickPick;
    const originalCreate = vscode.window.createQuickPick;
    let offered: vscode.QuickPickItem[] = [];
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
      offered = [...(await items)];
      return undefined;
    };
    win.createQuickPick = <T extends vscode.QuickPickItem>(): vscode.QuickPick<T> => {
      const qp = originalCreate.call(vscode.window) as vscode.QuickPick<T>;
      const show = qp.show.bind(qp);
      qp.show = () => {
        show();
        offered = [...qp.items];
        setTimeout(() => qp.hide(), 0);
      };
      return qp;
    };
    try {
      await vscode.commands.executeCommand(command, arg);
    } finally {
      win.showQuickPick = originalShow;
      win.createQuickPick = originalCreate;
    }
    return offered;
  }

  it('5: status words are words everywhere (rows, collaboration facts, members, queries, pickers); the raw value is in the tooltip', async () => {
    assert.ok(REMOVED);
    const sample = SAMPLE_MEMBERSHIPS[0];
    const a = await setMemberships([sample.id, REMOVED.id]);
    const [active] = a.tree.roots();
    assert.match(tooltipText(await item(active)), /Active \(ACTIVE\)/);
    const fields = await branchRows(sample.id, 'collaboration');
    const memberStatus = await item(fields.find((f) => f.type === 'field' && f.label === 'Your member status') as TreeElement);
    assert.strictEqual(memberStatus.description, 'Active');
    assert.strictEqual(memberStatus.tooltip, 'Active (ACTIVE)');
    for (const name of ['members', 'queries', 'associations']) {
      for (const row of (await branchRows(sample.id, name)).filter((r) => r.type === 'record')) {
        const shown = await item(row);
        assert.doesNotMatch(`${String(shown.label)} ${String(shown.description)}`, /\b[A-Z]+_[A-Z_]+\b|\b(ACTIVE|SUCCESS|FAILED|STARTED|AGGREGATION|INVITED)\b/, `${name}: ${String(shown.description)}`);
      }
    }
    const open = await pickerItems('cleanRooms.openMembership');
    const details = open.filter((i) => i.description === sample.id || i.description === REMOVED.id).map((i) => i.detail);
    assert.deepStrictEqual(details, ['Active', 'Removed']);
    await setMemberships([sample.id]);
    const discovered = await pickerItems('cleanRooms.discoverMemberships', { status: 'ALL' });
    assert.ok(discovered.length > 0, 'Discover offered memberships');
    assert.ok(discovered.some((i) => /^Collaboration deleted · /.test(i.description ?? '')), JSON.stringify(discovered.map((i) => i.description)));
    assert.ok(discovered.every((i) => !/[A-Z]_[A-Z]|ACTIVE|REMOVED/.test(i.description ?? '')), JSON.stringify(discovered.map((i) => i.description)));
  });

  it('6: groups name the resolved region ("us-east-1 (from profile)") and keep their id while the label changes', async () => {
    const a = await api();
    own.endpoint.setLatency(600);
    try {
      const written = [SAMPLE_MEMBERSHIPS[0].id, { id: SAMPLE_MEMBERSHIPS[1].id, profile: PROFILES.eu }];
      await config().update('memberships', written, vscode.ConfigurationTarget.Workspace);
      const groupsNow = async (): Promise<Array<{ id?: string; label: string }>> =>
        Promise.all(a.tree.roots().filter((r) => r.type === 'group').map(async (g) => ({ id: (await item(g)).id, label: String((await item(g)).label) })));
      const before = await waitFor('groups painted before the memberships resolve', async () => {
        const groups = await groupsNow();
        // The eu membership is new, so its group has no resolved region yet.
        return groups.length === 2 && groups[1].label === "cleanrooms-eu @ the profile's region" && groups;
      });
      await waitFor('memberships loaded', () => a.store.all.length === 2 && a.store.all.every((n) => n.state.status === 'loaded'));
      await a.store.whenIdle();
      const after = await groupsNow();
      assert.deepStrictEqual(
        after.map((g) => g.label),
        ['cleanrooms-test @ us-east-1 (from profile)', 'cleanrooms-eu @ eu-west-1 (from profile)'],
      );
      assert.deepStrictEqual(
        after.map((g) => g.id),
        before.map((g) => g.id),
        'same TreeItem ids: VS Code keeps the groups expanded and selected',
      );
      const membership = (await a.tree.getChildren(a.tree.roots()[0]))[0];
      assert.match(tooltipText(await item(membership)), /cleanrooms-test @ us-east-1 \(from profile\)/);
    } finally {
      own.endpoint.setLatency(0);
    }
  });

  it('9: a credential failure shared by several memberships is said once, with the fix as code and a Retry; rows keep their names', async () => {
    const ids = SAMPLE_MEMBERSHIPS.slice(0, 3).map((m) => m.id);
    // Ungrouped (all on one profile): one notice row at the top.
    let a = await setMemberships([{ id: ids[0], profile: PROFILES.expiredSso, label: 'Named by me' }, { id: ids[1], profile: PROFILES.expiredSso }, { id: ids[2], profile: PROFILES.expiredSso }]);
    let roots = a.tree.roots();
    assert.deepStrictEqual(roots.map((r) => r.type), ['sharedFailure', 'membership', 'membership', 'membership']);
    const notice = await item(roots[0]);
    assert.strictEqual(notice.label, 'SSO session expired');
    assert.strictEqual(notice.description, 'Run aws sso login --profile expired-sso in a terminal, then retry.');
    assert.ok(notice.tooltip instanceof vscode.MarkdownString);
    assert.match(notice.tooltip.value, /`aws sso login --profile expired-sso`/, 'inline code in the markdown tooltip');
    assert.strictEqual(notice.command?.command, 'cleanRooms.activateRow');
    const rows = await Promise.all(roots.slice(1).map(item));
    assert.deepStrictEqual(rows.map((r) => r.description), ['not loaded', 'not loaded', 'not loaded'], 'the failure is not repeated on every row');
    assert.strictEqual(rows[0].label, 'Named by me');

    // Grouped: said on the group row.
    a = await setMemberships([{ id: ids[0], profile: PROFILES.expiredSso }, { id: ids[1], profile: PROFILES.expiredSso }, ids[2]]);
    roots = a.tree.roots();
    assert.deepStrictEqual(roots.map((r) => r.type), ['group', 'group']);
    const group = await item(roots[0]);
    assert.match(String(group.label), /^expired-sso @ /);
    assert.strictEqual(group.description, '2 · SSO session expired');
    assert.strictEqual(iconOf(group), 'error');
    const grouped = await Promise.all((await a.tree.getChildren(roots[0])).map(item));
    assert.deepStrictEqual(grouped.map((r) => r.description), ['not loaded', 'not loaded']);

    // Names loaded once survive a failure of the same profile later (credentials rejected).
    const credentialsFile = process.env.AWS_SHARED_CREDENTIALS_FILE;
    assert.ok(credentialsFile && fs.existsSync(credentialsFile), 'AWS_SHARED_CREDENTIALS_FILE from the harness');
    const original = fs.readFileSync(credentialsFile, 'utf8');
    a = await setMemberships(ids);
    assert.ok(a.store.all.every((n) => n.state.status === 'loaded'));
    try {
      fs.writeFileSync(credentialsFile, original.split(TEST_CREDENTIALS.secretAccessKey).join('this/is/not/the/right/secret/key/000000'));
      await vscode.commands.executeCommand('cleanRooms.reloadCredentials');
      await waitFor('every membership failed', () => a.store.all.every((n) => n.state.status === 'error'));
      await a.store.whenIdle();
      roots = await waitFor('the shared failure row', () => {
        const r = a.tree.roots();
        return r[0]?.type === 'sharedFailure' && r;
      });
      const named = await Promise.all(roots.slice(1).map(item));
      assert.deepStrictEqual(
        named.map((r) => r.label),
        SAMPLE_MEMBERSHIPS.slice(0, 3).map((m) => m.collaborationName),
        'each row keeps its last known name',
      );
    } finally {
      fs.writeFileSync(credentialsFile, original);
      await vscode.commands.executeCommand('cleanRooms.reloadCredentials');
    }
    await waitFor('loaded again', () => a.store.all.every((n) => n.state.status === 'loaded'));
  });

  it('10: the branches of a deleted collaboration say so, neutrally, and send no request', async () => {
    assert.ok(DELETED);
    const a = await setMemberships([DELETED.id]);
    const node = a.store.all[0];
    assert.strictEqual(node.state.status, 'loaded');
    own.endpoint.resetRequests();
    for (const branch of await a.tree.getChildren({ type: 'membership', key: node.key })) {
      const rows = a.tree.getChildren(branch);
      assert.strictEqual(rows.length, 1, `${branch.type === 'branch' ? branch.branch : ''}: one row`);
      const shown = await item(rows[0]);
      assert.strictEqual(shown.label, 'The collaboration was deleted');
      assert.strictEqual(shown.contextValue, 'message');
      assert.strictEqual(shown.iconPath, undefined, 'no error icon');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Membership loads may run meanwhile (the profile watcher reacts to the previous test's file edits): only branch requests count.
    const membershipCalls = new Set(['ListMemberships', 'GetMembership']);
    assert.deepStrictEqual(own.endpoint.requests.map((r) => r.operation).filter((op) => !membershipCalls.has(op)), [], 'nothing was asked for');
  });

  it('14: members mark your own account and the collaboration creator', async () => {
    const sample = SAMPLE_MEMBERSHIPS[0];
    await setMemberships([sample.id]);
    const members = membersFor(sample);
    const rows = (await branchRows(sample.id, 'members')).filter((r) => r.type === 'record');
    const shown = await Promise.all(rows.map(item));
    const byAccount = (account: string): vscode.TreeItem | undefined => shown[members.findIndex((m) => m.accountId === account)];
    const you = byAccount(MEMBER_ACCOUNT_ID);
    const creator = byAccount(sample.collaborationCreatorAccountId);
    assert.ok(you && creator);
    assert.match(String(you.description), /^you · /);
    assert.match(tooltipText(you), /You: the account of this membership/);
    assert.match(String(creator.description), /^creator · /);
    assert.match(tooltipText(creator), /Created the collaboration/);
    assert.strictEqual(shown.filter((s) => /^(you|creator)/.test(String(s.description))).length, 2, 'nobody else is marked');
  });

  it('15: protected query rows show a status icon, a short ID, the status and a relative time; the full ID and ISO time in the tooltip', async () => {
    const sample = SAMPLE_MEMBERSHIPS[0];
    await setMemberships([sample.id]);
    const queries = protectedQueriesFor(sample);
    const rows = (await branchRows(sample.id, 'queries')).filter((r) => r.type === 'record');
    assert.ok(rows.length >= 10);
    const icons: Record<string, string> = { SUBMITTED: 'sync~spin', STARTED: 'sync~spin', SUCCESS: 'pass', FAILED: 'error', CANCELLED: 'circle-slash', CANCELLING: 'circle-slash', TIMED_OUT: 'watch' };
    const seen = new Set<string>();
    for (const [index, row] of rows.entries()) {
      const q = queries[index];
      const shown = await item(row);
      seen.add(q.status);
      assert.strictEqual(iconOf(shown), icons[q.status], q.status);
      assert.strictEqual(shown.label, q.id.slice(0, 8));
      assert.match(String(shown.description), /^[A-Z][a-z ]+ · (just now|\d+ min ago|\d+ h ago|yesterday|\d+ days ago|\d{4}-\d\d-\d\d)$/);
      assert.ok(tooltipText(shown).includes(q.id), 'full ID in the tooltip');
      assert.ok(tooltipText(shown).includes(new Date(q.createTime * 1000).toISOString()), 'ISO time in the tooltip');
    }
    assert.deepStrictEqual([...seen].sort(), Object.keys(icons).sort(), 'every status was shown');
  });
});
