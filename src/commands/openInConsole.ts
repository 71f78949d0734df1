import * as vscode from 'vscode';
import { consoleUrl } from '../aws/consoleUrl';
import { nodeFromArg, type Services } from './services';


export async function openInConsole(services: Services, arg?: unknown): Promise<string | undefined> {
  const node = nodeFromArg(services.store, arg);
  const resolved = await services.service.resolve(node?.request ?? { profile: services.settings().profile, region: services.settings().region, timeoutMs: 1000 });
  if (!resolved.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}. {1}', resolved.failure.title, resolved.failure.nextStep));
    return undefined;
  }
  const url = consoleUrl(resolved.connection.region);
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}
