import type { Catalog, CatalogColumn, CatalogTable } from './catalog';
import { statementRegion } from './completion';
import { columnRoleWords, ruleKindWords } from './tableText';
import { isIdentifier, resolveQualifier, tableOfToken, tableReferences } from './sqlTokens';
import { tokenize } from './sqlTokens';
import { t } from '../util/l10n';
import { visibleText } from '../util/text';

/**
 * Hovers over table and column names in a bound SQL document, from the cached catalog. The text is
 * returned in parts: `markdown` is only ever our own markup, `text` and `code` hold API strings
 * (another account's names and descriptions) that the editor shows literally. Free of `vscode`.
 */
export type HoverPart = { readonly markdown: string } | { readonly text: string } | { readonly code: string };

export interface SqlHover {
  readonly parts: readonly HoverPart[];
  /** The document range of the hovered name. */
  readonly start: number;
  readonly end: number;
}

/**
 * Another account's text as a hover shows it: invisible and direction-changing characters made
 * visible, and capped, as the tree's tooltips do (src/views/treeItems.ts).
 */
function shown(value: string, max: number): string {
  return visibleText(value).slice(0, max);
}

const MAX_NAME = 1000;
const MAX_DESCRIPTION = 2000;

function tableParts(table: CatalogTable): HoverPart[] {
  const parts: HoverPart[] = [{ code: shown(table.name, MAX_NAME) }, { text: ` — ${t('analysis rule: {0}', ruleKindWords(table))}` }];
  if (table.creatorAccountId) {
    parts.push({ markdown: '\n\n' }, { text: t('Created by account {0}', shown(table.creatorAccountId, MAX_NAME)) });
  }
  if (table.description) {
    parts.push({ markdown: '\n\n' }, { text: shown(table.description, MAX_DESCRIPTION) });
  }
  if (table.status === 'NOT_READY') {
    const reasons = table.notReadyReasons.map((r) => shown(r, MAX_NAME)).join('; ');
    parts.push({ markdown: '\n\n' }, { text: shown(t('Not ready: {0}', reasons || t('no reason given')), MAX_DESCRIPTION) });
  } else if (table.status === 'READY') {
    parts.push({ markdown: '\n\n' }, { text: t('Ready') });
  }
  if (table.templatesOnly) {
    const templates = table.templatesOnly.map((arn) => shown(arn, MAX_NAME)).join(', ');
    parts.push({ markdown: '\n\n' }, { text: shown(t('Only these analysis templates may query it: {0}', templates), MAX_DESCRIPTION) });
  }
  return parts;
}

function columnParts(table: CatalogTable, column: CatalogColumn): HoverPart[] {
  const parts: HoverPart[] = [{ code: shown(column.name, MAX_NAME) }, { text: ` ${shown(column.type, MAX_NAME)}` }];
  if (column.partitionKey) {
    parts.push({ text: ` · ${t('partition key')}` });
  }
  parts.push({ markdown: '\n\n' }, { text: `${shown(table.name, MAX_NAME)} (${ruleKindWords(table)})` });
  const roles = columnRoleWords(column, table);
  if (roles !== '') {
    parts.push({ markdown: '\n\n' }, { text: t('Rule: {0}', roles) });
  }
  return parts;
}

/** The hover for the name at `offset` in the document `text`, if it is a table, alias or column the catalog knows. */
export function hoverAt(text: string, offset: number, catalog: Catalog): SqlHover | undefined {
  const region = statementRegion(text, offset);
  const tokens = tokenize(text.slice(region.start, region.end));
  const local = offset - region.start;
  const i = tokens.findIndex((tok) => tok.start <= local && local < tok.end);
  const tok = tokens[i];
  if (!isIdentifier(tok)) {
    return undefined;
  }
  const at = (parts: HoverPart[]): SqlHover => ({ parts, start: region.start + tok.start, end: region.start + tok.end });
  const refs = tableReferences(tokens, catalog);
  const next = tokens[i + 1];
  const prev = tokens[i - 1];
  const qualifier = tokens[i - 2];
  if (next?.kind === 'punct' && next.value === '.') {
    const table = resolveQualifier(tok, refs, catalog);
    return table ? at(tableParts(table)) : undefined;
  }
  if (prev?.kind === 'punct' && prev.value === '.' && isIdentifier(qualifier)) {
    const table = resolveQualifier(qualifier, refs, catalog);
    const column = table?.column(tok.value);
    return table && column ? at(columnParts(table, column)) : undefined;
  }
  const alias = refs.find((r) => r.alias !== undefined && r.alias.toLowerCase() === tok.value.toLowerCase());
  const table = alias?.table ?? tableOfToken(tok, catalog);
  // A name that is both a table and a column of a table in the statement is read as the column
  // unless it sits where a table goes.
  const columns = refs.flatMap((r) => {
    const column = r.table.column(tok.value);
    return column ? [{ table: r.table, column }] : [];
  });
  const inFrom = refs.some((r) => r.token === tok);
  if (table && (inFrom || alias || columns.length === 0)) {
    return at(tableParts(table));
  }
  const unique = columns.filter((c, n) => columns.findIndex((d) => d.table === c.table) === n);
  if (unique.length === 0) {
    return undefined;
  }
  return at(unique.flatMap((c, n) => [...(n > 0 ? [{ markdown: '\n\n---\n\n' }] : []), ...columnParts(c.table, c.column)]));
}
