import * as vscode from 'vscode';
import type { ConnectionRequest } from '../aws/clientFactory';
import { consoleUrl, type ConsoleTarget, type PanelConsoleRequest } from '../aws/consoleUrl';
import { nodeFacts, type MembershipNode } from '../model/membershipStore';
import type { TreeElement } from '../views/treeElements';
import { withoutCodeMarks } from '../util/text';
import { nodeFromArg, type CommandContext } from './context';

/**
 * "Open in AWS Console": the row's own page (membership, collaboration, or the membership a
 * drill-down record belongs to) in the region that row's calls go to. Without a row (the
 * palette), the console home in the default region.
 */
export async function openInConsole(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const url = await consoleUrlFor(ctx, arg);
  if (url) {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
  return url;
}

/** The address "Open in AWS Console" opens for `arg`; undefined (after saying why) when there is none. */
export async function consoleUrlFor(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  if (isPanelRequest(arg)) {
    const region = arg.region ?? (await resolvedRegion(ctx, arg.request));
    return region === undefined ? undefined : consoleUrl(region, arg.target);
  }
  const element = typeof arg === 'object' && arg !== null && 'type' in arg ? (arg as TreeElement) : undefined;
  const node = nodeFromArg(ctx.state.store, arg) ?? (element && 'key' in element ? ctx.state.store.find(element.key) : undefined);
  const region = await regionOf(ctx, node);
  if (region === undefined) {
    return undefined;
  }
  return consoleUrl(region, node ? targetOf(node, element) : { kind: 'home' });
}

function targetOf(node: MembershipNode, element: TreeElement | undefined): ConsoleTarget {
  const membership: ConsoleTarget = { kind: 'membership', membershipId: node.entry.id };
  if (!element) {
    return membership;
  }
  switch (element.type) {
    case 'branch':
    case 'field': {
      const collaborationId = nodeFacts(node)?.collaborationId;
      const isCollaboration = element.type === 'field' || element.branch === 'collaboration';
      return isCollaboration && collaborationId ? { kind: 'collaboration', collaborationId } : membership;
    }
    case 'record':
      return { kind: 'record', membershipId: node.entry.id, branch: element.branch };
    default:
      return membership;
  }
}

/** Where the row's calls go: the region they were made in, else the region its settings resolve to. */
async function regionOf(ctx: CommandContext, node: MembershipNode | undefined): Promise<string | undefined> {
  if (node?.state.status === 'loaded') {
    return node.state.connection.region;
  }
  const settings = ctx.state.settings;
  return resolvedRegion(ctx, node?.request ?? { profile: settings.profile, region: settings.region, timeoutMs: 1000 });
}

async function resolvedRegion(ctx: CommandContext, request: ConnectionRequest): Promise<string | undefined> {
  const resolved = await ctx.state.service.resolve(request);
  if (!resolved.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}. {1}', resolved.failure.title, withoutCodeMarks(resolved.failure.nextStep)));
    return undefined;
  }
  return resolved.connection.region;
}

/** A panel's own request (see PanelConsoleRequest); the command takes arguments from anyone, so checked. */
function isPanelRequest(arg: unknown): arg is PanelConsoleRequest {
  if (typeof arg !== 'object' || arg === null) {
    return false;
  }
  const a = arg as { kind?: unknown; target?: unknown; request?: unknown };
  return a.kind === 'panelConsole' && typeof a.target === 'object' && a.target !== null && typeof a.request === 'object' && a.request !== null;
}
