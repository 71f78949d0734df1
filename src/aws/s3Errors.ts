/**
 * S3 failures while reading a result, in the user's terms: which bucket, which object, which
 * permission is missing. Anything S3-neutral (credentials, throttling, timeouts) goes through the
 * shared mapper in ./errors.
 */
import { cancelled, toFailure, type CleanRoomsFailure } from './errors';
import { t } from '../util/l10n';
import { cleanText } from '../util/text';

export type S3Operation = 'ListObjectsV2' | 'GetObject';

export interface S3Context {
  readonly operation: S3Operation;
  readonly bucket: string;
  readonly key?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly timeoutMs?: number;
}

interface S3ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  cause?: unknown;
}

const PERMISSION: Readonly<Record<S3Operation, string>> = { ListObjectsV2: 's3:ListBucket', GetObject: 's3:GetObject' };

export function s3Failure(error: unknown, context: S3Context): CleanRoomsFailure {
  const e: S3ErrorLike = typeof error === 'object' && error !== null ? error : { message: String(error) };
  const name = typeof e.name === 'string' ? cleanText(e.name).slice(0, 100) : '';
  const message = cleanText(typeof e.message === 'string' ? e.message : '');
  const meta = { requestId: e.$metadata?.requestId, httpStatus: e.$metadata?.httpStatusCode, code: name || undefined };
  const profileName = context.profile ?? 'default';
  const bucket = cleanText(context.bucket);
  switch (name) {
    case 'AccessDenied':
    case 'AllAccessDisabled': {
      // S3's message names the action that was refused ("not authorized to perform: s3:GetObject").
      const permission = /not authorized to perform:?\s+((?:s3|kms):[A-Za-z0-9]+)/.exec(message)?.[1] ?? PERMISSION[context.operation];
      return {
        kind: 'accessDenied',
        title: t('Access denied to S3 bucket {0}', bucket),
        message,
        nextStep: t('Profile "{0}" needs {1} on bucket {2} to read the results. Ask for it, or choose another profile.', profileName, permission, bucket),
        details: context.key ? [t('Object: {0}', cleanText(context.key))] : [],
        retryable: false,
        ...meta,
      };
    }
    case 'NoSuchBucket':
      return {
        kind: 'notFound',
        title: t('S3 bucket {0} does not exist', bucket),
        message,
        nextStep: t('The result location names a bucket that is gone or in another account; check the destination of the query.'),
        retryable: false,
        ...meta,
      };
    case 'NoSuchKey':
      return {
        kind: 'notFound',
        title: t('Result file not found: s3://{0}/{1}', bucket, cleanText(context.key ?? '')),
        message,
        nextStep: t('It was listed but is gone: a lifecycle rule or someone else removed it. Refresh to list the location again.'),
        retryable: true,
        ...meta,
      };
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
      return {
        kind: 'validation',
        title: t('S3 bucket {0} is in another region', bucket),
        message,
        nextStep: t('Read it with a profile or membership entry whose region is the bucket\'s.'),
        retryable: false,
        ...meta,
      };
    case 'AbortError':
      return cancelled();
    default:
      break;
  }
  const base = toFailure(error, { operation: context.operation, profile: context.profile, region: context.region, timeoutMs: context.timeoutMs });
  if (base.kind === 'network') {
    return {
      ...base,
      title: t('Cannot reach S3 for bucket {0}', bucket),
      nextStep: t('Check your network connection, proxy and the cleanRooms.s3Endpoint setting.'),
    };
  }
  if (base.kind === 'accessDenied') {
    return { ...base, title: t('Access denied to S3 bucket {0}', bucket), nextStep: t('Profile "{0}" needs {1} on bucket {2}.', profileName, PERMISSION[context.operation], bucket) };
  }
  return base;
}

/** The connection dropped (or the body ended early) while an object was arriving. */
export function interruptedDownload(bucket: string, key: string, loaded: number, expected: number, cause?: string): CleanRoomsFailure {
  return {
    kind: 'network',
    title: t('Download of s3://{0}/{1} was interrupted', cleanText(bucket), cleanText(key)),
    message: t('{0} of {1} bytes arrived{2}.', loaded, expected, cause ? ` (${cleanText(cause)})` : ''),
    nextStep: t('The connection dropped before the file was complete. Retry; nothing partial is kept.'),
    retryable: true,
  };
}

/** The location lists no result files. */
export function emptyLocation(location: string): CleanRoomsFailure {
  return {
    kind: 'emptyResult',
    title: t("The query's result location holds no files"),
    message: cleanText(location),
    nextStep: t('The result files were removed or not written. Run the query again to produce them.'),
    retryable: false,
  };
}

/** A result file that cannot be parsed; names it. */
export function corruptResult(bucket: string, key: string, what: string, truncated: boolean): CleanRoomsFailure {
  return {
    kind: 'corruptResult',
    title: truncated
      ? t('Result file s3://{0}/{1} is truncated', cleanText(bucket), cleanText(key))
      : t('Result file s3://{0}/{1} cannot be read', cleanText(bucket), cleanText(key)),
    message: cleanText(what),
    nextStep: t('The file in S3 is damaged or incomplete; run the query again.'),
    retryable: false,
  };
}

export function badLocation(location: string): CleanRoomsFailure {
  return {
    kind: 'malformedResponse',
    title: t('Not an S3 location: {0}', cleanText(location)),
    nextStep: t('The query names its result location as s3://bucket/prefix; this one cannot be read.'),
    retryable: false,
  };
}
