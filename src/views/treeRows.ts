import type { Collaboration } from '@aws-sdk/client-cleanrooms';
import { inspect, unexpectedAt, type Conformed } from '../aws/conform';
import type { BranchItems, BranchKind } from '../aws/cleanRoomsService';
import { t } from '../util/l10n';
import { wireText } from '../util/text';

/** Text of the drill-down rows, kept free of `vscode` so it is unit-tested in plain Node. */

/** A value the boundary set aside, as one line: a list's entries joined, anything else as its JSON. */
function asideText(value: unknown): string {
  const v = inspect(value);
  return v.type === 'list' ? v.value.map(wireText).join(', ') : wireText(value);
}

export function collaborationFields(c: Conformed<Collaboration>): Array<[string, string]> {
  // A value of the wrong type is shown as what arrived rather than as "Not set".
  const field = (path: keyof Collaboration, typed: string | undefined): string | undefined => {
    const aside = unexpectedAt(c, path);
    return aside !== undefined ? asideText(aside) : typed;
  };
  const fields: Array<[string, string | undefined]> = [
    [t('Name'), field('name', c.name)],
    [t('Description'), field('description', c.description)],
    [t('Creator'), c.creatorDisplayName ? `${c.creatorDisplayName} (${c.creatorAccountId ?? '?'})` : undefined],
    [t('Your member status'), field('memberStatus', c.memberStatus)],
    [t('Analytics engine'), field('analyticsEngine', c.analyticsEngine)],
    [t('Query logs'), field('queryLogStatus', c.queryLogStatus)],
    [t('Job logs'), field('jobLogStatus', c.jobLogStatus)],
    [t('Allowed result regions'), field('allowedResultRegions', c.allowedResultRegions?.join(', '))],
  ];
  return fields.map(([label, value]) => [label, value ?? t('Not set')]);
}

interface RowText {
  readonly label: string;
  readonly description: string;
}

const DESCRIBE: { readonly [K in BranchKind]: (record: BranchItems[K]) => RowText } = {
  members: (r) => ({ label: r.displayName || (r.accountId ?? ''), description: [r.accountId, r.status].filter(Boolean).join(' · ') }),
  associations: (r) => ({ label: r.name ?? '', description: (r.analysisRuleTypes ?? []).join(', ') }),
  templates: (r) => ({ label: r.name ?? '', description: r.isSyntheticData === true ? t('synthetic data') : (r.description ?? '') }),
  queries: (r) => {
    const created = r.createTime && !Number.isNaN(r.createTime.getTime()) ? r.createTime.toLocaleString() : '';
    return { label: r.id ?? '', description: [r.status, created].filter(Boolean).join(' · ') };
  },
};

/** Label and description of a drill-down row, per kind of record. */
export function describeRecord<K extends BranchKind>(branch: K, record: BranchItems[K]): RowText {
  // The table is keyed by branch, so this entry takes this branch's record (TypeScript cannot correlate the two).
  const describe = DESCRIBE[branch] as (record: BranchItems[K]) => RowText;
  return describe(record);
}
