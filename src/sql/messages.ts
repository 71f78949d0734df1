import type { CatalogTable } from './catalog';
import { t } from '../util/l10n';

/** "aggregation rule", "list rule", ...: how a finding names the rule it cites. */
export function ruleWords(table: CatalogTable): string {
  switch (table.kind) {
    case 'AGGREGATION':
      return t('aggregation rule');
    case 'LIST':
      return t('list rule');
    case 'CUSTOM':
      return t('custom rule');
    case 'ID_MAPPING_TABLE':
      return t('ID mapping table');
    default:
      return t('no analysis rule');
  }
}

/** `ad_impressions (aggregation rule): <message>`: every finding cites its table and rule. */
export function about(table: CatalogTable, message: string): string {
  return `${table.name} (${ruleWords(table)}): ${message}`;
}
