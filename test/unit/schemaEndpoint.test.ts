/**
 * The local endpoint's schema, analysis rule, collaboration template and privacy budget operations,
 * driven by the REAL AWS SDK (every Command sent over loopback, SigV4-signed), and the query engine
 * running queries on the rules collaboration's tables.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetSchemaAnalysisRuleCommand,
  BatchGetSchemaCommand,
  CleanRoomsClient,
  GetCollaborationAnalysisTemplateCommand,
  GetCollaborationCommand,
  GetMembershipCommand,
  GetProtectedQueryCommand,
  GetSchemaAnalysisRuleCommand,
  GetSchemaCommand,
  ListAnalysisTemplatesCommand,
  ListCollaborationAnalysisTemplatesCommand,
  ListConfiguredTableAssociationsCommand,
  ListMembershipsCommand,
  ListPrivacyBudgetsCommand,
  ListSchemasCommand,
  PreviewPrivacyImpactCommand,
  ResourceNotFoundException,
  StartProtectedQueryCommand,
  ValidationException,
  paginateListSchemas,
  type ProtectedQuery,
  type Schema,
} from '@aws-sdk/client-cleanrooms';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { HOSTILE_STRINGS, SAMPLE, SAMPLE_IDS, TEST_CREDENTIALS, associationsFor } from '../fakes/fixtures';
import { RULES_TABLES, SCHEMA_MEMBERSHIPS, SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { BENCH_COLUMN_COUNT, BENCH_TABLE_COUNT, HOSTILE_NAMES, HOSTILE_QUOTED_TABLE, rulesTemplateArn } from '../fakes/schemaCatalog';
import { RULES_DP_BUDGET, RULES_TEMPLATE_NAMES } from '../fakes/schemaTemplates';
import { SAMPLE_QUERY_FILES } from '../fakes/sampleQueries';
import { TABLE_SEEDS } from '../fakes/queryEngine';

const RULES = SCHEMA_MEMBERSHIPS.rules;
const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

type SdkFailure = Error & { $metadata?: { httpStatusCode?: number } };

async function failure(p: Promise<unknown>): Promise<SdkFailure> {
  try {
    await p;
  } catch (e) {
    return e as SdkFailure;
  }
  assert.fail('expected a failure');
}

describe('local endpoint: schemas, analysis rules, templates, privacy budgets (real SDK)', () => {
  let endpoint: CleanRoomsEndpoint;
  let client: CleanRoomsClient;

  before(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 100 });
    client = new CleanRoomsClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await endpoint.close();
  });

  const allSchemas = async (collaborationIdentifier: string, pageSize?: number): Promise<string[]> => {
    const names: string[] = [];
    for await (const page of paginateListSchemas({ client, ...(pageSize ? { pageSize } : {}) }, { collaborationIdentifier })) {
      for (const s of page.schemaSummaries ?? []) names.push(String(s.name));
    }
    return names;
  };

  const run = async (membershipId: string, queryString: string): Promise<ProtectedQuery> => {
    const out = await client.send(new StartProtectedQueryCommand({ type: 'SQL', membershipIdentifier: membershipId, sqlParameters: { queryString } }));
    const id = String(out.protectedQuery?.id);
    const until = Date.now() + 15000;
    for (;;) {
      const got = await client.send(new GetProtectedQueryCommand({ membershipIdentifier: membershipId, protectedQueryIdentifier: id }));
      assert.ok(got.protectedQuery);
      if (TERMINAL.has(String(got.protectedQuery.status)) || Date.now() > until) return got.protectedQuery;
      await new Promise((r) => setTimeout(r, 40));
    }
  };

  it('the schema memberships answer GetMembership and GetCollaboration (SPARK) but stay out of ListMemberships', async () => {
    const got = await client.send(new GetMembershipCommand({ membershipIdentifier: SCHEMA_MEMBERSHIP_IDS.rules }));
    assert.equal(got.membership?.collaborationName, 'Analysis Rules Collaboration');
    assert.deepEqual(got.membership?.memberAbilities, ['CAN_QUERY', 'CAN_RECEIVE_RESULTS']);
    assert.equal(got.membership?.defaultResultConfiguration?.outputConfiguration?.s3?.resultFormat, 'CSV');
    assert.equal(got.membership?.paymentConfiguration?.queryCompute?.isResponsible, true);
    const collab = await client.send(new GetCollaborationCommand({ collaborationIdentifier: RULES.collaborationId }));
    assert.equal(collab.collaboration?.analyticsEngine, 'SPARK');
    const listed = await client.send(new ListMembershipsCommand({}));
    const ids = (listed.membershipSummaries ?? []).map((m) => m.id);
    assert.ok(!ids.includes(SCHEMA_MEMBERSHIP_IDS.rules));
    assert.deepEqual(ids, SAMPLE_IDS.filter((id) => ids.includes(id)));
    const assoc = await client.send(new ListConfiguredTableAssociationsCommand({ membershipIdentifier: RULES.id }));
    assert.deepEqual((assoc.configuredTableAssociationSummaries ?? []).map((a) => a.name).sort(), Object.values(RULES_TABLES).sort());
    const own = await client.send(new ListAnalysisTemplatesCommand({ membershipIdentifier: RULES.id }));
    assert.deepEqual(own.analysisTemplateSummaries?.map((t) => t.name), [RULES_TEMPLATE_NAMES.dpEventCounts], 'the one collaboration template we created');
  });

  it('ListSchemas pages the rules collaboration (every RULES_TABLES name) and filters by schemaType', async () => {
    assert.deepEqual((await allSchemas(RULES.collaborationId, 4)).sort(), Object.values(RULES_TABLES).sort());
    const first = await client.send(new ListSchemasCommand({ collaborationIdentifier: RULES.collaborationId, maxResults: 4 }));
    assert.equal(first.schemaSummaries?.length, 4);
    assert.ok(first.nextToken);
    assert.ok(first.schemaSummaries?.[0].createTime instanceof Date);
    const idMapping = await client.send(new ListSchemasCommand({ collaborationIdentifier: RULES.collaborationId, schemaType: 'ID_MAPPING_TABLE' }));
    assert.deepEqual(idMapping.schemaSummaries, []);
    const bad = await failure(client.send(new ListSchemasCommand({ collaborationIdentifier: RULES.collaborationId, schemaType: 'VIEW' as 'TABLE' })));
    assert.ok(bad instanceof ValidationException, bad.name);
    const badToken = await failure(client.send(new ListSchemasCommand({ collaborationIdentifier: RULES.collaborationId, nextToken: 'forged' })));
    assert.ok(badToken instanceof ValidationException, badToken.name);
  });

  it('every sample membership with associations has one schema per association, with the seed columns and its rule types', async () => {
    const names = await allSchemas(SAMPLE.retailMedia.collaborationId);
    assert.deepEqual(names, associationsFor(SAMPLE.retailMedia).map((a) => a.name));
    const got = await client.send(new GetSchemaCommand({ collaborationIdentifier: SAMPLE.ctvReach.collaborationId, name: 'campaign_exposures' }));
    assert.deepEqual(got.schema?.columns?.map((c) => c.name), TABLE_SEEDS.campaign_exposures.columns.map(([n]) => n));
    assert.deepEqual(got.schema?.analysisRuleTypes, ['AGGREGATION']);
    const rule = await client.send(new GetSchemaAnalysisRuleCommand({ collaborationIdentifier: SAMPLE.ctvReach.collaborationId, name: 'campaign_exposures', type: 'AGGREGATION' }));
    const agg = rule.analysisRule?.policy?.v1?.aggregation;
    assert.deepEqual(agg?.joinColumns, ['hashed_email']);
    assert.deepEqual(agg?.outputConstraints, [{ columnName: 'hashed_email', minimum: 3, type: 'COUNT_DISTINCT' }]);
    assert.ok(agg?.scalarFunctions?.includes('COALESCE'));
    const custom = await client.send(new GetSchemaAnalysisRuleCommand({ collaborationIdentifier: SAMPLE.ctvReach.collaborationId, name: 'store_visits', type: 'CUSTOM' }));
    assert.deepEqual(custom.analysisRule?.policy?.v1?.custom?.allowedAnalyses, ['ANY_QUERY']);
  });

  it('GetSchema: columns, partition keys, description, READY / NOT_READY with reasons; 404 for an unknown name', async () => {
    const get = async (name: string): Promise<Schema> => {
      const out = await client.send(new GetSchemaCommand({ collaborationIdentifier: RULES.collaborationId, name }));
      assert.ok(out.schema);
      return out.schema;
    };
    const ads = await get(RULES_TABLES.aggregation);
    assert.deepEqual(ads.partitionKeys, [{ name: 'impression_date', type: 'date' }]);
    assert.ok(ads.columns?.some((c) => c.name === 'hashed_email' && c.type === 'string'));
    assert.ok(ads.description);
    assert.deepEqual(ads.schemaStatusDetails?.map((d) => d.status), ['READY']);
    const pending = await get(RULES_TABLES.notReady);
    assert.equal(pending.schemaStatusDetails?.[0].status, 'NOT_READY');
    assert.deepEqual(pending.schemaStatusDetails?.[0].reasons?.map((r) => r.code), ['COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED', 'RESULT_RECEIVERS_NOT_CONFIGURED']);
    const raw = await get(RULES_TABLES.noRule);
    assert.deepEqual(raw.analysisRuleTypes, []);
    assert.equal(raw.schemaStatusDetails?.[0].reasons?.[0].code, 'ANALYSIS_RULE_MISSING');
    assert.equal((await get(RULES_TABLES.quoted)).name, 'web-visits');
    assert.equal((await get(RULES_TABLES.reserved)).name, 'order');
    const missing = await failure(get('no_such_table'));
    assert.ok(missing instanceof ResourceNotFoundException, missing.name);
    assert.equal(missing.$metadata?.httpStatusCode, 404);
    const otherCollab = await failure(client.send(new GetSchemaCommand({ collaborationIdentifier: '00000000-0000-4000-8000-000000000000', name: 'x' })));
    assert.ok(otherCollab instanceof ResourceNotFoundException);
  });

  it('BatchGetSchema returns the known names and an error per unknown one; 1..25 names', async () => {
    const out = await client.send(new BatchGetSchemaCommand({ collaborationIdentifier: RULES.collaborationId, names: [RULES_TABLES.list, 'nope', RULES_TABLES.custom] }));
    assert.deepEqual(out.schemas?.map((s) => s.name), [RULES_TABLES.list, RULES_TABLES.custom]);
    assert.deepEqual(out.errors, [{ name: 'nope', code: 'ResourceNotFoundException', message: 'Schema nope not found.' }]);
    const empty = await failure(client.send(new BatchGetSchemaCommand({ collaborationIdentifier: RULES.collaborationId, names: [] })));
    assert.ok(empty instanceof ValidationException);
    const many = await failure(client.send(new BatchGetSchemaCommand({ collaborationIdentifier: RULES.collaborationId, names: Array.from({ length: 26 }, (_, i) => `t${i}`) })));
    assert.ok(many instanceof ValidationException);
  });

  it('analysis rules: every rule shape, one by one and in a batch with errors', async () => {
    const rule = async (name: string, type: 'AGGREGATION' | 'LIST' | 'CUSTOM') =>
      (await client.send(new GetSchemaAnalysisRuleCommand({ collaborationIdentifier: RULES.collaborationId, name, type }))).analysisRule?.policy?.v1;
    const ads = (await rule(RULES_TABLES.aggregation, 'AGGREGATION'))?.aggregation;
    assert.deepEqual(ads?.allowedJoinOperators, ['AND']);
    assert.ok(ads?.scalarFunctions?.includes('ROUND'));
    assert.ok(!ads?.scalarFunctions?.includes('SQRT'));
    const purchases = (await rule(RULES_TABLES.aggregationJoin, 'AGGREGATION'))?.aggregation;
    assert.equal(purchases?.joinRequired, 'QUERY_RUNNER');
    assert.deepEqual(purchases?.allowedJoinOperators, ['AND', 'OR']);
    assert.deepEqual((await rule(RULES_TABLES.list, 'LIST'))?.list?.joinColumns, ['hashed_email']);
    assert.deepEqual((await rule(RULES_TABLES.custom, 'CUSTOM'))?.custom?.disallowedOutputColumns, ['hashed_email', 'income_band']);
    assert.deepEqual((await rule(RULES_TABLES.templatesOnly, 'CUSTOM'))?.custom?.allowedAnalyses, [rulesTemplateArn(0), rulesTemplateArn(1)]);
    assert.deepEqual((await rule(RULES_TABLES.differentialPrivacy, 'CUSTOM'))?.custom?.differentialPrivacy, { columns: [{ name: 'user_id' }] });
    const wrongType = await failure(rule(RULES_TABLES.list, 'AGGREGATION'));
    assert.ok(wrongType instanceof ResourceNotFoundException, wrongType.name);

    const batch = await client.send(
      new BatchGetSchemaAnalysisRuleCommand({
        collaborationIdentifier: RULES.collaborationId,
        schemaAnalysisRuleRequests: [
          { name: RULES_TABLES.aggregation, type: 'AGGREGATION' },
          { name: RULES_TABLES.list, type: 'LIST' },
          { name: RULES_TABLES.noRule, type: 'CUSTOM' },
          { name: 'ghost', type: 'LIST' },
        ],
      }),
    );
    assert.deepEqual(batch.analysisRules?.map((r) => [r.name, r.type]), [[RULES_TABLES.aggregation, 'AGGREGATION'], [RULES_TABLES.list, 'LIST']]);
    assert.ok(batch.analysisRules?.[0].createTime instanceof Date);
    assert.deepEqual(batch.errors?.map((e) => [e.name, e.type, e.code]), [[RULES_TABLES.noRule, 'CUSTOM', 'ResourceNotFoundException'], ['ghost', 'LIST', 'ResourceNotFoundException']]);
    const badType = await failure(client.send(new BatchGetSchemaAnalysisRuleCommand({ collaborationIdentifier: RULES.collaborationId, schemaAnalysisRuleRequests: [{ name: 'x', type: 'NOPE' as 'LIST' }] })));
    assert.ok(badType instanceof ValidationException);
  });

  it('collaboration analysis templates: list, get by (URL-encoded) ARN with parameters of every type, validations, PYSPARK; 404 and 400', async () => {
    const list = await client.send(new ListCollaborationAnalysisTemplatesCommand({ collaborationIdentifier: RULES.collaborationId }));
    const names = (list.collaborationAnalysisTemplateSummaries ?? []).map((t) => t.name);
    assert.deepEqual(names, Object.values(RULES_TEMPLATE_NAMES));
    const types = new Set<string>();
    let withDefault = 0;
    let withoutDefault = 0;
    const formats = new Set<string>();
    const statuses = new Set<string>();
    for (const s of list.collaborationAnalysisTemplateSummaries ?? []) {
      const got = await client.send(new GetCollaborationAnalysisTemplateCommand({ collaborationIdentifier: RULES.collaborationId, analysisTemplateArn: String(s.arn) }));
      const t = got.collaborationAnalysisTemplate;
      assert.ok(t);
      assert.equal(t.arn, s.arn);
      assert.ok(t.createTime instanceof Date && t.creatorAccountId && t.schema?.referencedTables?.length);
      formats.add(String(t.format));
      for (const p of t.analysisParameters ?? []) {
        types.add(String(p.type));
        if (p.defaultValue === undefined) withoutDefault++;
        else withDefault++;
        if (t.source?.text !== undefined) assert.ok(t.source.text.includes(`:${p.name}`), `${t.name} uses :${p.name}`);
      }
      for (const v of t.validations ?? []) statuses.add(String(v.status));
      if (t.format === 'PYSPARK_1_0') assert.ok(t.source?.artifacts?.entryPoint?.location?.key);
    }
    for (const ty of ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE', 'DATE', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR', 'STRING']) assert.ok(types.has(ty), ty);
    assert.ok(withDefault > 0 && withoutDefault > 0);
    assert.deepEqual([...formats].sort(), ['PYSPARK_1_0', 'SQL']);
    assert.deepEqual([...statuses].sort(), ['INVALID', 'VALID']);

    const ctv = await client.send(new ListCollaborationAnalysisTemplatesCommand({ collaborationIdentifier: SAMPLE.ctvReach.collaborationId }));
    assert.deepEqual(ctv.collaborationAnalysisTemplateSummaries?.map((t) => t.name), ['dedup_reach', 'frequency_distribution']);
    const unknown = rulesTemplateArn(0).replace(/[0-9a-f]{4}$/, '0000');
    const missing = await failure(client.send(new GetCollaborationAnalysisTemplateCommand({ collaborationIdentifier: RULES.collaborationId, analysisTemplateArn: unknown })));
    assert.ok(missing instanceof ResourceNotFoundException, missing.name);
    const bad = await failure(client.send(new GetCollaborationAnalysisTemplateCommand({ collaborationIdentifier: RULES.collaborationId, analysisTemplateArn: 'not-an-arn' })));
    assert.ok(bad instanceof ValidationException, bad.name);
  });

  it('privacy budgets: the DIFFERENTIAL_PRIVACY budget of the rules membership; privacyBudgetType is required', async () => {
    const out = await client.send(new ListPrivacyBudgetsCommand({ membershipIdentifier: RULES.id, privacyBudgetType: 'DIFFERENTIAL_PRIVACY' }));
    assert.equal(out.privacyBudgetSummaries?.length, 1);
    const b = out.privacyBudgetSummaries?.[0];
    assert.equal(b?.type, 'DIFFERENTIAL_PRIVACY');
    assert.equal(b?.membershipId, RULES.id);
    assert.equal(b?.budget?.differentialPrivacy?.epsilon, RULES_DP_BUDGET.epsilon);
    assert.deepEqual(b?.budget?.differentialPrivacy?.aggregations?.map((a) => a.type), ['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'STDDEV']);
    const access = await client.send(new ListPrivacyBudgetsCommand({ membershipIdentifier: RULES.id, privacyBudgetType: 'ACCESS_BUDGET' }));
    assert.deepEqual(access.privacyBudgetSummaries, []);
    const ctv = await client.send(new ListPrivacyBudgetsCommand({ membershipIdentifier: SAMPLE.ctvReach.id, privacyBudgetType: 'DIFFERENTIAL_PRIVACY' }));
    assert.deepEqual(ctv.privacyBudgetSummaries, []);
    const bad = await failure(client.send(new ListPrivacyBudgetsCommand({ membershipIdentifier: RULES.id, privacyBudgetType: 'NOPE' as 'ACCESS_BUDGET' })));
    assert.ok(bad instanceof ValidationException);
  });

  it('PreviewPrivacyImpact: an impact per aggregation type that grows with epsilon; ValidationException for bad or missing parameters', async () => {
    const preview = async (epsilon: number, usersNoisePerQuery: number) =>
      (await client.send(new PreviewPrivacyImpactCommand({ membershipIdentifier: RULES.id, parameters: { differentialPrivacy: { epsilon, usersNoisePerQuery } } }))).privacyImpact?.differentialPrivacy?.aggregations;
    const low = await preview(2, 30);
    const high = await preview(8, 30);
    assert.deepEqual(low?.map((a) => a.type), ['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'STDDEV']);
    assert.ok((high?.[0].maxCount ?? 0) > (low?.[0].maxCount ?? 0));
    assert.ok((await failure(preview(0, 30))) instanceof ValidationException);
    assert.ok((await failure(preview(3, 500))) instanceof ValidationException);
    const noDp = await failure(client.send(new PreviewPrivacyImpactCommand({ membershipIdentifier: RULES.id, parameters: { $unknown: ['other', {}] } as never })));
    assert.ok(noDp instanceof ValidationException, noDp.name);
    const noBudget = await failure(client.send(new PreviewPrivacyImpactCommand({ membershipIdentifier: SAMPLE.ctvReach.id, parameters: { differentialPrivacy: { epsilon: 2, usersNoisePerQuery: 30 } } })));
    assert.ok(noBudget instanceof ValidationException, noBudget.name);
  });

  it('the benchmark collaboration has 100 tables x 200 columns; the hostile one serves hostile names and descriptions', async () => {
    const bench = await allSchemas(SCHEMA_MEMBERSHIPS.bench.collaborationId);
    assert.equal(bench.length, BENCH_TABLE_COUNT);
    const some = await client.send(new BatchGetSchemaCommand({ collaborationIdentifier: SCHEMA_MEMBERSHIPS.bench.collaborationId, names: bench.slice(0, 25) }));
    assert.equal(some.schemas?.length, 25);
    for (const s of some.schemas ?? []) assert.equal(s.columns?.length, BENCH_COLUMN_COUNT);

    const hostile = await allSchemas(SCHEMA_MEMBERSHIPS.hostile.collaborationId);
    assert.deepEqual(hostile, [...HOSTILE_NAMES, HOSTILE_QUOTED_TABLE]);
    for (const name of HOSTILE_NAMES.slice(0, 8)) {
      const got = await client.send(new GetSchemaCommand({ collaborationIdentifier: SCHEMA_MEMBERSHIPS.hostile.collaborationId, name }));
      assert.equal(got.schema?.name, name);
      assert.ok(HOSTILE_STRINGS.includes(String(got.schema?.description)));
    }
    const templates = await client.send(new ListCollaborationAnalysisTemplatesCommand({ collaborationIdentifier: SCHEMA_MEMBERSHIPS.hostile.collaborationId }));
    assert.ok((templates.collaborationAnalysisTemplateSummaries ?? []).every((t) => HOSTILE_STRINGS.includes(String(t.name))));
  });

  it('queries run on the rules tables (quoted and reserved names too), and the demo queries still do', async () => {
    const ok = [
      `SELECT channel, COUNT(DISTINCT hashed_email) AS people, SUM(spend) AS spend FROM ${RULES_TABLES.aggregation} GROUP BY channel`,
      'SELECT page, COUNT(DISTINCT hashed_email) AS people FROM "web-visits" GROUP BY page',
      'SELECT status, SUM(total) AS total, COUNT(DISTINCT hashed_email) AS people FROM "order" GROUP BY status',
      `SELECT c.city, l.member_tier FROM ${RULES_TABLES.list} c JOIN ${RULES_TABLES.listJoin} l ON c.hashed_email = l.hashed_email`,
      `SELECT region, AVG(lifetime_value) AS ltv FROM ${RULES_TABLES.custom} GROUP BY region`,
    ];
    for (const sql of ok) {
      const pq = await run(RULES.id, sql);
      assert.equal(pq.status, 'SUCCESS', `${sql}: ${JSON.stringify(pq.error)}`);
    }
    const noRule = await run(RULES.id, `SELECT payload FROM ${RULES_TABLES.noRule}`);
    assert.equal(noRule.status, 'FAILED');
    assert.equal(noRule.error?.code, 'ANALYSIS_RULE_VIOLATION');
    const ctv = SAMPLE_QUERY_FILES.find((f) => f.membershipId === SAMPLE.ctvReach.id);
    assert.ok(ctv);
    const results = [];
    for (const sql of ctv.statements) results.push((await run(SAMPLE.ctvReach.id, sql)).status);
    assert.deepEqual(results, ['SUCCESS', 'SUCCESS', 'FAILED']);
  });
});
