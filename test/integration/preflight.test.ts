import * as assert from 'assert';
import * as path from 'path';
import { CleanRoomsClient } from '@aws-sdk/client-cleanrooms';
import { analyzeStatement } from '../../src/sql/analyze';
import type { Catalog } from '../../src/sql/catalog';
import type { SqlParser } from '../../src/sql/loadSqlParser';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { TEST_CREDENTIALS } from '../fakes/fixtures';
import { endpointRunner, PREFLIGHT_CORPUS, runAgreement, SERVICE_DECIDES } from '../fakes/preflightCorpus';
import { BENCH_CORPUS, RULE_CORPUS } from '../fakes/ruleCorpus';
import { SCHEMA_MEMBERSHIP_IDS, SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';
import { api } from './helpers';

/**
 * The pre-flight check inside the real extension host (VS Code's own Node): the packaged SQL
 * parser bundle loads there, and on the corpus (RULE_CORPUS, PREFLIGHT_CORPUS, BENCH_CORPUS) the
 * pre-flight check, on the catalogs the extension's own SchemaStore (state.schemas) fetches from the
 * local endpoint, agrees with the endpoint running every query (real SDK StartProtectedQuery).
 */
describe('pre-flight check in the extension host', function () {
  this.timeout(60_000);
  let endpoint: CleanRoomsEndpoint;

  before(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 20 });
  });

  after(async () => {
    await endpoint.close();
  });

  it('the packaged parser bundle (dist/sqlparser.js) loads in the host and parses with offsets', () => {
    const root = process.env.CLEANROOMS_TEST_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..');
    const started = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the very file the extension requires lazily, loaded the same way
    const parser = require(path.join(root, 'dist', 'sqlparser.js')) as SqlParser;
    const statements = parser.parse('SELECT w.page FROM "web-visits" w', { locationTracking: true });
    console.log(`dist/sqlparser.js loaded in the extension host in ${Date.now() - started} ms`);
    const from = statements[0].type === 'select' ? statements[0].from?.[0] : undefined;
    assert.deepStrictEqual(from?.type === 'table' ? from.name._location : undefined, { start: 19, end: 31 });
  });

  it('the corpus: the extension\'s analyzer and the local endpoint agree (id | expected | pre-flight got | endpoint got)', async () => {
    const { state } = await api();
    // The profile the harness's AWS home holds; a request of our own, so no setting changes.
    const catalogOf = async (collaborationId: string): Promise<Catalog> => {
      const loaded = await state.schemas.load({ profile: 'cleanrooms-test', region: 'us-east-1', endpoint: endpoint.url, timeoutMs: 10_000 }, collaborationId);
      assert.strictEqual(loaded.status, 'loaded', JSON.stringify(loaded));
      return loaded.status === 'loaded' ? loaded.schemas.catalog : assert.fail();
    };
    const client = new CleanRoomsClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const corpus = [...RULE_CORPUS, ...PREFLIGHT_CORPUS, ...SERVICE_DECIDES.map((q) => ({ ...q, expect: 'service' as const }))];
      const result = await runAgreement(
        [
          { corpus, catalog: await catalogOf(SCHEMA_MEMBERSHIPS.rules.collaborationId), run: endpointRunner(endpoint, client, SCHEMA_MEMBERSHIP_IDS.rules) },
          { corpus: BENCH_CORPUS, catalog: await catalogOf(SCHEMA_MEMBERSHIPS.bench.collaborationId), run: endpointRunner(endpoint, client, SCHEMA_MEMBERSHIP_IDS.bench) },
        ],
        analyzeStatement,
      );
      console.log(`pre-flight corpus in the extension host (${result.total} queries):\n${result.table}`);
      assert.deepStrictEqual(result.mismatches, []);
    } finally {
      client.destroy();
    }
  });
});
