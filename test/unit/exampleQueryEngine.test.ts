import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisRule, Schema } from '@aws-sdk/client-cleanrooms';
import { analyzeStatement } from '../../src/sql/analyze';
import { catalogFrom, type TableSchema } from '../../src/sql/catalog';
import { exampleQueries } from '../../src/sql/exampleQuery';
import { runProtectedQuery } from '../fakes/queryEngine';
import { wireAnalysisRule, wireSchema } from '../fakes/schemaApi';
import { queryTablesFor, tableSpecsFor } from '../fakes/schemaCatalog';
import { RULES_TABLES, SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';

const RULES = SCHEMA_MEMBERSHIPS.rules;

/** A schema collaboration's tables as the API returns them (dates as the SDK reads them). */
function tablesOf(membership: typeof RULES = RULES): TableSchema[] {
  return tableSpecsFor(membership).map((spec) => {
    const w = wireSchema(membership, spec);
    const schema: Schema = { ...w, createTime: new Date(w.createTime * 1000), updateTime: new Date(w.updateTime * 1000) };
    const rules: AnalysisRule[] = (schema.analysisRuleTypes ?? []).flatMap((type) => {
      const r = wireAnalysisRule(membership, spec, type);
      return r ? [{ ...r, createTime: new Date(r.createTime * 1000), updateTime: new Date(r.updateTime * 1000) }] : [];
    });
    return { schema, rules };
  });
}

describe('Insert Example Query on the rules collaboration of the local endpoint', () => {
  const catalog = catalogFrom(RULES.collaborationId, tablesOf());
  const examples = exampleQueries(catalog);

  it('builds an example for every table that can be queried directly, and none for the others', () => {
    const tables = new Set(examples.map((e) => e.table));
    for (const name of [RULES_TABLES.aggregation, RULES_TABLES.aggregationJoin, RULES_TABLES.list, RULES_TABLES.listJoin, RULES_TABLES.custom, RULES_TABLES.quoted, RULES_TABLES.reserved]) {
      assert.ok(tables.has(name), `an example for ${name}`);
    }
    for (const name of [RULES_TABLES.templatesOnly, RULES_TABLES.notReady, RULES_TABLES.noRule]) {
      assert.ok(!tables.has(name), `no example for ${name}`);
    }
  });

  it('every example passes the pre-flight check with 0 findings', async () => {
    const flagged: string[] = [];
    for (const example of examples) {
      const check = await analyzeStatement(example.sql, catalog);
      assert.ok(check.parsed, `parsed: ${example.sql}`);
      flagged.push(...check.findings.map((f) => `${example.table}: ${f.code} ${f.message}`));
    }
    assert.deepEqual(flagged, []);
  });

  it('the examples of the hostile collaboration (names that need quoting, markup, quotes) pass the pre-flight check too', async () => {
    const hostile = catalogFrom(SCHEMA_MEMBERSHIPS.hostile.collaborationId, tablesOf(SCHEMA_MEMBERSHIPS.hostile));
    const all = exampleQueries(hostile);
    assert.ok(all.length > 0);
    const flagged: string[] = [];
    for (const example of all) {
      const check = await analyzeStatement(example.sql, hostile);
      if (!check.parsed || check.findings.length > 0) {
        flagged.push(`${example.sql}: ${check.parsed ? check.findings.map((f) => f.code).join(', ') : 'not parsed'}`);
      }
    }
    assert.deepEqual(flagged, []);
  });

  it('every example runs on the local engine, which enforces the documented rules', async () => {
    const failures: string[] = [];
    for (const example of examples) {
      const outcome = await runProtectedQuery(example.sql, queryTablesFor(RULES), { format: 'CSV', singleFileOutput: true });
      if (!outcome.ok) {
        failures.push(`${example.table}: ${outcome.code} ${outcome.message}\n${example.sql}`);
      }
    }
    assert.deepEqual(failures, []);
    // The engine is a real judge: the same shape with a join column in the output is refused.
    const refused = await runProtectedQuery(`SELECT hashed_email, COUNT(DISTINCT device_id) FROM ${RULES_TABLES.aggregation} GROUP BY hashed_email`, queryTablesFor(RULES), { format: 'CSV', singleFileOutput: true });
    assert.equal(refused.ok, false);
  });
});
