import * as vscode from 'vscode';
import type { TreeElement } from '../views/treeElements';
import { rowAction } from '../views/treeItems';

/** How long a click waits for its row while the tree is being rebuilt under it. */
const SELECTION_WAIT_MS = 1000;

/**
 * A row was clicked (or Enter pressed on it): run that row's action. VS Code selects the row and
 * tells the extension host before it runs the row's command, so the selection is the row. During
 * a full repaint the selected row's element is briefly unknown; wait for it rather than drop the click.
 */
export async function activateRow(view: vscode.TreeView<TreeElement>): Promise<void> {
  const deadline = Date.now() + SELECTION_WAIT_MS;
  while (view.selection.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // With several rows selected VS Code does not run a row command; a stray call does nothing either.
  const [element, ...others] = view.selection;
  const action = element && others.length === 0 ? rowAction(element) : undefined;
  if (action) {
    await vscode.commands.executeCommand(action.command, ...action.arguments);
  }
}
