import type { ProtectedQuery, ProtectedQueryStatus } from '@aws-sdk/client-cleanrooms';
import type { CleanRoomsService, Result } from '../aws/cleanRoomsService';
import type { ConnectionRequest } from '../aws/clientFactory';
import type { Conformed } from '../aws/conform';
import { Emitter, type Event } from '../util/emitter';

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

/** A watcher's view of one query: the newest record, and each change. Dispose to stop watching. */
export interface QueryWatch {
  readonly current: TrackedQuery | undefined;
  readonly onDidChange: Event<TrackedQuery>;
  dispose(): void;
}

/**
 * Polls GetProtectedQuery for the queries somebody watches (a run's progress notification, a query
 * panel, a tree row), about every second at first, backing off to a few seconds, and stops when
 * the query ends or nobody watches it any more. One poll loop per query, however many watchers.
 */
export class QueryTracker {
  private readonly changed = new Emitter<TrackedQuery>();
  /** Every status change of any tracked query (the tree updates its rows from this). */
  readonly onDidChange = this.changed.event;
  private readonly latestById = new Map<string, TrackedQuery>();

  constructor(private readonly service: CleanRoomsService) {}

  /** The newest record seen for `queryId`, from a poll, a start or a Refresh. */
  latest(queryId: string): TrackedQuery | undefined {
    return this.latestById.get(queryId);
  }

  /** Watches `ref`, polling while it runs; `initial` is shown until the first poll answers. */
  watch(ref: QueryRef, initial?: TrackedQuery): QueryWatch {
    void ref;
    void initial;
    void this.service;
    throw new Error('QueryTracker.watch: not implemented yet');
  }

  /** Fetches the query now (Refresh), whether or not anyone watches it. */
  refresh(ref: QueryRef, signal?: AbortSignal): Promise<Result<TrackedQuery>> {
    void ref;
    void signal;
    throw new Error('QueryTracker.refresh: not implemented yet');
  }

  /** UpdateProtectedQuery CANCELLED; watchers then see CANCELLING and CANCELLED. */
  cancel(ref: QueryRef, signal?: AbortSignal): Promise<Result<TrackedQuery>> {
    void ref;
    void signal;
    throw new Error('QueryTracker.cancel: not implemented yet');
  }

  /** Records a query the caller fetched or started itself, and tells watchers. */
  record(query: TrackedQuery): void {
    if (!query.id) {
      return;
    }
    this.latestById.set(query.id, query);
    this.changed.fire(query);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
