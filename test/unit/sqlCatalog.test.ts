import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { MembershipStore } from '../../src/model/membershipStore';
import { SchemaStore } from '../../src/model/schemaStore';
import { targetFor } from '../../src/queries/queryTarget';
import { parseSettings } from '../../src/settings';
import { SqlCatalogs, type CatalogLookup } from '../../src/views/sqlCatalog';
import { PROFILES } from '../fakes/awsHome';
import { useAwsHome } from '../fakes/awsHomeSuite';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';

const quiet = { info: (): void => undefined, warn: (): void => undefined };
const RULES = SCHEMA_MEMBERSHIPS.rules;

describe("the SQL editor's catalogs (SqlCatalogs) against the local endpoint", () => {
  let endpoint: CleanRoomsEndpoint;
  useAwsHome();
  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
  });
  after(() => endpoint.close());

  it('a schema load started before a Refresh does not come back as the catalog after it; a new load starts', async () => {
    const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet);
    const settings = parseSettings({ profile: PROFILES.test, endpoint: endpoint.url, memberships: [] });
    const store = new MembershipStore(service);
    const schemas = new SchemaStore(service);
    const catalogs = new SqlCatalogs({ settings, store, schemas, service });
    const text = `-- @membership ${RULES.id}\nSELECT 1`;
    const request = targetFor(RULES.id, settings, store).request;
    const listSchemas = (): number => endpoint.requests.filter((r) => r.operation === 'ListSchemas').length;
    try {
      endpoint.resetRequests();
      // First look: GetMembership for the collaboration, then the schema load.
      assert.equal(catalogs.lookup(text).status, 'loading');
      await new Promise<void>((resolve) => {
        const sub = catalogs.onDidChange(() => {
          sub.dispose();
          resolve();
        });
      });
      assert.equal(catalogs.lookup(text).status, 'loading', 'the schema load has started');
      // The same fetch, shared: it settles after the Refresh below.
      const before = schemas.load(request, RULES.collaborationId);
      schemas.clear();
      assert.equal((await before).status, 'loaded');
      assert.equal(listSchemas(), 1);
      const after: CatalogLookup = catalogs.lookup(text);
      assert.equal(after.status, 'loading', 'not the catalog from before the Refresh');
      const fresh = await catalogs.ensure(text);
      assert.equal(fresh.status, 'loaded');
      assert.equal(listSchemas(), 2, 'loaded again after the Refresh');
    } finally {
      catalogs.dispose();
      service.reset();
    }
  });
});
