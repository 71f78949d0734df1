/**
 * Every fault the local endpoint can inject, one row per fault: what the endpoint answers (an AWS
 * error, a raw reply, a body, a delay, which membership the drill-down lists use) and, for the
 * faults the extension must explain, what the user is shown. The endpoint reads its behaviour
 * from here, the endpoint tests the wire messages, and the service and integration tests the
 * failure the user sees, so a fault's reply and its message cannot drift apart.
 *
 * The IDs themselves are FAULT_IDS in ./fixtures (the demo, the bench and the e2e specs write them
 * into settings).
 */
import type { FailureKind } from '../../src/aws/errors';
import {
  BAD_GATEWAY_HTML,
  FAULT_IDS,
  HOSTILE_MEMBERSHIP,
  MALFORMED_JSON_BODY,
  MEMBER_ACCOUNT_ID,
  QUERY_FAULT_MEMBERSHIPS,
  SLOW_MEMBERSHIP,
  THROTTLED_ONCE_MEMBERSHIP,
  UNKNOWN_FIELDS_BODY,
  UNKNOWN_FIELDS_MEMBERSHIP,
  UNKNOWN_UNION_BODY,
  WRONG_TYPES_MEMBERSHIP,
  membershipArn,
  type FaultKind,
  type WireMembership,
} from './fixtures';

/** An AWS error reply: status, x-amzn-ErrorType, and a JSON body with `message` and members. */
export interface FaultError {
  readonly status: number;
  readonly code: string;
  /** The message GetMembership gets (and every operation, unless `messageFor` says otherwise). */
  readonly message: string;
  /** The message of the other membership-scoped operations, when AWS names the operation in it. */
  readonly messageFor?: (operation: string, membershipId: string) => string;
  readonly members?: (membershipId: string) => Record<string, unknown>;
  /** x-amzn-ErrorType carries Coral's service suffix, as AWS sends for errors of its auth layer. */
  readonly coralSuffix?: boolean;
  /** Only the first N calls per endpoint instance fail; later ones are served like `membership`. */
  readonly times?: number;
}

/** A reply that is not a well-formed AWS answer. */
export interface RawReply {
  readonly status: number;
  readonly body: string;
  /** Not from AWS (a proxy's page): this content type and no x-amzn-* headers. */
  readonly foreignContentType?: string;
  /** Close the connection instead of replying. */
  readonly reset?: boolean;
}

/** What the extension must tell the user about a fault (src/aws/errors.ts). */
export interface FaultShown {
  readonly kind: FailureKind;
  readonly title: RegExp;
  readonly nextStep: RegExp;
  /** The failure keeps the x-amzn-RequestId (false when the reply had none the SDK kept). */
  readonly requestId: boolean;
}

export interface Fault {
  /** Every membership-scoped operation fails with this AWS error. */
  readonly error?: FaultError;
  /** Every membership-scoped operation gets this reply (per operation; undefined = go on). */
  readonly raw?: (operation: string) => RawReply | undefined;
  /** The whole GetMembership body, when it is not `{ membership }`. */
  readonly getMembershipBody?: unknown;
  /** The membership served, and whose collaboration and drill-down lists are served. */
  readonly membership?: WireMembership;
  /** Replies wait the endpoint's `slowMs` first. */
  readonly slow?: boolean;
  /** Drill-down lists carry HOSTILE_STRINGS[hostileIndex] in every string field. */
  readonly hostileIndex?: number;
  /** Extra unknown top-level fields in drill-down list replies. */
  readonly listExtra?: Record<string, unknown>;
  /** For the faults the extension must explain: what the user sees. */
  readonly shows?: FaultShown;
  /** Protected-query behaviour (the membership itself is served normally). */
  readonly query?: QueryFault;
}

/** How a fault changes StartProtectedQuery, UpdateProtectedQuery, UpdateMembership and the results. */
export interface QueryFault {
  /** StartProtectedQuery answers this error (and starts nothing). */
  readonly startError?: FaultError;
  /** StartProtectedQuery starts the query, then answers this error (an ambiguous failure). */
  readonly startErrorAfterStarting?: FaultError;
  /** StartProtectedQuery starts the query, then replies after the endpoint's `slowMs`. */
  readonly startSlow?: boolean;
  /** The query never leaves STARTED (the caller's own timeout is what ends the wait). */
  readonly neverFinishes?: boolean;
  /** UpdateProtectedQuery and UpdateMembership answer ConflictException. */
  readonly conflict?: FaultError;
  /** The local S3 answers AccessDenied to reads under the result location. */
  readonly s3AccessDenied?: boolean;
  /** The query succeeds and names its result location, but no object is written there. */
  readonly missingResultObject?: boolean;
  /** The result object written is a truncated Parquet file. */
  readonly corruptParquet?: boolean;
}

/** AWS's wording for an operation an IAM policy does not allow. */
export function deniedMessage(operation: string, resource: string): string {
  return (
    `User: arn:aws:sts::${MEMBER_ACCOUNT_ID}:assumed-role/CleanRoomsReadOnly/explorer is not authorized to perform: ` +
    `cleanrooms:${operation} on resource: ${resource} because no identity-based policy allows the ` +
    `cleanrooms:${operation} action`
  );
}

const RATE_EXCEEDED = 'Rate exceeded';
const INVALID_STATE = 'Membership is not in a valid state for this request.';

export const FAULTS = {
  notFound: {
    error: {
      status: 404,
      code: 'ResourceNotFoundException',
      message: `Membership ${FAULT_IDS.notFound} not found.`,
      members: (id) => ({ resourceId: id, resourceType: 'MEMBERSHIP' }),
    },
    shows: { kind: 'notFound', title: /^Not found$/, nextStep: /Check the ID/, requestId: true },
  },
  accessDenied: {
    error: {
      status: 403,
      code: 'AccessDeniedException',
      message:
        `User: arn:aws:sts::${MEMBER_ACCOUNT_ID}:assumed-role/CleanRoomsReadOnly/explorer is not authorized to perform: ` +
        `cleanrooms:GetMembership on resource: ${membershipArn(FAULT_IDS.accessDenied)}`,
      messageFor: (operation, id) => deniedMessage(operation, `arn:aws:cleanrooms:us-east-1:${MEMBER_ACCOUNT_ID}:membership/${id}`),
      members: () => ({ reason: 'INSUFFICIENT_PERMISSIONS' }),
    },
    shows: { kind: 'accessDenied', title: /^Access denied$/, nextStep: /permission/, requestId: true },
  },
  validation: {
    error: {
      status: 400,
      code: 'ValidationException',
      message: INVALID_STATE,
      members: () => ({ reason: 'FIELD_VALIDATION_FAILED', fieldList: [{ name: 'membershipIdentifier', message: INVALID_STATE }] }),
    },
    shows: { kind: 'validation', title: /invalid/, nextStep: /Check the membership ID/, requestId: true },
  },
  throttledOnce: {
    error: { status: 429, code: 'ThrottlingException', message: RATE_EXCEEDED, times: 2 },
    membership: THROTTLED_ONCE_MEMBERSHIP,
  },
  throttledForever: {
    error: { status: 429, code: 'ThrottlingException', message: RATE_EXCEEDED },
    shows: { kind: 'throttling', title: /Throttled/, nextStep: /wait a moment/, requestId: true },
  },
  internalError: {
    error: { status: 500, code: 'InternalServerException', message: 'An internal error occurred. Please try again later.' },
    shows: { kind: 'internal', title: /service error/, nextStep: /retry later/, requestId: true },
  },
  emptyBody: {
    raw: () => ({ status: 200, body: '{}' }),
    shows: { kind: 'emptyResponse', title: /no membership/, nextStep: /Retry/, requestId: true },
  },
  malformedJson: {
    raw: (operation) => ({ status: 200, body: operation === 'GetMembership' ? MALFORMED_JSON_BODY : '{"nextToken":"abc' }),
    shows: { kind: 'malformedResponse', title: /Unreadable response/, nextStep: /not valid JSON/, requestId: false },
  },
  slow: {
    membership: SLOW_MEMBERSHIP,
    slow: true,
  },
  unknownUnion: {
    getMembershipBody: UNKNOWN_UNION_BODY,
    membership: UNKNOWN_UNION_BODY.membership,
  },
  unknownFields: {
    getMembershipBody: UNKNOWN_FIELDS_BODY,
    membership: UNKNOWN_FIELDS_MEMBERSHIP,
    listExtra: { futureListMetadata: { shard: 7 } },
  },
  expiredToken: {
    error: { status: 403, code: 'ExpiredTokenException', message: 'The security token included in the request is expired', coralSuffix: true },
    shows: { kind: 'expiredCredentials', title: /Credentials expired/, nextStep: /Reload AWS Credentials/, requestId: true },
  },
  hostile: {
    membership: HOSTILE_MEMBERSHIP,
    hostileIndex: 0,
  },
  badGateway: {
    raw: () => ({ status: 502, body: BAD_GATEWAY_HTML, foreignContentType: 'text/html' }),
    shows: { kind: 'internal', title: /service error \(HTTP 502\)/, nextStep: /proxy.*retry later/, requestId: false },
  },
  connectionReset: {
    raw: () => ({ status: 0, body: '', reset: true }),
    shows: { kind: 'network', title: /Connection to AWS Clean Rooms dropped/, nextStep: /network connection/, requestId: false },
  },
  // Drill-down lists of a wrongTypes membership are a 404: only its GetMembership reply exists.
  wrongTypes: {
    getMembershipBody: { membership: WRONG_TYPES_MEMBERSHIP },
  },
  queryTimeout: { membership: QUERY_FAULT_MEMBERSHIPS.queryTimeout, query: { neverFinishes: true } },
  queryConflict: {
    membership: QUERY_FAULT_MEMBERSHIPS.queryConflict,
    query: {
      conflict: {
        status: 409,
        code: 'ConflictException',
        message: 'The resource is being modified by another request. Retry your request after it completes.',
        members: (id) => ({ resourceId: id, resourceType: 'MEMBERSHIP', reason: 'ALREADY_EXISTS' }),
      },
    },
  },
  queryQuota: {
    membership: QUERY_FAULT_MEMBERSHIPS.queryQuota,
    query: {
      startError: {
        status: 402,
        code: 'ServiceQuotaExceededException',
        message: 'Request denied because the number of concurrent protected queries for this membership exceeds the quota.',
        members: () => ({ quotaName: 'Concurrent protected queries per membership', quotaValue: 5 }),
      },
    },
  },
  s3AccessDenied: { membership: QUERY_FAULT_MEMBERSHIPS.s3AccessDenied, query: { s3AccessDenied: true } },
  missingResult: { membership: QUERY_FAULT_MEMBERSHIPS.missingResult, query: { missingResultObject: true } },
  corruptParquet: { membership: QUERY_FAULT_MEMBERSHIPS.corruptParquet, query: { corruptParquet: true } },
  startInternalError: {
    membership: QUERY_FAULT_MEMBERSHIPS.startInternalError,
    query: { startErrorAfterStarting: { status: 500, code: 'InternalServerException', message: 'An internal error occurred. Please try again later.' } },
  },
  startSlow: { membership: QUERY_FAULT_MEMBERSHIPS.startSlow, query: { startSlow: true } },
} as const satisfies { readonly [K in FaultKind]: Fault };

/** The faults the extension must explain to the user, with what it shows. */
export const EXPLAINED_FAULTS: ReadonlyArray<readonly [FaultKind, FaultShown]> = (Object.keys(FAULTS) as FaultKind[]).flatMap(
  (kind): Array<readonly [FaultKind, FaultShown]> => {
    const shows = (FAULTS[kind] as Fault).shows;
    return shows ? [[kind, shows]] : [];
  },
);
