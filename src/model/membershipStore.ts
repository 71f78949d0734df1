import type { Membership, MembershipSummary } from '@aws-sdk/client-cleanrooms';
import { type Connection, type ConnectionRequest } from '../aws/clientFactory';
import type { CleanRoomsService } from '../aws/cleanRoomsService';
import type { CleanRoomsFailure, FailureKind } from '../aws/errors';
import type { CleanRoomsSettings, MembershipEntry } from '../settings';
import { Emitter } from '../util/emitter';

export type MembershipState =
  | { readonly status: 'pending' }
  | {
      readonly status: 'loaded';
      readonly connection: Connection;
      /** From ListMemberships: enough to label the tree. */
      readonly summary?: MembershipSummary;
      /** From GetMembership, when it has been fetched (panel open, or not listed). */
      readonly membership?: Membership;
      readonly fetchedAt: Date;
    }
  | { readonly status: 'error'; readonly failure: CleanRoomsFailure; readonly connection?: Connection };

/** A configured membership and what is known about it. */
export interface MembershipNode {
  readonly key: string;
  readonly entry: MembershipEntry;
  readonly request: ConnectionRequest;
  readonly state: MembershipState;
  /**
   * The collaboration name from the last time this node loaded, kept through later failures
   * (an expired SSO session must not turn every row into a bare ID).
   */
  readonly knownName?: string;
}

/** Failures that say nothing about individual memberships: listing again per ID cannot help. */
export const CONNECTION_WIDE: ReadonlySet<FailureKind> = new Set([
  'missingProfile',
  'noCredentials',
  'ssoExpired',
  'credentialProcess',
  'expiredCredentials',
  'invalidCredentials',
  'noRegion',
  'unsupportedRegion',
  'network',
  'timeout',
  'cancelled',
]);

/**
 * Connection-wide kinds that one membership's GetMembership can also cause on its own (a slow or
 * dropped response for that ID): when the first GetMembership of a group fails so, ListMemberships
 * asks the connection-level question instead of condemning every row.
 */
const AMBIGUOUS: ReadonlySet<FailureKind> = new Set(['network', 'timeout']);

/**
 * Up to this many configured memberships on one connection are labelled with a GetMembership
 * each (which also gives panels the full record); more are labelled from ListMemberships, which
 * pages through the whole account (1,007 memberships = 11 sequential calls).
 */
export const FEW_MEMBERSHIPS = 20;

/** Parallel GetMembership calls that label a few memberships: 10 labels take two round trips. */
const LABEL_CONCURRENCY = 5;
/**
 * How long the first GetMembership on an unproven connection goes alone. Credential and
 * configuration failures answer well within it; a membership slower than this is just slow.
 */
const PROBE_WAIT_MS = 1500;

/** Parallel GetMembership calls for memberships a list did not contain (mostly errors to show). */
const GET_CONCURRENCY = 4;

export function requestFor(entry: MembershipEntry, settings: CleanRoomsSettings): ConnectionRequest {
  return {
    profile: entry.profile ?? settings.profile,
    region: entry.region ?? settings.region,
    endpoint: settings.endpoint,
    timeoutMs: settings.requestTimeoutMs,
  };
}

export function nodeKey(entry: MembershipEntry, request: ConnectionRequest): string {
  return JSON.stringify([entry.id, request.profile ?? '', request.region ?? '', request.endpoint ?? '']);
}

/**
 * Holds the state of every configured membership and loads it. A connection with at most
 * FEW_MEMBERSHIPS configured is labelled with parallel GetMembership calls, which also leave the
 * full record (and its fetch time) for panels to show at once; a connection with more is labelled
 * from ListMemberships (one call per 100 memberships in the account), with GetMembership only for
 * memberships the list does not contain, so their exact error can be shown. A failure that is the
 * connection's, not a membership's, is found with one request and shown on every row of that
 * connection. Settings changes bump a generation: results of superseded loads are dropped, never
 * shown. Refreshes during a load are coalesced into one follow-up load, so each membership has at
 * most one request in flight.
 */
export class MembershipStore {
  /** Fires the keys of the nodes that changed, or undefined when the list itself changed. */
  private readonly changed = new Emitter<readonly string[] | undefined>();
  readonly onDidChange = this.changed.event;

  private nodes: MembershipNode[] = [];
  private settings: CleanRoomsSettings | undefined;
  private generation = 0;
  private running: Promise<void> | undefined;
  private rerun = false;
  private abort = new AbortController();
  private readonly inFlight = new Set<string>();
  /**
   * Connections that have answered since their last connection-wide failure. Their memberships'
   * GetMembership calls all go out together; on any other connection the first goes alone, so a
   * bad credential costs one request, not one per membership.
   */
  private readonly answered = new Set<string>();

  constructor(private readonly service: CleanRoomsService) {}

  get all(): readonly MembershipNode[] {
    return this.nodes;
  }

  get currentSettings(): CleanRoomsSettings | undefined {
    return this.settings;
  }

  /** Resolves once no load is running or queued. */
  async whenIdle(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  find(key: string): MembershipNode | undefined {
    return this.nodes.find((n) => n.key === key);
  }

  /**
   * Applies new settings: nodes appear at once (from config, no network), then load unless
   * `load` is false (activation paints first and loads on the next turn of the event loop).
   */
  setSettings(settings: CleanRoomsSettings, load = true): Promise<void> {
    const previous = new Map(this.nodes.map((n) => [n.key, n.state]));
    const names = new Map(this.nodes.map((n) => [n.key, loadedName(n.state) ?? n.knownName]));
    const sameConnection = this.settings !== undefined && connectionSettingsEqual(this.settings, settings);
    this.settings = settings;
    this.generation++;
    this.abort.abort();
    this.abort = new AbortController();
    this.inFlight.clear();
    this.nodes = settings.entries
      .filter((e): e is MembershipEntry => e.kind === 'membership')
      .map((entry) => {
        const request = requestFor(entry, settings);
        const key = nodeKey(entry, request);
        // Keep what is known for unchanged entries (a label edit must not blank the tree),
        // but nothing from another profile, region or endpoint.
        const kept = sameConnection ? previous.get(key) : undefined;
        return { key, entry, request, state: kept && kept.status === 'loaded' ? kept : { status: 'pending' }, knownName: names.get(key) };
      });
    this.changed.fire(undefined);
    this.running = undefined;
    this.rerun = false;
    return load ? this.refresh() : Promise.resolve();
  }

  /** Reloads everything; coalesces with a load already running. */
  /**
   * Loads everything again and drops a load still running: after new credentials its answers
   * belong to the old ones. What rows show stays until the new answers replace it.
   */
  reload(): Promise<void> {
    // New credentials may fail where the old ones worked: every connection is unproven again.
    this.answered.clear();
    return this.settings ? this.setSettings(this.settings) : Promise.resolve();
  }

  refresh(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    const generation = this.generation;
    const signal = this.abort.signal;
    const run = this.loadAll(generation, signal).finally(() => {
      if (this.running === run) {
        this.running = undefined;
        if (this.rerun && generation === this.generation) {
          this.rerun = false;
          void this.refresh();
        }
      }
    });
    this.running = run;
    return run;
  }

  /** Fetches one membership again (the error item's Retry). */
  async retry(key: string): Promise<void> {
    const node = this.find(key);
    if (!node || this.inFlight.has(key)) {
      return;
    }
    this.update(this.generation, key, { status: 'pending' });
    await this.fetchOne(this.generation, node, this.abort.signal);
  }

  /** A panel fetched the full record: the tree shows it too. */
  recordFetched(key: string, membership: Membership, connection: Connection, fetchedAt: Date): void {
    const before = this.find(key);
    // When it was fetched, not when it arrived here: panels show (and the cache compares) that time.
    const state: MembershipState = { status: 'loaded', connection, membership, fetchedAt };
    // Repaint only when what the row shows changed: every repaint replaces the rows' commands,
    // and a click landing during one is lost ("command not found").
    const same = before !== undefined && before.state.status === 'loaded' && JSON.stringify(rowFacts(before)) === JSON.stringify(rowFacts({ ...before, state }));
    this.update(this.generation, key, state, !same);
  }

  recordFailed(key: string, failure: CleanRoomsFailure, connection?: Connection): void {
    const node = this.find(key);
    // A failed panel refresh must not erase a good tree item for transient reasons.
    if (node && (node.state.status !== 'loaded' || !failure.retryable)) {
      this.update(this.generation, key, { status: 'error', failure, connection });
    }
  }

  private async loadAll(generation: number, signal: AbortSignal): Promise<void> {
    const groups = new Map<string, { request: ConnectionRequest; nodes: MembershipNode[] }>();
    for (const node of this.nodes) {
      const gk = groupKey(node.request);
      const group = groups.get(gk) ?? { request: node.request, nodes: [] };
      group.nodes.push(node);
      groups.set(gk, group);
    }
    const labelled: string[] = [];
    const unlisted: MembershipNode[] = [];
    await Promise.all(
      [...groups].map(async ([gk, { request, nodes }]) => {
        if (nodes.length <= FEW_MEMBERSHIPS) {
          await this.fetchFew(generation, gk, nodes, signal);
          return;
        }
        const listed = await this.labelFromList(generation, gk, request, nodes, signal);
        labelled.push(...listed.labelled);
        unlisted.push(...listed.unlisted);
      }),
    );
    if (generation !== this.generation) {
      return;
    }
    if (labelled.length > 0) {
      this.changed.fire(labelled);
    }
    await this.fetchUnlisted(generation, unlisted, signal);
  }

  /**
   * Labels a few memberships with one GetMembership each. Unless the connection has answered
   * before, the first goes alone: if it fails for the whole connection, the others are not sent.
   */
  private async fetchFew(generation: number, gk: string, nodes: readonly MembershipNode[], signal: AbortSignal): Promise<void> {
    for (const n of nodes) {
      this.inFlight.add(n.key);
    }
    try {
      let rest = nodes;
      if (!this.answered.has(gk)) {
        const [first, ...others] = nodes;
        rest = others;
        const probe = this.fetchOne(generation, first, signal);
        const settled = await settlesWithin(probe, PROBE_WAIT_MS);
        const failed = settled?.value;
        if (!settled || (failed && AMBIGUOUS.has(failed.failure.kind))) {
          // Slow, timed out or dropped: maybe only this membership, maybe the network. One
          // ListMemberships asks about the connection itself, rather than N GetMembership calls
          // that would each wait for the same dead link.
          await Promise.all([probe, this.labelOthersFromList(generation, gk, first.request, others, signal)]);
          return;
        }
        if (failed && CONNECTION_WIDE.has(failed.failure.kind)) {
          this.markAll(generation, others, failed);
          return;
        }
      }
      let stop: Failed | undefined;
      const unsent: MembershipNode[] = [];
      await runLimited(rest, LABEL_CONCURRENCY, async (n) => {
        if (stop) {
          unsent.push(n);
        } else if (generation === this.generation) {
          const failed = await this.fetchOne(generation, n, signal);
          if (failed && CONNECTION_WIDE.has(failed.failure.kind) && !AMBIGUOUS.has(failed.failure.kind)) {
            stop ??= failed;
          }
        }
      });
      if (stop) {
        this.markAll(generation, unsent, stop);
      }
    } finally {
      if (generation === this.generation) {
        for (const n of nodes) {
          this.inFlight.delete(n.key);
        }
      }
    }
  }

  /** Labels `others` from ListMemberships, then fetches by ID those it does not list. */
  private async labelOthersFromList(generation: number, gk: string, request: ConnectionRequest, others: readonly MembershipNode[], signal: AbortSignal): Promise<void> {
    const listed = await this.labelFromList(generation, gk, request, others, signal);
    if (generation === this.generation) {
      if (listed.labelled.length > 0) {
        this.changed.fire(listed.labelled);
      }
      await this.fetchUnlisted(generation, listed.unlisted, signal);
    }
  }

  /**
   * Labels nodes from ListMemberships without notifying; returns the keys to repaint and the nodes
   * the list did not contain (those need a GetMembership each).
   */
  private async labelFromList(
    generation: number,
    gk: string,
    request: ConnectionRequest,
    nodes: readonly MembershipNode[],
    signal: AbortSignal,
  ): Promise<{ labelled: string[]; unlisted: MembershipNode[] }> {
    const none = { labelled: [], unlisted: [] };
    if (nodes.length === 0) {
      return none;
    }
    for (const n of nodes) {
      this.inFlight.add(n.key);
    }
    const listed = await this.service.listMemberships(request, signal);
    if (generation !== this.generation) {
      // A newer load owns the in-flight marks now.
      return none;
    }
    for (const n of nodes) {
      this.inFlight.delete(n.key);
    }
    if (!listed.ok) {
      if (CONNECTION_WIDE.has(listed.failure.kind)) {
        this.answered.delete(gk);
        for (const n of nodes) {
          this.update(generation, n.key, { status: 'error', failure: listed.failure, connection: listed.connection }, false);
        }
        return { labelled: nodes.map((n) => n.key), unlisted: [] };
      }
      return { labelled: [], unlisted: [...nodes] };
    }
    this.answered.add(gk);
    const byId = new Map(listed.value.map((s) => [s.id, s]));
    const now = new Date();
    const labelled: string[] = [];
    const unlisted: MembershipNode[] = [];
    for (const n of nodes) {
      const summary = byId.get(n.entry.id);
      if (summary) {
        const current = this.find(n.key)?.state;
        const membership = current?.status === 'loaded' ? current.membership : undefined;
        this.update(generation, n.key, { status: 'loaded', connection: listed.connection, summary, membership, fetchedAt: now }, false);
        labelled.push(n.key);
      } else {
        unlisted.push(n);
      }
    }
    return { labelled, unlisted };
  }

  private async fetchUnlisted(generation: number, nodes: readonly MembershipNode[], signal: AbortSignal): Promise<void> {
    await runLimited(nodes, GET_CONCURRENCY, (n) => (generation === this.generation ? this.fetchOne(generation, n, signal).then(() => undefined) : Promise.resolve()));
  }

  /** Shows one connection-wide failure on every node given, in one repaint. */
  private markAll(generation: number, nodes: readonly MembershipNode[], failed: Failed): void {
    if (generation !== this.generation || nodes.length === 0) {
      return;
    }
    for (const n of nodes) {
      this.update(generation, n.key, { status: 'error', failure: failed.failure, connection: failed.connection }, false);
    }
    this.changed.fire(nodes.map((n) => n.key));
  }

  /** Fetches one membership and stores the outcome; returns the failure, if any. */
  private async fetchOne(generation: number, node: MembershipNode, signal: AbortSignal): Promise<Failed | undefined> {
    this.inFlight.add(node.key);
    try {
      const result = await this.service.getMembership(node.request, node.entry.id, signal);
      const gk = groupKey(node.request);
      if (result.ok) {
        if (generation === this.generation) {
          this.answered.add(gk);
        }
        const state: MembershipState = { status: 'loaded', connection: result.connection, membership: result.value.membership, fetchedAt: result.value.fetchedAt };
        const before = this.find(node.key);
        // A reload that changes nothing the row shows must not repaint it (a click landing during
        // a repaint is lost), though the record and its fetch time are kept.
        const same = before !== undefined && before.state.status === 'loaded' && JSON.stringify(rowFacts(before)) === JSON.stringify(rowFacts({ ...before, state }));
        this.update(generation, node.key, state, !same);
        return undefined;
      }
      if (generation === this.generation && CONNECTION_WIDE.has(result.failure.kind) && !AMBIGUOUS.has(result.failure.kind)) {
        this.answered.delete(gk);
      }
      this.update(generation, node.key, { status: 'error', failure: result.failure, connection: result.connection });
      return { failure: result.failure, connection: result.connection };
    } finally {
      if (generation === this.generation) {
        this.inFlight.delete(node.key);
      }
    }
  }

  private update(generation: number, key: string, state: MembershipState, notify = true): void {
    if (generation !== this.generation) {
      return;
    }
    const index = this.nodes.findIndex((n) => n.key === key);
    if (index >= 0) {
      const nodes = [...this.nodes];
      nodes[index] = { ...nodes[index], state, knownName: loadedName(state) ?? nodes[index].knownName };
      this.nodes = nodes;
      if (notify) {
        this.changed.fire([key]);
      }
    }
  }

  dispose(): void {
    this.abort.abort();
    this.changed.dispose();
  }
}

type Failed = { readonly failure: CleanRoomsFailure; readonly connection?: Connection };

/** Memberships with equal keys share a connection, so one request can speak for all of them. */
function groupKey(request: ConnectionRequest): string {
  return JSON.stringify([request.profile ?? '', request.region ?? '', request.endpoint ?? '', request.timeoutMs]);
}

function connectionSettingsEqual(a: CleanRoomsSettings, b: CleanRoomsSettings): boolean {
  return a.profile === b.profile && a.region === b.region && a.endpoint === b.endpoint && a.requestTimeoutMs === b.requestTimeoutMs;
}

export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function rowFacts(node: MembershipNode): unknown {
  return [nodeName(node), nodeFacts(node), node.state.status === 'loaded' ? [node.state.connection.profile, node.state.connection.region] : undefined];
}

/** Display name of a node: the user's label, else the collaboration name (loaded, or last known), else the ID. */
export function nodeName(node: MembershipNode): string {
  return node.entry.label || loadedName(node.state) || node.knownName || node.entry.id;
}

function loadedName(state: MembershipState): string | undefined {
  return state.status === 'loaded' ? state.membership?.collaborationName || state.summary?.collaborationName || undefined : undefined;
}

/** The summary-level facts, from whichever record the node has. */
export function nodeFacts(node: MembershipNode):
  | { status?: string; abilities?: string[]; creator?: string; creatorAccount?: string; arn?: string; collaborationId?: string; collaborationName?: string }
  | undefined {
  if (node.state.status !== 'loaded') {
    return undefined;
  }
  // Records are conformed where they arrive: a field of the wrong type is simply absent here.
  const source = node.state.membership ?? node.state.summary;
  return {
    status: source?.status,
    abilities: source?.memberAbilities,
    creator: source?.collaborationCreatorDisplayName,
    creatorAccount: source?.collaborationCreatorAccountId,
    arn: source?.arn,
    collaborationId: source?.collaborationId,
    collaborationName: source?.collaborationName,
  };
}

/** `{ value }` if `promise` settles within `ms`, else undefined (the promise keeps running). */
async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
