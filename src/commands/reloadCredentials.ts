import * as vscode from 'vscode';
import { VIEW_ID } from '../views/viewIds';
import { MembershipPanel } from '../views/membershipPanel';
import type { Services } from './services';

/**
 * "Reload AWS Credentials": after `aws sso login` or editing ~/.aws files. Drops every cached
 * client (they memoize credentials) and re-reads the profile files, then reloads what is shown.
 */
export async function reloadCredentials(services: Services): Promise<void> {
  services.service.reset();
  services.log.info('Reloaded AWS profile files and dropped cached clients.');
  await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => services.store.refresh());
  await MembershipPanel.refreshAll();
}
