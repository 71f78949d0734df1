/**
 * The pre-flight check and the local endpoint on one corpus: RULE_CORPUS (test/fakes/ruleCorpus.ts)
 * and PREFLIGHT_CORPUS on the rules collaboration, BENCH_CORPUS (the table quota) on the bench one. The catalog is the one the extension's own
 * SchemaStore builds from the local endpoint (real SDK calls through CleanRoomsService and the
 * conformers); each query also runs on the endpoint (real SDK StartProtectedQuery, polled to the
 * end). Prints `id | expected | pre-flight got | endpoint got`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CleanRoomsClient } from '@aws-sdk/client-cleanrooms';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { SchemaStore } from '../../src/model/schemaStore';
import { analyzeStatement } from '../../src/sql/analyze';
import type { Catalog } from '../../src/sql/catalog';
import { PROFILES } from '../fakes/awsHome';
import { useAwsHome } from '../fakes/awsHomeSuite';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { TEST_CREDENTIALS } from '../fakes/fixtures';
import { endpointRunner, PREFLIGHT_CORPUS, runAgreement, SERVICE_DECIDES } from '../fakes/preflightCorpus';
import { BENCH_CORPUS, RULE_CORPUS } from '../fakes/ruleCorpus';
import { SCHEMA_MEMBERSHIP_IDS, SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';

const quiet = { info: (): void => undefined, warn: (): void => undefined };

describe('the pre-flight check and the local endpoint agree on the rule corpus', () => {
  let endpoint: CleanRoomsEndpoint;
  let client: CleanRoomsClient;
  useAwsHome();
  before(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 20 });
    client = new CleanRoomsClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('expected none -> 0 findings and SUCCESS; expected a code -> that finding and FAILED for the same rule', async () => {
    const store = new SchemaStore(new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet));
    const catalogOf = async (collaborationId: string): Promise<Catalog> => {
      const state = await store.load({ profile: PROFILES.test, region: 'us-east-1', endpoint: endpoint.url, timeoutMs: 10_000 }, collaborationId);
      assert.equal(state.status, 'loaded');
      return state.status === 'loaded' ? state.schemas.catalog : assert.fail();
    };
    const rules = await catalogOf(SCHEMA_MEMBERSHIPS.rules.collaborationId);
    assert.ok(rules.tables.length >= 11, `the rules collaboration's tables: ${rules.tables.map((x) => x.name).join(', ')}`);
    const corpus = [...RULE_CORPUS, ...PREFLIGHT_CORPUS, ...SERVICE_DECIDES.map((q) => ({ ...q, expect: 'service' as const }))];
    assert.equal(new Set([...corpus, ...BENCH_CORPUS].map((q) => q.id)).size, corpus.length + BENCH_CORPUS.length, 'unique ids across the corpora');
    const result = await runAgreement(
      [
        { corpus, catalog: rules, run: endpointRunner(endpoint, client, SCHEMA_MEMBERSHIP_IDS.rules) },
        { corpus: BENCH_CORPUS, catalog: await catalogOf(SCHEMA_MEMBERSHIPS.bench.collaborationId), run: endpointRunner(endpoint, client, SCHEMA_MEMBERSHIP_IDS.bench) },
      ],
      analyzeStatement,
    );
    console.log(result.table);
    assert.deepEqual(result.mismatches, []);
    const covered = new Set([...RULE_CORPUS, ...PREFLIGHT_CORPUS, ...BENCH_CORPUS].flatMap((q) => (q.expect ? [q.expect] : [])));
    assert.ok(covered.size >= 15, `finding codes covered: ${[...covered].join(', ')}`);
  });
});
