import * as vscode from 'vscode';
import { describeConnection } from '../aws/clientFactory';
import { nodeFacts } from '../model/membershipStore';
import type { DetailPanel } from '../views/detailPanel';
import type { QueryPanel } from '../views/queryPanel';
import type { ShowMode } from '../views/panels';
import type { TreeElement } from '../views/treeElements';
import { describeRecord } from '../views/treeRows';
import { shortHash } from '../util/hash';
import type { CommandContext } from './context';
import { safeJson, withoutCodeMarks } from '../util/text';

const KIND_NAMES = {
  members: 'Member',
  associations: 'Configured table association',
  templates: 'Analysis template',
  queries: 'Protected query',
} as const;

/** Shows a drill-down row's record (or the collaboration), in the preview panel unless `mode` pins it. */
export async function openDetail(ctx: CommandContext, element: TreeElement | undefined, mode: ShowMode = 'preview'): Promise<DetailPanel | QueryPanel | undefined> {
  if (!element || (element.type !== 'record' && !(element.type === 'branch' && element.branch === 'collaboration'))) {
    return undefined;
  }
  const node = ctx.state.store.find(element.key);
  if (!node || node.state.status !== 'loaded') {
    return undefined;
  }
  const where = describeConnection(node.state.connection);
  // Only a tree row opens a record: its single click keeps focus in the tree (arrow keys go on
  // browsing); Keep Open (the menu, a double click) moves it into the panel it opened.
  const focus = mode === 'preview' ? 'keep' : 'take';
  if (element.type === 'branch') {
    // Idle, or still loading from a click a moment ago (a double click): wait for that load.
    if (ctx.state.drill.collaboration(node).status !== 'loaded') {
      await ctx.state.drill.loadCollaboration(node);
    }
    const state = ctx.state.drill.collaboration(node);
    if (state.status === 'error') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Collaboration: {0}. {1}', state.failure.title, withoutCodeMarks(state.failure.nextStep)));
      return undefined;
    }
    if (state.status !== 'loaded') {
      return undefined;
    }
    const c = state.collaboration;
    return ctx.state.panels.showDetail({
      // By content: after a refresh the collaboration may have changed, and a new snapshot must not reveal the old one.
      key: `${node.key}|collaboration|${shortHash(safeJson(c))}`,
      kind: 'Collaboration',
      title: c.name || (c.id ?? 'Collaboration'),
      record: c,
      where,
      fetchedAt: state.fetchedAt,
      membershipKey: node.key,
      element,
    }, mode, focus);
  }
  const record = ctx.tree.record(element);
  const branch = ctx.state.drill.branch(node, element.branch);
  if (!record) {
    return undefined;
  }
  if (element.branch === 'queries' && 'id' in record && record.id) {
    // A protected query opens live (GetProtectedQuery, polled while it runs), not as the list's snapshot.
    const ref = { membershipKey: node.key, request: node.request, membershipId: node.entry.id, queryId: record.id };
    return ctx.state.panels.showQuery(ref, mode, focus, undefined, element);
  }
  return ctx.state.panels.showDetail({
    // By content, not row position: after a refresh row 0 may be another record.
    key: `${element.key}|${element.branch}|${shortHash(safeJson(record))}`,
    kind: KIND_NAMES[element.branch],
    title: describeRecord(element.branch, record).label || KIND_NAMES[element.branch],
    record,
    where,
    // When the list holding the record arrived, not when the panel opened.
    fetchedAt: branch.status === 'loaded' ? branch.fetchedAt : new Date(),
    membershipKey: node.key,
    element,
  }, mode, focus);
}

/** "Load more…" at the end of a drill-down list. */
export async function loadMore(ctx: CommandContext, element: TreeElement | undefined): Promise<void> {
  if (element?.type !== 'loadMore') {
    return;
  }
  const node = ctx.state.store.find(element.key);
  if (node) {
    await ctx.state.drill.load(node, element.branch, true);
  }
}

/** Retry on a branch's error row: loads that branch again, nothing else. */
export async function retryBranch(ctx: CommandContext, element: TreeElement | undefined): Promise<void> {
  if (element?.type !== 'message') {
    return;
  }
  const node = ctx.state.store.find(element.key);
  if (!node) {
    return;
  }
  if (element.branch === 'collaboration') {
    await ctx.state.drill.loadCollaboration(node);
  } else if (element.branch === 'tables') {
    const collaborationId = nodeFacts(node)?.collaborationId;
    if (collaborationId) {
      await ctx.state.schemas.load(node.request, collaborationId, { refresh: true });
    }
  } else {
    await ctx.state.drill.load(node, element.branch, true);
  }
}
