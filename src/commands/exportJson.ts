import * as vscode from 'vscode';
import { describeRecord } from '../views/treeRows';
import type { CommandContext } from './context';
import type { TreeElement } from '../views/treeElements';
import { safeJson } from '../util/text';

/** A record to export: a file name without extension, and its JSON. */
interface Export {
  readonly name: string;
  readonly json: string;
}

/**
 * "Export Raw JSON" on any tree row that stands for an API record: asks where to save it, writes
 * the file, and offers to open it. ("Open Raw JSON" in a panel shows the same JSON read-only.)
 * Returns the file written, if any.
 */
export async function exportJson(ctx: CommandContext, element: TreeElement | undefined): Promise<vscode.Uri | undefined> {
  const record = element ? exportOf(ctx, element) : undefined;
  if (!record) {
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Raw JSON'),
    defaultUri: defaultUri(`${fileName(record.name)}.json`),
    filters: { JSON: ['json'] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) {
    return undefined;
  }
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${record.json}\n`));
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}', target.fsPath || target.toString(), e instanceof Error ? e.message : String(e)));
    return undefined;
  }
  const open = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', vscode.workspace.asRelativePath(target)), open).then(async (answer) => {
    if (answer === open) {
      await vscode.window.showTextDocument(target);
    }
  });
  return target;
}

function exportOf(ctx: CommandContext, element: TreeElement): Export | undefined {
  if (element.type === 'membership') {
    const node = ctx.state.store.find(element.key);
    if (node?.state.status !== 'loaded') {
      return undefined;
    }
    const record = node.state.membership ? { membership: node.state.membership } : { membershipSummary: node.state.summary };
    return { name: `membership-${node.entry.id}`, json: safeJson(record) };
  }
  if (element.type === 'record') {
    const record = ctx.tree.record(element);
    return record ? { name: `${element.branch}-${describeRecord(element.branch, record).label}`, json: safeJson(record) } : undefined;
  }
  if (element.type === 'branch' && element.branch === 'collaboration') {
    const node = ctx.state.store.find(element.key);
    const state = node ? ctx.state.drill.collaboration(node) : undefined;
    return state?.status === 'loaded' ? { name: `collaboration-${state.collaboration.id ?? ''}`, json: safeJson({ collaboration: state.collaboration }) } : undefined;
  }
  return undefined;
}

/** A file name from service data: no path separators or control characters, bounded length. */
export function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80) || 'record';
}

/** In the first workspace folder when there is one; else VS Code picks the folder. */
function defaultUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}
