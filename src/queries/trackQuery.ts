import type { Result } from '../aws/cleanRoomsService';
import type { ExplorerState } from '../explorerState';
import type { QueryRef, QueryWatch, TrackedQuery } from '../model/queryTracker';
import type { RunInput } from './runFlow';

/** Watches a query through the tracker (one poll loop per query, however many watch it). */
export function watchQuery(state: ExplorerState, ref: QueryRef, initial?: TrackedQuery): QueryWatch {
  return state.queries.watch(ref, initial);
}

/** UpdateProtectedQuery CANCELLED; the tracker's watchers then see CANCELLING and CANCELLED. */
export function cancelQuery(state: ExplorerState, ref: QueryRef): Promise<Result<TrackedQuery>> {
  return state.queries.cancel(ref);
}

/** A query this window started and is watching: Cancel Query offers these when given nothing. */
export interface RunningQuery {
  readonly ref: QueryRef;
  readonly collaborationName: string;
  /** How the run reads in a list: its SQL, or its template's ARN. */
  readonly sql: string;
  /** What was run (Run Again and a repeated key compare it). */
  readonly input: RunInput;
  readonly startedAt: Date;
}

const running = new Map<string, RunningQuery>();

export function addRunning(query: RunningQuery): void {
  running.set(query.ref.queryId, query);
}

export function removeRunning(queryId: string): void {
  running.delete(queryId);
}

export function runningQueries(): RunningQuery[] {
  return [...running.values()];
}
