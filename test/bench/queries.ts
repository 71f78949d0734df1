// The query budgets of issue 11, inside the real extension host: a 1,000,000-row result (Parquet
// and CSV) run as a real protected query on the local endpoint and shown in its panel, and the
// polling of a 30 s query. Figures go into the bench's results; test/bench.mjs judges them.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import type { CleanRoomsApi } from '../../src/extension';
import { POLL_SCHEDULE_MS, pollDelay } from '../../src/model/queryTracker';
import type { ResultsState } from '../../src/views/protocol';
import type { QueryPanel } from '../../src/views/queryPanel';
import type { CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SAMPLE } from '../fakes/fixtures';

type Ready = Extract<ResultsState, { kind: 'ready' }>;

export const BIG_ROWS = 1_000_000;

/**
 * A million rows over the membership's custom-rule table (ANY_QUERY: any query, table functions
 * too): a BIGINT past 2^53, a DECIMAL, a DATE, a VARCHAR and an INTEGER, the last two with NULLs.
 * About 14 MB as Parquet, 41 MB as CSV.
 */
const BIG_SQL = `SELECT (9007199254740993 + hash(i) % 1000000000000)::BIGINT AS account_id,
  ((hash(i) % 100000) / 100)::DECIMAL(12,2) AS amount,
  DATE '2024-01-01' + (i % 366)::INTEGER AS event_date,
  CASE WHEN i % 10 = 0 THEN NULL ELSE chr(65 + (i % 26)::INTEGER) || (hash(i) % 97)::VARCHAR END AS segment,
  CASE WHEN i % 7 = 0 THEN NULL ELSE hash(i + 1) % 100 END AS score
FROM range(${BIG_ROWS}) AS r(i), (SELECT 1 FROM store_visits LIMIT 1) AS custom_rule_table`;

/** The column the sort budget sorts by (a BIGINT: exact 64-bit order). */
const SORT_COLUMN = 'account_id';

/** Waits with a short timer (not setImmediate): the host keeps its thread for the work measured. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000, stepMs = 2): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error(`bench: ${what}: not in time`);
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Heap plus array buffers (the result's file bytes live there), after collecting garbage. */
function memoryMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
}

function readyOf(panel: QueryPanel): Ready | undefined {
  const m = panel.lastMessage;
  return m?.type === 'query' && m.results.kind === 'ready' ? m.results : undefined;
}

/**
 * Asks test/bench.mjs (which drives the browser) to scroll the grid to its last row, and waits
 * for the time it measured in the page. Files beside CLEANROOMS_BENCH_OUT are the channel.
 */
async function scrollInPage(out: string, rowCount: number): Promise<number> {
  const done = `${out}.scroll-done`;
  fs.rmSync(done, { force: true });
  // Written aside and renamed: the other side never reads half a file.
  fs.writeFileSync(`${out}.scroll.tmp`, JSON.stringify({ rowCount }));
  fs.renameSync(`${out}.scroll.tmp`, `${out}.scroll`);
  const answer = await waitFor('the page measured the scroll', () => fs.existsSync(done) && fs.readFileSync(done, 'utf8'), 60_000, 50);
  fs.rmSync(done, { force: true });
  const parsed = JSON.parse(answer) as { ms?: number; error?: string };
  if (typeof parsed.ms !== 'number') {
    throw new Error(`bench: scrolling in the page failed: ${parsed.error ?? answer}`);
  }
  return parsed.ms;
}

/** Runs BIG_SQL on `membershipId` through the Run Query command and measures its panel. */
async function bigResult(api: CleanRoomsApi, out: string, membershipId: string, prefix: string, results: Record<string, number>): Promise<void> {
  const before = memoryMb();
  let successAt = 0;
  let successWallAt = 0;
  const seen = api.state.queries.onDidChange((q) => {
    if (successAt === 0 && q.membershipId === membershipId && q.status === 'SUCCESS') {
      successAt = performance.now();
      successWallAt = Date.now();
    }
  });
  const running = vscode.commands.executeCommand('cleanRooms.runQuery', { membershipId, sql: BIG_SQL });
  try {
    await waitFor('SUCCESS seen', () => successAt > 0, 120_000, 20);
    const panel = await waitFor('the query panel', () => api.state.panels.queries.all().find((p) => p.ref.membershipId === membershipId));
    // The first rows drawn may be of a partial result (rows read so far); the whole one follows.
    let firstDrawnAt: number | undefined;
    let firstDrawnWallAt: number | undefined;
    let loadingAt: number | undefined;
    let firstReadyAt: number | undefined;
    const ready = await waitFor('every row ready', () => {
      firstDrawnAt ??= panel.tab.rowsDrawn?.at;
      firstDrawnWallAt ??= panel.tab.rowsDrawn?.drawnAt;
      const m = panel.lastMessage;
      if (m?.type === 'query' && m.results.kind === 'loading') {
        loadingAt ??= panel.tab.postedAt;
      }
      const r = readyOf(panel);
      if (r) {
        firstReadyAt ??= panel.tab.postedAt;
      }
      return r?.rowCount === BIG_ROWS && !r.partial && r;
    }, 60_000);
    const readyPostedAt = panel.tab.postedAt ?? performance.now();
    const drawnRecord = firstDrawnAt === undefined ? await waitFor('rows drawn', () => panel.tab.rowsDrawn, 30_000) : undefined;
    const drawn = firstDrawnAt ?? drawnRecord?.at ?? Number.NaN;
    const drawnWall = firstDrawnWallAt ?? drawnRecord?.drawnAt;
    results[`${prefix}ReadyMs`] = readyPostedAt - successAt;
    // On screen when the webview drew them (its wall clock, the same machine's): the host may read
    // that report only later, while it is still busy reading the rest of the result.
    results[`${prefix}FirstRowsMs`] = drawnWall !== undefined ? drawnWall - successWallAt : drawn - successAt;
    results[`${prefix}FirstRowsReportReadMs`] = drawn - successAt;
    results[`${prefix}LoadingPostedMs`] = (loadingAt ?? Number.NaN) - successAt;
    results[`${prefix}FirstReadyPostedMs`] = (firstReadyAt ?? Number.NaN) - successAt;
    results[`${prefix}Files`] = ready.fileCount;

    results[`${prefix}ScrollLastMs`] = await scrollInPage(out, ready.rowCount);

    const column = ready.columns.findIndex((c) => c.name === SORT_COLUMN);
    const t0 = performance.now();
    void panel.handle({ type: 'sort', column, direction: 'desc' });
    const sorted = await waitFor('sorted', () => {
      const r = readyOf(panel);
      return r && r.version !== ready.version && r.sort?.column === column && r;
    });
    results[`${prefix}SortMs`] = (panel.tab.postedAt ?? performance.now()) - t0;
    const sortedDrawn = await waitFor('sorted rows drawn', () => panel.tab.rowsDrawn?.version === sorted.version && panel.tab.rowsDrawn, 30_000);
    results[`${prefix}SortDrawnMs`] = sortedDrawn.at - t0;

    const shown = memoryMb();
    panel.dispose();
    await running;
    await sleep(500);
    const after = memoryMb();
    results[`${prefix}MemBeforeMb`] = before;
    results[`${prefix}MemShownMb`] = shown;
    results[`${prefix}MemAfterMb`] = after;
  } finally {
    seen.dispose();
  }
}

/** The result's size as stored, per format (for the table's labels). */
async function resultBytes(endpoint: CleanRoomsEndpoint, membershipId: string): Promise<number> {
  const s3 = await endpoint.s3();
  const pq = endpoint.startedQueries(membershipId)[0];
  const location = pq?.result?.output.s3?.location;
  if (!location) {
    return 0;
  }
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(location) ?? [];
  let total = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        walk(p);
      } else if (e.name.endsWith('._S3rver_object')) {
        total += fs.statSync(p).size;
      }
    }
  };
  const root = `${s3.directory}/${bucket}/${prefix}`;
  if (fs.existsSync(root)) {
    walk(root);
  }
  return total;
}

/** A 30 s query: GetProtectedQuery calls, and how soon each status change is seen. */
async function polling(api: CleanRoomsApi, endpoint: CleanRoomsEndpoint, membershipId: string, results: Record<string, number>): Promise<void> {
  endpoint.setQueryDuration(30_000);
  endpoint.resetRequests();
  const seenAt = new Map<string, number>();
  let queryId: string | undefined;
  const sub = api.state.queries.onDidChange((q) => {
    if (q.membershipId === membershipId && q.id && (queryId === undefined || q.id === queryId)) {
      queryId = q.id;
      if (q.status && !seenAt.has(q.status)) {
        seenAt.set(q.status, Date.now());
      }
    }
  });
  try {
    await vscode.commands.executeCommand('cleanRooms.runQuery', { membershipId, sql: 'SELECT COUNT(*) AS visits FROM store_visits' });
    await waitFor('the 30 s query ended', () => seenAt.has('SUCCESS'), 90_000, 50);
    await sleep(1500);
  } finally {
    sub.dispose();
    endpoint.setQueryDuration(400);
  }
  const id = queryId ?? '';
  const gets = endpoint.requests.filter((r) => r.operation === 'GetProtectedQuery' && decodeURIComponent(r.path).includes(id)).map((r) => r.at);
  results.poll30sGetCalls = gets.length;
  const changes = endpoint.statusChanges(id).filter((c) => c.status !== 'SUBMITTED');
  results.poll30sDurationMs = (endpoint.statusChanges(id).at(-1)?.at ?? 0) - (endpoint.statusChanges(id)[0]?.at ?? 0);
  let worstOver = -Infinity;
  changes.forEach((c, i) => {
    const seen = seenAt.get(c.status);
    if (seen === undefined) {
      throw new Error(`bench: status ${c.status} was never seen`);
    }
    // The poll interval in force when the endpoint changed the status: the delay after the polls made so far.
    const polls = gets.filter((at) => at < c.at).length;
    const interval = pollDelay(POLL_SCHEDULE_MS, polls);
    results[`pollChange${i}Ms`] = seen - c.at;
    results[`pollChange${i}IntervalMs`] = interval;
    results[`pollChange${i}Status`] = c.status === 'SUCCESS' ? 2 : c.status === 'STARTED' ? 1 : 0;
    worstOver = Math.max(worstOver, seen - c.at - interval);
  });
  results.pollChanges = changes.length;
  results.pollWorstOverIntervalMs = worstOver;
}

/** Every query budget. `out`: CLEANROOMS_BENCH_OUT (its siblings carry the scroll hand-off). */
export async function benchQueries(api: CleanRoomsApi, endpoint: CleanRoomsEndpoint, out: string, results: Record<string, number>): Promise<void> {
  const config = vscode.workspace.getConfiguration('cleanRooms');
  const s3 = await endpoint.s3();
  await config.update('s3Endpoint', s3.url, vscode.ConfigurationTarget.Global);
  await config.update('query.confirmBeforeRun', false, vscode.ConfigurationTarget.Global);
  // Clinical Trials writes Parquet by default, CTV Reach CSV; both can query and receive results.
  const parquet = SAMPLE.clinicalTrials.id;
  const csv = SAMPLE.ctvReach.id;
  await config.update('memberships', [parquet, csv], vscode.ConfigurationTarget.Workspace);
  await api.store.whenIdle();
  endpoint.setLatency(0);
  api.panels.disposeAll();

  await bigResult(api, out, parquet, 'parquet', results);
  results.parquetBytes = await resultBytes(endpoint, parquet);
  await bigResult(api, out, csv, 'csv', results);
  results.csvBytes = await resultBytes(endpoint, csv);
  await polling(api, endpoint, csv, results);
}
