import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { conformMembership } from '../../src/aws/conform';
import { ProfileFiles } from '../../src/aws/profiles';
import { DrillDownStore } from '../../src/model/drillDownStore';
import type { MembershipNode } from '../../src/model/membershipStore';
import { applyAwsEnv, createAwsHome, PROFILES, type AwsHome } from '../fakes/awsHome';

const quiet = { info: (): void => undefined, warn: (): void => undefined };

describe('failures that name the right thing and say whether Retry can help', () => {
  let home: AwsHome;
  let restoreEnv: () => void;
  let service: CleanRoomsService;

  before(() => {
    home = createAwsHome();
    restoreEnv = applyAwsEnv(home.env);
    service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet);
  });
  after(() => {
    service.reset();
    restoreEnv();
    home.cleanup();
  });

  it('an empty GetCollaboration reply speaks of the collaboration, not of a membership', async () => {
    const empty = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'x-amzn-requestid': 'req-empty' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(empty.address() as AddressInfo).port}`;
      const r = await service.getCollaboration({ profile: PROFILES.test, endpoint, timeoutMs: 5000 }, 'c0ffee00-0000-4000-8000-000000000001');
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.failure.kind, 'emptyResponse');
        assert.match(r.failure.title, /collaboration/);
        assert.match(r.failure.message ?? '', /collaboration/);
        assert.doesNotMatch(`${r.failure.title} ${r.failure.message ?? ''}`, /membership/);
      }
    } finally {
      empty.close();
    }
  });

  it('a membership without a collaboration ID fails its collaboration and members as not retryable', async () => {
    const drill = new DrillDownStore(service);
    const node: MembershipNode = {
      key: 'no-collaboration-id',
      entry: { kind: 'membership', index: 0, id: 'c0ffee00-0000-4000-8000-000000000002' },
      request: { profile: PROFILES.test, timeoutMs: 5000 },
      state: {
        status: 'loaded',
        connection: { profile: PROFILES.test, region: 'us-east-1', endpoint: undefined, timeoutMs: 5000 },
        membership: conformMembership({ id: 'c0ffee00-0000-4000-8000-000000000002', status: 'ACTIVE' }),
        fetchedAt: new Date(),
      },
    };
    await drill.loadCollaboration(node);
    const collaboration = drill.collaboration(node);
    assert.equal(collaboration.status, 'error');
    if (collaboration.status === 'error') {
      assert.equal(collaboration.failure.retryable, false, 'Retry would repeat the same error');
      assert.match(collaboration.failure.message ?? '', /collaborationId/);
    }
    await drill.load(node, 'members');
    const members = drill.branch(node, 'members');
    assert.equal(members.status, 'error');
    if (members.status === 'error') {
      assert.equal(members.failure.retryable, false);
    }
    drill.dispose();
  });
});
