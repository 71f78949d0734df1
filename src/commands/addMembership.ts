import * as vscode from 'vscode';
import { addMembershipIds } from '../config';
import { askForMembershipId } from './openMembership';

/** "Add Membership…": asks for an ID and appends it to the workspace's cleanRooms.memberships. */
export async function addMembership(): Promise<string | undefined> {
  const id = await askForMembershipId(vscode.l10n.t('Add Clean Rooms Membership'));
  if (!id) {
    return undefined;
  }
  const added = await addMembershipIds([id]);
  if (added.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Membership {0} is already in the list.', id));
  }
  return id;
}
