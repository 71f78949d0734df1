import type { Membership } from '@aws-sdk/client-cleanrooms';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketProblem, changesNothing, describeChange, editableFields, keyPrefixProblem, requestBody, resultConfigurationText, roleArnProblem } from '../../src/model/membershipChange';

const RECEIVER: Membership = {
  id: 'm',
  arn: 'arn:aws:cleanrooms:us-east-1:111122223333:membership/m',
  collaborationArn: 'c',
  collaborationId: 'c',
  collaborationCreatorAccountId: '111122223333',
  collaborationCreatorDisplayName: 'Us',
  collaborationName: 'Retail',
  createTime: new Date(0),
  updateTime: new Date(0),
  status: 'ACTIVE',
  memberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
  queryLogStatus: 'DISABLED',
  paymentConfiguration: { queryCompute: { isResponsible: true } },
  defaultResultConfiguration: { outputConfiguration: { s3: { bucket: 'old-bucket', keyPrefix: 'q/', resultFormat: 'CSV' } } },
};

describe('membership settings: what may change, and the rules values meet', () => {
  it('result settings are offered only to a member who can receive results', () => {
    assert.deepEqual(editableFields(RECEIVER), ['queryLogStatus', 'jobLogStatus', 'defaultResultConfiguration', 'defaultJobResultConfiguration']);
    assert.deepEqual(editableFields({ memberAbilities: ['CAN_QUERY'] }), ['queryLogStatus', 'jobLogStatus']);
  });

  it('bucket names follow the S3 rules the service checks', () => {
    for (const ok of ['abc', 'my-results.bucket', 'a1b2', 'x'.repeat(63)]) {
      assert.equal(bucketProblem(ok), undefined, ok);
    }
    for (const bad of ['ab', 'x'.repeat(64), 'My-Bucket', 'bucket_name', '-bucket', 'bucket-', 'a..b', 'a.-b', '192.168.1.1', 's3://bucket']) {
      assert.ok(bucketProblem(bad), bad);
    }
  });

  it('role ARNs name a 12-digit account and a role; key prefixes use the allowed characters', () => {
    assert.equal(roleArnProblem('arn:aws:iam::111122223333:role/CleanRoomsResults'), undefined);
    assert.equal(roleArnProblem('arn:aws:iam::111122223333:role/service-role/Writer@x'), undefined);
    for (const bad of ['arn:aws:iam::1111:role/x', 'arn:aws:iam::111122223333:user/x', 'role/x', 'arn:aws:iam::111122223333:role/']) {
      assert.ok(roleArnProblem(bad), bad);
    }
    assert.equal(keyPrefixProblem(''), undefined);
    assert.equal(keyPrefixProblem('results/2026=01/'), undefined);
    assert.ok(keyPrefixProblem('has space/'));
  });

  it('the change before -> after, per field, and the request body exactly as sent', () => {
    const change = {
      queryLogStatus: 'ENABLED' as const,
      defaultResultConfiguration: { outputConfiguration: { s3: { bucket: 'new-bucket', resultFormat: 'PARQUET' as const, singleFileOutput: true } }, roleArn: 'arn:aws:iam::111122223333:role/W' },
    };
    assert.deepEqual(
      describeChange(RECEIVER, change).map((c) => `${c.label}: ${c.before} -> ${c.after}`),
      ['Query logging: Disabled -> Enabled', 'Default result configuration: s3://old-bucket/q/ · CSV -> s3://new-bucket/ · PARQUET · single file · role arn:aws:iam::111122223333:role/W'],
    );
    assert.deepEqual(JSON.parse(requestBody(change)), change);
    assert.equal(resultConfigurationText(undefined), 'Not set');
  });

  it('a change to the value already set changes nothing', () => {
    assert.equal(changesNothing(RECEIVER, { queryLogStatus: 'DISABLED' }), true);
    assert.equal(changesNothing(RECEIVER, { queryLogStatus: 'ENABLED' }), false);
  });
});
