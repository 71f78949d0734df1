import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { parseSettings, type RawSettings } from '../../src/settings';
import { FEW_MEMBERSHIPS, MembershipStore, nodeName } from '../../src/model/membershipStore';
import { applyAwsEnv, createAwsHome, PROFILES, type AwsHome } from '../fakes/awsHome';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { bulkMemberships, FAULT_IDS, HOSTILE_IDS, SAMPLE_MEMBERSHIPS } from '../fakes/fixtures';

const quiet = { info: (): void => undefined, warn: (): void => undefined };

describe('MembershipStore against the local endpoint', () => {
  let endpoint: CleanRoomsEndpoint;
  let home: AwsHome;
  let restoreEnv: () => void;
  let store: MembershipStore;
  // 1,007 in the account (the samples and 1,000 more): listing them all takes 11 pages.
  const bulk = bulkMemberships(1000);
  const listedPages = Math.ceil((SAMPLE_MEMBERSHIPS.length + bulk.length) / 100);
  /** `n` configured IDs that ListMemberships has: more than FEW_MEMBERSHIPS are labelled from its pages. */
  const listedIds = (n: number): string[] => bulk.slice(0, n).map((m) => m.id);
  const gets = () => endpoint.requests.filter((r) => r.operation === 'GetMembership');
  /** Most requests that arrived within `windowMs` of one another: how many were in flight together. */
  const mostTogether = (arrivals: number[], windowMs = 60): number => Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + windowMs).length));
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
    const ids = listedIds(250);
    const loading = store.setSettings(settings({ memberships: ids }));
    assert.equal(store.all.length, 250, 'nodes exist before any response');
    assert.ok(store.all.every((n) => n.state.status === 'pending'));
    await loading;
    assert.ok(store.all.every((n) => n.state.status === 'loaded'));
    assert.equal(nodeName(store.all[0]), bulk[0].collaborationName);
    const total = endpoint.requests.length === count('ListMemberships') ? count('ListMemberships') : -1;
    assert.equal(total, listedPages);
    assert.equal(count('GetMembership'), 0);
  });

  it('falls back to GetMembership only for memberships the list does not have, isolating errors', async () => {
    // More than FEW_MEMBERSHIPS, so the labels come from ListMemberships.
    await store.setSettings(settings({ memberships: [SAMPLE_MEMBERSHIPS[0].id, FAULT_IDS.notFound, FAULT_IDS.accessDenied, SAMPLE_MEMBERSHIPS[1].id, ...listedIds(FEW_MEMBERSHIPS)] }));
    assert.equal(count('ListMemberships'), listedPages);
    const states = store.all.slice(0, 4).map((n) => (n.state.status === 'error' ? n.state.failure.kind : n.state.status));
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
    await store.setSettings(settings({ memberships: [SAMPLE_MEMBERSHIPS[0].id, FAULT_IDS.notFound, ...listedIds(FEW_MEMBERSHIPS)] }));
    endpoint.resetRequests();
    const burst = Array.from({ length: 20 }, () => store.refresh());
    await Promise.all(burst);
    // The burst asked for exactly one follow-up load.
    await store.whenIdle();
    const gets = endpoint.requests.filter((r) => r.operation === 'GetMembership');
    const pages = listedPages;
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
    // Hostile memberships are not in ListMemberships, so each needs its own GetMembership (the
    // listed ones make more than FEW_MEMBERSHIPS, so the labels come from the list).
    await store.setSettings(settings({ memberships: [...HOSTILE_IDS.slice(0, 12), ...listedIds(FEW_MEMBERSHIPS - 11)] }));
    const arrivals = endpoint.requests.filter((r) => r.operation === 'GetMembership').map((r) => r.at).sort((a, b) => a - b);
    assert.equal(arrivals.length, 12);
    const maxInWindow = mostTogether(arrivals);
    assert.ok(maxInWindow <= 4, `${maxInWindow} requests started within 60 ms`);
    assert.ok(store.all.every((n) => n.state.status === 'loaded'));
  });

  it('labels 10 configured of 1,007 with 10 GetMembership and no ListMemberships, keeping each full record', async () => {
    const ids = listedIds(10);
    await store.setSettings(settings({ memberships: ids }));
    assert.equal(count('ListMemberships'), 0);
    assert.deepEqual(gets().map((r) => r.membershipId).sort(), [...ids].sort());
    assert.equal(endpoint.requests.length, 10);
    store.all.forEach((n, i) => {
      assert.equal(n.state.status, 'loaded');
      assert.equal(nodeName(n), bulk[i].collaborationName);
      // The record a panel shows at once, and when it was fetched.
      assert.equal(n.state.status === 'loaded' && n.state.membership?.id, ids[i]);
      assert.ok(n.state.status === 'loaded' && n.state.fetchedAt instanceof Date);
    });
  });

  it(`${FEW_MEMBERSHIPS + 1} configured are labelled from ListMemberships pages, with no GetMembership`, async () => {
    await store.setSettings(settings({ memberships: listedIds(FEW_MEMBERSHIPS + 1) }));
    assert.equal(count('ListMemberships'), listedPages);
    assert.equal(count('GetMembership'), 0);
    assert.ok(store.all.every((n) => n.state.status === 'loaded'));
  });

  it('a connection-wide failure of the first GetMembership: 1 request, and every row of that connection shows it', async () => {
    const ids = listedIds(10);
    await store.setSettings(settings({ memberships: [...ids.map((id) => ({ id, profile: PROFILES.wrongSecret })), SAMPLE_MEMBERSHIPS[0].id] }));
    const wrong = store.all.slice(0, 10);
    assert.ok(wrong.every((n) => n.state.status === 'error' && n.state.failure.kind === 'invalidCredentials'), JSON.stringify(wrong.map((n) => n.state.status)));
    assert.equal(endpoint.requests.filter((r) => r.status !== 200).length, 1, 'one rejected request for the ten');
    assert.equal(endpoint.requests.length, 2, 'and one for the other connection');
    assert.equal(store.all[10].state.status, 'loaded', 'the other connection still labels');
  });

  it('the first GetMembership of a connection goes alone; once it answered, 5 go out at a time', async () => {
    endpoint.setLatency(100);
    await store.setSettings(settings({ memberships: listedIds(10) }));
    const cold = gets().map((r) => r.at).sort((a, b) => a - b);
    assert.equal(cold.length, 10);
    assert.ok(cold[1] - cold[0] >= 90, `second request ${cold[1] - cold[0]} ms after the first: it waited for the answer`);
    assert.ok(mostTogether(cold.slice(1)) <= 5);
    endpoint.resetRequests();
    const started = Date.now();
    await store.refresh();
    const warm = gets().map((r) => r.at - started).sort((a, b) => a - b);
    assert.equal(warm.length, 10);
    assert.equal(count('ListMemberships'), 0);
    assert.ok(warm[4] < warm[0] + 60, `the first wave went out together: ${warm.join(', ')}`);
    assert.ok(mostTogether(warm) <= 5, `at most 5 in flight: ${warm.join(', ')}`);
    assert.ok(warm[5] >= warm[0] + 90, `the second wave waited for answers: ${warm.join(', ')}`);
  });

  it('a timeout of the first GetMembership asks ListMemberships instead of failing every row', async () => {
    await store.setSettings(settings({ requestTimeoutSeconds: 1, memberships: [FAULT_IDS.slow, SAMPLE_MEMBERSHIPS[0].id, SAMPLE_MEMBERSHIPS[1].id] }));
    const [slow, ...others] = store.all;
    assert.equal(slow.state.status === 'error' && slow.state.failure.kind, 'timeout');
    assert.ok(others.every((n) => n.state.status === 'loaded'), 'the connection answered the list');
    assert.deepEqual(gets().map((r) => r.membershipId), [FAULT_IDS.slow], 'only the slow one was fetched by ID');
    assert.equal(count('ListMemberships'), listedPages);
  });

  it('a first GetMembership still out after the probe wait does not hold back the others: one ListMemberships labels them while it runs', async () => {
    const started = Date.now();
    await store.setSettings(settings({ requestTimeoutSeconds: 4, memberships: [FAULT_IDS.slow, SAMPLE_MEMBERSHIPS[0].id, SAMPLE_MEMBERSHIPS[1].id] }));
    const [slow, ...others] = store.all;
    assert.equal(slow.state.status === 'error' && slow.state.failure.kind, 'timeout');
    assert.ok(others.every((n) => n.state.status === 'loaded'), 'the others were labelled');
    assert.deepEqual(gets().map((r) => r.membershipId), [FAULT_IDS.slow], 'no GetMembership per other membership');
    const lists = endpoint.requests.filter((r) => r.operation === 'ListMemberships').map((r) => r.at - started);
    assert.equal(lists.length, listedPages);
    assert.ok(lists[0] < 3000, `the list went out before the slow one timed out (4 s): ${lists[0]} ms`);
  });

  it('with a dead link the first GetMembership and one list are all that is sent, and every row says so', async () => {
    endpoint.setLatency(3000);
    await store.setSettings(settings({ requestTimeoutSeconds: 2, memberships: listedIds(10) }));
    assert.ok(store.all.every((n) => n.state.status === 'error' && n.state.failure.kind === 'timeout'), 'every row shows the timeout');
    assert.equal(gets().length, 1);
    assert.equal(count('ListMemberships'), 1);
  });

  it('reload (new credentials) drops the load in flight and resolves only when a whole new load has answered', async () => {
    endpoint.setLatency(200);
    const first = store.setSettings(settings({ memberships: listedIds(10) }));
    await new Promise((r) => setTimeout(r, 50));
    const reloadedAt = Date.now();
    await store.reload();
    const after = gets().filter((r) => r.at >= reloadedAt);
    assert.equal(after.length, 10, `every membership was fetched again after the reload: ${after.length}`);
    assert.ok(store.all.every((n) => n.state.status === 'loaded' && n.state.fetchedAt.getTime() >= reloadedAt), 'every row shows an answer to the new load');
    const settled = gets().length;
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(gets().length, settled, 'nothing was still to come when reload resolved');
    await first;
  });

  it('coalesces a burst of 20 refreshes of 10 memberships into the running load plus one follow-up', async () => {
    endpoint.setLatency(50);
    await store.setSettings(settings({ memberships: listedIds(10) }));
    endpoint.resetRequests();
    await Promise.all(Array.from({ length: 20 }, () => store.refresh()));
    await store.whenIdle();
    assert.ok(count('GetMembership') <= 20, `get calls: ${count('GetMembership')}`);
    assert.equal(count('ListMemberships'), 0);
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
