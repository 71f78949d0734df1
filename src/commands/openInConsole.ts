import * as vscode from 'vscode';
import { consoleUrl } from '../aws/consoleUrl';
import { nodeFromArg, type CommandContext } from './context';


export async function openInConsole(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const node = nodeFromArg(ctx.state.store, arg);
  const resolved = await ctx.state.service.resolve(node?.request ?? { profile: ctx.state.settings.profile, region: ctx.state.settings.region, timeoutMs: 1000 });
  if (!resolved.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}. {1}', resolved.failure.title, resolved.failure.nextStep));
    return undefined;
  }
  const url = consoleUrl(resolved.connection.region);
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}
