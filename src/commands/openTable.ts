import * as vscode from 'vscode';
import { nodeFacts } from '../model/membershipStore';
import type { ShowMode } from '../views/panels';
import type { TablePanel } from '../views/tablePanel';
import type { TreeElement } from '../views/treeElements';
import { nodeFromArg, type CommandContext } from './context';

/** What cleanRooms.openTable takes besides a tree row: a membership (ID or tree key) and a table name. */
export interface TableArg {
  readonly membershipId: string;
  readonly table: string;
}

function isTableArg(arg: unknown): arg is TableArg {
  return typeof arg === 'object' && arg !== null && typeof (arg as TableArg).membershipId === 'string' && typeof (arg as TableArg).table === 'string';
}

/**
 * "Open Table": a table of a membership's collaboration in the preview panel (a tree row's click)
 * or pinned (Keep Open). The argument is the Tables row, or { membershipId, table }.
 */
export async function openTable(ctx: CommandContext, arg: unknown, mode: ShowMode = 'preview'): Promise<TablePanel | undefined> {
  const element = typeof arg === 'object' && arg !== null && (arg as TreeElement).type === 'table' ? (arg as Extract<TreeElement, { type: 'table' }>) : undefined;
  const target = element ? { node: ctx.state.store.find(element.key), table: element.name } : isTableArg(arg) ? { node: nodeFromArg(ctx.state.store, arg.membershipId), table: arg.table } : undefined;
  if (!target) {
    return undefined;
  }
  const { node, table } = target;
  if (!node || node.state.status !== 'loaded' || !nodeFacts(node)?.collaborationId) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open Table: the membership is not loaded. Open the Clean Rooms view and refresh it.'));
    return undefined;
  }
  // A tree click keeps focus in the tree (arrow keys go on browsing), as other rows do.
  const focus = element && mode === 'preview' ? 'keep' : 'take';
  return ctx.state.panels.showTable(node, table, mode, focus, element);
}
