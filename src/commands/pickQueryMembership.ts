import * as vscode from 'vscode';
import { describeConnection } from '../aws/clientFactory';
import { nodeName, type MembershipNode } from '../model/membershipStore';
import { shortText } from '../util/text';
import type { CommandContext } from './context';

/**
 * Quick pick of the tree's memberships, for New Query, an unbound Run and Change Binding.
 * Undefined when the user leaves it, or there is none (then says how to add one).
 */
export async function pickQueryMembership(ctx: CommandContext, title: string, current?: string): Promise<MembershipNode | undefined> {
  const nodes = ctx.state.store.all;
  if (nodes.length === 0) {
    const add = vscode.l10n.t('Add Membership…');
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('No Clean Rooms memberships are configured yet.'), add);
    if (answer === add) {
      void vscode.commands.executeCommand('cleanRooms.addMembership');
    }
    return undefined;
  }
  const items = nodes.map((node) => ({
    label: shortText(nodeName(node), 80),
    description: node.entry.id === current ? vscode.l10n.t('{0} (current)', node.entry.id) : node.entry.id,
    detail: describeConnection({ profile: node.request.profile ?? (node.state.status === 'loaded' ? node.state.connection.profile : undefined), region: node.request.region ?? (node.state.status === 'loaded' ? node.state.connection.region : '…') }),
    node,
  }));
  const pick = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, ignoreFocusOut: true });
  return pick?.node;
}
