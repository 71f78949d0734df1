import * as assert from 'assert';
import * as vscode from 'vscode';
import type { NewEntry } from '../../src/config';
import type { TreeElement } from '../../src/views/treeElements';
import { FAULT_IDS, SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { acceptNotification, acceptSaveDialog, dismissNotifications } from './dialogs';
import { api, config, setMemberships, suiteEndpoint, waitFor } from './helpers';
import type { MembershipPanel } from '../../src/views/membershipPanel';

/** What a person pastes: the sample's ARN, moved to another region. */
function arnIn(region: string, sample = SAMPLE_MEMBERSHIPS[0]): string {
  return sample.arn.replace(/^arn:aws:cleanrooms:[^:]+:/, `arn:aws:cleanrooms:${region}:`);
}

function workspaceMemberships(): unknown[] | undefined {
  return config().inspect<unknown[]>('memberships')?.workspaceValue;
}

describe('commands a new user ran into', () => {
  const own = suiteEndpoint();

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('Add Membership', () => {
    it('keeps an eu-west-1 ARN region; the us-east-1 twin does not make it "already in the list"', async () => {
      const sample = SAMPLE_MEMBERSHIPS[0];
      await setMemberships([sample.id]);
      own.endpoint.resetRequests();
      const added = (await vscode.commands.executeCommand('cleanRooms.addMembership', arnIn('eu-west-1'))) as NewEntry | undefined;
      assert.deepStrictEqual(added, { id: sample.id, region: 'eu-west-1' });
      assert.deepStrictEqual(workspaceMemberships(), [sample.id, { id: sample.id, region: 'eu-west-1' }]);
      assert.ok(
        own.endpoint.requests.some((r) => r.operation === 'GetMembership' && r.membershipId === sample.id && r.region === 'eu-west-1'),
        'checked with GetMembership where it will load',
      );
      // The same membership in the default region is already listed, written as a bare ID.
      assert.strictEqual(await vscode.commands.executeCommand('cleanRooms.addMembership', arnIn('us-east-1')), undefined);
      assert.strictEqual(workspaceMemberships()?.length, 2);
    });

    it('writes an ARN in the default region as a bare ID', async () => {
      const sample = SAMPLE_MEMBERSHIPS[1];
      await setMemberships([]);
      assert.strictEqual(await vscode.commands.executeCommand('cleanRooms.addMembership', arnIn('us-east-1', sample)), sample.id);
      assert.deepStrictEqual(workspaceMemberships(), [sample.id]);
    });

    it('refuses a collaboration ARN: the collaboration ID is not added as a membership', async () => {
      const sample = SAMPLE_MEMBERSHIPS[0];
      await setMemberships([]);
      own.endpoint.resetRequests();
      assert.strictEqual(await vscode.commands.executeCommand('cleanRooms.addMembership', sample.collaborationArn), undefined);
      assert.deepStrictEqual(workspaceMemberships(), []);
      assert.deepStrictEqual(own.endpoint.requests, [], 'nothing to check');
    });

    it('says when GetMembership cannot find the ID; "Add Anyway" adds it, dismissing adds nothing', async () => {
      await setMemberships([]);
      const dismissed = await dismissNotifications(vscode.commands.executeCommand('cleanRooms.addMembership', FAULT_IDS.notFound));
      assert.strictEqual(dismissed, undefined);
      assert.deepStrictEqual(workspaceMemberships(), []);
      const added = await acceptNotification(vscode.commands.executeCommand('cleanRooms.addMembership', FAULT_IDS.notFound));
      assert.strictEqual(added, FAULT_IDS.notFound);
      assert.deepStrictEqual(workspaceMemberships(), [FAULT_IDS.notFound]);
    });
  });

  describe('Open in AWS Console', () => {
    let opened: string[] = [];
    let original: typeof vscode.env.openExternal | undefined;
    before(() => {
      // The browser asks the person before it opens an external site, in a dialog the extension
      // host cannot answer. VS Code leaves `env` writable in test runs for exactly this.
      original = vscode.env.openExternal;
      Object.assign(vscode.env, {
        openExternal: (uri: vscode.Uri): Thenable<boolean> => {
          opened.push(uri.toString(true));
          return Promise.resolve(true);
        },
      });
    });
    after(() => {
      Object.assign(vscode.env, { openExternal: original });
    });

    it("opens the row's own page in the row's region: membership, collaboration, and a record's membership", async () => {
      const sample = SAMPLE_MEMBERSHIPS[0];
      const a = await setMemberships([{ id: sample.id, region: 'eu-west-1' }]);
      const node = a.store.all[0];
      assert.ok(node.state.status === 'loaded' && node.state.connection.region === 'eu-west-1');
      const membership: TreeElement = { type: 'membership', key: node.key };
      const branches = await a.tree.getChildren(membership);
      const collaboration = branches.find((b) => b.type === 'branch' && b.branch === 'collaboration');
      const members = branches.find((b) => b.type === 'branch' && b.branch === 'members');
      assert.ok(collaboration && members);
      a.tree.getChildren(members);
      const record = await waitFor('members loaded', () => a.tree.getChildren(members).find((r) => r.type === 'record'));
      opened = [];
      for (const row of [membership, collaboration, record]) {
        await vscode.commands.executeCommand('cleanRooms.openInConsole', row);
      }
      const base = 'https://eu-west-1.console.aws.amazon.com/cleanrooms/home?region=eu-west-1';
      assert.deepStrictEqual(opened, [`${base}#/memberships/${sample.id}`, `${base}#/collaborations/${sample.collaborationId}`, `${base}#/memberships/${sample.id}`]);
    });
    it("a panel opened from a pasted ARN opens its own membership page in the ARN's region", async () => {
      const sample = SAMPLE_MEMBERSHIPS[1];
      await setMemberships([]);
      const arn = `arn:aws:cleanrooms:eu-west-1:111122223333:membership/${sample.id}`;
      const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', arn)) as MembershipPanel | undefined;
      assert.ok(panel, 'a panel opened');
      await waitFor('the membership loaded', () => panel.lastMessage?.type === 'membership');
      opened = [];
      await vscode.commands.executeCommand('cleanRooms.openInConsole', panel.consoleRequest());
      assert.deepStrictEqual(opened, [`https://eu-west-1.console.aws.amazon.com/cleanrooms/home?region=eu-west-1#/memberships/${sample.id}`]);
      panel.dispose();
    });
  });

  describe('Export Raw JSON', () => {
    it('saves the record to a file named after it in the workspace folder, then offers to open it', async () => {
      const sample = SAMPLE_MEMBERSHIPS[0];
      const a = await setMemberships([sample.id]);
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'a workspace folder');
      const expected = vscode.Uri.joinPath(folder.uri, `membership-${sample.id}.json`);
      await vscode.workspace.fs.delete(expected).then(undefined, () => undefined);
      const saved = (await acceptSaveDialog(vscode.commands.executeCommand('cleanRooms.exportJson', a.tree.roots()[0]))) as vscode.Uri | undefined;
      assert.ok(saved, 'a file was saved');
      assert.strictEqual(saved.path, expected.path);
      // The tree row holds the ListMemberships summary until a panel fetches the full record.
      type Written = { membership?: { id: string; arn: string }; membershipSummary?: { id: string; arn: string } };
      const written = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(saved))) as Written;
      const record = written.membership ?? written.membershipSummary;
      assert.strictEqual(record?.id, sample.id);
      assert.strictEqual(record.arn, sample.arn);
      // "Saved …" with an Open button.
      await acceptNotification(waitFor('the saved file open', () => vscode.window.activeTextEditor?.document.uri.path === expected.path && vscode.window.activeTextEditor));
      await vscode.workspace.fs.delete(expected);
    });
  });

  describe('invalid settings rows', () => {
    it('an invalid entry opens the workspace settings.json with the entry selected', async () => {
      const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id, { id: 'not-a-uuid', label: 'typo' }, 'bad-entry']);
      const invalid = a.tree.roots().filter((e) => e.type === 'invalidEntry');
      assert.strictEqual(invalid.length, 2);
      const editor = (await vscode.commands.executeCommand('cleanRooms.openSettingsEntry', invalid[1])) as vscode.TextEditor | undefined;
      assert.ok(editor, 'an editor opened');
      assert.match(editor.document.uri.path, /\/\.vscode\/settings\.json$/);
      assert.strictEqual(editor.document.getText(editor.selection), '"bad-entry"');
      const first = (await vscode.commands.executeCommand('cleanRooms.openSettingsEntry', invalid[0])) as vscode.TextEditor;
      assert.deepStrictEqual(JSON.parse(first.document.getText(first.selection)), { id: 'not-a-uuid', label: 'typo' });
    });

    it('an entry of the user settings opens the user settings.json; a settings problem selects its value', async () => {
      try {
        await config().update('memberships', undefined, vscode.ConfigurationTarget.Workspace);
        await config().update('memberships', ['user-level-typo'], vscode.ConfigurationTarget.Global);
        await config().update('requestTimeoutSeconds', 'soon', vscode.ConfigurationTarget.Global);
        const a = await api();
        const invalid = await waitFor('invalid user entry shown', () => a.tree.roots().find((e) => e.type === 'invalidEntry'));
        const editor = (await vscode.commands.executeCommand('cleanRooms.openSettingsEntry', invalid)) as vscode.TextEditor | undefined;
        assert.ok(editor, 'an editor opened');
        assert.doesNotMatch(editor.document.uri.path, /\/\.vscode\//, 'the user settings, not the workspace ones');
        assert.strictEqual(editor.document.getText(editor.selection), '"user-level-typo"');
        const problem = await waitFor('problem shown', () => a.tree.roots().find((e) => e.type === 'problem'));
        const problemEditor = (await vscode.commands.executeCommand('cleanRooms.openSettingsEntry', problem)) as vscode.TextEditor;
        assert.strictEqual(problemEditor.document.getText(problemEditor.selection), '"soon"');
      } finally {
        await config().update('memberships', undefined, vscode.ConfigurationTarget.Global);
        await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
        await setMemberships([]);
      }
    });
  });
});
