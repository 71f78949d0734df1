import * as vscode from 'vscode';
import { addMembershipIds } from '../config';
import { askForMembershipId } from './openMembership';

/** "Add Membership…": asks for an ID and appends it to the workspace's cleanRooms.memberships. */
export async function addMembership(): Promise<string | undefined> {
  const id = await askForMembershipId('Add Clean Rooms Membership');
  if (!id) {
    return undefined;
  }
  const added = await addMembershipIds([id]);
  if (added.length === 0) {
    void vscode.window.showInformationMessage(`Membership ${id} is already in the list.`);
  }
  return id;
}
