import * as vscode from 'vscode';
import { isMembershipId } from '../config';
import type { QueryRef } from '../model/queryTracker';
import { targetFor, shortId } from '../queries/queryTarget';
import { cancelQuery as sendCancel, runningQueries } from '../queries/trackQuery';
import type { TreeElement } from '../views/treeElements';
import { shortText, statusWords } from '../util/text';
import type { CommandContext } from './context';

/**
 * "Cancel Query": the argument names the query (a QueryRef, `{ membershipId, queryId }`, or a
 * protected-query row of the tree); without one, a pick among the queries this window is running.
 * Sends UpdateProtectedQuery CANCELLED and says what the service answered. Returns whether it was sent.
 */
export async function cancelQuery(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const ref = refFromArg(ctx, arg) ?? (await pickRunning());
  if (!ref) {
    return false;
  }
  const result = await sendCancel(ctx.state, ref);
  if (!result.ok) {
    const why = result.failure.kind === 'conflict' ? vscode.l10n.t('It has already ended, or is being changed elsewhere.') : result.failure.nextStep;
    void vscode.window.showErrorMessage(vscode.l10n.t('Cancelling query {0} failed: {1}. {2}', shortId(ref.queryId), result.failure.title, why));
    return false;
  }
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Query {0}: {1}', shortId(ref.queryId), statusWords(result.value.status ?? '?')), 5000);
  return true;
}

function refFromArg(ctx: CommandContext, arg: unknown): QueryRef | undefined {
  if (typeof arg !== 'object' || arg === null) {
    return undefined;
  }
  const element = arg as TreeElement;
  if (element.type === 'record' && element.branch === 'queries') {
    const node = ctx.state.store.find(element.key);
    const branch = node && ctx.state.drill.branch(node, 'queries');
    const query = branch && branch.status !== 'idle' ? branch.items[element.index] : undefined;
    return node && query?.id ? { membershipKey: node.key, request: node.request, membershipId: node.entry.id, queryId: query.id } : undefined;
  }
  const a = arg as Partial<QueryRef>;
  if (typeof a.membershipId === 'string' && isMembershipId(a.membershipId) && typeof a.queryId === 'string' && a.queryId !== '') {
    if (a.request) {
      return { membershipKey: a.membershipKey ?? '', request: a.request, membershipId: a.membershipId, queryId: a.queryId };
    }
    const target = targetFor(a.membershipId, ctx.state.settings, ctx.state.store);
    return { membershipKey: target.node?.key ?? '', request: target.request, membershipId: a.membershipId, queryId: a.queryId };
  }
  return undefined;
}

async function pickRunning(): Promise<QueryRef | undefined> {
  const running = runningQueries();
  if (running.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No query started in this window is running. To cancel another, use its row in the Clean Rooms view or its panel.'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    running.map((r) => ({ label: shortText(r.sql, 80), description: `${r.collaborationName} · ${shortId(r.ref.queryId)}`, ref: r.ref })),
    { title: vscode.l10n.t('Cancel which query?') },
  );
  return pick?.ref;
}
