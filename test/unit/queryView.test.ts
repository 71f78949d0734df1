import { CleanRoomsClient, GetProtectedQueryCommand } from '@aws-sdk/client-cleanrooms';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { conformProtectedQuery } from '../../src/aws/conform';
import type { TrackedQuery } from '../../src/model/queryTracker';
import { accountLabel, formatDuration, queryStatusTone, queryViewModel, receiverAccounts, resultLocation } from '../../src/views/queryView';
import type { QueryViewModel, ViewValue } from '../../src/views/protocol';
import { visibleText } from '../../src/util/text';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { HOSTILE_STRINGS, MEMBER_ACCOUNT_ID, SAMPLE, TEST_CREDENTIALS, protectedQueriesFor } from '../fakes/fixtures';

const ID = '3f1c2a9e-5b7d-4e21-9a0c-6d8e4f2b1a07';
const MEMBERSHIP = SAMPLE.ctvReach.id;

function conformed(raw: Record<string, unknown>): TrackedQuery {
  const q = conformProtectedQuery({ id: ID, membershipId: MEMBERSHIP, membershipArn: `arn:aws:cleanrooms:us-east-1:${MEMBER_ACCOUNT_ID}:membership/${MEMBERSHIP}`, createTime: new Date('2026-11-25T10:00:00Z'), ...raw });
  assert.ok(q);
  return q;
}

function row(view: QueryViewModel, section: string, label: string): ViewValue {
  const s = view.sections.find((x) => x.title === section);
  assert.ok(s, `section ${section} in ${view.sections.map((x) => x.title).join(', ')}`);
  const r = s.rows.find((x) => x.label === label);
  assert.ok(r, `row ${section} / ${label}`);
  return r.value;
}

function textOf(value: ViewValue): string | undefined {
  return value.kind === 'text' ? value.text : undefined;
}

/** Every string the webview would put on screen (`copy` is what goes to the clipboard: the exact value). */
function strings(view: QueryViewModel): string[] {
  const out: string[] = [view.title, view.subtitle, view.status.text];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.entries(v).forEach(([k, x]) => k !== 'copy' && walk(x));
  };
  walk(view.sections);
  return out;
}

describe('query view model', () => {
  it('status tones: SUCCESS ok, FAILED and TIMED_OUT bad, CANCELLED and CANCELLING warn, SUBMITTED and STARTED info', () => {
    assert.deepEqual(
      ['SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'CANCELLING', 'SUBMITTED', 'STARTED', 'NEW_STATUS'].map(queryStatusTone),
      ['ok', 'bad', 'bad', 'warn', 'warn', 'info', 'info', 'neutral'],
    );
  });

  it('durations read as people say them', () => {
    assert.deepEqual([850, 42_000, 94_000, 120_000, 7_380_000].map(formatDuration), ['850 ms', '42 s', '1 min 34 s', '2 min', '2 h 3 min']);
  });

  it('a running query: SQL, status, submitted time; Cancel offered; duration and cost not yet', () => {
    const q = conformed({
      status: 'STARTED',
      sqlParameters: { queryString: 'SELECT 1' },
      resultConfiguration: { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'my-results', keyPrefix: 'adhoc/', singleFileOutput: false } } },
      computeConfiguration: { worker: { type: 'CR.4X', number: 16 } },
    });
    const view = queryViewModel(q, { collaborationName: 'CTV reach' });
    assert.equal(view.id, ID);
    assert.deepEqual(view.status, { text: 'Started', tone: 'info' });
    assert.equal(view.running, true);
    assert.equal(view.canCancel, true);
    assert.equal(view.hasSql, true);
    assert.match(view.subtitle, /CTV reach/);
    assert.equal(textOf(row(view, 'Query', 'SQL')), 'SELECT 1');
    assert.deepEqual(row(view, 'Protected query', 'Submitted'), { kind: 'time', iso: '2026-11-25T10:00:00.000Z' });
    assert.equal(row(view, 'Protected query', 'Duration').kind, 'notSet');
    assert.equal(row(view, 'Protected query', 'CRPU-hours billed').kind, 'notSet');
    assert.equal(textOf(row(view, 'Compute', 'Worker type')), 'CR.4X');
    assert.equal(textOf(row(view, 'Compute', 'Number of workers')), '16');
    assert.equal(textOf(row(view, 'Destination', 'Bucket')), 'my-results');
    assert.equal(textOf(row(view, 'Destination', 'Key prefix')), 'adhoc/');
    assert.equal(view.sections.find((s) => s.title === 'Error'), undefined);
    assert.equal(view.sections.find((s) => s.title === 'Result'), undefined);
  });

  it('CANCELLING: still running, but Cancel is no longer offered', () => {
    const view = queryViewModel(conformed({ status: 'CANCELLING', sqlParameters: { queryString: 'SELECT 1' } }));
    assert.equal(view.running, true);
    assert.equal(view.canCancel, false);
    assert.equal(view.status.tone, 'warn');
  });

  it('SUCCESS with an S3 result: duration, CRPU-hours billed, the location', () => {
    const q = conformed({
      status: 'SUCCESS',
      sqlParameters: { queryString: 'SELECT 1' },
      statistics: { totalDurationInMillis: 94_000, billedResourceUtilization: { units: 0.42 } },
      result: { output: { s3: { location: 's3://my-results/adhoc/x/' } } },
    });
    const view = queryViewModel(q);
    assert.equal(view.running, false);
    assert.equal(view.canCancel, false);
    assert.equal(textOf(row(view, 'Protected query', 'Duration')), '1 min 34 s');
    assert.equal(textOf(row(view, 'Protected query', 'CRPU-hours billed')), '0.42');
    assert.equal(textOf(row(view, 'Result', 'Location')), 's3://my-results/adhoc/x/');
    assert.equal(resultLocation(q), 's3://my-results/adhoc/x/');
    assert.equal(row(view, 'Destination', 'Output').kind, 'notSet', "no resultConfiguration: the membership's default");
  });

  it('member output and a memberList result name the receivers', () => {
    const q = conformed({
      status: 'SUCCESS',
      sqlParameters: { queryString: 'SELECT 1' },
      resultConfiguration: { outputConfiguration: { member: { accountId: MEMBER_ACCOUNT_ID } } },
      result: { output: { memberList: [{ accountId: MEMBER_ACCOUNT_ID }, { accountId: '111122223333' }] } },
    });
    const names = new Map([[MEMBER_ACCOUNT_ID, 'Northwind Media']]);
    const view = queryViewModel(q, { memberNames: names });
    assert.deepEqual(receiverAccounts(q), [MEMBER_ACCOUNT_ID, '111122223333']);
    assert.deepEqual(row(view, 'Result', 'Delivered to'), { kind: 'list', items: [`Northwind Media (${MEMBER_ACCOUNT_ID})`, '111122223333'] });
    assert.equal(textOf(row(view, 'Destination', 'Member')), `Northwind Media (${MEMBER_ACCOUNT_ID})`);
    assert.equal(accountLabel('1', undefined), '1');
  });

  it('FAILED: the error code and message come right after the status', () => {
    const q = conformed({ status: 'FAILED', sqlParameters: { queryString: 'SELECT x' }, error: { code: 'ANALYSIS_RULE_VIOLATION', message: 'Column x is not allowed.' } });
    const view = queryViewModel(q);
    assert.equal(view.status.tone, 'bad');
    assert.equal(view.sections[1].title, 'Error');
    assert.equal(textOf(row(view, 'Error', 'Code')), 'ANALYSIS_RULE_VIOLATION');
    assert.equal(textOf(row(view, 'Error', 'Message')), 'Column x is not allowed.');
  });

  it('a template run: the template ARN and its parameters; no SQL actions, but Run Again (the template)', () => {
    const arn = 'arn:aws:cleanrooms:us-east-1:290384756102:membership/x/analysistemplate/y';
    const view = queryViewModel(conformed({ status: 'SUCCESS', sqlParameters: { analysisTemplateArn: arn, parameters: { campaign: 'cmp-1', since: '2026-01-01' } } }));
    assert.equal(view.hasSql, false);
    assert.equal(view.ranTemplate, true);
    assert.equal(textOf(row(view, 'Query', 'Analysis template')), arn);
    const params = row(view, 'Query', 'Parameters');
    assert.equal(params.kind, 'fields');
    assert.deepEqual(params.kind === 'fields' ? params.rows.map((r) => [r.label, textOf(r.value)]) : [], [['campaign', 'cmp-1'], ['since', '2026-01-01']]);
  });

  it('differential privacy parameters are shown', () => {
    const view = queryViewModel(
      conformed({
        status: 'SUCCESS',
        sqlParameters: { queryString: 'SELECT 1' },
        differentialPrivacy: { sensitivityParameters: [{ aggregationType: 'COUNT', aggregationExpression: 'hashed_email', userContributionLimit: 3, minColumnValue: 0, maxColumnValue: 10 }] },
      }),
    );
    const value = row(view, 'Differential privacy', 'Sensitivity parameters');
    assert.equal(value.kind, 'records');
    assert.ok(value.kind === 'records' && JSON.stringify(value.items).includes('User contribution limit'));
  });

  it('unknown fields and values of the wrong type are listed, not dropped', () => {
    const q = conformed({
      status: 'SUCCESS',
      sqlParameters: { queryString: 42 },
      statistics: { totalDurationInMillis: 'soon' },
      queryComputePayerAccountId: '111122223333',
      computeConfiguration: { $unknown: ['gpu', { size: 'XL' }] },
    });
    const view = queryViewModel(q);
    assert.equal(view.hasSql, false);
    assert.equal(textOf(row(view, 'Query', 'SQL')), '42', 'a set-aside value shows where it belongs, as received');
    assert.equal(row(view, 'Protected query', 'Duration').kind, 'unknown');
    assert.equal(row(view, 'Other fields', 'queryComputePayerAccountId').kind, 'unknown');
    assert.equal(row(view, 'Compute', 'Compute').kind, 'unknown');
  });

  it('hostile strings arrive as inert, visible text (no invisible or direction characters, nothing interpreted)', () => {
    for (const hostile of HOSTILE_STRINGS) {
      const q = conformed({
        status: 'FAILED',
        sqlParameters: { queryString: hostile },
        error: { code: hostile, message: hostile },
        resultConfiguration: { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: hostile, keyPrefix: hostile } } },
        result: { output: { memberList: [{ accountId: hostile }] } },
      });
      const view = queryViewModel(q, { collaborationName: hostile, memberNames: new Map([[hostile, hostile]]) });
      for (const s of strings(view)) {
        // eslint-disable-next-line no-control-regex -- the characters a hostile string must not smuggle through
        assert.doesNotMatch(s, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/, JSON.stringify(s).slice(0, 80));
      }
      assert.equal(textOf(row(view, 'Error', 'Message')), visibleText(hostile));
    }
  });
});

describe('query view model of what the real SDK parses from the local endpoint', () => {
  let endpoint: CleanRoomsEndpoint;
  let client: CleanRoomsClient;
  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
    client = new CleanRoomsClient({ region: 'us-east-1', endpoint: endpoint.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('a FAILED query from history: code, message, duration and cost', async () => {
    const failed = protectedQueriesFor(SAMPLE.ctvReach).find((q) => q.status === 'FAILED');
    assert.ok(failed);
    const out = await client.send(new GetProtectedQueryCommand({ membershipIdentifier: SAMPLE.ctvReach.id, protectedQueryIdentifier: failed.id }));
    const q = conformProtectedQuery(out.protectedQuery);
    assert.ok(q);
    const view = queryViewModel(q);
    assert.equal(view.status.tone, 'bad');
    assert.equal(textOf(row(view, 'Error', 'Code')), 'ANALYSIS_RULE_VIOLATION');
    assert.match(String(textOf(row(view, 'Error', 'Message'))), /JOIN ON clause/);
    assert.equal(textOf(row(view, 'Protected query', 'Duration')), '1 min 34 s');
    assert.equal(textOf(row(view, 'Protected query', 'CRPU-hours billed')), '0.42');
    assert.equal(view.sections.some((s) => s.title === 'Unexpected values' || s.title === 'Other fields'), false);
  });
});
