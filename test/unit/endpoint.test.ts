/**
 * The local Clean Rooms endpoint, driven by the REAL AWS SDK (client-cleanrooms + fromIni) over
 * loopback, with a throwaway ~/.aws from createAwsHome().
 */
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
  AccessDeniedException,
  CleanRoomsClient,
  GetCollaborationCommand,
  GetMembershipCommand,
  InternalServerException,
  ListAnalysisTemplatesCommand,
  ListConfiguredTableAssociationsCommand,
  ListMembersCommand,
  ListMembershipsCommand,
  ListProtectedQueriesCommand,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  paginateListConfiguredTableAssociations,
  paginateListMembers,
  paginateListMemberships,
  paginateListProtectedQueries,
  type CleanRoomsClientConfig,
  type MembershipSummary,
} from '@aws-sdk/client-cleanrooms';
import { fromIni } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { FAULTS } from '../fakes/faults';
import { PROCESS_FAILS_STDERR, PROFILES, applyAwsEnv, createAwsHome, type AwsHome } from '../fakes/awsHome';
import {
  DISCOVERABLE_MEMBERSHIPS,
  DISCOVER_OTHER_REGION,
  FAULT_IDS,
  HOSTILE_IDS,
  HOSTILE_MEMBERSHIP,
  HOSTILE_STRINGS,
  MANY_ASSOCIATIONS_COUNT,
  MANY_ASSOCIATIONS_ID,
  MEMBER_ACCOUNT_ID,
  PROTECTED_QUERIES_DENIED_ID,
  SAMPLE,
  SAMPLE_IDS,
  SAMPLE_MEMBERSHIPS,
  SEED_REGION,
  SLOW_MEMBERSHIP,
  TEST_CREDENTIALS,
  TEST_SESSION_CREDENTIALS,
  THROTTLED_ONCE_MEMBERSHIP,
  UNKNOWN_FIELDS_MEMBERSHIP,
  UNKNOWN_UNION_BODY,
  UUID_PATTERN,
  analysisTemplatesFor,
  bulkMemberships,
  hostileMembership,
  membersFor,
  membershipById,
  protectedQueriesFor,
  seedDiscoverable,
  toMembershipSummary,
} from '../fakes/fixtures';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface SdkError extends Error {
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
  [member: string]: unknown;
}

async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
    return e as SdkError;
  }
  return assert.fail('expected the call to fail');
}

/** What the SDK should hand back for a wire value: epoch-second timestamps become Dates. */
function sdkShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sdkShape);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = (k === 'createTime' || k === 'updateTime') && typeof v === 'number' ? new Date(Math.round(v * 1000)) : sdkShape(v);
    }
    return out;
  }
  return value;
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function rawRequest(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
  });
}

/** A GET signed independently of the SDK client, optionally tampered with after signing. */
async function signedGet(
  ep: CleanRoomsEndpoint,
  rawPath: string,
  opts: { service?: string; date?: Date; sendPath?: string } = {},
): Promise<RawResponse> {
  const host = `127.0.0.1:${ep.port}`;
  const signer = new SignatureV4({
    credentials: TEST_CREDENTIALS,
    region: 'us-east-1',
    service: opts.service ?? 'cleanrooms',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: ep.port, path: rawPath, headers: { host } },
    opts.date ? { signingDate: opts.date } : {},
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') headers[k] = String(v);
  return rawRequest(`${ep.url}${opts.sendPath ?? rawPath}`, headers);
}

function lastRequest(ep: CleanRoomsEndpoint): NonNullable<CleanRoomsEndpoint['requests'][number]> {
  const r = ep.requests[ep.requests.length - 1];
  assert.ok(r, 'the endpoint recorded no request');
  return r;
}

// ---------------------------------------------------------------------------------------------
// Suite
// ---------------------------------------------------------------------------------------------

describe('local Clean Rooms endpoint with the real SDK', () => {
  let ep: CleanRoomsEndpoint;
  let awsHome: AwsHome;
  let restoreEnv: () => void;
  const clients: CleanRoomsClient[] = [];

  const client = (profile: string = PROFILES.test, extra: Partial<CleanRoomsClientConfig> = {}): CleanRoomsClient => {
    const c = new CleanRoomsClient({
      endpoint: ep.url,
      profile,
      credentials: fromIni({ profile, ignoreCache: true }),
      ...extra,
    });
    clients.push(c);
    return c;
  };

  before(() => {
    awsHome = createAwsHome();
    restoreEnv = applyAwsEnv(awsHome.env);
  });

  after(() => {
    restoreEnv();
    awsHome.cleanup();
  });

  // A fresh endpoint per test: its request log and per-server counters (throttledOnce) start empty.
  beforeEach(async () => {
    ep = await startCleanRoomsEndpoint();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await ep.close();
  });

  describe('server basics', () => {
    it('binds 127.0.0.1 on a free port', () => {
      assert.match(ep.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(ep.url, `http://127.0.0.1:${ep.port}`);
      assert.ok(ep.port > 0);
    });

    it('answers an unsigned request with 403 MissingAuthenticationTokenException and a request id', async () => {
      const res = await rawRequest(`${ep.url}/memberships/${SAMPLE_IDS[0]}`);
      assert.equal(res.status, 403);
      assert.equal(res.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
      assert.match(String(res.headers['x-amzn-requestid']), UUID_PATTERN);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(res.body), { message: 'Missing Authentication Token' });
      const rec = lastRequest(ep);
      assert.equal(rec.signed, false);
      assert.equal(rec.status, 403);
      assert.equal(rec.operation, 'GetMembership');
      assert.equal(rec.membershipId, SAMPLE_IDS[0]);
      assert.equal(rec.requestId, res.headers['x-amzn-requestid']);
    });

    it('verifies signatures made outside the SDK and rejects tampering, wrong service and stale dates', async () => {
      const ok = await signedGet(ep, `/memberships/${SAMPLE_IDS[1]}`);
      assert.equal(ok.status, 200, ok.body);
      assert.equal((JSON.parse(ok.body) as { membership: { id: string } }).membership.id, SAMPLE_IDS[1]);

      const tampered = await signedGet(ep, `/memberships/${SAMPLE_IDS[1]}`, { sendPath: `/memberships/${SAMPLE_IDS[2]}` });
      assert.equal(tampered.status, 403);
      assert.match(String(tampered.headers['x-amzn-errortype']), /^InvalidSignatureException/);
      assert.match(JSON.parse(tampered.body).message as string, /The request signature we calculated does not match/);

      const wrongService = await signedGet(ep, `/memberships/${SAMPLE_IDS[1]}`, { service: 'execute-api' });
      assert.equal(wrongService.status, 403);
      assert.match(JSON.parse(wrongService.body).message as string, /scoped to correct service: 'cleanrooms'/);

      const stale = await signedGet(ep, `/memberships/${SAMPLE_IDS[1]}`, { date: new Date(Date.now() - 3600_000) });
      assert.equal(stale.status, 403);
      assert.match(JSON.parse(stale.body).message as string, /^Signature expired/);
    });

    it('answers an unknown path with 404 UnknownOperationException', async () => {
      const res = await signedGet(ep, '/collaborations');
      assert.equal(res.status, 404);
      assert.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException');
      assert.match(String(res.headers['x-amzn-requestid']), UUID_PATTERN);
      assert.equal(lastRequest(ep).operation, 'Unknown');
      assert.equal(lastRequest(ep).signed, true);
    });

    it('never records the Authorization header or any secret', async () => {
      await client(PROFILES.session).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] }));
      const dump = JSON.stringify(ep.requests);
      for (const secret of [TEST_CREDENTIALS.secretAccessKey, TEST_SESSION_CREDENTIALS.secretAccessKey, TEST_SESSION_CREDENTIALS.sessionToken]) {
        assert.ok(!dump.includes(secret), 'a secret was recorded');
      }
      assert.ok(!/Signature=|AWS4-HMAC-SHA256|authorization/i.test(dump));
    });
  });

  describe('GetMembership on the samples', () => {
    it('has at least 6 samples with lowercase UUID ids and a lookup', () => {
      assert.ok(SAMPLE_MEMBERSHIPS.length >= 6);
      assert.deepEqual(SAMPLE_IDS, SAMPLE_MEMBERSHIPS.map((m) => m.id));
      for (const id of SAMPLE_IDS) {
        assert.match(id, UUID_PATTERN);
        assert.equal(membershipById(id)?.id, id);
      }
      assert.equal(membershipById(FAULT_IDS.notFound), undefined);
      const statuses = new Set(SAMPLE_MEMBERSHIPS.map((m) => m.status));
      assert.deepEqual([...statuses].sort(), ['ACTIVE', 'COLLABORATION_DELETED', 'REMOVED']);
      const abilities = new Set(SAMPLE_MEMBERSHIPS.flatMap((m) => m.memberAbilities));
      assert.deepEqual([...abilities].sort(), ['CAN_QUERY', 'CAN_RECEIVE_RESULTS', 'CAN_RUN_JOB']);
      assert.ok(SAMPLE_MEMBERSHIPS.some((m) => m.jobLogStatus === undefined));
      assert.ok(SAMPLE_MEMBERSHIPS.some((m) => m.isMetricsEnabled === undefined));
      assert.ok(SAMPLE_MEMBERSHIPS.some((m) => m.defaultResultConfiguration === undefined));
      assert.ok(SAMPLE_MEMBERSHIPS.some((m) => m.paymentConfiguration.machineLearning?.syntheticDataGeneration));
    });

    it('parses every sample with Date timestamps and every field', async () => {
      const c = client();
      for (const wire of SAMPLE_MEMBERSHIPS) {
        const out = await c.send(new GetMembershipCommand({ membershipIdentifier: wire.id }));
        assert.deepEqual(out.membership, sdkShape(wire), `membership ${wire.id}`);
        assert.ok(out.membership?.createTime instanceof Date);
        assert.equal(out.$metadata.httpStatusCode, 200);
        assert.match(String(out.$metadata.requestId), UUID_PATTERN);
        const rec = lastRequest(ep);
        assert.equal(out.$metadata.requestId, rec.requestId);
        assert.deepEqual(
          { operation: rec.operation, status: rec.status, signed: rec.signed, path: rec.path, region: rec.region },
          { operation: 'GetMembership', status: 200, signed: true, path: `/memberships/${wire.id}`, region: 'us-east-1' },
        );
      }
      const fractional = await c.send(new GetMembershipCommand({ membershipIdentifier: SAMPLE.retailMedia.id }));
      assert.equal(fractional.membership?.updateTime?.toISOString(), '2024-06-10T16:00:00.517Z');
    });

    it('uses the profile region and session credentials', async () => {
      await client(PROFILES.eu).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] }));
      assert.equal(lastRequest(ep).region, 'eu-west-1');
      await client(PROFILES.session).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] }));
      assert.equal(lastRequest(ep).accessKeyId, TEST_SESSION_CREDENTIALS.accessKeyId);
      await client(PROFILES.default).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] }));
      assert.equal(lastRequest(ep).accessKeyId, TEST_CREDENTIALS.accessKeyId);
    });

    it('rejects a non-UUID membership id with 400 ValidationException like AWS', async () => {
      for (const bad of ['not-a-uuid', '', 'a/b', SAMPLE_IDS[0].toUpperCase()]) {
        const e = await failure(client().send(new GetMembershipCommand({ membershipIdentifier: bad })));
        assert.ok(e instanceof ValidationException, `${bad}: ${e.name}`);
        assert.equal(e.$metadata?.httpStatusCode, 400);
        assert.equal(e.reason, 'FIELD_VALIDATION_FAILED');
        assert.match(e.message, /validation errors? detected: Value '.*' at 'membershipIdentifier' failed to satisfy constraint/);
        const fields = e.fieldList as Array<{ name: string }>;
        assert.ok(fields.every((f) => f.name === 'membershipIdentifier'));
      }
    });
  });

  describe('fault ids', () => {
    it('has distinct lowercase UUIDs', () => {
      const ids = Object.values(FAULT_IDS);
      assert.equal(new Set(ids).size, ids.length);
      for (const id of ids) assert.match(id, UUID_PATTERN);
    });

    it('an unknown valid id is a 404 ResourceNotFoundException too', async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      const e = await failure(client().send(new GetMembershipCommand({ membershipIdentifier: id })));
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.resourceId, id);
    });

    it('hostile -> every attacker-controlled string round-trips exactly', async () => {
      const out = await client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.hostile }));
      assert.deepEqual(out.membership, sdkShape(HOSTILE_MEMBERSHIP));
      assert.equal(out.membership?.collaborationName, '<img src=x onerror=window.__pwned=1>');
    });

    it('slow -> a full membership after slowMs', async () => {
      const slowEp = await startCleanRoomsEndpoint({ slowMs: 150 });
      const c = new CleanRoomsClient({ endpoint: slowEp.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
      try {
        const t0 = Date.now();
        const out = await c.send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.slow }));
        assert.ok(Date.now() - t0 >= 140);
        assert.deepEqual(out.membership, sdkShape(SLOW_MEMBERSHIP));
      } finally {
        c.destroy();
        await slowEp.close();
      }
    });

    it('setLatency delays every response', async () => {
      const c = client();
      ep.setLatency(120);
      try {
        const t0 = Date.now();
        await c.send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] }));
        assert.ok(Date.now() - t0 >= 110);
      } finally {
        ep.setLatency(0);
      }
    });
  });

  // What the SDK does with each reply is what src/aws/errors.ts is written against: these pin it,
  // so an SDK upgrade that changes a name, a status or the retry count fails here first.
  describe('SDK contract: how client-cleanrooms surfaces each fault reply', () => {
    it('notFound -> ResourceNotFoundException 404 with resourceId/resourceType', async () => {
      const e = await failure(client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.notFound })));
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.$fault, 'client');
      assert.equal(e.$metadata?.httpStatusCode, 404);
      assert.equal(e.$metadata?.requestId, lastRequest(ep).requestId);
      assert.equal(e.message, FAULTS.notFound.error.message);
      assert.equal(e.resourceId, FAULT_IDS.notFound);
      assert.equal(e.resourceType, 'MEMBERSHIP');
    });

    it('accessDenied -> AccessDeniedException 403 INSUFFICIENT_PERMISSIONS', async () => {
      const e = await failure(client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.accessDenied })));
      assert.ok(e instanceof AccessDeniedException);
      assert.equal(e.$fault, 'client');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.equal(e.$metadata?.requestId, lastRequest(ep).requestId);
      assert.equal(e.reason, 'INSUFFICIENT_PERMISSIONS');
      assert.equal(e.message, FAULTS.accessDenied.error.message);
    });

    it('validation -> ValidationException 400 FIELD_VALIDATION_FAILED with fieldList', async () => {
      const e = await failure(client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.validation })));
      assert.ok(e instanceof ValidationException);
      assert.equal(e.$fault, 'client');
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.equal(e.reason, 'FIELD_VALIDATION_FAILED');
      assert.deepEqual(e.fieldList, [{ name: 'membershipIdentifier', message: FAULTS.validation.error.message }]);
      assert.equal(e.message, FAULTS.validation.error.message);
    });

    it('throttledOnce succeeds through the SDK retries (2 x 429, then 200), later calls at once', async () => {
      const before = ep.requests.length;
      const out = await client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.throttledOnce }));
      assert.deepEqual(out.membership, sdkShape(THROTTLED_ONCE_MEMBERSHIP));
      assert.equal(out.$metadata.attempts, 3);
      assert.deepEqual(
        ep.requests.slice(before).map((r) => r.status),
        [429, 429, 200],
      );
      const again = await client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.throttledOnce }));
      assert.equal(again.$metadata.attempts, 1);
    });

    it('throttledForever -> ThrottlingException 429 after the allowed attempts', async () => {
      const e = await failure(
        client(PROFILES.test, { maxAttempts: 2 }).send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.throttledForever })),
      );
      assert.ok(e instanceof ThrottlingException);
      assert.equal(e.$fault, 'client');
      assert.equal(e.$metadata?.httpStatusCode, 429);
      assert.equal(e.$metadata?.attempts, 2);
      assert.equal(e.message, FAULTS.throttledForever.error.message);
    });

    it('internalError -> InternalServerException 500 ($fault server), retried by the SDK', async () => {
      const e = await failure(client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.internalError })));
      assert.ok(e instanceof InternalServerException);
      assert.equal(e.$fault, 'server');
      assert.equal(e.$metadata?.httpStatusCode, 500);
      assert.equal(e.$metadata?.attempts, 3);
      assert.equal(e.$metadata?.requestId, lastRequest(ep).requestId);
      assert.equal(e.message, FAULTS.internalError.error.message);
    });

    it('expiredToken -> ExpiredTokenException (generic service exception, branch on name)', async () => {
      const e = await failure(
        client(PROFILES.test, { maxAttempts: 1 }).send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.expiredToken })),
      );
      assert.equal(e.name, 'ExpiredTokenException');
      assert.equal(e.$fault, 'client');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.equal(e.$metadata?.requestId, lastRequest(ep).requestId);
      assert.equal(e.message, FAULTS.expiredToken.error.message);
    });

    it('emptyBody -> membership undefined, no error', async () => {
      const out = await client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.emptyBody }));
      assert.equal(out.membership, undefined);
      assert.equal(out.$metadata.httpStatusCode, 200);
    });

    it('malformedJson -> the SDK throws a deserialization SyntaxError', async () => {
      const e = await failure(
        client(PROFILES.test, { maxAttempts: 1 }).send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.malformedJson })),
      );
      assert.equal(e.name, 'SyntaxError');
      assert.match(e.message, /JSON|Deserialization error/);
      assert.equal(e.$metadata?.httpStatusCode, 200);
      assert.equal(e.$metadata?.requestId, lastRequest(ep).requestId);
    });

    it('unknownUnion -> outputConfiguration arrives as $unknown', async () => {
      const out = await client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.unknownUnion }));
      const wireCfg = UNKNOWN_UNION_BODY.membership.defaultResultConfiguration;
      assert.deepEqual(out.membership?.defaultResultConfiguration, {
        outputConfiguration: { $unknown: ['dynamoDb', wireCfg.outputConfiguration.dynamoDb] },
        roleArn: wireCfg.roleArn,
      });
      assert.equal(out.membership?.collaborationName, UNKNOWN_UNION_BODY.membership.collaborationName);
    });

    it('unknownFields -> unknown fields are dropped at every level', async () => {
      const out = await client().send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.unknownFields }));
      assert.deepEqual(out.membership, sdkShape(UNKNOWN_FIELDS_MEMBERSHIP));
      assert.deepEqual(Object.keys(out).sort(), ['$metadata', 'membership']);
    });

    // Note: in this SDK, requestTimeout only logs a warning unless throwOnRequestTimeout is true.
    it('slow -> a request timeout fires, close() does not wait for the pending response', async () => {
      const slowEp = await startCleanRoomsEndpoint({ slowMs: 5000 });
      const c = new CleanRoomsClient({
        endpoint: slowEp.url,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
        requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
      });
      try {
        const t0 = Date.now();
        const e = await failure(c.send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.slow })));
        assert.equal(e.name, 'TimeoutError');
        assert.ok(Date.now() - t0 < 2000);
        // A second slow request is still pending on the server when we close it.
        const pending = c.send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.slow })).catch((err: unknown) => err);
        await new Promise((r) => setTimeout(r, 50));
        const t1 = Date.now();
        await slowEp.close();
        assert.ok(Date.now() - t1 < 1000, 'close() waited for the slow response');
        assert.ok((await pending) instanceof Error);
      } finally {
        c.destroy();
        await slowEp.close();
      }
    });
  });

  describe('SDK contract: credential providers and signature errors', () => {
    it('wrong secret -> 403 InvalidSignatureException', async () => {
      const e = await failure(client(PROFILES.wrongSecret).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] })));
      assert.equal(e.name, 'InvalidSignatureException');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.match(e.message, /^The request signature we calculated does not match the signature you provided/);
      assert.equal(lastRequest(ep).signed, false);

      const explicit = new CleanRoomsClient({
        endpoint: ep.url,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' },
      });
      clients.push(explicit);
      const e2 = await failure(explicit.send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] })));
      assert.equal(e2.name, 'InvalidSignatureException');
    });

    it('unknown access key -> 403 UnrecognizedClientException', async () => {
      const e = await failure(client(PROFILES.unknownKey).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] })));
      assert.equal(e.name, 'UnrecognizedClientException');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.equal(e.message, 'The security token included in the request is invalid.');
    });

    it('a session credential with the wrong token -> UnrecognizedClientException', async () => {
      const c = new CleanRoomsClient({
        endpoint: ep.url,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { ...TEST_SESSION_CREDENTIALS, sessionToken: 'stale-token' },
      });
      clients.push(c);
      const e = await failure(c.send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] })));
      assert.equal(e.name, 'UnrecognizedClientException');
    });

    it('process-ok: credential_process credentials work', async () => {
      const out = await client(PROFILES.processOk).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[3] }));
      assert.equal(out.membership?.id, SAMPLE_IDS[3]);
      assert.equal(lastRequest(ep).accessKeyId, TEST_CREDENTIALS.accessKeyId);
    });

    it('process-fails: a CredentialsProviderError carrying the process stderr, nothing sent', async () => {
      const before = ep.requests.length;
      const e = await failure(client(PROFILES.processFails).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] })));
      assert.equal(e.name, 'CredentialsProviderError');
      assert.ok(e.message.includes(PROCESS_FAILS_STDERR), e.message);
      assert.match(e.message, /Command failed/);
      assert.equal(ep.requests.length, before);
    });

    it('no-region: "Region is missing", nothing sent', async () => {
      const before = ep.requests.length;
      const e = await failure(client(PROFILES.noRegion).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] })));
      assert.match(e.message, /Region is missing/);
      assert.equal(ep.requests.length, before);
    });

    it('expired-sso: the SDK asks for `aws sso login` without any network', async () => {
      const before = ep.requests.length;
      const e = await failure(client(PROFILES.expiredSso).send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] })));
      assert.equal(e.name, 'CredentialsProviderError');
      assert.match(e.message, /SSO/);
      assert.match(e.message, /aws sso login/);
      assert.doesNotMatch(e.message, /not found/, 'the token cache file was not where the SDK looks');
      assert.equal(ep.requests.length, before);
    });
  });

  describe('regions (from the SigV4 credential scope)', () => {
    /** Every membership ListMemberships returns in the region of `profile`. */
    const listedIds = async (profile: string): Promise<string[]> => {
      const ids: string[] = [];
      for await (const page of paginateListMemberships({ client: client(profile) }, {})) {
        ids.push(...(page.membershipSummaries ?? []).map((m) => m.id ?? ''));
      }
      return ids;
    };

    it('ARNs in replies name the region of the request: eu-west-1 requests get eu-west-1 ARNs', async () => {
      const c = client(PROFILES.eu);
      const m = SAMPLE.retailMedia;
      const got = await c.send(new GetMembershipCommand({ membershipIdentifier: m.id }));
      assert.equal(lastRequest(ep).region, 'eu-west-1');
      assert.equal(got.membership?.arn, `arn:aws:cleanrooms:eu-west-1:${MEMBER_ACCOUNT_ID}:membership/${m.id}`);
      assert.equal(got.membership?.collaborationArn, `arn:aws:cleanrooms:eu-west-1:${m.collaborationCreatorAccountId}:collaboration/${m.collaborationId}`);
      const replies: unknown[] = [
        got,
        await c.send(new ListMembershipsCommand({})),
        await c.send(new GetCollaborationCommand({ collaborationIdentifier: m.collaborationId })),
        await c.send(new ListMembersCommand({ collaborationIdentifier: m.collaborationId })),
        await c.send(new ListConfiguredTableAssociationsCommand({ membershipIdentifier: m.id })),
        await c.send(new ListAnalysisTemplatesCommand({ membershipIdentifier: m.id })),
        await c.send(new ListProtectedQueriesCommand({ membershipIdentifier: m.id })),
      ];
      for (const reply of replies) {
        const text = JSON.stringify(reply);
        assert.ok(text.includes('arn:aws:cleanrooms:eu-west-1:'), text.slice(0, 200));
        assert.doesNotMatch(text, /arn:aws:cleanrooms:(?!eu-west-1:)/, 'no ARN of another region');
      }
      const denied = await failure(c.send(new GetMembershipCommand({ membershipIdentifier: FAULT_IDS.accessDenied })));
      assert.match(denied.message, /on resource: arn:aws:cleanrooms:eu-west-1:/);
      // The default region of the test profiles is the one the seeds are written for: unchanged.
      const home = await client().send(new GetMembershipCommand({ membershipIdentifier: m.id }));
      assert.deepEqual(home.membership, sdkShape(m));
    });

    it('a membership seeded in eu-west-1 lives there: ResourceNotFound in us-east-1, listed only in eu-west-1', async () => {
      seedDiscoverable(ep);
      const eu = DISCOVERABLE_MEMBERSHIPS[DISCOVER_OTHER_REGION][0];
      const us = DISCOVERABLE_MEMBERSHIPS[SEED_REGION][0];
      assert.equal(DISCOVER_OTHER_REGION, 'eu-west-1');
      assert.equal(SEED_REGION, 'us-east-1');

      const inUs = client(PROFILES.test);
      const missing = await failure(inUs.send(new GetMembershipCommand({ membershipIdentifier: eu.id })));
      assert.ok(missing instanceof ResourceNotFoundException, missing.name);
      assert.equal(missing.resourceType, 'MEMBERSHIP');
      assert.equal(lastRequest(ep).region, 'us-east-1');
      assert.ok((await failure(inUs.send(new ListConfiguredTableAssociationsCommand({ membershipIdentifier: eu.id })))) instanceof ResourceNotFoundException);
      assert.ok((await failure(inUs.send(new GetCollaborationCommand({ collaborationIdentifier: eu.collaborationId })))) instanceof ResourceNotFoundException);

      const inEu = client(PROFILES.eu);
      const found = await inEu.send(new GetMembershipCommand({ membershipIdentifier: eu.id }));
      assert.deepEqual(found.membership, sdkShape(eu));
      assert.match(eu.arn, /^arn:aws:cleanrooms:eu-west-1:/);
      const collab = await inEu.send(new GetCollaborationCommand({ collaborationIdentifier: eu.collaborationId }));
      assert.equal(collab.collaboration?.arn, eu.collaborationArn);
      assert.ok((await failure(inEu.send(new GetMembershipCommand({ membershipIdentifier: us.id })))) instanceof ResourceNotFoundException);

      const euIds = DISCOVERABLE_MEMBERSHIPS[DISCOVER_OTHER_REGION].map((m) => m.id);
      const usIds = DISCOVERABLE_MEMBERSHIPS[SEED_REGION].map((m) => m.id);
      // The samples answer in every region; each discoverable membership in its own only.
      assert.deepEqual(await listedIds(PROFILES.test), [...SAMPLE_IDS, ...usIds]);
      assert.deepEqual(await listedIds(PROFILES.eu), [...SAMPLE_IDS, ...euIds]);
    });
  });

  describe('listing and drill-down', () => {
    it('ListMemberships paginates all samples with the MembershipSummary shape', async () => {
      const c = client();
      const pages: MembershipSummary[][] = [];
      for await (const page of paginateListMemberships({ client: c, pageSize: 2 }, {})) {
        pages.push(page.membershipSummaries ?? []);
      }
      assert.equal(pages.length, Math.ceil(SAMPLE_MEMBERSHIPS.length / 2));
      const all = pages.flat();
      assert.deepEqual(all.map((m) => m.id), SAMPLE_IDS);
      assert.deepEqual(all, SAMPLE_MEMBERSHIPS.map((m) => sdkShape(toMembershipSummary(m))));
      for (const s of all) {
        assert.ok(!('queryLogStatus' in s) && !('defaultResultConfiguration' in s) && !('isMetricsEnabled' in s));
      }
      const tokens = ep.requests.filter((r) => r.operation === 'ListMemberships').map((r) => r.query.nextToken);
      assert.ok(tokens.some((t) => t !== undefined && /[+/=]/.test(t)), 'nextToken should be opaque base64');
    });

    it('ListMemberships filters by status and validates its parameters', async () => {
      const c = client();
      const removed = await c.send(new ListMembershipsCommand({ status: 'REMOVED' }));
      assert.deepEqual(removed.membershipSummaries?.map((m) => m.id), [SAMPLE.streamingRemoved.id]);
      assert.equal(removed.nextToken, undefined);
      const tooMany = await failure(c.send(new ListMembershipsCommand({ maxResults: 101 })));
      assert.ok(tooMany instanceof ValidationException);
      const badToken = await failure(c.send(new ListMembershipsCommand({ nextToken: 'forged' })));
      assert.ok(badToken instanceof ValidationException);
      const first = await c.send(new ListMembershipsCommand({ maxResults: 1 }));
      assert.ok(first.nextToken);
      const wrongScope = await failure(c.send(new ListMembershipsCommand({ nextToken: first.nextToken, status: 'ACTIVE' })));
      assert.ok(wrongScope instanceof ValidationException, 'a token is bound to its filter');
    });

    it('ListMemberships over addMemberships(bulk) pages at 100 by default; an added membership replaces a sample; resetRequests empties the log', async () => {
      const bulkEp = await startCleanRoomsEndpoint({ memberships: [{ ...SAMPLE.ctvReach, collaborationName: 'Overridden' }] });
      bulkEp.addMemberships(bulkMemberships(250));
      const c = new CleanRoomsClient({ endpoint: bulkEp.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
      try {
        const sizes: number[] = [];
        const ids = new Set<string>();
        for await (const page of paginateListMemberships({ client: c }, {})) {
          sizes.push(page.membershipSummaries?.length ?? 0);
          for (const m of page.membershipSummaries ?? []) ids.add(m.id ?? '');
        }
        assert.deepEqual(sizes, [100, 100, 57]);
        assert.equal(ids.size, 257);
        const over = await c.send(new GetMembershipCommand({ membershipIdentifier: SAMPLE.ctvReach.id }));
        assert.equal(over.membership?.collaborationName, 'Overridden');
        bulkEp.resetRequests();
        assert.equal(bulkEp.requests.length, 0);
      } finally {
        c.destroy();
        await bulkEp.close();
      }
    });

    it('ListConfiguredTableAssociations returns all 137 associations across pages', async () => {
      const c = client();
      const sizes: number[] = [];
      const ids = new Set<string>();
      for await (const page of paginateListConfiguredTableAssociations({ client: c }, { membershipIdentifier: MANY_ASSOCIATIONS_ID })) {
        sizes.push(page.configuredTableAssociationSummaries?.length ?? 0);
        for (const a of page.configuredTableAssociationSummaries ?? []) {
          ids.add(a.id ?? '');
          assert.equal(a.membershipId, MANY_ASSOCIATIONS_ID);
          assert.ok(a.createTime instanceof Date);
        }
      }
      assert.deepEqual(sizes, [100, MANY_ASSOCIATIONS_COUNT - 100]);
      assert.equal(ids.size, MANY_ASSOCIATIONS_COUNT);
      let pages = 0;
      for await (const page of paginateListConfiguredTableAssociations(
        { client: c, pageSize: 25 },
        { membershipIdentifier: MANY_ASSOCIATIONS_ID },
      )) {
        pages++;
        assert.ok((page.configuredTableAssociationSummaries?.length ?? 0) <= 25);
      }
      assert.equal(pages, Math.ceil(MANY_ASSOCIATIONS_COUNT / 25));
      const none = await c.send(new ListConfiguredTableAssociationsCommand({ membershipIdentifier: SAMPLE.travelSandbox.id }));
      assert.deepEqual(none.configuredTableAssociationSummaries, []);
    });

    it('GetCollaboration and ListMembers (paginated); a deleted collaboration is a 404', async () => {
      const c = client();
      const m = SAMPLE.retailMedia;
      const collab = await c.send(new GetCollaborationCommand({ collaborationIdentifier: m.collaborationId }));
      assert.equal(collab.collaboration?.name, m.collaborationName);
      assert.equal(collab.collaboration?.membershipId, m.id);
      assert.equal(collab.collaboration?.memberStatus, 'ACTIVE');
      assert.equal(collab.collaboration?.analyticsEngine, 'CLEAN_ROOMS_SQL');
      assert.ok(collab.collaboration?.createTime instanceof Date);
      assert.equal(lastRequest(ep).collaborationId, m.collaborationId);

      const members = [];
      let pages = 0;
      for await (const page of paginateListMembers({ client: c, pageSize: 5 }, { collaborationIdentifier: m.collaborationId })) {
        pages++;
        members.push(...(page.memberSummaries ?? []));
      }
      assert.deepEqual(members, sdkShape(membersFor(m)));
      assert.equal(pages, Math.ceil(membersFor(m).length / 5));

      const gone = await failure(
        c.send(new GetCollaborationCommand({ collaborationIdentifier: SAMPLE.loyaltyDeleted.collaborationId })),
      );
      assert.ok(gone instanceof ResourceNotFoundException);
      assert.equal(gone.resourceType, 'COLLABORATION');
    });

    it('ListAnalysisTemplates returns the templates of a sample, synthetic-data ones included', async () => {
      const out = await client().send(new ListAnalysisTemplatesCommand({ membershipIdentifier: SAMPLE.clinicalTrials.id }));
      assert.deepEqual(out.analysisTemplateSummaries, sdkShape(analysisTemplatesFor(SAMPLE.clinicalTrials)));
      assert.ok(out.analysisTemplateSummaries?.some((t) => t.isSyntheticData === true));
    });

    it('ListProtectedQueries with status filter, and AccessDeniedException for one sample', async () => {
      const c = client();
      const all = [];
      for await (const page of paginateListProtectedQueries({ client: c, pageSize: 7 }, { membershipIdentifier: SAMPLE.retailMedia.id })) {
        all.push(...(page.protectedQueries ?? []));
      }
      assert.deepEqual(all, sdkShape(protectedQueriesFor(SAMPLE.retailMedia)));
      const success = await c.send(
        new ListProtectedQueriesCommand({ membershipIdentifier: SAMPLE.retailMedia.id, status: 'SUCCESS' }),
      );
      assert.ok((success.protectedQueries?.length ?? 0) > 0);
      assert.ok(success.protectedQueries?.every((q) => q.status === 'SUCCESS'));
      assert.equal(lastRequest(ep).query.status, 'SUCCESS');

      const denied = await failure(c.send(new ListProtectedQueriesCommand({ membershipIdentifier: PROTECTED_QUERIES_DENIED_ID })));
      assert.ok(denied instanceof AccessDeniedException);
      assert.equal(denied.reason, 'INSUFFICIENT_PERMISSIONS');
      assert.match(denied.message, /cleanrooms:ListProtectedQueries/);

      const missing = await failure(c.send(new ListProtectedQueriesCommand({ membershipIdentifier: FAULT_IDS.notFound })));
      assert.ok(missing instanceof ResourceNotFoundException);
    });
  });

  describe('hostile strings', () => {
    it('has at least 20 hostile strings including the required kinds', () => {
      assert.ok(HOSTILE_STRINGS.length >= 20);
      assert.equal(HOSTILE_IDS.length, HOSTILE_STRINGS.length);
      assert.equal(new Set(HOSTILE_IDS).size, HOSTILE_IDS.length);
      for (const id of HOSTILE_IDS) assert.match(id, UUID_PATTERN);
      const has = (re: RegExp): boolean => HOSTILE_STRINGS.some((s) => re.test(s));
      assert.ok(has(/<img src=x onerror=/));
      assert.ok(has(/<\/script><script>/));
      assert.ok(has(/^javascript:/));
      assert.ok(has(/<\/style>/));
      assert.ok(has(/\(command:/));
      assert.ok(has(/\u202E/));
      assert.ok(has(/\u200B/));
      assert.ok(HOSTILE_STRINGS.some((s) => s.includes('\u0000')));
      assert.ok(HOSTILE_STRINGS.some((s) => s.length === 10000));
    });

    it('every HOSTILE_IDS membership round-trips its string exactly', async () => {
      const c = client();
      for (let i = 0; i < HOSTILE_IDS.length; i++) {
        const out = await c.send(new GetMembershipCommand({ membershipIdentifier: HOSTILE_IDS[i] }));
        assert.deepEqual(out.membership, sdkShape(hostileMembership(HOSTILE_IDS[i], i)), `hostile #${i}`);
        assert.equal(out.membership?.collaborationName, HOSTILE_STRINGS[i]);
        assert.equal(out.membership?.collaborationCreatorDisplayName, HOSTILE_STRINGS[i]);
      }
    });

    it('drill-down lists of a hostile membership carry the hostile strings', async () => {
      const c = client();
      const i = 1;
      const out = await c.send(new ListConfiguredTableAssociationsCommand({ membershipIdentifier: HOSTILE_IDS[i] }));
      assert.equal(out.configuredTableAssociationSummaries?.[0]?.name, HOSTILE_STRINGS[i]);
      const t = await c.send(new ListAnalysisTemplatesCommand({ membershipIdentifier: FAULT_IDS.hostile }));
      assert.equal(t.analysisTemplateSummaries?.[0]?.description, HOSTILE_STRINGS[0]);
    });
  });

  describe('serve.js CLI', () => {
    it('prints {"url","port"}, serves signed requests and exits 0 on SIGTERM', async () => {
      const script = path.join(__dirname, '..', 'fakes', 'serve.js');
      const child = spawn(process.execPath, [script, '--port', '0', '--latency', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
      });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          let buf = '';
          child.stdout.on('data', (d: Buffer) => {
            buf += d.toString('utf8');
            const nl = buf.indexOf('\n');
            if (nl !== -1) resolve(buf.slice(0, nl));
          });
          child.once('exit', (code) => reject(new Error(`serve.js exited early with ${String(code)}`)));
        });
        const info = JSON.parse(line) as { url: string; port: number };
        assert.equal(info.url, `http://127.0.0.1:${info.port}`);
        const c = new CleanRoomsClient({ endpoint: info.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
        try {
          const out = await c.send(new GetMembershipCommand({ membershipIdentifier: SAMPLE_IDS[0] }));
          assert.equal(out.membership?.id, SAMPLE_IDS[0]);
        } finally {
          c.destroy();
        }
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        assert.equal(await exited, 0);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  });
});
