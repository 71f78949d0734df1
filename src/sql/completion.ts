import type { AggregateFunctionName } from '@aws-sdk/client-cleanrooms';
import type { Catalog, CatalogTable } from './catalog';
import { sqlIdentifier } from './catalog';
import { columnWords, functionWords, ruleKindWords } from './tableText';
import { isIdentifier, resolveQualifier, tableReferences, tokenize, type TableReference, type Token } from './sqlTokens';
import { splitStatements } from '../queries/statements';
import { t } from '../util/l10n';

/**
 * Completion in a bound SQL document, from the cached catalog only (never the network): table
 * names, columns after `table.` / `alias.`, and the functions an aggregation rule allows. Works on
 * incomplete SQL (a tokenizer, not the parser). Free of `vscode`.
 */
export interface SqlCompletion {
  readonly label: string;
  readonly kind: 'table' | 'column' | 'function';
  readonly insertText: string;
  /** insertText is a snippet (`COUNT($1)`). */
  readonly snippet: boolean;
  readonly detail: string;
  readonly documentation?: string;
  /** What typed text is matched against (a quoted name also matches its bare spelling). */
  readonly filterText?: string;
}

export interface SqlCompletionList {
  readonly items: readonly SqlCompletion[];
  /** The document range the chosen item replaces (the name being typed). */
  readonly replaceStart: number;
  readonly replaceEnd: number;
}

/** The part of the document the statement under the cursor occupies (may be incomplete or empty). */
export function statementRegion(text: string, offset: number): { start: number; end: number } {
  const statements = splitStatements(text);
  const terminated = (s: { spanEnd: number }): boolean => text[s.spanEnd - 1] === ';';
  const inside = statements.find((s) => s.spanStart <= offset && (offset < s.spanEnd || (offset === s.spanEnd && !terminated(s))));
  if (inside) {
    return { start: inside.spanStart, end: terminated(inside) ? inside.spanEnd - 1 : inside.spanEnd };
  }
  // An empty statement: from the last `;` before the cursor to the next statement.
  let start = 0;
  let end = text.length;
  for (const s of statements) {
    if (s.spanEnd <= offset && terminated(s)) {
      start = s.spanEnd;
    }
    if (s.spanStart >= offset && end === text.length) {
      end = s.spanStart;
    }
  }
  return { start, end };
}

const AGGREGATE_FUNCTIONS: readonly AggregateFunctionName[] = ['COUNT_DISTINCT', 'COUNT', 'SUM', 'SUM_DISTINCT', 'AVG'];

function aggregateItem(fn: AggregateFunctionName): { label: string; insertText: string } {
  switch (fn) {
    case 'COUNT_DISTINCT':
      return { label: 'COUNT(DISTINCT ...)', insertText: 'COUNT(DISTINCT $1)' };
    case 'SUM_DISTINCT':
      return { label: 'SUM(DISTINCT ...)', insertText: 'SUM(DISTINCT $1)' };
    default:
      return { label: fn, insertText: `${fn}($1)` };
  }
}

/**
 * `text` as literal snippet text. Scalar function names come from a table's analysis rule (any
 * string): unescaped, `${CLIPBOARD}` in one would paste the clipboard. Escapes what
 * SnippetString.appendText escapes.
 */
export function snippetText(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

function tableItem(table: CatalogTable): SqlCompletion {
  const status = table.status === 'NOT_READY' ? ` · ${t('not ready')}` : '';
  return {
    label: table.name,
    kind: 'table',
    insertText: table.sqlName,
    snippet: false,
    detail: `${ruleKindWords(table)}${status}`,
    documentation: table.description,
    filterText: table.sqlName === table.name ? undefined : `${table.name} ${table.sqlName}`,
  };
}

function columnItems(table: CatalogTable, qualified: boolean): SqlCompletion[] {
  return table.columns.map((c) => {
    const sqlName = sqlIdentifier(c.name);
    return {
      label: c.name,
      kind: 'column',
      insertText: sqlName,
      snippet: false,
      detail: columnWords(c, table),
      documentation: qualified ? undefined : t('Column of {0} ({1})', table.name, ruleKindWords(table)),
      filterText: sqlName === c.name ? undefined : `${c.name} ${sqlName}`,
    };
  });
}

/** The aggregate and scalar functions the statement's aggregation tables allow. */
function functionItems(refs: readonly TableReference[]): SqlCompletion[] {
  const aggregates = new Map<AggregateFunctionName, string[]>();
  const scalars = new Map<string, string[]>();
  for (const { table } of refs) {
    if (table.kind !== 'AGGREGATION') {
      continue;
    }
    for (const c of table.columns) {
      for (const fn of c.aggregate) {
        aggregates.set(fn, [...(aggregates.get(fn) ?? []), `${table.name}.${c.name}`]);
      }
    }
    for (const fn of table.scalarFunctions ?? []) {
      scalars.set(fn, [...(scalars.get(fn) ?? []), table.name]);
    }
  }
  const items: SqlCompletion[] = [];
  for (const fn of AGGREGATE_FUNCTIONS) {
    const columns = aggregates.get(fn);
    if (columns) {
      const unique = [...new Set(columns)];
      items.push({
        ...aggregateItem(fn),
        kind: 'function',
        snippet: true,
        detail: t('aggregate {0} of: {1}', functionWords(fn), unique.join(', ')),
      });
    }
  }
  for (const [fn, tables] of scalars) {
    items.push({
      label: fn,
      kind: 'function',
      insertText: `${snippetText(fn)}($1)`,
      snippet: true,
      detail: t('scalar function allowed by {0}', [...new Set(tables)].join(', ')),
    });
  }
  return items;
}

/** The identifier being typed at `offset` (relative to the tokens' text), if the cursor touches one. */
function tokenAtCursor(tokens: readonly Token[], offset: number): number {
  return tokens.findIndex((tok) => isIdentifier(tok) && tok.start < offset && (offset <= tok.end || tok.open === true));
}

/** What to offer at `offset` in the document `text`. */
export function completionsAt(text: string, offset: number, catalog: Catalog): SqlCompletionList {
  const region = statementRegion(text, offset);
  const statement = text.slice(region.start, region.end);
  const local = offset - region.start;
  const tokens = tokenize(statement);
  const refs = tableReferences(tokens, catalog);
  const at = tokenAtCursor(tokens, local);
  const current = at >= 0 ? tokens[at] : undefined;
  const replaceStart = region.start + (current ? current.start : local);
  const replaceEnd = region.start + (current ? Math.max(current.end, local) : local);
  const before = tokens.filter((tok) => tok.end <= (current ? current.start : local));
  const last = before[before.length - 1];
  const beforeLast = before[before.length - 2];

  if (last?.kind === 'punct' && last.value === '.') {
    const table = beforeLast && isIdentifier(beforeLast) ? resolveQualifier(beforeLast, refs, catalog) : undefined;
    return { items: table ? columnItems(table, true) : [], replaceStart, replaceEnd };
  }
  const tables = catalog.tables.map(tableItem);
  const keyword = last?.kind === 'word' ? last.value.toLowerCase() : '';
  if (keyword === 'from' || keyword === 'join') {
    return { items: tables, replaceStart, replaceEnd };
  }
  const seen = new Set<CatalogTable>();
  const columns: SqlCompletion[] = [];
  for (const { table } of refs) {
    if (!seen.has(table)) {
      seen.add(table);
      columns.push(...columnItems(table, false));
    }
  }
  return { items: [...columns, ...functionItems(refs), ...tables], replaceStart, replaceEnd };
}
