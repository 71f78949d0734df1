import {
  AccessDeniedException,
  CleanRoomsServiceException,
  InternalServerException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-cleanrooms';
import { CredentialsProviderError, TokenProviderError } from '@smithy/core/config';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure, toFailure } from '../../src/aws/errors';
import { cleanText, redactSecrets } from '../../src/util/text';

const ctx = { operation: 'GetMembership', profile: 'prod', region: 'us-east-1' };
const meta = { httpStatusCode: 0, requestId: 'req-123', attempts: 1, totalRetryDelay: 0 };

describe('toFailure with the SDK\'s own exception classes', () => {
  it('maps each modelled error with message, request ID and next step', () => {
    const cases = [
      [new ResourceNotFoundException({ message: 'gone', resourceId: 'abc', resourceType: 'MEMBERSHIP', $metadata: { ...meta, httpStatusCode: 404 } }), 'notFound', /Check the ID/],
      [new AccessDeniedException({ message: 'nope', reason: 'INSUFFICIENT_PERMISSIONS', $metadata: { ...meta, httpStatusCode: 403 } }), 'accessDenied', /cleanrooms:GetMembership/],
      [new ValidationException({ message: 'bad', reason: 'FIELD_VALIDATION_FAILED', fieldList: [{ name: 'membershipIdentifier', message: 'too short' }], $metadata: { ...meta, httpStatusCode: 400 } }), 'validation', /Check the membership ID/],
      [new ThrottlingException({ message: 'Rate exceeded', $metadata: { ...meta, httpStatusCode: 429 } }), 'throttling', /wait/],
      [new InternalServerException({ message: 'boom', $metadata: { ...meta, httpStatusCode: 500 } }), 'internal', /retry later/],
    ] as const;
    for (const [error, kind, next] of cases) {
      const f = toFailure(error, ctx);
      assert.equal(f.kind, kind);
      assert.equal(f.requestId, 'req-123');
      assert.equal(f.message, error.message);
      assert.match(f.nextStep, next);
    }
  });

  it('carries resource and field details', () => {
    const nf = toFailure(new ResourceNotFoundException({ message: 'gone', resourceId: 'abc', resourceType: 'MEMBERSHIP', $metadata: meta }), ctx);
    assert.deepEqual(nf.details, ['Resource type: MEMBERSHIP', 'Resource ID: abc']);
    const v = toFailure(new ValidationException({ message: 'bad', reason: 'FIELD_VALIDATION_FAILED', fieldList: [{ name: 'id', message: 'too short' }], $metadata: meta }), ctx);
    assert.deepEqual(v.details, ['Reason: FIELD_VALIDATION_FAILED', 'id: too short']);
  });

  it('branches on name for unmodelled errors (ExpiredTokenException arrives as the generic class)', () => {
    const expired = new CleanRoomsServiceException({ name: 'ExpiredTokenException', $fault: 'client', message: 'The security token included in the request is expired', $metadata: meta });
    const f = toFailure(expired, ctx);
    assert.equal(f.kind, 'expiredCredentials');
    assert.match(f.nextStep, /aws sso login --profile prod/);
    const unrecognized = new CleanRoomsServiceException({ name: 'UnrecognizedClientException', $fault: 'client', message: 'The security token is invalid', $metadata: meta });
    assert.equal(toFailure(unrecognized, ctx).kind, 'invalidCredentials');
  });
});

describe('toFailure for credential, region and network problems', () => {
  it('expired SSO names the login command', () => {
    const f = toFailure(new TokenProviderError("Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile."), ctx);
    assert.equal(f.kind, 'ssoExpired');
    assert.equal(f.nextStep, 'Run `aws sso login --profile prod` in a terminal, then retry.');
    const c = toFailure(new CredentialsProviderError('The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'), ctx);
    assert.equal(c.kind, 'ssoExpired');
  });

  it('credential_process failures, missing profiles and no credentials at all', () => {
    assert.equal(toFailure(new CredentialsProviderError('Command failed: /bin/false\ntoken revoked'), ctx).kind, 'credentialProcess');
    assert.equal(toFailure(new CredentialsProviderError('Profile prod could not be found in shared credentials file.'), ctx).kind, 'missingProfile');
    assert.equal(toFailure(new CredentialsProviderError('Could not load credentials from any providers'), ctx).kind, 'noCredentials');
  });

  it('region missing, network errors, timeouts, malformed JSON and unknown errors', () => {
    assert.equal(toFailure(new Error('Region is missing'), ctx).kind, 'noRegion');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const f = toFailure(refused, ctx);
    assert.equal(f.kind, 'network');
    assert.match(f.message ?? '', /ECONNREFUSED/);
    assert.equal(toFailure(Object.assign(new Error('timeout'), { name: 'TimeoutError' }), { ...ctx, timeoutMs: 5000 }).title, 'Timed out after 5 s');
    assert.equal(toFailure(new SyntaxError('Unexpected end of JSON input'), ctx).kind, 'malformedResponse');
    assert.equal(toFailure('a string', ctx).kind, 'unknown');
    assert.equal(toFailure(undefined, ctx).kind, 'unknown');
  });
});

describe('toFailure for replies that are not AWS errors', () => {
  const withStatus = (error: Error, httpStatusCode: number): Error => Object.assign(error, { $metadata: { ...meta, requestId: undefined, httpStatusCode } });
  const hint = '\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';

  it('a dropped connection, retried then reported by the SDK as a TimeoutError, is a network failure', () => {
    const f = toFailure(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }), ctx);
    assert.equal(f.kind, 'network');
    assert.match(f.title, /dropped/);
    const midBody = toFailure(withStatus(Object.assign(new Error(`aborted${hint}`), { code: 'ECONNRESET' }), 200), ctx);
    assert.equal(midBody.kind, 'network');
    assert.equal(midBody.message, 'ECONNRESET: aborted');
  });

  it('an HTML error page is named by its status, without the SDK\'s developer hint', () => {
    const page = toFailure(withStatus(new SyntaxError(`Unexpected token '<', "<html><bod"... is not valid JSON${hint}`), 502), ctx);
    assert.equal(page.kind, 'internal');
    assert.equal(page.title, 'AWS Clean Rooms service error (HTTP 502)');
    assert.equal(page.retryable, true);
    assert.doesNotMatch(page.message ?? '', /hidden field/);
    const proxy = toFailure(withStatus(new SyntaxError(`Unexpected token '<', "<html>Forb"... is not valid JSON${hint}`), 403), ctx);
    assert.equal(proxy.kind, 'accessDenied');
    assert.match(proxy.nextStep, /proxy/);
  });

  it('a redirect and an empty 500 say so', () => {
    const redirect = toFailure(withStatus(Object.assign(new Error('UnknownError'), { name: 'Unknown' }), 301), ctx);
    assert.match(redirect.title, /redirected.*HTTP 301/);
    assert.match(redirect.nextStep, /cleanRooms\.endpoint/);
    const limited = toFailure(withStatus(new SyntaxError('Unexpected token \'R\', "Rate exceeded" is not valid JSON'), 429), ctx);
    assert.equal(limited.kind, 'throttling');
    assert.equal(limited.retryable, true);
    const empty = toFailure(withStatus(Object.assign(new Error('UnknownError'), { name: 'Unknown' }), 500), ctx);
    assert.equal(empty.kind, 'internal');
    assert.equal(empty.message, 'The reply named no error.');
  });

  it('a modelled error keeps its own mapping whatever its status', () => {
    const denied = toFailure(new AccessDeniedException({ message: 'no', $metadata: { ...meta, httpStatusCode: 403 } }), ctx);
    assert.equal(denied.title, 'Access denied');
  });
});

describe('untrusted text', () => {
  it('strips control and bidi characters and caps length', () => {
    assert.equal(cleanText('a\u0000b\u202Ec\u200Bd\ne'), 'abcd e');
    assert.equal(cleanText('x'.repeat(10_000)).length, 600);
  });

  it('redacts access keys, secrets, session tokens and signatures', () => {
    const text = 'AKIAABCDEFGHIJKLMNOP aws_secret_access_key=abc/def+ghi x-amz-security-token: FwoGZXIvYXdzE Signature=0123456789abcdef0123456789abcdef Credential=AKIDX/20260101';
    const out = redactSecrets(text);
    assert.doesNotMatch(out, /AKIAABCDEFGHIJKLMNOP|abc\/def\+ghi|FwoGZXIvYXdzE|0123456789abcdef0123|AKIDX/);
  });

  it('describeFailure gives one readable line', () => {
    const f = toFailure(new ThrottlingException({ message: 'Rate exceeded', $metadata: meta }), ctx);
    assert.equal(describeFailure(f), 'Throttled by AWS — Rate exceeded — Too many requests; wait a moment and retry. — Request ID: req-123');
  });
});
