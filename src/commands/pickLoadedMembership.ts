import * as vscode from 'vscode';
import { nodeFacts, nodeName, type MembershipNode } from '../model/membershipStore';
import { shortText, statusWords } from '../util/text';
import type { CommandContext } from './context';

/** A palette command's question "which membership?": the loaded memberships of the tree. */
export async function pickLoadedMembership(ctx: CommandContext, title: string): Promise<MembershipNode | undefined> {
  const loaded = ctx.state.store.all.filter((n) => n.state.status === 'loaded');
  if (loaded.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No membership has loaded yet: add one, or wait for the Memberships view to load.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    loaded.map((node) => {
      const status = nodeFacts(node)?.status;
      return { label: shortText(nodeName(node), 100), description: node.entry.id, detail: status === undefined ? undefined : statusWords(status), node };
    }),
    { title, placeHolder: vscode.l10n.t('Choose a membership'), matchOnDescription: true },
  );
  return picked?.node;
}
