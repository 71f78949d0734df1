import { t } from '../util/l10n';
import { cleanText, withoutCodeMarks } from '../util/text';

/**
 * Turns whatever the SDK, the credential chain or the network throws into one typed value the
 * views can render: what happened, the service's own words, and what the user can do next.
 * Branches on `name` rather than `instanceof`: unmodelled service errors arrive as the generic
 * CleanRoomsServiceException whose `name` is the wire error code.
 */

export type FailureKind =
  | 'notFound'
  | 'accessDenied'
  | 'validation'
  | 'throttling'
  | 'conflict'
  | 'quotaExceeded'
  | 'internal'
  | 'expiredCredentials'
  | 'invalidCredentials'
  | 'ssoExpired'
  | 'credentialProcess'
  | 'missingProfile'
  | 'noCredentials'
  | 'noRegion'
  | 'unsupportedRegion'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'malformedResponse'
  | 'emptyResponse'
  | 'invalidSettings'
  /** A result file that cannot be parsed (corrupt or truncated Parquet, malformed CSV). */
  | 'corruptResult'
  /** A result location that holds no result files. */
  | 'emptyResult'
  | 'unknown';

export interface CleanRoomsFailure {
  readonly kind: FailureKind;
  /** One line for a tree item description or a notification title. */
  readonly title: string;
  /** The service's or provider's message, cleaned of control characters and secrets. */
  readonly message?: string;
  /**
   * What the user can do about it. Our own words: commands to type are marked `like this`,
   * shown as code in markdown and without the marks elsewhere (see inlineCodePieces).
   */
  readonly nextStep: string;
  readonly code?: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Extra lines such as a ValidationException's field list. */
  readonly details?: readonly string[];
  /** Whether trying again can help without changing anything. */
  readonly retryable: boolean;
}

/** What the mapper needs to know to phrase the next step. */
export interface FailureContext {
  readonly operation: string;
  readonly profile?: string;
  readonly region?: string;
  readonly timeoutMs?: number;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: unknown;
  reason?: unknown;
  fieldList?: unknown;
  resourceId?: unknown;
  resourceType?: unknown;
  quotaName?: unknown;
  quotaValue?: unknown;
  cause?: unknown;
}


export function toFailure(error: unknown, context: FailureContext): CleanRoomsFailure {
  const e: ErrorLike = typeof error === 'object' && error !== null ? error : { message: String(error) };
  // The name can come off the wire (the x-amzn-ErrorType header): clean it like any service text.
  const name = typeof e.name === 'string' ? cleanText(e.name).slice(0, 100) : '';
  const code = typeof e.code === 'string' ? e.code : '';
  // The SDK appends a hint for developers ("inspect the hidden field {error}.$response"); users cannot act on it.
  const message = cleanText(typeof e.message === 'string' ? e.message : '').replace(/\s*Deserialization error: to see the raw response.*$/i, '');
  const meta = { requestId: e.$metadata?.requestId, httpStatus: e.$metadata?.httpStatusCode, code: name || undefined };
  const profileArg = context.profile ? ` --profile ${context.profile}` : '';
  const profileName = context.profile ?? 'default';

  // A dropped connection is retried by the SDK and then surfaces as a "TimeoutError" (or, mid-body,
  // as a deserialization error) carrying the socket's code: report what happened, not a timeout.
  const networkCode = code || networkCodeOf(e.cause);
  if (networkCode && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO|SELF_SIGNED)/.test(networkCode)) {
    return networkFailure(networkCode, message);
  }
  const offProtocol = offProtocolReply(name, message, meta);
  if (offProtocol) {
    return offProtocol;
  }

  switch (name) {
    case 'ResourceNotFoundException':
      return {
        kind: 'notFound',
        title: t('Not found'),
        message,
        nextStep: t('Check the ID, and that profile "{0}" belongs to the account that owns it in {1}.', profileName, context.region ?? 'this region'),
        details: [
          typeof e.resourceType === 'string' ? `Resource type: ${cleanText(e.resourceType)}` : '',
          typeof e.resourceId === 'string' ? `Resource ID: ${cleanText(e.resourceId)}` : '',
        ].filter(Boolean),
        retryable: false,
        ...meta,
      };
    case 'AccessDeniedException':
      return {
        kind: 'accessDenied',
        title: t('Access denied'),
        message,
        nextStep: t('Ask for cleanrooms:{0} permission for profile "{1}", or choose another profile.', context.operation, profileName),
        details: typeof e.reason === 'string' ? [`Reason: ${cleanText(e.reason)}`] : [],
        retryable: false,
        ...meta,
      };
    case 'ValidationException':
      return {
        kind: 'validation',
        title: t('Request rejected as invalid'),
        message,
        nextStep: t('Check the membership ID and settings.'),
        details: [
          ...(typeof e.reason === 'string' ? [`Reason: ${cleanText(e.reason)}`] : []),
          ...fieldList(e.fieldList),
        ],
        retryable: false,
        ...meta,
      };
    case 'ConflictException':
      return {
        kind: 'conflict',
        title: t('Changed at the same time elsewhere'),
        message,
        nextStep: t('Another request is changing this resource, or it is no longer in a state that allows the change. Refresh and try again.'),
        details: [
          ...(typeof e.reason === 'string' ? [`Reason: ${cleanText(e.reason)}`] : []),
          ...(typeof e.resourceId === 'string' ? [`Resource ID: ${cleanText(e.resourceId)}`] : []),
        ],
        retryable: false,
        ...meta,
      };
    case 'ServiceQuotaExceededException':
      return {
        kind: 'quotaExceeded',
        title: t('Service quota reached'),
        message,
        nextStep: t('Too many protected queries are running; wait for one to finish or cancel one, then run again.'),
        details: [
          ...(typeof e.quotaName === 'string' ? [`Quota: ${cleanText(e.quotaName)}`] : []),
          ...(typeof e.quotaValue === 'number' ? [`Limit: ${e.quotaValue}`] : []),
        ],
        retryable: false,
        ...meta,
      };
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return { kind: 'throttling', title: t('Throttled by AWS'), message, nextStep: t('Too many requests; wait a moment and retry.'), retryable: true, ...meta };
    case 'InternalServerException':
    case 'ServiceUnavailableException':
      return { kind: 'internal', title: t('AWS Clean Rooms service error'), message, nextStep: t('The service failed; retry later.'), retryable: true, ...meta };
    case 'ExpiredTokenException':
    case 'RequestExpired':
      return {
        kind: 'expiredCredentials',
        title: t('Credentials expired'),
        message,
        nextStep: t('Refresh the credentials of profile "{0}" (for SSO: `aws sso login{1}`), then run "Clean Rooms: Reload AWS Credentials".', profileName, profileArg),
        retryable: false,
        ...meta,
      };
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'MissingAuthenticationTokenException':
    case 'IncompleteSignatureException':
      return {
        kind: 'invalidCredentials',
        title: t('Credentials rejected'),
        message,
        nextStep: t('AWS did not accept the keys of profile "{0}". Check them, then run "Clean Rooms: Reload AWS Credentials".', profileName),
        retryable: false,
        ...meta,
      };
    case 'AbortError':
      return cancelled();
    case 'TimeoutError':
      return timeoutFailure(context);
    case 'SyntaxError':
      return malformed(message, meta);
    case 'TypeError':
      // The SDK read a 2xx reply and choked on a value (e.g. a date that is not one).
      if (meta.httpStatus !== undefined && meta.httpStatus >= 200 && meta.httpStatus < 300) {
        return malformed(message, meta);
      }
      break;
    default:
      break;
  }

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || name === 'ProviderError') {
    return credentialFailure(message, context);
  }
  if (/Region is missing/i.test(message)) {
    return noRegion(context);
  }
  if (/Deserialization error|Unexpected token|JSON at position|Unexpected end of JSON|is not valid JSON/i.test(message)) {
    return malformed(message, meta);
  }
  if (networkCode === 'ETIMEDOUT') {
    return timeoutFailure(context);
  }
  if (meta.httpStatus !== undefined) {
    const status = meta.httpStatus;
    return {
      kind: status >= 500 ? 'internal' : status === 403 ? 'accessDenied' : 'unknown',
      title: t('AWS returned {0} (HTTP {1})', name || 'an error', status),
      message,
      nextStep: status >= 500 ? 'The service failed; retry later.' : 'See the message; check the profile and settings.',
      retryable: status >= 500,
      ...meta,
    };
  }
  return { kind: 'unknown', title: t('Unexpected error'), message: message || name || 'Unknown error', nextStep: t('Retry; if it persists, see the "Clean Rooms" output channel.'), retryable: true, code: name || undefined };
}

function networkFailure(networkCode: string, message: string): CleanRoomsFailure {
  const dropped = /^(ECONNRESET|EPIPE|ECONNABORTED)/.test(networkCode);
  const tls = /^(CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO|SELF_SIGNED)/.test(networkCode);
  return {
    kind: 'network',
    title: dropped ? t('Connection to AWS Clean Rooms dropped') : tls ? t('TLS certificate not trusted') : t('Cannot reach AWS Clean Rooms'),
    message: `${networkCode}: ${message}`,
    nextStep: tls
      ? t('The endpoint\'s certificate is not trusted: check the cleanRooms.endpoint setting, or set NODE_EXTRA_CA_CERTS for a corporate proxy.')
      : t('Check your network connection, proxy and the cleanRooms.endpoint setting.'),
    retryable: true,
  };
}

/**
 * A reply that is not AWS JSON, or an error without a modelled type: what a proxy, load balancer
 * or wrong endpoint sends (an HTML 502 page, a redirect, an empty 500). Named by its HTTP status.
 */
function offProtocolReply(name: string, message: string, meta: { requestId?: string; httpStatus?: number; code?: string }): CleanRoomsFailure | undefined {
  const status = meta.httpStatus;
  if (status === undefined || (status >= 200 && status < 300)) {
    return undefined;
  }
  const notJson = /Unexpected token|JSON at position|Unexpected end of JSON|is not valid JSON/i.test(message) || name === 'SyntaxError';
  const unnamed = name === '' || name === 'Unknown' || name === 'UnknownError' || name === 'Error';
  if (!notJson && !unnamed) {
    return undefined;
  }
  const details = notJson ? t('The reply was not AWS JSON ({0}).', message) : t('The reply named no error.');
  if (status >= 300 && status < 400) {
    return {
      kind: 'network',
      title: t('The endpoint redirected the request (HTTP {0})', status),
      message: details,
      nextStep: t('AWS does not redirect API calls: check the cleanRooms.endpoint setting and any proxy.'),
      retryable: false,
      ...meta,
    };
  }
  if (status === 429) {
    return { kind: 'throttling', title: t('Throttled (HTTP 429)'), message: details, nextStep: t('Too many requests; wait a moment and retry.'), retryable: true, ...meta };
  }
  if (status >= 500) {
    return {
      kind: 'internal',
      title: t('AWS Clean Rooms service error (HTTP {0})', status),
      message: details,
      nextStep: t('The service, or a proxy on the way to it, failed; retry later.'),
      retryable: true,
      ...meta,
    };
  }
  return {
    kind: status === 403 ? 'accessDenied' : 'unknown',
    title: t('Request refused (HTTP {0})', status),
    message: details,
    nextStep: notJson
      ? t('The reply did not come from AWS Clean Rooms: check your proxy and the cleanRooms.endpoint setting.')
      : t('See the message; check the profile and settings.'),
    retryable: false,
    ...meta,
  };
}

function credentialFailure(message: string, context: FailureContext): CleanRoomsFailure {
  const profileName = context.profile ?? 'default';
  const profileArg = context.profile ? ` --profile ${context.profile}` : '';
  if (/sso/i.test(message) && /expired|refresh|token/i.test(message)) {
    return {
      kind: 'ssoExpired',
      title: t('SSO session expired'),
      message,
      nextStep: t('Run `aws sso login{0}` in a terminal, then retry.', profileArg),
      retryable: false,
    };
  }
  if (/credential_process|Command failed/i.test(message)) {
    return {
      kind: 'credentialProcess',
      title: t('credential_process failed'),
      message,
      nextStep: t('The credential_process of profile "{0}" failed; run it in a terminal to see why.', profileName),
      retryable: false,
    };
  }
  if (/could not be found|Could not resolve credentials using profile/i.test(message)) {
    return {
      kind: 'missingProfile',
      title: t('Profile "{0}" not usable', profileName),
      message,
      nextStep: t('Add credentials for profile "{0}" to ~/.aws/config or ~/.aws/credentials, or choose another profile in the cleanRooms.profile setting.', profileName),
      retryable: false,
    };
  }
  return {
    kind: 'noCredentials',
    title: t('No AWS credentials'),
    message,
    nextStep: t('Configure profile "{0}" (`aws configure{1}`) or set cleanRooms.profile.', profileName, profileArg),
    retryable: false,
  };
}

export function noRegion(context: Pick<FailureContext, 'profile'>): CleanRoomsFailure {
  return {
    kind: 'noRegion',
    title: t('No region'),
    nextStep: t('Set cleanRooms.region, a "region" on the entry, or region in profile "{0}" of ~/.aws/config.', context.profile ?? 'default'),
    retryable: false,
  };
}

export function unsupportedRegion(region: string, supported: readonly string[]): CleanRoomsFailure {
  return {
    kind: 'unsupportedRegion',
    title: t('Clean Rooms is not offered in {0}', cleanText(region)),
    nextStep: t('Use one of: {0} (or set cleanRooms.endpoint for a custom endpoint).', supported.join(', ')),
    retryable: false,
  };
}

export function cancelled(): CleanRoomsFailure {
  return { kind: 'cancelled', title: t('Cancelled'), nextStep: t('Refresh to try again.'), retryable: true };
}

/** A successful reply without the record asked for; it names that record, not always a membership. */
export function emptyResponse(record: 'membership' | 'collaboration' | 'protected query' | 'analysis template', requestId?: string): CleanRoomsFailure {
  const [title, message] =
    record === 'membership'
      ? [t('AWS returned no membership'), t('The response was successful but held no membership record.')]
      : record === 'collaboration'
        ? [t('AWS returned no collaboration'), t('The response was successful but held no collaboration record.')]
        : record === 'analysis template'
          ? [t('AWS returned no analysis template'), t('The response was successful but held no analysis template record.')]
          : [t('AWS returned no protected query'), t('The response was successful but held no protected query record.')];
  return { kind: 'emptyResponse', title, message, nextStep: t('Retry; if it persists, report it with the request ID.'), requestId, retryable: true };
}

export function timeoutFailure(context: Pick<FailureContext, 'timeoutMs'>): CleanRoomsFailure {
  const seconds = context.timeoutMs !== undefined ? Math.round(context.timeoutMs / 1000) : undefined;
  return {
    kind: 'timeout',
    title: seconds !== undefined ? t('Timed out after {0} s', seconds) : t('Timed out'),
    nextStep: t('Retry, or raise cleanRooms.requestTimeoutSeconds if the network is slow.'),
    retryable: true,
  };
}

/**
 * A response that parsed as JSON but not in the shape the API documents (or a record that lacks a
 * field a later call needs). Not retryable: asking again for the same thing returns the same shape,
 * so a Retry would only repeat this error.
 */
export function unexpectedShape(what: string, requestId?: string): CleanRoomsFailure {
  return {
    ...malformed(t('{0} in the response is missing or has the wrong type.', what), { requestId }),
    title: t('Unexpected response from AWS'),
    nextStep: t('Refresh the membership; if it persists, check cleanRooms.endpoint if it is set, or report it with the request ID.'),
    retryable: false,
  };
}

function malformed(message: string, meta: { requestId?: string; httpStatus?: number }): CleanRoomsFailure {
  return {
    kind: 'malformedResponse',
    title: t('Unreadable response from AWS'),
    message,
    nextStep: t('The response was not valid JSON; retry, and check cleanRooms.endpoint if it is set.'),
    retryable: true,
    requestId: meta.requestId,
    httpStatus: meta.httpStatus,
  };
}

function fieldList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.slice(0, 20).map((f: unknown) => {
    const field = (typeof f === 'object' && f !== null ? f : {}) as { name?: unknown; message?: unknown };
    return `${cleanText(String(field.name ?? '?'))}: ${cleanText(String(field.message ?? ''))}`;
  });
}

function networkCodeOf(cause: unknown): string | undefined {
  if (typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string') {
    return (cause as { code: string }).code;
  }
  return undefined;
}

/** One line, for a log or a notification. */
export function describeFailure(f: CleanRoomsFailure): string {
  const parts = [f.title];
  if (f.message) {
    parts.push(f.message);
  }
  parts.push(withoutCodeMarks(f.nextStep));
  if (f.requestId) {
    parts.push(`Request ID: ${f.requestId}`);
  }
  return parts.join(' — ');
}
