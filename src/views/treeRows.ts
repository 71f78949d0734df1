import type { Collaboration, ProtectedQueryStatus } from '@aws-sdk/client-cleanrooms';
import { inspect, unexpectedAt, type Conformed } from '../aws/conform';
import type { BranchItems, BranchKind } from '../aws/cleanRoomsService';
import { t } from '../util/l10n';
import { relativeTime, statusWithRaw, statusWords, wireText } from '../util/text';

/** Text of the drill-down rows, kept free of `vscode` so it is unit-tested in plain Node. */

/** A value the boundary set aside, as one line: a list's entries joined, anything else as its JSON. */
function asideText(value: unknown): string {
  const v = inspect(value);
  return v.type === 'list' ? v.value.map(wireText).join(', ') : wireText(value);
}

/** A collaboration fact for the tree: its label, its value in words, and (for enums) the raw value for the tooltip. */
export type CollaborationField = readonly [label: string, value: string, raw?: string];

export function collaborationFields(c: Conformed<Collaboration>): CollaborationField[] {
  // A value of the wrong type is shown as what arrived rather than as "Not set".
  const field = (path: keyof Collaboration, typed: string | undefined): string | undefined => {
    const aside = unexpectedAt(c, path);
    return aside !== undefined ? asideText(aside) : typed;
  };
  // Enum values in words; the raw value goes to the tooltip. A set-aside value stays as it arrived.
  const status = (path: keyof Collaboration, typed: string | undefined): [string | undefined, string | undefined] =>
    unexpectedAt(c, path) !== undefined || typed === undefined ? [field(path, typed), undefined] : [statusWords(typed), typed];
  const fields: Array<[string, string | undefined, string?]> = [
    [t('Name'), field('name', c.name)],
    [t('Description'), field('description', c.description)],
    [t('Creator'), c.creatorDisplayName ? `${c.creatorDisplayName} (${c.creatorAccountId ?? '?'})` : undefined],
    [t('Your member status'), ...status('memberStatus', c.memberStatus)],
    [t('Analytics engine'), ...status('analyticsEngine', c.analyticsEngine)],
    [t('Query logs'), ...status('queryLogStatus', c.queryLogStatus)],
    [t('Job logs'), ...status('jobLogStatus', c.jobLogStatus)],
    [t('Allowed result regions'), field('allowedResultRegions', c.allowedResultRegions?.join(', '))],
  ];
  return fields.map(([label, value, raw]): CollaborationField => (raw === undefined || value === undefined ? [label, value ?? t('Not set')] : [label, value, raw]));
}

/** A codicon and the theme color it is drawn in. */
export interface RowIcon {
  readonly id: string;
  readonly color?: string;
}

export interface RowText {
  /** The record's name: panel titles and file names use it. */
  readonly label: string;
  readonly description: string;
  /** A shorter label for the tree row, when the name is long (a query's UUID). */
  readonly rowLabel?: string;
  /** The tooltip's lines: the full values the row shortens. */
  readonly tooltip?: readonly string[];
  readonly icon?: RowIcon;
  /** What a screen reader says for the row, when label and description are not enough. */
  readonly accessibilityLabel?: string;
}

/** What a row knows beyond its record: whose membership it is under, and when "now" is. */
export interface RecordContext {
  /** The account of the membership the row is under (from its ARN): that member is "you". */
  readonly ownAccount?: string;
  readonly creatorAccount?: string;
  readonly now?: Date;
}

/** The account in a membership ARN, arn:aws:cleanrooms:<region>:<account>:membership/<id>. */
export function accountOfMembershipArn(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : /^arn:[^:]+:cleanrooms:[^:]*:(\d{12}):membership\//.exec(arn)?.[1];
}

// Maps, not object literals: the status is service data, and "__proto__" must not resolve.
const QUERY_ICONS = new Map<string, RowIcon>([
  ['SUBMITTED', { id: 'sync~spin', color: 'charts.blue' }],
  ['STARTED', { id: 'sync~spin', color: 'charts.blue' }],
  ['SUCCESS', { id: 'pass', color: 'testing.iconPassed' }],
  ['FAILED', { id: 'error', color: 'testing.iconFailed' }],
  ['CANCELLED', { id: 'circle-slash', color: 'disabledForeground' }],
  ['CANCELLING', { id: 'circle-slash', color: 'disabledForeground' }],
  ['TIMED_OUT', { id: 'watch', color: 'list.warningForeground' }],
]);

/** A protected query's icon by status; the plain history icon for a status this version does not know. */
export function queryIcon(status: string | undefined): RowIcon {
  return QUERY_ICONS.get(status ?? '') ?? { id: 'history' };
}

/** Every protected-query status this version knows, in the order a filter offers them. */
export const QUERY_STATUSES: readonly ProtectedQueryStatus[] = ['SUBMITTED', 'STARTED', 'SUCCESS', 'FAILED', 'CANCELLING', 'CANCELLED', 'TIMED_OUT'];

/** A query that can still be cancelled. */
export function isCancellableQuery(status: string | undefined): boolean {
  return status === 'SUBMITTED' || status === 'STARTED';
}

/** A query whose status will still change: its tree row is kept up to date while shown. */
export function isLiveQuery(status: string | undefined): boolean {
  return isCancellableQuery(status) || status === 'CANCELLING';
}

/** A status in words; a status this version does not know, as the service sent it. */
function queryStatusText(status: string): string {
  return QUERY_ICONS.has(status) ? statusWords(status) : wireText(status);
}

/** What the "Protected queries" branch row says about its filter: "filtered: Failed, Timed out". */
export function queryFilterText(statuses: readonly string[]): string | undefined {
  return statuses.length === 0 ? undefined : t('filtered: {0}', statuses.map(queryStatusText).join(', '));
}

/** Whether a query passes a status filter (an empty filter passes everything). */
export function matchesQueryFilter(status: string | undefined, statuses: readonly string[]): boolean {
  return statuses.length === 0 || (status !== undefined && statuses.includes(status));
}

function validDate(d: Date | undefined): Date | undefined {
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

type Describe<K extends BranchKind> = (record: BranchItems[K], context: RecordContext) => RowText;

const DESCRIBE: { readonly [K in BranchKind]: Describe<K> } = {
  members: (r, context) => {
    const you = r.accountId !== undefined && r.accountId === context.ownAccount;
    const creator = r.accountId !== undefined && r.accountId === context.creatorAccount;
    const roles = [you ? t('you') : undefined, creator ? t('creator') : undefined].filter(Boolean).join(', ');
    return {
      label: r.displayName || (r.accountId ?? ''),
      description: [roles, r.accountId, r.status && statusWords(r.status)].filter(Boolean).join(' · '),
      tooltip: [
        r.displayName ?? '',
        r.accountId ? t('Account: {0}', r.accountId) : '',
        r.status ? t('Status: {0}', statusWithRaw(r.status)) : '',
        you ? t('You: the account of this membership') : '',
        creator ? t('Created the collaboration') : '',
      ].filter(Boolean),
    };
  },
  associations: (r) => ({ label: r.name ?? '', description: (r.analysisRuleTypes ?? []).map(statusWords).join(', ') }),
  templates: (r, context) => {
    const template = r.template;
    const creator = r.creatorAccountId !== undefined && r.creatorAccountId !== context.ownAccount ? t('by {0}', r.creatorAccountId) : undefined;
    const count = template?.analysisParameters?.length;
    const parameters = count === undefined ? undefined : count === 1 ? t('1 parameter') : t('{0} parameters', count);
    const facts = [template?.format, creator, parameters, r.isSyntheticData === true ? t('synthetic data') : undefined].filter((f): f is string => Boolean(f));
    return {
      label: r.name ?? '',
      description: facts.length > 0 ? facts.join(' · ') : (r.description ?? ''),
      tooltip: [
        r.name ?? '',
        r.description ?? '',
        template?.format ? t('Format: {0}', template.format) : '',
        r.creatorAccountId ? t('Created by: {0}', r.creatorAccountId === context.ownAccount ? t('{0} (you)', r.creatorAccountId) : r.creatorAccountId) : '',
        ...(template?.analysisParameters ?? []).map((p) => t('Parameter {0}: {1}', p.name ?? '?', p.defaultValue === undefined ? (p.type ?? '?') : t('{0}, default {1}', p.type ?? '?', p.defaultValue))),
      ].filter(Boolean),
    };
  },
  queries: (r, context) => {
    const created = validDate(r.createTime);
    const id = r.id ?? '';
    const status = r.status && queryStatusText(r.status);
    const when = created && relativeTime(created, context.now ?? new Date());
    return {
      label: id,
      rowLabel: id.slice(0, 8),
      description: [status, when].filter(Boolean).join(' · '),
      accessibilityLabel: [t('Protected query {0}', id.slice(0, 8)), status, when].filter(Boolean).join(', '),
      tooltip: [
        t('Protected query {0}', id),
        r.status ? t('Status: {0}', statusWithRaw(r.status)) : '',
        created ? t('Created: {0}', created.toISOString()) : '',
      ].filter(Boolean),
      icon: queryIcon(r.status),
    };
  },
};

/** Label, description and tooltip of a drill-down row, per kind of record. */
export function describeRecord<K extends BranchKind>(branch: K, record: BranchItems[K], context: RecordContext = {}): RowText {
  // The table is keyed by branch, so this entry takes this branch's record (TypeScript cannot correlate the two).
  const describe = DESCRIBE[branch] as Describe<K>;
  return describe(record, context);
}
