import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { conformProtectedQuerySummary } from '../../src/aws/conform';
import { DrillDownStore } from '../../src/model/drillDownStore';
import { MembershipStore } from '../../src/model/membershipStore';
import { parseSettings } from '../../src/settings';
import { applyAwsEnv, createAwsHome, PROFILES, type AwsHome } from '../fakes/awsHome';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';

const quiet = { info: (): void => undefined, warn: (): void => undefined };

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('DrillDownStore against the local endpoint', () => {
  let endpoint: CleanRoomsEndpoint;
  let home: AwsHome;
  let restoreEnv: () => void;

  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
    home = createAwsHome();
    restoreEnv = applyAwsEnv(home.env);
  });
  after(async () => {
    restoreEnv();
    home.cleanup();
    await endpoint.close();
  });

  it('a load from before clear() does not drop the running entry of the load after it (no duplicate request)', async () => {
    const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet);
    const store = new MembershipStore(service);
    const drill = new DrillDownStore(service);
    try {
      await store.setSettings(parseSettings({ profile: PROFILES.test, endpoint: endpoint.url, memberships: [SAMPLE_MEMBERSHIPS[0].id] }));
      const node = store.all[0];
      assert.equal(node.state.status, 'loaded');
      const listed = (): number => endpoint.requests.filter((r) => r.operation === 'ListConfiguredTableAssociations').length;
      endpoint.resetRequests();
      // The old load answers first, while the new one is still in flight.
      endpoint.setLatency(200);
      const old = drill.load(node, 'associations');
      await until('old request received', () => listed() === 1);
      endpoint.setLatency(1500);
      drill.clear();
      const current = drill.load(node, 'associations');
      await until('new request received', () => listed() === 2);
      await old;
      const again = drill.load(node, 'associations');
      assert.equal(again, current, 'joins the load in flight');
      await Promise.all([current, again]);
      assert.equal(listed(), 2, 'no third request');
      assert.equal(drill.branch(node, 'associations').status, 'loaded');
    } finally {
      endpoint.setLatency(0);
      drill.dispose();
      store.dispose();
    }
  });

  it('a protected-query filter: one status is asked of the service, several are listed whole; the filter survives clear()', async () => {
    const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet);
    const store = new MembershipStore(service);
    const drill = new DrillDownStore(service);
    try {
      await store.setSettings(parseSettings({ profile: PROFILES.test, endpoint: endpoint.url, memberships: [SAMPLE_MEMBERSHIPS[0].id] }));
      const node = store.all[0];
      const fired: Array<string | undefined> = [];
      drill.onDidChange((k) => fired.push(k));
      endpoint.resetRequests();
      drill.setQueryFilter(node, ['FAILED']);
      assert.deepEqual(fired, [`${node.key}|queries`], 'the branch repaints (its row says the filter)');
      await drill.load(node, 'queries');
      const state = drill.branch(node, 'queries');
      assert.equal(state.status, 'loaded');
      assert.ok(state.status === 'loaded' && state.items.length > 0 && state.items.every((q) => q.status === 'FAILED'));
      const lists = (): Array<Record<string, string>> => endpoint.requests.filter((r) => r.operation === 'ListProtectedQueries').map((r) => r.query);
      assert.equal(lists()[0].status, 'FAILED');
      drill.clear();
      assert.deepEqual(drill.queryFilter(node.key), ['FAILED'], 'kept for the session');
      endpoint.resetRequests();
      drill.setQueryFilter(node, ['FAILED', 'SUCCESS']);
      await drill.load(node, 'queries');
      assert.equal(lists()[0].status, undefined, 'several statuses: the list is asked for whole (and filtered where shown)');
      drill.setQueryFilter(node, []);
      assert.deepEqual(drill.queryFilter(node.key), []);
    } finally {
      drill.dispose();
      store.dispose();
    }
  });

  it('updateQuery: a known query takes its new status quietly, an unknown one goes on top and fires the branch', async () => {
    const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet);
    const store = new MembershipStore(service);
    const drill = new DrillDownStore(service);
    try {
      await store.setSettings(parseSettings({ profile: PROFILES.test, endpoint: endpoint.url, memberships: [SAMPLE_MEMBERSHIPS[0].id] }));
      const node = store.all[0];
      const summary = (id: string, status: string) => conformProtectedQuerySummary({ id, status, membershipId: node.entry.id }) ?? assert.fail('conformed');
      assert.equal(drill.updateQuery(node, summary('x', 'STARTED')), 'unchanged', 'a list never loaded is left alone');
      await drill.load(node, 'queries');
      const before = drill.branch(node, 'queries');
      assert.ok(before.status === 'loaded');
      const first = before.items[0];
      const fired: Array<string | undefined> = [];
      drill.onDidChange((k) => fired.push(k));
      const other = first.status === 'SUCCESS' ? 'FAILED' : 'SUCCESS';
      assert.equal(drill.updateQuery(node, summary(first.id ?? '', other)), 'updated');
      assert.equal(drill.updateQuery(node, summary(first.id ?? '', other)), 'unchanged', 'the same status again changes nothing');
      assert.deepEqual(fired, [], 'an update is repainted by the caller, row by row');
      const after = drill.branch(node, 'queries');
      assert.ok(after.status === 'loaded');
      assert.equal(after.items[0].status, other);
      assert.equal(after.items[0].createTime?.getTime(), first.createTime?.getTime(), 'the rest of the summary is kept');
      assert.equal(drill.updateQuery(node, summary('new-query', 'SUBMITTED')), 'inserted');
      assert.deepEqual(fired, [`${node.key}|queries`]);
      const inserted = drill.branch(node, 'queries');
      assert.ok(inserted.status === 'loaded');
      assert.equal(inserted.items[0].id, 'new-query', 'the newest goes on top');
      assert.equal(inserted.items.length, before.items.length + 1);
    } finally {
      drill.dispose();
      store.dispose();
    }
  });
});
