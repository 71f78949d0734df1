import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { parseSettings, type RawSettings } from '../../src/settings';
import { MembershipStore, nodeName } from '../../src/model/membershipStore';
import { applyAwsEnv, createAwsHome, PROFILES, type AwsHome } from '../fakes/awsHome';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { bulkMemberships, FAULT_IDS, HOSTILE_IDS, SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';

const quiet = { info: (): void => undefined, warn: (): void => undefined };

describe('MembershipStore against the local endpoint', () => {
  let endpoint: CleanRoomsEndpoint;
  let home: AwsHome;
  let restoreEnv: () => void;
  let store: MembershipStore;
  const bulk = bulkMemberships(250);
  const settings = (raw: RawSettings) => parseSettings({ profile: PROFILES.test, endpoint: endpoint.url, ...raw });
  const count = (operation: string) => endpoint.requests.filter((r) => r.operation === operation).length;

  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
    endpoint.addMemberships(bulk);
    home = createAwsHome();
    restoreEnv = applyAwsEnv(home.env);
  });
  after(async () => {
    restoreEnv();
    home.cleanup();
    await endpoint.close();
  });
  beforeEach(() => {
    store?.dispose();
    store = new MembershipStore(new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet));
    endpoint.setLatency(0);
    endpoint.resetRequests();
  });

  it('shows configured memberships at once, then labels them with ceil(N/100) list calls and no GetMembership', async () => {
    const ids = bulk.map((m) => m.id);
    const loading = store.setSettings(settings({ memberships: ids }));
    assert.equal(store.all.length, 250, 'nodes exist before any response');
    assert.ok(store.all.every((n) => n.state.status === 'pending'));
    await loading;
    assert.ok(store.all.every((n) => n.state.status === 'loaded'));
    assert.equal(nodeName(store.all[0]), bulk[0].collaborationName);
    const total = endpoint.requests.length === count('ListMemberships') ? count('ListMemberships') : -1;
    const listed = SAMPLE_MEMBERSHIPS.length + 250;
    assert.equal(total, Math.ceil(listed / 100));
    assert.equal(count('GetMembership'), 0);
  });

  it('falls back to GetMembership only for memberships the list does not have, isolating errors', async () => {
    await store.setSettings(settings({ memberships: [SAMPLE_MEMBERSHIPS[0].id, FAULT_IDS.notFound, FAULT_IDS.accessDenied, SAMPLE_MEMBERSHIPS[1].id] }));
    const states = store.all.map((n) => (n.state.status === 'error' ? n.state.failure.kind : n.state.status));
    assert.deepEqual(states, ['loaded', 'notFound', 'accessDenied', 'loaded']);
    assert.deepEqual(
      endpoint.requests.filter((r) => r.operation === 'GetMembership').map((r) => r.membershipId).sort(),
      [FAULT_IDS.notFound, FAULT_IDS.accessDenied].sort(),
    );
  });

  it('a connection-wide failure marks the group without calling GetMembership per item', async () => {
    await store.setSettings(parseSettings({ profile: PROFILES.expiredSso, endpoint: endpoint.url, memberships: [SAMPLE_MEMBERSHIPS[0].id, SAMPLE_MEMBERSHIPS[1].id] }));
    assert.ok(store.all.every((n) => n.state.status === 'error' && n.state.failure.kind === 'ssoExpired'));
    assert.equal(endpoint.requests.length, 0);
  });

  it('coalesces a burst of 20 refreshes into the load already running plus one follow-up', async () => {
    endpoint.setLatency(100);
    await store.setSettings(settings({ memberships: [SAMPLE_MEMBERSHIPS[0].id, FAULT_IDS.notFound] }));
    endpoint.resetRequests();
    const burst = Array.from({ length: 20 }, () => store.refresh());
    await Promise.all(burst);
    // The burst asked for exactly one follow-up load.
    await store.whenIdle();
    const gets = endpoint.requests.filter((r) => r.operation === 'GetMembership');
    const pages = Math.ceil((SAMPLE_MEMBERSHIPS.length + bulk.length) / 100);
    // 20 refreshes = the load already running + one follow-up, not 20 loads.
    assert.ok(count('ListMemberships') <= 2 * pages, `list calls: ${count('ListMemberships')}`);
    assert.ok(gets.length <= 2, `get calls: ${gets.length}`);
    const arrivals = endpoint.requests.map((r) => r.at).sort((a, b) => a - b);
    assert.ok(arrivals.length >= 2);
  });

  it('drops results of superseded settings', async () => {
    endpoint.setLatency(150);
    const first = store.setSettings(parseSettings({ profile: PROFILES.test, endpoint: endpoint.url, memberships: [SAMPLE_MEMBERSHIPS[0].id] }));
    // Change the label while the first load is in flight; the region changes so the key changes.
    const second = store.setSettings(parseSettings({ profile: PROFILES.test, region: 'us-east-1', endpoint: endpoint.url, memberships: [{ id: SAMPLE_MEMBERSHIPS[2].id, label: 'Second' }] }));
    await Promise.all([first, second]);
    assert.equal(store.all.length, 1);
    assert.equal(store.all[0].entry.id, SAMPLE_MEMBERSHIPS[2].id);
    assert.equal(store.all[0].state.status, 'loaded');
    assert.equal(nodeName(store.all[0]), 'Second');
  });

  it('fetches unlisted memberships with bounded concurrency (4 at a time)', async () => {
    endpoint.setLatency(120);
    // Hostile memberships are not in ListMemberships, so each needs its own GetMembership.
    await store.setSettings(settings({ memberships: HOSTILE_IDS.slice(0, 12) }));
    const arrivals = endpoint.requests.filter((r) => r.operation === 'GetMembership').map((r) => r.at).sort((a, b) => a - b);
    assert.equal(arrivals.length, 12);
    const maxInWindow = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 60).length));
    assert.ok(maxInWindow <= 4, `${maxInWindow} requests started within 60 ms`);
    assert.ok(store.all.every((n) => n.state.status === 'loaded'));
  });

  it('retry fetches one membership again', async () => {
    await store.setSettings(settings({ memberships: [FAULT_IDS.throttledForever] }));
    const node = store.all[0];
    assert.equal(node.state.status === 'error' && node.state.failure.kind, 'throttling');
    endpoint.resetRequests();
    await store.retry(node.key);
    assert.ok(count('GetMembership') >= 1, 'fetched again');
    assert.deepEqual(
      [...new Set(endpoint.requests.map((r) => `${r.operation} ${r.membershipId ?? ''}`))],
      [`GetMembership ${FAULT_IDS.throttledForever}`],
      'only that membership, and no list call',
    );
    assert.equal(store.all[0].state.status, 'error');
  });
});
