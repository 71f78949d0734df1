import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ConnectionRequest } from '../../src/aws/clientFactory';
import type { QueryRef, TrackedQuery } from '../../src/model/queryTracker';
import type { ResultsState, ToWebview } from '../../src/views/protocol';
import type { QueryPanel } from '../../src/views/queryPanel';
import type { TreeElement } from '../../src/views/treeElements';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { FAULT_IDS, MEMBER_ACCOUNT_ID, SAMPLE, membersFor, protectedQueriesFor } from '../fakes/fixtures';
import { acceptSaveDialog } from './dialogs';
import { api, config, resetSettings, setMemberships, updateUserSettings, waitFor } from './helpers';

const CTV = SAMPLE.ctvReach;
const REACH_SQL = 'SELECT campaign_id, COUNT(DISTINCT hashed_email) AS reach FROM campaign_exposures GROUP BY campaign_id';
const QUERY_MS = 2500;

type QueryMessage = Extract<ToWebview, { type: 'query' }>;

function queryMessage(panel: QueryPanel): QueryMessage | undefined {
  const m = panel.lastMessage;
  return m?.type === 'query' ? m : undefined;
}

function results(panel: QueryPanel): ResultsState | undefined {
  return queryMessage(panel)?.results;
}

function rowText(panel: QueryPanel, section: string, label: string): string | undefined {
  const value = queryMessage(panel)
    ?.view.sections.find((s) => s.title === section)
    ?.rows.find((r) => r.label === label)?.value;
  return value?.kind === 'text' ? value.text : value?.kind === 'badge' ? value.text : undefined;
}

describe('query panel (live protected query)', () => {
  let endpoint: CleanRoomsEndpoint;
  const request = (): ConnectionRequest => ({ profile: 'cleanrooms-test', endpoint: endpoint.url, timeoutMs: 10_000 });
  const gets = (queryId: string): number => endpoint.requests.filter((r) => r.operation === 'GetProtectedQuery' && r.path.endsWith(`/${queryId}`)).length;

  async function start(membershipId: string, input: { queryString: string; member?: string }): Promise<{ ref: QueryRef; started: TrackedQuery }> {
    const a = await api();
    const r = await a.service.startProtectedQuery(request(), membershipId, {
      queryString: input.queryString,
      resultConfiguration: input.member ? { outputConfiguration: { member: { accountId: input.member } } } : undefined,
    });
    assert.ok(r.ok, r.ok ? '' : r.failure.title);
    return { ref: { membershipKey: '', request: request(), membershipId, queryId: String(r.value.id) }, started: r.value };
  }

  before(async () => {
    // Its own endpoint, with queries slow enough to watch them change.
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: QUERY_MS, slowMs: 4000 });
    await config().update('endpoint', endpoint.url, vscode.ConfigurationTarget.Global);
    await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
    await updateUserSettings({ 'workbench.editor.enablePreview': true, 'cleanRooms.s3Endpoint': (await endpoint.s3()).url });
  });
  afterEach(async () => {
    const a = await api();
    a.state.panels.queries.disposeAll();
    a.panels.disposeAll();
    a.details.disposeAll();
  });
  after(async () => {
    await updateUserSettings({ 'workbench.editor.enablePreview': undefined, 'cleanRooms.s3Endpoint': process.env.CLEANROOMS_TEST_S3_ENDPOINT });
    await resetSettings();
    await endpoint.close();
  });

  it('a started query opens in the preview and goes SUBMITTED -> STARTED -> SUCCESS live', async function () {
    this.timeout(60_000);
    const a = await api();
    const { ref, started } = await start(CTV.id, { queryString: REACH_SQL });
    const panel = a.state.panels.showQuery(ref, 'preview', 'take', started);
    assert.ok(panel.isPreview, 'opens in the preview by default');
    const seen: string[] = [];
    const note = (): void => {
      const s = queryMessage(panel)?.view.status.text;
      if (s && seen[seen.length - 1] !== s) seen.push(s);
    };
    note();
    // The tracker tells its own listeners before the panel's watch: look once the panel has drawn.
    const sub = a.state.queries.onDidChange(() => queueMicrotask(note));
    try {
      await waitFor('SUCCESS', () => queryMessage(panel)?.view.status.text === 'Success', 30_000);
    } finally {
      sub.dispose();
    }
    assert.deepStrictEqual(seen, ['Submitted', 'Started', 'Success']);
    assert.strictEqual(rowText(panel, 'Query', 'SQL'), REACH_SQL);
    assert.ok(rowText(panel, 'Protected query', 'CRPU-hours billed'));
    assert.ok(gets(ref.queryId) <= 6, `${gets(ref.queryId)} polls for a ${QUERY_MS} ms query`);
    await waitFor('the webview drew the query', () => panel.lastRendered?.state === 'query', 60_000);
    const polls = gets(ref.queryId);
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(gets(ref.queryId), polls, 'no poll after SUCCESS');
  });

  it('Cancel from the panel sends UpdateProtectedQuery and shows CANCELLED', async function () {
    this.timeout(30_000);
    const a = await api();
    const { ref, started } = await start(CTV.id, { queryString: REACH_SQL });
    const panel = a.state.panels.showQuery(ref, 'preview', 'take', started);
    assert.strictEqual(queryMessage(panel)?.view.canCancel, true);
    await panel.action('cancel');
    assert.strictEqual(endpoint.requests.filter((r) => r.operation === 'UpdateProtectedQuery' && r.path.endsWith(ref.queryId)).length, 1);
    await waitFor('CANCELLED', () => queryMessage(panel)?.view.status.text === 'Cancelled', 15_000);
    assert.strictEqual(queryMessage(panel)?.view.canCancel, false);
    const r = results(panel);
    assert.ok(r?.kind === 'none' && /cancelled/.test(r.reason), JSON.stringify(r));
  });

  it('Cancel refused by the service (ConflictException) is a clear message, not a silent no-op', async function () {
    this.timeout(30_000);
    const a = await api();
    const { ref, started } = await start(FAULT_IDS.queryConflict, { queryString: REACH_SQL });
    const panel = a.state.panels.showQuery(ref, 'preview', 'take', started);
    const r = await a.state.queries.cancel(ref);
    assert.ok(!r.ok && r.failure.kind === 'conflict' && /could not be cancelled/.test(r.failure.title));
    assert.ok(panel.showing);
  });

  it('a FAILED query shows the error code and message, and why there are no rows', async function () {
    this.timeout(30_000);
    const a = await api();
    const { ref, started } = await start(CTV.id, { queryString: 'SELECT hashed_email FROM campaign_exposures' });
    const panel = a.state.panels.showQuery(ref, 'preview', 'take', started);
    await waitFor('FAILED', () => queryMessage(panel)?.view.status.text === 'Failed', 20_000);
    assert.ok(rowText(panel, 'Error', 'Code'));
    assert.match(String(rowText(panel, 'Error', 'Message')), /JOIN ON clause/);
    const r = results(panel);
    assert.ok(r?.kind === 'none' && /failed/.test(r.reason), JSON.stringify(r));
  });

  it('a result delivered to a member (memberList) names the receiver with its member name', async function () {
    this.timeout(30_000);
    const a = await api();
    const { ref, started } = await start(CTV.id, { queryString: REACH_SQL, member: MEMBER_ACCOUNT_ID });
    const panel = a.state.panels.showQuery(ref, 'preview', 'take', started);
    const name = membersFor(CTV).find((m) => m.accountId === MEMBER_ACCOUNT_ID)?.displayName;
    assert.ok(name);
    await waitFor('delivered, with names', () => {
      const r = results(panel);
      return r?.kind === 'delivered' && r.receivers.includes(`${name} (${MEMBER_ACCOUNT_ID})`);
    }, 20_000);
  });

  it('closing the panel stops polling', async function () {
    this.timeout(30_000);
    const a = await api();
    // This membership's queries never finish.
    const { ref, started } = await start(FAULT_IDS.queryTimeout, { queryString: REACH_SQL });
    const panel = a.state.panels.showQuery(ref, 'preview', 'take', started);
    await waitFor('two polls', () => gets(ref.queryId) >= 2, 10_000);
    assert.ok(a.state.queries.isPolling(ref.queryId));
    panel.dispose();
    await waitFor('the panel closed', () => !panel.showing);
    assert.strictEqual(a.state.queries.isPolling(ref.queryId), false);
    const polls = gets(ref.queryId);
    await new Promise((r) => setTimeout(r, 2500));
    assert.strictEqual(gets(ref.queryId), polls, 'nobody watches: no poll');
  });

  it('a protected-query row in the tree opens a live query panel (GetProtectedQuery), in the preview', async function () {
    this.timeout(60_000);
    const a = await setMemberships([CTV.id]);
    const node = { type: 'membership', key: a.store.all[0].key } as const;
    const branches = await a.tree.getChildren(node);
    const queriesBranch = branches.find((b) => b.type === 'branch' && b.branch === 'queries');
    assert.ok(queriesBranch);
    const rows = await waitFor('query rows', async () => {
      const children = await a.tree.getChildren(queriesBranch);
      return children.some((c) => c.type === 'record') ? children.filter((c): c is Extract<TreeElement, { type: 'record' }> => c.type === 'record') : undefined;
    });
    const failed = protectedQueriesFor(CTV).find((q) => q.status === 'FAILED');
    assert.ok(failed);
    const row = rows.find((r) => {
      const rec = a.tree.record(r);
      return rec !== undefined && 'id' in rec && rec.id === failed.id;
    });
    assert.ok(row, 'the FAILED query row');
    const before = gets(failed.id);
    const panel = (await vscode.commands.executeCommand('cleanRooms.openDetail', row)) as QueryPanel;
    assert.ok(panel && 'ref' in panel, 'a query panel, not a detail snapshot');
    assert.strictEqual(a.state.panels.queries.count, 1);
    assert.strictEqual(a.details.count, 0);
    assert.ok(panel.isPreview);
    await waitFor('the full record', () => queryMessage(panel)?.view.status.text === 'Failed', 15_000);
    assert.strictEqual(gets(failed.id), before + 1, 'fetched once; a finished query is not polled');
    assert.ok(rowText(panel, 'Query', 'SQL'), 'the SQL (the list summary has none)');
  });

  it('results: shown as a grid (ready), sorted and filtered with new versions, saved as CSV with formulas neutralised, dropped on close', async function () {
    this.timeout(60_000);
    const a = await api();
    // A real run: DuckDB writes the CSV to the local S3, the panel reads it back with the S3 client.
    const { ref, started } = await start(CTV.id, { queryString: 'SELECT tier, points, member_since, note FROM loyalty_transactions' });
    const panel = a.state.panels.showQuery(ref, 'preview', 'take', started);
    // Rows read so far may be shown first (partial); the test reads the whole result.
    const ready = await waitFor('ready', () => {
      const r = results(panel);
      return r?.kind === 'ready' && !r.partial ? r : undefined;
    }, 30_000);
    assert.strictEqual(ready.rowCount, 30);
    assert.deepStrictEqual(ready.columns.map((c) => c.name), ['tier', 'points', 'member_since', 'note']);
    assert.strictEqual(ready.format, 'CSV');
    const lines = async (): Promise<string[]> => {
      const saved = await acceptSaveDialog(panel.saveCsv());
      assert.ok(saved, 'saved');
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(saved));
      await vscode.workspace.fs.delete(saved);
      return text.split('\r\n');
    };
    // 64-bit values sort exactly: the largest BIGINT first, then back in file order.
    await panel.handle({ type: 'sort', column: 1, direction: 'desc' });
    const sorted = results(panel);
    assert.ok(sorted?.kind === 'ready' && sorted.version > ready.version && sorted.sort?.direction === 'desc');
    assert.strictEqual((await lines())[1].split(',')[1], '9223372036854775807');
    await panel.handle({ type: 'sort', column: 1, direction: 'asc' });
    assert.strictEqual((await lines())[1].split(',')[1], '18014398509481986');
    await panel.handle({ type: 'filter', text: 'GOLD' });
    const filtered = results(panel);
    assert.ok(filtered?.kind === 'ready' && filtered.shownCount === 10 && filtered.filter === 'GOLD');
    await panel.handle({ type: 'filter', text: '' });
    await panel.handle({ type: 'sort', column: 0, direction: 'none' });
    const all = await lines();
    assert.strictEqual(all[0], 'tier,points,member_since,note');
    // NULL is an empty field, the empty string is "", and a formula is neutralised.
    assert.strictEqual(all[1], 'gold,9223372036854775807,2019-01-15,');
    assert.strictEqual(all[2], 'silver,18014398509481986,2019-02-25,""');
    assert.ok(all[3].endsWith(`,"'=HYPERLINK(""http://x"")"`), all[3]);
    assert.ok(panel.hasResult);
    panel.dispose();
    await waitFor('closed', () => !panel.showing);
    assert.strictEqual(panel.hasResult, false, 'the rows are let go when the panel closes');
  });

  it('actions: Open SQL in Editor (a bound document), Run Again (one new start), Save Original Files (every part, bytes as stored), Copy ID', async function () {
    this.timeout(90_000);
    const a = await api();
    const sql = 'SELECT tier, points, member_since, note FROM loyalty_transactions';
    const { ref, started } = await start(CTV.id, { queryString: sql });
    const panel = a.state.panels.showQuery(ref, 'pinned', 'take', started);
    const ready = await waitFor('ready', () => {
      const r = results(panel);
      return r?.kind === 'ready' && !r.partial ? r : undefined;
    }, 30_000);
    assert.ok(ready.fileCount > 1, `several parts (${ready.fileCount})`);

    await panel.handle({ type: 'queryAction', action: 'copyId' });
    assert.strictEqual(await vscode.env.clipboard.readText(), ref.queryId);

    await panel.handle({ type: 'queryAction', action: 'openSql' });
    const opened = await waitFor('the SQL document', () => vscode.window.activeTextEditor?.document.languageId === 'sql' && vscode.window.activeTextEditor.document);
    assert.strictEqual(opened.getText(), `-- @membership ${CTV.id}\n${sql}`);
    assert.strictEqual(opened.isUntitled, true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const saved = await acceptSaveDialog(panel.saveOriginal());
    assert.ok(saved && saved.length === ready.fileCount, `${saved?.length} files saved`);
    const texts = await Promise.all(saved.map(async (uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))));
    // Each part exactly as DuckDB wrote it: its own header, CRLF-free lines, the rows in file order.
    assert.ok(texts.every((t) => t.startsWith('tier,points,member_since,note\n')), texts[0].slice(0, 60));
    assert.strictEqual(texts.reduce((n, t) => n + t.trimEnd().split('\n').length - 1, 0), 30);
    assert.ok(texts[0].includes('gold,9223372036854775807,2019-01-15,\n'), 'NULL written by DuckDB as an empty field, kept as stored');
    await Promise.all(saved.map((uri) => vscode.workspace.fs.delete(uri)));

    await updateUserSettings({ 'cleanRooms.query.confirmBeforeRun': false });
    try {
      endpoint.resetRequests();
      await panel.handle({ type: 'queryAction', action: 'runAgain' });
      assert.strictEqual(endpoint.requests.filter((r) => r.operation === 'StartProtectedQuery').length, 1, 'Run Again starts one query');
      assert.strictEqual(endpoint.startedQueries(CTV.id)[0].sqlParameters?.queryString, sql);
    } finally {
      await updateUserSettings({ 'cleanRooms.query.confirmBeforeRun': undefined });
    }
  });
});
