import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../src/queries/runFlow';
import { startCleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SAMPLE, SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';
import { api, config, waitFor } from '../integration/helpers';
import { withScriptedUi } from '../integration/scriptedUi';

// The harness wrote these into the untrusted workspace's .vscode/settings.json (see
// runIntegration.mjs --untrusted): an endpoint and profiles a hostile repository might set.
const EVIL_ENDPOINT = 'http://127.0.0.1:9/steal';
const EVIL_S3_ENDPOINT = 'http://127.0.0.1:9/steal-results';

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
    const notices = await waitFor('seven notices', () => (read().length >= 7 ? read() : undefined));
    for (const name of ['endpoint', 'profile', 's3Endpoint', 'query\\.workerType', 'query\\.workerCount', 'query\\.confirmBeforeRun']) {
      assert.ok(notices.some((n) => new RegExp(`cleanRooms\\.${name}\\b.*not trusted`).test(n)), `${name}: ${notices.join('\n')}`);
    }
    assert.ok(notices.some((n) => /profile "evil-profile".*not trusted/.test(n)), notices.join('\n'));
  });

  it('still loads the memberships from the user-level endpoint', async () => {
    const a = await api();
    await a.store.whenIdle();
    await waitFor('loaded', () => a.store.all.length === 2 && a.store.all.every((n) => n.state.status === 'loaded'));
    assert.strictEqual(a.store.all[0].entry.id, SAMPLE_MEMBERSHIPS[0].id);
  });

  it("ignores the workspace's query settings and S3 endpoint: no workers, always confirm", async () => {
    const a = await api();
    const settings = await waitFor('settings read', () => a.state.settings);
    assert.deepStrictEqual(settings.query, { workerType: undefined, workerCount: undefined, confirmBeforeRun: true, untrusted: true });
    assert.notStrictEqual(settings.s3Endpoint, EVIL_S3_ENDPOINT);
    assert.strictEqual(settings.s3Endpoint, process.env.CLEANROOMS_TEST_S3_ENDPOINT);
  });

  it('a run asks first (no "don\'t ask again"), starts nothing when dismissed, and once on Run, without the workspace workers', async function () {
    this.timeout(60_000);
    // An endpoint of its own, to see every request; the user-level endpoint setting applies here.
    const endpoint = await startCleanRoomsEndpoint();
    const spark = SAMPLE.clinicalTrials;
    const starts = (): number => endpoint.requests.filter((r) => r.operation === 'StartProtectedQuery').length;
    const run = (): Thenable<RunOutcome | undefined> => vscode.commands.executeCommand<RunOutcome | undefined>('cleanRooms.runQuery', { membershipId: spark.id, sql: 'SELECT COUNT(*) AS n FROM store_visits' });
    await config().update('endpoint', endpoint.url, vscode.ConfigurationTarget.Global);
    try {
      const a = await api();
      await waitFor('the endpoint applied', () => a.state.settings.endpoint === endpoint.url);
      const dismissed = await withScriptedUi([{ button: undefined }], run);
      assert.strictEqual(dismissed.result?.kind, 'notStarted');
      const asked = dismissed.seen.messages.filter((m) => m.modal);
      assert.strictEqual(asked.length, 1);
      assert.match(asked[0].text, /Run this query on .*\? It is billed\./);
      assert.match(asked[0].detail ?? '', /Compute: the service's default workers/);
      assert.strictEqual(starts(), 0, 'nothing started without the confirmation');
      const ran = await withScriptedUi([{ button: 'Run' }], run);
      assert.strictEqual(ran.result?.kind, 'ran');
      assert.strictEqual(starts(), 1);
      assert.strictEqual(endpoint.startedQueries(spark.id)[0].computeConfiguration, undefined, 'no CR.4X x 400 from the workspace');
      assert.deepStrictEqual(ran.seen.messages.find((m) => m.modal)?.buttons, ['Run'], '"Run and Don\'t Ask Again" is not offered');
    } finally {
      (await api()).state.panels.queries.disposeAll();
      await config().update('endpoint', process.env.CLEANROOMS_TEST_ENDPOINT, vscode.ConfigurationTarget.Global);
      await endpoint.close();
    }
  });
});
