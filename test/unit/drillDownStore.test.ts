import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
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
});
