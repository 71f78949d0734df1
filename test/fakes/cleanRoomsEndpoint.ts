/**
 * A local AWS Clean Rooms endpoint for tests, the demo and the benchmark.
 *
 * - Binds 127.0.0.1 only.
 * - Speaks restJson1 like the real service (paths, query parameters, status codes,
 *   `x-amzn-RequestId`, `x-amzn-ErrorType`, JSON error bodies) for the read operations the
 *   extension uses: GetMembership, ListMemberships, GetCollaboration, ListMembers,
 *   ListConfiguredTableAssociations, ListAnalysisTemplates, ListProtectedQueries; and for running
 *   queries: StartProtectedQuery (SQL, or an analysis template with parameters: ./templateRun),
 *   GetProtectedQuery, UpdateProtectedQuery (cancel), UpdateMembership; and for schema-aware
 *   authoring (./schemaApi): ListSchemas, GetSchema, BatchGetSchema, GetSchemaAnalysisRule,
 *   BatchGetSchemaAnalysisRule, ListCollaborationAnalysisTemplates, GetCollaborationAnalysisTemplate,
 *   ListPrivacyBudgets, PreviewPrivacyImpact. Every table is one spec (./schemaCatalog) that both
 *   the schemas and the engine's rule check are derived from.
 * - Runs protected queries for real (./queryEngine: DuckDB over seeded tables named like the
 *   membership's configured table associations, analysis rules checked) and writes the results to a
 *   real local S3 (./localS3: s3rver behind a SigV4 check), moving each query through SUBMITTED ->
 *   STARTED -> SUCCESS | FAILED over `queryDurationMs`, or CANCELLING -> CANCELLED when cancelled.
 * - Verifies SigV4 by re-signing the incoming request with @smithy/signature-v4.
 * - Serves the seeds of ./fixtures and the faults of ./faults (one table row per fault).
 * - Is regional like the service: the region is the one in the request's SigV4 credential scope.
 *   Every Clean Rooms ARN in a reply names that region. A membership added with a region lives
 *   there only (elsewhere it is ResourceNotFound, and ListMemberships leaves it out); the samples,
 *   the fault and hostile memberships and those added without a region answer in every region,
 *   because the tests switch profiles and regions and expect them to load.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { FAULTS, deniedMessage, type Fault, type FaultError } from './faults';
import { startLocalS3, type LocalS3 } from './localS3';
import { runProtectedQuery, type QueryOutcome } from './queryEngine';
import { SCHEMA_MEMBERSHIP_BY_ID, associationsOf, collaborationOf, queryTablesFor } from './schemaCatalog';
import { privacyOperation, schemaOperation, type ApiContext } from './schemaApi';
import { bindTemplate } from './templateRun';
import { ownTemplatesFor } from './schemaTemplates';
import type { FindingCode } from '../../src/sql/findings';
import {
  DEFAULT_ACCEPTED_CREDENTIALS,
  FAULT_IDS,
  HOSTILE_IDS,
  HOSTILE_STRINGS,
  PROTECTED_QUERIES_DENIED_ID,
  SAMPLE_MEMBERSHIPS,
  SEED_REGION,
  UUID_PATTERN,
  analysisTemplatesFor,
  MEMBER_ACCOUNT_ID,
  deriveId,
  hostileMembership,
  membersFor,
  protectedQueriesFor,
  toMembershipSummary,
  type FaultKind,
  type WireAnalysisTemplateSummary,
  type WireConfiguredTableAssociationSummary,
  type WireMembership,
  type WireProtectedQuerySummary,
} from './fixtures';

export type { WireMembership } from './fixtures';

export interface EndpointOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Added before every response. Default 0. */
  latencyMs?: number;
  /** Delay of the `slow` fault id. Default 60000. */
  slowMs?: number;
  /** Accepted credentials; replaces the default [TEST_CREDENTIALS, TEST_SESSION_CREDENTIALS]. */
  credentials?: Array<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  /** Extra memberships (in every region), or overrides of sample memberships with the same id. */
  memberships?: WireMembership[];
  /** From StartProtectedQuery to SUCCESS/FAILED (at least; the engine's own time if longer). Default 400. */
  queryDurationMs?: number;
  /** Where results go. Default: a local S3 the endpoint starts on first use and closes with itself. */
  s3?: LocalS3;
}

/** A protected query as GetProtectedQuery sends it (wire format: epoch-second timestamps). */
export interface WireProtectedQuery {
  id: string;
  membershipId: string;
  membershipArn: string;
  createTime: number;
  sqlParameters?: { queryString?: string; analysisTemplateArn?: string; parameters?: Record<string, string> };
  status: string;
  resultConfiguration?: { outputConfiguration: Record<string, unknown> };
  statistics?: { totalDurationInMillis: number; billedResourceUtilization?: { units: number } };
  result?: { output: { s3?: { location: string }; memberList?: Array<{ accountId: string }> } };
  error?: { code: string; message: string };
  computeConfiguration?: { worker: { type?: string; number?: number } };
}

export interface RecordedRequest {
  method: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  /** Decoded query parameters (first value of repeated ones). */
  query: Record<string, string>;
  /** Smithy operation name, or 'Unknown'. */
  operation: string;
  /** Decoded membership identifier from the path, when the operation has one. */
  membershipId?: string;
  /** Decoded collaboration identifier from the path, when the operation has one. */
  collaborationId?: string;
  status: number;
  /** True when the request carried a valid SigV4 signature from a known credential. */
  signed: boolean;
  /** Date.now() when the request arrived. */
  at: number;
  /** The x-amzn-RequestId sent back. */
  requestId: string;
  /** Region from the credential scope (signed requests only). */
  region?: string;
  /** Access key id from the credential scope (not secret; never the signature or secret key). */
  accessKeyId?: string;
  /** x-amzn-ErrorType sent back, for errors. */
  errorType?: string;
  /** The JSON body of an UpdateMembership or StartProtectedQuery request, as parsed (tests check exactly what was sent). */
  body?: unknown;
}

export interface CleanRoomsEndpoint {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  requests: RecordedRequest[];
  setLatency(ms: number): void;
  /**
   * Without `region`: memberships answered in every region (overriding samples with the same id).
   * With it: memberships that live in that region only; their ARNs should name it.
   */
  addMemberships(m: WireMembership[], region?: string): void;
  resetRequests(): void;
  /** The local S3 results are written to (started on first call). */
  s3(): Promise<LocalS3>;
  /** The protected queries started on this endpoint, newest first. */
  startedQueries(membershipId: string): readonly WireProtectedQuery[];
  /** From now on, queries take this long from StartProtectedQuery to SUCCESS/FAILED (queries already started keep theirs). */
  setQueryDuration(ms: number): void;
  /** When (Date.now()) this endpoint changed a started query's status, in order: what polling must notice. */
  statusChanges(queryId: string): ReadonlyArray<{ readonly status: string; readonly at: number }>;
  /** For a query that FAILED on an analysis rule: which pre-flight finding (src/sql/findings.ts) the violation is. Not on the wire. */
  ruleFinding(queryId: string): FindingCode | undefined;
  close(): Promise<void>;
}

const SERVICE = 'cleanrooms';
const CORAL_SERVICE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.coral.service/';
const MAX_BODY_BYTES = 1024 * 1024;

/** A request's body, or undefined once it grows past `max` bytes (the caller drops the connection). */
export async function readRequestBody(req: http.IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
    size += b.length;
    if (size > max) {
      return undefined;
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
const MAX_SKEW_MS = 15 * 60 * 1000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 100;
const TOKEN_KEY = 'cleanrooms-local-endpoint-pagination';
const UUID_PATTERN_TEXT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** How every seeded Clean Rooms ARN starts (fixtures build them for SEED_REGION). */
const SEED_ARN_PREFIX = `arn:aws:cleanrooms:${SEED_REGION}:`;

/**
 * A reply as the service in `region` would send it: seeded ARNs name that region. Done on the
 * reply text so that bodies built anywhere (seeds, fault messages, raw faults) follow one rule;
 * the prefix has no character JSON escapes, so it reads the same in the text as in the values.
 */
function inRegion(body: string, region: string | undefined): string {
  return region === undefined || region === SEED_REGION ? body : body.split(SEED_ARN_PREFIX).join(`arn:aws:cleanrooms:${region}:`);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly members: Record<string, unknown> = {},
    readonly errorTypeSuffix = '',
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body: string;
  errorType?: string;
  extraDelayMs?: number;
  /** Not an AWS reply (a proxy's page): this content type and no x-amzn-* headers. */
  foreignContentType?: string;
  /** Close the connection instead of replying. */
  reset?: boolean;
}

type Query = Record<string, string | string[]>;

interface Route {
  operation: string;
  membershipId?: string;
  protectedQueryId?: string;
  collaborationId?: string;
  /** Schema operations: the schema name, the analysis rule type, the template ARN (decoded). */
  name?: string;
  ruleType?: string;
  templateArn?: string;
}

/** Operations answered by ./schemaApi (collaboration-scoped, then membership-scoped). */
const SCHEMA_ROUTED = new Set(['ListSchemas', 'GetSchema', 'BatchGetSchema', 'GetSchemaAnalysisRule', 'BatchGetSchemaAnalysisRule', 'ListCollaborationAnalysisTemplates', 'GetCollaborationAnalysisTemplate']);
const PRIVACY_ROUTED = new Set(['ListPrivacyBudgets', 'PreviewPrivacyImpact']);

const FAULT_BY_ID: ReadonlyMap<string, Fault> = new Map(
  (Object.keys(FAULT_IDS) as FaultKind[]).map((k) => [FAULT_IDS[k], FAULTS[k]]),
);
/** Fault memberships whose collaboration (and members) can be looked up. */
const FAULT_MEMBERSHIPS: readonly WireMembership[] = Object.values(FAULTS).flatMap((f: Fault) => (f.membership ? [f.membership] : []));
const HOSTILE_INDEX: ReadonlyMap<string, number> = new Map(HOSTILE_IDS.map((id, i) => [id, i]));

// ---------------------------------------------------------------------------------------------
// Parsing helpers
// ---------------------------------------------------------------------------------------------

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function parseQuery(raw: string): Query {
  const out: Query = {};
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = safeDecode(eq === -1 ? part : part.slice(0, eq)) ?? part;
    const v = eq === -1 ? '' : (safeDecode(part.slice(eq + 1)) ?? part.slice(eq + 1));
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

function firstValues(q: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

function matchRoute(method: string, rawPath: string): Route | undefined {
  const raw = rawPath.split('/').slice(1);
  const seg = raw.map((s) => safeDecode(s) ?? s);
  if (seg[0] === 'memberships' && method !== 'GET') {
    if (method === 'PATCH' && seg.length === 2) return { operation: 'UpdateMembership', membershipId: seg[1] };
    if (method === 'POST' && seg.length === 3 && seg[2] === 'protectedQueries') return { operation: 'StartProtectedQuery', membershipId: seg[1] };
    if (method === 'POST' && seg.length === 3 && seg[2] === 'previewprivacyimpact') return { operation: 'PreviewPrivacyImpact', membershipId: seg[1] };
    if (method === 'PATCH' && seg.length === 4 && seg[2] === 'protectedQueries') {
      return { operation: 'UpdateProtectedQuery', membershipId: seg[1], protectedQueryId: seg[3] };
    }
    return undefined;
  }
  if (seg[0] === 'collaborations' && method === 'POST' && seg.length === 3) {
    const op = { 'batch-schema': 'BatchGetSchema', 'batch-schema-analysis-rule': 'BatchGetSchemaAnalysisRule' }[seg[2]];
    return op ? { operation: op, collaborationId: seg[1] } : undefined;
  }
  if (method !== 'GET') return undefined;
  if (seg[0] === 'memberships') {
    if (seg.length === 4 && seg[2] === 'protectedQueries') return { operation: 'GetProtectedQuery', membershipId: seg[1], protectedQueryId: seg[3] };
    if (seg.length === 1) return { operation: 'ListMemberships' };
    if (seg.length === 2) return { operation: 'GetMembership', membershipId: seg[1] };
    if (seg.length === 3) {
      const op = {
        configuredTableAssociations: 'ListConfiguredTableAssociations',
        analysistemplates: 'ListAnalysisTemplates',
        protectedQueries: 'ListProtectedQueries',
        privacybudgets: 'ListPrivacyBudgets',
      }[seg[2]];
      if (op) return { operation: op, membershipId: seg[1] };
    }
  } else if (seg[0] === 'collaborations') {
    if (seg.length === 2) return { operation: 'GetCollaboration', collaborationId: seg[1] };
    if (seg.length === 3 && seg[2] === 'members') return { operation: 'ListMembers', collaborationId: seg[1] };
    if (seg.length === 3 && seg[2] === 'schemas') return { operation: 'ListSchemas', collaborationId: seg[1] };
    if (seg.length === 4 && seg[2] === 'schemas') return { operation: 'GetSchema', collaborationId: seg[1], name: seg[3] };
    if (seg.length === 6 && seg[2] === 'schemas' && seg[4] === 'analysisRule') {
      return { operation: 'GetSchemaAnalysisRule', collaborationId: seg[1], name: seg[3], ruleType: seg[5] };
    }
    if (seg.length === 3 && seg[2] === 'analysistemplates') return { operation: 'ListCollaborationAnalysisTemplates', collaborationId: seg[1] };
    if (seg.length === 4 && seg[2] === 'analysistemplates') return { operation: 'GetCollaborationAnalysisTemplate', collaborationId: seg[1], templateArn: seg[3] };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Validation (Coral-style messages)
// ---------------------------------------------------------------------------------------------

function validationError(violations: Array<{ name: string; value: string; constraint: string }>): ApiError {
  const n = violations.length;
  const message =
    `${n} validation error${n === 1 ? '' : 's'} detected: ` +
    violations.map((v) => `Value '${v.value}' at '${v.name}' failed to satisfy constraint: ${v.constraint}`).join('; ');
  return new ApiError(400, 'ValidationException', message, {
    reason: 'FIELD_VALIDATION_FAILED',
    fieldList: violations.map((v) => ({ name: v.name, message: v.constraint })),
  });
}

function validateIdentifier(name: string, value: string): void {
  const v: Array<{ name: string; value: string; constraint: string }> = [];
  if (value.length < 36) v.push({ name, value, constraint: 'Member must have length greater than or equal to 36' });
  if (value.length > 36) v.push({ name, value, constraint: 'Member must have length less than or equal to 36' });
  if (!UUID_PATTERN.test(value)) {
    v.push({ name, value, constraint: `Member must satisfy regular expression pattern: ${UUID_PATTERN_TEXT}` });
  }
  if (v.length) throw validationError(v);
}

function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

function validateEnum(q: Query, key: string, values: readonly string[]): string | undefined {
  const v = one(q, key);
  if (v === undefined) return undefined;
  if (!values.includes(v)) {
    throw validationError([{ name: key, value: v, constraint: `Member must satisfy enum value set: [${values.join(', ')}]` }]);
  }
  return v;
}

function pageSize(q: Query): number {
  const v = one(q, 'maxResults');
  if (v === undefined) return DEFAULT_PAGE_SIZE;
  if (!/^-?\d+$/.test(v)) {
    throw validationError([{ name: 'maxResults', value: v, constraint: 'Member must be a valid integer' }]);
  }
  const n = Number(v);
  if (n < 1) {
    throw validationError([{ name: 'maxResults', value: v, constraint: 'Member must have value greater than or equal to 1' }]);
  }
  if (n > MAX_PAGE_SIZE) {
    throw validationError([
      { name: 'maxResults', value: v, constraint: `Member must have value less than or equal to ${MAX_PAGE_SIZE}` },
    ]);
  }
  return n;
}

function tokenMac(payload: string): string {
  return createHmac('sha256', TOKEN_KEY).update(payload).digest('base64').slice(0, 24);
}

function makeToken(scope: string, offset: number): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, s: createHash('sha1').update(scope).digest('hex'), o: offset })).toString(
    'base64',
  );
  return `${payload}.${tokenMac(payload)}`;
}

function readToken(token: string, scope: string): number {
  const invalid = new ApiError(400, 'ValidationException', 'The nextToken provided is invalid.', {
    reason: 'FIELD_VALIDATION_FAILED',
    fieldList: [{ name: 'nextToken', message: 'Invalid pagination token' }],
  });
  const dot = token.lastIndexOf('.');
  if (dot <= 0) throw invalid;
  const payload = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  if (mac !== tokenMac(payload)) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid;
  const p = parsed as { v?: unknown; s?: unknown; o?: unknown };
  if (p.v !== 1 || p.s !== createHash('sha1').update(scope).digest('hex') || typeof p.o !== 'number' || p.o < 0) {
    throw invalid;
  }
  return p.o;
}

function paginate<T>(items: T[], q: Query, scope: string): { page: T[]; nextToken?: string } {
  const size = pageSize(q);
  const tok = one(q, 'nextToken');
  const start = tok === undefined || tok === '' ? 0 : readToken(tok, scope);
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length ? { page, nextToken: makeToken(scope, end) } : { page };
}

// ---------------------------------------------------------------------------------------------
// SigV4 verification
// ---------------------------------------------------------------------------------------------

interface VerifiedAuth {
  accessKeyId: string;
  region: string;
}

interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Query;
  headers: Record<string, string>;
  body?: Uint8Array;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

function parseAmzDate(v: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** What differs between services in SigV4: the signing name, and S3's unescaped path and unsigned payloads. */
export interface SigV4Rules {
  readonly service: string;
  readonly uriEscapePath: boolean;
  readonly allowUnsignedPayload: boolean;
}

const CLEAN_ROOMS_SIGV4: SigV4Rules = { service: SERVICE, uriEscapePath: true, allowUnsignedPayload: false };

export type { Query as ParsedQuery };
export { parseQuery };

export async function verifySigV4(
  req: http.IncomingMessage,
  rawPath: string,
  query: Query,
  body: Buffer,
  credentials: ReadonlyArray<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>,
  rules: SigV4Rules = CLEAN_ROOMS_SIGV4,
): Promise<VerifiedAuth> {
  const authz = header(req, 'authorization');
  if (!authz) {
    throw new ApiError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const incomplete = (detail: string): ApiError =>
    new ApiError(403, 'IncompleteSignatureException', detail, {}, CORAL_SERVICE_SUFFIX);
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(authz);
  if (!m) {
    throw incomplete(
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either " +
        "a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const params: Record<string, string> = {};
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !params[k]);
  if (missing.length) {
    throw incomplete(missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '));
  }
  const amz = header(req, 'x-amz-date');
  if (!amz) {
    throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signingDate = parseAmzDate(amz);
  if (!signingDate) {
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${amz}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  const scope = params.Credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw incomplete(
      `Credential should be scoped to a valid region. Credential should be scoped with a valid terminator: 'aws4_request'.`,
    );
  }
  const [accessKeyId, scopeDate, region, service] = scope;
  const invalidSignature = (msg: string): ApiError =>
    new ApiError(403, 'InvalidSignatureException', msg, {}, CORAL_SERVICE_SUFFIX);
  if (service !== rules.service) {
    throw invalidSignature(`Credential should be scoped to correct service: '${rules.service}'. `);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw invalidSignature('Credential should be scoped to a valid region. ');
  }
  if (scopeDate !== amz.slice(0, 8)) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amz.slice(
        0,
        8,
      )}', from '${amz}'.`,
    );
  }
  const now = Date.now();
  if (signingDate.getTime() < now - MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${amz} is now earlier than ${amzDate(new Date(now - MAX_SKEW_MS))} (${amzDate(new Date(now))} - 15 min.)`,
    );
  }
  if (signingDate.getTime() > now + MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature not yet current: ${amz} is still later than ${amzDate(new Date(now + MAX_SKEW_MS))} (${amzDate(
        new Date(now),
      )} + 15 min.)`,
    );
  }
  const cred = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!cred) {
    throw new ApiError(403, 'UnrecognizedClientException', INVALID_TOKEN, {}, CORAL_SERVICE_SUFFIX);
  }
  const token = header(req, 'x-amz-security-token');
  if ((cred.sessionToken ?? undefined) !== token) {
    throw new ApiError(403, 'UnrecognizedClientException', INVALID_TOKEN, {}, CORAL_SERVICE_SUFFIX);
  }
  const signedHeaders = params.SignedHeaders.split(';').map((h) => h.trim().toLowerCase());
  if (!signedHeaders.includes('host')) {
    throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  // The payload hash the client claims must be the hash of what it sent.
  const bodyHash = body.length ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256;
  const claimed = header(req, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== bodyHash && !(rules.allowUnsignedPayload && claimed === 'UNSIGNED-PAYLOAD')) {
    throw invalidSignature(SIGNATURE_MISMATCH);
  }

  const headers: Record<string, string> = {};
  for (const h of signedHeaders) {
    const v = header(req, h);
    if (v !== undefined) headers[h] = v;
  }
  const host = header(req, 'host') ?? '';
  const colon = host.lastIndexOf(':');
  const toSign: SignableRequest = {
    method: req.method ?? 'GET',
    protocol: 'http:',
    hostname: colon > 0 ? host.slice(0, colon) : host,
    path: rawPath,
    query,
    headers,
  };
  if (colon > 0) toSign.port = Number(host.slice(colon + 1));
  if (body.length) toSign.body = new Uint8Array(body);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: cred.accessKeyId,
      secretAccessKey: cred.secretAccessKey,
      ...(signedHeaders.includes('x-amz-security-token') && token !== undefined ? { sessionToken: token } : {}),
    },
    region,
    service: rules.service,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: rules.uriEscapePath,
  });
  const signed = await signer.sign(toSign, {
    signingDate,
    signingRegion: region,
    signingService: rules.service,
    signableHeaders: new Set(signedHeaders),
  });
  const expectedAuth = String(signed.headers['authorization'] ?? signed.headers['Authorization'] ?? '');
  const expected = /Signature=([0-9a-f]+)/.exec(expectedAuth)?.[1] ?? '';
  const expectedSignedHeaders = /SignedHeaders=([^,]+)/.exec(expectedAuth)?.[1] ?? '';
  const given = params.Signature;
  const ok =
    expected.length === given.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(given)) &&
    expectedSignedHeaders === signedHeaders.join(';');
  if (!ok) throw invalidSignature(SIGNATURE_MISMATCH);
  return { accessKeyId, region };
}

// ---------------------------------------------------------------------------------------------
// The endpoint
// ---------------------------------------------------------------------------------------------

function hostileDrillDown(m: WireMembership, s: string): {
  associations: WireConfiguredTableAssociationSummary[];
  templates: WireAnalysisTemplateSummary[];
  queries: WireProtectedQuerySummary[];
} {
  return {
    associations: [
      {
        configuredTableId: s,
        membershipId: m.id,
        membershipArn: s,
        name: s,
        createTime: 1700000000,
        updateTime: 1700000000,
        id: s,
        arn: s,
        analysisRuleTypes: [s],
      },
    ],
    templates: [
      {
        arn: s,
        createTime: 1700000000,
        id: s,
        name: s,
        updateTime: 1700000000,
        membershipArn: s,
        membershipId: m.id,
        collaborationArn: s,
        collaborationId: s,
        description: s,
        isSyntheticData: false,
      },
    ],
    queries: [
      {
        id: s,
        membershipId: m.id,
        membershipArn: s,
        createTime: 1700000000,
        status: s,
        receiverConfigurations: [
          { analysisType: s, configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: [s] } } },
        ],
      },
    ],
  };
}

const LIST_KEYS: Record<string, string> = {
  ListConfiguredTableAssociations: 'configuredTableAssociationSummaries',
  ListAnalysisTemplates: 'analysisTemplateSummaries',
  ListProtectedQueries: 'protectedQueries',
};

const PROTECTED_QUERY_STATUSES = ['SUBMITTED', 'STARTED', 'CANCELLED', 'CANCELLING', 'FAILED', 'SUCCESS', 'TIMED_OUT'];
const MEMBERSHIP_STATUSES = ['ACTIVE', 'REMOVED', 'COLLABORATION_DELETED'];

export async function startCleanRoomsEndpoint(opts: EndpointOptions = {}): Promise<CleanRoomsEndpoint> {
  let latencyMs = Math.max(0, opts.latencyMs ?? 0);
  const slowMs = Math.max(0, opts.slowMs ?? 60000);
  const credentials = (opts.credentials ?? DEFAULT_ACCEPTED_CREDENTIALS).map((c) => ({ ...c }));
  /** Memberships answered in every region. */
  const memberships = new Map<string, WireMembership>();
  /** Memberships that live in one region: region -> id -> membership. */
  const regional = new Map<string, Map<string, WireMembership>>();
  const requests: RecordedRequest[] = [];
  /** Calls per fault id, for faults that fail only the first N times. */
  const faultCalls = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let closed = false;
  let queryDurationMs = Math.max(0, opts.queryDurationMs ?? 400);
  /** Status changes of started queries, by query id (the wire record carries no such times). */
  const changes = new Map<string, Array<{ status: string; at: number }>>();
  const setStatus = (pq: WireProtectedQuery, status: string): void => {
    pq.status = status;
    const list = changes.get(pq.id) ?? [];
    list.push({ status, at: Date.now() });
    changes.set(pq.id, list);
  };
  /** The pre-flight finding each failed query's rule violation corresponds to (tests compare). */
  const findings = new Map<string, FindingCode>();
  /** Protected queries started here, per membership, newest first. */
  const started = new Map<string, WireProtectedQuery[]>();
  /** Memberships changed by UpdateMembership (served instead of their seed). */
  const updated = new Map<string, WireMembership>();
  /** Query executions and result writes still running (close() waits for them). */
  const pending = new Set<Promise<void>>();
  let s3: Promise<LocalS3> | undefined = opts.s3 ? Promise.resolve(opts.s3) : undefined;
  const localS3 = (): Promise<LocalS3> => (s3 ??= startLocalS3({ credentials }));
  const later = (ms: number, f: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) f();
    }, ms);
    timers.add(t);
  };
  /** Resolves after `ms`, or at once when the endpoint closes. */
  const wakers = new Set<() => void>();
  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const wake = (): void => {
        wakers.delete(wake);
        resolve();
      };
      wakers.add(wake);
      const t = setTimeout(() => {
        timers.delete(t);
        wake();
      }, ms);
      timers.add(t);
    });
  const track = (p: Promise<void>): void => {
    const done = p.catch(() => undefined).finally(() => pending.delete(done));
    pending.add(done);
  };

  const addMemberships = (list: WireMembership[], region?: string): void => {
    let target = memberships;
    if (region !== undefined) {
      target = regional.get(region) ?? new Map<string, WireMembership>();
      regional.set(region, target);
    }
    for (const m of list) target.set(m.id, m);
  };
  /** What the service in `region` knows: the memberships of every region, then its own. */
  const membershipsIn = (region: string): WireMembership[] => [...memberships.values(), ...(regional.get(region)?.values() ?? [])];
  addMemberships(SAMPLE_MEMBERSHIPS);
  addMemberships(opts.memberships ?? []);

  /** Memberships whose collaboration can be looked up (listed ones plus full fault memberships). */
  const collaborationOwner = (collaborationId: string, region: string): WireMembership | undefined => {
    for (const m of membershipsIn(region)) if (m.collaborationId === collaborationId) return m;
    for (const m of SCHEMA_MEMBERSHIP_BY_ID.values()) if (m.collaborationId === collaborationId) return updated.get(m.id) ?? m;
    return FAULT_MEMBERSHIPS.find((m) => m.collaborationId === collaborationId);
  };

  const wait = (ms: number, res: http.ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      if (ms <= 0) {
        resolve(!closed && !res.destroyed);
        return;
      }
      const onClose = (): void => {
        clearTimeout(t);
        timers.delete(t);
        resolve(false);
      };
      const t = setTimeout(() => {
        timers.delete(t);
        res.off('close', onClose);
        resolve(!closed && !res.destroyed);
      }, ms);
      timers.add(t);
      res.once('close', onClose);
    });

  const json = (status: number, body: unknown, extraDelayMs = 0): Reply => ({
    status,
    body: JSON.stringify(body),
    extraDelayMs,
  });

  const faultError = (e: FaultError, route: Route, id: string): ApiError =>
    new ApiError(
      e.status,
      e.code,
      route.operation !== 'GetMembership' && e.messageFor ? e.messageFor(route.operation, id) : e.message,
      e.members?.(id) ?? {},
      e.coralSuffix ? CORAL_SERVICE_SUFFIX : '',
    );

  /** A fault's own reply to a membership-scoped operation; undefined = serve its membership. */
  const faultReply = (fault: Fault, route: Route, id: string, extraDelayMs: number): Reply | undefined => {
    if (fault.error) {
      const calls = (faultCalls.get(id) ?? 0) + 1;
      faultCalls.set(id, calls);
      if (fault.error.times === undefined || calls <= fault.error.times) throw faultError(fault.error, route, id);
    }
    const raw = fault.raw?.(route.operation);
    if (raw) return { ...raw, extraDelayMs };
    if (route.operation === 'GetMembership' && fault.getMembershipBody !== undefined) {
      return json(200, fault.getMembershipBody, extraDelayMs);
    }
    return undefined;
  };

  /** The membership a membership-scoped operation acts on (after faults), or a 404. */
  const resolveMembership = (id: string, fault: Fault | undefined, region: string): WireMembership => {
    const changed = updated.get(id);
    if (changed) return changed;
    if (fault?.membership) return fault.membership;
    const hi = HOSTILE_INDEX.get(id);
    if (hi !== undefined) return hostileMembership(id, hi);
    const m = regional.get(region)?.get(id) ?? memberships.get(id) ?? SCHEMA_MEMBERSHIP_BY_ID.get(id);
    if (!m) {
      throw new ApiError(404, 'ResourceNotFoundException', `Membership ${id} not found.`, {
        resourceId: id,
        resourceType: 'MEMBERSHIP',
      });
    }
    return m;
  };

  // ---- Protected queries -------------------------------------------------------------------

  const RUNNING = new Set(['SUBMITTED', 'STARTED', 'CANCELLING']);
  const MAX_CONCURRENT_QUERIES = 5;

  const readBody = (body: Buffer): Record<string, unknown> => {
    if (!body.length) return {};
    try {
      const v: unknown = JSON.parse(body.toString('utf8'));
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new ApiError(400, 'SerializationException', 'Could not parse the request body as JSON.');
  };
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const enumValue = (name: string, v: unknown, values: readonly string[], required = false): string | undefined => {
    if (v === undefined || v === null) {
      if (required) throw validationError([{ name, value: 'null', constraint: 'Member must not be null' }]);
      return undefined;
    }
    if (typeof v !== 'string' || !values.includes(v)) {
      throw validationError([{ name, value: String(v), constraint: `Member must satisfy enum value set: [${values.join(', ')}]` }]);
    }
    return v;
  };
  const invalidConfig = (message: string): ApiError => new ApiError(400, 'ValidationException', message, { reason: 'INVALID_CONFIGURATION' });

  /** Checks an S3 output configuration as the model constrains it. */
  const s3Output = (name: string, v: unknown): { resultFormat: string; bucket: string; keyPrefix?: string; singleFileOutput?: boolean } => {
    const o = obj(v) ?? {};
    const resultFormat = enumValue(`${name}.resultFormat`, o.resultFormat, ['CSV', 'PARQUET'], true) ?? 'CSV';
    const bucket = o.bucket;
    if (typeof bucket !== 'string' || !/^[a-z0-9][a-z0-9.\-_]{1,61}[a-z0-9]$/.test(bucket)) {
      throw validationError([{ name: `${name}.bucket`, value: String(bucket), constraint: 'Member must satisfy regular expression pattern: .*(?!.*[.]{2})[a-z0-9][a-z0-9.\\-_]{1,61}[a-z0-9].*' }]);
    }
    const out: { resultFormat: string; bucket: string; keyPrefix?: string; singleFileOutput?: boolean } = { resultFormat, bucket };
    if (typeof o.keyPrefix === 'string') out.keyPrefix = o.keyPrefix;
    if (typeof o.singleFileOutput === 'boolean') out.singleFileOutput = o.singleFileOutput;
    return out;
  };

  const canReceive = (m: WireMembership, accountId: string): boolean =>
    accountId === MEMBER_ACCOUNT_ID ? m.memberAbilities.includes('CAN_RECEIVE_RESULTS') : membersFor(m).some((x) => x.accountId === accountId && x.abilities.includes('CAN_RECEIVE_RESULTS'));

  /** Where the result files of a query go: the S3 output, or the receiving member's default location. */
  const destination = (m: WireMembership, output: Record<string, unknown>): { bucket: string; keyPrefix: string; format: 'CSV' | 'PARQUET'; single: boolean; member?: string } => {
    const s3o = obj(output.s3);
    if (s3o) {
      const o = s3Output('resultConfiguration.outputConfiguration.s3', s3o);
      return { bucket: o.bucket, keyPrefix: o.keyPrefix ?? '', format: o.resultFormat === 'PARQUET' ? 'PARQUET' : 'CSV', single: o.singleFileOutput === true };
    }
    const member = obj(output.member);
    const accountId = member?.accountId;
    if (typeof accountId !== 'string') throw invalidConfig('The output configuration must have exactly one of s3 or member.');
    // Our own default, or (another member's, which we cannot see) a bucket named after the account.
    const own = accountId === MEMBER_ACCOUNT_ID ? m.defaultResultConfiguration?.outputConfiguration.s3 : undefined;
    return {
      bucket: own?.bucket ?? `cleanrooms-results-${accountId}`,
      keyPrefix: own?.keyPrefix ?? '',
      format: own?.resultFormat === 'PARQUET' ? 'PARQUET' : 'CSV',
      single: own?.singleFileOutput === true,
      member: accountId,
    };
  };

  const historical = (m: WireMembership, id: string): WireProtectedQuery | undefined => {
    const s = protectedQueriesFor(m).find((pq) => pq.id === id);
    if (!s) return undefined;
    const pq: WireProtectedQuery = { id: s.id, membershipId: s.membershipId, membershipArn: s.membershipArn, createTime: s.createTime, status: s.status, sqlParameters: { queryString: 'SELECT campaign_id, COUNT(DISTINCT hashed_email) FROM campaign_exposures GROUP BY campaign_id' } };
    if (s.status === 'SUCCESS') pq.result = { output: { s3: { location: `s3://historical-results-${MEMBER_ACCOUNT_ID}/${s.id}/` } } };
    if (s.status === 'FAILED') pq.error = { code: 'ANALYSIS_RULE_VIOLATION', message: 'Column hashed_email of table campaign_exposures can only be used in a JOIN ON clause: it is a join column of the aggregation analysis rule.' };
    if (['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(s.status)) pq.statistics = { totalDurationInMillis: 94000, billedResourceUtilization: { units: 0.42 } };
    return pq;
  };

  const findQuery = (m: WireMembership, queryId: string): WireProtectedQuery => {
    const pq = started.get(m.id)?.find((x) => x.id === queryId) ?? historical(m, queryId);
    if (!pq) {
      // The model's ResourceType has no protected-query value; the service's own value is not documented.
      throw new ApiError(404, 'ResourceNotFoundException', `Protected query ${queryId} not found.`, { resourceId: queryId, resourceType: 'PROTECTED_QUERY' });
    }
    return pq;
  };

  const finish = (pq: WireProtectedQuery, t0: number, units: number): void => {
    pq.statistics = { totalDurationInMillis: Date.now() - t0, billedResourceUtilization: { units } };
  };

  /** Runs the query in the background: SUBMITTED -> STARTED -> (execute, write) -> SUCCESS | FAILED. */
  const execute = (m: WireMembership, pq: WireProtectedQuery, sql: string, dest: ReturnType<typeof destination>, fault: Fault | undefined, templateArn?: string): void => {
    const t0 = Date.now();
    const durationMs = queryDurationMs;
    const workers = pq.computeConfiguration?.worker.number ?? 16;
    const units = Math.round(((Math.max(durationMs, 60000) / 3600000) * workers) * 1000) / 1000;
    later(Math.floor(durationMs / 4), () => {
      if (pq.status !== 'SUBMITTED') return;
      setStatus(pq, 'STARTED');
      if (fault?.query?.neverFinishes) return;
      const tables = queryTablesFor(m);
      track(
        (async () => {
          let outcome: QueryOutcome;
          try {
            outcome = await runProtectedQuery(sql, tables, { format: dest.format, singleFileOutput: dest.single }, templateArn);
          } catch (e) {
            outcome = { ok: false, code: 'INTERNAL_ERROR', message: `The local engine failed: ${(e as Error).message}` };
          }
          const wait = t0 + durationMs - Date.now();
          if (wait > 0) await sleep(wait);
          if (closed || pq.status !== 'STARTED') return;
          if (!outcome.ok) {
            setStatus(pq, 'FAILED');
            pq.error = { code: outcome.code, message: outcome.message };
            if (outcome.finding) findings.set(pq.id, outcome.finding);
            finish(pq, t0, units);
            return;
          }
          const prefix = `${dest.keyPrefix}${dest.keyPrefix && !dest.keyPrefix.endsWith('/') ? '/' : ''}${pq.id}/`;
          try {
            const store = await localS3();
            if (fault?.query?.s3AccessDenied) store.denyReads(dest.bucket, prefix);
            // The results bucket exists (the destination was accepted); only the objects are missing.
            await store.ensureBucket(dest.bucket);
            for (const f of fault?.query?.missingResultObject ? [] : outcome.files) {
              const bytes = fault?.query?.corruptParquet ? f.bytes.subarray(0, Math.floor(f.bytes.length / 2)) : f.bytes;
              await store.putObject(dest.bucket, `${prefix}${f.name}`, bytes, dest.format === 'PARQUET' ? 'application/octet-stream' : 'text/csv');
            }
          } catch (e) {
            if (closed || pq.status !== 'STARTED') return;
            setStatus(pq, 'FAILED');
            pq.error = { code: 'INTERNAL_ERROR', message: `Writing the results to s3://${dest.bucket}/${prefix} failed: ${(e as Error).message}` };
            finish(pq, t0, units);
            return;
          }
          if (closed || pq.status !== 'STARTED') return;
          setStatus(pq, 'SUCCESS');
          pq.result = { output: dest.member !== undefined ? { memberList: [{ accountId: dest.member }] } : { s3: { location: `s3://${dest.bucket}/${prefix}` } } };
          finish(pq, t0, units);
        })(),
      );
    });
  };

  const startProtectedQuery = (m: WireMembership, body: Record<string, unknown>, fault: Fault | undefined): Reply => {
    enumValue('type', body.type, ['SQL'], true);
    const sqlParameters = obj(body.sqlParameters);
    if (!sqlParameters) throw validationError([{ name: 'sqlParameters', value: 'null', constraint: 'Member must not be null' }]);
    const queryString = sqlParameters.queryString;
    const templateArn = sqlParameters.analysisTemplateArn;
    if (templateArn !== undefined && queryString !== undefined) throw invalidConfig('sqlParameters must have either a queryString or an analysisTemplateArn, not both.');
    let sql: string;
    if (templateArn !== undefined) {
      if (typeof templateArn !== 'string' || templateArn.length === 0) throw validationError([{ name: 'sqlParameters.analysisTemplateArn', value: String(templateArn), constraint: 'Member must have length greater than or equal to 1' }]);
      sql = bindTemplate(m, templateArn, sqlParameters.parameters, {
        validation: validationError,
        invalid: invalidConfig,
        notFound: (message, resourceId, resourceType) => new ApiError(404, 'ResourceNotFoundException', message, { resourceId, resourceType }),
      }).sql;
    } else if (typeof queryString !== 'string' || queryString.length === 0) {
      throw invalidConfig('sqlParameters must have a queryString or an analysisTemplateArn.');
    } else {
      sql = queryString;
    }
    if (typeof queryString === 'string' && queryString.length > 500000) {
      throw validationError([{ name: 'sqlParameters.queryString', value: '*** Sensitive Data Redacted ***', constraint: 'Member must have length less than or equal to 500000' }]);
    }
    if (m.status !== 'ACTIVE') throw invalidConfig(`Membership ${m.id} is not active.`);
    if (!m.memberAbilities.includes('CAN_QUERY')) {
      throw new ApiError(403, 'AccessDeniedException', `Membership ${m.id} does not have the CAN_QUERY ability in this collaboration.`, { reason: 'INSUFFICIENT_PERMISSIONS' });
    }
    const compute = obj(body.computeConfiguration);
    const worker = obj(compute?.worker);
    if (compute) {
      if (collaborationOf(m).analyticsEngine !== 'SPARK') throw invalidConfig('computeConfiguration is supported only with the SPARK analytics engine.');
      enumValue('computeConfiguration.worker.type', worker?.type, ['CR.1X', 'CR.4X']);
      const n = worker?.number;
      if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > 400)) {
        throw validationError([{ name: 'computeConfiguration.worker.number', value: String(n), constraint: 'Member must have value between 2 and 400 for SQL queries' }]);
      }
    }
    let resultConfiguration = obj(body.resultConfiguration);
    if (!resultConfiguration) {
      if (!m.defaultResultConfiguration || !m.memberAbilities.includes('CAN_RECEIVE_RESULTS')) {
        throw invalidConfig('resultConfiguration is required: this membership has no default result configuration.');
      }
      resultConfiguration = { outputConfiguration: { s3: m.defaultResultConfiguration.outputConfiguration.s3 } };
    }
    const output = obj(resultConfiguration.outputConfiguration);
    if (!output) throw validationError([{ name: 'resultConfiguration.outputConfiguration', value: 'null', constraint: 'Member must not be null' }]);
    if (output.distribute !== undefined) throw invalidConfig('distribute output is not supported by the local endpoint.');
    if (obj(output.s3) && !m.memberAbilities.includes('CAN_RECEIVE_RESULTS')) {
      throw invalidConfig('S3 output is allowed only for a member who can receive results; choose member output.');
    }
    const member = obj(output.member);
    if (member && (typeof member.accountId !== 'string' || !canReceive(m, member.accountId))) {
      throw invalidConfig(`Account ${String(member.accountId)} is not a member of this collaboration who can receive results.`);
    }
    const dest = destination(m, output);
    if (fault?.query?.startError) throw faultError(fault.query.startError, { operation: 'StartProtectedQuery' }, m.id);
    const list = started.get(m.id) ?? [];
    if (list.filter((x) => RUNNING.has(x.status)).length >= MAX_CONCURRENT_QUERIES) {
      throw new ApiError(402, 'ServiceQuotaExceededException', `Request denied because the number of concurrent protected queries for this membership exceeds the quota of ${MAX_CONCURRENT_QUERIES}.`, {
        quotaName: 'Concurrent protected queries per membership',
        quotaValue: MAX_CONCURRENT_QUERIES,
      });
    }
    const id = deriveId(`started-query-${m.id}-${randomUUID()}`);
    const pq: WireProtectedQuery = {
      id,
      membershipId: m.id,
      membershipArn: m.arn,
      createTime: Date.now() / 1000,
      sqlParameters: typeof templateArn === 'string' ? { analysisTemplateArn: templateArn, ...(obj(sqlParameters.parameters) ? { parameters: sqlParameters.parameters as Record<string, string> } : {}) } : { queryString: sql },
      status: 'SUBMITTED',
      resultConfiguration: { outputConfiguration: output },
    };
    if (worker) pq.computeConfiguration = { worker: { ...(typeof worker.type === 'string' ? { type: worker.type } : {}), ...(typeof worker.number === 'number' ? { number: worker.number } : {}) } };
    list.unshift(pq);
    started.set(m.id, list);
    changes.set(id, [{ status: 'SUBMITTED', at: Date.now() }]);
    execute(m, pq, sql, dest, fault, typeof templateArn === 'string' ? templateArn : undefined);
    if (fault?.query?.startErrorAfterStarting) throw faultError(fault.query.startErrorAfterStarting, { operation: 'StartProtectedQuery' }, m.id);
    return json(200, { protectedQuery: pq }, fault?.query?.startSlow ? slowMs : 0);
  };

  const cancelProtectedQuery = (m: WireMembership, queryId: string, body: Record<string, unknown>, fault: Fault | undefined): Reply => {
    enumValue('targetStatus', body.targetStatus, ['CANCELLED'], true);
    const pq = findQuery(m, queryId);
    if (fault?.query?.conflict) throw faultError(fault.query.conflict, { operation: 'UpdateProtectedQuery' }, queryId);
    if (pq.status === 'SUBMITTED' || pq.status === 'STARTED') {
      setStatus(pq, 'CANCELLING');
      later(Math.min(150, Math.floor(queryDurationMs / 4)), () => {
        if (pq.status === 'CANCELLING') setStatus(pq, 'CANCELLED');
      });
    } else if (pq.status !== 'CANCELLING' && pq.status !== 'CANCELLED') {
      throw new ApiError(409, 'ConflictException', `Protected query ${queryId} cannot be cancelled: it is ${pq.status}.`, { resourceId: queryId, reason: 'INVALID_STATE' });
    }
    return json(200, { protectedQuery: pq });
  };

  const updateMembership = (m: WireMembership, body: Record<string, unknown>, fault: Fault | undefined): Reply => {
    const queryLogStatus = enumValue('queryLogStatus', body.queryLogStatus, ['ENABLED', 'DISABLED']);
    const jobLogStatus = enumValue('jobLogStatus', body.jobLogStatus, ['ENABLED', 'DISABLED']);
    const next: WireMembership = { ...m };
    const drc = obj(body.defaultResultConfiguration);
    if (drc) {
      if (!m.memberAbilities.includes('CAN_RECEIVE_RESULTS')) throw invalidConfig('Only a member who can receive results can set a default result configuration.');
      const oc = obj(drc.outputConfiguration);
      if (!oc) throw validationError([{ name: 'defaultResultConfiguration.outputConfiguration', value: 'null', constraint: 'Member must not be null' }]);
      next.defaultResultConfiguration = { outputConfiguration: { s3: s3Output('defaultResultConfiguration.outputConfiguration.s3', oc.s3) } };
      if (typeof drc.roleArn === 'string') next.defaultResultConfiguration.roleArn = drc.roleArn;
    }
    const djrc = obj(body.defaultJobResultConfiguration);
    if (djrc) {
      if (!m.memberAbilities.includes('CAN_RECEIVE_RESULTS')) throw invalidConfig('Only a member who can receive results can set a default job result configuration.');
      const s3o = obj(obj(djrc.outputConfiguration)?.s3);
      if (!s3o || typeof s3o.bucket !== 'string') throw validationError([{ name: 'defaultJobResultConfiguration.outputConfiguration.s3.bucket', value: 'null', constraint: 'Member must not be null' }]);
      if (typeof djrc.roleArn !== 'string') throw validationError([{ name: 'defaultJobResultConfiguration.roleArn', value: 'null', constraint: 'Member must not be null' }]);
      next.defaultJobResultConfiguration = { outputConfiguration: { s3: { bucket: s3o.bucket, ...(typeof s3o.keyPrefix === 'string' ? { keyPrefix: s3o.keyPrefix } : {}) } }, roleArn: djrc.roleArn };
    }
    if (m.status !== 'ACTIVE') throw invalidConfig(`Membership ${m.id} is not active.`);
    if (fault?.query?.conflict) throw faultError(fault.query.conflict, { operation: 'UpdateMembership' }, m.id);
    if (queryLogStatus !== undefined) next.queryLogStatus = queryLogStatus;
    if (jobLogStatus !== undefined) next.jobLogStatus = jobLogStatus;
    next.updateTime = Date.now() / 1000;
    updated.set(m.id, next);
    return json(200, { membership: next });
  };

  const apiContext = (q: Query, requestBody: Buffer, operation: string): ApiContext => ({
    query: (key) => one(q, key),
    body: () => readBody(requestBody),
    paginate: (items, scope) => paginate(items, q, `${operation}|${scope}`),
    validation: (violations) => validationError(violations),
    invalid: (message) => invalidConfig(message),
    notFound: (message, resourceId, resourceType) => new ApiError(404, 'ResourceNotFoundException', message, { resourceId, resourceType }),
  });

  const dispatch = (route: Route, q: Query, region: string, requestBody: Buffer): Reply => {
    if (route.operation === 'ListMemberships') {
      const status = validateEnum(q, 'status', MEMBERSHIP_STATUSES);
      const all = membershipsIn(region).filter((m) => status === undefined || m.status === status);
      const { page, nextToken } = paginate(all, q, `ListMemberships|${region}|${status ?? ''}`);
      return json(200, { ...(nextToken ? { nextToken } : {}), membershipSummaries: page.map(toMembershipSummary) });
    }

    if (route.collaborationId !== undefined) {
      const cid = route.collaborationId;
      validateIdentifier('collaborationIdentifier', cid);
      const owner = collaborationOwner(cid, region);
      if (!owner || owner.status === 'COLLABORATION_DELETED') {
        throw new ApiError(404, 'ResourceNotFoundException', `Collaboration ${cid} not found.`, {
          resourceId: cid,
          resourceType: 'COLLABORATION',
        });
      }
      if (route.operation === 'GetCollaboration') return json(200, { collaboration: collaborationOf(owner) });
      if (SCHEMA_ROUTED.has(route.operation)) return json(200, schemaOperation(route, owner, apiContext(q, requestBody, route.operation)));
      const { page, nextToken } = paginate(membersFor(owner), q, `ListMembers|${cid}`);
      return json(200, { memberSummaries: page, ...(nextToken ? { nextToken } : {}) });
    }

    const id = route.membershipId ?? '';
    validateIdentifier('membershipIdentifier', id);
    const fault = FAULT_BY_ID.get(id);
    const extraDelayMs = fault?.slow ? slowMs : 0;
    const faulted = fault && faultReply(fault, route, id, extraDelayMs);
    if (faulted) return faulted;

    if (route.operation === 'GetMembership') {
      return json(200, { membership: resolveMembership(id, fault, region) }, extraDelayMs);
    }

    const m = resolveMembership(id, fault, region);
    if (PRIVACY_ROUTED.has(route.operation)) return json(200, privacyOperation(route, m, apiContext(q, requestBody, route.operation)), extraDelayMs);
    if (route.operation === 'StartProtectedQuery') return startProtectedQuery(m, readBody(requestBody), fault);
    if (route.operation === 'UpdateMembership') return updateMembership(m, readBody(requestBody), fault);
    if (route.operation === 'GetProtectedQuery') return json(200, { protectedQuery: findQuery(m, route.protectedQueryId ?? '') });
    if (route.operation === 'UpdateProtectedQuery') return cancelProtectedQuery(m, route.protectedQueryId ?? '', readBody(requestBody), fault);
    const listKey = LIST_KEYS[route.operation];
    const hostileIndex = fault?.hostileIndex ?? HOSTILE_INDEX.get(id);
    const hostile = hostileIndex !== undefined ? hostileDrillDown(m, HOSTILE_STRINGS[hostileIndex]) : undefined;
    let items: unknown[];
    let scope = `${route.operation}|${id}`;
    if (route.operation === 'ListConfiguredTableAssociations') {
      items = hostile?.associations ?? associationsOf(m);
    } else if (route.operation === 'ListAnalysisTemplates') {
      items = hostile?.templates ?? ownTemplatesFor(m) ?? analysisTemplatesFor(m);
    } else {
      const status = validateEnum(q, 'status', PROTECTED_QUERY_STATUSES);
      if (id === PROTECTED_QUERIES_DENIED_ID) {
        throw new ApiError(403, 'AccessDeniedException', deniedMessage('ListProtectedQueries', m.arn), {
          reason: 'INSUFFICIENT_PERMISSIONS',
        });
      }
      const fresh: WireProtectedQuerySummary[] = (started.get(id) ?? []).map((pq) => ({
        id: pq.id,
        membershipId: pq.membershipId,
        membershipArn: pq.membershipArn,
        createTime: pq.createTime,
        status: pq.status,
        receiverConfigurations: [
          {
            analysisType: 'DIRECT_ANALYSIS',
            configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: [String(obj(pq.resultConfiguration?.outputConfiguration.member)?.accountId ?? MEMBER_ACCOUNT_ID)] } },
          },
        ],
      }));
      items = [...fresh, ...(hostile?.queries ?? protectedQueriesFor(m))].filter((pq) => status === undefined || pq.status === status);
      scope += `|${status ?? ''}`;
    }
    const { page, nextToken } = paginate(items, q, scope);
    const body: Record<string, unknown> = { [listKey]: page };
    if (nextToken) body.nextToken = nextToken;
    Object.assign(body, fault?.listExtra);
    return json(200, body, extraDelayMs);
  };

  const send = async (res: http.ServerResponse, requestId: string, reply: Reply): Promise<void> => {
    const go = await wait(latencyMs + (reply.extraDelayMs ?? 0), res);
    if (!go) return;
    if (reply.reset) {
      res.socket?.destroy();
      return;
    }
    const buf = Buffer.from(reply.body, 'utf8');
    const headers: http.OutgoingHttpHeaders = reply.foreignContentType
      ? { 'Content-Type': reply.foreignContentType, 'Content-Length': buf.length }
      : { 'Content-Type': 'application/json', 'Content-Length': buf.length, 'x-amzn-RequestId': requestId };
    if (reply.errorType) headers['x-amzn-ErrorType'] = reply.errorType;
    res.writeHead(reply.status, headers);
    res.end(buf);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> => {
    const at = Date.now();
    const body = await readRequestBody(req, MAX_BODY_BYTES);
    if (!body) {
      res.destroy();
      return;
    }
    const method = req.method ?? 'GET';
    let rawUrl = req.url ?? '/';
    if (/^https?:\/\//i.test(rawUrl)) rawUrl = rawUrl.replace(/^https?:\/\/[^/]*/i, '') || '/';
    const qi = rawUrl.indexOf('?');
    const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
    const query = parseQuery(qi === -1 ? '' : rawUrl.slice(qi + 1));
    const route = matchRoute(method, rawPath);
    const rec: RecordedRequest = {
      method,
      path: rawPath,
      query: firstValues(query),
      operation: route?.operation ?? 'Unknown',
      status: 0,
      signed: false,
      at,
      requestId,
    };
    if (route?.membershipId !== undefined) rec.membershipId = route.membershipId;
    if (route?.collaborationId !== undefined) rec.collaborationId = route.collaborationId;
    if ((route?.operation === 'UpdateMembership' || route?.operation === 'StartProtectedQuery') && body.length > 0) {
      try {
        rec.body = JSON.parse(body.toString('utf8'));
      } catch {
        rec.body = body.toString('utf8');
      }
    }

    let reply: Reply;
    try {
      const auth = await verifySigV4(req, rawPath, query, body, credentials);
      rec.signed = true;
      rec.region = auth.region;
      rec.accessKeyId = auth.accessKeyId;
      if (!route) {
        throw new ApiError(404, 'UnknownOperationException', `Unknown operation: ${method} ${rawPath}`);
      }
      reply = dispatch(route, query, auth.region, body);
    } catch (e) {
      const err =
        e instanceof ApiError
          ? e
          : new ApiError(500, 'InternalServerException', `Internal failure in local endpoint: ${(e as Error).message}`);
      reply = {
        status: err.status,
        errorType: err.code + err.errorTypeSuffix,
        body: JSON.stringify({ message: err.message, ...err.members }),
      };
      rec.errorType = err.code;
    }
    reply = { ...reply, body: inRegion(reply.body, rec.region) };
    rec.status = reply.status;
    requests.push(rec);
    await send(res, requestId, reply);
  };

  const server = http.createServer((req, res) => {
    const requestId = randomUUID();
    handle(req, res, requestId).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, {
          'Content-Type': 'application/json',
          'x-amzn-RequestId': requestId,
          'x-amzn-ErrorType': 'InternalServerException',
        });
        res.end('{"message":"Internal failure"}');
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setLatency(ms: number): void {
      latencyMs = Math.max(0, ms);
    },
    addMemberships,
    resetRequests(): void {
      requests.length = 0;
    },
    s3: localS3,
    startedQueries(membershipId: string): readonly WireProtectedQuery[] {
      return started.get(membershipId) ?? [];
    },
    setQueryDuration(ms: number): void {
      queryDurationMs = Math.max(0, ms);
    },
    statusChanges(queryId: string): ReadonlyArray<{ readonly status: string; readonly at: number }> {
      return changes.get(queryId) ?? [];
    },
    ruleFinding(queryId: string): FindingCode | undefined {
      return findings.get(queryId);
    },
    close(): Promise<void> {
      if (closing) return closing;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const wake of [...wakers]) wake();
      const serverClosed = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      closing = (async () => {
        await Promise.all([...pending]);
        if (s3 && !opts.s3) await (await s3).close();
        await serverClosed;
      })();
      return closing;
    },
  };
}
