import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DetailPanel } from '../../src/views/detailPanel';
import type { MembershipPanel } from '../../src/views/membershipPanel';
import type { TreeElement } from '../../src/views/treeElements';
import { SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { api, setMemberships, suiteEndpoint, updateUserSettings, waitFor } from './helpers';

/** The editor tabs showing this extension's webviews. */
function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('cleanRooms.'));
}

/** Waits until `count` tabs show, and checks no other one follows (the tab model updates a little later). */
async function expectTabs(count: number, what: string): Promise<void> {
  await waitFor(`${count} tab(s): ${what}`, () => webviewTabs().length === count);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.strictEqual(webviewTabs().length, count, what);
}

const [A, B] = SAMPLE_MEMBERSHIPS;

describe('preview panel (VS Code\'s preview-editor convention)', () => {
  const own = suiteEndpoint({ 'workbench.editor.enablePreview': true, 'cleanRooms.cacheMaxAgeSeconds': 300 });

  /** What a single click on the membership row runs. */
  async function click(index: number): Promise<MembershipPanel> {
    const a = await api();
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: a.store.all[index].key })) as MembershipPanel;
    assert.ok(panel, 'a panel opened');
    return panel;
  }

  const rendered = (panel: MembershipPanel | DetailPanel, timeout = 75_000): Promise<unknown> =>
    waitFor('the webview drew the record', () => panel.lastRendered?.state === 'membership', timeout);

  it('single clicks on two memberships reuse one panel and its running webview', async function () {
    // The first webview of a window is slow on a cold, busy machine.
    this.timeout(90_000);
    const a = await setMemberships([A.id, B.id]);
    const first = await click(0);
    await rendered(first);
    assert.strictEqual(first.tab.readyCount, 1);
    const second = await click(1);
    assert.strictEqual(second.panel, first.panel, 'the same webview panel');
    assert.strictEqual(first.showing, false, 'the first record left the preview');
    assert.strictEqual(a.panels.count, 1);
    await expectTabs(1, 'one tab');
    await rendered(second, 10_000);
    assert.ok(second.lastMessage?.type === 'membership' && second.lastMessage.view.id === B.id);
    assert.strictEqual(second.tab.readyCount, 1, 'no second `ready`: the webview was not rebuilt');
    assert.ok(second.isPreview);
    assert.strictEqual(second.panel.title, `Preview: ${B.collaborationName.slice(0, 40)}`);
  });

  it('a detail record goes to the same preview', async () => {
    const a = await setMemberships([A.id]);
    const membership = await click(0);
    const collaborationBranch = (await a.tree.getChildren({ type: 'membership', key: a.store.all[0].key }))[0];
    const detail = (await vscode.commands.executeCommand('cleanRooms.openDetail', collaborationBranch)) as DetailPanel;
    assert.strictEqual(detail.panel, membership.panel);
    assert.strictEqual(a.panels.count, 0);
    assert.strictEqual(a.details.count, 1);
    await expectTabs(1, 'tabs');
    await rendered(detail);
  });

  it('Keep Open pins the preview; the next single click opens a new preview', async () => {
    const a = await setMemberships([A.id, B.id]);
    const first = await click(0);
    assert.strictEqual(await vscode.commands.executeCommand('cleanRooms.keepOpen'), first, 'the palette\'s Keep Open pins the preview');
    assert.strictEqual(first.isPreview, false);
    assert.strictEqual(a.state.panels.preview, undefined);
    await waitFor('title without the preview marker', () => !first.panel.title.startsWith('Preview'));
    const second = await click(1);
    assert.notStrictEqual(second.panel, first.panel);
    assert.ok(second.isPreview);
    assert.ok(first.showing, 'the pinned panel keeps its record');
    assert.strictEqual(a.panels.count, 2);
    await expectTabs(2, 'tabs');
  });

  it('opening a record that has a pinned panel reveals that panel', async () => {
    const a = await setMemberships([A.id, B.id]);
    const pinned = (await vscode.commands.executeCommand('cleanRooms.keepOpen', { type: 'membership', key: a.store.all[0].key })) as MembershipPanel;
    assert.strictEqual(pinned.isPreview, false, 'the row\'s Keep Open opens it pinned');
    const preview = await click(1);
    assert.ok(preview.isPreview);
    const again = await click(0);
    assert.strictEqual(again, pinned);
    await waitFor('the pinned panel is active', () => pinned.panel.active);
    assert.ok(preview.showing, 'the preview kept its record');
    await expectTabs(2, 'tabs');
  });

  it('a second activation of the same row within 500 ms (a double click) pins it', async () => {
    const a = await setMemberships([A.id, B.id]);
    const row: TreeElement = { type: 'membership', key: a.store.all[0].key };
    await vscode.commands.executeCommand('cleanRooms.memberships.focus');
    await waitFor('row selected', async () => {
      await a.view.reveal(row, { select: true, focus: true }).then(undefined, () => undefined);
      return a.view.selection[0]?.type === 'membership' && a.view.selection[0].key === row.key;
    });
    await Promise.all([vscode.commands.executeCommand('cleanRooms.activateRow'), vscode.commands.executeCommand('cleanRooms.activateRow')]);
    const panel = a.panels.get(row.key);
    assert.ok(panel, 'the row opened');
    assert.strictEqual(panel.isPreview, false, 'pinned');
    await expectTabs(1, 'one panel, pinned, not two');
  });

  it('with workbench.editor.enablePreview off every open is pinned: one panel per record', async () => {
    const a = await setMemberships([A.id, B.id]);
    await updateUserSettings({ 'workbench.editor.enablePreview': false });
    try {
      const first = await click(0);
      const second = await click(1);
      assert.notStrictEqual(second.panel, first.panel);
      assert.ok(!first.isPreview && !second.isPreview);
      assert.ok(first.showing && second.showing);
      await waitFor('titled without a preview marker', () => first.panel.title === A.collaborationName.slice(0, 40));
      assert.strictEqual(a.panels.count, 2);
    } finally {
      await updateUserSettings({ 'workbench.editor.enablePreview': true });
    }
  });

  it('after a reload the preview comes back as the preview, a pinned panel as pinned', async () => {
    const a = await setMemberships([A.id, B.id]);
    // What the serializer is handed after a reload: the panel VS Code restored and the state its webview saved.
    const restore = (id: string, preview: boolean): MembershipPanel | undefined =>
      a.state.panels.revive(vscode.window.createWebviewPanel('cleanRooms.membership', 'restored', vscode.ViewColumn.Active), { entry: { id }, preview });
    const pinned = restore(A.id, false);
    const preview = restore(B.id, true);
    assert.ok(pinned && preview);
    assert.strictEqual(pinned.isPreview, false);
    assert.strictEqual(preview.isPreview, true);
    assert.strictEqual(a.state.panels.preview, preview);
    await rendered(preview);
    // The restored preview is the one the next single click reuses.
    const next = await click(0);
    assert.strictEqual(next, pinned, 'A is open pinned: revealed');
    const c = (await vscode.commands.executeCommand('cleanRooms.openMembership', SAMPLE_MEMBERSHIPS[2].id)) as MembershipPanel;
    assert.strictEqual(c.panel, preview.panel);
  });

  it('the active panel\'s row is selected in the tree', async () => {
    const a = await setMemberships([A.id, B.id]);
    const [nodeA, nodeB] = a.store.all;
    await vscode.commands.executeCommand('cleanRooms.memberships.focus');
    const panelA = (await vscode.commands.executeCommand('cleanRooms.keepOpen', { type: 'membership', key: nodeA.key })) as MembershipPanel;
    const panelB = (await vscode.commands.executeCommand('cleanRooms.keepOpen', { type: 'membership', key: nodeB.key })) as MembershipPanel;
    const selected = (): string | undefined => {
      const [s] = a.view.selection;
      return s?.type === 'membership' ? s.key : undefined;
    };
    await waitFor('B selected', () => selected() === nodeB.key);
    panelA.panel.reveal();
    await waitFor('A selected', () => selected() === nodeA.key);
    panelB.panel.reveal();
    await waitFor('B selected again', () => selected() === nodeB.key);
    await expectTabs(2, 'selecting rows opened nothing');
  });

  it('a recently fetched membership renders at once, marked refreshing, and refreshes in the background', async function () {
    this.timeout(90_000);
    await setMemberships([A.id, B.id]);
    const first = await click(0);
    const fetched = await waitFor('fetched', () => (first.lastMessage?.type === 'membership' && !first.lastMessage.refreshing ? first.lastMessage : undefined));
    await rendered(first);
    const other = await click(1);
    await waitFor('B fetched', () => other.lastMessage?.type === 'membership' && !other.lastMessage.refreshing);
    const gets = (): number => own.endpoint.requests.filter((r) => r.operation === 'GetMembership').length;
    own.endpoint.resetRequests();
    own.endpoint.setLatency(3000);
    try {
      const started = Date.now();
      const again = await click(0);
      assert.strictEqual(again.panel, first.panel, 'back in the preview');
      const shown = again.lastMessage;
      assert.ok(shown?.type === 'membership', 'the record is posted before any reply');
      assert.strictEqual(shown.refreshing, true);
      assert.strictEqual(shown.fetchedAt, fetched.fetchedAt, 'with the time it was fetched');
      assert.ok(again.servedFromCache);
      await rendered(again, 10_000);
      assert.ok(Date.now() - started < 3000, `drawn before the reply (${Date.now() - started} ms)`);
      assert.ok(again.lastMessage?.type === 'membership' && again.lastMessage.refreshing, 'still refreshing');
      await waitFor('refreshed in the background', () => again.lastMessage?.type === 'membership' && !again.lastMessage.refreshing, 15_000);
      assert.strictEqual(gets(), 1);
      const latest = again.lastMessage;
      assert.ok(latest?.type === 'membership' && Date.parse(latest.fetchedAt) > Date.parse(fetched.fetchedAt));
    } finally {
      own.endpoint.setLatency(0);
    }
  });

  it('a membership the preview moved past stops loading: its request is aborted and it shows no progress notification', async function () {
    this.timeout(60_000);
    await setMemberships([A.id, B.id]);
    // Every notification the extension asks for, by title (the extension and this test share the API object).
    const progressTitles: string[] = [];
    const window = vscode.window as { withProgress: typeof vscode.window.withProgress };
    const withProgress = window.withProgress;
    window.withProgress = (options, task) => {
      progressTitles.push(options.title ?? '');
      return withProgress(options, task);
    };
    own.endpoint.setLatency(3000);
    try {
      const first = await click(0);
      const shownForA = first.lastMessage;
      // The load in flight (concurrent refreshes share it): settles when A's request ends.
      const firstLoad = first.refresh();
      const second = await click(1);
      const movedOn = Date.now();
      assert.strictEqual(first.showing, false, 'A left the preview');
      await firstLoad;
      const ms = Date.now() - movedOn;
      assert.ok(ms < 1500, `A's request ended when the preview moved on (${ms} ms), not when the 3 s reply came`);
      await waitFor('B drawn', () => second.lastMessage?.type === 'membership' && second.lastRendered?.state === 'membership', 20_000);
      assert.ok(second.lastMessage?.type === 'membership' && second.lastMessage.view.id === B.id);
      // Past the 1.5 s after which A's notification would have shown, and past A's own reply.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, movedOn + 3500 - Date.now())));
      assert.deepStrictEqual(progressTitles.filter((t) => t.includes(A.id)), [], 'no progress notification for A');
      assert.ok(progressTitles.some((t) => t.includes(B.id)), `B's own slow load still shows one (${progressTitles.join(', ')})`);
      assert.strictEqual(first.lastMessage, shownForA, 'nothing more was posted for A');
    } finally {
      window.withProgress = withProgress;
      own.endpoint.setLatency(0);
    }
  });

  it('cleanRooms.cacheMaxAgeSeconds 0 fetches first; a record older than the setting is fetched first too', async () => {
    await setMemberships([A.id]);
    const first = await click(0);
    await waitFor('fetched', () => first.lastMessage?.type === 'membership');
    first.dispose();
    await updateUserSettings({ 'cleanRooms.cacheMaxAgeSeconds': 0 });
    try {
      await waitFor('setting applied', async () => (await api()).state.settings.cacheMaxAgeMs === 0);
      const again = await click(0);
      assert.strictEqual(again.lastMessage?.type, 'loading');
      await waitFor('fetched', () => again.lastMessage?.type === 'membership');
      again.dispose();
      await updateUserSettings({ 'cleanRooms.cacheMaxAgeSeconds': 1 });
      await waitFor('setting applied', async () => (await api()).state.settings.cacheMaxAgeMs === 1000);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const old = await click(0);
      assert.strictEqual(old.lastMessage?.type, 'loading', 'a record older than a second is fetched first');
    } finally {
      await updateUserSettings({ 'cleanRooms.cacheMaxAgeSeconds': 300 });
    }
  });
});
