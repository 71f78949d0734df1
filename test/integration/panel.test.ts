import * as fs from 'fs';
import * as path from 'path';
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MembershipPanel } from '../../src/views/membershipPanel';
import { FAULT_IDS, SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { api, EXTENSION_ID, ONE_PANEL_PER_RECORD, setMemberships, suiteEndpoint, waitFor } from './helpers';

describe('membership panel in a real extension host', () => {
  const own = suiteEndpoint(ONE_PANEL_PER_RECORD);

  async function openFromTree(index: number): Promise<MembershipPanel> {
    const a = await api();
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', a.tree.roots()[index])) as MembershipPanel;
    assert.ok(panel, 'a panel opened');
    return panel;
  }

  it('renders every field of a membership and titles the panel after the collaboration', async function () {
    // The first webview of a fresh window also installs the webview service worker: slow on a cold, busy machine.
    this.timeout(90_000);
    const sample = SAMPLE_MEMBERSHIPS[1];
    await setMemberships([sample.id]);
    const panel = await openFromTree(0);
    const message = await waitFor('membership posted', () => (panel.lastMessage?.type === 'membership' ? panel.lastMessage : undefined));
    assert.strictEqual(message.view.id, sample.id);
    assert.deepStrictEqual(
      message.view.sections.map((s) => s.title),
      ['Membership', 'Collaboration', 'Abilities', 'Logging', 'Default result configuration', 'Default job result configuration', 'Payment'],
    );
    assert.strictEqual(panel.panel.title, sample.collaborationName.slice(0, 40));
    assert.strictEqual(panel.panel.viewType, 'cleanRooms.membership');
    // The webview itself (in the real workbench) drew the data and said so.
    await waitFor('webview rendered the membership', () => panel.lastRendered?.state === 'membership', 75_000);
  });

  it('opening again reveals the same panel', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const first = await openFromTree(0);
    const second = await openFromTree(0);
    assert.strictEqual(first, second);
    assert.strictEqual((await api()).panels.count, 1);
  });

  it('ships a strict CSP with a script nonce and no API data in the HTML', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = await openFromTree(0);
    const html = panel.htmlForTest;
    const csp = /content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.ok(!html.includes(SAMPLE_MEMBERSHIPS[0].collaborationName));
    assert.strictEqual(panel.panel.webview.options.enableCommandUris, false);
    assert.deepStrictEqual(panel.panel.webview.options.localResourceRoots?.map((u) => u.path.split('/').pop()), ['media']);
  });

  it('gives the webview script its words translated, one for every string it shows', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = await openFromTree(0);
    const block = /<script type="application\/json" id="l10n">([^<]*)<\/script>/.exec(panel.htmlForTest)?.[1];
    assert.ok(block, 'the strings block is in the page and holds no "<"');
    const strings = JSON.parse(block) as Record<string, string>;
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const script = fs.readFileSync(path.join(extension.extensionPath, 'media', 'panel.js'), 'utf8');
    // Either quote style; an escaped quote inside is the quote itself.
    const used = [...script.matchAll(/\bt\((['"])((?:(?!\1)[^\\]|\\.)+)\1/g)].map((m) => m[2].replace(/\\(['"\\])/g, '$1'));
    assert.ok(used.length >= 20, `found ${used.length} strings in panel.js`);
    for (const key of used) {
      assert.strictEqual(typeof strings[key], 'string', `panelStrings() lacks "${key}"`);
    }
  });

  it('shows the service error for a failing membership, with the request ID', async () => {
    await setMemberships([FAULT_IDS.accessDenied]);
    const panel = await openFromTree(0);
    const message = await waitFor('error posted', () => (panel.lastMessage?.type === 'error' ? panel.lastMessage : undefined));
    assert.strictEqual(message.failure.title, 'Access denied');
    assert.ok(message.failure.requestId);
  });

  it('a 200 without a membership is an error, not an empty page', async () => {
    await setMemberships([FAULT_IDS.emptyBody]);
    const panel = await openFromTree(0);
    const message = await waitFor('error posted', () => (panel.lastMessage?.type === 'error' ? panel.lastMessage : undefined));
    assert.strictEqual(message.failure.title, 'AWS returned no membership');
  });

  it('opens by ID from the palette command argument, outside the configured list', async () => {
    await setMemberships([]);
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', SAMPLE_MEMBERSHIPS[4].id)) as MembershipPanel;
    const message = await waitFor('membership posted', () => (panel.lastMessage?.type === 'membership' ? panel.lastMessage : undefined));
    assert.strictEqual(message.view.id, SAMPLE_MEMBERSHIPS[4].id);
  });

  it('opens the raw JSON in a read-only editor', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = await openFromTree(0);
    await waitFor('membership posted', () => panel.lastMessage?.type === 'membership');
    await panel.openJson();
    const editor = await waitFor('json editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'cleanrooms-json'));
    const json = JSON.parse(editor.document.getText()) as { membership: { id: string; createTime: string } };
    assert.strictEqual(json.membership.id, SAMPLE_MEMBERSHIPS[0].id);
    assert.strictEqual(json.membership.createTime, new Date(SAMPLE_MEMBERSHIPS[0].createTime * 1000).toISOString());
    assert.strictEqual(editor.document.languageId, 'json');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refresh fetches again; a failed refresh keeps the data and says it is stale', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = await openFromTree(0);
    await waitFor('membership posted', () => panel.lastMessage?.type === 'membership');
    own.endpoint.resetRequests();
    await panel.refresh();
    // The privacy budgets are listed beside it (src/views/privacyBudgetView.ts), without holding it up.
    assert.deepStrictEqual(own.endpoint.requests.map((r) => r.operation).filter((op) => op !== 'ListPrivacyBudgets'), ['GetMembership']);
    await own.endpoint.close();
    await panel.refresh();
    const message = panel.lastMessage;
    assert.ok(message?.type === 'membership' && message.stale, 'stale data kept with a warning');
    await own.reopen();
  });

  it('a failed refresh shows when the data on screen was fetched, not when the refresh failed', async () => {
    await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = await openFromTree(0);
    const first = await waitFor('membership posted', () => (panel.lastMessage?.type === 'membership' ? panel.lastMessage : undefined));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await own.endpoint.close();
    try {
      await panel.refresh();
      const message = panel.lastMessage;
      assert.ok(message?.type === 'membership' && message.stale, 'stale data kept with a warning');
      assert.strictEqual(message.fetchedAt, first.fetchedAt);
    } finally {
      await own.reopen();
    }
  });

  it('a refresh that ends after a restart began does not let the next refresh send a second request', async () => {
    const a = await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
    const panel = await openFromTree(0);
    await waitFor('membership posted', () => panel.lastMessage?.type === 'membership');
    const gets = (): number => own.endpoint.requests.filter((r) => r.operation === 'GetMembership').length;
    own.endpoint.resetRequests();
    try {
      // The refresh answers first, while the restart's request (a reload or a switch) is still out.
      own.endpoint.setLatency(300);
      const refreshing = panel.refresh();
      await waitFor('refresh sent', () => gets() === 1);
      own.endpoint.setLatency(1500);
      const restarting = a.state.panels.restartMemberships();
      await waitFor('restart sent', () => gets() === 2);
      await refreshing;
      await Promise.all([panel.refresh(), restarting]);
      assert.strictEqual(gets(), 2, 'the refresh joined the restart in flight');
    } finally {
      own.endpoint.setLatency(0);
    }
  });
});
