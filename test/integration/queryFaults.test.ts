import * as assert from 'assert';
import { createHash, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ConnectionRequest } from '../../src/aws/clientFactory';
import type { QueryRef, TrackedQuery } from '../../src/model/queryTracker';
import type { RunOutcome } from '../../src/queries/runFlow';
import type { ResultsState, ToWebview } from '../../src/views/protocol';
import type { QueryPanel } from '../../src/views/queryPanel';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { FAULT_IDS, QUERY_FAULT_MEMBERSHIPS, SAMPLE, protectedQueriesFor } from '../fakes/fixtures';
import type { LocalS3 } from '../fakes/localS3';
import { api, config, resetSettings, updateUserSettings, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

/** Every protected-query fault of the local endpoint, as the person sees it in the real extension host. */

/** Pinned query panels' view type (QUERY_VIEW_TYPE in src/views/panels.ts). */
const QUERY_VIEW_TYPE = 'cleanRooms.query';

const CTV = SAMPLE.ctvReach;
const QUERY_MS = 600;
const COUNT_SQL = 'SELECT COUNT(*) AS n FROM store_visits';

type QueryMessage = Extract<ToWebview, { type: 'query' }>;

function queryMessage(panel: QueryPanel): QueryMessage | undefined {
  const m = panel.lastMessage;
  return m?.type === 'query' ? m : undefined;
}

function results(panel: QueryPanel): ResultsState | undefined {
  return queryMessage(panel)?.results;
}

function failed(panel: QueryPanel): Extract<ResultsState, { kind: 'failed' }> | undefined {
  const r = results(panel);
  return r?.kind === 'failed' ? r : undefined;
}

function findFiles(dir: string, match: (f: string) => boolean, depth = 4): string[] {
  if (depth < 0 || !fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? findFiles(full, match, depth - 1) : match(full) ? [full] : [];
  });
}

describe('query faults (results, polling, cancel)', function () {
  this.timeout(60_000);
  let endpoint: CleanRoomsEndpoint;
  let s3: LocalS3;
  const request = (): ConnectionRequest => ({ profile: 'cleanrooms-test', endpoint: endpoint.url, timeoutMs: 10_000 });
  const gets = (queryId: string): number[] => endpoint.requests.filter((r) => r.operation === 'GetProtectedQuery' && r.path.endsWith(`/${queryId}`)).map((r) => r.at);
  /** S3 requests the reader made for one query's result (its ID is in every key). */
  const s3Reads = (queryId: string): number => s3.requests.filter((r) => r.key.includes(queryId)).length;

  async function start(membershipId: string, queryString: string): Promise<{ ref: QueryRef; started: TrackedQuery }> {
    const a = await api();
    const r = await a.service.startProtectedQuery(request(), membershipId, { queryString });
    assert.ok(r.ok, r.ok ? '' : r.failure.title);
    return { ref: { membershipKey: '', request: request(), membershipId, queryId: String(r.value.id) }, started: r.value };
  }

  async function open(membershipId: string, queryString: string): Promise<{ ref: QueryRef; panel: QueryPanel }> {
    const { ref, started } = await start(membershipId, queryString);
    return { ref, panel: (await api()).state.panels.showQuery(ref, 'pinned', 'take', started) };
  }

  before(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: QUERY_MS, slowMs: 4000 });
    s3 = await endpoint.s3();
    await config().update('endpoint', endpoint.url, vscode.ConfigurationTarget.Global);
    await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
    await updateUserSettings({ 'cleanRooms.s3Endpoint': s3.url, 'cleanRooms.query.confirmBeforeRun': false });
    await waitFor('the S3 endpoint applied', async () => (await api()).state.settings.s3Endpoint === s3.url);
  });
  afterEach(async () => {
    const a = await api();
    a.state.panels.queries.disposeAll();
    await vscode.commands.executeCommand('notifications.clearAll');
  });
  after(async () => {
    await updateUserSettings({ 'cleanRooms.s3Endpoint': process.env.CLEANROOMS_TEST_S3_ENDPOINT, 'cleanRooms.query.confirmBeforeRun': undefined });
    await resetSettings();
    await endpoint.close();
  });

  describe('reading the results', () => {
    it('S3 AccessDenied names the bucket and the missing permission; Retry asks S3 again', async () => {
      const { ref, panel } = await open(FAULT_IDS.s3AccessDenied, COUNT_SQL);
      const first = await waitFor('the read failed', () => failed(panel), 20_000);
      const bucket = QUERY_FAULT_MEMBERSHIPS.s3AccessDenied.defaultResultConfiguration?.outputConfiguration.s3?.bucket;
      assert.ok(bucket);
      assert.strictEqual(first.failure.title, `Access denied to S3 bucket ${bucket}`);
      assert.match(first.failure.nextStep, new RegExp(`needs s3:ListBucket on bucket ${bucket}`));
      assert.match(first.location ?? '', new RegExp(`^s3://${bucket}/out/${ref.queryId}/$`));
      const reads = s3Reads(ref.queryId);
      assert.ok(reads >= 1, 'the refused request reached S3');
      await panel.handle({ type: 'queryAction', action: 'retryResults' });
      await waitFor('S3 asked again', () => s3Reads(ref.queryId) > reads, 10_000);
      const again = await waitFor('failed again', () => failed(panel), 10_000);
      assert.strictEqual(again.failure.title, first.failure.title);
    });

    it('a result location without objects says so; Retry lists it again', async () => {
      const { ref, panel } = await open(FAULT_IDS.missingResult, COUNT_SQL);
      const first = await waitFor('the read failed', () => failed(panel), 20_000);
      assert.strictEqual(first.failure.title, "The query's result location holds no files");
      assert.match(first.failure.message ?? '', new RegExp(`${ref.queryId}/$`), 'names the location');
      assert.match(first.failure.nextStep, /removed or not written/);
      const reads = s3Reads(ref.queryId);
      await panel.handle({ type: 'queryAction', action: 'retryResults' });
      await waitFor('listed again', () => s3Reads(ref.queryId) > reads, 10_000);
      await waitFor('failed again', () => failed(panel), 10_000);
    });

    it('a truncated Parquet file is named in the message', async () => {
      const { ref, panel } = await open(FAULT_IDS.corruptParquet, COUNT_SQL);
      const r = await waitFor('the read failed', () => failed(panel), 30_000);
      const s3Out = QUERY_FAULT_MEMBERSHIPS.corruptParquet.defaultResultConfiguration.outputConfiguration.s3;
      assert.strictEqual(s3Out.resultFormat, 'PARQUET');
      assert.match(r.failure.title, new RegExp(`^Result file s3://${s3Out.bucket}/parquet/${ref.queryId}/[^ ]+ (is truncated|cannot be read)$`), r.failure.title);
      assert.match(r.failure.nextStep, /damaged or incomplete/);
      assert.strictEqual(panel.hasResult, false);
    });

    it('a download whose connection drops is an interrupted download naming the file; Retry reads it whole', async () => {
      const bucket = CTV.defaultResultConfiguration?.outputConfiguration.s3?.bucket;
      assert.ok(bucket);
      // One row, one file, whose one download is cut (the S3 client does not retry a body).
      const { ref, started } = await start(CTV.id, "SELECT md5('interrupted') AS h");
      s3.cutDownloads(bucket, '', 1);
      const panel = (await api()).state.panels.showQuery(ref, 'pinned', 'take', started);
      const r = await waitFor('the read failed', () => failed(panel), 20_000);
      assert.match(r.failure.title, new RegExp(`^Download of s3://${bucket}/.*${ref.queryId}/[^ ]+ was interrupted$`), r.failure.title);
      assert.match(r.failure.nextStep, /connection dropped/);
      await panel.handle({ type: 'queryAction', action: 'retryResults' });
      const ready = await waitFor('read whole', () => {
        const x = results(panel);
        return x?.kind === 'ready' ? x : undefined;
      }, 20_000);
      assert.strictEqual(ready.rowCount, 1);
    });

    it('Reload AWS Credentials: a query panel drops the rows read with the old credentials, fetches the query and reads them again', async () => {
      const { ref, panel } = await open(CTV.id, "SELECT md5('reload') AS h");
      const ready = await waitFor('ready', () => {
        const x = results(panel);
        return x?.kind === 'ready' ? x : undefined;
      }, 20_000);
      const reads = s3Reads(ref.queryId);
      const polls = gets(ref.queryId).length;
      await vscode.commands.executeCommand('cleanRooms.reloadCredentials');
      assert.ok(gets(ref.queryId).length > polls, 'the query fetched again');
      const again = await waitFor('read again', () => {
        const x = results(panel);
        return x?.kind === 'ready' && x.version > ready.version ? x : undefined;
      }, 20_000);
      assert.ok(s3Reads(ref.queryId) > reads, 'S3 read again');
      assert.strictEqual(again.rowCount, 1);
      assert.ok(panel.showing, 'the panel stays');
    });
  });

  describe('restored after a window reload', () => {
    it('a pinned query panel comes back from the IDs its webview saved, fetched again', async () => {
      const a = await api();
      const retail = SAMPLE.retailMedia;
      const q = protectedQueriesFor(retail).find((x) => x.status === 'FAILED');
      assert.ok(q);
      const before = gets(q.id).length;
      const restored = a.state.panels.reviveQuery(vscode.window.createWebviewPanel(QUERY_VIEW_TYPE, 'restored', vscode.ViewColumn.Active), { query: { membershipId: retail.id, queryId: q.id } });
      assert.ok(restored);
      assert.strictEqual(restored.ref.queryId, q.id);
      assert.strictEqual(restored.ref.request.endpoint, endpoint.url, 'the connection the settings give now');
      await waitFor('fetched', () => queryMessage(restored)?.view.status.text === 'Failed', 10_000);
      assert.strictEqual(gets(q.id).length, before + 1);
      assert.strictEqual(a.state.panels.queries.get(restored.key), restored);
      // The preview is a membership-type panel: it brings back the query it showed, as the preview.
      restored.dispose();
      const preview = a.state.panels.restore(vscode.window.createWebviewPanel('cleanRooms.membership', 'restored', vscode.ViewColumn.Active), { query: { membershipId: retail.id, queryId: q.id }, preview: true });
      assert.ok(preview && 'ref' in preview && preview.isPreview);
      // A saved state that names no query closes the panel.
      const bad = vscode.window.createWebviewPanel(QUERY_VIEW_TYPE, 'restored', vscode.ViewColumn.Active);
      assert.strictEqual(a.state.panels.reviveQuery(bad, { query: { membershipId: 'not-an-id', queryId: q.id } }), undefined);
    });
  });

  describe('status', () => {
    it('a query that never finishes stays running, polled on the back-off schedule; Cancel Query ends it and its panel shows Cancelled', async () => {
      const a = await api();
      const id = FAULT_IDS.queryTimeout;
      const running = Promise.resolve(vscode.commands.executeCommand<RunOutcome | undefined>('cleanRooms.runQuery', { membershipId: id, sql: COUNT_SQL }));
      const pq = await waitFor('started', () => endpoint.startedQueries(id)[0], 15_000);
      const panel = await waitFor('its panel opened', () => a.state.panels.queries.all().find((p) => p.ref.queryId === pq.id), 15_000);
      // POLL_SCHEDULE_MS: 1 s to the first poll, then 1, 1, 2, 2, 3 s apart; one loop for the run and its panel.
      const times = await waitFor('six polls', () => (gets(pq.id).length >= 6 ? gets(pq.id) : undefined), 25_000);
      const gaps = times.slice(1, 6).map((t, i) => t - times[i]);
      assert.ok(times[0] - pq.createTime * 1000 >= 800, `the first poll a second after the start: ${times[0] - pq.createTime * 1000} ms`);
      assert.ok(gaps.slice(0, 2).every((g) => g >= 800 && g < 1900), `about 1 s apart at first: ${gaps.join(', ')}`);
      assert.ok(gaps.slice(2, 4).every((g) => g >= 1800 && g < 2900), `then 2 s: ${gaps.join(', ')}`);
      assert.ok(gaps[4] >= 2800, `then 3 s: ${gaps.join(', ')}`);
      assert.strictEqual(queryMessage(panel)?.view.status.text, 'Started');
      assert.strictEqual(queryMessage(panel)?.view.canCancel, true);
      const sent = await vscode.commands.executeCommand<boolean>('cleanRooms.cancelQuery', { membershipId: id, queryId: pq.id });
      assert.strictEqual(sent, true);
      const outcome = await running;
      assert.strictEqual(outcome?.kind === 'ran' && outcome.query.status, 'CANCELLED');
      await waitFor('the panel shows Cancelled', () => queryMessage(panel)?.view.status.text === 'Cancelled', 10_000);
      const r = results(panel);
      assert.ok(r?.kind === 'none' && /cancelled, so it has no results/.test(r.reason), JSON.stringify(r));
      const polls = gets(pq.id).length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.strictEqual(gets(pq.id).length, polls, 'no poll after CANCELLED');
    });

    it('Cancel Query refused with ConflictException: a clear message, and the status is fetched again', async () => {
      const a = await api();
      const { ref } = await start(FAULT_IDS.queryConflict, COUNT_SQL);
      // Nobody watches it: the only GetProtectedQuery is the one the refusal makes.
      const before = gets(ref.queryId).length;
      const { result, seen } = await withScriptedUi([], () => vscode.commands.executeCommand<boolean>('cleanRooms.cancelQuery', { membershipId: ref.membershipId, queryId: ref.queryId }));
      assert.strictEqual(result, false);
      const update = endpoint.requests.find((r) => r.operation === 'UpdateProtectedQuery' && r.path.endsWith(`/${ref.queryId}`));
      assert.strictEqual(update?.status, 409);
      const error = seen.messages.find((m) => m.kind === 'error');
      assert.ok(error, JSON.stringify(seen.messages));
      assert.match(error.text, new RegExp(`Cancelling query ${ref.queryId.slice(0, 8)}.*failed: The query could not be cancelled\\. It has already ended, or is being changed elsewhere\\.`));
      await waitFor('fetched again', () => gets(ref.queryId).length > before, 5_000);
      await waitFor('the tracker holds the fetched record', () => a.state.queries.snapshot(ref.queryId)?.connection !== undefined, 5_000);
    });

    for (const status of ['TIMED_OUT', 'CANCELLED'] as const) {
      it(`a ${status} query says why it has no results`, async () => {
        const retail = SAMPLE.retailMedia;
        const q = protectedQueriesFor(retail).find((x) => x.status === status);
        assert.ok(q);
        const ref: QueryRef = { membershipKey: '', request: request(), membershipId: retail.id, queryId: q.id };
        const panel = (await api()).state.panels.showQuery(ref, 'pinned', 'take');
        const r = await waitFor('the record', () => {
          const x = results(panel);
          return x?.kind === 'none' && queryMessage(panel)?.view.status.text !== undefined ? x : undefined;
        }, 10_000);
        const why = status === 'TIMED_OUT' ? /timed out, so it has no results/ : /cancelled, so it has no results/;
        assert.match(r.kind === 'none' ? r.reason : '', why);
      });
    }
  });

  describe('privacy', () => {
    it('no result cell reaches the log', async () => {
      const a = await api();
      // The cell is computed by the engine: it appears in the result, never in the SQL text.
      const seed = randomUUID();
      const cell = createHash('md5').update(seed).digest('hex');
      const { ref, panel } = await open(CTV.id, `SELECT md5('${seed}') AS h`);
      const ready = await waitFor('ready', () => {
        const x = results(panel);
        return x?.kind === 'ready' ? x : undefined;
      }, 20_000);
      assert.strictEqual(ready.rowCount, 1);
      await panel.handle({ type: 'copyCells', version: ready.version, firstRow: 0, lastRow: 0, firstColumn: 0, lastColumn: 0, header: false });
      assert.strictEqual((await vscode.env.clipboard.readText()).trim(), cell, 'the unique value is in the rows');
      const dir = path.dirname(a.logUri.fsPath);
      const readLog = (): string => findFiles(dir, (f) => /Clean Rooms/.test(path.basename(f))).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      // The reader logs each read (location, counts, sizes): once that line is written, the read is in the log.
      const logged = await waitFor('the read is logged', () => {
        const text = readLog();
        return new RegExp(`S3 result s3://[^ ]*${ref.queryId}/ .* 1 rows`).test(text) && text;
      }, 10_000);
      assert.ok(!logged.includes(cell), 'a result cell was logged');
      await vscode.env.clipboard.writeText('');
    });
  });
});
