import * as vscode from 'vscode';
import { nodeFacts } from '../model/membershipStore';
import { nodeFromArg, type CommandContext } from './context';

/** Copy ID / Copy ARN from the tree's context menu. Copies the raw value, not the displayed one. */
export async function copyIdentifier(ctx: CommandContext, what: 'id' | 'arn', arg?: unknown): Promise<string | undefined> {
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
