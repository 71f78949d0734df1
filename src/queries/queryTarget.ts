import type { Collaboration, Membership, MemberSummary } from '@aws-sdk/client-cleanrooms';
import type { CleanRoomsService, Result } from '../aws/cleanRoomsService';
import type { ConnectionRequest } from '../aws/clientFactory';
import type { Conformed } from '../aws/conform';
import { nodeName, requestFor, type MembershipNode, type MembershipStore } from '../model/membershipStore';
import type { CleanRoomsSettings, MembershipEntry } from '../settings';

/**
 * Which membership a bound document runs on, and how to reach it: the settings entry's profile and
 * region when the membership is listed, the defaults when it is not (the binding contract).
 * Free of `vscode`.
 */
export interface QueryTarget {
  readonly membershipId: string;
  readonly request: ConnectionRequest;
  /** The tree's node, when the membership is configured. */
  readonly node?: MembershipNode;
}

export function targetFor(membershipId: string, settings: CleanRoomsSettings, store: MembershipStore): QueryTarget {
  const entry = settings.entries.find((e): e is MembershipEntry => e.kind === 'membership' && e.id === membershipId);
  if (!entry) {
    return {
      membershipId,
      request: { profile: settings.profile, region: settings.region, endpoint: settings.endpoint, timeoutMs: settings.requestTimeoutMs },
    };
  }
  const request = requestFor(entry, settings);
  const node = store.all.find((n) => n.entry.index === entry.index && n.entry.id === membershipId);
  return { membershipId, request, node };
}

/** A name for the target without asking the network: the tree's name, or undefined. */
export function knownName(target: QueryTarget): string | undefined {
  return target.node && nodeName(target.node) !== target.membershipId ? nodeName(target.node) : undefined;
}

/** The first eight characters of an ID: enough to tell memberships apart in a status bar. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** The full membership record: the tree's copy when it has one, else GetMembership. */
export async function loadMembership(
  service: CleanRoomsService,
  store: MembershipStore,
  target: QueryTarget,
  signal?: AbortSignal,
  /** Fetch even when the tree holds the record (a run names its destination and payer from it). */
  fresh = false,
): Promise<Result<Conformed<Membership>>> {
  const node = target.node && store.find(target.node.key);
  if (!fresh && node?.state.status === 'loaded' && node.state.membership) {
    return { ok: true, value: node.state.membership, connection: node.state.connection };
  }
  const fetched = await service.getMembership(target.request, target.membershipId, signal);
  if (!fetched.ok) {
    return fetched;
  }
  if (node) {
    store.recordFetched(node.key, fetched.value.membership, fetched.connection, fetched.value.fetchedAt);
  }
  return { ...fetched, value: fetched.value.membership };
}

/** Every member of the collaboration (ListMembers, following pages; at most `maxPages`). */
export async function listAllMembers(
  service: CleanRoomsService,
  request: ConnectionRequest,
  ids: { membershipId: string; collaborationId: string },
  signal?: AbortSignal,
  maxPages = 20,
): Promise<Result<Conformed<MemberSummary>[]>> {
  const all: Conformed<MemberSummary>[] = [];
  let token: string | undefined;
  for (let page = 0; ; page++) {
    const result = await service.listBranchPage(request, 'members', ids, token, signal);
    if (!result.ok) {
      return result;
    }
    all.push(...result.value.items);
    token = result.value.nextToken;
    // Past maxPages the rest is left out: receivers and the payer are among the first hundreds.
    if (!token || page + 1 >= maxPages) {
      return { ...result, value: all };
    }
  }
}

export type TargetCollaboration = Conformed<Collaboration>;
