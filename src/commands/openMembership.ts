import * as vscode from 'vscode';
import { describeIdProblem, extractMembershipId } from '../config';
import { nodeName, type MembershipNode } from '../model/membershipStore';
import type { MembershipPanel } from '../views/membershipPanel';
import { nodeFromArg, type CommandContext } from './context';
import { shortText, statusWords } from '../util/text';

interface PickItem extends vscode.QuickPickItem {
  readonly node?: MembershipNode;
}

/** "Clean Rooms: Open Membership": from the tree (a node), or a quick pick of configured ones. */
export async function openMembership(ctx: CommandContext, arg?: unknown): Promise<MembershipPanel | undefined> {
  const node = nodeFromArg(ctx.state.store, arg);
  if (node) {
    return ctx.state.panels.showMembership({ id: node.entry.id, label: node.entry.label, profile: node.entry.profile, region: node.entry.region });
  }
  if (typeof arg === 'object' && arg !== null) {
    // A tree row whose membership left the settings since it was drawn: nothing to open.
    return undefined;
  }
  if (typeof arg === 'string' && extractMembershipId(arg) && !describeIdProblem(arg)) {
    return ctx.state.panels.showMembership({ id: arg });
  }
  const enter: PickItem = { label: `$(edit) ${vscode.l10n.t('Enter a membership ID…')}`, alwaysShow: true };
  const items: PickItem[] = [
    ...ctx.state.store.all.map((n): PickItem => {
      const loadedStatus = n.state.status === 'loaded' ? (n.state.membership?.status ?? n.state.summary?.status) : undefined;
      const status =
        n.state.status === 'loaded' ? loadedStatus && statusWords(loadedStatus) : n.state.status === 'error' ? n.state.failure.title : vscode.l10n.t('loading…');
      return { label: shortText(nodeName(n), 100), description: n.entry.id, detail: status === undefined ? undefined : shortText(status, 80), node: n };
    }),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    enter,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Open Clean Rooms Membership'),
    placeHolder: vscode.l10n.t('Choose a membership, or enter an ID'),
    matchOnDescription: true,
  });
  if (!picked) {
    return undefined;
  }
  if (picked.node) {
    return ctx.state.panels.showMembership({ id: picked.node.entry.id, label: picked.node.entry.label, profile: picked.node.entry.profile, region: picked.node.entry.region });
  }
  const id = await askForMembershipId(vscode.l10n.t('Open Clean Rooms Membership'));
  return id ? ctx.state.panels.showMembership({ id }) : undefined;
}

/** Input box that accepts an ID, an ARN or a console URL and explains what is wrong as you type. */
export async function askForMembershipId(title: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Membership ID (a lowercase UUID); a pasted membership ARN works too'),
    placeHolder: '1f2e3d4c-5b6a-4789-8abc-0123456789ab',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') {
        return undefined;
      }
      const id = extractMembershipId(text);
      return id ? undefined : describeIdProblem(text.trim());
    },
  });
  if (!value || value.trim() === '') {
    return undefined;
  }
  return extractMembershipId(value);
}
