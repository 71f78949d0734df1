/**
 * Reads a protected query's result from `result.output.s3.location` into memory: lists the
 * location (every page), downloads each part with byte progress, and parses CSV (while it arrives)
 * or Parquet. Same credentials and region as Clean Rooms; `s3Endpoint` (cleanRooms.s3Endpoint)
 * for local testing and VPC endpoints, path-style. Results are other companies' data: nothing is
 * written to disk and no cell is ever logged (log lines carry keys, counts and sizes only).
 */
import type { S3Client, _Object } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { CallLog, Result } from './cleanRoomsService';
import { credentialsFor, describeConnection, type Connection, type ConnectionRequest, type Resolved } from './clientFactory';
import { cancelled, timeoutFailure, type CleanRoomsFailure } from './errors';
import { loadSdk } from './loadSdk';
import { loadParsers } from '../results/loadParsers';
import { badLocation, corruptResult, emptyLocation, interruptedDownload, s3Failure } from './s3Errors';
import type { CsvPart, CsvReader } from '../results/csv';
import { isResultParseError } from '../results/parseError';
import type { LoadedResult, ResultFile, ResultFormat, ResultProgress, ResultTable } from '../results/types';

/** Where a result is read from: the membership's resolved connection, and the S3 endpoint setting. */
export interface ResultsTarget {
  readonly connection: Connection;
  /** settings.s3Endpoint: when set, requests go there, path-style. */
  readonly s3Endpoint?: string;
}

export interface ResultsLoadOptions {
  /** Cancels listing, downloads and parsing; the result is then a `cancelled` failure. */
  readonly signal?: AbortSignal;
  /** Bytes so far; called at most every 50 ms while downloading, and once at the end. */
  readonly onProgress?: (progress: ResultProgress) => void;
  /**
   * The rows readable so far, before the load finishes (CSV: while downloading; Parquet: after
   * each row group). A snapshot: its rowCount does not change; later calls bring larger ones.
   * Called at most every 200 ms (the first rows at once); the final table comes with the result.
   */
  readonly onPartial?: (table: ResultTable, format: ResultFormat) => void;
}

/** Parallel downloads: enough to hide per-request latency across Spark's many small parts. */
const DOWNLOADS_AT_ONCE = 4;
const PROGRESS_EVERY_MS = 50;
const PARTIAL_EVERY_MS = 200;

/** s3://bucket/prefix -> bucket and prefix; undefined when it is not an S3 location. */
export function parseS3Location(location: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location.trim());
  return m ? { bucket: m[1], prefix: m[2] } : undefined;
}

/** Objects that are not result parts: "directory" markers, and Spark's/Hadoop's _SUCCESS, _committed_*, .crc files. */
export function isResultPart(object: Pick<_Object, 'Key' | 'Size'>): boolean {
  const key = object.Key ?? '';
  if (!key || key.endsWith('/') || (object.Size ?? 0) === 0) return false;
  const base = key.slice(key.lastIndexOf('/') + 1);
  return !base.startsWith('_') && !base.startsWith('.');
}

class LoadFailure extends Error {
  constructor(readonly failure: CleanRoomsFailure) {
    super(failure.title);
  }
}

interface Download {
  readonly key: string;
  bytes: Uint8Array;
  loaded: number;
  complete: boolean;
}

const QUIET: CallLog = { info: () => undefined, warn: () => undefined };

export class ResultsReader {
  private readonly clients = new Map<string, S3Client>();

  constructor(private readonly log: CallLog = QUIET) {}

  /** Reads every result file under `location` into one in-memory table. Never throws. */
  async load(target: ResultsTarget, location: string, options: ResultsLoadOptions = {}): Promise<Result<LoadedResult>> {
    const { connection } = target;
    const started = Date.now();
    const where = `${location} (${describeConnection(connection)})`;
    const parsed = parseS3Location(location);
    if (!parsed) {
      return { ok: false, failure: badLocation(location), connection };
    }
    if (options.signal?.aborted) {
      return { ok: false, failure: cancelled(), connection };
    }
    try {
      const client = this.client(target);
      const objects = await this.list(client, target, parsed.bucket, parsed.prefix, options.signal);
      if (objects.length === 0) {
        throw new LoadFailure(emptyLocation(location));
      }
      const result = await this.download(client, target, location, parsed.bucket, objects, options);
      this.log.info(`S3 result ${where} ${Date.now() - started} ms: ${objects.length} file(s), ${result.files.reduce((n, f) => n + f.bytes.length, 0)} bytes, ${result.table.rowCount} rows, ${result.format}`);
      return { ok: true, value: result, connection };
    } catch (e) {
      const failure = e instanceof LoadFailure ? e.failure : options.signal?.aborted ? cancelled() : s3Failure(e, { operation: 'GetObject', bucket: parsed.bucket, profile: connection.profile, region: connection.region, timeoutMs: connection.timeoutMs });
      this.log.warn(`S3 result ${where} ${Date.now() - started} ms: ${failure.title}${failure.code ? ` (${failure.code})` : ''}${failure.requestId ? ` [request ${failure.requestId}]` : ''}`);
      return { ok: false, failure, connection };
    }
  }

  /** Drops the cached clients (credentials changed). */
  clear(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  dispose(): void {
    this.clear();
  }

  private client(target: ResultsTarget): S3Client {
    const { connection, s3Endpoint } = target;
    const key = JSON.stringify([connection.profile ?? '$env', connection.region, s3Endpoint ?? '']);
    let client = this.clients.get(key);
    if (!client) {
      client = new (loadSdk().S3Client)({
        region: connection.region,
        credentials: credentialsFor(connection.profile),
        ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
        // A results bucket in another region answers with a redirect the client can follow.
        followRegionRedirects: true,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: Math.min(connection.timeoutMs, 10_000) },
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Every object under the prefix (all pages) that is a result part. */
  private async list(client: S3Client, target: ResultsTarget, bucket: string, prefix: string, signal: AbortSignal | undefined): Promise<_Object[]> {
    const { connection } = target;
    const out: _Object[] = [];
    let token: string | undefined;
    do {
      const page = await this.withDeadline(connection.timeoutMs, signal, (abortSignal) =>
        client.send(new (loadSdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal }),
      ).catch((e: unknown) => {
        throw e instanceof LoadFailure ? e : new LoadFailure(s3Failure(e, { operation: 'ListObjectsV2', bucket, profile: connection.profile, region: connection.region, timeoutMs: connection.timeoutMs }));
      });
      for (const o of page.Contents ?? []) {
        // A prefix without a trailing slash names an object, or a folder: not a sibling "prefix-2/".
        const key = o.Key ?? '';
        const inside = prefix === '' || prefix.endsWith('/') || key === prefix || key.startsWith(`${prefix}/`);
        if (inside && isResultPart(o)) out.push(o);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** Runs `work` with the caller's signal and a deadline of `ms`; a deadline hit is a timeout failure. */
  private async withDeadline<T>(ms: number, signal: AbortSignal | undefined, work: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await work(controller.signal);
    } catch (e) {
      if (timedOut) throw new LoadFailure(timeoutFailure({ timeoutMs: ms }));
      if (signal?.aborted) throw new LoadFailure(cancelled());
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async download(client: S3Client, target: ResultsTarget, location: string, bucket: string, objects: readonly _Object[], options: ResultsLoadOptions): Promise<LoadedResult> {
    const sdk = loadSdk();
    const parsers = loadParsers();
    const totalBytes = objects.reduce((n, o) => n + (o.Size ?? 0), 0);
    const downloads: Download[] = objects.map((o) => ({ key: o.Key ?? '', bytes: new Uint8Array(o.Size ?? 0), loaded: 0, complete: false }));
    let loadedBytes = 0;
    let format: ResultFormat | undefined;
    let lastProgress = 0;
    let lastPartial = 0;
    let shownRows = 0;
    const progress = (force: boolean): void => {
      const now = Date.now();
      if (options.onProgress && (force || now - lastProgress >= PROGRESS_EVERY_MS)) {
        lastProgress = now;
        options.onProgress({ loadedBytes, totalBytes, fileCount: downloads.length });
      }
    };
    const partial = (table: ResultTable): void => {
      const now = Date.now();
      if (options.onPartial && table.rowCount > shownRows && (shownRows === 0 || now - lastPartial >= PARTIAL_EVERY_MS)) {
        lastPartial = now;
        shownRows = table.rowCount;
        options.onPartial(table, format ?? 'CSV');
      }
    };

    // CSV parses in file order while the files arrive; `cursor` is the part being parsed.
    let csv: CsvReader | undefined;
    let cursor = 0;
    let current: CsvPart | undefined;
    const pump = (): void => {
      if (format !== 'CSV' || !csv) return;
      while (cursor < downloads.length) {
        const d = downloads[cursor];
        current ??= csv.begin({ key: d.key, bytes: d.bytes });
        if (!d.complete) {
          current.feed(d.loaded, false);
          break;
        }
        csv.end(current);
        current = undefined;
        cursor++;
      }
      partial(csv.snapshot());
    };
    const detect = (d: Download): void => {
      if (d.loaded < 4 && !d.complete) return;
      const kind: ResultFormat = parsers.isParquet(d.bytes.subarray(0, d.loaded)) ? 'PARQUET' : 'CSV';
      if (format === undefined) {
        format = kind;
        if (kind === 'CSV') csv = parsers.csvReader();
      } else if (format !== kind) {
        throw new LoadFailure(corruptResult(bucket, d.key, `it is ${kind === 'PARQUET' ? 'Parquet' : 'not Parquet'}, unlike the other result files (${format})`, false));
      }
    };

    const fetchOne = async (d: Download): Promise<void> => {
      const { connection } = target;
      const context = { operation: 'GetObject' as const, bucket, key: d.key, profile: connection.profile, region: connection.region, timeoutMs: connection.timeoutMs };
      // The deadline is for silence, not for the whole file: it restarts whenever bytes arrive.
      const controller = new AbortController();
      let timedOut = false;
      let timer = setTimeout(() => ((timedOut = true), controller.abort()), connection.timeoutMs);
      const onAbort = (): void => controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let body: Readable | undefined;
      try {
        const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: d.key }), { abortSignal: controller.signal });
        body = out.Body as Readable | undefined;
        const expected = out.ContentLength ?? d.bytes.length;
        if (expected !== d.bytes.length) d.bytes = new Uint8Array(expected);
        if (body) {
          controller.signal.addEventListener('abort', () => body?.destroy(), { once: true });
          try {
            for await (const chunk of body as AsyncIterable<Uint8Array>) {
              clearTimeout(timer);
              timer = setTimeout(() => ((timedOut = true), controller.abort()), connection.timeoutMs);
              if (d.loaded + chunk.length > d.bytes.length) {
                const grown = new Uint8Array(Math.max(d.loaded + chunk.length, d.bytes.length * 2));
                grown.set(d.bytes.subarray(0, d.loaded));
                d.bytes = grown;
              }
              d.bytes.set(chunk, d.loaded);
              d.loaded += chunk.length;
              loadedBytes += chunk.length;
              if (format === undefined) detect(d);
              pump();
              progress(false);
            }
          } catch (e) {
            // A parse error (CSV parses as it arrives) or a format mix-up is not a network failure.
            if (controller.signal.aborted || e instanceof LoadFailure || isResultParseError(e)) throw e;
            throw new LoadFailure(interruptedDownload(bucket, d.key, d.loaded, expected, (e as { code?: string }).code ?? (e as Error).message));
          }
        }
        if (d.loaded !== expected) {
          throw new LoadFailure(interruptedDownload(bucket, d.key, d.loaded, expected));
        }
        if (d.bytes.length !== d.loaded) d.bytes = d.bytes.subarray(0, d.loaded);
        d.complete = true;
        detect(d);
        pump();
      } catch (e) {
        body?.destroy();
        if (e instanceof LoadFailure || isResultParseError(e)) throw e;
        if (timedOut) throw new LoadFailure(timeoutFailure({ timeoutMs: connection.timeoutMs }));
        if (options.signal?.aborted) throw new LoadFailure(cancelled());
        throw new LoadFailure(s3Failure(e, context));
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
    };

    try {
      let next = 0;
      let failed = false;
      const worker = async (): Promise<void> => {
        while (next < downloads.length && !failed) {
          const d = downloads[next++];
          try {
            await fetchOne(d);
          } catch (e) {
            failed = true;
            throw e;
          }
        }
      };
      const workers = Array.from({ length: Math.min(DOWNLOADS_AT_ONCE, downloads.length) }, worker);
      const settled = await Promise.allSettled(workers);
      const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected) throw rejected.reason;
      progress(true);

      const files: ResultFile[] = downloads.map((d) => ({ key: d.key, bytes: d.bytes }));
      let table: ResultTable;
      if (format === 'PARQUET') {
        table = await parsers.parseParquet(files, { signal: options.signal, onRows: (t) => partial(t) });
      } else {
        if (!csv) throw new LoadFailure(emptyLocation(location));
        table = csv.snapshot();
      }
      return { location, format: format ?? 'CSV', files, table };
    } catch (e) {
      if (isResultParseError(e)) {
        throw new LoadFailure(corruptResult(bucket, e.file, e.message, e.truncated));
      }
      if (options.signal?.aborted && !(e instanceof LoadFailure)) throw new LoadFailure(cancelled());
      throw e;
    }
  }
}

/**
 * The reader in the shape the query panel calls it (src/views/queryPanel.ts `ResultsSource`): by
 * the query's connection request, resolved like every Clean Rooms call (`resolve`, e.g.
 * CleanRoomsService.resolve), with the S3 endpoint setting read at each load.
 */
export function resultsSource(
  reader: ResultsReader,
  resolve: (request: ConnectionRequest) => Promise<Resolved>,
  s3Endpoint: () => string | undefined,
): { load(location: string, request: ConnectionRequest, options: ResultsLoadOptions): Promise<Result<LoadedResult>> } {
  return {
    async load(location, request, options) {
      const resolved = await resolve(request);
      if (!resolved.ok) {
        return { ok: false, failure: resolved.failure };
      }
      return reader.load({ connection: resolved.connection, s3Endpoint: s3Endpoint() }, location, options);
    },
  };
}
