// The demo's setup (`npm run demo`): every sample listed in the workspace, and an endpoint that also
// holds memberships no setting lists, in the default region and in another one.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DISCOVERABLE_MEMBERSHIPS, DISCOVER_OTHER_REGION, FAULT_IDS, SAMPLE_IDS, SEED_REGION, seedDiscoverable } from '../fakes/fixtures';
import type { RunOutcome } from '../../src/queries/runFlow';
import { SAMPLE_QUERY_FILES } from '../fakes/sampleQueries';
import { config, setMemberships, suiteEndpoint, updateUserSettings, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

describe('demo: Discover has something to find', () => {
  const own = suiteEndpoint();
  before(() => seedDiscoverable(own.endpoint));

  it('offers the memberships not yet listed: the default region first, another one through cleanRooms.discoverRegions', async () => {
    const demoSettings = [...SAMPLE_IDS, FAULT_IDS.notFound];
    const a = await setMemberships(demoSettings);
    const here = DISCOVERABLE_MEMBERSHIPS[SEED_REGION];
    const there = DISCOVERABLE_MEMBERSHIPS[DISCOVER_OTHER_REGION];
    try {
      const added = (await vscode.commands.executeCommand('cleanRooms.discoverMemberships', { status: 'ACTIVE', pickAll: true })) as unknown[];
      // Entries in the default region are written as plain IDs; nothing from the other region yet.
      assert.deepStrictEqual(added, here.filter((m) => m.status === 'ACTIVE').map((m) => m.id));

      await config().update('discoverRegions', [SEED_REGION, DISCOVER_OTHER_REGION], vscode.ConfigurationTarget.Workspace);
      await waitFor('discoverRegions applied', () => a.state.settings.discoverRegions.length === 2);
      own.endpoint.resetRequests();
      const more = (await vscode.commands.executeCommand('cleanRooms.discoverMemberships', { status: 'ALL', pickAll: true })) as unknown[];
      assert.deepStrictEqual(new Set(own.endpoint.requests.filter((r) => r.operation === 'ListMemberships').map((r) => r.region)), new Set([SEED_REGION, DISCOVER_OTHER_REGION]));
      assert.deepStrictEqual(more, there.map((m) => ({ id: m.id, region: DISCOVER_OTHER_REGION })));

      // They load from their own region, and their ARNs name it.
      await waitFor('the added memberships appear', () => a.store.all.length === demoSettings.length + added.length + more.length);
      await a.store.whenIdle();
      for (const m of there) {
        const node = a.store.all.find((n) => n.entry.id === m.id);
        const state = node?.state;
        assert.ok(state?.status === 'loaded' && state.connection.region === DISCOVER_OTHER_REGION, JSON.stringify(state));
        const arn = state.membership?.arn ?? state.summary?.arn;
        assert.strictEqual(arn, m.arn);
        assert.match(arn ?? '', /^arn:aws:cleanrooms:eu-west-1:/);
      }
    } finally {
      await config().update('discoverRegions', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

describe('demo: the sample query files run and show real results', function () {
  this.timeout(120_000);
  const own = suiteEndpoint({ 'cleanRooms.query.confirmBeforeRun': false });
  before(async () => {
    await updateUserSettings({ 'cleanRooms.s3Endpoint': (await own.endpoint.s3()).url });
  });
  after(async () => {
    await updateUserSettings({ 'cleanRooms.s3Endpoint': process.env.CLEANROOMS_TEST_S3_ENDPOINT });
  });

  for (const sample of SAMPLE_QUERY_FILES) {
    it(`${sample.name}: every statement ends as its comment says, and a success shows its rows`, async () => {
      const a = await setMemberships([...SAMPLE_IDS]);
      for (const sql of sample.statements) {
        own.endpoint.resetRequests();
        const violation = /^SELECT hashed_email\b/.test(sql);
        const runIt = (): Thenable<RunOutcome> => vscode.commands.executeCommand<RunOutcome>('cleanRooms.runQuery', { membershipId: sample.membershipId, sql });
        // Confirmations are off here: only a pre-flight warning asks, and only the deliberate
        // violation may have one (any other modal is refused in tests and fails the run).
        let outcome: RunOutcome;
        if (violation) {
          const { result, seen } = await withScriptedUi([{ button: 'Run' }], runIt);
          assert.match(seen.messages.find((m) => m.modal)?.detail ?? '', /Pre-flight warnings[\s\S]*hashed_email/, 'the pre-flight saw the violation coming');
          outcome = result;
        } else {
          outcome = await runIt();
        }
        assert.strictEqual(outcome.kind, 'ran', JSON.stringify(outcome));
        assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'StartProtectedQuery').length, 1);
        if (outcome.kind !== 'ran') continue;
        if (violation) {
          assert.strictEqual(outcome.query.status, 'FAILED');
          assert.match(outcome.query.error?.message ?? '', /hashed_email/);
          a.state.panels.queries.disposeAll();
          continue;
        }
        assert.strictEqual(outcome.query.status, 'SUCCESS', outcome.query.error?.message);
        const panel = a.state.panels.queries.all().find((p) => p.key.includes(outcome.ref.queryId));
        assert.ok(panel, 'the run opened its panel');
        const ready = await waitFor('the rows', () => {
          const last = panel.lastMessage;
          return last?.type === 'query' && last.results.kind === 'ready' ? last.results : undefined;
        }, 30_000);
        assert.ok(ready.rowCount > 0, `${sql}: ${ready.rowCount} rows`);
        panel.dispose();
      }
    });
  }
});
