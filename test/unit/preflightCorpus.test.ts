/**
 * The pre-flight check against a corpus of valid and invalid queries, on the catalog the
 * extension's own SchemaStore builds from the local endpoint for the rules collaboration (real SDK
 * calls through CleanRoomsService and the conformers): 0 findings on the valid ones, the expected
 * finding on each invalid one. Prints `query | expected | got`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { SchemaStore } from '../../src/model/schemaStore';
import { analyzeStatement } from '../../src/sql/analyze';
import { PROFILES } from '../fakes/awsHome';
import { useAwsHome } from '../fakes/awsHomeSuite';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';
import { PREFLIGHT_CORPUS, runCorpus } from '../fakes/preflightCorpus';

const quiet = { info: (): void => undefined, warn: (): void => undefined };

describe('the pre-flight check on the rules corpus (catalog from the local endpoint)', () => {
  let endpoint: CleanRoomsEndpoint;
  useAwsHome();
  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
  });
  after(() => endpoint.close());

  it('0 findings on every valid query, the expected finding on every invalid one', async () => {
    const store = new SchemaStore(new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet));
    const state = await store.load({ profile: PROFILES.test, region: 'us-east-1', endpoint: endpoint.url, timeoutMs: 10_000 }, SCHEMA_MEMBERSHIPS.rules.collaborationId);
    assert.equal(state.status, 'loaded');
    const catalog = state.status === 'loaded' ? state.schemas.catalog : assert.fail();
    assert.ok(catalog.tables.length >= 11, `the rules collaboration's tables: ${catalog.tables.map((x) => x.name).join(', ')}`);
    const result = await runCorpus(PREFLIGHT_CORPUS, catalog, analyzeStatement);
    console.log(result.table);
    assert.deepEqual(result.mismatches, []);
    const covered = new Set(PREFLIGHT_CORPUS.flatMap((q) => (q.expect ? [q.expect] : [])));
    assert.ok(covered.size >= 14, `finding codes covered: ${[...covered].join(', ')}`);
  });
});
