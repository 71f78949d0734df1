import * as vscode from 'vscode';
import { describeConnection } from '../aws/clientFactory';
import { DetailPanel } from '../views/detailPanel';
import type { DrillDownStore } from '../model/drillDownStore';
import type { MembershipTreeProvider, TreeElement } from '../views/membershipTreeProvider';
import { describeRecord } from '../views/treeRows';
import { shortHash } from '../util/hash';
import type { Services } from './services';
import { safeJson } from '../util/text';

const KIND_NAMES = {
  members: 'Member',
  associations: 'Configured table association',
  templates: 'Analysis template',
  queries: 'Protected query',
} as const;

export interface DrillServices extends Services {
  readonly drill: DrillDownStore;
  readonly tree: MembershipTreeProvider;
}

/** Opens a read-only detail panel for a drill-down row (or the collaboration). */
export async function openDetail(services: DrillServices, element: TreeElement | undefined): Promise<DetailPanel | undefined> {
  if (!element || (element.type !== 'record' && !(element.type === 'branch' && element.branch === 'collaboration'))) {
    return undefined;
  }
  const node = services.store.find(element.key);
  if (!node || node.state.status !== 'loaded') {
    return undefined;
  }
  const where = describeConnection(node.state.connection);
  const extensionUri = services.panelDeps.extensionUri;
  if (element.type === 'branch') {
    if (services.drill.collaboration(node).status === 'idle') {
      await services.drill.loadCollaboration(node);
    }
    const state = services.drill.collaboration(node);
    if (state.status === 'error') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Collaboration: {0}. {1}', state.failure.title, state.failure.nextStep));
      return undefined;
    }
    if (state.status !== 'loaded') {
      return undefined;
    }
    const c = state.collaboration;
    return DetailPanel.show(extensionUri, services.panelDeps.json, {
      key: `${node.key}|collaboration`,
      kind: 'Collaboration',
      title: c.name || (c.id ?? 'Collaboration'),
      record: c,
      where,
      fetchedAt: state.fetchedAt,
      membershipKey: node.key,
    });
  }
  const record = services.tree.record(element);
  const branch = services.drill.branch(node, element.branch);
  if (!record) {
    return undefined;
  }
  return DetailPanel.show(extensionUri, services.panelDeps.json, {
    // By content, not row position: after a refresh row 0 may be another record.
    key: `${element.key}|${element.branch}|${shortHash(safeJson(record))}`,
    kind: KIND_NAMES[element.branch],
    title: describeRecord(element.branch, record).label || KIND_NAMES[element.branch],
    record,
    where,
    // When the list holding the record arrived, not when the panel opened.
    fetchedAt: branch.status === 'loaded' ? branch.fetchedAt : new Date(),
    membershipKey: node.key,
  });
}

/** "Load more…" at the end of a drill-down list. */
export async function loadMore(services: DrillServices, element: TreeElement | undefined): Promise<void> {
  if (element?.type !== 'loadMore') {
    return;
  }
  const node = services.store.find(element.key);
  if (node) {
    await services.drill.load(node, element.branch, true);
  }
}

/** Retry on a branch's error row: loads that branch again, nothing else. */
export async function retryBranch(services: DrillServices, element: TreeElement | undefined): Promise<void> {
  if (element?.type !== 'message') {
    return;
  }
  const node = services.store.find(element.key);
  if (!node) {
    return;
  }
  if (element.branch === 'collaboration') {
    await services.drill.loadCollaboration(node);
  } else {
    await services.drill.load(node, element.branch, true);
  }
}
