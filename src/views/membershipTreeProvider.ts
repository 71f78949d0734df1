import * as vscode from 'vscode';
import type { CleanRoomsSettings } from '../settings';
import type { BranchItems, BranchKind } from '../aws/cleanRoomsService';
import { describeRegion } from '../aws/clientFactory';
import type { CleanRoomsFailure } from '../aws/errors';
import { collaborationDeleted, type DrillDownStore } from '../model/drillDownStore';
import type { MembershipNode, MembershipStore } from '../model/membershipStore';
import type { QueryTracker, QueryWatch, TrackedQuery } from '../model/queryTracker';
import type { SchemaStore } from '../model/schemaStore';
import { nodeFacts } from '../model/membershipStore';
import type { CatalogTable } from '../sql/catalog';
import { conformProtectedQuerySummary } from '../aws/conform';
import { t } from '../util/l10n';
import { BRANCH_NAMES, connectionOf, elementId, sharedFailureOf, type BranchName, type ElementOf, type TreeElement } from './treeElements';
import { treeRow, type RowSource, type TreeRow } from './treeItems';
import { collaborationFields, isLiveQuery, matchesQueryFilter } from './treeRows';
import { appendLiteral } from './literalMarkdown';

interface Layout {
  readonly items: TreeElement[];
  readonly rows: TreeElement[];
  readonly groups: Map<string, Group>;
}

/**
 * The sidebar tree. Memberships are painted at once from settings and filled in as they load;
 * each loaded membership expands into its collaboration, members, tables, templates and queries,
 * fetched only when expanded. Nothing here calls AWS directly: the stores do. How a row looks is
 * treeItems.ts's job; this class decides which rows exist, where, and when they repaint.
 */
export class MembershipTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: Array<{ dispose(): void }>;
  private pending: NodeJS.Timeout | undefined;
  /** Ids (see elementId) of rows to repaint on the next flush; 'all' after a structural change. */
  private dirty: Set<string> | 'all' = new Set();
  /**
   * Membership and branch elements keep their identity across repaints, so a change repaints
   * just those rows. A full repaint replaces every row's command, and a click landing during one
   * is lost ("command not found"); per-row repaints keep the other rows clickable.
   */
  private readonly elements = new Map<string, TreeElement>();
  private readonly source: RowSource = {
    node: (key) => this.store.find(key),
    record: (element) => this.record(element),
    sharedFailure: (key) => this.sharedFailure(key),
    queryFilter: (key) => this.drill.queryFilter(key),
    table: (key, name) => this.table(key, name),
  };
  /**
   * Running protected queries whose rows are on screen, by their branch's id, then query ID:
   * each watch keeps the tracker polling that query. Dropped when the branch collapses, the view
   * hides, or the list reloads without the query (or it ended).
   */
  private readonly watches = new Map<string, Map<string, QueryWatch>>();
  /** Ids of "Protected queries" branches listed since they last collapsed (see followView). */
  private readonly expandedQueries = new Set<string>();
  private laidOut: { settings: CleanRoomsSettings | undefined; nodes: readonly MembershipNode[]; layout: Layout | undefined; failures: Map<string, CleanRoomsFailure | undefined> } | undefined;
  /** The top-level shape last painted (group labels, shared failures): when it changes, everything repaints. */
  private shape = '';

  constructor(
    private readonly store: MembershipStore,
    private readonly drill: DrillDownStore,
    /** Where protected-query rows learn of status changes; without it they show what was listed. */
    private readonly queries?: QueryTracker,
    /** The collaborations' tables (the Tables branch); without it the branch says so. */
    private readonly schemas?: SchemaStore,
  ) {
    this.subscriptions = [
      // The store fires membership keys and the drill-down store "<key>|<branch>": both are the rows' ids.
      store.onDidChange((keys) => this.markDirty(keys === undefined || this.shapeChanged() ? undefined : keys)),
      drill.onDidChange((branchKey) => {
        if (branchKey === undefined) {
          // Every list is gone (refresh, new settings): their watches go with them.
          this.unwatchAll();
        }
        this.markDirty(branchKey === undefined ? undefined : [branchKey]);
      }),
      ...(queries ? [queries.onDidChange((query) => this.queryChanged(query))] : []),
      // A schema key is a connection and collaboration: every membership of that collaboration repaints its Tables.
      ...(schemas ? [schemas.onDidChange((schemaKey) => this.markDirty(schemaKey === '' ? undefined : this.tablesBranchesOf(schemaKey)))] : []),
    ];
  }

  /**
   * Watches running queries only while their rows can be seen: a collapsed branch (or membership,
   * or group) and a hidden view stop the polling; showing the view again lists the branches that
   * were open, which watches them again.
   */
  followView(view: vscode.TreeView<TreeElement>): vscode.Disposable {
    const collapsed = view.onDidCollapseElement(({ element }) => {
      const keys = element.type === 'group' ? element.keys : element.type === 'membership' || (element.type === 'branch' && element.branch === 'queries') ? [element.key] : [];
      for (const key of keys) {
        const id = `${key}|queries`;
        this.expandedQueries.delete(id);
        this.unwatch(id);
      }
    });
    const visibility = view.onDidChangeVisibility(({ visible }) => {
      if (!visible) {
        this.unwatchAll();
      } else if (this.expandedQueries.size > 0) {
        this.markDirty([...this.expandedQueries]);
      }
    });
    return vscode.Disposable.from(collapsed, visibility);
  }

  /** A protected query changed (a poll, a start, a cancel): its row follows, or it joins the list. */
  private queryChanged(query: TrackedQuery): void {
    const summary = conformProtectedQuerySummary({ id: query.id, membershipId: query.membershipId, membershipArn: query.membershipArn, createTime: query.createTime, status: query.status });
    if (!summary || !query.membershipId) {
      return;
    }
    for (const node of this.store.all.filter((n) => n.entry.id === query.membershipId)) {
      const outcome = this.drill.updateQuery(node, summary);
      if (outcome !== 'updated') {
        // Inserted: the store fired the branch, which lists (and watches) it.
        continue;
      }
      const branchId = `${node.key}|queries`;
      const state = this.drill.branch(node, 'queries');
      const index = state.status === 'idle' ? -1 : state.items.findIndex((q) => q.id === query.id);
      const filter = this.drill.queryFilter(node.key);
      if (filter.length > 0) {
        // The row may enter or leave the filtered list: list the branch again.
        this.markDirty([branchId]);
      } else if (index !== -1) {
        // Only this row repaints: the others stay clickable (see `elements`).
        this.markDirty([elementId({ type: 'record', key: node.key, branch: 'queries', index })]);
      }
      if (!isLiveQuery(query.status)) {
        this.watches.get(branchId)?.get(query.id ?? '')?.dispose();
        this.watches.get(branchId)?.delete(query.id ?? '');
      }
    }
  }

  /** Keeps one watch per running query listed under `node`, and none for the others. */
  private syncWatches(node: MembershipNode, items: readonly BranchItems['queries'][]): void {
    if (!this.queries) {
      return;
    }
    const branchId = `${node.key}|queries`;
    const live = new Set(items.filter((q) => q.id && isLiveQuery(q.status)).map((q) => q.id as string));
    const watching = this.watches.get(branchId) ?? new Map<string, QueryWatch>();
    for (const [id, watch] of watching) {
      if (!live.has(id)) {
        watch.dispose();
        watching.delete(id);
      }
    }
    for (const queryId of live) {
      if (!watching.has(queryId)) {
        watching.set(queryId, this.queries.watch({ membershipKey: node.key, request: node.request, membershipId: node.entry.id, queryId }));
      }
    }
    if (watching.size > 0) {
      this.watches.set(branchId, watching);
    } else {
      this.watches.delete(branchId);
    }
  }

  private unwatch(branchId: string): void {
    this.watches.get(branchId)?.forEach((w) => w.dispose());
    this.watches.delete(branchId);
  }

  private unwatchAll(): void {
    [...this.watches.keys()].forEach((id) => this.unwatch(id));
  }

  /** How many running queries the tree keeps polling (tests read it). */
  get watchedQueries(): number {
    return [...this.watches.values()].reduce((n, m) => n + m.size, 0);
  }

  private markDirty(ids: readonly string[] | undefined): void {
    if (ids === undefined || this.dirty === 'all') {
      this.dirty = 'all';
    } else {
      ids.forEach((id) => (this.dirty as Set<string>).add(id));
    }
    // Many memberships settle within milliseconds of each other: repaint once per burst.
    this.pending ??= setTimeout(() => this.flush(), 16);
  }

  private flush(): void {
    this.pending = undefined;
    const dirty = this.dirty;
    this.dirty = new Set();
    if (dirty === 'all') {
      this.elements.clear();
      this.changed.fire(undefined);
      return;
    }
    const elements = [...dirty].map((id) => this.elements.get(id)).filter((e): e is TreeElement => e !== undefined);
    if (elements.length > 0) {
      this.changed.fire(elements);
    }
  }

  /** The one element object for a membership, branch or protected-query row. */
  private stable(element: ElementOf<'membership' | 'branch' | 'record'>): TreeElement {
    const id = elementId(element);
    const known = this.elements.get(id);
    if (known) {
      return known;
    }
    this.elements.set(id, element);
    return element;
  }

  private membership(key: string): TreeElement {
    return this.stable({ type: 'membership', key });
  }

  private branch(key: string, branch: BranchName): TreeElement {
    return this.stable({ type: 'branch', key, branch });
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (!element) {
      return this.roots();
    }
    switch (element.type) {
      case 'group':
        return element.keys.map((key) => this.membership(key));
      case 'membership':
        return this.store.find(element.key)?.state.status === 'loaded' ? BRANCH_NAMES.map((branch) => this.branch(element.key, branch)) : [];
      case 'branch':
        return element.branch === 'tables' ? this.tableChildren(element.key) : this.branchChildren(element.key, element.branch);
      case 'table':
        return (this.table(element.key, element.name)?.columns ?? []).map((c): TreeElement => ({ type: 'column', key: element.key, table: element.name, name: c.name }));
      default:
        return [];
    }
  }

  /** The ids of the Tables branches showing the collaboration of `schemaKey` (see SchemaStore.key). */
  private tablesBranchesOf(schemaKey: string): string[] {
    const schemas = this.schemas;
    if (!schemas) {
      return [];
    }
    return this.store.all.flatMap((node) => {
      const collaborationId = nodeFacts(node)?.collaborationId;
      return collaborationId && schemas.key(node.request, collaborationId) === schemaKey ? [`${node.key}|tables`] : [];
    });
  }

  /** A table of the membership's collaboration, if its schemas are loaded (never fetches). */
  private table(key: string, name: string): CatalogTable | undefined {
    const node = this.store.find(key);
    const collaborationId = node && nodeFacts(node)?.collaborationId;
    const state = node && collaborationId ? this.schemas?.get(node.request, collaborationId) : undefined;
    return state?.status === 'loaded' ? state.schemas.catalog.table(name, true) : undefined;
  }

  /** The Tables branch: loads the collaboration's schemas on first expand (not awaited: see branchChildren). */
  private tableChildren(key: string): TreeElement[] {
    const branch = 'tables';
    const node = this.store.find(key);
    if (!node || !this.schemas) {
      return [];
    }
    if (collaborationDeleted(node)) {
      return [{ type: 'message', key, branch, text: t('The collaboration was deleted') }];
    }
    const collaborationId = nodeFacts(node)?.collaborationId;
    if (!collaborationId) {
      return [{ type: 'message', key, branch, text: t('None') }];
    }
    if (this.schemas.get(node.request, collaborationId) === undefined) {
      void this.schemas.load(node.request, collaborationId);
    }
    const state = this.schemas.get(node.request, collaborationId);
    if (state === undefined || state.status === 'loading') {
      return [{ type: 'message', key, branch, text: t('Loading…') }];
    }
    if (state.status === 'error') {
      return [{ type: 'message', key, branch, text: state.failure.title, failure: state.failure }];
    }
    const { catalog, errors } = state.schemas;
    const rows: TreeElement[] = catalog.tables.map((table): TreeElement => ({ type: 'table', key, name: table.name }));
    errors.forEach((e, index) => {
      const what = e.ruleType ? t('{0}: {1} rule not loaded', e.name, e.ruleType) : t('{0}: not loaded', e.name);
      rows.push({ type: 'tableError', key, index, text: what, detail: [e.code, e.message].filter(Boolean).join(': ') });
    });
    if (rows.length === 0) {
      rows.push({ type: 'message', key, branch, text: t('None') });
    }
    return rows;
  }

  /**
   * The row a row sits under, so `TreeView.reveal` can expand the way to any row. Rows need not be
   * the objects getChildren returned: VS Code matches them to its rows by TreeItem id.
   */
  getParent(element: TreeElement): TreeElement | undefined {
    switch (element.type) {
      case 'membership':
        return this.groupOf(element.key);
      case 'branch':
        return this.membership(element.key);
      case 'field':
        return this.branch(element.key, 'collaboration');
      case 'record':
      case 'loadMore':
      case 'message':
        return this.branch(element.key, element.branch);
      case 'table':
      case 'tableError':
        return this.branch(element.key, 'tables');
      case 'column':
        return { type: 'table', key: element.key, name: element.table };
      case 'group':
      case 'sharedFailure':
      case 'invalidEntry':
      case 'problem':
      case 'notice':
        return undefined;
    }
  }

  /**
   * Top level: notices and setting problems, then memberships (grouped when they span
   * connections). A connection-wide failure shared by several memberships is said once: on their
   * group, or when there are no groups in one row above them.
   */
  roots(): TreeElement[] {
    const layout = this.layout();
    this.shape = shapeOf(layout);
    if (!layout) {
      return [];
    }
    const { items, rows, groups } = layout;
    if (groups.size > 1) {
      return [...items, ...[...groups.values()].map(groupElement), ...rows.filter((r) => r.type === 'invalidEntry')];
    }
    const [only] = groups.values();
    const failure = only ? sharedFailureOf(only.nodes) : undefined;
    const notice: TreeElement[] = only && failure ? [{ type: 'sharedFailure', keys: only.nodes.map((n) => n.key), failure }] : [];
    return [...items, ...notice, ...rows];
  }

  /** Whether group labels or shared failures differ from what was painted (a region resolved, a session expired). */
  private shapeChanged(): boolean {
    return shapeOf(this.layout()) !== this.shape;
  }

  /** The connection-wide failure a membership shares with the others of its connection, if any. */
  private sharedFailure(key: string): CleanRoomsFailure | undefined {
    const node = this.store.find(key);
    const group = node ? this.layout()?.groups.get(connectionOf(node)) : undefined;
    return group ? this.groupFailure(group) : undefined;
  }

  private groupOf(key: string): TreeElement | undefined {
    const groups = this.layout()?.groups;
    if (!groups || groups.size <= 1) {
      return undefined;
    }
    for (const group of groups.values()) {
      if (group.nodes.some((n) => n.key === key)) {
        return groupElement(group);
      }
    }
    return undefined;
  }

  /** The top-level rows in config order, and the memberships by connection. */
  /**
   * The layout of the store's current nodes and settings. Rows ask for their group's shared failure
   * one by one, so it is built once per change of the store (which replaces its node list on
   * every change), not once per row: that was quadratic on the 1,000-row first paint.
   */
  private layout(): Layout | undefined {
    const settings = this.store.currentSettings;
    const nodes = this.store.all;
    const known = this.laidOut;
    if (known && known.settings === settings && known.nodes === nodes) {
      return known.layout;
    }
    const layout = settings && this.buildLayout(settings);
    this.laidOut = { settings, nodes, layout, failures: new Map() };
    return layout;
  }

  private groupFailure(group: Group): CleanRoomsFailure | undefined {
    const memo = this.laidOut?.failures;
    if (!memo) {
      return sharedFailureOf(group.nodes);
    }
    if (!memo.has(group.connection)) {
      memo.set(group.connection, sharedFailureOf(group.nodes));
    }
    return memo.get(group.connection);
  }

  private buildLayout(settings: CleanRoomsSettings): Layout {
    const items: TreeElement[] = [
      ...settings.notices.map((text): TreeElement => ({ type: 'notice', text })),
      ...settings.problems.map((problem): TreeElement => ({ type: 'problem', problem })),
    ];
    const nodes = new Map(this.store.all.map((n) => [n.entry.index, n]));
    const groups = new Map<string, Group>();
    const shown = new Set<string>();
    const rows: TreeElement[] = [];
    // Config order, with invalid entries in their place so the user can find them.
    for (const entry of settings.entries) {
      if (entry.kind === 'invalid') {
        rows.push({ type: 'invalidEntry', entry });
        continue;
      }
      const node = nodes.get(entry.index);
      // A key shown twice would make VS Code drop the whole view ("already registered").
      if (node && !shown.has(node.key)) {
        shown.add(node.key);
        rows.push(this.membership(node.key));
        const connection = connectionOf(node);
        const group = groups.get(connection) ?? { connection, nodes: [] };
        group.nodes.push(node);
        groups.set(connection, group);
      }
    }
    return { items, rows, groups };
  }

  private branchChildren(key: string, branch: Exclude<BranchName, 'tables'>): TreeElement[] {
    const node = this.store.find(key);
    if (!node) {
      return [];
    }
    if (collaborationDeleted(node)) {
      // Every list of a deleted collaboration answers "not found": say why instead, and ask nothing.
      return [{ type: 'message', key, branch, text: t('The collaboration was deleted') }];
    }
    // Loads start here but are not awaited: the row shows "Loading…" and the store's change
    // event repaints the branch. Awaiting would overlap this call with that repaint's own
    // getChildren, and VS Code can then keep the older, emptier answer.
    if (branch === 'collaboration') {
      if (this.drill.collaboration(node).status === 'idle') {
        void this.drill.loadCollaboration(node);
      }
      const state = this.drill.collaboration(node);
      if (state.status === 'error') {
        return [{ type: 'message', key, branch, text: state.failure.title, failure: state.failure }];
      }
      if (state.status !== 'loaded') {
        return [{ type: 'message', key, branch, text: t('Loading…') }];
      }
      return collaborationFields(state.collaboration).map(([label, value, raw]): TreeElement => ({ type: 'field', key, label, value, raw }));
    }
    if (this.drill.branch(node, branch).status === 'idle') {
      void this.drill.load(node, branch);
    }
    const state = this.drill.branch(node, branch);
    let items: TreeElement[];
    let filteredOut = false;
    if (branch === 'queries') {
      const listed = state.status === 'idle' ? [] : (state.items as readonly BranchItems['queries'][]);
      this.expandedQueries.add(`${key}|queries`);
      this.syncWatches(node, listed);
      const filter = this.drill.queryFilter(key);
      // Stable elements: a status change repaints just that row (see queryChanged).
      items = listed.flatMap((q, index) => (matchesQueryFilter(q.status, filter) ? [this.stable({ type: 'record', key, branch, index })] : []));
      filteredOut = items.length < listed.length;
    } else {
      items = state.status === 'idle' ? [] : state.items.map((_, index): TreeElement => ({ type: 'record', key, branch, index }));
    }
    if (state.status === 'loading' || state.status === 'idle') {
      items.push({ type: 'message', key, branch, text: t('Loading…') });
    } else if (state.status === 'error') {
      items.push({ type: 'message', key, branch, text: state.failure.title, failure: state.failure });
    } else if (state.status === 'loaded') {
      if (state.nextToken) {
        items.push({ type: 'loadMore', key, branch });
      } else if (items.length === 0) {
        const filtered = branch === 'queries' && (filteredOut || this.drill.queryFilter(key).length > 0);
        items.push({ type: 'message', key, branch, text: filtered ? t('No queries with the filtered statuses') : t('None') });
      }
    }
    return items;
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    return toTreeItem(treeRow(element, this.source));
  }

  /** The API record behind a record row. */
  record(element: ElementOf<'record'>): BranchItems[BranchKind] | undefined {
    const node = this.store.find(element.key);
    if (!node) {
      return undefined;
    }
    const state = this.drill.branch(node, element.branch);
    return state.status === 'idle' ? undefined : state.items[element.index];
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.unwatchAll();
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

interface Group {
  /** The requested profile and region (connectionOf): the group's id. */
  readonly connection: string;
  readonly nodes: MembershipNode[];
}

function groupElement(group: Group): ElementOf<'group'> {
  return { type: 'group', connection: group.connection, label: groupLabel(group.nodes), keys: group.nodes.map((n) => n.key), failure: sharedFailureOf(group.nodes) };
}

/** "prod @ us-east-1 (from profile)": the region once any membership of the group has resolved it. */
function groupLabel(nodes: readonly MembershipNode[]): string {
  const [first] = nodes;
  const resolved = nodes.map((n) => (n.state.status === 'pending' ? undefined : n.state.connection)).find((c) => c !== undefined);
  return `${first?.request.profile ?? t('default profile')} @ ${first?.request.region ?? describeRegion(resolved)}`;
}

/** What decides the top-level rows beyond the settings: group labels and shared failures. */
function shapeOf(layout: { groups: Map<string, Group> } | undefined): string {
  const groups = [...(layout?.groups.values() ?? [])];
  // A single group is not drawn: its label does not matter.
  return JSON.stringify(groups.map((g) => [g.connection, groups.length > 1 ? groupLabel(g.nodes) : '', sharedFailureOf(g.nodes)?.title]));
}

const COLLAPSIBLE: Record<TreeRow['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

function toTreeItem(row: TreeRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, COLLAPSIBLE[row.collapsible]);
  if (row.id !== undefined) {
    item.id = row.id;
  }
  if (row.description !== undefined) {
    item.description = row.description;
  }
  if (row.icon) {
    item.iconPath = new vscode.ThemeIcon(row.icon.id, row.icon.color === undefined ? undefined : new vscode.ThemeColor(row.icon.color));
  }
  if (row.tooltip?.kind === 'plain') {
    item.tooltip = row.tooltip.text;
  } else if (row.tooltip?.kind === 'markdown') {
    // Untrusted markdown: command links from another account's strings are not clickable.
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    for (const part of row.tooltip.parts) {
      if ('markdown' in part) {
        tooltip.appendMarkdown(part.markdown);
      } else if ('code' in part) {
        // Inline code shows its content literally; only a backtick could end it early.
        tooltip.appendMarkdown(`\`${part.code.replace(/[`\r\n]/g, ' ')}\``);
      } else {
        appendLiteral(tooltip, part.text);
      }
    }
    item.tooltip = tooltip;
  }
  item.contextValue = row.contextValue;
  item.command = row.command;
  if (row.accessibilityLabel !== undefined) {
    item.accessibilityInformation = { label: row.accessibilityLabel };
  }
  return item;
}
