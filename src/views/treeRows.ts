import type { Collaboration } from '@aws-sdk/client-cleanrooms';
import type { BranchKind } from '../aws/cleanRoomsService';
import { t } from '../util/l10n';

/** Text of the drill-down rows, kept free of `vscode` so it is unit-tested in plain Node. */

export function collaborationFields(c: Collaboration): Array<[string, string]> {
  const fields: Array<[string, string | undefined]> = [
    [t('Name'), c.name],
    [t('Description'), c.description],
    [t('Creator'), c.creatorDisplayName && `${c.creatorDisplayName} (${c.creatorAccountId ?? '?'})`],
    [t('Your member status'), c.memberStatus],
    [t('Analytics engine'), c.analyticsEngine],
    [t('Query logs'), c.queryLogStatus],
    [t('Job logs'), c.jobLogStatus],
    [t('Allowed result regions'), Array.isArray(c.allowedResultRegions) ? c.allowedResultRegions.join(', ') : c.allowedResultRegions],
  ];
  // Values come off the wire: anything that is not text is shown as its JSON.
  return fields.map(([label, value]) => [label, value === undefined || value === null ? t('Not set') : typeof value === 'string' ? value : JSON.stringify(value)]);
}

/** Label and description of a drill-down row, per kind of record. */
export function describeRecord(branch: BranchKind, record: object): { label: string; description: string } {
  const r = record as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  switch (branch) {
    case 'members':
      return { label: str(r.displayName) || str(r.accountId), description: [str(r.accountId), str(r.status)].filter(Boolean).join(' · ') };
    case 'associations':
      return { label: str(r.name), description: Array.isArray(r.analysisRuleTypes) ? r.analysisRuleTypes.join(', ') : '' };
    case 'templates':
      return { label: str(r.name), description: r.isSyntheticData ? t('synthetic data') : str(r.description) };
    case 'queries': {
      const created = r.createTime instanceof Date ? r.createTime.toLocaleString() : '';
      return { label: str(r.id), description: [str(r.status), created].filter(Boolean).join(' · ') };
    }
  }
}

// A Map, not an object literal: the status is service data, and "__proto__" must not resolve.
