import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MembershipPanel } from '../../src/views/membershipPanel';
import { FAULT_IDS, SAMPLE_MEMBERSHIPS, TEST_CREDENTIALS, TEST_SESSION_CREDENTIALS } from '../fakes/fixtures';
import { EXPLAINED_FAULTS } from '../fakes/faults';
import { PROFILES } from '../fakes/awsHome';
import { closedPort } from '../fakes/ports';
import { api, config, ONE_PANEL_PER_RECORD, setMemberships, suiteEndpoint, waitFor } from './helpers';

const SECRETS = [TEST_CREDENTIALS.secretAccessKey, TEST_SESSION_CREDENTIALS.secretAccessKey, TEST_SESSION_CREDENTIALS.sessionToken];

/** What the user is shown or what is logged holds no credential and no request signature. */
function assertNoSecret(where: string, text: string): void {
  assert.deepStrictEqual(SECRETS.filter((s) => text.includes(s)), [], `secrets found in ${where}`);
  assert.doesNotMatch(text, /Signature=[0-9a-f]{64}/, where);
}

describe('fault matrix in the real extension host', () => {
  const own = suiteEndpoint(ONE_PANEL_PER_RECORD);

  async function openAndWait(index: number): Promise<MembershipPanel> {
    const a = await api();
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', { type: 'membership', key: a.store.all[index].key })) as MembershipPanel;
    await waitFor('panel settled', () => panel.lastMessage && panel.lastMessage.type !== 'loading', 15_000);
    assertNoSecret('the panel', JSON.stringify(panel.lastMessage));
    return panel;
  }

  it('each service fault shows a clear message in the tree and the panel; a good membership beside it still loads', async () => {
    for (const [fault, { title, nextStep: next }] of EXPLAINED_FAULTS) {
      const written = [SAMPLE_MEMBERSHIPS[0].id, FAULT_IDS[fault]];
      const a = await setMemberships(written);
      const [good, bad] = a.store.all;
      assert.strictEqual(good.state.status, 'loaded', `${fault}: the other membership loads`);
      assert.ok(bad.state.status === 'error', `${fault}: error state`);
      if (bad.state.status === 'error') {
        assert.match(bad.state.failure.title, title, fault);
        assert.match(bad.state.failure.nextStep, next, fault);
      }
      const item = a.tree.getTreeItem({ type: 'membership', key: bad.key });
      assert.match(String(item.description), title, `${fault}: the tree row says what failed`);
      assertNoSecret(`${fault}: the tree item`, `${JSON.stringify(item.tooltip)}\n${String(item.description)}`);
      const panel = await openAndWait(1);
      const message = panel.lastMessage;
      assert.ok(message?.type === 'error', `${fault}: panel shows the error`);
      if (message?.type === 'error') {
        assert.match(message.failure.title, title);
      }
      assert.deepStrictEqual(config().inspect('memberships')?.workspaceValue, written, 'settings untouched');
      a.panels.disposeAll();
    }
  });

  it('a short throttling burst is retried through; unknown union members and fields still render', async () => {
    const a = await setMemberships([FAULT_IDS.throttledOnce, FAULT_IDS.unknownUnion, FAULT_IDS.unknownFields]);
    assert.ok(a.store.all.every((n) => n.state.status === 'loaded'), JSON.stringify(a.store.all.map((n) => n.state.status)));
    const panel = await openAndWait(1);
    const message = panel.lastMessage;
    assert.ok(message?.type === 'membership');
    const output = message.view.sections.find((s) => s.title === 'Default result configuration')?.rows.find((r) => r.label === 'Output');
    assert.strictEqual(output?.value.kind, 'unknown');
  });

  it('a membership whose fields have the wrong JSON types renders in the tree and the panel', async () => {
    const a = await setMemberships([FAULT_IDS.wrongTypes, SAMPLE_MEMBERSHIPS[0].id]);
    const [odd] = a.store.all;
    assert.strictEqual(odd.state.status, 'loaded');
    const item = a.tree.getTreeItem({ type: 'membership', key: odd.key });
    assert.strictEqual(item.label, FAULT_IDS.wrongTypes, 'a name that is not text falls back to the ID');
    const panel = await openAndWait(0);
    const message = panel.lastMessage;
    assert.ok(message?.type === 'membership', JSON.stringify(message));
    assert.strictEqual(panel.panel.title, FAULT_IDS.wrongTypes.slice(0, 36));
    const status = message.view.sections[0].rows.find((r) => r.label === 'Status');
    assert.deepStrictEqual(status?.value, { kind: 'badge', text: '42', tone: 'neutral' });
  });

  it('a response slower than the timeout fails with a timeout message, and the extension stays responsive', async () => {
    await config().update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      const a = await setMemberships([FAULT_IDS.slow, SAMPLE_MEMBERSHIPS[0].id]);
      const started = Date.now();
      const panel = await openAndWait(0);
      assert.ok(Date.now() - started < 4000, 'gave up at the timeout');
      assert.ok(panel.lastMessage?.type === 'error' && /Timed out after 1 s/.test(panel.lastMessage.failure.title));
      assert.strictEqual(a.store.all[1].state.status, 'loaded');
    } finally {
      await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('credential and configuration faults name the next step', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ profile: 'expired-sso' }, 'ssoExpired', /aws sso login --profile expired-sso/],
      [{ profile: 'process-fails' }, 'credentialProcess', /credential_process/],
      [{ profile: 'no-such-profile' }, 'missingProfile', /~\/\.aws\/config/],
      [{ profile: 'no-region' }, 'noRegion', /region/],
      [{ profile: 'wrong-secret' }, 'invalidCredentials', /Reload AWS Credentials/],
    ];
    for (const [entryExtra, kind, next] of cases) {
      const written = [{ id: SAMPLE_MEMBERSHIPS[0].id, ...entryExtra }, SAMPLE_MEMBERSHIPS[1].id];
      const a = await setMemberships(written);
      const [bad, good] = a.store.all;
      assert.ok(bad.state.status === 'error' && bad.state.failure.kind === kind, `${kind}: got ${JSON.stringify(bad.state)}`);
      assert.match(bad.state.status === 'error' ? bad.state.failure.nextStep : '', next);
      assert.strictEqual(good.state.status, 'loaded', `${kind}: the other profile still loads`);
      assertNoSecret(`${kind}: the error state`, JSON.stringify(bad.state));
    }
  });

  it('connection refused and an unsupported region explain themselves', async () => {
    const port = await closedPort();
    const a = await api();
    // The store must have the endpoint change before the memberships load, or it loads with the old
    // one. '' means "no endpoint" (undefined would let the harness's User-file value show through).
    const useEndpoint = async (url: string): Promise<void> => {
      await config().update('endpoint', url, vscode.ConfigurationTarget.Global);
      await waitFor(`endpoint "${url}" applied`, () => a.store.currentSettings?.endpoint === (url || undefined));
    };
    try {
      await useEndpoint(`http://127.0.0.1:${port}`);
      await setMemberships([SAMPLE_MEMBERSHIPS[0].id]);
      assert.ok(a.store.all[0].state.status === 'error' && a.store.all[0].state.failure.kind === 'network', JSON.stringify(a.store.all[0].state));
      await useEndpoint('');
      await setMemberships([{ id: SAMPLE_MEMBERSHIPS[0].id, region: 'af-south-1' }]);
      const state = a.store.all[0].state;
      assert.ok(state.status === 'error' && state.failure.kind === 'unsupportedRegion', JSON.stringify(state));
      assert.match(state.status === 'error' ? state.failure.nextStep : '', /us-east-1/);
    } finally {
      await useEndpoint(own.endpoint.url);
    }
  });

  it('the log names each call and holds no secret, also for session and rejected credentials', async () => {
    const a = await setMemberships([
      FAULT_IDS.notFound,
      { id: SAMPLE_MEMBERSHIPS[0].id, profile: PROFILES.session },
      { id: SAMPLE_MEMBERSHIPS[1].id, profile: PROFILES.wrongSecret },
    ]);
    for (const node of a.store.all) {
      const item = a.tree.getTreeItem({ type: 'membership', key: node.key });
      assertNoSecret('a tree item', `${JSON.stringify(item.tooltip)}\n${String(item.description)}\n${JSON.stringify(node.state)}`);
    }
    const dir = path.dirname(a.logUri.fsPath);
    const readLog = (): string => findFiles(dir, (f) => /Clean Rooms/.test(path.basename(f))).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    // The output channel writes its file asynchronously.
    const logged = await waitFor(`the Clean Rooms log under ${dir} names the call`, () => {
      const text = readLog();
      return new RegExp(`GetMembership ${FAULT_IDS.notFound} \\(cleanrooms-test @ us-east-1\\)`).test(text) && text;
    });
    assertNoSecret('the log', logged);
  });
});

function findFiles(dir: string, match: (f: string) => boolean, depth = 4): string[] {
  if (depth < 0 || !fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? findFiles(full, match, depth - 1) : match(full) ? [full] : [];
  });
}
