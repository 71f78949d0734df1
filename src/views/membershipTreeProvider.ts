import * as vscode from 'vscode';
import { describeConnection } from '../aws/clientFactory';
import type { CleanRoomsFailure } from '../aws/errors';
import type { InvalidEntry, SettingProblem } from '../config';
import { humanize, shortText, visibleText } from './membershipView';
import { nodeFacts, nodeName, type MembershipNode, type MembershipStore } from './membershipStore';

/** What the tree shows at its top level. */
export type TreeElement =
  | { readonly type: 'membership'; readonly key: string }
  | { readonly type: 'invalidEntry'; readonly entry: InvalidEntry }
  | { readonly type: 'problem'; readonly problem: SettingProblem }
  | { readonly type: 'notice'; readonly text: string };

export const OPEN_COMMAND = 'cleanRooms.openMembership';

/**
 * The sidebar tree. Items come from the store, which paints configured memberships at once from
 * settings and fills in names, status and abilities as they load. Nothing here calls AWS.
 */
export class MembershipTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly store: MembershipStore) {
    // Many memberships settle within milliseconds of each other: repaint once per burst.
    this.subscription = store.onDidChange(() => {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.changed.fire(undefined);
      }, 16);
    });
  }

  getChildren(element?: TreeElement): TreeElement[] {
    if (element) {
      return [];
    }
    const settings = this.store.currentSettings;
    if (!settings) {
      return [];
    }
    const items: TreeElement[] = [
      ...settings.notices.map((text): TreeElement => ({ type: 'notice', text })),
      ...settings.problems.map((problem): TreeElement => ({ type: 'problem', problem })),
    ];
    const nodes = new Map(this.store.all.map((n) => [n.entry.index, n]));
    // Config order, with invalid entries in their place so the user can find them.
    for (const entry of settings.entries) {
      if (entry.kind === 'invalid') {
        items.push({ type: 'invalidEntry', entry });
      } else {
        const node = nodes.get(entry.index);
        if (node) {
          items.push({ type: 'membership', key: node.key });
        }
      }
    }
    return items;
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    switch (element.type) {
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
    }
  }

  getParent(): undefined {
    return undefined;
  }

  /** For reveal/tests: the element for a node key. */
  elementFor(key: string): TreeElement {
    return { type: 'membership', key };
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

const STATUS_ICONS: Record<string, [string, string]> = {
  ACTIVE: ['pass-filled', 'testing.iconPassed'],
  REMOVED: ['circle-slash', 'list.warningForeground'],
  COLLABORATION_DELETED: ['trash', 'list.errorForeground'],
};

function membershipItem(node: MembershipNode): vscode.TreeItem {
  const item = new vscode.TreeItem(shortText(nodeName(node), 100), vscode.TreeItemCollapsibleState.None);
  item.id = node.key;
  item.command = { command: OPEN_COMMAND, title: 'Open Membership', arguments: [node.key] };
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
      item.description = 'loading…';
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = 'membershipPending';
      break;
    case 'loaded': {
      const facts = nodeFacts(node) ?? {};
      const [icon, color] = STATUS_ICONS[facts.status ?? ''] ?? ['circle-outline', 'foreground'];
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
