import type { Result } from '../aws/cleanRoomsService';
import type { ExplorerState } from '../explorerState';
import { isFinal, type QueryRef, type QueryWatch, type TrackedQuery } from '../model/queryTracker';
import { Emitter } from '../util/emitter';

/**
 * The run flow's way to the query tracker. BRIDGE: until QueryTracker.watch/cancel land (helper
 * H2a), a minimal poll loop of its own, behind the same API; on merge, watchQuery becomes
 * `state.queries.watch(ref, initial)` and cancelQuery `state.queries.cancel(ref)`.
 */
export function watchQuery(state: ExplorerState, ref: QueryRef, initial?: TrackedQuery): QueryWatch {
  const changed = new Emitter<TrackedQuery>();
  let current = initial;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abort = new AbortController();
  let polls = 0;
  const poll = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    const result = await state.service.getProtectedQuery(ref.request, ref.membershipId, ref.queryId, abort.signal);
    polls++;
    if (stopped) {
      return;
    }
    if (result.ok && (current === undefined || result.value.status !== current.status || isFinal(result.value))) {
      current = result.value;
      state.queries.record(result.value);
      changed.fire(result.value);
    }
    if (current && isFinal(current)) {
      return;
    }
    // About every second at first, then backing off to a few seconds.
    timer = setTimeout(() => void poll(), polls < 5 ? 1000 : polls < 15 ? 2000 : 4000);
  };
  timer = setTimeout(() => void poll(), 250);
  return {
    get current() {
      return current;
    },
    onDidChange: changed.event,
    dispose(): void {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      changed.dispose();
    },
  };
}

/** UpdateProtectedQuery CANCELLED (BRIDGE: becomes state.queries.cancel(ref)). */
export async function cancelQuery(state: ExplorerState, ref: QueryRef): Promise<Result<TrackedQuery>> {
  const result = await state.service.cancelProtectedQuery(ref.request, ref.membershipId, ref.queryId);
  if (result.ok) {
    state.queries.record(result.value);
  }
  return result;
}

/** A query this window started and is watching: Cancel Query offers these when given nothing. */
export interface RunningQuery {
  readonly ref: QueryRef;
  readonly collaborationName: string;
  readonly sql: string;
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
