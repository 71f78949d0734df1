/**
 * QueryTracker against the local endpoint through the real CleanRoomsService: queries run for real
 * (DuckDB, local S3). The tracker's clock runs `speed` times faster than real time, so a schedule
 * of seconds runs in tens of milliseconds while the delays it asks for are the real ones.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { FAULT_IDS, SAMPLE, protectedQueriesFor } from '../fakes/fixtures';
import { PROFILES } from '../fakes/awsHome';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService, type CallLog } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { POLL_SCHEDULE_MS, QueryTracker, pollDelay, type QueryPollFailure, type QueryRef, type TrackedQuery, type TrackerClock } from '../../src/model/queryTracker';
import { useAwsHome } from '../fakes/awsHomeSuite';

const CTV = SAMPLE.ctvReach;
const REACH_SQL = 'SELECT campaign_id, COUNT(DISTINCT hashed_email) AS reach FROM campaign_exposures GROUP BY campaign_id';

const quiet: CallLog = { info: () => undefined, warn: () => undefined };

/** Real timers, `speed` times faster; records every delay asked for. */
class FastClock implements TrackerClock {
  readonly delays: number[] = [];
  private readonly t0 = Date.now();
  constructor(private readonly speed: number) {}
  now(): number {
    return this.t0 + (Date.now() - this.t0) * this.speed;
  }
  setTimeout(run: () => void, ms: number): unknown {
    this.delays.push(ms);
    return setTimeout(run, ms / this.speed);
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, probe: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('QueryTracker schedule', () => {
  it('the default schedule polls every second at first, backs off to 5 s, and a 30 s query costs at most 15 calls', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => pollDelay(POLL_SCHEDULE_MS, i)), [1000, 1000, 1000, 2000, 2000]);
    assert.equal(pollDelay(POLL_SCHEDULE_MS, 100), 5000);
    let at = 0;
    let calls = 0;
    while (at < 30_000) at += pollDelay(POLL_SCHEDULE_MS, calls++);
    assert.ok(calls + 1 <= 15, `${calls + 1} calls`);
  });
});

describe('QueryTracker (real service, local endpoint)', () => {
  let endpoint: CleanRoomsEndpoint;
  let service: CleanRoomsService;
  let tracker: QueryTracker | undefined;
  const request = () => ({ profile: PROFILES.test, endpoint: endpoint.url, timeoutMs: 5000 });
  const gets = (queryId: string): number => endpoint.requests.filter((r) => r.operation === 'GetProtectedQuery' && r.path.endsWith(`/${queryId}`)).length;
  const startQuery = async (membershipId: string = CTV.id): Promise<QueryRef & { initial: TrackedQuery }> => {
    const started = await service.startProtectedQuery(request(), membershipId, { queryString: REACH_SQL });
    assert.ok(started.ok, started.ok ? '' : started.failure.title);
    return { membershipKey: '', request: request(), membershipId, queryId: String(started.value.id), initial: started.value };
  };

  useAwsHome();
  beforeEach(() => {
    service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), quiet);
  });
  afterEach(async () => {
    tracker?.dispose();
    tracker = undefined;
    service.reset();
    await endpoint.close();
  });

  it('polls a started query on the schedule, sees SUBMITTED -> STARTED -> SUCCESS, and stops at SUCCESS', async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 400 });
    const clock = new FastClock(20);
    tracker = new QueryTracker(service, { clock });
    const ref = await startQuery();
    const seen: string[] = [];
    const global: string[] = [];
    tracker.onDidChange((q) => global.push(String(q.status)));
    const watch = tracker.watch(ref, ref.initial);
    watch.onDidChange((q) => {
      if (seen[seen.length - 1] !== q.status) seen.push(String(q.status));
    });
    assert.equal(watch.current?.status, 'SUBMITTED', 'the start is shown until the first poll answers');
    await until('SUCCESS', () => watch.current?.status === 'SUCCESS');
    assert.equal(seen[seen.length - 1], 'SUCCESS');
    assert.ok(seen.includes('STARTED') || seen.length === 1, seen.join());
    assert.ok(global.includes('SUCCESS'));
    assert.ok(watch.current?.result?.output?.s3?.location);
    const calls = gets(ref.queryId);
    assert.deepEqual(clock.delays, POLL_SCHEDULE_MS.slice(0, calls), 'one delay per poll, on the schedule');
    assert.equal(tracker.isPolling(ref.queryId), false);
    await sleep(300);
    assert.equal(gets(ref.queryId), calls, 'no poll after SUCCESS');
    watch.dispose();
  });

  it('a 30 s query costs at most 15 GetProtectedQuery calls (a 300 ms query at 100x)', async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 300 });
    tracker = new QueryTracker(service, { clock: new FastClock(100) });
    const ref = await startQuery();
    const watch = tracker.watch(ref, ref.initial);
    await until('SUCCESS', () => watch.current?.status === 'SUCCESS');
    const calls = gets(ref.queryId);
    assert.ok(calls >= 3 && calls <= 15, `${calls} calls`);
    watch.dispose();
  });

  it('one poll loop however many watchers; polling stops when the last watcher disposes', async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 60_000 });
    const clock = new FastClock(20);
    tracker = new QueryTracker(service, { clock });
    const ref = await startQuery();
    const a = tracker.watch(ref, ref.initial);
    const b = tracker.watch(ref);
    await until('a few polls', () => gets(ref.queryId) >= 4);
    // One timer per poll, plus the next one pending (or none yet, while a poll's answer is on its way); two loops would double it.
    const timers = clock.delays.length;
    const polls = gets(ref.queryId);
    assert.ok(timers === polls || timers === polls + 1, `one loop: ${timers} timers for ${polls} polls`);
    a.dispose();
    const before = gets(ref.queryId);
    await until('polling goes on for b', () => gets(ref.queryId) > before);
    assert.equal(b.current?.status, 'SUBMITTED', 'still running');
    b.dispose();
    assert.equal(tracker.isPolling(ref.queryId), false);
    const stopped = gets(ref.queryId);
    await sleep(400);
    assert.equal(gets(ref.queryId), stopped, 'nobody watches: no poll');
  });

  it('a finished query is fetched once by a new watcher, then not polled', async () => {
    endpoint = await startCleanRoomsEndpoint({});
    tracker = new QueryTracker(service, { clock: new FastClock(20) });
    const done = protectedQueriesFor(CTV).find((q) => q.status === 'SUCCESS');
    assert.ok(done);
    const watch = tracker.watch({ membershipKey: '', request: request(), membershipId: CTV.id, queryId: done.id });
    await until('the record', () => watch.current !== undefined);
    assert.equal(watch.current?.status, 'SUCCESS');
    assert.ok(watch.current?.sqlParameters?.queryString, 'the full record (a summary has no SQL)');
    await sleep(200);
    assert.equal(gets(done.id), 1);
    watch.dispose();
  });

  it('cancel: UpdateProtectedQuery, then watchers see CANCELLING and CANCELLED, and polling stops', async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 60_000 });
    tracker = new QueryTracker(service, { clock: new FastClock(20) });
    const ref = await startQuery();
    const watch = tracker.watch(ref, ref.initial);
    const seen: string[] = [];
    watch.onDidChange((q) => seen.push(String(q.status)));
    const r = await tracker.cancel(ref);
    assert.ok(r.ok, r.ok ? '' : r.failure.title);
    assert.equal(r.value.status, 'CANCELLING');
    assert.equal(watch.current?.status, 'CANCELLING');
    await until('CANCELLED', () => watch.current?.status === 'CANCELLED');
    assert.deepEqual(seen.slice(seen.indexOf('CANCELLING')), ['CANCELLING', 'CANCELLED']);
    assert.equal(endpoint.requests.filter((x) => x.operation === 'UpdateProtectedQuery').length, 1);
    assert.equal(tracker.isPolling(ref.queryId), false);
    watch.dispose();
  });

  it('cancel that the service refuses (ConflictException) is a clear failure, and the status is fetched again', async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 60_000 });
    tracker = new QueryTracker(service, { clock: new FastClock(20) });
    const ref = await startQuery(FAULT_IDS.queryConflict);
    const r = await tracker.cancel(ref);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.failure.kind, 'conflict');
    assert.match(r.ok ? '' : r.failure.title, /could not be cancelled/);
    await until('a GetProtectedQuery after the conflict', () => gets(ref.queryId) === 1);
  });

  it('poll failures keep the last record, reach watchers, back off, give up after the deadline; Refresh recovers', async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 400 });
    const clock = new FastClock(20);
    tracker = new QueryTracker(service, { clock, failureDeadlineMs: 20_000 });
    // This membership's queries never finish: STARTED for good.
    const started = await startQuery(FAULT_IDS.queryTimeout);
    const ref: QueryRef = { ...started, request: { ...request(), timeoutMs: 250 } };
    const watch = tracker.watch(ref, started.initial);
    const failures: Array<QueryPollFailure | undefined> = [];
    watch.onDidChangeFailure((f) => failures.push(f));
    await until('STARTED', () => watch.current?.status === 'STARTED');
    endpoint.setLatency(1000);
    await until('gave up', () => failures.some((f) => f?.gaveUp), 10_000);
    assert.equal(watch.current?.status, 'STARTED', 'the last record stays');
    assert.ok(failures.length >= 2, `${failures.length} failures before giving up`);
    assert.equal(failures.filter((f) => f?.gaveUp).length, 1);
    assert.equal(watch.failure?.failure.kind, 'timeout');
    assert.equal(tracker.isPolling(ref.queryId), false);
    const failingDelays = clock.delays.slice(-failures.length);
    assert.deepEqual(failingDelays, [...failingDelays].sort((x, y) => x - y), 'backs off, never speeds up');
    const asked = clock.delays.length;
    await sleep(300);
    assert.equal(clock.delays.length, asked, 'no poll after giving up');
    endpoint.setLatency(0);
    const again = await tracker.refresh(ref);
    assert.ok(again.ok, again.ok ? '' : again.failure.title);
    assert.equal(watch.failure, undefined, 'the failure is cleared');
    assert.equal(failures[failures.length - 1], undefined);
    assert.equal(tracker.isPolling(ref.queryId), true, 'a watched running query is polled again');
    watch.dispose();
  });
});
