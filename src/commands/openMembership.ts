import * as vscode from 'vscode';
import { parseMembershipReference, type MembershipReference } from '../config';
import { nodeName, type MembershipNode } from '../model/membershipStore';
import type { MembershipPanel } from '../views/membershipPanel';
import { nodeFromArg, type CommandContext } from './context';
import { shortText, statusWords } from '../util/text';

type ParsedReference = Extract<MembershipReference, { ok: true }>;

interface PickItem extends vscode.QuickPickItem {
  readonly node?: MembershipNode;
  /** The "Open <id>" item offered for what was typed or pasted. */
  readonly typed?: ParsedReference;
  /** "Enter a membership ID…": an input box that starts from what was typed. */
  readonly enter?: true;
}

/** What the picker settled on: a configured membership, a typed reference, or nothing. */
type Picked = { readonly node: MembershipNode } | { readonly typed: ParsedReference } | undefined;

/** "Clean Rooms: Open Membership": from the tree (a node), or a quick pick of configured ones. */
export async function openMembership(ctx: CommandContext, arg?: unknown): Promise<MembershipPanel | undefined> {
  const node = nodeFromArg(ctx.state.store, arg);
  if (node) {
    // A tree row (its click, Enter, or its menu's Open): focus stays in the tree, so the arrow
    // keys go on browsing and each row shows in the preview as it is reached.
    const focus = typeof arg === 'object' ? 'keep' : 'take';
    return ctx.state.panels.showConfigured(node.entry, 'preview', focus);
  }
  if (typeof arg === 'object' && arg !== null) {
    // A tree row whose membership left the settings since it was drawn: nothing to open.
    return undefined;
  }
  if (typeof arg === 'string') {
    const ref = parseMembershipReference(arg);
    if (ref.ok) {
      return ctx.state.panels.showMembership({ id: ref.id, region: ref.region });
    }
  }
  const picked = await pickMembership(ctx);
  if (!picked) {
    return undefined;
  }
  if ('node' in picked) {
    return ctx.state.panels.showConfigured(picked.node.entry);
  }
  return ctx.state.panels.showMembership({ id: picked.typed.id, region: picked.typed.region });
}

/**
 * The picker. Whatever parses as a membership ID, ARN or console URL is offered as the first,
 * active item, so pasting an ID and pressing Enter opens it: showQuickPick cannot change its
 * items as the user types, hence createQuickPick.
 */
async function pickMembership(ctx: CommandContext): Promise<Picked> {
  const configured = ctx.state.store.all.map((n): PickItem => {
    const loadedStatus = n.state.status === 'loaded' ? (n.state.membership?.status ?? n.state.summary?.status) : undefined;
    const status = n.state.status === 'loaded' ? loadedStatus && statusWords(loadedStatus) : n.state.status === 'error' ? n.state.failure.title : vscode.l10n.t('loading…');
    return { label: shortText(nodeName(n), 100), description: n.entry.id, detail: status === undefined ? undefined : shortText(status, 80), node: n };
  });
  const enter: PickItem = { label: `$(edit) ${vscode.l10n.t('Enter a membership ID…')}`, alwaysShow: true, enter: true };
  const tail: PickItem[] = [{ label: '', kind: vscode.QuickPickItemKind.Separator }, enter];
  const qp = vscode.window.createQuickPick<PickItem>();
  qp.title = vscode.l10n.t('Open Clean Rooms Membership');
  qp.placeholder = vscode.l10n.t('Choose a membership, or paste an ID, ARN or console link');
  qp.matchOnDescription = true;
  qp.items = [...configured, ...tail];
  const offer = (value: string): void => {
    const ref = parseMembershipReference(value);
    if (!ref.ok) {
      qp.items = [...configured, ...tail];
      return;
    }
    const where = ref.region ? ` (${ref.region})` : '';
    const open: PickItem = { label: `$(open-preview) ${vscode.l10n.t('Open {0}', ref.id)}${where}`, alwaysShow: true, typed: ref };
    qp.items = [open, ...configured, ...tail];
    qp.activeItems = [open];
  };
  const chosen = await new Promise<PickItem | 'hidden'>((resolve) => {
    qp.onDidChangeValue(offer);
    qp.onDidAccept(() => resolve(qp.activeItems[0] ?? 'hidden'));
    qp.onDidHide(() => resolve('hidden'));
    qp.show();
  });
  const value = qp.value;
  qp.dispose();
  if (chosen === 'hidden') {
    return undefined;
  }
  if (chosen.node) {
    return { node: chosen.node };
  }
  if (chosen.typed) {
    return { typed: chosen.typed };
  }
  // Enter may land before the "Open <id>" item arrives from the extension host: a typed ID opens anyway.
  const typed = parseMembershipReference(value);
  if (typed.ok) {
    return { typed };
  }
  const asked = await askForMembershipReference(vscode.l10n.t('Open Clean Rooms Membership'), value);
  return asked ? { typed: asked } : undefined;
}

/** Input box that accepts an ID, an ARN or a console URL and explains what is wrong as you type. */
export async function askForMembershipReference(title: string, value = ''): Promise<ParsedReference | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    value,
    prompt: vscode.l10n.t('Membership ID (a lowercase UUID); a pasted membership ARN or console link works too'),
    placeHolder: '1f2e3d4c-5b6a-4789-8abc-0123456789ab',
    ignoreFocusOut: true,
    validateInput: (input) => {
      if (input.trim() === '') {
        return undefined;
      }
      const ref = parseMembershipReference(input);
      return ref.ok ? undefined : ref.problem;
    },
  });
  if (!text || text.trim() === '') {
    return undefined;
  }
  const ref = parseMembershipReference(text);
  return ref.ok ? ref : undefined;
}
