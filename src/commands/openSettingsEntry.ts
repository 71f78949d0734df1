import * as vscode from 'vscode';
import { SECTION, SETTING } from '../config';
import { locateJsonValue } from '../util/jsonLocation';
import type { TreeElement } from '../views/treeElements';
import { openSettings } from './openSettings';

/** Which settings.json defines a setting, and the path of the setting inside that file. */
interface SettingsFile {
  /** The file; undefined for user settings, whose location only VS Code knows (opened by command). */
  readonly uri?: vscode.Uri;
  readonly path: ReadonlyArray<string | number>;
}

/**
 * Click on an invalid cleanRooms.memberships entry or a settings problem: opens the settings.json
 * that defines it (workspace or user, as inspect() says) with the entry selected. Falls back to
 * the Settings UI when no settings file defines it or the file cannot be opened. Returns the
 * editor it opened.
 */
export async function openSettingsEntry(element: TreeElement | undefined): Promise<vscode.TextEditor | undefined> {
  const located = element ? settingOf(element) : undefined;
  const file = located ? definingFile(located.name) : undefined;
  const editor = located && file ? await openAt(file, [...file.path, located.name, ...located.within]) : undefined;
  if (!editor) {
    await openSettings();
  }
  return editor;
}

/** The qualified setting a row is about, and the path to its entry inside the setting's value. */
function settingOf(element: TreeElement): { name: string; within: number[] } | undefined {
  if (element.type === 'invalidEntry') {
    return { name: `${SECTION}.${SETTING.memberships}`, within: [element.entry.index] };
  }
  if (element.type === 'problem' && element.problem.setting.startsWith(`${SECTION}.`)) {
    return { name: element.problem.setting, within: [] };
  }
  return undefined;
}

/** The most specific layer that sets the value is the one in force, and so the one to edit. */
function definingFile(qualified: string): SettingsFile | undefined {
  const inspected = vscode.workspace.getConfiguration().inspect(qualified);
  if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined) {
    const workspaceFile = vscode.workspace.workspaceFile;
    if (inspected.workspaceValue !== undefined && workspaceFile && workspaceFile.scheme !== 'untitled') {
      // A multi-root workspace keeps its settings under "settings" in the .code-workspace file.
      return { uri: workspaceFile, path: ['settings'] };
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? { uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'), path: [] } : undefined;
  }
  if (inspected?.globalValue !== undefined) {
    return { path: [] };
  }
  return undefined;
}

async function openAt(file: SettingsFile, path: ReadonlyArray<string | number>): Promise<vscode.TextEditor | undefined> {
  let editor: vscode.TextEditor | undefined;
  if (file.uri) {
    try {
      editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file.uri), { preview: false });
    } catch {
      return undefined;
    }
  } else {
    // Only VS Code knows where the user settings live; its command opens them in an editor.
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    editor = vscode.window.activeTextEditor;
  }
  const range = editor ? locateJsonValue(editor.document.getText(), path) : undefined;
  if (!editor || !range) {
    // An open file without the entry (edited meanwhile, or unreadable) is still the place to fix it.
    return editor;
  }
  editor.selection = new vscode.Selection(editor.document.positionAt(range.start), editor.document.positionAt(range.end));
  editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
