import { describeRegion, type Connection } from '../aws/clientFactory';
import type { BranchItems, BranchKind } from '../aws/cleanRoomsService';
import type { CleanRoomsFailure } from '../aws/errors';
import { nodeFacts, nodeName, type MembershipNode } from '../model/membershipStore';
import type { InvalidEntry, SettingProblem } from '../settings';
import type { CatalogTable } from '../sql/catalog';
import { t } from '../util/l10n';
import { inlineCodePieces, shortText, statusWithRaw, statusWords, visibleText, withoutCodeMarks } from '../util/text';
import { ContextValues, elementId, type BranchName, type ContextValue, type ElementOf, type TreeElement } from './treeElements';
import { columnWords, ruleKindWords } from '../sql/tableText';
import { accountOfMembershipArn, describeRecord, isCancellableQuery, queryFilterText, type RecordContext } from './treeRows';

/**
 * How each row of the tree looks, as plain data: the provider turns a TreeRow into a
 * vscode.TreeItem and adds nothing. Free of `vscode`, so every row is unit-tested in plain Node.
 */

/**
 * The click command of every row that does something with its row. It carries no arguments on
 * purpose: VS Code keeps a command with arguments under a cache id that each repaint of the row
 * disposes, so a click landing while the tree repaints failed with "Actual command not found".
 * Without arguments nothing is cached; the command acts on the selected row (see rowAction).
 */
export const ACTIVATE_ROW_COMMAND = 'cleanRooms.activateRow';

const OPEN_COMMAND = 'cleanRooms.openMembership';
const OPEN_SETTINGS_ENTRY_COMMAND = 'cleanRooms.openSettingsEntry';
const REFRESH_COMMAND = 'cleanRooms.refresh';

/** What clicking (or pressing Enter on) a row runs, if anything. */
export function rowAction(element: TreeElement): { readonly command: string; readonly arguments: readonly unknown[] } | undefined {
  switch (element.type) {
    case 'membership':
      return { command: OPEN_COMMAND, arguments: [element] };
    case 'branch':
      return element.branch === 'collaboration' ? { command: 'cleanRooms.openDetail', arguments: [element] } : undefined;
    case 'record':
      return { command: element.branch === 'templates' ? 'cleanRooms.openTemplate' : 'cleanRooms.openDetail', arguments: [element] };
    case 'loadMore':
      return { command: 'cleanRooms.loadMore', arguments: [element] };
    case 'message':
      return element.failure ? { command: 'cleanRooms.retryBranch', arguments: [element] } : undefined;
    case 'table':
      return { command: 'cleanRooms.openTable', arguments: [element] };
    case 'invalidEntry':
    case 'problem':
      return { command: OPEN_SETTINGS_ENTRY_COMMAND, arguments: [element] };
    case 'group':
      // A failure shared by the whole group (an expired SSO session) is retried by loading again.
      return element.failure ? { command: REFRESH_COMMAND, arguments: [] } : undefined;
    case 'sharedFailure':
      return { command: REFRESH_COMMAND, arguments: [] };
    default:
      return undefined;
  }
}

/**
 * A piece of a markdown tooltip. `markdown` is only ever our own markup, never service data;
 * `text` is shown literally (the provider escapes it), so another account's strings cannot
 * become links or formatting.
 */
export type TooltipPart = { readonly markdown: string } | { readonly text: string } | { readonly code: string };

export type RowTooltip = { readonly kind: 'plain'; readonly text: string } | { readonly kind: 'markdown'; readonly parts: readonly TooltipPart[] };

export interface TreeRow {
  readonly label: string;
  readonly id?: string;
  readonly description?: string;
  readonly tooltip?: RowTooltip;
  /** A codicon id, and the id of the theme color it is drawn in. */
  readonly icon?: { readonly id: string; readonly color?: string };
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly contextValue?: ContextValue;
  /** Never with arguments: ACTIVATE_ROW_COMMAND for rows with a rowAction, or a command that needs no row. */
  readonly command?: { readonly command: string; readonly title: string };
  readonly accessibilityLabel?: string;
}

/** The model state a row is drawn from. */
export interface RowSource {
  node(key: string): MembershipNode | undefined;
  /** The API record behind a record row, if it is still loaded. */
  record(element: ElementOf<'record'>): BranchItems[BranchKind] | undefined;
  /** The connection-wide failure this membership shares with others (said once, elsewhere), if any. */
  sharedFailure?(key: string): CleanRoomsFailure | undefined;
  /** The time relative times are measured from; the clock when absent. */
  now?(): Date;
  /** The statuses the membership's protected queries are filtered by (none: all). */
  queryFilter?(key: string): readonly string[];
  /** A table of the membership's collaboration, if its schemas are loaded. */
  table?(key: string, name: string): CatalogTable | undefined;
}

export function treeRow(element: TreeElement, source: RowSource): TreeRow {
  switch (element.type) {
    case 'group':
      return element.failure
        ? {
            label: element.label,
            id: elementId(element),
            description: `${element.keys.length} · ${shortText(element.failure.title, 80)}`,
            icon: { id: 'error', color: 'list.errorForeground' },
            tooltip: { kind: 'markdown', parts: [{ markdown: `**${t('{0} memberships not loaded', element.keys.length)}**  \n` }, ...failureParts(element.failure)] },
            collapsible: 'expanded',
            contextValue: ContextValues.Group,
            command: activate(t('Retry')),
          }
        : {
            label: element.label,
            id: elementId(element),
            description: `${element.keys.length}`,
            icon: { id: 'account' },
            collapsible: 'expanded',
            contextValue: ContextValues.Group,
          };
    case 'sharedFailure':
      return {
        label: shortText(element.failure.title, 80),
        id: elementId(element),
        description: shortText(withoutCodeMarks(element.failure.nextStep), 200),
        icon: { id: 'error', color: 'list.errorForeground' },
        tooltip: { kind: 'markdown', parts: [{ markdown: `**${t('{0} memberships not loaded', element.keys.length)}**  \n` }, ...failureParts(element.failure)] },
        collapsible: 'none',
        contextValue: ContextValues.SharedFailure,
        command: activate(t('Retry')),
        accessibilityLabel: `${element.failure.title}. ${withoutCodeMarks(element.failure.nextStep)}`,
      };
    case 'membership': {
      const node = source.node(element.key);
      return node ? membershipRow(node, source.sharedFailure?.(element.key)) : { label: t('(removed)'), collapsible: 'none' };
    }
    case 'invalidEntry':
      return invalidEntryRow(element.entry);
    case 'problem':
      return problemRow(element.problem);
    case 'notice':
      return { label: element.text, icon: { id: 'shield' }, tooltip: plain(element.text), collapsible: 'none', contextValue: ContextValues.Notice };
    case 'branch': {
      const collaboration = element.branch === 'collaboration';
      if (element.branch === 'queries') {
        const filtered = queryFilterText(source.queryFilter?.(element.key) ?? []);
        const label = branchLabel(element.branch);
        return {
          label,
          id: elementId(element),
          ...(filtered === undefined ? {} : { description: filtered, accessibilityLabel: `${label}, ${filtered}` }),
          icon: { id: branchIcon(element.branch) },
          collapsible: 'collapsed',
          contextValue: ContextValues.BranchQueries,
        };
      }
      return {
        label: branchLabel(element.branch),
        id: elementId(element),
        icon: { id: branchIcon(element.branch) },
        collapsible: 'collapsed',
        contextValue: collaboration ? ContextValues.BranchCollaboration : ContextValues.Branch,
        command: collaboration ? activate(t('Open Collaboration')) : undefined,
      };
    }
    case 'field':
      return {
        label: element.label,
        id: elementId(element),
        description: shortText(element.value, 80),
        tooltip: plain(visibleText(element.raw === undefined ? element.value : `${element.value} (${element.raw})`).slice(0, 2000)),
        collapsible: 'none',
        contextValue: ContextValues.Field,
      };
    case 'record':
      return recordRow(element, source.record(element), recordContext(source.node(element.key), source.now?.()));
    case 'loadMore':
      return {
        label: t('Load more…'),
        id: elementId(element),
        icon: { id: 'ellipsis' },
        collapsible: 'none',
        contextValue: ContextValues.LoadMore,
        command: activate(t('Load More')),
      };
    case 'message':
      return element.failure
        ? {
            label: shortText(element.text, 80),
            id: elementId(element),
            icon: { id: 'error', color: 'list.errorForeground' },
            tooltip: { kind: 'markdown', parts: failureParts(element.failure) },
            collapsible: 'none',
            contextValue: ContextValues.BranchError,
            command: activate(t('Retry')),
          }
        : { label: shortText(element.text, 80), id: elementId(element), collapsible: 'none', contextValue: ContextValues.Message };
    case 'table':
      return tableRow(element, source.table?.(element.key, element.name));
    case 'column':
      return columnRow(element, source.table?.(element.key, element.table));
    case 'tableError':
      return {
        label: shortText(element.text, 80),
        id: elementId(element),
        description: shortText(element.detail, 80),
        icon: { id: 'warning', color: 'list.warningForeground' },
        tooltip: plain(visibleText(`${element.text}\n${element.detail}`).slice(0, 2000)),
        collapsible: 'none',
        contextValue: ContextValues.Message,
      };
  }
}

function tableRow(element: ElementOf<'table'>, table: CatalogTable | undefined): TreeRow {
  const label = shortText(element.name, 80);
  if (!table) {
    return { label, id: elementId(element), collapsible: 'none', contextValue: ContextValues.Table, command: activate(t('Open Table')) };
  }
  const notReady = table.status === 'NOT_READY';
  const kind = ruleKindWords(table);
  const description = notReady ? `${kind} · ${t('Not ready')}` : kind;
  const parts: TooltipPart[] = [{ markdown: `**${t('Table')}:** ` }, { text: visibleText(table.name).slice(0, 1000) }, { markdown: '  \n' }];
  parts.push({ markdown: `**${t('Analysis rule')}:** ` }, { text: kind }, { markdown: '  \n' });
  if (table.description) {
    parts.push({ text: visibleText(table.description).slice(0, 2000) }, { markdown: '  \n' });
  }
  if (table.creatorAccountId) {
    parts.push({ markdown: `**${t('Creator')}:** ` }, { text: table.creatorAccountId }, { markdown: '  \n' });
  }
  if (notReady) {
    parts.push({ markdown: `\n---\n\n**${t('Not ready')}:**  \n` });
    for (const reason of table.notReadyReasons.length > 0 ? table.notReadyReasons : [t('no reason given')]) {
      parts.push({ markdown: '- ' }, { text: visibleText(reason).slice(0, 1000) }, { markdown: '\n' });
    }
  }
  return {
    label,
    id: elementId(element),
    description,
    tooltip: { kind: 'markdown', parts },
    icon: notReady ? { id: 'warning', color: 'list.warningForeground' } : { id: 'table' },
    collapsible: table.columns.length > 0 ? 'collapsed' : 'none',
    contextValue: ContextValues.Table,
    command: activate(t('Open Table')),
    accessibilityLabel: `${label}, ${description}`,
  };
}

function columnRow(element: ElementOf<'column'>, table: CatalogTable | undefined): TreeRow {
  const column = table?.column(element.name);
  const description = column && table ? columnWords(column, table) : '';
  return {
    label: shortText(element.name, 80),
    id: elementId(element),
    description: shortText(description, 120),
    tooltip: plain(visibleText(`${element.name}\n${description}`).slice(0, 2000)),
    icon: { id: column?.partitionKey ? 'key' : 'symbol-field' },
    collapsible: 'none',
    contextValue: ContextValues.TableColumn,
  };
}

export function branchLabel(branch: BranchName): string {
  switch (branch) {
    case 'collaboration':
      return t('Collaboration');
    case 'members':
      return t('Members');
    case 'associations':
      return t('Configured tables');
    case 'templates':
      return t('Analysis templates');
    case 'queries':
      return t('Protected queries');
    case 'tables':
      return t('Tables');
  }
}

function branchIcon(branch: BranchName): string {
  switch (branch) {
    case 'collaboration':
      return 'organization';
    case 'members':
      return 'person';
    case 'associations':
      return 'table';
    case 'templates':
      return 'notebook-template';
    case 'queries':
      return 'history';
    case 'tables':
      return 'database';
  }
}

// A Map, not an object literal: the status is service data, and "__proto__" must not resolve.
const STATUS_ICONS = new Map<string, [string, string]>([
  ['ACTIVE', ['pass-filled', 'testing.iconPassed']],
  ['REMOVED', ['circle-slash', 'list.warningForeground']],
  ['COLLABORATION_DELETED', ['trash', 'list.errorForeground']],
]);

/** "dev @ eu-west-1 (from profile)": where the row's calls go, and where the region came from. */
function whereText(connection: Connection): string {
  return `${connection.profile ?? t('environment credentials')} @ ${describeRegion(connection)}`;
}

function membershipRow(node: MembershipNode, shared: CleanRoomsFailure | undefined): TreeRow {
  const label = shortText(nodeName(node), 100);
  const tooltip: TooltipPart[] = [];
  const line = (name: string, value: string): void => {
    tooltip.push({ markdown: `**${name}:** ` }, { text: visibleText(value).slice(0, 2000) }, { markdown: '  \n' });
  };
  if (node.entry.label) {
    line(t('Label'), node.entry.label);
  }
  line(t('Membership ID'), node.entry.id);
  const state = node.state;
  let look: Pick<TreeRow, 'icon' | 'contextValue'> & { description: string };
  switch (state.status) {
    case 'pending':
      look = { description: t('loading…'), icon: { id: 'loading~spin' }, contextValue: ContextValues.MembershipPending };
      break;
    case 'loaded': {
      const facts = nodeFacts(node) ?? {};
      const [icon, color] = STATUS_ICONS.get(facts.status ?? '') ?? ['circle-outline', 'foreground'];
      const abilities = (facts.abilities ?? []).map((a) => statusWords(a).replace(/^Can /, '')).join(', ');
      look = {
        description: shortText([facts.status ? statusWords(facts.status) : undefined, abilities || undefined].filter(Boolean).join(' · '), 80),
        icon: { id: icon, color },
        contextValue: ContextValues.MembershipLoaded,
      };
      if (facts.collaborationName) {
        line(t('Collaboration'), facts.collaborationName);
      }
      if (facts.status) {
        line(t('Status'), statusWithRaw(facts.status));
      }
      line(t('Abilities'), abilities || t('none'));
      if (facts.creator || facts.creatorAccount) {
        line(t('Creator'), `${facts.creator ?? ''}${facts.creatorAccount ? ` (${facts.creatorAccount})` : ''}`);
      }
      line(t('Profile @ region'), whereText(state.connection));
      break;
    }
    case 'error':
      // A failure shared with other rows is said once (group or notice row): this row just keeps its name.
      look =
        shared && shared.kind === state.failure.kind && shared.title === state.failure.title
          ? { description: t('not loaded'), icon: { id: 'circle-outline', color: 'disabledForeground' }, contextValue: ContextValues.MembershipError }
          : { description: shortText(state.failure.title, 80), icon: { id: 'error', color: 'list.errorForeground' }, contextValue: ContextValues.MembershipError };
      tooltip.push(...failureParts(state.failure));
      if (state.connection) {
        line(t('Profile @ region'), whereText(state.connection));
      }
      break;
  }
  return {
    label,
    id: node.key,
    ...look,
    tooltip: { kind: 'markdown', parts: tooltip },
    collapsible: state.status === 'loaded' ? 'collapsed' : 'none',
    command: activate(t('Open Membership')),
    accessibilityLabel: `${label}, ${look.description}`,
  };
}

/** Whose membership a record row is under: its own account (from the membership ARN) and the collaboration's creator. */
function recordContext(node: MembershipNode | undefined, now: Date | undefined): RecordContext {
  const facts = node ? nodeFacts(node) : undefined;
  return { ownAccount: accountOfMembershipArn(facts?.arn), creatorAccount: facts?.creatorAccount, now };
}

function recordRow(element: ElementOf<'record'>, record: BranchItems[BranchKind] | undefined, context: RecordContext): TreeRow {
  const view = record ? describeRecord(element.branch, record, context) : { label: t('(gone)'), description: '' };
  const tooltip = view.tooltip ?? [view.label, view.description];
  return {
    label: shortText(view.rowLabel ?? view.label, 80),
    id: elementId(element),
    description: shortText(view.description, 80),
    tooltip: plain(tooltip.map((l) => visibleText(l).slice(0, 1000)).join('\n')),
    icon: view.icon ?? { id: branchIcon(element.branch) },
    collapsible: 'none',
    contextValue: recordContextValue(element.branch, record),
    command: activate(t('Open Details')),
    ...(view.accessibilityLabel === undefined ? {} : { accessibilityLabel: visibleText(view.accessibilityLabel) }),
  };
}

/** Protected queries have their own menus (Copy ID; Cancel Query while running), and so do templates (Run, Open SQL). */
function recordContextValue(branch: BranchKind, record: BranchItems[BranchKind] | undefined): ContextValue {
  if (branch === 'templates' && record) {
    return ContextValues.TemplateRecord;
  }
  if (branch !== 'queries' || !record) {
    return ContextValues.Record;
  }
  return isCancellableQuery((record as BranchItems['queries']).status) ? ContextValues.QueryRecordRunning : ContextValues.QueryRecord;
}

function invalidEntryRow(entry: InvalidEntry): TreeRow {
  return {
    label: shortText(entry.written || t('(empty)'), 80),
    description: entry.problem,
    icon: { id: 'warning', color: 'list.errorForeground' },
    tooltip: plain(`${t('Entry {0} of cleanRooms.memberships is invalid.', entry.index + 1)}\n${entry.problem}\n${entry.fix}`),
    collapsible: 'none',
    contextValue: ContextValues.InvalidEntry,
    command: activate(t('Open Settings')),
  };
}

function problemRow(problem: SettingProblem): TreeRow {
  return {
    label: `${problem.setting} ${problem.problem}`,
    icon: { id: 'warning', color: 'list.warningForeground' },
    tooltip: plain(`${problem.setting} ${problem.problem}\n${problem.fix}`),
    collapsible: 'none',
    contextValue: ContextValues.SettingsProblem,
    command: activate(t('Open Settings')),
  };
}

function failureParts(failure: CleanRoomsFailure): TooltipPart[] {
  const parts: TooltipPart[] = [{ markdown: `\n---\n\n**${t('Error')}:** ` }, { text: failure.title }, { markdown: '  \n' }];
  if (failure.message) {
    parts.push({ text: visibleText(failure.message) }, { markdown: '  \n' });
  }
  for (const detail of failure.details ?? []) {
    parts.push({ text: visibleText(detail) }, { markdown: '  \n' });
  }
  // Our own words: commands in backticks show as code.
  parts.push({ markdown: `**${t('Next step')}:** ` }, ...inlineCodePieces(failure.nextStep), { markdown: '  \n' });
  if (failure.requestId) {
    parts.push({ markdown: `**${t('Request ID')}:** ` }, { text: failure.requestId }, { markdown: '  \n' });
  }
  return parts;
}

function activate(title: string): TreeRow['command'] {
  return { command: ACTIVATE_ROW_COMMAND, title };
}

function plain(text: string): RowTooltip {
  return { kind: 'plain', text };
}
