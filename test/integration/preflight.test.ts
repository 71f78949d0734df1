import * as assert from 'assert';
import * as path from 'path';
import { analyzeStatement } from '../../src/sql/analyze';
import type { SqlParser } from '../../src/sql/loadSqlParser';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';
import { PREFLIGHT_CORPUS, runCorpus } from '../fakes/preflightCorpus';
import { api } from './helpers';

/**
 * The pre-flight check inside the real extension host (VS Code's own Node): the packaged SQL
 * parser bundle loads there, and the rule corpus gives the expected findings on the catalog the
 * extension's own SchemaStore (state.schemas) fetches from the local endpoint for the rules
 * collaboration.
 */
describe('pre-flight check in the extension host', function () {
  this.timeout(60_000);
  let endpoint: CleanRoomsEndpoint;

  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
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
    assert.deepStrictEqual(statements[0]._location, { start: 0, end: 33 });
  });

  it('the rule corpus: 0 findings on valid queries, the expected finding on invalid ones (query | expected | got)', async () => {
    const { state } = await api();
    // The profile the harness's AWS home holds; a request of our own, so no setting changes.
    const loaded = await state.schemas.load({ profile: 'cleanrooms-test', region: 'us-east-1', endpoint: endpoint.url, timeoutMs: 10_000 }, SCHEMA_MEMBERSHIPS.rules.collaborationId);
    assert.strictEqual(loaded.status, 'loaded', JSON.stringify(loaded));
    const catalog = loaded.status === 'loaded' ? loaded.schemas.catalog : assert.fail();
    const result = await runCorpus(PREFLIGHT_CORPUS, catalog, analyzeStatement);
    console.log(`pre-flight corpus (${PREFLIGHT_CORPUS.length} queries):\n${result.table}`);
    assert.deepStrictEqual(result.mismatches, []);
  });
});
