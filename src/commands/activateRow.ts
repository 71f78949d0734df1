import * as vscode from 'vscode';
import { elementId, type TreeElement } from '../views/treeElements';
import { rowAction } from '../views/treeItems';

/** How long a click waits for its row while the tree is being rebuilt under it. */
const SELECTION_WAIT_MS = 1000;

/**
 * Two activations of the same row within this time are a double click. VS Code gives tree rows
 * no double-click event, but runs the row's command on each click of one.
 */
export const DOUBLE_CLICK_MS = 500;

/** Rows whose action shows a record: a double click on them keeps it open. */
const SHOWS_A_RECORD = new Set(['cleanRooms.openMembership', 'cleanRooms.openDetail', 'cleanRooms.openTable', 'cleanRooms.openTemplate']);

let lastActivation: { readonly id: string; readonly at: number } | undefined;

/**
 * A row was clicked (or Enter pressed on it): run that row's action. VS Code selects the row and
 * tells the extension host before it runs the row's command, so the selection is the row. During
 * a full repaint the selected row's element is briefly unknown; wait for it rather than drop the click.
 * A second activation of the same row soon after the first (a double click) keeps its record open:
 * the first one put it in the preview panel, the second pins that panel.
 */
export async function activateRow(view: vscode.TreeView<TreeElement>): Promise<void> {
  const at = Date.now();
  const deadline = at + SELECTION_WAIT_MS;
  while (view.selection.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // With several rows selected VS Code does not run a row command; a stray call does nothing either.
  const [element, ...others] = view.selection;
  const action = element && others.length === 0 ? rowAction(element) : undefined;
  if (!action) {
    return;
  }
  const id = elementId(element) ?? '';
  const double = lastActivation !== undefined && lastActivation.id === id && at - lastActivation.at <= DOUBLE_CLICK_MS;
  // A third click starts a new pair rather than counting as another double click.
  lastActivation = double ? undefined : { id, at };
  if (double && SHOWS_A_RECORD.has(action.command)) {
    await vscode.commands.executeCommand('cleanRooms.keepOpen', element);
    return;
  }
  await vscode.commands.executeCommand(action.command, ...action.arguments);
}
