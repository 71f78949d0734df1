/**
 * The pre-flight check against a corpus of valid and invalid queries, on the catalog the local
 * endpoint serves for the rules collaboration (real SDK calls: ListSchemas, BatchGetSchema,
 * BatchGetSchemaAnalysisRule, as the extension makes them): 0 findings on the valid ones, the
 * expected finding on each invalid one. Prints `query | expected | got`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchGetSchemaAnalysisRuleCommand, BatchGetSchemaCommand, CleanRoomsClient, paginateListSchemas, type AnalysisRule, type Schema } from '@aws-sdk/client-cleanrooms';
import { analyzeStatement } from '../../src/sql/analyze';
import { catalogFrom, type Catalog } from '../../src/sql/catalog';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { TEST_CREDENTIALS } from '../fakes/fixtures';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';
import { PREFLIGHT_CORPUS } from './preflightCorpus';

async function fetchCatalog(client: CleanRoomsClient, collaborationId: string): Promise<Catalog> {
  const names: string[] = [];
  for await (const page of paginateListSchemas({ client }, { collaborationIdentifier: collaborationId })) {
    names.push(...(page.schemaSummaries ?? []).flatMap((s) => (s.name ? [s.name] : [])));
  }
  const schemas: Schema[] = [];
  const rules: AnalysisRule[] = [];
  for (let i = 0; i < names.length; i += 25) {
    const batch = (await client.send(new BatchGetSchemaCommand({ collaborationIdentifier: collaborationId, names: names.slice(i, i + 25) }))).schemas ?? [];
    schemas.push(...batch);
  }
  const requests = schemas.flatMap((s) => (s.analysisRuleTypes ?? []).map((type) => ({ name: s.name, type })));
  for (let i = 0; i < requests.length; i += 25) {
    rules.push(...((await client.send(new BatchGetSchemaAnalysisRuleCommand({ collaborationIdentifier: collaborationId, schemaAnalysisRuleRequests: requests.slice(i, i + 25) }))).analysisRules ?? []));
  }
  return catalogFrom(
    collaborationId,
    schemas.map((schema) => ({ schema, rules: rules.filter((r) => r.name === schema.name) })),
  );
}

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
    const rows: { id: string; expected: string; got: string; ok: boolean }[] = [];
    for (const q of PREFLIGHT_CORPUS) {
      const check = await analyzeStatement(q.sql, catalog);
      const codes = check.findings.map((f) => f.code);
      const ok = check.parsed && (q.expect === null ? codes.length === 0 : codes.includes(q.expect));
      rows.push({ id: q.id, expected: q.expect ?? '(none)', got: check.parsed ? codes.join(', ') || '(none)' : '(did not parse)', ok });
    }
    const width = Math.max(...rows.map((r) => r.id.length));
    const ew = Math.max(...rows.map((r) => r.expected.length));
    console.log(['query'.padEnd(width) + ' | ' + 'expected'.padEnd(ew) + ' | got', ...rows.map((r) => `${r.id.padEnd(width)} | ${r.expected.padEnd(ew)} | ${r.got}${r.ok ? '' : '   <-- MISMATCH'}`)].join('\n'));
    assert.deepEqual(rows.filter((r) => !r.ok).map((r) => r.id), []);
    const covered = new Set(PREFLIGHT_CORPUS.flatMap((q) => (q.expect ? [q.expect] : [])));
    assert.ok(covered.size >= 14, `finding codes covered: ${[...covered].join(', ')}`);
  });
});
