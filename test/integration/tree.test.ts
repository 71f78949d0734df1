import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TreeElement } from '../../src/views/treeElements';
import { credentialProcessRuns, PROFILES } from '../fakes/awsHome';
import { bulkMemberships, FAULT_IDS, SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { api, config, setMemberships, suiteEndpoint, waitFor } from './helpers';

describe('membership tree in a real extension host', () => {
  const own = suiteEndpoint();

  async function items(): Promise<Array<{ element: TreeElement; item: vscode.TreeItem }>> {
    const { tree } = await api();
    return tree.roots().map((element) => ({ element, item: tree.getTreeItem(element) }));
  }

  it('lists configured memberships in config order, named from the service', async () => {
    const ids = [SAMPLE_MEMBERSHIPS[2].id, SAMPLE_MEMBERSHIPS[0].id, SAMPLE_MEMBERSHIPS[1].id];
    await setMemberships(ids);
    const shown = await items();
    assert.deepStrictEqual(
      shown.map((s) => s.item.label),
      [SAMPLE_MEMBERSHIPS[2].collaborationName, SAMPLE_MEMBERSHIPS[0].collaborationName, SAMPLE_MEMBERSHIPS[1].collaborationName],
    );
    assert.ok(shown.every((s) => s.item.contextValue === 'membershipLoaded'));
    const removed = shown[0].item;
    assert.strictEqual((removed.iconPath as vscode.ThemeIcon).id, SAMPLE_MEMBERSHIPS[2].status === 'REMOVED' ? 'circle-slash' : 'pass-filled');
    assert.match(String(shown[1].item.description), /Active/);
    const tooltip = shown[1].item.tooltip as vscode.MarkdownString;
    assert.ok(tooltip.value.includes(SAMPLE_MEMBERSHIPS[0].collaborationCreatorDisplayName.replace(/&/g, '\\&').slice(0, 5)));
    assert.strictEqual(tooltip.isTrusted, false);
  });

  it('uses a label from settings, and shows invalid entries as errors in place', async () => {
    await setMemberships([{ id: SAMPLE_MEMBERSHIPS[0].id, label: 'My label' }, 'not-a-uuid', SAMPLE_MEMBERSHIPS[1].id]);
    const shown = await items();
    assert.deepStrictEqual(
      shown.map((s) => s.item.contextValue),
      ['membershipLoaded', 'invalidEntry', 'membershipLoaded'],
    );
    assert.strictEqual(shown[0].item.label, 'My label');
    assert.match(String(shown[1].item.description), /lowercase UUID/);
  });

  it('a failing membership becomes an error item with the reason; the others load', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id, FAULT_IDS.notFound, FAULT_IDS.accessDenied]);
    const shown = await items();
    assert.deepStrictEqual(
      shown.map((s) => s.item.contextValue),
      ['membershipLoaded', 'membershipError', 'membershipError'],
    );
    assert.strictEqual(shown[1].item.description, 'Not found');
    assert.strictEqual(shown[2].item.description, 'Access denied');
    assert.match((shown[2].item.tooltip as vscode.MarkdownString).value, /Next step/);
  });

  it('retry re-fetches just that membership', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, FAULT_IDS.notFound]);
    own.endpoint.resetRequests();
    await vscode.commands.executeCommand('cleanRooms.retry', a.tree.roots()[1]);
    assert.deepStrictEqual(
      own.endpoint.requests.map((r) => [r.operation, r.membershipId]),
      [['GetMembership', FAULT_IDS.notFound]],
    );
  });

  it('applies settings changes live, and refresh reloads', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    assert.strictEqual(a.tree.roots().length, 1);
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id, SAMPLE_MEMBERSHIPS[3].id]);
    assert.strictEqual(a.tree.roots().length, 2);
    own.endpoint.resetRequests();
    await vscode.commands.executeCommand('cleanRooms.refresh');
    // A few memberships are labelled with one GetMembership each.
    assert.deepStrictEqual(
      own.endpoint.requests.filter((r) => r.operation === 'GetMembership').map((r) => r.membershipId).sort(),
      [SAMPLE_MEMBERSHIPS[0].id, SAMPLE_MEMBERSHIPS[3].id].sort(),
    );
  });

  it('labels a few memberships of a large account with GetMembership only, and keeps each full record in the store', async () => {
    // 1,007 in the account: listing them would take 11 sequential ListMemberships calls.
    const bulk = bulkMemberships(1000);
    own.endpoint.addMemberships(bulk);
    own.endpoint.resetRequests();
    const a = await setMemberships(bulk.slice(0, 10).map((m) => m.id));
    const shown = await items();
    assert.deepStrictEqual(shown.map((s) => s.item.label), bulk.slice(0, 10).map((m) => m.collaborationName));
    assert.ok(shown.every((s) => s.item.contextValue === 'membershipLoaded'));
    const operations = own.endpoint.requests.map((r) => r.operation);
    assert.strictEqual(operations.filter((o) => o === 'ListMemberships').length, 0, operations.join(', '));
    assert.strictEqual(operations.filter((o) => o === 'GetMembership').length, 10, operations.join(', '));
    // The full record a panel can show at once, with its fetch time.
    for (const [i, node] of a.store.all.entries()) {
      assert.ok(node.state.status === 'loaded' && node.state.membership?.id === bulk[i].id, `row ${i} has its full record`);
      assert.ok(node.state.status === 'loaded' && Date.now() - node.state.fetchedAt.getTime() < 60_000);
    }
    // More than FEW_MEMBERSHIPS (20) still come from the list pages.
    own.endpoint.resetRequests();
    await setMemberships(bulk.slice(0, 21).map((m) => m.id));
    assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'ListMemberships').length, Math.ceil((SAMPLE_MEMBERSHIPS.length + bulk.length) / 100));
    assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'GetMembership').length, 0);
    assert.ok(a.store.all.every((n) => n.state.status === 'loaded'));
  });

  it('a change of how queries run (cleanRooms.query.*) reloads nothing: no request is sent', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    await a.store.whenIdle();
    own.endpoint.resetRequests();
    await config().update('query.workerCount', 8, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting applied', () => a.state.settings.query.workerCount === 8);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.deepStrictEqual(own.endpoint.requests.map((r) => r.operation), []);
      assert.ok(a.store.all.every((n) => n.state.status === 'loaded'), 'the rows keep what they show');
    } finally {
      await config().update('query.workerCount', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('reports a bad scalar setting in the tree without losing the memberships', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    await config().update('requestTimeoutSeconds', 'soon', vscode.ConfigurationTarget.Global);
    await waitFor('problem shown', () => a.tree.roots().some((e) => e.type === 'problem'));
    assert.ok(a.tree.roots().some((e) => e.type === 'membership'));
    await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a click acts on its row through the selection, so a repaint under the click cannot lose it', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, SAMPLE_MEMBERSHIPS[1].id]);
    a.panels.disposeAll();
    const shown = await items();
    // A command with arguments is cached by VS Code under an id that each repaint disposes.
    for (const { item } of shown) {
      assert.strictEqual(item.command?.command, 'cleanRooms.activateRow');
      assert.strictEqual(item.command?.arguments, undefined);
    }
    const target = shown[1].element;
    await a.view.reveal(target, { select: true, focus: true });
    // Repaint every row, then click: the row still opens.
    const reloading = vscode.commands.executeCommand('cleanRooms.refresh');
    await vscode.commands.executeCommand(shown[1].item.command?.command ?? '');
    await reloading;
    const key = target.type === 'membership' ? target.key : '';
    assert.ok(a.panels.get(key), 'the clicked membership opened');
    assert.strictEqual(a.panels.count, 1);
    a.panels.disposeAll();
  });

  it('reveal selects a membership inside its group, a branch and a drill-down record, each passed as a fresh object', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, { id: SAMPLE_MEMBERSHIPS[1].id, region: 'us-east-1' }]);
    a.panels.disposeAll();
    assert.ok(a.tree.roots().some((e) => e.type === 'group'), 'grouped by profile/region');
    const node = a.store.all.find((n) => n.entry.id === SAMPLE_MEMBERSHIPS[1].id);
    assert.ok(node && node.state.status === 'loaded');
    const id = (e: TreeElement): string | undefined => a.tree.getTreeItem(e).id;
    // The tree repaints a few ms after the store settles, and VS Code drops (and logs) a reveal that
    // ran against the rows from before: reveal again until the row is selected.
    const reveal = (want: TreeElement): Promise<boolean> =>
      waitFor(`${want.type} row revealed and selected`, async () => {
        await a.view.reveal(want, { select: true, focus: true });
        return a.view.selection.length === 1 && a.view.selection[0].type === want.type && id(a.view.selection[0]) === id(want);
      });
    // As a command or another extension would: objects the tree never handed out.
    await reveal({ type: 'membership', key: node.key });
    const branch: TreeElement = { type: 'branch', key: node.key, branch: 'members' };
    await reveal(branch);
    a.tree.getChildren(branch);
    const members = await waitFor('members loaded', () => {
      const state = a.drill.branch(node, 'members');
      return state.status === 'loaded' && state.items.length > 0 && state.items;
    });
    await reveal({ type: 'record', key: node.key, branch: 'members', index: members.length - 1 });
  });

  it('every row names the row it sits under (getParent), from the groups down to fields, records and messages', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, { id: SAMPLE_MEMBERSHIPS[1].id, region: 'us-east-1' }, 'bad-entry']);
    const id = (e: TreeElement | undefined): string | undefined => (e === undefined ? undefined : a.tree.getTreeItem(e).id);
    const seen = new Set<string>();
    const walk = (parent: TreeElement | undefined): void => {
      for (const child of a.tree.getChildren(parent)) {
        seen.add(child.type);
        const named = a.tree.getParent(child);
        assert.strictEqual(named?.type, parent?.type, `parent of a ${child.type} row`);
        assert.strictEqual(id(named), id(parent), `parent of ${child.type} ${id(child) ?? ''}`);
        walk(child);
      }
    };
    walk(undefined); // starts every branch's load
    await waitFor('branches loaded', () =>
      a.store.all.every((n) => !['idle', 'loading'].includes(a.drill.collaboration(n).status) && (['members', 'associations', 'templates', 'queries'] as const).every((b) => a.drill.branch(n, b).status !== 'loading')),
    );
    walk(undefined);
    assert.deepStrictEqual(
      ['group', 'membership', 'invalidEntry', 'branch', 'field', 'record', 'message'].filter((type) => !seen.has(type)),
      [],
      'every kind of row was checked',
    );
  });

  it('flags an entry that reaches the same membership once the default region applies; the view keeps working', async () => {
    await config().update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
    try {
      const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, { id: SAMPLE_MEMBERSHIPS[0].id, region: 'us-east-1' }, SAMPLE_MEMBERSHIPS[1].id]);
      const shown = await items();
      assert.deepStrictEqual(shown.map((s) => s.element.type), ['membership', 'invalidEntry', 'membership']);
      assert.match(String(shown[1].item.description), /Duplicate of entry 1/);
      assert.strictEqual(new Set(shown.map((s) => s.item.id).filter(Boolean)).size, 2, 'no tree item id twice');
      assert.ok(a.store.all.every((n) => n.state.status === 'loaded'));
    } finally {
      await config().update('region', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('copy ID / ARN put the raw values on the clipboard', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const element = a.tree.roots()[0];
    await vscode.commands.executeCommand('cleanRooms.copyId', element);
    assert.strictEqual(await vscode.env.clipboard.readText(), SAMPLE_MEMBERSHIPS[0].id);
    await vscode.commands.executeCommand('cleanRooms.copyArn', element);
    assert.strictEqual(await vscode.env.clipboard.readText(), SAMPLE_MEMBERSHIPS[0].arn);
  });

  it('remove deletes exactly that entry and keeps hand-written ones', async () => {
    const handWritten = { id: SAMPLE_MEMBERSHIPS[1].id, label: 'Keep me', region: 'us-east-1' };
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, handWritten, 'bad-entry']);
    // One entry names a region, so the tree groups by region: address the row directly.
    assert.ok(a.tree.roots().some((e) => e.type === 'group'), 'grouped by profile/region');
    const removed = await vscode.commands.executeCommand('cleanRooms.removeMembership', { type: 'membership', key: a.store.all[0].key });
    assert.strictEqual(removed, true, `remove returned ${String(removed)}; setting is ${JSON.stringify(config().inspect('memberships'))}`);
    await waitFor('entry removed', () => (config().inspect<unknown[]>('memberships')?.workspaceValue ?? []).length === 2);
    assert.deepStrictEqual(config().inspect('memberships')?.workspaceValue, [handWritten, 'bad-entry']);
    const invalid = (await api()).tree.roots().find((e) => e.type === 'invalidEntry');
    await vscode.commands.executeCommand('cleanRooms.removeMembership', invalid);
    await waitFor('invalid entry removed', () => (config().inspect<unknown[]>('memberships')?.workspaceValue ?? []).length === 1);
    assert.deepStrictEqual(config().inspect('memberships')?.workspaceValue, [handWritten]);
  });

  it('reload credentials drops cached clients and fetches again', async () => {
    // A client keeps the credentials it resolved (they expire in an hour): only a new client runs
    // the profile's credential_process again.
    const home = process.env.CLEANROOMS_TEST_AWS_HOME;
    assert.ok(home, 'CLEANROOMS_TEST_AWS_HOME from the harness');
    const a = await setMemberships([{ id: SAMPLE_MEMBERSHIPS[0].id, profile: PROFILES.processOk }]);
    assert.strictEqual(a.store.all[0].state.status, 'loaded');
    const runs = credentialProcessRuns(home);
    assert.ok(runs >= 1, 'the credential process ran for the first client');
    await vscode.commands.executeCommand('cleanRooms.refresh');
    assert.strictEqual(credentialProcessRuns(home), runs, 'a refresh uses the cached client');
    own.endpoint.resetRequests();
    await vscode.commands.executeCommand('cleanRooms.reloadCredentials');
    assert.strictEqual(credentialProcessRuns(home), runs + 1, 'reload dropped the client: a new one resolved credentials');
    assert.ok(own.endpoint.requests.some((r) => r.operation === 'GetMembership' && r.status === 200), 'and fetched again');
  });
});
