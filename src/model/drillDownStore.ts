import type { Collaboration, ProtectedQueryStatus } from '@aws-sdk/client-cleanrooms';
import type { BranchItems, BranchKind, CleanRoomsService, Page, Result } from '../aws/cleanRoomsService';
import { unexpectedShape, type CleanRoomsFailure } from '../aws/errors';
import { Emitter } from '../util/emitter';
import { nodeFacts, type MembershipNode } from './membershipStore';

export type BranchState<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly items: readonly T[] }
  /** `fetchedAt`: when the last page arrived (detail panels show it). */
  | { readonly status: 'loaded'; readonly items: readonly T[]; readonly nextToken?: string; readonly fetchedAt: Date }
  | { readonly status: 'error'; readonly items: readonly T[]; readonly failure: CleanRoomsFailure; readonly nextToken?: string };

export type CollaborationState =
  | { readonly status: 'idle' | 'loading' }
  | { readonly status: 'loaded'; readonly collaboration: Collaboration; readonly fetchedAt: Date }
  | { readonly status: 'error'; readonly failure: CleanRoomsFailure };

const NO_FILTER: readonly ProtectedQueryStatus[] = [];

/**
 * What the tree shows under each membership, loaded only when a branch is expanded and kept
 * until settings change. A branch's error stays in that branch; "Load more" appends the next page.
 */
export class DrillDownStore {
  /** Fires "<node key>|<branch>" for a branch that changed, or undefined when all were cleared. */
  private readonly changed = new Emitter<string | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly branches = new Map<string, BranchState<unknown>>();
  private readonly collaborations = new Map<string, CollaborationState>();
  private readonly running = new Map<string, Promise<void>>();
  /**
   * The statuses each membership's protected queries are filtered by, by node key. Kept for the
   * session: a refresh or a settings change reloads the list, but the filter the user chose stays.
   */
  private readonly queryFilters = new Map<string, readonly ProtectedQueryStatus[]>();
  private generation = 0;

  constructor(private readonly service: CleanRoomsService) {}

  /** Forget everything (settings or profile changed): nothing from the old profile may show. */
  clear(): void {
    this.generation++;
    this.branches.clear();
    this.collaborations.clear();
    this.running.clear();
    this.changed.fire(undefined);
  }

  branch<K extends BranchKind>(node: MembershipNode, kind: K): BranchState<BranchItems[K]> {
    return (this.branches.get(branchKey(node, kind)) ?? { status: 'idle' }) as BranchState<BranchItems[K]>;
  }

  /** The statuses `node`'s protected queries are filtered by; empty: all. */
  queryFilter(nodeKey: string): readonly ProtectedQueryStatus[] {
    return this.queryFilters.get(nodeKey) ?? NO_FILTER;
  }

  /**
   * Filters `node`'s protected queries by `statuses` (empty: all) and lists them again. One status
   * is asked of the service (ListProtectedQueries filters by one); several are filtered here.
   */
  setQueryFilter(node: MembershipNode, statuses: readonly ProtectedQueryStatus[]): void {
    const unique = [...new Set(statuses)];
    if (unique.length === 0) {
      this.queryFilters.delete(node.key);
    } else {
      this.queryFilters.set(node.key, unique);
    }
    const key = branchKey(node, 'queries');
    // A load under the old filter may still be running: its answer is dropped (see fetchPage).
    this.running.delete(key);
    this.branches.delete(key);
    this.changed.fire(key);
  }

  /**
   * A protected query changed (a poll, a start, a cancel): its summary in `node`'s list takes the
   * new status, quietly (the caller repaints that one row). A query the list does not have yet
   * is the newest one: it goes on top, and the branch fires. Nothing happens to a list not loaded.
   */
  updateQuery(node: MembershipNode, query: BranchItems['queries']): 'updated' | 'inserted' | 'unchanged' {
    const key = branchKey(node, 'queries');
    const state = this.branches.get(key) as BranchState<BranchItems['queries']> | undefined;
    if (!state || state.status === 'idle' || !query.id) {
      return 'unchanged';
    }
    const index = state.items.findIndex((q) => q.id === query.id);
    if (index === -1) {
      this.branches.set(key, { ...state, items: [query, ...state.items] });
      this.changed.fire(key);
      return 'inserted';
    }
    const before = state.items[index];
    if (before.status === query.status) {
      return 'unchanged';
    }
    const items = [...state.items];
    items[index] = { ...before, status: query.status };
    this.branches.set(key, { ...state, items });
    return 'updated';
  }

  collaboration(node: MembershipNode): CollaborationState {
    return this.collaborations.get(node.key) ?? { status: 'idle' };
  }

  /** Loads the first page, or with `more` the next one. Concurrent calls share one request. */
  load(node: MembershipNode, kind: BranchKind, more = false): Promise<void> {
    if (collaborationDeleted(node)) {
      // Every branch of a deleted collaboration answers "not found": there is nothing to ask for.
      return Promise.resolve();
    }
    const key = branchKey(node, kind);
    const existing = this.running.get(key);
    if (existing) {
      return existing;
    }
    return this.track(key, this.fetchPage(node, kind, key, more));
  }

  loadCollaboration(node: MembershipNode): Promise<void> {
    if (collaborationDeleted(node)) {
      return Promise.resolve();
    }
    const key = `${node.key}|collaboration`;
    const existing = this.running.get(key);
    if (existing) {
      return existing;
    }
    return this.track(key, this.fetchCollaboration(node));
  }

  /**
   * Makes `work` the running load of `key` until it settles. After clear() a new load may own
   * the key while an old one is still in flight: the old one must not remove the new entry.
   */
  private track(key: string, work: Promise<void>): Promise<void> {
    const run = work.finally(() => {
      if (this.running.get(key) === run) {
        this.running.delete(key);
      }
    });
    this.running.set(key, run);
    return run;
  }

  private async fetchPage(node: MembershipNode, kind: BranchKind, key: string, more: boolean): Promise<void> {
    const generation = this.generation;
    const before = this.branches.get(key);
    const items = more && before && before.status !== 'idle' ? before.items : [];
    const token = more && before && (before.status === 'loaded' || before.status === 'error') ? before.nextToken : undefined;
    const collaborationId = nodeFacts(node)?.collaborationId;
    if (!collaborationId && kind === 'members') {
      // Members are listed by collaboration: without its ID, say so rather than load forever.
      this.set(generation, key, { status: 'error', items, failure: unexpectedShape('collaborationId') });
      return;
    }
    this.set(generation, key, { status: 'loading', items });
    const filter = kind === 'queries' ? this.queryFilter(node.key) : [];
    const result: Result<Page<unknown>> =
      filter.length === 1
        ? await this.service.listProtectedQueries(node.request, node.entry.id, { nextToken: token, status: filter[0] })
        : await this.service.listBranchPage(node.request, kind, { membershipId: node.entry.id, collaborationId: collaborationId ?? '' }, token);
    if (kind === 'queries' && this.queryFilter(node.key) !== filter) {
      // The filter changed while this page was on its way: setQueryFilter started over.
      return;
    }
    if (result.ok) {
      // A query started since the first page (inserted on top by updateQuery, kept here even when
      // it arrived while this page was on its way) moved every later query one place down: the
      // next page starts with one already shown.
      const now = this.branches.get(key);
      const listed = more && now && now.status !== 'idle' ? now.items : items;
      const shown = kind === 'queries' ? new Set((listed as BranchItems['queries'][]).map((q) => q.id)) : undefined;
      const page = shown ? (result.value.items as BranchItems['queries'][]).filter((q) => !shown.has(q.id)) : result.value.items;
      this.set(generation, key, { status: 'loaded', items: [...listed, ...page], nextToken: result.value.nextToken, fetchedAt: new Date() });
    } else {
      this.set(generation, key, { status: 'error', items, failure: result.failure, nextToken: token });
    }
  }

  private async fetchCollaboration(node: MembershipNode): Promise<void> {
    const generation = this.generation;
    const collaborationId = nodeFacts(node)?.collaborationId;
    if (!collaborationId) {
      this.collaborations.set(node.key, { status: 'error', failure: unexpectedShape('collaborationId') });
      this.changed.fire(`${node.key}|collaboration`);
      return;
    }
    this.collaborations.set(node.key, { status: 'loading' });
    const result = await this.service.getCollaboration(node.request, collaborationId);
    if (generation !== this.generation) {
      return;
    }
    this.collaborations.set(node.key, result.ok ? { status: 'loaded', collaboration: result.value, fetchedAt: new Date() } : { status: 'error', failure: result.failure });
    this.changed.fire(`${node.key}|collaboration`);
  }

  private set(generation: number, key: string, state: BranchState<unknown>): void {
    if (generation === this.generation) {
      this.branches.set(key, state);
      this.changed.fire(key);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Whether the membership's collaboration was deleted (the membership record says so): its
 * branches are not loaded and the tree says why instead.
 */
export function collaborationDeleted(node: MembershipNode): boolean {
  return nodeFacts(node)?.status === 'COLLABORATION_DELETED';
}

function branchKey(node: MembershipNode, kind: BranchKind): string {
  return `${node.key}|${kind}`;
}
