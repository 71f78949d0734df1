import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MembershipPanel } from '../../src/views/membershipPanel';
import { FAULT_IDS, HOSTILE_IDS, HOSTILE_STRINGS } from '../fakes/fixtures';
import { setMemberships, suiteEndpoint, waitFor } from './helpers';

// eslint-disable-next-line no-control-regex -- control characters are what the labels must not hold
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('hostile strings from another account', () => {
  suiteEndpoint();
  const loadHostile = (): ReturnType<typeof setMemberships> => setMemberships([FAULT_IDS.hostile, ...HOSTILE_IDS]);

  it(`all ${HOSTILE_STRINGS.length} strings give tree items with inert labels and untrusted tooltips`, async () => {
    const a = await loadHostile();
    assert.ok(a.store.all.every((n) => n.state.status === 'loaded'), JSON.stringify(a.store.all.map((n) => n.state.status === 'error' ? n.state.failure : n.state.status)));
    const roots = a.tree.roots();
    assert.strictEqual(roots.length, HOSTILE_IDS.length + 1);
    for (const element of roots) {
      const item = a.tree.getTreeItem(element);
      const label = String(item.label);
      assert.ok(label.length <= 100, 'label is shortened');
      assert.doesNotMatch(label, INVISIBLE, 'no invisible or bidi characters in the label');
      assert.doesNotMatch(String(item.description ?? ''), INVISIBLE);
      const tooltip = item.tooltip as vscode.MarkdownString;
      assert.strictEqual(tooltip.isTrusted, false);
      assert.strictEqual(tooltip.supportHtml, false);
      assert.doesNotMatch(tooltip.value, /\]\(command:/, 'a command link survives as markdown');
    }
  });

  it('panels render them as data (the HTML never holds API strings)', async () => {
    const a = await loadHostile();
    assert.strictEqual(a.store.all.length, HOSTILE_IDS.length + 1);
    for (const [index, node] of a.store.all.entries()) {
      const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: node.key })) as MembershipPanel;
      await waitFor('panel data', () => panel.lastMessage?.type === 'membership');
      assert.doesNotMatch(panel.htmlForTest, /pwned|onerror|javascript:/, `panel ${index}`);
      assert.ok(!/[\u202a-\u202e]/.test(panel.panel.title), 'panel title has no bidi controls');
      panel.panel.dispose();
    }
  });
});
