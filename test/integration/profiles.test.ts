import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MembershipPanel } from '../../src/views/membershipPanel';
import { SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { api, config, ONE_PANEL_PER_RECORD, setMemberships, suiteEndpoint, waitFor } from './helpers';

describe('profiles, regions and discovery', () => {
  const own = suiteEndpoint();

  it('the status bar names the profile and region; switching refreshes with no stale data', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    await waitFor('status text', () => a.status.text === '$(cloud) cleanrooms-test @ us-east-1');
    const before = a.store.all[0];
    assert.ok(before.state.status === 'loaded' && before.state.connection.region === 'us-east-1');
    await config().update('profile', 'cleanrooms-eu', vscode.ConfigurationTarget.Global);
    // At once: nothing from the old profile is left.
    await waitFor('old data dropped', () => a.store.all[0].key !== before.key);
    const node = a.store.all[0];
    assert.ok(node.state.status === 'pending' || (node.state.status === 'loaded' && node.state.connection.profile === 'cleanrooms-eu'));
    await a.store.whenIdle();
    const after = a.store.all[0];
    assert.ok(after.state.status === 'loaded' && after.state.connection.region === 'eu-west-1' && after.state.connection.profile === 'cleanrooms-eu');
    assert.ok(own.endpoint.requests.some((r) => r.region === 'eu-west-1'), 'signed for eu-west-1');
    await waitFor('status follows', () => a.status.text === '$(cloud) cleanrooms-eu @ eu-west-1');
    await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
  });

  it('groups memberships by profile and region when they span several', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, { id: SAMPLE_MEMBERSHIPS[1].id, profile: 'cleanrooms-eu' }]);
    const roots = a.tree.roots();
    assert.deepStrictEqual(
      roots.map((r) => a.tree.getTreeItem(r).label),
      ['cleanrooms-test @ us-east-1 (from profile)', 'cleanrooms-eu @ eu-west-1 (from profile)'],
    );
    const second = await a.tree.getChildren(roots[1]);
    assert.strictEqual(a.tree.getTreeItem(second[0]).label, SAMPLE_MEMBERSHIPS[1].collaborationName);
  });

  it('lists profiles from the shared files, SSO included, sso-session sections excluded', async () => {
    const names = await (await api()).service.profiles.profileNames();
    assert.ok(names.includes('expired-sso'));
    assert.ok(names.includes('cleanrooms-test'));
    assert.ok(!names.some((n) => n.startsWith('sso-session')));
  });

  it('notices edits to ~/.aws/config without a reload', async () => {
    const a = await api();
    const configFile = process.env.AWS_CONFIG_FILE;
    assert.ok(configFile && fs.existsSync(configFile), 'AWS_CONFIG_FILE from the harness');
    const original = fs.readFileSync(configFile, 'utf8');
    try {
      fs.appendFileSync(configFile, '\n[profile added-later]\nregion = ap-southeast-2\n');
      await waitFor('new profile seen', async () => (await a.service.profiles.profileNames()).includes('added-later'), 10_000);
    } finally {
      fs.writeFileSync(configFile, original);
    }
    assert.ok(path.isAbsolute(configFile));
  });

  it('discovers memberships with ListMemberships and adds them without duplicates or losing hand-written entries', async () => {
    const handWritten = { id: SAMPLE_MEMBERSHIPS[0].id, label: 'Hand written' };
    await setMemberships([handWritten]);
    own.endpoint.resetRequests();
    const added = (await vscode.commands.executeCommand('cleanRooms.discoverMemberships', { status: 'ALL', pickAll: true })) as unknown[];
    const listed = own.endpoint.requests.filter((r) => r.operation === 'ListMemberships');
    assert.ok(listed.length >= 1);
    assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'GetMembership').length, 0);
    assert.strictEqual(added.length, SAMPLE_MEMBERSHIPS.length - 1);
    const value = config().inspect<unknown[]>('memberships')?.workspaceValue ?? [];
    assert.deepStrictEqual(value[0], handWritten);
    assert.strictEqual(value.length, SAMPLE_MEMBERSHIPS.length);
    const again = (await vscode.commands.executeCommand('cleanRooms.discoverMemberships', { status: 'ALL', pickAll: true })) as unknown[];
    assert.deepStrictEqual(again, []);
  });

  it('discovery ignores an argument outside the documented shape and asks instead', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    own.endpoint.resetRequests();
    let done = false;
    const running = Promise.resolve(vscode.commands.executeCommand('cleanRooms.discoverMemberships', { status: 'BOGUS', pickAll: true })).finally(() => {
      done = true;
    });
    // The status question is shown: dismissing it ends the command.
    await waitFor('question dismissed', async () => {
      if (!done) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      }
      return done;
    });
    assert.deepStrictEqual(await running, []);
    assert.ok(!own.endpoint.requests.some((r) => r.operation === 'ListMemberships' && r.query.status === 'BOGUS'), 'the undocumented status was not sent');
    assert.deepStrictEqual(config().inspect('memberships')?.workspaceValue, [SAMPLE_MEMBERSHIPS[0].id], 'nothing added');
  });

  it('adding to a workspace that had no list of its own keeps the memberships from user settings', async () => {
    const userLevel = { id: SAMPLE_MEMBERSHIPS[1].id, label: 'From user settings' };
    await config().update('memberships', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('memberships', [userLevel], vscode.ConfigurationTarget.Global);
    try {
      const added = (await vscode.commands.executeCommand('cleanRooms.discoverMemberships', { status: 'ALL', pickAll: true })) as unknown[];
      assert.strictEqual(added.length, SAMPLE_MEMBERSHIPS.length - 1);
      const value = config().inspect<unknown[]>('memberships')?.workspaceValue ?? [];
      assert.deepStrictEqual(value[0], userLevel, 'the user-level entry is still in the list the tree shows');
      assert.strictEqual(value.length, SAMPLE_MEMBERSHIPS.length);
    } finally {
      await config().update('memberships', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('open panels follow a profile switch', () => {
  const own = suiteEndpoint(ONE_PANEL_PER_RECORD);

  it('re-fetches with the new profile and shows nothing from the old one meanwhile', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: a.store.all[0].key })) as MembershipPanel;
    await waitFor('first load', () => panel.lastMessage?.type === 'membership' && /cleanrooms-test/.test(panel.lastMessage.where));
    own.endpoint.setLatency(300);
    await config().update('profile', 'cleanrooms-eu', vscode.ConfigurationTarget.Global);
    await waitFor('old data dropped', () => panel.lastMessage?.type === 'loading');
    await waitFor('new profile shown', () => panel.lastMessage?.type === 'membership' && panel.lastMessage.where === 'cleanrooms-eu @ eu-west-1');
    own.endpoint.setLatency(0);
    await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
  });

  it('after a switch a panel takes its membership\'s new key: reopening reveals it and its fetches update the tree row', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const oldKey = a.store.all[0].key;
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: oldKey })) as MembershipPanel;
    await waitFor('first load', () => panel.lastMessage?.type === 'membership');
    try {
      await config().update('profile', 'cleanrooms-eu', vscode.ConfigurationTarget.Global);
      await waitFor('new profile shown', () => panel.lastMessage?.type === 'membership' && panel.lastMessage.where === 'cleanrooms-eu @ eu-west-1');
      await a.store.whenIdle();
      const node = a.store.all[0];
      assert.notStrictEqual(node.key, oldKey);
      const again = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: node.key })) as MembershipPanel;
      assert.strictEqual(again, panel, 'reopening reveals the open panel');
      assert.strictEqual(a.panels.count, 1);
      await panel.refresh();
      const row = a.store.all[0];
      assert.ok(row.state.status === 'loaded' && row.state.membership?.id === SAMPLE_MEMBERSHIPS[0].id, 'the panel\'s record reached the tree row');
    } finally {
      await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
    }
  });

  it('Switch AWS Profile and Region applies both at once: nothing is requested under the new profile with the old region', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: a.store.all[0].key })) as MembershipPanel;
    await waitFor('first load', () => panel.lastMessage?.type === 'membership' && panel.lastMessage.where === 'cleanrooms-test @ us-east-1');
    // The command's own two questions, answered: profile cleanrooms-eu (its region is eu-west-1), region us-west-2.
    const win = vscode.window as { showQuickPick: unknown };
    const originalShow = win.showQuickPick;
    const answers = ['cleanrooms-eu', 'us-west-2'];
    win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
      const wanted = answers.shift();
      return (await items).find((i) => i.label === wanted);
    };
    own.endpoint.resetRequests();
    try {
      assert.strictEqual(await vscode.commands.executeCommand('cleanRooms.selectProfile'), true);
      assert.deepStrictEqual(answers, [], 'both questions asked');
      await waitFor('panel under the new pair', () => panel.lastMessage?.type === 'membership' && panel.lastMessage.where === 'cleanrooms-eu @ us-west-2');
      await a.store.whenIdle();
      const row = a.store.all[0];
      assert.ok(row.state.status === 'loaded' && row.state.connection.region === 'us-west-2', 'the row loaded under the new pair');
      const calls = own.endpoint.requests.filter((r) => r.operation === 'ListMemberships' || r.operation === 'GetMembership');
      assert.deepStrictEqual(
        calls.filter((r) => r.region !== 'us-west-2').map((r) => `${r.operation} ${r.region ?? 'unsigned'}`),
        [],
        'nothing under the in-between pair (cleanrooms-eu @ eu-west-1) or the old one',
      );
      // One load: the row's GetMembership and the panel's restart.
      assert.strictEqual(calls.length, 2, calls.map((r) => `${r.operation} ${r.region ?? ''}`).join(', '));
    } finally {
      win.showQuickPick = originalShow;
      await config().update('region', undefined, vscode.ConfigurationTarget.Global);
      await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
    }
  });

  it("editing one entry's own region moves its open panel like its row: the new region's record, the row's key, reopening reveals it", async () => {
    const id = SAMPLE_MEMBERSHIPS[0].id;
    const a = await setMemberships([id]);
    const oldKey = a.store.all[0].key;
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: oldKey })) as MembershipPanel;
    await waitFor('first load', () => panel.lastMessage?.type === 'membership' && panel.lastMessage.where === 'cleanrooms-test @ us-east-1');
    await setMemberships([{ id, region: 'eu-west-1' }]);
    const node = a.store.all[0];
    assert.notStrictEqual(node.key, oldKey);
    await waitFor(
      'the eu-west-1 record in the panel',
      () => panel.lastMessage?.type === 'membership' && panel.lastMessage.where === 'cleanrooms-test @ eu-west-1' && JSON.stringify(panel.lastMessage.view).includes('arn:aws:cleanrooms:eu-west-1:'),
    );
    assert.strictEqual(panel.key, node.key, "the panel's key is the row's");
    assert.deepStrictEqual(panel.lastMessage?.entry, { id, label: undefined, profile: undefined, region: 'eu-west-1' }, 'saved for a reload with the new region');
    const again = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: node.key })) as MembershipPanel;
    assert.strictEqual(again, panel, 'reopening reveals the open panel');
    assert.strictEqual(a.panels.count, 1);
  });

  it('a panel opened by ID for a membership not in the list keeps its region when the list changes', async () => {
    const id = SAMPLE_MEMBERSHIPS[1].id;
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', id)) as MembershipPanel;
    await waitFor('first load', () => panel.lastMessage?.type === 'membership');
    const key = panel.key;
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id, { id, region: 'eu-west-1' }]);
    assert.strictEqual(panel.key, key);
    assert.strictEqual(panel.entry.region, undefined);
    assert.strictEqual(a.panels.get(key), panel);
  });

  it('Reload AWS Credentials closes detail panels and restarts membership panels, as a profile-file change does', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const key = a.store.all[0].key;
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key })) as MembershipPanel;
    await waitFor('first load', () => panel.lastMessage?.type === 'membership');
    const collaborationBranch = (await a.tree.getChildren({ type: 'membership', key }))[0];
    assert.ok(await vscode.commands.executeCommand('cleanRooms.openDetail', collaborationBranch), 'a detail panel opened');
    assert.strictEqual(a.details.count, 1);
    try {
      own.endpoint.setLatency(300);
      const reloading = vscode.commands.executeCommand('cleanRooms.reloadCredentials');
      await waitFor('what the old credentials fetched is dropped', () => panel.lastMessage?.type === 'loading');
      assert.strictEqual(a.details.count, 0, 'detail panels closed');
      await reloading;
      assert.strictEqual(panel.lastMessage?.type, 'membership', 'fetched again');
      assert.strictEqual(a.panels.get(key), panel);
    } finally {
      own.endpoint.setLatency(0);
    }
  });
});
