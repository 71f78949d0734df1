import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CleanRoomsClientFactory, type ConnectionRequest } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { SchemaStore } from '../../src/model/schemaStore';
import { PROFILES } from '../fakes/awsHome';
import { useAwsHome } from '../fakes/awsHomeSuite';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { BENCH_TABLE_COUNT } from '../fakes/schemaCatalog';
import { RULES_TABLES, SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';

const quiet = { info: (): void => undefined, warn: (): void => undefined };

describe('SchemaStore and the schema calls against the local endpoint', () => {
  let endpoint: CleanRoomsEndpoint;
  let request: ConnectionRequest;
  useAwsHome();
  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
    request = { profile: PROFILES.test, region: 'us-east-1', endpoint: endpoint.url, timeoutMs: 10_000 };
  });
  after(() => endpoint.close());

  const service = (): CleanRoomsService => new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet);
  const calls = (operation: string): number => endpoint.requests.filter((r) => r.operation === operation).length;

  it(`${BENCH_TABLE_COUNT} tables: ListSchemas once, then BatchGetSchema and BatchGetSchemaAnalysisRule in batches of 25`, async () => {
    const store = new SchemaStore(service());
    endpoint.resetRequests();
    const state = await store.load(request, SCHEMA_MEMBERSHIPS.bench.collaborationId);
    assert.equal(state.status, 'loaded');
    assert.equal(state.status === 'loaded' && state.schemas.tables.length, BENCH_TABLE_COUNT);
    assert.equal(calls('ListSchemas'), 1);
    assert.equal(calls('BatchGetSchema'), Math.ceil(BENCH_TABLE_COUNT / 25));
    assert.equal(calls('BatchGetSchemaAnalysisRule'), Math.ceil(BENCH_TABLE_COUNT / 25), 'one aggregation rule per table');
    assert.ok(state.status === 'loaded' && state.schemas.tables.every((t) => t.rules.length === 1), 'each table has its rule');
    assert.ok(endpoint.requests.every((r) => r.signed));
  });

  it('BatchGetSchema merges schemas and errors over its batches; a name it cannot return is an error, not a failure', async () => {
    const s = service();
    endpoint.resetRequests();
    const names = [...Object.values(RULES_TABLES), ...Array.from({ length: 20 }, (_, i) => `no_such_table_${i}`)];
    const result = await s.batchGetSchemas(request, SCHEMA_MEMBERSHIPS.rules.collaborationId, names);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.failure));
    assert.equal(calls('BatchGetSchema'), Math.ceil(names.length / 25));
    assert.deepEqual(result.value.schemas.map((x) => x.name).sort(), Object.values(RULES_TABLES).sort());
    assert.equal(result.value.errors.length, 20);
    assert.ok(result.value.errors.every((e) => e.name?.startsWith('no_such_table_') && e.code === 'ResourceNotFoundException'));
    const rules = await s.batchGetSchemaAnalysisRules(request, SCHEMA_MEMBERSHIPS.rules.collaborationId, [
      { name: RULES_TABLES.aggregation, type: 'AGGREGATION' },
      { name: RULES_TABLES.aggregation, type: 'LIST' },
    ]);
    assert.ok(rules.ok);
    assert.deepEqual(rules.value.analysisRules.map((r) => r.type), ['AGGREGATION']);
    assert.deepEqual(rules.value.errors.map((e) => [e.name, e.type]), [[RULES_TABLES.aggregation, 'LIST']]);
  });

  it('one fetch per collaboration at a time, shared; cached until clear(); get() never fetches', async () => {
    const store = new SchemaStore(service());
    const collaborationId = SCHEMA_MEMBERSHIPS.rules.collaborationId;
    const fired: string[] = [];
    store.onDidChange((k) => fired.push(k));
    endpoint.resetRequests();
    assert.equal(store.get(request, collaborationId), undefined);
    assert.equal(calls('ListSchemas'), 0, 'get() fetched nothing');
    const [a, b] = await Promise.all([store.load(request, collaborationId), store.load(request, collaborationId)]);
    assert.equal(a, b, 'both callers got the one fetch');
    assert.equal(calls('ListSchemas'), 1);
    assert.equal(store.get(request, collaborationId), a);
    await store.load(request, collaborationId);
    assert.equal(calls('ListSchemas'), 1, 'cached');
    assert.ok(a.status === 'loaded');
    const table = a.schemas.catalog.table(RULES_TABLES.notReady, true);
    assert.equal(table?.status, 'NOT_READY');
    assert.ok((table?.notReadyReasons.length ?? 0) > 0);
    assert.equal(a.schemas.catalog.table(RULES_TABLES.aggregation)?.kind, 'AGGREGATION');
    store.clear();
    assert.equal(store.get(request, collaborationId), undefined);
    await store.load(request, collaborationId);
    assert.equal(calls('ListSchemas'), 2, 'fetched again after clear()');
    const key = store.key(request, collaborationId);
    assert.deepEqual(fired, [key, key, '', key, key], 'loading, loaded; cleared; loading, loaded');
  });

  it('a fetch started before clear() does not fill the cache after it', async () => {
    const store = new SchemaStore(service());
    const collaborationId = SCHEMA_MEMBERSHIPS.rules.collaborationId;
    const old = store.load(request, collaborationId);
    store.clear();
    await old;
    assert.equal(store.get(request, collaborationId), undefined);
  });

  it("an unknown collaboration is the branch's error, not a crash", async () => {
    const store = new SchemaStore(service());
    const state = await store.load(request, '00000000-0000-4000-8000-000000000000');
    assert.equal(state.status, 'error');
  });

  it('a fetch that throws ends as an error (not loading forever), and the next load fetches again', async () => {
    // The output channel closed under the service: its log throws, and with it every call.
    const broken = () => {
      throw new Error('Channel has been closed');
    };
    const store = new SchemaStore(new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), { info: broken, warn: broken }));
    const collaborationId = SCHEMA_MEMBERSHIPS.rules.collaborationId;
    endpoint.resetRequests();
    const state = await store.load(request, collaborationId);
    assert.equal(state.status, 'error');
    assert.equal(store.get(request, collaborationId)?.status, 'error', 'the cache says error, not loading');
    assert.equal((await store.load(request, collaborationId, { refresh: true })).status, 'error');
    assert.equal(calls('ListSchemas'), 2, 'the second load asked again instead of waiting on the first');
  });
});
