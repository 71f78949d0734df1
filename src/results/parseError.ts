/** A result file that cannot be read as what it claims to be; names the file (its S3 key). */
export class ResultParseError extends Error {
  override readonly name = 'ResultParseError';

  constructor(
    readonly file: string,
    message: string,
    /** The file ends early (a truncated upload), as opposed to holding wrong bytes. */
    readonly truncated = false,
  ) {
    super(message);
  }
}

/** One downloaded result object. */
export interface ResultPart {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** Gives the event loop a turn between chunks of parsing, so the extension host stays responsive. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Whether `e` is a ResultParseError. By shape, not `instanceof`: the parsers live in their own
 * bundle (dist/s3sdk.js), whose copy of the class is not the caller's.
 */
export function isResultParseError(e: unknown): e is ResultParseError {
  return e instanceof Error && e.name === 'ResultParseError' && typeof (e as Partial<ResultParseError>).file === 'string';
}
