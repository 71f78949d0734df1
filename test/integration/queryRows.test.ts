import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeElement } from '../../src/views/treeElements';
import { protectedQueriesFor, SAMPLE } from '../fakes/fixtures';
import { api, setMemberships, suiteEndpoint, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

/** Issue 11, "Query panel": the membership's protected-query rows, their filter, and running ones updating live. */
describe('protected query rows: icons, filter, live status', () => {
  const own = suiteEndpoint();
  const CTV = SAMPLE.ctvReach; // can query and receive results (CSV default result configuration)
  const REACH_SQL = 'SELECT campaign_id, COUNT(DISTINCT hashed_email) AS reach FROM campaign_exposures GROUP BY campaign_id';

  const iconOf = (i: vscode.TreeItem): { id?: string; color?: string } =>
    i.iconPath instanceof vscode.ThemeIcon ? { id: i.iconPath.id, color: i.iconPath.color?.id } : {};

  async function queriesBranch(membershipId: string): Promise<ElementOfBranch> {
    const a = await setMemberships([membershipId]);
    const node = a.store.all[0];
    assert.strictEqual(node.state.status, 'loaded');
    const branches = a.tree.getChildren({ type: 'membership', key: node.key });
    const branch = branches.find((b): b is ElementOfBranch => b.type === 'branch' && b.branch === 'queries');
    assert.ok(branch);
    return branch;
  }
  type ElementOfBranch = Extract<TreeElement, { type: 'branch' }>;

  /** The rows of the branch once listed (the first call starts the load and answers "Loading…"). */
  async function rows(branch: ElementOfBranch): Promise<TreeElement[]> {
    const a = await api();
    return waitFor('queries listed', () => {
      const children = a.tree.getChildren(branch);
      return children.some((r) => r.type === 'message' && r.text === 'Loading…') ? undefined : children;
    });
  }

  it('rows: a status icon in its theme color, the short ID, menus by state (Cancel only while running), an accessible label; Copy ID copies the full ID', async () => {
    const branch = await queriesBranch(CTV.id);
    const a = await api();
    const listed = (await rows(branch)).filter((r) => r.type === 'record');
    const seeded = protectedQueriesFor(CTV);
    assert.ok(listed.length > 0);
    const colors: Record<string, string> = { SUCCESS: 'testing.iconPassed', FAILED: 'testing.iconFailed' };
    for (const [index, row] of listed.entries()) {
      const q = seeded[index];
      const item = a.tree.getTreeItem(row);
      assert.strictEqual(item.label, q.id.slice(0, 8));
      assert.strictEqual(item.contextValue, q.status === 'SUBMITTED' || q.status === 'STARTED' ? 'queryRecordRunning' : 'queryRecord', q.status);
      if (colors[q.status]) {
        assert.strictEqual(iconOf(item).color, colors[q.status], q.status);
      }
      assert.match(item.accessibilityInformation?.label ?? '', new RegExp(`^Protected query ${q.id.slice(0, 8)}, [A-Z][a-z ]+, `));
    }
    assert.strictEqual(a.tree.getTreeItem(branch).contextValue, 'branchQueries', 'the branch row carries the filter button');
    const copied = await vscode.commands.executeCommand<string>('cleanRooms.copyId', listed[0]);
    assert.strictEqual(copied, seeded[0].id);
    assert.strictEqual(await vscode.env.clipboard.readText(), seeded[0].id);
  });

  it('the filter: one status is asked of the service, several are filtered here; the branch row says it; "All statuses" clears it', async () => {
    const branch = await queriesBranch(CTV.id);
    const a = await api();
    await rows(branch);
    const seeded = protectedQueriesFor(CTV);
    const lists = (): Array<Record<string, string>> => own.endpoint.requests.filter((r) => r.operation === 'ListProtectedQueries').map((r) => r.query);
    const shownStatuses = async (): Promise<string[]> =>
      (await rows(branch)).filter((r) => r.type === 'record').map((r) => String(a.tree.getTreeItem(r).description).split(' · ')[0]);

    own.endpoint.resetRequests();
    assert.deepStrictEqual(await vscode.commands.executeCommand('cleanRooms.filterQueries', branch, ['FAILED']), ['FAILED']);
    assert.strictEqual(a.tree.getTreeItem(branch).description, 'filtered: Failed');
    const failed = await shownStatuses();
    assert.strictEqual(failed.length, Math.min(25, seeded.filter((q) => q.status === 'FAILED').length));
    assert.ok(failed.every((s) => s === 'Failed'));
    assert.strictEqual(lists()[0]?.status, 'FAILED', 'ListProtectedQueries was asked for FAILED');

    own.endpoint.resetRequests();
    const { seen } = await withScriptedUi([{ pick: ['Failed', 'Timed out'] }], () => vscode.commands.executeCommand('cleanRooms.filterQueries', branch));
    assert.ok(seen.picks[0].items.find((i) => i.label === 'Failed')?.picked, 'the current filter is preselected');
    assert.strictEqual(a.tree.getTreeItem(branch).description, 'filtered: Failed, Timed out');
    const two = await shownStatuses();
    assert.strictEqual(two.length, seeded.slice(0, 25).filter((q) => q.status === 'FAILED' || q.status === 'TIMED_OUT').length, 'the first page, filtered here');
    assert.ok(two.every((s) => s === 'Failed' || s === 'Timed out'), two.join(', '));
    assert.strictEqual(lists()[0]?.status, undefined, 'several statuses: the list is asked for whole');

    await a.state.refreshRequested();
    assert.strictEqual(a.tree.getTreeItem(branch).description, 'filtered: Failed, Timed out', 'kept across a refresh');

    await withScriptedUi([{ pick: 'All statuses' }], () => vscode.commands.executeCommand('cleanRooms.filterQueries', branch));
    assert.strictEqual(a.tree.getTreeItem(branch).description, undefined);
    assert.strictEqual((await rows(branch)).filter((r) => r.type === 'record').length, Math.min(25, seeded.length));
  });

  it('a query started elsewhere (the run flow) shows up on top, running, and its row alone updates live to Success', async () => {
    const branch = await queriesBranch(CTV.id);
    const a = await api();
    const before = (await rows(branch)).filter((r) => r.type === 'record').length;
    const node = a.store.all[0];
    const fired: TreeElement[] = [];
    const listening = a.tree.onDidChangeTreeData((e) => fired.push(...(Array.isArray(e) ? e : e ? [e] : [])));
    try {
      const started = await a.service.startProtectedQuery(node.request, CTV.id, { queryString: REACH_SQL });
      assert.ok(started.ok, started.ok ? '' : started.failure.title);
      // What the run flow does with the query it started: the tracker tells everyone.
      a.state.queries.record(started.value);
      const top = await waitFor('the new query on top', async () => {
        const listed = (await rows(branch)).filter((r) => r.type === 'record');
        return listed.length === before + 1 && a.tree.getTreeItem(listed[0]).label === started.value.id?.slice(0, 8) ? listed[0] : undefined;
      });
      const running = a.tree.getTreeItem(top);
      assert.strictEqual(running.contextValue, 'queryRecordRunning', 'Cancel Query is offered');
      assert.strictEqual(iconOf(running).id, 'sync~spin');
      await waitFor('the tree watches it', () => a.tree.watchedQueries > 0);
      // Joining the list repaints the branch once (its rows moved down)...
      await waitFor('the branch repainted for the new row', () => fired.some((e) => e.type === 'branch'));
      fired.length = 0;
      const done = await waitFor('the row says Success', () => {
        const item = a.tree.getTreeItem(top);
        return iconOf(item).id === 'pass' ? item : undefined;
      }, 15_000);
      assert.strictEqual(done.contextValue, 'queryRecord', 'no Cancel once it ended');
      assert.match(String(done.description), /^Success · /);
      await waitFor('the repaint', () => fired.length > 0);
      // ...each status change after that repaints its row alone.
      assert.ok(fired.every((e) => e.type === 'record'), `only rows repainted: ${fired.map((e) => e.type).join(', ')}`);
      await waitFor('no watch left once it ended', () => a.tree.watchedQueries === 0);
    } finally {
      listening.dispose();
    }
  });
});
