import * as vscode from 'vscode';
import { removeMembershipEntry } from '../config';
import type { TreeElement } from '../views/treeElements';
import { nodeFromArg, type CommandContext } from './context';

/** "Remove from Workspace": deletes that one entry from the settings file that holds it. */
export async function removeMembership(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const node = nodeFromArg(ctx.state.store, arg);
  const element = arg as TreeElement | undefined;
  const target = node
    ? { index: node.entry.index, id: node.entry.id as string | undefined }
    : element?.type === 'invalidEntry'
      ? { index: element.entry.index, id: undefined }
      : undefined;
  if (!target) {
    return false;
  }
  const removed = await removeMembershipEntry(target.index, target.id);
  if (!removed) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The memberships setting changed; nothing was removed. Refresh and try again.'));
  }
  return removed;
}
