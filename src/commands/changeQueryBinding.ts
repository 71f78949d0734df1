import * as vscode from 'vscode';
import { isMembershipId } from '../config';
import { bindingEdit, parseBinding } from '../queries/binding';
import { isQueryDocument } from '../views/queryStatusBar';
import type { CommandContext } from './context';
import { pickQueryMembership } from './pickQueryMembership';

/** Writes (or rewrites) the binding comment of `document`. */
export async function bindDocument(document: vscode.TextDocument, membershipId: string): Promise<boolean> {
  const change = bindingEdit(document.getText(), membershipId);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
  return vscode.workspace.applyEdit(edit);
}

/**
 * "Change Query Membership": binds the active SQL document to another membership (the argument: a
 * membership ID; else picked). Returns the ID bound, if any.
 */
export async function changeQueryBinding(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !isQueryDocument(document)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a SQL document to bind it to a membership.'));
    return undefined;
  }
  const current = parseBinding(document.getText());
  let membershipId = typeof arg === 'string' && isMembershipId(arg) ? arg : undefined;
  if (!membershipId) {
    const node = await pickQueryMembership(ctx, vscode.l10n.t('Run queries in this document on'), current.kind === 'bound' ? current.membershipId : undefined);
    membershipId = node?.entry.id;
  }
  if (!membershipId) {
    return undefined;
  }
  return (await bindDocument(document, membershipId)) ? membershipId : undefined;
}
