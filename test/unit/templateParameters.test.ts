import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ParameterType } from '@aws-sdk/client-cleanrooms';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { checkParameters, checkParameterValue, expectedText, inputKind } from '../../src/queries/templateParameters';
import { PROFILES } from '../fakes/awsHome';
import { useAwsHome } from '../fakes/awsHomeSuite';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';

const ok = (type: string, value: string, sent = value): void => assert.deepEqual(checkParameterValue(type, value), { ok: true, value: sent }, `${type} ${JSON.stringify(value)}`);
const bad = (type: string, value: string): void => {
  const checked = checkParameterValue(type, value);
  assert.equal(checked.ok, false, `${type} ${JSON.stringify(value)} should be refused`);
  if (!checked.ok) {
    assert.ok(checked.problem.includes(expectedText(type)), `the message says what is expected: ${checked.problem}`);
  }
};

describe('template parameter values', () => {
  it('gives every ParameterType of the SDK an input kind and an expectation', () => {
    for (const type of Object.values(ParameterType)) {
      assert.ok(inputKind(type));
      assert.ok(expectedText(type).length > 0);
    }
    assert.equal(inputKind('SOMETHING_NEW'), 'text', 'a type this SDK does not know is sent as typed');
  });

  it('integers: each type within its range, whole numbers only', () => {
    ok('TINYINT', '127');
    ok('BYTE', '-128');
    bad('TINYINT', '128');
    ok('SMALLINT', '-32768');
    ok('SHORT', '32767');
    bad('SMALLINT', '32768');
    ok('INT', '2147483647');
    ok('INTEGER', '-2147483648');
    bad('INTEGER', '2147483648');
    ok('INT', '+42', '42');
    ok('INT', ' 7 ', '7');
    for (const value of ['', '1.0', '1e3', '0x10', 'ten', '1 000', 'NaN']) {
      bad('INT', value);
    }
  });

  it('BIGINT is exact at its limits (no float rounding)', () => {
    ok('BIGINT', '9223372036854775807');
    ok('LONG', '-9223372036854775808');
    bad('BIGINT', '9223372036854775808');
    bad('BIGINT', '-9223372036854775809');
    // 2^53 + 1 would round to 2^53 as a Number
    ok('BIGINT', '9007199254740993');
    bad('BIGINT', '9.2e18');
  });

  it('decimals: DECIMAL/NUMERIC written out, floats also with an exponent', () => {
    ok('DECIMAL', '12.50');
    ok('NUMERIC', '-0.001');
    ok('DECIMAL', '.5');
    bad('DECIMAL', '1e3');
    bad('NUMERIC', '1,5');
    for (const type of ['REAL', 'DOUBLE', 'FLOAT', 'DOUBLE_PRECISION']) {
      ok(type, '3.14');
      ok(type, '1.5e-3');
      bad(type, 'Infinity');
      bad(type, 'NaN');
      bad(type, '');
    }
    bad('DOUBLE', '1e400');
  });

  it('DATE: YYYY-MM-DD and a real date', () => {
    ok('DATE', '2024-02-29');
    ok('DATE', '2023-12-31');
    bad('DATE', '2024-02-30');
    bad('DATE', '2023-02-29');
    bad('DATE', '2024-13-01');
    bad('DATE', '2024-00-10');
    bad('DATE', '2024-1-5');
    bad('DATE', '05/01/2024');
    bad('DATE', '2024-01-01 00:00:00');
  });

  it('TIMESTAMP and TIMESTAMP_NTZ: date and time, fractions allowed, no zone', () => {
    for (const type of ['TIMESTAMP', 'TIMESTAMP_NTZ']) {
      ok(type, '2024-03-01 12:30:00');
      ok(type, '2024-03-01T12:30:00.123');
      bad(type, '2024-03-01 12:30:00Z');
      bad(type, '2024-03-01 24:00:00');
      bad(type, '2024-02-30 10:00:00');
      bad(type, '2024-03-01');
    }
  });

  it('TIMESTAMPTZ needs a zone; TIMESTAMP_LTZ takes one or none', () => {
    ok('TIMESTAMPTZ', '2024-03-01 12:30:00+02:00');
    ok('TIMESTAMPTZ', '2024-03-01 12:30:00.5Z');
    ok('TIMESTAMPTZ', '2024-03-01T12:30:00-0530');
    ok('TIMESTAMPTZ', '2024-03-01 12:30:00 +02');
    bad('TIMESTAMPTZ', '2024-03-01 12:30:00');
    bad('TIMESTAMPTZ', '2024-03-01 12:30:00+25:00');
    bad('TIMESTAMPTZ', '2024-03-01 12:30:00 PST');
    ok('TIMESTAMP_LTZ', '2024-03-01 12:30:00');
    ok('TIMESTAMP_LTZ', '2024-03-01 12:30:00Z');
  });

  it('TIME and TIMETZ', () => {
    ok('TIME', '23:59:59');
    ok('TIME', '00:00:00.000001');
    bad('TIME', '23:60:00');
    bad('TIME', '7:00:00');
    bad('TIME', '12:00:00Z');
    ok('TIMETZ', '12:00:00+01:00');
    bad('TIMETZ', '12:00:00');
  });

  it('BOOLEAN: true or false, sent in lower case', () => {
    ok('BOOLEAN', 'true');
    ok('BOOLEAN', 'FALSE', 'false');
    bad('BOOLEAN', 'yes');
    bad('BOOLEAN', '1');
    bad('BOOLEAN', '');
  });

  it('strings take anything, as typed; binary takes hex bytes', () => {
    for (const type of ['CHAR', 'CHARACTER', 'VARCHAR', 'STRING']) {
      ok(type, '');
      ok(type, "  it's; DROP TABLE x -- ");
    }
    ok('BINARY', '0a1B2c');
    ok('VARBYTE', 'ff');
    bad('BINARY', 'abc');
    bad('VARBYTE', 'zz');
    bad('BINARY', '');
  });

  it('checks a whole form: defaults fill what was left out, problems per name, unknown names refused', () => {
    const parameters = [
      { name: 'min_count', type: 'INTEGER' as const, defaultValue: '10' },
      { name: 'since', type: 'DATE' as const },
      { name: 'label', type: 'VARCHAR' as const, defaultValue: 'x' },
    ];
    const filled = checkParameters(parameters, { since: '2024-01-31' });
    assert.deepEqual({ values: { ...filled.values }, problems: { ...filled.problems } }, { values: { min_count: '10', since: '2024-01-31', label: 'x' }, problems: {} });
    const checked = checkParameters(parameters, { min_count: '1.5', extra: '1' });
    assert.deepEqual(Object.keys(checked.problems).sort(), ['extra', 'min_count', 'since']);
    assert.deepEqual({ ...checked.values }, { label: 'x' });
  });

  it('a parameter named __proto__ is a parameter like any other: required, defaulted, given', () => {
    const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
    const required = checkParameters([{ name: '__proto__', type: 'INTEGER' }], {});
    assert.ok(own(required.problems, '__proto__'), 'left out without a default: refused');
    assert.equal(required.problems['__proto__'], `Enter ${expectedText('INTEGER')}.`);
    const defaulted = checkParameters([{ name: '__proto__', type: 'INTEGER', defaultValue: '7' }], {});
    assert.deepEqual(Object.entries(defaulted.values), [['__proto__', '7']]);
    assert.deepEqual(Object.keys(defaulted.problems), []);
    // As the webview's message arrives: JSON.parse makes "__proto__" an own key.
    const given = checkParameters([{ name: '__proto__', type: 'INTEGER' }], JSON.parse('{"__proto__": "+42"}') as Record<string, string>);
    assert.deepEqual(Object.entries(given.values), [['__proto__', '42']]);
    const refused = checkParameters([{ name: 'constructor', type: 'INTEGER' }], JSON.parse('{"constructor": "x", "__proto__": "1"}') as Record<string, string>);
    assert.deepEqual(Object.keys(refused.problems).sort(), ['__proto__', 'constructor'], 'an undeclared __proto__ is refused, not dropped');
  });
});

describe('template parameter values on the wire', () => {
  let endpoint: CleanRoomsEndpoint;
  useAwsHome();
  before(async () => {
    endpoint = await startCleanRoomsEndpoint();
  });
  after(() => endpoint.close());

  it('StartProtectedQuery sends a parameter named __proto__ as its own key', async () => {
    const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), { info: () => undefined, warn: () => undefined });
    const { values } = checkParameters([{ name: '__proto__', type: 'INTEGER', defaultValue: '7' }], {});
    const membershipId = SCHEMA_MEMBERSHIPS.rules.id;
    endpoint.resetRequests();
    await service.startProtectedQuery({ profile: PROFILES.test, endpoint: endpoint.url, timeoutMs: 5000 }, membershipId, {
      analysisTemplateArn: `arn:aws:cleanrooms:us-east-1:111122223333:membership/${membershipId}/analysistemplate/none`,
      parameters: values,
    });
    service.reset();
    const sent = endpoint.requests.find((r) => r.operation === 'StartProtectedQuery')?.body as { sqlParameters?: { parameters?: object } } | undefined;
    const parameters = sent?.sqlParameters?.parameters ?? {};
    assert.deepEqual(Object.entries(parameters), [['__proto__', '7']], JSON.stringify(sent));
  });
});
