import * as vscode from 'vscode';
import type { BranchItems } from '../aws/cleanRoomsService';
import { nodeFacts } from '../model/membershipStore';
import type { TreeElement } from '../views/treeElements';
import { nodeFromArg, type CommandContext } from './context';

/** Copy ID / Copy ARN from the tree's context menu. Copies the raw value, not the displayed one. */
export async function copyIdentifier(ctx: CommandContext, what: 'id' | 'arn', arg?: unknown): Promise<string | undefined> {
  if (what === 'id' && isQueryRow(arg)) {
    return copyQueryId(ctx, arg);
  }
  const node = nodeFromArg(ctx.state.store, arg);
  if (!node) {
    return undefined;
  }
  const text = what === 'id' ? node.entry.id : nodeFacts(node)?.arn;
  if (!text) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The ARN is known once the membership has loaded.'));
    return undefined;
  }
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(what === 'id' ? vscode.l10n.t('Copied membership ID') : vscode.l10n.t('Copied membership ARN'), 2000);
  return text;
}

function isQueryRow(arg: unknown): arg is Extract<TreeElement, { type: 'record' }> {
  return typeof arg === 'object' && arg !== null && (arg as TreeElement).type === 'record' && (arg as { branch?: unknown }).branch === 'queries';
}

/** A protected query's full ID (the row shows its first 8 characters). */
async function copyQueryId(ctx: CommandContext, element: Extract<TreeElement, { type: 'record' }>): Promise<string | undefined> {
  // A record row under the queries branch holds a protected query summary.
  const id = (ctx.tree.record(element) as BranchItems['queries'] | undefined)?.id;
  if (!id) {
    return undefined;
  }
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied protected query ID'), 2000);
  return id;
}
