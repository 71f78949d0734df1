import type { Statement } from 'pgsql-ast-parser';
import { checkable, MAX_TABLES_PER_QUERY, sqlIdentifier, type Catalog, type CatalogTable } from './catalog';
import { closestName } from './closest';
import { checkColumns } from './columns';
import type { AnalyzeStatement, SqlFinding, StatementCheck } from './findings';
import { loadSqlParser } from './loadSqlParser';
import { about, shownName } from './messages';
import { maskParameters, skipTrivia } from './source';
import { statementTables, Unsupported, type TableRef } from './tables';
import { t } from '../util/l10n';

/**
 * The pre-flight check of one statement (see AnalyzeStatement): parse it (pgsql-ast-parser, the
 * PostgreSQL grammar: double-quoted names, `::`, `||`; `:name` template parameters are masked
 * first, see maskParameters), then the table-level rules on
 * every table it names, and the column-level rules when the statement is a plain SELECT the
 * walker models exactly (src/sql/columns.ts). Precision first: what is not understood gives no
 * finding.
 */
export const analyzeStatement: AnalyzeStatement = async (sql, catalog) => analyzeSync(sql, catalog);

/** Checks kept per catalog: an edit re-checks every statement of a document, most of them unchanged. */
const recent = new WeakMap<Catalog, Map<string, StatementCheck>>();
const RECENT_PER_CATALOG = 64;

/** analyzeStatement without the promise; the same statement and catalog give the same (cached) answer. */
export function analyzeSync(sql: string, catalog: Catalog): StatementCheck {
  let checks = recent.get(catalog);
  if (!checks) {
    checks = new Map();
    recent.set(catalog, checks);
  }
  const known = checks.get(sql);
  if (known) {
    return known;
  }
  const check = analyzeUncached(sql, catalog);
  if (checks.size >= RECENT_PER_CATALOG) {
    checks.delete(checks.keys().next().value as string);
  }
  checks.set(sql, check);
  return check;
}

function analyzeUncached(sql: string, catalog: Catalog): StatementCheck {
  if (skipTrivia(sql, 0) === sql.length) {
    // Nothing but whitespace and comments: read, and nothing to say (the parser calls it an error).
    return { parsed: true, findings: [] };
  }
  let statements: Statement[];
  try {
    statements = loadSqlParser().parse(maskParameters(sql), { locationTracking: true });
  } catch {
    return { parsed: false, findings: [] };
  }
  const findings: SqlFinding[] = [];
  for (const stmt of statements) {
    try {
      findings.push(...checkStatement(sql, stmt, catalog));
    } catch {
      // A tree shape no check expected (e.g. a node without a location): say nothing rather than guess.
    }
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { parsed: true, findings };
}

function checkStatement(sql: string, stmt: Statement, catalog: Catalog): SqlFinding[] {
  const { refs, unresolved } = statementTables(sql, stmt);
  const findings = tableFindings(refs, unresolved, catalog);
  if (stmt.type === 'select' && !findings.some((f) => f.code === 'unknownTable')) {
    try {
      findings.push(...checkColumns(sql, stmt, catalog));
    } catch (e) {
      if (!(e instanceof Unsupported)) {
        throw e;
      }
    }
  }
  return findings;
}

function tableFindings(refs: readonly TableRef[], unresolved: boolean, catalog: Catalog): SqlFinding[] {
  const findings: SqlFinding[] = [];
  const at = (ref: TableRef, table: CatalogTable, code: SqlFinding['code'], message: string): void => {
    findings.push({ code, message: about(table, message), start: ref.start, end: ref.end, table: table.name });
  };
  const distinct = new Map<string, TableRef>();
  const resolved: { ref: TableRef; table: CatalogTable }[] = [];
  for (const ref of refs) {
    const table = catalog.table(ref.name, ref.quoted);
    if (!distinct.has(ref.name.toLowerCase())) {
      distinct.set(ref.name.toLowerCase(), ref);
    }
    if (!table && catalog.unfetched(ref.name)) {
      // Listed, but its schema could not be fetched: it exists; what it allows is unknown.
      continue;
    }
    if (!table) {
      const near = closestName(ref.name, catalog.tables.map((x) => x.name));
      findings.push({
        code: 'unknownTable',
        message: t('{0}: the collaboration has no such table.', shownName(ref.name)),
        start: ref.start,
        end: ref.end,
        ...(near ? { fix: { title: t('Change to {0}', shownName(sqlIdentifier(near))), edits: [{ start: ref.start, end: ref.end, text: sqlIdentifier(near) }] } } : {}),
      });
      continue;
    }
    resolved.push({ ref, table });
  }
  if (distinct.size > MAX_TABLES_PER_QUERY) {
    const ref = [...distinct.values()][MAX_TABLES_PER_QUERY];
    findings.push({ code: 'tooManyTables', message: t('a query may name at most {0} tables; this one names {1}.', MAX_TABLES_PER_QUERY, distinct.size), start: ref.start, end: ref.end });
  }
  const reported = new Set<string>();
  let aggregation: CatalogTable | undefined;
  let list: CatalogTable | undefined;
  for (const { ref, table } of resolved) {
    const once = (key: string): boolean => {
      const first = !reported.has(key);
      reported.add(key);
      return first;
    };
    // No rule type at all is certain whatever the status says (the service reports such a table
    // NOT_READY for the missing rule); every other NOT_READY table is for the service to decide.
    if (table.kind === 'NONE' && once(`none:${table.name}`)) {
      at(ref, table, 'noAnalysisRule', t('the table has no analysis rule; it cannot be queried.'));
    }
    if (!checkable(table)) {
      continue;
    }
    if (table.templatesOnly && once(`templates:${table.name}`)) {
      at(ref, table, 'templatesOnly', t('only these analysis templates may query this table: {0}. Run one with Clean Rooms: Run Analysis Template.', table.templatesOnly.map((arn) => shownName(arn, 300)).join(', ')));
    }
    if (table.kind === 'AGGREGATION') {
      aggregation ??= table;
      if (list && once(`mixed`)) {
        at(ref, table, 'mixedRuleTypes', t('a query may not combine tables under an aggregation rule with tables under a list rule ({0}).', shownName(list.name)));
      }
    }
    if (table.kind === 'LIST') {
      list ??= table;
      if (aggregation && once(`mixed`)) {
        at(ref, table, 'mixedRuleTypes', t('a query may not combine tables under a list rule with tables under an aggregation rule ({0}).', shownName(aggregation.name)));
      }
    }
  }
  const only = resolved[0];
  if (refs.length === 1 && !unresolved && only && only.table.joinRequired && checkable(only.table)) {
    at(only.ref, only.table, 'joinRequired', t('the rule requires the query runner to join this table with one of their own tables.'));
  }
  return findings;
}
