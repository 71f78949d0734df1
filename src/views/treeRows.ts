import type { Collaboration } from '@aws-sdk/client-cleanrooms';
import type { BranchKind } from '../aws/cleanRoomsService';
import { t } from '../util/l10n';
import { wireText } from '../util/text';

/** Text of the drill-down rows, kept free of `vscode` so it is unit-tested in plain Node. */

export function collaborationFields(c: Collaboration): Array<[string, string]> {
  const fields: Array<[string, string | undefined]> = [
    [t('Name'), c.name],
    [t('Description'), c.description],
    [t('Creator'), typeof c.creatorDisplayName === 'string' && c.creatorDisplayName ? `${c.creatorDisplayName} (${typeof c.creatorAccountId === 'string' ? c.creatorAccountId : '?'})` : undefined],
    [t('Your member status'), c.memberStatus],
    [t('Analytics engine'), c.analyticsEngine],
    [t('Query logs'), c.queryLogStatus],
    [t('Job logs'), c.jobLogStatus],
    [t('Allowed result regions'), Array.isArray(c.allowedResultRegions) ? c.allowedResultRegions.map(wireText).join(', ') : c.allowedResultRegions],
  ];
  // Values come off the wire: anything that is not text is shown as its JSON.
  return fields.map(([label, value]) => [label, value === undefined || value === null ? t('Not set') : wireText(value)]);
}

/** Label and description of a drill-down row, per kind of record. */
export function describeRecord(branch: BranchKind, record: object): { label: string; description: string } {
  const r = record as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  switch (branch) {
    case 'members':
      return { label: str(r.displayName) || str(r.accountId), description: [str(r.accountId), str(r.status)].filter(Boolean).join(' · ') };
    case 'associations':
      return { label: str(r.name), description: Array.isArray(r.analysisRuleTypes) ? r.analysisRuleTypes.filter((a) => typeof a === 'string').join(', ') : '' };
    case 'templates':
      return { label: str(r.name), description: r.isSyntheticData === true ? t('synthetic data') : str(r.description) };
    case 'queries': {
      const created = r.createTime instanceof Date && !Number.isNaN(r.createTime.getTime()) ? r.createTime.toLocaleString() : '';
      return { label: str(r.id), description: [str(r.status), created].filter(Boolean).join(' · ') };
    }
  }
}

