import type * as vscode from 'vscode';
import type { ExplorerState } from '../explorerState';
import type { MembershipNode, MembershipStore } from '../model/membershipStore';
import type { MembershipTreeProvider } from '../views/membershipTreeProvider';
import type { TreeElement } from '../views/treeElements';

/** What every command works with; built once in activate(). */
export interface CommandContext {
  /** Settings, stores, open panels, the service; and the events commands raise. */
  readonly state: ExplorerState;
  readonly tree: MembershipTreeProvider;
  readonly view: vscode.TreeView<TreeElement>;
}

/**
 * Commands are invoked from tree clicks (a node key), context menus (a tree element), other
 * commands and tests. Finds the membership node whichever form arrives.
 */
export function nodeFromArg(store: MembershipStore, arg: unknown): MembershipNode | undefined {
  if (typeof arg === 'string') {
    return store.find(arg) ?? store.all.find((n) => n.entry.id === arg);
  }
  if (typeof arg === 'object' && arg !== null && (arg as TreeElement).type === 'membership') {
    return store.find((arg as { key: string }).key);
  }
  return undefined;
}
