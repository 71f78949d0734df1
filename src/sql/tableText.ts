import type { AggregateFunctionName } from '@aws-sdk/client-cleanrooms';
import type { CatalogColumn, CatalogTable } from './catalog';
import { t } from '../util/l10n';

/**
 * A table's analysis rule in words, for its tree rows and its panel. Free of `vscode`, so it is
 * unit-tested in plain Node. Names are the service's strings: callers show them as text.
 */

/** COUNT_DISTINCT -> "COUNT DISTINCT": how the function is written in SQL. */
export function functionWords(f: AggregateFunctionName | string): string {
  return f.replace(/_/g, ' ');
}

/** The rule that governs the table, in a few words: the table row's description. */
export function ruleKindWords(table: CatalogTable): string {
  switch (table.kind) {
    case 'AGGREGATION':
      return t('Aggregation');
    case 'LIST':
      return t('List');
    case 'CUSTOM':
      if (table.templatesOnly !== undefined) {
        return t('Custom, templates only');
      }
      return (table.custom?.differentialPrivacy?.columns ?? []).length > 0 ? t('Differential privacy') : t('Custom');
    case 'ID_MAPPING_TABLE':
      return t('ID mapping table');
    case 'NONE':
      return t('No rule');
  }
}

/** What the rule lets a query do with a column, in a few words ('' when the rule says nothing about it). */
export function columnRoleWords(column: CatalogColumn, table: CatalogTable): string {
  const roles: string[] = [];
  switch (table.kind) {
    case 'AGGREGATION':
      if (column.join) {
        // A join column may still be counted (COUNT DISTINCT hashed_email): "only" when it may do nothing else.
        roles.push(column.dimension || column.aggregate.length > 0 ? t('join') : t('join only'));
      }
      if (column.dimension) {
        roles.push(t('dimension'));
      }
      if (column.aggregate.length > 0) {
        roles.push(t('aggregate: {0}', column.aggregate.map(functionWords).join(', ')));
      }
      return roles.length > 0 ? roles.join('; ') : t('not allowed by the rule');
    case 'LIST':
      if (column.list) {
        roles.push(t('list'));
      }
      if (column.join) {
        roles.push(column.list ? t('join') : t('join only'));
      }
      return roles.length > 0 ? roles.join('; ') : t('not in output');
    case 'CUSTOM':
      if (column.disallowedOutput) {
        roles.push(t('not in output'));
      }
      if (column.differentialPrivacy) {
        roles.push(t('user identifier (DP)'));
      }
      return roles.join('; ');
    case 'ID_MAPPING_TABLE':
    case 'NONE':
      return '';
  }
}

/** A column row's description: "string · partition key · dimension". */
export function columnWords(column: CatalogColumn, table: CatalogTable): string {
  return [column.type, column.partitionKey ? t('partition key') : undefined, columnRoleWords(column, table) || undefined].filter(Boolean).join(' · ');
}

function names(list: readonly string[]): string {
  return list.join(', ');
}

function operators(table: CatalogTable): string {
  return table.allowedJoinOperators.join(t(' or '));
}

/**
 * The whole rule as sentences, e.g. "Queries must aggregate: COUNT DISTINCT of hashed_email; SUM
 * or AVG of impressions." `templateName` resolves an allowed template's ARN to its name when known.
 */
export function ruleSentences(table: CatalogTable, templateName: (arn: string) => string | undefined = () => undefined): string[] {
  const out: string[] = [];
  const joinColumns = table.columns.filter((c) => c.join).map((c) => c.name);
  switch (table.kind) {
    case 'AGGREGATION': {
      const aggregated = table.columns.filter((c) => c.aggregate.length > 0).map((c) => t('{0} of {1}', c.aggregate.map(functionWords).join(t(' or ')), c.name));
      out.push(aggregated.length > 0 ? t('Queries must aggregate: {0}.', aggregated.join('; ')) : t('Queries must aggregate, but the rule names no aggregate columns.'));
      const dims = table.columns.filter((c) => c.dimension).map((c) => c.name);
      out.push(dims.length > 0 ? t('Dimensions you may select, group and filter by: {0}.', names(dims)) : t('No dimension columns: results cannot be grouped.'));
      if (joinColumns.length > 0) {
        out.push(t('Join only on: {0} ({1}).', names(joinColumns), operators(table)));
      }
      if (table.joinRequired) {
        out.push(t('The query runner must join this table with one of their own tables.'));
      }
      const scalars = table.scalarFunctions ?? [];
      out.push(scalars.length > 0 ? t('Scalar functions allowed: {0}.', names(scalars)) : t('No scalar functions allowed.'));
      for (const c of table.outputConstraints) {
        if (c.columnName !== undefined && c.minimum !== undefined) {
          out.push(t('Rows where fewer than {0} distinct {1} are suppressed.', c.minimum, c.columnName));
        }
      }
      break;
    }
    case 'LIST': {
      const listed = table.columns.filter((c) => c.list).map((c) => c.name);
      out.push(t('Queries list rows (no aggregation).'));
      out.push(listed.length > 0 ? t('Columns you may list: {0}.', names(listed)) : t('The rule names no columns to list.'));
      if (joinColumns.length > 0) {
        out.push(t('Join only on: {0} ({1}).', names(joinColumns), operators(table)));
      }
      break;
    }
    case 'CUSTOM': {
      if (table.templatesOnly !== undefined) {
        const templates = table.templatesOnly.map((arn) => templateName(arn) ?? arn);
        out.push(templates.length > 0 ? t('Only these analysis templates may query this table: {0}.', names(templates)) : t('No analysis is allowed on this table.'));
      } else {
        const providers = table.custom?.allowedAnalysisProviders ?? [];
        out.push(providers.length > 0 ? t('Any query is allowed, from analyses of these accounts: {0}.', names(providers)) : t('Any query is allowed.'));
      }
      const disallowed = table.columns.filter((c) => c.disallowedOutput).map((c) => c.name);
      if (disallowed.length > 0) {
        out.push(t('Columns that may not be in the output: {0}.', names(disallowed)));
      }
      const dp = table.columns.filter((c) => c.differentialPrivacy).map((c) => c.name);
      if (dp.length > 0) {
        out.push(t('Differential privacy protects the users identified by: {0}.', names(dp)));
      }
      break;
    }
    case 'ID_MAPPING_TABLE':
      out.push(t('An ID mapping table: it joins the identifiers of two members.'));
      break;
    case 'NONE':
      out.push(t('This table has no analysis rule: it cannot be queried.'));
      break;
  }
  if (table.status === 'NOT_READY') {
    out.push(t('Not ready: {0}', table.notReadyReasons.length > 0 ? table.notReadyReasons.join('; ') : t('no reason given')));
  }
  return out;
}
