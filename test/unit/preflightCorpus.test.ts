/**
 * The pre-flight check against a corpus of valid and invalid queries, on the catalog the local
 * endpoint serves for the rules collaboration (real SDK calls: ListSchemas, BatchGetSchema,
 * BatchGetSchemaAnalysisRule, as the extension makes them): 0 findings on the valid ones, the
 * expected finding on each invalid one. Prints `query | expected | got`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CleanRoomsClient } from '@aws-sdk/client-cleanrooms';
import { analyzeStatement } from '../../src/sql/analyze';
import type { Catalog } from '../../src/sql/catalog';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { TEST_CREDENTIALS } from '../fakes/fixtures';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';
import { fetchCatalog, PREFLIGHT_CORPUS, runCorpus } from './preflightCorpus';

describe('the pre-flight check on the rules corpus (catalog from the local endpoint)', () => {
  let endpoint: CleanRoomsEndpoint;
  let client: CleanRoomsClient;
  let catalog: Catalog;

  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
    client = new CleanRoomsClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    catalog = await fetchCatalog(client, SCHEMA_MEMBERSHIPS.rules.collaborationId);
  });

  after(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('0 findings on every valid query, the expected finding on every invalid one', async () => {
    assert.ok(catalog.tables.length >= 11, `the rules collaboration's tables: ${catalog.tables.map((x) => x.name).join(', ')}`);
    const result = await runCorpus(PREFLIGHT_CORPUS, catalog, analyzeStatement);
    console.log(result.table);
    assert.deepEqual(result.mismatches, []);
    const covered = new Set(PREFLIGHT_CORPUS.flatMap((q) => (q.expect ? [q.expect] : [])));
    assert.ok(covered.size >= 14, `finding codes covered: ${[...covered].join(', ')}`);
  });
});
