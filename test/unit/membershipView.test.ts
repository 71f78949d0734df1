import { CleanRoomsClient, GetMembershipCommand, type Membership } from '@aws-sdk/client-cleanrooms';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fieldLabel, membershipJson, membershipViewModel, recordViewModel, type MembershipViewModel, type ViewValue } from '../../src/views/membershipView';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { FAULT_IDS, HOSTILE_IDS, HOSTILE_STRINGS, SAMPLE_MEMBERSHIPS, TEST_CREDENTIALS, type WireMembership } from '../fakes/fixtures';
import { collaborationFields, describeRecord } from '../../src/views/treeRows';
import { humanize, safeJson, statusWords, shortText, visibleText, wireText } from '../../src/util/text';
import {
  conformCollaborationAnalysisTemplateSummary,
  conformCollaboration,
  conformConfiguredTableAssociationSummary,
  conformMembership,
  conformProtectedQuerySummary,
} from '../../src/aws/conform';

/** Records reach the views conformed, as the service hands them over. */
function must<T>(record: T | undefined): T {
  assert.ok(record);
  return record;
}

function row(view: MembershipViewModel, section: string, label: string): ViewValue {
  const s = view.sections.find((x) => x.title === section);
  assert.ok(s, `section ${section}`);
  const r = s.rows.find((x) => x.label === label);
  assert.ok(r, `row ${section} / ${label}`);
  return r.value;
}

function expectText(value: ViewValue, text: string | undefined): void {
  if (text === undefined) {
    assert.equal(value.kind, 'notSet');
  } else {
    assert.equal(value.kind === 'text' && value.text, visibleText(text));
  }
}

function expectBool(value: ViewValue, b: boolean | undefined): void {
  if (b === undefined) {
    assert.equal(value.kind, 'notSet');
  } else {
    assert.equal(value.kind === 'bool' && value.value, b);
  }
}

describe('membership view model, from what the real SDK parses', () => {
  let endpoint: CleanRoomsEndpoint;
  let client: CleanRoomsClient;
  const fetch = async (id: string): Promise<Membership> => {
    const out = await client.send(new GetMembershipCommand({ membershipIdentifier: id }));
    assert.ok(out.membership);
    return must(conformMembership(out.membership));
  };

  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
    client = new CleanRoomsClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('renders every field of every sample, marking absent optional fields as not set', async () => {
    for (const wire of SAMPLE_MEMBERSHIPS as WireMembership[]) {
      const view = membershipViewModel(await fetch(wire.id));
      expectText(row(view, 'Membership', 'Membership ID'), wire.id);
      expectText(row(view, 'Membership', 'Membership ARN'), wire.arn);
      assert.deepEqual(row(view, 'Membership', 'Status'), { kind: 'badge', text: statusWords(wire.status), tone: wire.status === 'ACTIVE' ? 'ok' : wire.status === 'REMOVED' ? 'warn' : 'bad' });
      assert.deepEqual(row(view, 'Membership', 'Created'), { kind: 'time', iso: new Date(wire.createTime * 1000).toISOString() });
      assert.deepEqual(row(view, 'Membership', 'Updated'), { kind: 'time', iso: new Date(wire.updateTime * 1000).toISOString() });
      expectBool(row(view, 'Membership', 'Metrics enabled'), wire.isMetricsEnabled);
      expectText(row(view, 'Collaboration', 'Name'), wire.collaborationName);
      expectText(row(view, 'Collaboration', 'Collaboration ID'), wire.collaborationId);
      expectText(row(view, 'Collaboration', 'Collaboration ARN'), wire.collaborationArn);
      expectText(row(view, 'Collaboration', 'Creator'), wire.collaborationCreatorDisplayName);
      expectText(row(view, 'Collaboration', 'Creator account ID'), wire.collaborationCreatorAccountId);
      assert.deepEqual(row(view, 'Abilities', 'Member abilities'), { kind: 'list', items: wire.memberAbilities.map(humanize) });
      const ml = wire.mlMemberAbilities?.customMLMemberAbilities;
      assert.deepEqual(row(view, 'Abilities', 'ML member abilities'), ml ? { kind: 'list', items: ml.map(humanize) } : { kind: 'notSet' });
      assert.equal(row(view, 'Logging', 'Query logs').kind, 'badge');
      assert.equal(row(view, 'Logging', 'Job logs').kind, wire.jobLogStatus === undefined ? 'notSet' : 'badge');
      const result = wire.defaultResultConfiguration;
      if (!result) {
        assert.equal(row(view, 'Default result configuration', 'Configuration').kind, 'notSet');
      } else {
        const s3 = result.outputConfiguration.s3;
        assert.ok(s3);
        expectText(row(view, 'Default result configuration', 'Bucket'), s3.bucket);
        expectText(row(view, 'Default result configuration', 'Key prefix'), s3.keyPrefix);
        expectText(row(view, 'Default result configuration', 'Result format'), s3.resultFormat);
        expectBool(row(view, 'Default result configuration', 'Single file output'), s3.singleFileOutput);
        expectText(row(view, 'Default result configuration', 'Role ARN'), result.roleArn);
      }
      const job = wire.defaultJobResultConfiguration;
      if (!job) {
        assert.equal(row(view, 'Default job result configuration', 'Configuration').kind, 'notSet');
      } else {
        expectText(row(view, 'Default job result configuration', 'Bucket'), job.outputConfiguration.s3?.bucket);
        expectText(row(view, 'Default job result configuration', 'Key prefix'), job.outputConfiguration.s3?.keyPrefix);
        expectText(row(view, 'Default job result configuration', 'Role ARN'), job.roleArn);
      }
      const pay = wire.paymentConfiguration;
      expectBool(row(view, 'Payment', 'Query compute'), pay.queryCompute.isResponsible);
      expectBool(row(view, 'Payment', 'ML model training'), pay.machineLearning?.modelTraining?.isResponsible);
      expectBool(row(view, 'Payment', 'ML model inference'), pay.machineLearning?.modelInference?.isResponsible);
      expectBool(row(view, 'Payment', 'Synthetic data generation'), pay.machineLearning?.syntheticDataGeneration?.isResponsible);
      expectBool(row(view, 'Payment', 'Job compute'), pay.jobCompute?.isResponsible);
      assert.ok(!view.sections.some((s) => s.title === 'Other fields'));
    }
  });

  it('shows an unknown union member by name and value instead of dropping it', async () => {
    const view = membershipViewModel(await fetch(FAULT_IDS.unknownUnion));
    const output = row(view, 'Default result configuration', 'Output');
    assert.equal(output.kind, 'unknown');
    assert.ok(output.kind === 'unknown' && output.name.length > 0 && output.json.length > 2);
  });

  it('makes hostile strings visible and inert', async () => {
    for (const [i, id] of HOSTILE_IDS.entries()) {
      const view = membershipViewModel(await fetch(id));
      const name = row(view, 'Collaboration', 'Name');
      assert.equal(name.kind, 'text');
      if (name.kind === 'text') {
        // Invisible and direction controls show as escapes; the rest is kept as plain text.
        // eslint-disable-next-line no-control-regex -- control characters are what must not survive
        assert.doesNotMatch(name.text, /[\u0000-\u0008\u200b-\u200f\u202a-\u202e\u2066-\u2069]/, `hostile ${i}`);
        assert.ok(name.text.length <= 20_100);
        // eslint-disable-next-line no-control-regex -- strings holding control characters are shown escaped
        if (!/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/.test(HOSTILE_STRINGS[i]) && HOSTILE_STRINGS[i].length < 20_000) {
          assert.equal(name.text, HOSTILE_STRINGS[i]);
        }
      }
    }
  });

  it('keeps fields a newer SDK would add, and ISO dates in the raw JSON', () => {
    const m = { id: 'x', createTime: new Date(0), futureField: { a: 1 } } as unknown as Membership;
    const view = membershipViewModel(m);
    const other = view.sections.find((s) => s.title === 'Other fields');
    assert.ok(other);
    assert.equal(other.rows[0].label, 'futureField');
    assert.match(membershipJson(m, 'req-1'), /"createTime": "1970-01-01T00:00:00.000Z"[\s\S]*"requestId": "req-1"/);
  });

  it('visibleText escapes bidi controls, shortText cuts with an ellipsis, humanize words enum values', () => {
    assert.equal(visibleText('a\u202Eb'), 'a\\u{202E}b');
    assert.equal(shortText('x'.repeat(500), 10), `${'x'.repeat(9)}…`);
    assert.equal(humanize('CAN_RECEIVE_RESULTS'), 'Can receive results');
  });
});

describe('record labels from untrusted field names', () => {
  it('prototype names and API field names become plain labels', () => {
    assert.equal(fieldLabel('constructor'), 'Constructor');
    assert.equal(fieldLabel('__proto__'), '__proto__');
    assert.equal(fieldLabel('collaborationArn'), 'Collaboration ARN');
    assert.equal(fieldLabel('accountId'), 'Account ID');
  });

  it('a generic record view shows nested objects as their own sections', () => {
    const view = recordViewModel('Member', 'Acme', { accountId: '111122223333', createTime: new Date(0), abilities: ['CAN_QUERY'], paymentConfiguration: { queryCompute: { isResponsible: true } } });
    assert.deepEqual(view.sections.map((s) => s.title), ['Member', 'Payment configuration', 'Identifiers']);
    assert.equal(view.id, '111122223333');
    assert.deepEqual(view.sections[0].rows.map((r) => r.label), ['Abilities', 'Create time']);
    assert.deepEqual(view.sections[2].rows.map((r) => r.label), ['Account ID']);
  });

  it('a record view reads name, status and description first, then the rest, times, and IDs and ARNs last', () => {
    // Field order as ListProtectedQueries / ListMembers send them: identifiers first.
    const query = recordViewModel('Protected query', 'q', {
      id: 'q-1',
      membershipId: 'm-1',
      membershipArn: 'arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1',
      createTime: new Date(0),
      status: 'FAILED',
      analysisType: 'DIRECT_ANALYSIS',
    });
    assert.deepEqual(query.sections.map((s) => [s.title, s.rows.map((r) => r.label)]), [
      ['Protected query', ['Status', 'Analysis type', 'Create time']],
      ['Identifiers', ['ID', 'Membership ID', 'Membership ARN']],
    ]);
    const template = recordViewModel('Analysis template', 't', {
      arn: 'arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/analysistemplate/t-1',
      updateTime: new Date(1),
      id: 't-1',
      description: 'Lift by week',
      name: 'lift',
      createTime: new Date(0),
      isSyntheticData: false,
      collaborationArn: 'arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c-1',
      collaborationId: 'c-1',
    });
    assert.deepEqual(template.sections[0].rows.map((r) => r.label), ['Name', 'Description', 'Is synthetic data', 'Update time', 'Create time']);
    assert.deepEqual(template.sections[1].rows.map((r) => r.label), ['ID', 'Collaboration ID', 'ARN', 'Collaboration ARN']);
    assert.equal(template.arn, 'arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/analysistemplate/t-1', 'Copy ARN still offered');
  });

  it('status badges are coloured by meaning: failed red, success and active green, running blue, cancelled and timed out amber', () => {
    const tone = (status: string): ViewValue => recordViewModel('Protected query', 'q', { status }).sections[0].rows[0].value;
    // Badges read as words (one humanizer everywhere); the tone follows the raw value.
    assert.deepEqual(tone('FAILED'), { kind: 'badge', text: 'Failed', tone: 'bad' });
    assert.deepEqual(tone('SUCCESS'), { kind: 'badge', text: 'Success', tone: 'ok' });
    assert.deepEqual(tone('ACTIVE'), { kind: 'badge', text: 'Active', tone: 'ok' });
    for (const running of ['SUBMITTED', 'STARTED', 'CANCELLING']) assert.deepEqual(tone(running), { kind: 'badge', text: statusWords(running), tone: 'info' });
    for (const stopped of ['CANCELLED', 'TIMED_OUT']) assert.deepEqual(tone(stopped), { kind: 'badge', text: statusWords(stopped), tone: 'warn' });
    assert.deepEqual(tone('SOMETHING_NEW'), { kind: 'badge', text: 'Something new', tone: 'neutral' });
  });

  it('structured values are fields: nested objects as labelled fields, lists of objects as titled groups, JSON as a second way for deep ones', () => {
    const receivers = [
      { analysisType: 'DIRECT_ANALYSIS', configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: ['111122223333'] } } },
      { analysisType: 'ADDITIONAL_ANALYSIS' },
    ];
    const view = recordViewModel('Protected query', 'q', {
      id: 'q-1',
      status: 'SUCCESS',
      receiverConfigurations: receivers,
      statistics: { totalDurationInMillis: 1200, billedResourceUtilization: { units: 2 } },
    });
    const groups = row(view, 'Protected query', 'Receiver configurations');
    assert.equal(groups.kind, 'records');
    if (groups.kind !== 'records') return;
    assert.deepEqual(groups.items.map((i) => i.title), ['Item 1', 'Item 2']);
    assert.deepEqual(groups.items[0].rows.map((r) => r.label), ['Analysis type', 'Configuration details']);
    // An enumeration reads as words, as statuses do; names stay as written.
    assert.deepEqual(groups.items[0].rows[0].value, { kind: 'text', text: 'Direct analysis', mono: undefined, copy: undefined });
    const details = groups.items[0].rows[1].value;
    assert.equal(details.kind, 'fields');
    if (details.kind !== 'fields') return;
    assert.equal(details.json, undefined, 'the JSON is offered once, by the outermost value');
    const direct = details.rows[0].value;
    assert.equal(details.rows[0].label, 'Direct analysis configuration details');
    assert.deepEqual(direct, { kind: 'fields', rows: [{ label: 'Receiver account IDs', value: { kind: 'list', items: ['111122223333'] } }], json: undefined });
    assert.equal(JSON.parse(groups.json ?? 'null').length, 2, 'the deep list is offered as JSON too');
    // A nested object of a nested section: its fields, not only JSON.
    const billed = row(view, 'Statistics', 'Billed resource utilization');
    assert.deepEqual(billed, { kind: 'fields', rows: [{ label: 'Units', value: { kind: 'text', text: '2' } }], json: undefined });
    // Named entries are titled by their name.
    const members = recordViewModel('Collaboration', 'c', { otherMembers: [{ displayName: 'Northwind', accountId: '1' }] });
    const named = row(members, 'Collaboration', 'Other members');
    assert.ok(named.kind === 'records' && named.items[0].title === 'Northwind');
  });

  it('structured values too deep, too long or of mixed kinds stay JSON, and a union member this SDK does not know too', () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    const view = recordViewModel('Analysis template', 't', {
      schema: deep,
      mixed: ['x', { y: 1 }],
      many: Array.from({ length: 40 }, (_, i) => ({ n: i })),
      source: { $unknown: ['newKind', { x: 1 }] },
    });
    const a = row(view, 'Schema', 'A');
    assert.equal(a.kind, 'fields');
    const b = a.kind === 'fields' ? a.rows[0].value : undefined;
    const c = b?.kind === 'fields' ? b.rows[0].value : undefined;
    assert.equal(c?.kind, 'json', 'four levels down: JSON only');
    assert.equal(row(view, 'Analysis template', 'Mixed').kind, 'json');
    assert.equal(row(view, 'Analysis template', 'Many').kind, 'json');
    assert.equal(row(view, 'Analysis template', 'Source').kind, 'json');
  });
});

describe('values no API should send', () => {
  it('JSON of deep nesting, and of objects that refuse to become text, never throws', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 5000; i++) deep = [deep];
    const json = safeJson(deep);
    assert.ok(json.length < 20_000, `cut short (${json.length} chars)`);
    assert.match(json, /nested deeper/);
    const stubborn = { toString: 1, valueOf: 1 };
    assert.equal(safeJson(stubborn, 0), '{"toString":1,"valueOf":1}');
    assert.equal(visibleText(wireText(stubborn)), '{"toString":1,"valueOf":1}');
    const m = membershipViewModel(must(conformMembership({ id: 'x', status: stubborn, memberAbilities: [stubborn], collaborationName: deep })));
    assert.equal(m.title, 'x');
  });

  it('tree rows and collaboration facts keep working with odd types', () => {
    const stubborn = { toString: 1, valueOf: 1 };
    assert.deepEqual(describeRecord('associations', must(conformConfiguredTableAssociationSummary({ name: 'orders', analysisRuleTypes: [stubborn, 'AGGREGATION'] }))), { label: 'orders', description: 'Aggregation' });
    assert.equal(describeRecord('templates', must(conformCollaborationAnalysisTemplateSummary({ name: 't', isSyntheticData: 'false', description: 'd' }))).description, 'd');
    assert.equal(describeRecord('queries', must(conformProtectedQuerySummary({ id: 'q', status: 'SUCCESS', createTime: new Date(1e20) }))).description, 'Success');
    const fields = new Map(collaborationFields(must(conformCollaboration({ name: 42, allowedResultRegions: [stubborn, 'us-east-1'], creatorDisplayName: stubborn }))).map(([label, value]) => [label, value]));
    assert.equal(fields.get('Name'), '42');
    assert.equal(fields.get('Allowed result regions'), '{"toString":1,"valueOf":1}, us-east-1');
    assert.equal(fields.get('Creator'), 'Not set');
  });
});
