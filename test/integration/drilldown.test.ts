import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DetailPanel } from '../../src/views/detailPanel';
import type { TreeElement } from '../../src/views/treeElements';
import { MANY_ASSOCIATIONS_COUNT, MANY_ASSOCIATIONS_ID, membersFor, PROTECTED_QUERIES_DENIED_ID, SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { acceptSaveDialog } from './dialogs';
import { api, ONE_PANEL_PER_RECORD, setMemberships, suiteEndpoint, waitFor } from './helpers';

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

describe('drill-down under a membership', () => {
  const own = suiteEndpoint(ONE_PANEL_PER_RECORD);

  async function branch(membershipId: string, name: string): Promise<TreeElement[]> {
    const a = await api();
    const node = a.store.all.find((n) => n.entry.id === membershipId);
    assert.ok(node);
    const branches = await a.tree.getChildren({ type: 'membership', key: node.key });
    const b = branches.find((e) => e.type === 'branch' && e.branch === name);
    assert.ok(b, `branch ${name}`);
    // The first call starts the load and answers "Loading…"; the store repaints when it is done.
    return waitFor(`branch ${name} loaded`, () => {
      const rows = a.tree.getChildren(b);
      return rows.some((r) => r.type === 'message' && r.text === 'Loading…') ? undefined : rows;
    });
  }

  it('a loaded membership expands into its six branches, fetched only when expanded', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const node = a.store.all[0];
    own.endpoint.resetRequests();
    const branches = await a.tree.getChildren({ type: 'membership', key: node.key });
    assert.deepStrictEqual(
      branches.map((b) => a.tree.getTreeItem(b).label),
      ['Collaboration', 'Members', 'Configured tables', 'Tables', 'Analysis templates', 'Protected queries'],
    );
    assert.strictEqual(own.endpoint.requests.length, 0, 'nothing fetched before expanding');
  });

  it('collaboration shows its facts; members list names, accounts and status', async () => {
    const sample = SAMPLE_MEMBERSHIPS[0];
    const a = await setMemberships([sample.id]);
    const fields = await branch(sample.id, 'collaboration');
    const labels = fields.map((f) => a.tree.getTreeItem(f).label);
    assert.deepStrictEqual(labels, ['Name', 'Description', 'Creator', 'Your member status', 'Analytics engine', 'Query logs', 'Job logs', 'Allowed result regions']);
    assert.strictEqual(a.tree.getTreeItem(fields[0]).description, sample.collaborationName);
    const members = await branch(sample.id, 'members');
    const expected = membersFor(sample);
    const records = members.filter((m) => m.type === 'record');
    assert.strictEqual(records.length, Math.min(expected.length, 25));
    const first = a.tree.getTreeItem(records[0]);
    assert.strictEqual(first.label, expected[0].displayName);
    assert.match(String(first.description), new RegExp(expected[0].accountId));
  });

  it('long lists page with "Load more" until every item is shown', async () => {
    const a = await setMemberships([MANY_ASSOCIATIONS_ID]);
    let rows = await branch(MANY_ASSOCIATIONS_ID, 'associations');
    let pages = 1;
    while (rows.some((r) => r.type === 'loadMore')) {
      const more = rows.find((r) => r.type === 'loadMore');
      await vscode.commands.executeCommand('cleanRooms.loadMore', more);
      rows = await branch(MANY_ASSOCIATIONS_ID, 'associations');
      pages++;
      assert.ok(pages < 20, 'terminates');
    }
    assert.strictEqual(rows.filter((r) => r.type === 'record').length, MANY_ASSOCIATIONS_COUNT);
    assert.strictEqual(pages, Math.ceil(MANY_ASSOCIATIONS_COUNT / 25));
    assert.ok(a.store.all[0].state.status === 'loaded');
  });

  it('an error in one branch stays in that branch', async () => {
    const a = await setMemberships([PROTECTED_QUERIES_DENIED_ID]);
    const queries = await branch(PROTECTED_QUERIES_DENIED_ID, 'queries');
    assert.strictEqual(queries.length, 1);
    const item = a.tree.getTreeItem(queries[0]);
    assert.strictEqual(item.label, 'Access denied');
    assert.strictEqual(item.contextValue, 'branchError');
    const templates = await branch(PROTECTED_QUERIES_DENIED_ID, 'templates');
    assert.ok(templates.every((t) => a.tree.getTreeItem(t).contextValue !== 'branchError'));
    assert.strictEqual(a.store.all[0].state.status, 'loaded');
  });

  it('each row opens a detail panel with the same CSP; the collaboration too', async () => {
    const sample = SAMPLE_MEMBERSHIPS[0];
    await setMemberships([sample.id]);
    const members = await branch(sample.id, 'members');
    const listedBy = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const panel = (await vscode.commands.executeCommand('cleanRooms.openDetail', members[0])) as DetailPanel;
    assert.ok(panel);
    const message = panel.lastMessage;
    assert.ok(message.type === 'membership');
    assert.ok(Date.parse(message.fetchedAt) <= listedBy, 'the time shown is when the list arrived, not when the panel opened');
    assert.strictEqual(message.view.sections[0].title, 'Member');
    assert.strictEqual(message.snapshot, true, 'a record from a list: the panel offers no Refresh it cannot honour');
    assert.match(panel.panel.webview.html, /default-src 'none'/);
    await waitFor('webview ready', () => panel.isReady);
    const a = await api();
    const collaborationBranch = (await a.tree.getChildren({ type: 'membership', key: a.store.all[0].key }))[0];
    const collab = (await vscode.commands.executeCommand('cleanRooms.openDetail', collaborationBranch)) as DetailPanel;
    assert.ok(collab.lastMessage.type === 'membership' && collab.lastMessage.view.title === sample.collaborationName);
    assert.strictEqual(a.details.count, 2);
  });

  it('exports the raw JSON of a row to a file', async () => {
    const sample = SAMPLE_MEMBERSHIPS[0];
    await setMemberships([sample.id]);
    const members = await branch(sample.id, 'members');
    const saved = (await acceptSaveDialog(vscode.commands.executeCommand('cleanRooms.exportJson', members[0]))) as vscode.Uri;
    const record = JSON.parse(await readText(saved)) as { accountId: string };
    assert.strictEqual(record.accountId, membersFor(sample)[0].accountId);
    await vscode.workspace.fs.delete(saved);
  });

  it('the first rows of two memberships export to two files; neither overwrites the other', async () => {
    const [a, b] = SAMPLE_MEMBERSHIPS;
    assert.notStrictEqual(membersFor(a)[0].accountId, membersFor(b)[0].accountId, 'two samples whose first members differ');
    await setMemberships([a.id, b.id]);
    const first = (await acceptSaveDialog(vscode.commands.executeCommand('cleanRooms.exportJson', (await branch(a.id, 'members'))[0]))) as vscode.Uri;
    const firstText = await readText(first);
    const second = (await acceptSaveDialog(vscode.commands.executeCommand('cleanRooms.exportJson', (await branch(b.id, 'members'))[0]))) as vscode.Uri;
    assert.notStrictEqual(second.toString(), first.toString());
    assert.strictEqual(await readText(first), firstText, 'the first file still holds its record');
    assert.strictEqual((JSON.parse(await readText(second)) as { accountId: string }).accountId, membersFor(b)[0].accountId);
    await vscode.workspace.fs.delete(first);
    await vscode.workspace.fs.delete(second);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
