import type { AggregateFunctionName } from '@aws-sdk/client-cleanrooms';
import type { CatalogColumn, CatalogTable } from './catalog';
import { t } from '../util/l10n';

/**
 * What a rule lets a query do, in the few words the tree uses, for completion details and hovers.
 * Free of `vscode`.
 */

/** COUNT_DISTINCT -> "COUNT DISTINCT". */
export function aggregateWords(fn: AggregateFunctionName): string {
  return fn.replace(/_/g, ' ');
}

/** The rule that governs a table, in words. */
export function ruleWords(table: CatalogTable): string {
  switch (table.kind) {
    case 'AGGREGATION':
      return t('Aggregation rule');
    case 'LIST':
      return t('List rule');
    case 'CUSTOM':
      if (table.templatesOnly) {
        return t('Custom rule, analysis templates only');
      }
      return table.columns.some((c) => c.differentialPrivacy) ? t('Custom rule, differential privacy') : t('Custom rule');
    case 'ID_MAPPING_TABLE':
      return t('ID mapping table');
    case 'NONE':
      return t('No analysis rule');
  }
}

/** What the rule allows for a column ("join only", "dimension", "aggregate: SUM, AVG", "list", "not in output"). */
export function columnRoles(table: CatalogTable, column: CatalogColumn): string[] {
  const roles: string[] = [];
  if (column.join) {
    roles.push(t('join only'));
  }
  if (column.dimension) {
    roles.push(t('dimension'));
  }
  if (column.aggregate.length > 0) {
    roles.push(t('aggregate: {0}', column.aggregate.map(aggregateWords).join(', ')));
  }
  if (column.list) {
    roles.push(t('list'));
  }
  if (column.disallowedOutput) {
    roles.push(t('not in output'));
  }
  if (column.differentialPrivacy) {
    roles.push(t('user identifier (DP)'));
  }
  if (roles.length === 0 && (table.kind === 'AGGREGATION' || table.kind === 'LIST')) {
    // Aggregation and list rules name every column a query may use; the rest may not be output.
    roles.push(t('not in output'));
  }
  return roles;
}
