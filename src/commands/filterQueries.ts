import type { ProtectedQueryStatus } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import type { MembershipNode } from '../model/membershipStore';
import { QUERY_STATUSES } from '../views/treeRows';
import { statusWords } from '../util/text';
import { nodeFromArg, type CommandContext } from './context';
import { pickLoadedMembership } from './pickLoadedMembership';

interface StatusPick extends vscode.QuickPickItem {
  /** Undefined: the "All statuses" item. */
  readonly status?: ProtectedQueryStatus;
}

/**
 * "Filter Protected Queries": which statuses a membership's "Protected queries" branch lists, for
 * this session. `arg` is the branch row (its inline button, its menu), a membership, or nothing
 * (palette: pick one). `preset` answers the question (tests, other commands): the statuses, or
 * [] for all. Returns the statuses now in force, or undefined when nothing changed.
 */
export async function filterQueries(ctx: CommandContext, arg?: unknown, preset?: unknown): Promise<readonly ProtectedQueryStatus[] | undefined> {
  const node = nodeOf(ctx, arg) ?? (arg === undefined ? await pickLoadedMembership(ctx, vscode.l10n.t('Filter Protected Queries')) : undefined);
  if (!node) {
    return undefined;
  }
  const statuses = parsePreset(preset) ?? (await askStatuses(ctx.state.drill.queryFilter(node.key)));
  if (!statuses) {
    return undefined;
  }
  ctx.state.drill.setQueryFilter(node, statuses);
  return ctx.state.drill.queryFilter(node.key);
}

function nodeOf(ctx: CommandContext, arg: unknown): MembershipNode | undefined {
  if (typeof arg === 'object' && arg !== null && (arg as { type?: unknown }).type === 'branch') {
    const key = (arg as { key?: unknown }).key;
    return typeof key === 'string' ? ctx.state.store.find(key) : undefined;
  }
  return nodeFromArg(ctx.state.store, arg);
}

/** A preset from any caller: known statuses only; anything else is not a preset. */
function parsePreset(preset: unknown): ProtectedQueryStatus[] | undefined {
  if (!Array.isArray(preset)) {
    return undefined;
  }
  const known: readonly string[] = QUERY_STATUSES;
  return preset.every((s): s is ProtectedQueryStatus => typeof s === 'string' && known.includes(s)) ? preset : undefined;
}

async function askStatuses(current: readonly ProtectedQueryStatus[]): Promise<ProtectedQueryStatus[] | undefined> {
  const all: StatusPick = { label: vscode.l10n.t('All statuses'), description: vscode.l10n.t('no filter'), picked: current.length === 0 };
  const items: StatusPick[] = [
    all,
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    ...QUERY_STATUSES.map((status): StatusPick => ({ label: statusWords(status), description: status, status, picked: current.includes(status) })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Filter Protected Queries'),
    // The service filters by one status; with several, each page is filtered here and may show fewer rows.
    placeHolder: vscode.l10n.t('Statuses to show. One status is filtered by the service; several are filtered here, page by page.'),
    canPickMany: true,
  });
  if (!picked) {
    return undefined;
  }
  const statuses = picked.flatMap((p) => (p.status ? [p.status] : []));
  return picked.includes(all) || statuses.length === QUERY_STATUSES.length ? [] : statuses;
}
