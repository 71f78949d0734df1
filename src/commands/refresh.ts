import * as vscode from 'vscode';
import { VIEW_ID } from '../views/viewIds';
import type { Services } from './services';

/** Title-bar Refresh: reloads every membership, with progress shown on the view itself. */
export function refresh(services: Services): Thenable<void> {
  return vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => services.store.refresh());
}

export async function retry(services: Services, arg?: unknown): Promise<void> {
  const key = typeof arg === 'string' ? arg : (arg as { key?: string } | undefined)?.key;
  if (key) {
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => services.store.retry(key));
  }
}
