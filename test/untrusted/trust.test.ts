import * as assert from 'assert';
import * as vscode from 'vscode';
import { SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { api, waitFor } from '../integration/helpers';

// The harness wrote these into the untrusted workspace's .vscode/settings.json (see
// runIntegration.mjs --untrusted): an endpoint and profiles a hostile repository might set.
const EVIL_ENDPOINT = 'http://127.0.0.1:9/steal';

describe('untrusted workspace', () => {
  it('is really untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  it('ignores the workspace endpoint and profile and uses the user settings', async () => {
    const a = await api();
    const settings = await waitFor('settings read', () => a.store.currentSettings);
    assert.strictEqual(settings.endpoint, process.env.CLEANROOMS_TEST_ENDPOINT);
    assert.notStrictEqual(settings.endpoint, EVIL_ENDPOINT);
    assert.strictEqual(settings.profile, 'cleanrooms-test');
    const entry = settings.entries[0];
    assert.ok(entry.kind === 'membership' && entry.profile === undefined, 'per-entry profile dropped');
  });

  it('says why in the tree', async () => {
    const a = await api();
    const read = (): string[] => a.tree.roots().filter((e) => e.type === 'notice').map((e) => String(a.tree.getTreeItem(e).label));
    // The workspace files are read after activation.
    const notices = await waitFor('three notices', () => (read().length >= 3 ? read() : undefined));
    assert.ok(notices.some((n) => /cleanRooms\.endpoint.*not trusted/.test(n)), notices.join('\n'));
    assert.ok(notices.some((n) => /cleanRooms\.profile.*not trusted/.test(n)), notices.join('\n'));
    assert.ok(notices.some((n) => /profile "evil-profile".*not trusted/.test(n)), notices.join('\n'));
  });

  it('still loads the memberships from the user-level endpoint', async () => {
    const a = await api();
    await a.store.whenIdle();
    await waitFor('loaded', () => a.store.all.length === 2 && a.store.all.every((n) => n.state.status === 'loaded'));
    assert.strictEqual(a.store.all[0].entry.id, SAMPLE_MEMBERSHIPS[0].id);
  });
});
