import * as vscode from 'vscode';
import { nodeFacts, nodeName, type MembershipNode } from '../model/membershipStore';
import { bindingComment } from '../queries/binding';
import { shortText } from '../util/text';
import { nodeFromArg, type CommandContext } from './context';
import { pickQueryMembership } from './pickQueryMembership';

/** Tables named in a new query's header; the rest are counted. */
const MAX_HEADER_TABLES = 25;

/**
 * "New Query": an untitled SQL document bound to a membership (the argument: a tree row, a node
 * key or a membership ID; else picked), with a header naming the collaboration and its tables.
 */
export async function newQuery(ctx: CommandContext, arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const node = nodeFromArg(ctx.state.store, arg) ?? (await pickQueryMembership(ctx, vscode.l10n.t('New Query: choose a membership')));
  if (!node) {
    return undefined;
  }
  const header = await queryHeader(ctx, node);
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: `${header.join('\n')}\n\n` });
  const editor = await vscode.window.showTextDocument(document);
  const end = document.lineAt(document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/**
 * The header lines. Names come from the API (other members write them): each is made one line
 * with visible escapes, so no name can end the comment and turn into SQL.
 */
export async function queryHeader(ctx: CommandContext, node: MembershipNode): Promise<string[]> {
  const collaboration = nodeFacts(node)?.collaborationName || nodeName(node);
  const lines = [bindingComment(node.entry.id), `-- ${vscode.l10n.t('Collaboration: {0}', oneLine(collaboration))}`];
  await ctx.state.drill.load(node, 'associations');
  const branch = ctx.state.drill.branch(node, 'associations');
  if (branch.status === 'loaded' || branch.status === 'error') {
    const tables = branch.items.map((a) => (a.analysisRuleTypes?.length ? `${oneLine(a.name ?? '?')} (${a.analysisRuleTypes.map(oneLine).join(', ')})` : oneLine(a.name ?? '?')));
    if (tables.length > 0) {
      const shown = tables.slice(0, MAX_HEADER_TABLES);
      const more = tables.length > shown.length || (branch.status === 'loaded' && branch.nextToken);
      lines.push(`-- ${vscode.l10n.t('Tables:')}`);
      lines.push(...shown.map((table) => `--   ${table}`));
      if (more) {
        lines.push(`--   ${vscode.l10n.t('… and more (see the membership in the Clean Rooms view)')}`);
      }
    } else if (branch.status === 'loaded') {
      lines.push(`-- ${vscode.l10n.t('Tables: none associated with this membership')}`);
    } else {
      lines.push(`-- ${vscode.l10n.t('Tables: could not be listed ({0})', oneLine(branch.failure.title))}`);
    }
  }
  lines.push(`-- ${vscode.l10n.t('Run a statement with Ctrl+Enter (Cmd+Enter), or with Run above it.')}`);
  return lines;
}

function oneLine(text: string): string {
  return shortText(text, 200);
}
