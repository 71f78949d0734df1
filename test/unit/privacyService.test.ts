import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { SchemaStore } from '../../src/model/schemaStore';
import { preflight, PREVIEW_USERS_NOISE } from '../../src/queries/preflight';
import { PROFILES } from '../fakes/awsHome';
import { useAwsHome } from '../fakes/awsHomeSuite';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SAMPLE } from '../fakes/fixtures';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';
import { RULES_DP_BUDGET } from '../fakes/schemaTemplates';

const RULES = SCHEMA_MEMBERSHIPS.rules;

describe('privacy budget calls against the local endpoint (real SDK, SigV4)', () => {
  let endpoint: CleanRoomsEndpoint;
  let service: CleanRoomsService;
  const request = () => ({ profile: PROFILES.test, endpoint: endpoint.url, timeoutMs: 5000 });

  useAwsHome();

  beforeEach(async () => {
    endpoint = await startCleanRoomsEndpoint({ slowMs: 3000 });
    service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), { info: () => undefined, warn: () => undefined });
  });

  afterEach(async () => {
    service.reset();
    await endpoint.close();
  });

  it('ListPrivacyBudgets: the rules membership has its differential-privacy budget; a sample membership has none', async () => {
    const listed = await service.listPrivacyBudgets(request(), RULES.id, 'DIFFERENTIAL_PRIVACY');
    assert.ok(listed.ok, !listed.ok ? listed.failure.title : '');
    assert.equal(listed.value.length, 1);
    const dp = listed.value[0].budget?.differentialPrivacy;
    assert.equal(dp?.epsilon, RULES_DP_BUDGET.epsilon);
    assert.deepEqual(dp?.aggregations, RULES_DP_BUDGET.aggregations);
    assert.ok(listed.value[0].updateTime instanceof Date);
    const none = await service.listPrivacyBudgets(request(), SAMPLE.retailMedia.id, 'DIFFERENTIAL_PRIVACY');
    assert.ok(none.ok);
    assert.deepEqual(none.value, []);
  });

  it('PreviewPrivacyImpact: aggregations per type for valid parameters; a validation failure otherwise', async () => {
    const impact = await service.previewPrivacyImpact(request(), RULES.id, { differentialPrivacy: { epsilon: RULES_DP_BUDGET.epsilon, usersNoisePerQuery: PREVIEW_USERS_NOISE } });
    assert.ok(impact.ok, !impact.ok ? impact.failure.title : '');
    assert.deepEqual(
      impact.value.differentialPrivacy?.aggregations?.map((a) => a.type),
      RULES_DP_BUDGET.aggregations.map((a) => a.type),
    );
    const refused = await service.previewPrivacyImpact(request(), RULES.id, { differentialPrivacy: { epsilon: 99, usersNoisePerQuery: 5 } });
    assert.ok(!refused.ok);
    assert.equal(refused.failure.kind, 'validation');
  });

  it('the run confirmation lines for the rules membership: what the query would use, and the preview', async () => {
    const schemas = new SchemaStore(service);
    const said = await preflight({ schemas, service }, { request: request(), membershipId: RULES.id, collaborationId: RULES.collaborationId, sql: 'SELECT COUNT(user_id) FROM dp_events' });
    const count = RULES_DP_BUDGET.aggregations[0];
    assert.ok(said.lines.includes(`This query would use: 1 of ${count.remainingCount} remaining COUNT aggregations (of ${count.maxCount}).`), said.lines.join('\n'));
    assert.ok(said.lines.some((l) => l.startsWith(`Privacy impact preview (epsilon ${RULES_DP_BUDGET.epsilon}, noise ${PREVIEW_USERS_NOISE} users per query): at most COUNT `)), said.lines.join('\n'));
  });

  it('a membership without budgets (and no differential-privacy tables known) gets no privacy lines', async () => {
    const schemas = new SchemaStore(service);
    const said = await preflight({ schemas, service }, { request: request(), membershipId: SAMPLE.retailMedia.id, collaborationId: SAMPLE.retailMedia.collaborationId, sql: 'SELECT COUNT(DISTINCT hashed_email) FROM campaign_exposures_001' });
    assert.ok(!said.lines.some((l) => l.startsWith('This query would use') || l.startsWith('Privacy impact')), said.lines.join('\n'));
    assert.equal(said.hasWarnings, false);
  });

  it('confirmations off: a clean query is checked against the rules only; the budgets are read when a warning brings the confirmation up', async () => {
    const schemas = new SchemaStore(service);
    const target = { request: request(), membershipId: RULES.id, collaborationId: RULES.collaborationId };
    const privacyCalls = (): string[] => endpoint.requests.filter((r) => r.operation === 'ListPrivacyBudgets' || r.operation === 'PreviewPrivacyImpact').map((r) => r.operation);
    endpoint.resetRequests();
    const clean = await preflight({ schemas, service }, { ...target, sql: 'SELECT COUNT(user_id) FROM dp_events' }, { privacy: 'ifWarnings' });
    assert.equal(clean.rules.kind, 'checked');
    assert.equal(clean.hasWarnings, false);
    assert.deepEqual(privacyCalls(), [], 'nothing asked that nobody would see');
    assert.deepEqual(clean.lines, []);
    const warned = await preflight({ schemas, service }, { ...target, sql: 'SELECT COUNT(user_id), no_such_column FROM dp_events' }, { privacy: 'ifWarnings' });
    assert.equal(warned.hasWarnings, true, warned.lines.join('\n'));
    assert.deepEqual(privacyCalls(), ['ListPrivacyBudgets', 'PreviewPrivacyImpact']);
    assert.ok(warned.lines.some((l) => l.startsWith('Privacy impact preview')), warned.lines.join('\n'));
  });

  it('a pre-flight that throws does not stop the run: the rules are "not checked", no warnings', async () => {
    // The output channel closed under the service: its log throws, and with it every call.
    const broken = () => {
      throw new Error('Channel has been closed');
    };
    const failing = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), { info: broken, warn: broken });
    const said = await preflight(
      { schemas: new SchemaStore(failing), service: failing },
      { request: request(), membershipId: RULES.id, collaborationId: RULES.collaborationId, sql: 'SELECT user_id FROM dp_events' },
    );
    failing.reset();
    assert.equal(said.hasWarnings, false);
    assert.equal(said.rules.kind, 'notChecked');
  });
});
