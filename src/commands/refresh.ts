import * as vscode from 'vscode';
import { VIEW_ID } from '../views/viewIds';
import type { CommandContext } from './context';

/** Title-bar Refresh: reloads every membership and expanded branch, with progress shown on the view itself. */
export function refresh(ctx: CommandContext): Thenable<void> {
  return vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => ctx.state.refreshRequested());
}

export async function retry(ctx: CommandContext, arg?: unknown): Promise<void> {
  const key = typeof arg === 'string' ? arg : (arg as { key?: string } | undefined)?.key;
  if (key) {
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => ctx.state.store.retry(key));
  }
}
