import type { CatalogTable, TableSchema } from '../sql/catalog';
import { t } from '../util/l10n';
import { safeJson, statusWords } from '../util/text';
import type { TableViewModel, ViewRow, ViewSection } from './protocol';
import { columnRoleWords, ruleKindWords, ruleSentences } from '../sql/tableText';

/**
 * A table's panel as plain data (see protocol.ts): built from the catalog table and the records
 * it came from. Free of `vscode`; every value is text the webview shows with textContent.
 */
export function tableViewModel(table: CatalogTable, fetched: TableSchema | undefined, templateName?: (arn: string) => string | undefined): TableViewModel {
  const notReady = table.status === 'NOT_READY';
  const facts: ViewRow[] = [
    { label: t('Name'), value: { kind: 'text', text: table.name, mono: true, copy: table.name } },
    { label: t('Written in SQL'), value: { kind: 'text', text: table.sqlName, mono: true } },
    { label: t('Description'), value: table.description ? { kind: 'text', text: table.description } : { kind: 'notSet' } },
    { label: t('Creator account'), value: table.creatorAccountId ? { kind: 'text', text: table.creatorAccountId, mono: true } : { kind: 'notSet' } },
    { label: t('Analysis rule'), value: { kind: 'text', text: ruleKindWords(table) } },
    { label: t('Rule types'), value: table.ruleTypes.length > 0 ? { kind: 'list', items: table.ruleTypes.map(statusWords) } : { kind: 'notSet' } },
    {
      label: t('Status'),
      value: { kind: 'badge', text: table.status === undefined ? t('Unknown') : statusWords(table.status), tone: notReady ? 'warn' : table.status === 'READY' ? 'ok' : 'neutral' },
    },
  ];
  if (notReady) {
    facts.push({ label: t('Why not ready'), value: { kind: 'list', items: table.notReadyReasons.length > 0 ? table.notReadyReasons : [t('no reason given')] } });
  }
  const columns: ViewSection = {
    title: t('Columns ({0})', table.columns.length),
    rows: table.columns.map((c) => ({
      label: c.name,
      value: { kind: 'text', text: [c.type, c.partitionKey ? t('partition key') : undefined, columnRoleWords(c, table) || undefined].filter(Boolean).join(' · ') },
    })),
  };
  return {
    title: table.name,
    subtitle: t('Table · {0}', ruleKindWords(table)),
    name: table.name,
    status: notReady ? { text: t('Not ready'), tone: 'warn' } : { text: table.status === 'READY' ? t('Ready') : t('Unknown'), tone: table.status === 'READY' ? 'ok' : 'neutral' },
    rule: ruleSentences(table, templateName),
    sections: [{ title: t('Table'), rows: facts }, columns],
    ruleJson: safeJson(fetched?.rules ?? []),
  };
}
