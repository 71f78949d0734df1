import * as vscode from 'vscode';
import { SECTION } from '../config';

export function openSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `@ext:cleanrooms-explorer.clean-rooms-explorer ${SECTION}`);
}
