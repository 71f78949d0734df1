import * as vscode from 'vscode';
import type { CleanRoomsService } from '../aws/cleanRoomsService';
import type { CleanRoomsSettings } from '../config';
import type { MembershipNode, MembershipStore } from '../model/membershipStore';
import type { PanelDeps } from '../views/membershipPanel';
import type { TreeElement } from '../views/membershipTreeProvider';

/** What the commands work with; built once in activate(). */
export interface Services {
  readonly store: MembershipStore;
  readonly service: CleanRoomsService;
  readonly panelDeps: PanelDeps;
  readonly log: vscode.LogOutputChannel;
  readonly settings: () => CleanRoomsSettings;
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
