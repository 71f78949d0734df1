import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CleanRoomsClientFactory, connectionKey, resolveConnection } from '../../src/aws/clientFactory';
import { CleanRoomsService, type CallLog } from '../../src/aws/cleanRoomsService';
import type { FailureKind } from '../../src/aws/errors';
import { ProfileFiles } from '../../src/aws/profiles';
import { PROFILES, type AwsHome } from '../fakes/awsHome';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { EXPLAINED_FAULTS } from '../fakes/faults';
import { closedPort } from '../fakes/ports';
import { membershipViewModel } from '../../src/views/membershipView';
import { FAULT_IDS, SAMPLE_IDS, TEST_CREDENTIALS, TEST_SESSION_CREDENTIALS } from '../fakes/fixtures';
import { useAwsHome } from '../fakes/awsHomeSuite';

/** Everything the service logs, to check it names calls and never credentials. */
class RecordingLog implements CallLog {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(m);
  }
  warn(m: string): void {
    this.lines.push(m);
  }
}

describe('CleanRoomsService against the local endpoint, with real profile files', () => {
  // Fresh per test: an endpoint (its request list and throttling counters), a log and a service.
  let endpoint: CleanRoomsEndpoint;
  let log: RecordingLog;
  let service: CleanRoomsService;
  const request = (extra: { profile?: string; region?: string; timeoutMs?: number; endpoint?: string } = {}) => ({
    profile: PROFILES.test,
    endpoint: endpoint.url,
    timeoutMs: 5000,
    ...extra,
  });

  useAwsHome();

  beforeEach(async () => {
    endpoint = await startCleanRoomsEndpoint({ slowMs: 3000 });
    log = new RecordingLog();
    service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), log);
  });

  afterEach(async () => {
    service.reset();
    await endpoint.close();
  });

  it('fetches every sample membership with a request ID', async () => {
    for (const id of SAMPLE_IDS) {
      const r = await service.getMembership(request(), id);
      assert.ok(r.ok, `sample ${id} loads`);
      assert.equal(r.value.membership.id, id);
      assert.ok(r.value.membership.createTime instanceof Date);
      assert.ok(r.requestId);
      assert.equal(r.connection.region, 'us-east-1');
    }
  });

  it('maps every fault to the failure the user is shown: kind, title, next step and request ID', async () => {
    for (const [fault, shows] of EXPLAINED_FAULTS) {
      const r = await service.getMembership(request(), FAULT_IDS[fault]);
      assert.equal(r.ok, false, fault);
      if (!r.ok) {
        assert.equal(r.failure.kind, shows.kind, `${fault} -> ${r.failure.kind}: ${r.failure.title} ${r.failure.message ?? ''}`);
        assert.match(r.failure.title, shows.title, fault);
        assert.match(r.failure.nextStep, shows.nextStep, fault);
        if (shows.requestId) {
          assert.ok(r.failure.requestId, `${fault} keeps the request ID`);
        }
      }
    }
  });

  it('names what happened when the reply is not from AWS or never comes', async () => {
    const gateway = await service.getMembership(request(), FAULT_IDS.badGateway);
    assert.equal(gateway.ok, false);
    if (!gateway.ok) {
      assert.equal(gateway.failure.kind, 'internal');
      assert.match(gateway.failure.title, /HTTP 502/);
      assert.match(gateway.failure.message ?? '', /not AWS JSON/);
      assert.doesNotMatch(gateway.failure.message ?? '', /\$response|hidden field/, 'no SDK developer hint');
    }
    const started = Date.now();
    const reset = await service.getMembership(request(), FAULT_IDS.connectionReset);
    assert.equal(reset.ok, false);
    if (!reset.ok) {
      assert.equal(reset.failure.kind, 'network', `${reset.failure.title}`);
      assert.match(reset.failure.title, /dropped/);
      assert.match(reset.failure.message ?? '', /ECONNRESET/);
    }
    assert.ok(Date.now() - started < 4000, 'reported at once, not at the deadline');
  });

  it('loads a membership whose fields have the wrong JSON types, and its view does not throw', async () => {
    const r = await service.getMembership(request(), FAULT_IDS.wrongTypes);
    assert.ok(r.ok, 'wrong types are data to show, not a failure');
    const view = membershipViewModel(r.value.membership);
    assert.equal(view.title, FAULT_IDS.wrongTypes, 'a name that is not text falls back to the ID');
    const rows = new Map(view.sections.flatMap((sec) => sec.rows.map((row) => [row.label, row.value] as const)));
    assert.deepEqual(rows.get('Status'), { kind: 'badge', text: '42', tone: 'neutral' });
    assert.deepEqual(rows.get('Member abilities'), { kind: 'list', items: ['Can query'] });
    assert.deepEqual(rows.get('Name'), { kind: 'text', text: '{"text":"Wrong Types Collaboration"}', mono: undefined, copy: undefined });
    assert.equal(view.arn, undefined, 'a number is not offered as an ARN to copy');
  });

  it('stops a list whose endpoint repeats its nextToken, or sends one that is not text', async () => {
    for (const nextToken of ['same-token-every-time', { not: 'text' }]) {
      let calls = 0;
      const looping = http.createServer((_req, res) => {
        calls++;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ membershipSummaries: [], nextToken }));
      });
      await new Promise<void>((resolve) => looping.listen(0, '127.0.0.1', resolve));
      try {
        const started = Date.now();
        const r = await service.listMemberships(request({ endpoint: `http://127.0.0.1:${(looping.address() as AddressInfo).port}` }));
        assert.equal(r.ok, false);
        if (!r.ok) {
          assert.equal(r.failure.kind, 'malformedResponse', r.failure.title);
          assert.match(r.failure.message ?? '', /nextToken/);
        }
        assert.ok(calls <= 2, `${calls} calls`);
        assert.ok(Date.now() - started < 3000);
      } finally {
        looping.close();
      }
    }
  });

  it('retries through a short throttling burst', async () => {
    const r = await service.getMembership(request(), FAULT_IDS.throttledOnce);
    assert.ok(r.ok);
  });

  it('keeps unknown union members and drops unknown fields without failing', async () => {
    const u = await service.getMembership(request(), FAULT_IDS.unknownUnion);
    assert.ok(u.ok);
    const output = u.value.membership.defaultResultConfiguration?.outputConfiguration;
    assert.ok(output?.$unknown, 'unknown union member survives as $unknown');
    const f = await service.getMembership(request(), FAULT_IDS.unknownFields);
    assert.ok(f.ok);
    assert.ok(!('quantumEntanglementStatus' in f.value.membership), 'an unknown top-level field is dropped');
    assert.ok(!('encryptionMode' in (f.value.membership.defaultResultConfiguration ?? {})), 'an unknown nested field is dropped');
  });

  it('gives up at the request timeout and when the caller cancels', async () => {
    const started = Date.now();
    const t = await service.getMembership(request({ timeoutMs: 500 }), FAULT_IDS.slow);
    assert.equal(t.ok, false);
    assert.equal(!t.ok && t.failure.kind, 'timeout');
    assert.ok(Date.now() - started < 2500, 'timeout honoured');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const c = await service.getMembership(request(), FAULT_IDS.slow, controller.signal);
    assert.equal(!c.ok && c.failure.kind, 'cancelled');
  });

  it('reports connection refused as a network failure', async () => {
    const port = await closedPort();
    const r = await service.getMembership({ ...request(), endpoint: `http://127.0.0.1:${port}` }, SAMPLE_IDS[0]);
    assert.equal(!r.ok && r.failure.kind, 'network');
  });

  it('reports profile problems before sending anything', async () => {
    const before = endpoint.requests.length;
    const cases: Array<[string, FailureKind, RegExp]> = [
      ['no-such-profile', 'missingProfile', /not found/],
      [PROFILES.noRegion, 'noRegion', /region/i],
    ];
    for (const [profile, kind, title] of cases) {
      const r = await service.getMembership(request({ profile }), SAMPLE_IDS[0]);
      assert.equal(!r.ok && r.failure.kind, kind, profile);
      assert.match(!r.ok ? `${r.failure.title} ${r.failure.nextStep}` : '', title);
    }
    const region = await service.getMembership({ profile: PROFILES.test, region: 'af-south-1', timeoutMs: 5000 }, SAMPLE_IDS[0]);
    assert.equal(!region.ok && region.failure.kind, 'unsupportedRegion');
    assert.equal(endpoint.requests.length, before, 'nothing was sent');
  });

  it('explains expired SSO, failing credential_process and rejected keys', async () => {
    const sso = await service.getMembership(request({ profile: PROFILES.expiredSso }), SAMPLE_IDS[0]);
    assert.equal(!sso.ok && sso.failure.kind, 'ssoExpired');
    assert.match(!sso.ok ? sso.failure.nextStep : '', /aws sso login --profile expired-sso/);
    const proc = await service.getMembership(request({ profile: PROFILES.processFails }), SAMPLE_IDS[0]);
    assert.equal(!proc.ok && proc.failure.kind, 'credentialProcess');
    const ok = await service.getMembership(request({ profile: PROFILES.processOk }), SAMPLE_IDS[0]);
    assert.ok(ok.ok, 'a working credential_process is used');
    const wrong = await service.getMembership(request({ profile: PROFILES.wrongSecret }), SAMPLE_IDS[0]);
    assert.equal(!wrong.ok && wrong.failure.kind, 'invalidCredentials');
    const session = await service.getMembership(request({ profile: PROFILES.session }), SAMPLE_IDS[0]);
    assert.ok(session.ok, 'session credentials work');
  });

  it('lists memberships across pages', async () => {
    const r = await service.listMemberships(request());
    assert.ok(r.ok);
    for (const id of SAMPLE_IDS) {
      assert.ok(r.value.some((s) => s.id === id), `${id} listed`);
    }
  });

  it('logs one line per call, naming the call, and no credential', async () => {
    const calls = [
      () => service.getMembership(request(), SAMPLE_IDS[0]),
      () => service.getMembership(request({ profile: PROFILES.session }), SAMPLE_IDS[1]),
      () => service.getMembership(request(), FAULT_IDS.notFound),
      () => service.getMembership(request({ profile: PROFILES.wrongSecret }), SAMPLE_IDS[0]),
      () => service.getMembership(request({ profile: 'no-such-profile' }), SAMPLE_IDS[0]),
    ];
    for (const call of calls) await call();
    assert.equal(log.lines.length, calls.length, log.lines.join('\n'));
    assert.match(log.lines[0], /^GetMembership [0-9a-f-]{36} \(cleanrooms-test @ us-east-1\) \d+ ms: OK \[request /);
    assert.match(log.lines[2], /^GetMembership [0-9a-f-]{36} \(cleanrooms-test @ us-east-1\) \d+ ms: Not found/);
    assert.match(log.lines[4], /not sent/);
    const secrets = [TEST_CREDENTIALS.secretAccessKey, TEST_SESSION_CREDENTIALS.secretAccessKey, TEST_SESSION_CREDENTIALS.sessionToken, TEST_CREDENTIALS.accessKeyId];
    for (const line of log.lines) {
      for (const secret of secrets) {
        assert.ok(!line.includes(secret), `log line leaks a credential: ${line}`);
      }
    }
  });
});

describe('client factory and connection resolution', () => {
  let home: AwsHome;
  useAwsHome((created) => {
    home = created;
  });

  it('caches one client per connection and drops them on clear', () => {
    const factory = new CleanRoomsClientFactory();
    const a = { profile: 'p', region: 'us-east-1', endpoint: undefined, timeoutMs: 1000 };
    assert.equal(factory.get(a), factory.get({ ...a }));
    assert.notEqual(factory.get(a), factory.get({ ...a, region: 'eu-west-1' }));
    assert.notEqual(connectionKey(a), connectionKey({ ...a, profile: 'q' }));
    assert.equal(factory.size, 2);
    const before = factory.get(a);
    factory.clear();
    assert.equal(factory.size, 0);
    assert.notEqual(factory.get(a), before);
    factory.dispose();
  });

  it('resolves profile and region in the SDK\'s order', async () => {
    const profiles = new ProfileFiles();
    const r1 = await resolveConnection({ timeoutMs: 1 }, profiles, { ...home.env });
    assert.ok(r1.ok && r1.connection.profile === 'default' && r1.connection.region === 'us-east-1');
    const r2 = await resolveConnection({ timeoutMs: 1 }, profiles, { ...home.env, AWS_PROFILE: PROFILES.eu });
    assert.ok(r2.ok && r2.connection.profile === PROFILES.eu && r2.connection.region === 'eu-west-1');
    const r3 = await resolveConnection({ profile: PROFILES.eu, region: 'us-west-2', timeoutMs: 1 }, profiles, { ...home.env, AWS_REGION: 'ap-northeast-1' });
    assert.ok(r3.ok && r3.connection.region === 'us-west-2');
    const r4 = await resolveConnection({ profile: PROFILES.eu, timeoutMs: 1 }, profiles, { ...home.env, AWS_REGION: 'ap-northeast-1' });
    assert.ok(r4.ok && r4.connection.region === 'ap-northeast-1');
    const r5 = await resolveConnection({ region: 'us-east-1', timeoutMs: 1 }, profiles, { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', HOME: home.home });
    assert.ok(r5.ok && r5.connection.profile === undefined, 'environment keys when no profile is named');
    const r6 = await resolveConnection({ region: 'mars-north-1', endpoint: 'http://127.0.0.1:1', profile: PROFILES.test, timeoutMs: 1 }, profiles, home.env);
    assert.ok(r6.ok, 'a custom endpoint lifts the region check');
  });

  it('lists profiles from both files without sso-session sections', async () => {
    const names = await new ProfileFiles().profileNames();
    for (const p of [PROFILES.test, PROFILES.eu, PROFILES.expiredSso, PROFILES.processOk, 'default']) {
      assert.ok(names.includes(p), `${p} in ${names.join(',')}`);
    }
    assert.ok(!names.some((n) => n.startsWith('sso-session')));
  });
});
