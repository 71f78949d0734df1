import type { CatalogTable } from './catalog';
import { t } from '../util/l10n';
import { shortText } from '../util/text';

/** The longest name a message shows; names come from other accounts (and the document). */
const MAX_NAME = 100;

/**
 * A table, column or template name as a message shows it: one line, invisible and
 * direction-changing characters made visible, at most MAX_NAME characters. Messages reach the
 * Problems view, hovers and the billed run's confirmation, where a line break in a name could
 * forge a line.
 */
export function shownName(name: string, max = MAX_NAME): string {
  return shortText(name, max);
}

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
  return `${shownName(table.name)} (${ruleWords(table)}): ${message}`;
}
