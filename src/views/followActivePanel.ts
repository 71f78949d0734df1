import type * as vscode from 'vscode';
import type { MembershipStore } from '../model/membershipStore';
import type { MembershipTreeProvider } from './membershipTreeProvider';
import { MembershipPanel } from './membershipPanel';
import { QueryPanel } from './queryPanel';
import { TablePanel } from './tablePanel';
import { TemplatePanel } from './templatePanel';
import type { Panels, ShownRecord } from './panels';
import { elementId, type TreeElement } from './treeElements';

/** The tree row a record on screen was opened from, if the tree still shows it. */
export function rowOf(record: ShownRecord, store: MembershipStore, tree: MembershipTreeProvider): TreeElement | undefined {
  if (record instanceof MembershipPanel) {
    // Opened by ID from the palette, outside the configured list: no row.
    return store.find(record.key) ? { type: 'membership', key: record.key } : undefined;
  }
  if (record instanceof QueryPanel) {
    // Rows are numbered: the row must still hold this query.
    const element = record.element;
    const row = element?.type === 'record' && element.branch === 'queries' ? tree.record(element) : undefined;
    return row && 'id' in row && row.id === record.ref.queryId ? element : undefined;
  }
  if (record instanceof TablePanel) {
    return record.element?.type === 'table' && store.find(record.membershipKey) ? record.element : undefined;
  }
  if (record instanceof TemplatePanel) {
    const element = record.target.element;
    const row = element?.type === 'record' && element.branch === 'templates' ? tree.record(element) : undefined;
    return row && 'arn' in row && row.arn === record.target.arn ? element : undefined;
  }
  const element = record.target.element;
  if (element?.type === 'record') {
    // Rows are numbered: after a refresh row N may hold another record.
    return tree.record(element) === record.target.record ? element : undefined;
  }
  return element && store.find(record.target.membershipKey) ? element : undefined;
}

/**
 * The tree's selection follows the active panel, as the Explorer's follows the active editor.
 * Selecting a row runs no command (only a click or Enter does), so this cannot open a panel in turn.
 * A hidden view is left alone: revealing would show it, taking the sidebar from what the user has there.
 */
export function followActivePanel(panels: Panels, store: MembershipStore, tree: MembershipTreeProvider, view: vscode.TreeView<TreeElement>): vscode.Disposable {
  return panels.onDidActivate((record) => {
    const element = view.visible ? rowOf(record, store, tree) : undefined;
    if (!element) {
      return;
    }
    const [selected, ...others] = view.selection;
    if (selected && others.length === 0 && elementId(selected) === elementId(element)) {
      return;
    }
    // A row not found (the tree repainted meanwhile) is no error worth showing.
    view.reveal(element, { select: true, focus: false }).then(undefined, () => undefined);
  });
}
