import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  conformCollaboration,
  conformList,
  conformMembership,
  conformMemberSummary,
  conformProtectedQuery,
  conformProtectedQuerySummary,
  inspect,
  unexpectedAt,
  unexpectedEntries,
} from '../../src/aws/conform';
import { membershipViewModel, recordViewModel, type MembershipViewModel, type ViewValue } from '../../src/views/membershipView';

function must<T>(record: T | undefined): T {
  assert.ok(record);
  return record;
}

function row(view: MembershipViewModel, section: string, label: string): ViewValue {
  const r = view.sections.find((s) => s.title === section)?.rows.find((x) => x.label === label);
  assert.ok(r, `row ${section} / ${label}`);
  return r.value;
}

describe('conforming API records where they arrive', () => {
  it('ProtectedQuery: result, error, statistics and compute conform; wrong types are set aside; unknown union members and map values are kept', () => {
    const pq = must(
      conformProtectedQuery({
        id: 'q-1',
        membershipId: 'm-1',
        membershipArn: 'arn',
        createTime: new Date(5000),
        status: 'SUCCESS',
        sqlParameters: { queryString: 'SELECT 1', parameters: { since: '2024-01-01' } },
        resultConfiguration: { outputConfiguration: { $unknown: ['intermediateTable', { name: 't' }] } },
        statistics: { totalDurationInMillis: '90000', billedResourceUtilization: { units: 0.5 } },
        result: { output: { s3: { location: 7 }, memberList: [{ accountId: '111122223333' }, 'junk'] } },
        error: { code: 'X', message: 'why' },
        computeConfiguration: { worker: { type: 'CR.8X', number: 4, properties: { spark: { 'spark.executor.memory': '4g' } } } },
      }),
    );
    assert.equal(pq.status, 'SUCCESS');
    assert.equal(pq.createTime?.getTime(), 5000);
    assert.deepEqual(pq.sqlParameters?.parameters, { since: '2024-01-01' });
    assert.deepEqual(pq.resultConfiguration?.outputConfiguration, { $unknown: ['intermediateTable', { name: 't' }] });
    assert.equal(pq.statistics?.totalDurationInMillis, undefined);
    assert.equal(pq.statistics?.billedResourceUtilization?.units, 0.5);
    assert.deepEqual(pq.result?.output?.memberList, [{ accountId: '111122223333' }]);
    assert.equal(pq.computeConfiguration?.worker?.type, 'CR.8X', 'an enum value this SDK does not know is still text');
    assert.deepEqual(pq.$unexpected, {
      'statistics.totalDurationInMillis': '90000',
      'result.output.s3.location': 7,
      'result.output.memberList': [{ accountId: '111122223333' }, 'junk'],
    });
  });

  it('sets aside a value of the wrong JSON type, keyed by its field, and keeps the rest', () => {
    const m = must(conformMembership({ id: 'm-1', status: 42, collaborationName: { text: 'x' }, isMetricsEnabled: 'yes', createTime: new Date(0) }));
    assert.equal(m.id, 'm-1');
    assert.equal(m.createTime?.getTime(), 0);
    assert.equal('status' in m, false, 'the typed record holds no wrong-typed status');
    assert.equal(m.collaborationName, undefined);
    assert.equal(m.isMetricsEnabled, undefined);
    assert.deepEqual(m.$unexpected, { status: 42, collaborationName: { text: 'x' }, isMetricsEnabled: 'yes' });
    assert.equal(unexpectedAt(m, 'status'), 42);
    assert.equal(unexpectedAt(m, 'id'), undefined);
  });

  it('a record whose fields all fit has no $unexpected at all', () => {
    const m = must(conformMembership({ id: 'm-1', status: 'ACTIVE', memberAbilities: ['CAN_QUERY'] }));
    assert.equal('$unexpected' in m, false);
    assert.deepEqual(unexpectedEntries(m), []);
  });

  it('checks nested structures and names a nested value by its path', () => {
    const m = must(
      conformMembership({
        defaultResultConfiguration: { roleArn: 'arn:role', outputConfiguration: { s3: { bucket: 5, keyPrefix: 'out/', resultFormat: 'CSV', singleFileOutput: 'no' } } },
        paymentConfiguration: { queryCompute: { isResponsible: 'true' }, machineLearning: 'none' },
        mlMemberAbilities: { customMLMemberAbilities: 'CAN_RECEIVE_MODEL_OUTPUT' },
      }),
    );
    assert.deepEqual(m.defaultResultConfiguration, { roleArn: 'arn:role', outputConfiguration: { s3: { keyPrefix: 'out/', resultFormat: 'CSV' } } });
    assert.deepEqual(m.paymentConfiguration, { queryCompute: {} });
    assert.deepEqual(m.mlMemberAbilities, {});
    assert.deepEqual(m.$unexpected, {
      'defaultResultConfiguration.outputConfiguration.s3.bucket': 5,
      'defaultResultConfiguration.outputConfiguration.s3.singleFileOutput': 'no',
      'paymentConfiguration.queryCompute.isResponsible': 'true',
      'paymentConfiguration.machineLearning': 'none',
      'mlMemberAbilities.customMLMemberAbilities': 'CAN_RECEIVE_MODEL_OUTPUT',
    });
  });

  it('sets aside a structure that is not an object, a list or a date', () => {
    const m = must(conformMembership({ defaultResultConfiguration: 'S3', paymentConfiguration: [1, 2], updateTime: new Date(Number.NaN) }));
    assert.equal(m.defaultResultConfiguration, undefined);
    assert.equal(m.paymentConfiguration, undefined);
    assert.equal(m.updateTime, undefined, 'an invalid date is not a date');
    assert.deepEqual(Object.keys(m.$unexpected ?? {}), ['defaultResultConfiguration', 'paymentConfiguration', 'updateTime']);
  });

  it('keeps a union member this SDK does not know ($unknown), and checks the members it knows', () => {
    const unknown = must(conformMembership({ defaultResultConfiguration: { outputConfiguration: { $unknown: ['dynamoDb', { tableName: 't' }] } } }));
    assert.deepEqual(unknown.defaultResultConfiguration?.outputConfiguration, { $unknown: ['dynamoDb', { tableName: 't' }] });
    assert.equal(unknown.$unexpected, undefined);
    const query = must(conformProtectedQuerySummary({ receiverConfigurations: [{ analysisType: 'DIRECT_ANALYSIS', configurationDetails: { $unknown: ['future', 1] } }] }));
    assert.deepEqual(query.receiverConfigurations, [{ analysisType: 'DIRECT_ANALYSIS', configurationDetails: { $unknown: ['future', 1] } }]);
  });

  it('keeps fields the schema does not know, at every level, as they are', () => {
    const m = must(conformMembership({ id: 'm', futureField: { a: [1] }, defaultResultConfiguration: { encryptionMode: 'SSE_KMS', outputConfiguration: { s3: { bucket: 'b', storageClass: 'GLACIER_IR' } } } }));
    assert.deepEqual((m as unknown as { futureField: unknown }).futureField, { a: [1] });
    assert.deepEqual(m.defaultResultConfiguration, { encryptionMode: 'SSE_KMS', outputConfiguration: { s3: { bucket: 'b', storageClass: 'GLACIER_IR' } } });
    assert.equal(m.$unexpected, undefined);
  });

  it('keeps the entries of a list that have the right type, and sets the whole list aside as received', () => {
    const stubborn = { toString: 1 };
    const m = must(conformMembership({ memberAbilities: ['CAN_QUERY', stubborn, 7, null], collaborationId: 'c' }));
    assert.deepEqual(m.memberAbilities, ['CAN_QUERY']);
    assert.deepEqual(m.$unexpected, { memberAbilities: ['CAN_QUERY', stubborn, 7, null] });
    const notAList = must(conformCollaboration({ allowedResultRegions: 'us-east-1' }));
    assert.equal(notAList.allowedResultRegions, undefined);
    assert.deepEqual(notAList.$unexpected, { allowedResultRegions: 'us-east-1' });
  });

  it('checks lists of structures entry by entry, with the index in the path', () => {
    const q = must(conformProtectedQuerySummary({ id: 'q', receiverConfigurations: [{ analysisType: 1 }, 'not a record', { analysisType: 'DIRECT_ANALYSIS', configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: ['1', 2] } } }] }));
    assert.deepEqual(q.receiverConfigurations, [{}, { analysisType: 'DIRECT_ANALYSIS', configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: ['1'] } } }]);
    assert.deepEqual(Object.keys(q.$unexpected ?? {}).sort(), [
      'receiverConfigurations',
      'receiverConfigurations[0].analysisType',
      'receiverConfigurations[2].configurationDetails.directAnalysisConfigurationDetails.receiverAccountIds',
    ]);
  });

  it('a record that is not an object is no record; null is "not set"', () => {
    for (const value of ['membership', 42, null, undefined, [{ id: 'x' }], new Date(0)]) {
      assert.equal(conformMembership(value), undefined, String(value));
    }
    const m = must(conformMemberSummary({ accountId: null, displayName: 'Acme' }));
    assert.deepEqual(m, { displayName: 'Acme' });
  });

  it('a wire field named $unexpected is itself set aside, and "__proto__" stays an ordinary key', () => {
    const m = must(conformMembership(JSON.parse('{"id":"m","$unexpected":{"status":"forged"},"__proto__":{"polluted":true}}')));
    assert.deepEqual(m.$unexpected, { $unexpected: { status: 'forged' } });
    assert.equal(unexpectedAt(m, 'status'), undefined);
    assert.equal(Object.getPrototypeOf(m), Object.prototype);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(Object.keys(m), ['id', '__proto__', '$unexpected']);
  });

  it('lists: a list that is not a list is malformed; entries that are not records are skipped', () => {
    assert.throws(() => conformList({ id: 'x' }, 'memberSummaries', conformMemberSummary), /memberSummaries in the response is not a list/);
    assert.deepEqual(conformList(undefined, 'memberSummaries', conformMemberSummary), []);
    assert.deepEqual(conformList([{ accountId: '1' }, 'x', null, [1]], 'memberSummaries', conformMemberSummary), [{ accountId: '1' }]);
  });

  it('inspect tells a view what a value of no declared type is', () => {
    assert.deepEqual(['s', 1, true, new Date(0), [1], { a: 1 }, null].map((v) => inspect(v).type), ['string', 'number', 'boolean', 'date', 'list', 'object', 'absent']);
  });
});

describe('views show what the boundary set aside', () => {
  it('the membership panel shows a set-aside value in its row, or as an unexpected-value row', () => {
    const view = membershipViewModel(
      must(conformMembership({ id: 'm', status: 42, isMetricsEnabled: 'yes', memberAbilities: 'CAN_QUERY', paymentConfiguration: [1, 2], defaultResultConfiguration: 'S3', mlMemberAbilities: 'none' })),
    );
    assert.deepEqual(row(view, 'Membership', 'Status'), { kind: 'badge', text: '42', tone: 'neutral' });
    assert.deepEqual(row(view, 'Membership', 'Metrics enabled'), { kind: 'unknown', name: 'isMetricsEnabled', json: '"yes"' });
    assert.deepEqual(row(view, 'Abilities', 'Member abilities'), { kind: 'list', items: ['Can query'] });
    assert.deepEqual(row(view, 'Abilities', 'ML member abilities'), { kind: 'unknown', name: 'mlMemberAbilities', json: '"none"' });
    assert.deepEqual(row(view, 'Default result configuration', 'Configuration'), { kind: 'unknown', name: 'defaultResultConfiguration', json: '"S3"' });
    // No row above is for the whole payment configuration: it is listed rather than dropped.
    assert.equal(row(view, 'Unexpected values', 'paymentConfiguration').kind, 'unknown');
    assert.ok(!view.sections.some((s) => s.title === 'Other fields'), '$unexpected is not an unknown field');
  });

  it('a record panel lists every set-aside value as an unexpected-value row', () => {
    const view = recordViewModel('Member', 'Acme', must(conformMemberSummary({ accountId: '111122223333', status: 7, abilities: ['CAN_QUERY', 1] })));
    assert.equal(view.id, '111122223333');
    assert.deepEqual(row(view, 'Unexpected values', 'status'), { kind: 'unknown', name: 'status', json: '7' });
    assert.equal(row(view, 'Unexpected values', 'abilities').kind, 'unknown');
    assert.deepEqual(row(view, 'Member', 'Abilities'), { kind: 'list', items: ['Can query'] });
    assert.ok(!view.sections[0].rows.some((r) => r.label.includes('unexpected')));
  });
});
