/**
 * A real local S3 for protected-query results: s3rver (a filesystem-backed S3 server) behind a
 * front that verifies SigV4 like the Clean Rooms endpoint does (s3rver checks only that the access
 * key exists; it does not verify SigV4 signatures), answers S3's XML errors, and injects the
 * AccessDenied fault for chosen locations. The Clean Rooms endpoint writes results straight to
 * s3rver (as the service's own role would); readers go through the front.
 */
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import S3rver from 's3rver';
import { ApiError, parseQuery, readRequestBody, verifySigV4 } from './cleanRoomsEndpoint';
import { DEFAULT_ACCEPTED_CREDENTIALS, MEMBER_ACCOUNT_ID, type TestCredentials } from './fixtures';

export interface LocalS3 {
  /** The front (SigV4-checked): http://127.0.0.1:<port>, path-style. */
  readonly url: string;
  /** The directory s3rver stores buckets in (objects are files under it). */
  readonly directory: string;
  /** Writes an object as the service would (creating the bucket if needed). */
  putObject(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** Reads under s3://bucket/prefix answer AccessDenied from now on. */
  denyReads(bucket: string, prefix: string): void;
  /** Creates the bucket if it does not exist (a results bucket that holds nothing yet). */
  ensureBucket(bucket: string): Promise<void>;
  /** The next `count` GetObject replies under s3://bucket/prefix send half the body, then drop the connection. */
  cutDownloads(bucket: string, prefix: string, count?: number): void;
  /** Requests that reached the front (after its SigV4 check), oldest first: what a reader asked for. */
  readonly requests: ReadonlyArray<{ readonly method: string; readonly bucket: string; readonly key: string; readonly status: number }>;
  close(): Promise<void>;
}

/** s3rver's built-in account; it checks only that the key exists. */
const BACKEND_KEY = 'S3RVER';
const MAX_BODY_BYTES = 512 * 1024 * 1024;

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function s3Error(status: number, code: string, message: string, requestId: string, extra: Record<string, string> = {}): { status: number; body: string } {
  const more = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${more}<RequestId>${requestId}</RequestId></Error>`,
  };
}

/** Clean Rooms' error codes for SigV4 failures, in S3's words. */
const S3_CODES: Readonly<Record<string, [number, string]>> = {
  MissingAuthenticationTokenException: [403, 'AccessDenied'],
  IncompleteSignatureException: [400, 'AuthorizationHeaderMalformed'],
  InvalidSignatureException: [403, 'SignatureDoesNotMatch'],
  UnrecognizedClientException: [403, 'InvalidAccessKeyId'],
};

function backendAuth(amzDate: string): string {
  return `AWS4-HMAC-SHA256 Credential=${BACKEND_KEY}/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0`;
}

function nowAmzDate(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function request(port: number, method: string, urlPath: string, headers: http.OutgoingHttpHeaders, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function startLocalS3(opts: { credentials?: TestCredentials[] } = {}): Promise<LocalS3> {
  const credentials = opts.credentials ?? DEFAULT_ACCEPTED_CREDENTIALS;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cleanrooms-s3-'));
  const backend = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, resetOnClose: true, vhostBuckets: false });
  const backendAddress = await backend.run();
  const backendPort = backendAddress.port;
  const denied: Array<{ bucket: string; prefix: string }> = [];
  const cuts: Array<{ bucket: string; prefix: string; left: number }> = [];
  const requests: Array<{ method: string; bucket: string; key: string; status: number }> = [];
  const buckets = new Set<string>();
  const sockets = new Set<Socket>();

  const target = (rawPath: string, query: Record<string, string | string[]>): { bucket: string; key: string } => {
    const segs = rawPath.split('/').slice(1);
    const bucket = decodeURIComponent(segs[0] ?? '');
    // The SDK lists path-style as "/bucket/?list-type=2&prefix=...": an empty key is the bucket itself.
    const objectKey = segs.slice(1).join('/');
    const key = objectKey ? decodeURIComponent(objectKey) : typeof query.prefix === 'string' ? query.prefix : '';
    return { bucket, key };
  };
  const isDenied = (rawPath: string, query: Record<string, string | string[]>): { bucket: string; key: string } | undefined => {
    const { bucket, key } = target(rawPath, query);
    return denied.some((d) => d.bucket === bucket && key.startsWith(d.prefix)) ? { bucket, key } : undefined;
  };

  const front = http.createServer((req, res) => {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    // Recorded once the request is known to come from a reader (SigV4 checked).
    let note = (_status: number): void => undefined;
    const reply = (r: { status: number; body: string }): void => {
      note(r.status);
      res.writeHead(r.status, { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId });
      res.end(r.body);
    };
    void (async () => {
      const body = await readRequestBody(req, MAX_BODY_BYTES);
      if (!body) {
        res.destroy();
        return;
      }
      const rawUrl = req.url ?? '/';
      const qi = rawUrl.indexOf('?');
      const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
      const query = parseQuery(qi === -1 ? '' : rawUrl.slice(qi + 1));
      note = (status) => requests.push({ method: req.method ?? 'GET', ...target(rawPath, query), status });
      try {
        await verifySigV4(req, rawPath, query, body, credentials, { service: 's3', uriEscapePath: false, allowUnsignedPayload: true });
      } catch (e) {
        if (e instanceof ApiError) {
          const [status, code] = S3_CODES[e.code] ?? [403, 'AccessDenied'];
          reply(s3Error(status, code, e.message, requestId));
          return;
        }
        throw e;
      }
      const deniedAt = isDenied(rawPath, query);
      if (deniedAt && (req.method === 'GET' || req.method === 'HEAD')) {
        const action = deniedAt.key && !rawUrl.includes('list-type') && rawPath.split('/').length > 2 ? 's3:GetObject' : 's3:ListBucket';
        const resource = action === 's3:ListBucket' ? `arn:aws:s3:::${deniedAt.bucket}` : `arn:aws:s3:::${deniedAt.bucket}/${deniedAt.key}`;
        reply(
          s3Error(
            403,
            'AccessDenied',
            `User: arn:aws:sts::${MEMBER_ACCOUNT_ID}:assumed-role/CleanRoomsReadOnly/explorer is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action`,
            requestId,
          ),
        );
        return;
      }
      const headers: http.OutgoingHttpHeaders = { ...req.headers, host: `127.0.0.1:${backendPort}`, authorization: backendAuth(String(req.headers['x-amz-date'] ?? nowAmzDate())) };
      delete headers['x-amz-security-token'];
      const out = await request(backendPort, req.method ?? 'GET', rawUrl, headers, body.length ? body : undefined);
      const outHeaders: http.OutgoingHttpHeaders = { ...out.headers, 'x-amz-request-id': requestId };
      delete outHeaders['transfer-encoding'];
      outHeaders['content-length'] = out.body.length;
      const { bucket, key } = target(rawPath, query);
      const isObject = rawPath.split('/').slice(2).join('/') !== '';
      const cut = req.method === 'GET' && out.status === 200 && isObject ? cuts.find((c) => c.left > 0 && c.bucket === bucket && key.startsWith(c.prefix)) : undefined;
      note(out.status);
      res.writeHead(out.status, outHeaders);
      if (cut) {
        // The connection drops mid-body: the reader has the headers (full length) and half the bytes.
        cut.left--;
        res.write(out.body.subarray(0, Math.floor(out.body.length / 2)), () => setTimeout(() => res.destroy(), 50));
        return;
      }
      res.end(req.method === 'HEAD' ? undefined : out.body);
    })().catch((e: unknown) => {
      if (!res.headersSent) reply(s3Error(500, 'InternalError', `Local S3 front failed: ${(e as Error).message}`, requestId));
    });
  });
  front.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (front.address() as AddressInfo).port;

  const ensureBucket = async (bucket: string): Promise<void> => {
    if (buckets.has(bucket)) return;
    const r = await request(backendPort, 'PUT', `/${encodeURIComponent(bucket)}`, { authorization: backendAuth(nowAmzDate()), 'x-amz-date': nowAmzDate(), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    if (r.status !== 200 && r.status !== 409) throw new Error(`Local S3 could not create bucket ${bucket}: HTTP ${r.status} ${r.body.toString('utf8')}`);
    buckets.add(bucket);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    directory,
    async putObject(bucket, key, body, contentType) {
      await ensureBucket(bucket);
      const urlPath = `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const r = await request(
        backendPort,
        'PUT',
        urlPath,
        { authorization: backendAuth(nowAmzDate()), 'x-amz-date': nowAmzDate(), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-type': contentType, 'content-length': body.length },
        Buffer.from(body),
      );
      if (r.status !== 200) throw new Error(`Local S3 could not write s3://${bucket}/${key}: HTTP ${r.status} ${r.body.toString('utf8')}`);
    },
    denyReads(bucket, prefix) {
      denied.push({ bucket, prefix });
    },
    ensureBucket,
    cutDownloads(bucket, prefix, count = 1) {
      cuts.push({ bucket, prefix, left: count });
    },
    requests,
    async close() {
      await new Promise<void>((resolve) => {
        front.close(() => resolve());
        front.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      await backend.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
