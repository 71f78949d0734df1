import type { ProtectedQuery, ProtectedQueryStatus } from '@aws-sdk/client-cleanrooms';
import type { CleanRoomsService, Result } from '../aws/cleanRoomsService';
import type { Connection, ConnectionRequest } from '../aws/clientFactory';
import type { Conformed } from '../aws/conform';
import type { CleanRoomsFailure } from '../aws/errors';
import { Emitter, type Event } from '../util/emitter';
import { t } from '../util/l10n';
import { safeJson } from '../util/text';

/** Which protected query, and how to reach it. */
export interface QueryRef {
  /** The membership's node key in the tree ('' when the membership is not in the tree). */
  readonly membershipKey: string;
  readonly request: ConnectionRequest;
  readonly membershipId: string;
  readonly queryId: string;
}

export type TrackedQuery = Conformed<ProtectedQuery>;

/** Statuses after which a query never changes again. */
export const FINAL_STATUSES: ReadonlySet<ProtectedQueryStatus> = new Set<ProtectedQueryStatus>(['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

export function isFinal(query: Pick<TrackedQuery, 'status'>): boolean {
  return FINAL_STATUSES.has(query.status as ProtectedQueryStatus);
}

/** The newest record of a query, with where and when it was fetched. */
export interface QuerySnapshot {
  readonly query: TrackedQuery;
  readonly fetchedAt: Date;
  /** Undefined for a record handed in by a caller that did not say (record()). */
  readonly connection?: Connection;
}

/** A poll that failed: the last record stays; `gaveUp` when polling stopped because of it. */
export interface QueryPollFailure {
  readonly failure: CleanRoomsFailure;
  readonly gaveUp: boolean;
}

/** A watcher's view of one query: the newest record, and each change. Dispose to stop watching. */
export interface QueryWatch {
  readonly current: TrackedQuery | undefined;
  readonly snapshot: QuerySnapshot | undefined;
  readonly onDidChange: Event<TrackedQuery>;
  /** The last poll's failure (the record is kept); undefined once a poll answers again. */
  readonly failure: QueryPollFailure | undefined;
  readonly onDidChangeFailure: Event<QueryPollFailure | undefined>;
  dispose(): void;
}

/** Timers and clock, injectable so tests can record the delays asked for (and run them faster). */
export interface TrackerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: TrackerClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Delays between polls (ms); the last one repeats. A status change shows within one delay (plus
 * the call's own time), and a 30 s query costs 12 GetProtectedQuery calls (budget: 15).
 */
export const POLL_SCHEDULE_MS: readonly number[] = [1000, 1000, 1000, 2000, 2000, 3000, 3000, 5000];

/** Polling failures for this long in a row (retryable ones; others at once): polling stops. */
export const FAILURE_DEADLINE_MS = 60_000;

export interface QueryTrackerOptions {
  readonly schedule?: readonly number[];
  readonly failureDeadlineMs?: number;
  readonly clock?: TrackerClock;
}

/** The delay before poll number `attempt` (0-based) of a loop. */
export function pollDelay(schedule: readonly number[], attempt: number): number {
  return schedule[Math.min(attempt, schedule.length - 1)] ?? 1000;
}

class Watcher implements QueryWatch {
  readonly changed = new Emitter<TrackedQuery>();
  readonly failed = new Emitter<QueryPollFailure | undefined>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeFailure = this.failed.event;
  disposed = false;

  constructor(
    private readonly loop: Loop,
    private readonly release: (w: Watcher) => void,
  ) {}

  get snapshot(): QuerySnapshot | undefined {
    return this.loop.snapshot();
  }

  get current(): TrackedQuery | undefined {
    return this.snapshot?.query;
  }

  get failure(): QueryPollFailure | undefined {
    return this.loop.failure;
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.changed.dispose();
      this.failed.dispose();
      this.release(this);
    }
  }
}

/** One query's poll loop, shared by its watchers. */
class Loop {
  readonly watchers = new Set<Watcher>();
  failure: QueryPollFailure | undefined;
  /** Polls made since the loop (re)started, for the back-off. */
  attempt = 0;
  timer: unknown;
  inFlight: AbortController | undefined;
  failingSince: number | undefined;
  stopped = false;

  constructor(
    readonly ref: QueryRef,
    readonly snapshot: () => QuerySnapshot | undefined,
  ) {}
}

/**
 * Polls GetProtectedQuery for the queries somebody watches (a run's progress notification, a query
 * panel, a tree row), about every second at first, backing off to a few seconds, and stops when
 * the query ends or nobody watches it any more. One poll loop per query, however many watchers.
 */
export class QueryTracker {
  private readonly changed = new Emitter<TrackedQuery>();
  /** Every change (status, statistics…) of any tracked query (the tree updates its rows from this). */
  readonly onDidChange = this.changed.event;
  private readonly latestById = new Map<string, QuerySnapshot>();
  private readonly loops = new Map<string, Loop>();
  private readonly schedule: readonly number[];
  private readonly failureDeadlineMs: number;
  private readonly clock: TrackerClock;
  private disposed = false;

  constructor(
    private readonly service: CleanRoomsService,
    options: QueryTrackerOptions = {},
  ) {
    this.schedule = options.schedule ?? POLL_SCHEDULE_MS;
    this.failureDeadlineMs = options.failureDeadlineMs ?? FAILURE_DEADLINE_MS;
    this.clock = options.clock ?? REAL_CLOCK;
  }

  /** The newest record seen for `queryId`, from a poll, a start or a Refresh. */
  latest(queryId: string): TrackedQuery | undefined {
    return this.latestById.get(queryId)?.query;
  }

  /** The newest record with when and where it was fetched. */
  snapshot(queryId: string): QuerySnapshot | undefined {
    return this.latestById.get(queryId);
  }

  /** Whether a poll loop runs for `queryId` (for tests and the tree). */
  isPolling(queryId: string): boolean {
    const loop = this.loops.get(queryId);
    return loop !== undefined && !loop.stopped;
  }

  /** Watches `ref`, polling while it runs; `initial` is shown until the first poll answers. */
  watch(ref: QueryRef, initial?: TrackedQuery): QueryWatch {
    if (initial && !this.latestById.has(ref.queryId)) {
      this.store(initial, undefined);
    }
    let loop = this.loops.get(ref.queryId);
    if (!loop) {
      loop = new Loop(ref, () => this.latestById.get(ref.queryId));
      this.loops.set(ref.queryId, loop);
    }
    const watcher = new Watcher(loop, (w) => this.unwatch(ref.queryId, w));
    loop.watchers.add(watcher);
    if (loop.timer === undefined && loop.inFlight === undefined) {
      this.startLoop(loop);
    }
    return watcher;
  }

  /** Fetches the query now (Refresh), whether or not anyone watches it; a stopped loop starts again. */
  async refresh(ref: QueryRef, signal?: AbortSignal): Promise<Result<TrackedQuery>> {
    const result = await this.service.getProtectedQuery(ref.request, ref.membershipId, ref.queryId, signal);
    const loop = this.loops.get(ref.queryId);
    if (result.ok) {
      this.store(result.value, result.connection);
      if (loop) {
        this.setFailure(loop, undefined);
        if (loop.stopped && !isFinal(result.value) && loop.watchers.size > 0) {
          this.startLoop(loop);
        }
      }
    }
    return result;
  }

  /**
   * UpdateProtectedQuery CANCELLED; watchers then see CANCELLING and CANCELLED (polling starts over
   * at its quickest). A ConflictException (the query ended meanwhile) becomes a failure that says so.
   */
  async cancel(ref: QueryRef, signal?: AbortSignal): Promise<Result<TrackedQuery>> {
    const result = await this.service.cancelProtectedQuery(ref.request, ref.membershipId, ref.queryId, signal);
    const loop = this.loops.get(ref.queryId);
    if (result.ok) {
      this.store(result.value, result.connection);
      if (loop && loop.watchers.size > 0 && !isFinal(result.value)) {
        this.startLoop(loop, true);
      }
      return result;
    }
    if (result.failure.kind === 'conflict') {
      // The watchers learn what the query did instead.
      void this.refresh(ref);
      return {
        ok: false,
        connection: result.connection,
        failure: {
          ...result.failure,
          title: t('The query could not be cancelled'),
          nextStep: t('It has probably finished, or is being cancelled already. Its status is being fetched again.'),
        },
      };
    }
    return result;
  }

  /** Records a query the caller fetched or started itself, and tells watchers. */
  record(query: TrackedQuery, connection?: Connection): void {
    this.store(query, connection);
  }

  private store(query: TrackedQuery, connection: Connection | undefined): void {
    if (!query.id || this.disposed) {
      return;
    }
    const before = this.latestById.get(query.id);
    this.latestById.set(query.id, { query, fetchedAt: new Date(this.clock.now()), connection: connection ?? before?.connection });
    if (before && safeJson(before.query, 0) === safeJson(query, 0)) {
      return;
    }
    this.changed.fire(query);
    for (const w of this.loops.get(query.id)?.watchers ?? []) {
      w.changed.fire(query);
    }
  }

  /** (Re)starts polling: at once when nothing recent is known, else after the first delay. */
  private startLoop(loop: Loop, quick = false): void {
    this.clear(loop);
    loop.stopped = false;
    loop.attempt = 0;
    loop.failingSince = undefined;
    const known = this.latestById.get(loop.ref.queryId);
    if (known && isFinal(known.query) && !quick) {
      loop.stopped = true;
      return;
    }
    const fresh = known && this.clock.now() - known.fetchedAt.getTime() < pollDelay(this.schedule, 0);
    this.schedulePoll(loop, fresh ? pollDelay(this.schedule, 0) : 0);
  }

  private schedulePoll(loop: Loop, ms: number): void {
    loop.timer = this.clock.setTimeout(() => {
      loop.timer = undefined;
      void this.poll(loop);
    }, ms);
  }

  private async poll(loop: Loop): Promise<void> {
    if (loop.stopped || loop.watchers.size === 0) {
      return;
    }
    const abort = new AbortController();
    loop.inFlight = abort;
    const result = await this.service.getProtectedQuery(loop.ref.request, loop.ref.membershipId, loop.ref.queryId, abort.signal);
    if (loop.inFlight === abort) {
      loop.inFlight = undefined;
    }
    if (abort.signal.aborted || loop.stopped || this.disposed) {
      return;
    }
    loop.attempt++;
    if (result.ok) {
      loop.failingSince = undefined;
      this.store(result.value, result.connection);
      this.setFailure(loop, undefined);
      if (isFinal(result.value)) {
        loop.stopped = true;
        return;
      }
    } else {
      const now = this.clock.now();
      loop.failingSince ??= now;
      const gaveUp = !result.failure.retryable || now - loop.failingSince >= this.failureDeadlineMs;
      this.setFailure(loop, { failure: result.failure, gaveUp });
      if (gaveUp) {
        loop.stopped = true;
        return;
      }
    }
    if (loop.watchers.size > 0 && loop.timer === undefined) {
      this.schedulePoll(loop, pollDelay(this.schedule, loop.attempt));
    }
  }

  private setFailure(loop: Loop, failure: QueryPollFailure | undefined): void {
    if (loop.failure === undefined && failure === undefined) {
      return;
    }
    loop.failure = failure;
    for (const w of loop.watchers) {
      w.failed.fire(failure);
    }
  }

  private clear(loop: Loop): void {
    if (loop.timer !== undefined) {
      this.clock.clearTimeout(loop.timer);
      loop.timer = undefined;
    }
    loop.inFlight?.abort();
    loop.inFlight = undefined;
  }

  private unwatch(queryId: string, watcher: Watcher): void {
    const loop = this.loops.get(queryId);
    if (!loop) {
      return;
    }
    loop.watchers.delete(watcher);
    if (loop.watchers.size === 0) {
      this.clear(loop);
      loop.stopped = true;
      this.loops.delete(queryId);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const loop of this.loops.values()) {
      this.clear(loop);
      loop.stopped = true;
    }
    this.loops.clear();
    this.changed.dispose();
  }
}
