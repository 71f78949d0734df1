import * as vscode from 'vscode';
import { VIEW_ID } from '../views/viewIds';
import type { CommandContext } from './context';

/**
 * "Reload AWS Credentials": after `aws sso login` or editing ~/.aws files. What is dropped and
 * reloaded is ExplorerState's to decide (the same as when the watcher sees the files change).
 */
export async function reloadCredentials(ctx: CommandContext): Promise<void> {
  await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => ctx.state.credentialsReloaded());
}
