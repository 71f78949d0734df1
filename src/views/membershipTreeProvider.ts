import * as vscode from 'vscode';
import { describeConnection } from '../aws/clientFactory';
import type { BranchItems, BranchKind } from '../aws/cleanRoomsService';
import type { CleanRoomsFailure } from '../aws/errors';
import type { InvalidEntry, SettingProblem } from '../config';
import type { DrillDownStore } from '../model/drillDownStore';
import { collaborationFields, describeRecord } from './treeRows';
import { nodeFacts, nodeName, type MembershipNode, type MembershipStore } from '../model/membershipStore';
import { humanize, shortText, visibleText } from '../util/text';

/** Every kind of row in the tree. Elements are plain data; TreeItem ids keep expansion stable. */
export type TreeElement =
  | { readonly type: 'group'; readonly label: string; readonly keys: readonly string[] }
  | { readonly type: 'membership'; readonly key: string }
  | { readonly type: 'invalidEntry'; readonly entry: InvalidEntry }
  | { readonly type: 'problem'; readonly problem: SettingProblem }
  | { readonly type: 'notice'; readonly text: string }
  | { readonly type: 'branch'; readonly key: string; readonly branch: BranchName }
  | { readonly type: 'field'; readonly key: string; readonly label: string; readonly value: string }
  | { readonly type: 'record'; readonly key: string; readonly branch: BranchKind; readonly index: number }
  | { readonly type: 'loadMore'; readonly key: string; readonly branch: BranchKind }
  | { readonly type: 'message'; readonly key: string; readonly branch: BranchName; readonly text: string; readonly failure?: CleanRoomsFailure };

export type BranchName = 'collaboration' | BranchKind;

export const OPEN_COMMAND = 'cleanRooms.openMembership';

/**
 * The click command of every row that does something with its row. It carries no arguments on
 * purpose: VS Code keeps a command with arguments under a cache id that each repaint of the row
 * disposes, so a click landing while the tree repaints failed with "Actual command not found".
 * Without arguments nothing is cached; the command acts on the selected row (see rowAction).
 */
export const ACTIVATE_ROW_COMMAND = 'cleanRooms.activateRow';

/** What clicking (or pressing Enter on) a row runs, if anything. */
export function rowAction(element: TreeElement): { readonly command: string; readonly arguments: readonly unknown[] } | undefined {
  switch (element.type) {
    case 'membership':
      return { command: OPEN_COMMAND, arguments: [element] };
    case 'branch':
      return element.branch === 'collaboration' ? { command: 'cleanRooms.openDetail', arguments: [element] } : undefined;
    case 'record':
      return { command: 'cleanRooms.openDetail', arguments: [element] };
    case 'loadMore':
      return { command: 'cleanRooms.loadMore', arguments: [element] };
    case 'message':
      return element.failure ? { command: 'cleanRooms.retryBranch', arguments: [element] } : undefined;
    default:
      return undefined;
  }
}

const BRANCHES: ReadonlyArray<[BranchName, string, string]> = [
  ['collaboration', vscode.l10n.t('Collaboration'), 'organization'],
  ['members', vscode.l10n.t('Members'), 'person'],
  ['associations', vscode.l10n.t('Configured tables'), 'table'],
  ['templates', vscode.l10n.t('Analysis templates'), 'notebook-template'],
  ['queries', vscode.l10n.t('Protected queries'), 'history'],
];

/**
 * The sidebar tree. Memberships are painted at once from settings and filled in as they load;
 * each loaded membership expands into its collaboration, members, tables, templates and queries,
 * fetched only when expanded. Nothing here calls AWS directly: the stores do.
 */
export class MembershipTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: Array<{ dispose(): void }>;
  private pending: NodeJS.Timeout | undefined;
  /** Ids of rows to repaint on the next flush; 'all' after a structural change. */
  private dirty: Set<string> | 'all' = new Set();
  /**
   * Membership and branch elements keep their identity across repaints, so a change repaints
   * just those rows. A full repaint replaces every row's command, and a click landing during one
   * is lost ("command not found"); per-row repaints keep the other rows clickable.
   */
  private readonly elements = new Map<string, TreeElement>();

  constructor(
    private readonly store: MembershipStore,
    private readonly drill: DrillDownStore,
  ) {
    this.subscriptions = [
      store.onDidChange((keys) => this.markDirty(keys?.map((k) => `m|${k}`))),
      drill.onDidChange((branchKey) => this.markDirty(branchKey === undefined ? undefined : [`b|${branchKey}`])),
    ];
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

  /** The one element object for a membership or branch row. */
  private stable(element: TreeElement): TreeElement {
    const id = element.type === 'membership' ? `m|${element.key}` : element.type === 'branch' ? `b|${element.key}|${element.branch}` : undefined;
    if (id === undefined) {
      return element;
    }
    const known = this.elements.get(id);
    if (known) {
      return known;
    }
    this.elements.set(id, element);
    return element;
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (!element) {
      return this.roots();
    }
    switch (element.type) {
      case 'group':
        return element.keys.map((key) => this.stable({ type: 'membership', key }));
      case 'membership':
        return this.store.find(element.key)?.state.status === 'loaded' ? BRANCHES.map(([branch]) => this.stable({ type: 'branch', key: element.key, branch })) : [];
      case 'branch':
        return this.branchChildren(element.key, element.branch);
      default:
        return [];
    }
  }

  /** Top level: notices and setting problems, then memberships (grouped when they span connections). */
  roots(): TreeElement[] {
    const settings = this.store.currentSettings;
    if (!settings) {
      return [];
    }
    const items: TreeElement[] = [
      ...settings.notices.map((text): TreeElement => ({ type: 'notice', text })),
      ...settings.problems.map((problem): TreeElement => ({ type: 'problem', problem })),
    ];
    const nodes = new Map(this.store.all.map((n) => [n.entry.index, n]));
    const groups = new Map<string, string[]>();
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
        rows.push(this.stable({ type: 'membership', key: node.key }));
        const label = groupLabel(node);
        const keys = groups.get(label) ?? [];
        keys.push(node.key);
        groups.set(label, keys);
      }
    }
    if (groups.size > 1) {
      return [
        ...items,
        ...[...groups].map(([label, keys]): TreeElement => ({ type: 'group', label, keys })),
        ...rows.filter((r) => r.type === 'invalidEntry'),
      ];
    }
    return [...items, ...rows];
  }

  private branchChildren(key: string, branch: BranchName): TreeElement[] {
    const node = this.store.find(key);
    if (!node) {
      return [];
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
        return [{ type: 'message', key, branch, text: vscode.l10n.t('Loading…') }];
      }
      return collaborationFields(state.collaboration).map(([label, value]): TreeElement => ({ type: 'field', key, label, value }));
    }
    if (this.drill.branch(node, branch).status === 'idle') {
      void this.drill.load(node, branch);
    }
    const state = this.drill.branch(node, branch);
    const items: TreeElement[] = state.status === 'idle' ? [] : state.items.map((_, index): TreeElement => ({ type: 'record', key, branch, index }));
    if (state.status === 'loading' || state.status === 'idle') {
      items.push({ type: 'message', key, branch, text: vscode.l10n.t('Loading…') });
    } else if (state.status === 'error') {
      items.push({ type: 'message', key, branch, text: state.failure.title, failure: state.failure });
    } else if (state.status === 'loaded') {
      if (state.nextToken) {
        items.push({ type: 'loadMore', key, branch });
      } else if (state.items.length === 0) {
        items.push({ type: 'message', key, branch, text: vscode.l10n.t('None') });
      }
    }
    return items;
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    switch (element.type) {
      case 'group': {
        const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group|${element.label}`;
        item.iconPath = new vscode.ThemeIcon('account');
        item.description = `${element.keys.length}`;
        item.contextValue = 'group';
        return item;
      }
      case 'membership': {
        const node = this.store.find(element.key);
        return node ? membershipItem(node) : new vscode.TreeItem('(removed)');
      }
      case 'invalidEntry':
        return invalidEntryItem(element.entry);
      case 'problem': {
        const item = new vscode.TreeItem(`${element.problem.setting} ${element.problem.problem}`);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.tooltip = `${element.problem.setting} ${element.problem.problem}\n${element.problem.fix}`;
        item.contextValue = 'settingsProblem';
        item.command = { command: 'cleanRooms.openSettings', title: 'Open Settings' };
        return item;
      }
      case 'notice': {
        const item = new vscode.TreeItem(element.text);
        item.iconPath = new vscode.ThemeIcon('shield');
        item.tooltip = element.text;
        item.contextValue = 'notice';
        return item;
      }
      case 'branch': {
        const [, label, icon] = BRANCHES.find(([b]) => b === element.branch) ?? ['', element.branch, 'folder'];
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${element.key}|${element.branch}`;
        item.iconPath = new vscode.ThemeIcon(icon);
        item.contextValue = element.branch === 'collaboration' ? 'branchCollaboration' : 'branch';
        if (element.branch === 'collaboration') {
          item.command = { command: ACTIVATE_ROW_COMMAND, title: vscode.l10n.t('Open Collaboration') };
        }
        return item;
      }
      case 'field': {
        const item = new vscode.TreeItem(element.label);
        item.id = `${element.key}|collaboration|${element.label}`;
        item.description = shortText(element.value, 80);
        item.tooltip = visibleText(element.value).slice(0, 2000);
        item.contextValue = 'field';
        return item;
      }
      case 'record':
        return this.recordItem(element);
      case 'loadMore': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'));
        item.id = `${element.key}|${element.branch}|more`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: ACTIVATE_ROW_COMMAND, title: vscode.l10n.t('Load More') };
        item.contextValue = 'loadMore';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(shortText(element.text, 80));
        item.id = `${element.key}|${element.branch}|message`;
        if (element.failure) {
          item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
          const tooltip = new vscode.MarkdownString(undefined, false);
          tooltip.isTrusted = false;
          appendFailure(tooltip, element.failure);
          item.tooltip = tooltip;
          item.contextValue = 'branchError';
          item.command = { command: ACTIVATE_ROW_COMMAND, title: vscode.l10n.t('Retry') };
        } else {
          item.contextValue = 'message';
        }
        return item;
      }
    }
  }

  private recordItem(element: Extract<TreeElement, { type: 'record' }>): vscode.TreeItem {
    const record = this.record(element);
    const view = record ? describeRecord(element.branch, record) : { label: '(gone)', description: '' };
    const item = new vscode.TreeItem(shortText(view.label, 80));
    item.id = `${element.key}|${element.branch}|${element.index}`;
    item.description = shortText(view.description, 80);
    item.tooltip = `${visibleText(view.label).slice(0, 1000)}\n${visibleText(view.description).slice(0, 1000)}`;
    item.iconPath = new vscode.ThemeIcon(BRANCHES.find(([b]) => b === element.branch)?.[2] ?? 'circle-outline');
    item.contextValue = 'record';
    item.command = { command: ACTIVATE_ROW_COMMAND, title: vscode.l10n.t('Open Details') };
    return item;
  }

  /** The API record behind a record row. */
  record(element: Extract<TreeElement, { type: 'record' }>): BranchItems[BranchKind] | undefined {
    const node = this.store.find(element.key);
    if (!node) {
      return undefined;
    }
    const state = this.drill.branch(node, element.branch);
    return state.status === 'idle' ? undefined : state.items[element.index];
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

function groupLabel(node: MembershipNode): string {
  return `${node.request.profile ?? 'default profile'} @ ${node.request.region ?? "profile's region"}`;
}

const STATUS_ICONS = new Map<string, [string, string]>([
  ['ACTIVE', ['pass-filled', 'testing.iconPassed']],
  ['REMOVED', ['circle-slash', 'list.warningForeground']],
  ['COLLABORATION_DELETED', ['trash', 'list.errorForeground']],
]);

function membershipItem(node: MembershipNode): vscode.TreeItem {
  const item = new vscode.TreeItem(shortText(nodeName(node), 100), node.state.status === 'loaded' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = node.key;
  item.command = { command: ACTIVATE_ROW_COMMAND, title: vscode.l10n.t('Open Membership') };
  const tooltip = new vscode.MarkdownString(undefined, false);
  // Untrusted markdown: command links from another account's strings are not clickable.
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  tooltip.supportThemeIcons = false;
  const line = (label: string, value: string): void => {
    tooltip.appendMarkdown(`**${label}:** `);
    tooltip.appendText(visibleText(value).slice(0, 2000));
    tooltip.appendMarkdown('  \n');
  };
  if (node.entry.label) {
    line('Label', node.entry.label);
  }
  line('Membership ID', node.entry.id);
  const state = node.state;
  switch (state.status) {
    case 'pending':
      item.description = vscode.l10n.t('loading…');
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = 'membershipPending';
      break;
    case 'loaded': {
      const facts = nodeFacts(node) ?? {};
      const [icon, color] = STATUS_ICONS.get(facts.status ?? '') ?? ['circle-outline', 'foreground'];
      item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
      const abilities = (facts.abilities ?? []).map((a) => humanize(a).replace(/^Can /, '')).join(', ');
      item.description = shortText([facts.status ? humanize(facts.status) : undefined, abilities || undefined].filter(Boolean).join(' · '), 80);
      item.contextValue = 'membershipLoaded';
      if (facts.collaborationName) {
        line('Collaboration', facts.collaborationName);
      }
      if (facts.status) {
        line('Status', facts.status);
      }
      line('Abilities', abilities || 'none');
      if (facts.creator || facts.creatorAccount) {
        line('Creator', `${facts.creator ?? ''}${facts.creatorAccount ? ` (${facts.creatorAccount})` : ''}`);
      }
      line('Profile @ region', describeConnection(state.connection));
      break;
    }
    case 'error':
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.description = shortText(state.failure.title, 80);
      item.contextValue = 'membershipError';
      appendFailure(tooltip, state.failure);
      if (state.connection) {
        line('Profile @ region', describeConnection(state.connection));
      }
      break;
  }
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: `${shortText(nodeName(node), 100)}, ${typeof item.description === 'string' ? item.description : ''}` };
  return item;
}

function appendFailure(tooltip: vscode.MarkdownString, failure: CleanRoomsFailure): void {
  tooltip.appendMarkdown('\n---\n\n**Error:** ');
  tooltip.appendText(failure.title);
  tooltip.appendMarkdown('  \n');
  if (failure.message) {
    tooltip.appendText(visibleText(failure.message));
    tooltip.appendMarkdown('  \n');
  }
  for (const detail of failure.details ?? []) {
    tooltip.appendText(visibleText(detail));
    tooltip.appendMarkdown('  \n');
  }
  tooltip.appendMarkdown('**Next step:** ');
  tooltip.appendText(failure.nextStep);
  tooltip.appendMarkdown('  \n');
  if (failure.requestId) {
    tooltip.appendMarkdown('**Request ID:** ');
    tooltip.appendText(failure.requestId);
    tooltip.appendMarkdown('  \n');
  }
}

function invalidEntryItem(entry: InvalidEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(shortText(entry.written || '(empty)', 80));
  item.description = entry.problem;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.errorForeground'));
  item.tooltip = `Entry ${entry.index + 1} of cleanRooms.memberships is invalid.\n${entry.problem}\n${entry.fix}`;
  item.contextValue = 'invalidEntry';
  item.command = { command: 'cleanRooms.openSettings', title: 'Open Settings' };
  return item;
}
