import type { AggregateFunctionName } from '@aws-sdk/client-cleanrooms';
import type { Expr, ExprCall, ExprRef, NodeLocation, SelectFromStatement } from 'pgsql-ast-parser';
import { checkable, sqlIdentifier, type Catalog, type CatalogColumn, type CatalogTable } from './catalog';
import { closestName } from './closest';
import type { FindingCode, SqlFinding } from './findings';
import { about, shownName } from './messages';
import { keywordBetween, skipTrivia } from './source';
import { fromItems, rangeOf, Unsupported, writtenAt, type TableRef } from './tables';
import { t } from '../util/l10n';

/**
 * The column-level rules on one plain SELECT (one FROM of named tables, no subquery, CTE, set
 * operation or window): where each column appears (output, aggregate, WHERE, GROUP BY, HAVING,
 * ORDER BY, JOIN ... ON) against what its table's rule allows. Anything else throws Unsupported
 * and the caller reports no column findings for the statement (precision first).
 */

type Clause = 'select' | 'where' | 'groupBy' | 'having' | 'orderBy' | 'on' | 'limit';

interface Scope {
  readonly table: CatalogTable | undefined;
  readonly ref: TableRef;
}

interface Ctx {
  readonly clause: Clause;
  /** Inside COUNT/SUM/AVG (their rule name) or another aggregate (null: not checked per column). */
  readonly aggregate?: AggregateFunctionName | null;
  /** The column is the whole output item (possibly aliased). */
  readonly bare?: boolean;
}

interface Use {
  readonly table: CatalogTable;
  readonly column: CatalogColumn;
}

const RULE_AGGREGATES = new Set(['COUNT', 'SUM', 'AVG']);
/** Aggregates outside the rule's five: never allowed on an aggregation table (aggregateNotAllowed). */
const OTHER_AGGREGATES = new Set(['MIN', 'MAX', 'STDDEV', 'STDDEV_POP', 'STDDEV_SAMP', 'VARIANCE', 'VAR_POP', 'VAR_SAMP', 'MEDIAN', 'APPROX_COUNT_DISTINCT', 'COLLECT_LIST', 'COLLECT_SET', 'ARRAY_AGG', 'STRING_AGG', 'LISTAGG']);
/** Functions whose first argument is a keyword (a date part, a type) that reads like a bare name: DATEADD(day, 1, d), CONVERT(VARCHAR, x). */
const KEYWORD_FIRST_ARGUMENT = new Set(['DATEADD', 'DATEDIFF', 'DATEPART', 'DATE_PART', 'DATE_ADD', 'DATE_DIFF', 'DATE_TRUNC', 'CONVERT', 'TIMESTAMPADD', 'TIMESTAMPDIFF']);
/** Grouping constructs the parser reads as function calls. */
const GROUPING = new Set(['ROLLUP', 'CUBE', 'GROUPING', 'GROUPING_ID']);
/** Literals, `:name` parameters (masked as `$1`) and CURRENT_DATE and the like. */
const LITERALS = new Set(['integer', 'numeric', 'string', 'boolean', 'null', 'parameter', 'constant', 'keyword']);

/** `COUNT(DISTINCT x)` for COUNT_DISTINCT, and so on. */
export function aggregateCall(fn: AggregateFunctionName, column: string): string {
  switch (fn) {
    case 'COUNT_DISTINCT':
      return `COUNT(DISTINCT ${column})`;
    case 'SUM_DISTINCT':
      return `SUM(DISTINCT ${column})`;
    default:
      return `${fn}(${column})`;
  }
}

function active(table: CatalogTable | undefined): table is CatalogTable {
  return table !== undefined && checkable(table);
}

type Located = { _location?: NodeLocation } | [number, number];

export function checkColumns(sql: string, stmt: SelectFromStatement, catalog: Catalog): SqlFinding[] {
  const findings: SqlFinding[] = [];
  const add = (code: FindingCode, node: Located, table: CatalogTable, message: string, fix?: SqlFinding['fix']): void => {
    const [start, end] = Array.isArray(node) ? node : rangeOf(node);
    findings.push({ code, message: about(table, message), start, end, table: table.name, ...(fix ? { fix } : {}) });
  };

  const columns = stmt.columns ?? [];
  if (columns.length === 0 || !stmt.from || stmt.from.length === 0) {
    throw new Unsupported('no select list or no FROM');
  }
  if (Array.isArray(stmt.distinct)) {
    throw new Unsupported('DISTINCT ON');
  }
  if (stmt.for || stmt.skip) {
    throw new Unsupported('FOR / SKIP');
  }
  const items = fromItems(sql, stmt.from);
  const scopes: Scope[] = items.refs.map((ref) => ({ ref, table: catalog.table(ref.name, ref.quoted) }));
  const ons = items.ons;
  const clauses: { clause: Clause; nodes: Expr[] }[] = [];
  if (stmt.where) {
    clauses.push({ clause: 'where', nodes: [stmt.where] });
  }
  if (stmt.groupBy) {
    clauses.push({ clause: 'groupBy', nodes: stmt.groupBy });
  }
  if (stmt.having) {
    clauses.push({ clause: 'having', nodes: [stmt.having] });
  }
  if (stmt.orderBy) {
    clauses.push({ clause: 'orderBy', nodes: stmt.orderBy.map((o) => o.by) });
  }
  const byQualifier = new Map<string, Scope>();
  for (const s of scopes) {
    if (byQualifier.has(s.ref.qualifier)) {
      throw new Unsupported('the same alias twice');
    }
    byQualifier.set(s.ref.qualifier, s);
  }
  const allKnown = scopes.every((s) => s.table !== undefined);
  const outputAliases = new Set(columns.flatMap((i) => (i.alias ? [i.alias.name.toLowerCase()] : [])));
  /** The output item being walked: its own alias cannot name a column inside it (`SUM(x) AS x`). */
  let item: (typeof columns)[number] | undefined;
  const otherAlias = (name: string): boolean => columns.some((c) => c !== item && c.alias?.name.toLowerCase() === name);

  /** The column name of a reference as written, and where: after `qualifier.` when there is one. */
  const columnName = (node: ExprRef): { name: string; at: [number, number] } => {
    const [start, end] = rangeOf(node);
    let from = start;
    if (node.table) {
      from = skipTrivia(sql, rangeOf(node.table)[1]);
      if (sql[from] !== '.') {
        throw new Unsupported('a qualified name without its dot');
      }
      from = skipTrivia(sql, from + 1);
    }
    const id = writtenAt(sql, from, node.name);
    if (id.end !== end) {
      throw new Unsupported('a column reference longer than its name');
    }
    return { name: id.name, at: [id.start, id.end] };
  };

  /** The column a reference names, or undefined when it cannot be told exactly. */
  const resolve = (node: ExprRef, clause: Clause): Use | undefined => {
    if (node.table?.schema) {
      throw new Unsupported('schema.table.column');
    }
    const { name, at } = columnName(node);
    if (!node.table) {
      // GROUP BY, HAVING and ORDER BY may name an output alias, and which wins over a column of the
      // same name differs between engines: no finding. WHERE and ON cannot see output aliases.
      const lower = name.toLowerCase();
      if ((clause === 'groupBy' || clause === 'having' || clause === 'orderBy') && outputAliases.has(lower)) {
        return undefined;
      }
      const holders = scopes.filter((s) => s.table?.column(name));
      if (holders.length === 1 && allKnown) {
        const table = holders[0].table as CatalogTable;
        return { table, column: table.column(name) as CatalogColumn };
      }
      // An alias of another output item may be a lateral reference (Redshift allows them).
      const maybeAlias = clause === 'select' ? otherAlias(lower) : outputAliases.has(lower);
      if (holders.length === 0 && allKnown && !maybeAlias) {
        const tables = scopes.map((s) => s.table).filter(active);
        const table = tables[0];
        if (tables.length === scopes.length && table && tables.every((x) => x.kind !== 'NONE')) {
          const names = tables.flatMap((x) => x.columns.map((c) => c.name));
          const near = closestName(name, names);
          const where = tables.map((x) => shownName(x.name)).join(', ');
          add('unknownColumn', at, table, t('no column {0} in {1}.', shownName(name), where), near ? { title: t('Change to {0}', shownName(sqlIdentifier(near))), edits: [{ start: at[0], end: at[1], text: sqlIdentifier(near) }] } : undefined);
        }
      }
      return undefined;
    }
    const table = byQualifier.get(node.table.name.toLowerCase())?.table;
    if (!table) {
      return undefined;
    }
    const column = table.column(name);
    if (column) {
      return { table, column };
    }
    if (active(table) && table.kind !== 'NONE') {
      const near = closestName(name, table.columns.map((c) => c.name));
      add('unknownColumn', at, table, t('no column {0} in {1}.', shownName(name), shownName(table.name)), near ? { title: t('Change to {0}', shownName(sqlIdentifier(near))), edits: [{ start: at[0], end: at[1], text: sqlIdentifier(near) }] } : undefined);
    }
    return undefined;
  };

  const checkUse = (node: ExprRef, use: Use, ctx: Ctx): void => {
    const { table, column } = use;
    if (!active(table) || ctx.clause === 'on' || ctx.clause === 'limit') {
      return;
    }
    const name = shownName(column.name);
    if (table.kind === 'AGGREGATION') {
      if (ctx.aggregate !== undefined) {
        if (ctx.aggregate !== null && !column.aggregate.includes(ctx.aggregate)) {
          const allowed = column.aggregate.length > 0 ? t('it allows {0}', column.aggregate.join(', ')) : t('it is not an aggregate column');
          add('aggregateNotAllowed', node, table, t('{0} is not allowed on {1}; {2}.', ctx.aggregate, name, allowed));
        }
        return;
      }
      if (column.dimension) {
        return;
      }
      if (ctx.clause === 'select') {
        const [start, end] = rangeOf(node);
        const wrap = column.aggregate[0];
        const fix = wrap ? { title: t('Wrap in {0}', aggregateCall(wrap, '…')), edits: [{ start, end, text: aggregateCall(wrap, sql.slice(start, end)) }] } : undefined;
        const reason = column.join
          ? t('{0} is a join column; it may appear only in JOIN ... ON.', name)
          : wrap
            ? t('{0} is an aggregate column; it may appear in the output only inside {1}.', name, column.aggregate.map((f) => aggregateCall(f, name)).join(', '))
            : t('{0} is neither a dimension nor an aggregate column; it may not be in the output.', name);
        add('forbiddenOutputColumn', node, table, reason, fix);
      } else if (column.join) {
        add('joinColumnOutsideJoin', node, table, t('{0} is a join column; it may appear only in JOIN ... ON.', name));
      } else {
        add('columnNotAllowedHere', node, table, t('{0} is not a dimension column; only dimension columns may be used in {1}.', name, clauseWords(ctx.clause)));
      }
    } else if (table.kind === 'LIST') {
      if (column.list) {
        return;
      }
      if (ctx.clause === 'select' && ctx.aggregate === undefined) {
        add('forbiddenOutputColumn', node, table, column.join ? t('{0} is a join column; it may appear only in JOIN ... ON.', name) : t('{0} is not a list column; only list columns may be in the output.', name));
      } else if (ctx.clause !== 'select' && column.join) {
        add('joinColumnOutsideJoin', node, table, t('{0} is a join column; it may appear only in JOIN ... ON.', name));
      }
    } else if (table.kind === 'CUSTOM' && ctx.clause === 'select' && column.disallowedOutput) {
      // The documented rule: no reference "through transformation, aliasing, or other means" in the
      // final projection, so COUNT(x) and CONCAT(x, y) are refused as much as x itself.
      add('forbiddenOutputColumn', node, table, ctx.bare ? t('{0} is a disallowed output column; it may be used but not output.', name) : t('{0} is a disallowed output column; the output may not hold it, not even inside a function or an aggregate.', name));
    }
  };

  /** Walks an expression; returns the columns it uses (for the function checks). */
  const expr = (node: Expr, ctx: Ctx): Use[] => {
    const inner = { ...ctx, bare: false };
    switch (node.type) {
      case 'ref': {
        if (node.name === '*') {
          throw new Unsupported('* inside an expression');
        }
        const use = resolve(node, ctx.clause);
        if (use) {
          checkUse(node, use, ctx);
          return [use];
        }
        return [];
      }
      case 'call':
        return call(node, ctx);
      case 'cast': {
        // The tree has one node for CAST(x AS t), x::t and typed literals (DATE '2024-07-01'):
        // the text at its start tells which.
        const [start] = rangeOf(node);
        if (/^cast\s*\(/i.test(sql.slice(start, start + 32))) {
          return fn('CAST', [start, start + 4], [node.operand], ctx);
        }
        if (rangeOf(node.operand)[0] === start) {
          return fn('CAST', node, [node.operand], ctx);
        }
        if (node.operand.type === 'string') {
          return [];
        }
        throw new Unsupported('cast');
      }
      case 'extract': {
        const [start] = rangeOf(node);
        return fn('EXTRACT', [start, start + 'EXTRACT'.length], [node.from], ctx);
      }
      case 'binary':
        return [...expr(node.left, inner), ...expr(node.right, inner)];
      case 'unary':
        return expr(node.operand, inner);
      case 'ternary':
        return [node.value, node.lo, node.hi].flatMap((e) => expr(e, inner));
      case 'list':
        return node.expressions.flatMap((e) => expr(e, inner));
      case 'case':
        // SUM(CASE WHEN dimension = ... THEN x END): whether the rule reads the condition's
        // columns as aggregated is not documented, so such a query gets no column findings.
        if (ctx.aggregate !== undefined) {
          throw new Unsupported('CASE inside an aggregate');
        }
        return [...(node.value ? [node.value] : []), ...node.whens.flatMap((w) => [w.when, w.value]), ...(node.else ? [node.else] : [])].flatMap((e) => expr(e, inner));
      default:
        if (LITERALS.has(node.type)) {
          return [];
        }
        throw new Unsupported(node.type);
    }
  };

  /** A function over `args`: the rule's scalar functions (aggregation) or no functions at all (list). */
  const fn = (name: string, at: Located, args: Expr[], ctx: Ctx): Use[] => {
    const uses = args.flatMap((a) => expr(a, { ...ctx, bare: false }));
    checkFunction(name, at, uses, false);
    return uses;
  };
  const checkFunction = (name: string, at: Located, uses: Use[], ruleAggregate: boolean): void => {
    for (const { table } of uses) {
      if (!active(table)) {
        continue;
      }
      if (table.kind === 'LIST') {
        add('functionNotAllowed', at, table, t('{0}: a list query may not use functions.', name));
        return;
      }
      if (table.kind === 'AGGREGATION' && !ruleAggregate && !(table.scalarFunctions ?? []).includes(name)) {
        const allowed = (table.scalarFunctions ?? []).length > 0 ? t('allowed: {0}', (table.scalarFunctions ?? []).join(', ')) : t('it allows no scalar functions');
        add('functionNotAllowed', at, table, t('{0} is not an allowed function ({1}).', name, allowed));
        return;
      }
    }
  };

  let aggregates = 0;
  const call = (node: ExprCall, ctx: Ctx): Use[] => {
    if (node.over || node.filter || node.withinGroup || node.function.schema) {
      throw new Unsupported('window or qualified function');
    }
    if (node.orderBy) {
      throw new Unsupported('aggregate modifiers');
    }
    const [start] = rangeOf(node.function);
    const name = writtenAt(sql, start, node.function.name).name.toUpperCase();
    if (GROUPING.has(name)) {
      throw new Unsupported('ROLLUP, CUBE, GROUPING');
    }
    const first = node.args[0];
    const keywordFirst = KEYWORD_FIRST_ARGUMENT.has(name) && first?.type === 'ref' && !first.table;
    const args = node.args.filter((a, i) => !(a.type === 'ref' && a.name === '*' && !a.table) && !(keywordFirst && i === 0));
    const distinct = node.distinct === 'distinct';
    if (RULE_AGGREGATES.has(name) || OTHER_AGGREGATES.has(name)) {
      if (ctx.aggregate !== undefined) {
        throw new Unsupported('nested aggregate');
      }
      if (ctx.clause === 'select') {
        aggregates++;
      }
      if (name === 'AVG' && distinct) {
        throw new Unsupported('AVG(DISTINCT): not among the rule functions');
      }
      const rule = RULE_AGGREGATES.has(name) ? ((distinct ? `${name}_DISTINCT` : name) as AggregateFunctionName) : null;
      const uses = args.flatMap((a) => expr(a, { clause: ctx.clause, aggregate: rule }));
      // MIN, MAX, ...: an aggregate function the aggregation rule does not have (COUNT, SUM, AVG and their DISTINCT forms).
      const strict = rule === null ? uses.find((u) => active(u.table) && u.table.kind === 'AGGREGATION') : undefined;
      if (strict) {
        const allowed = strict.column.aggregate.length > 0 ? t('it allows {0}', strict.column.aggregate.join(', ')) : t('it is not an aggregate column');
        add('aggregateNotAllowed', node.function, strict.table, t('{0} is not an aggregate function of the aggregation rule; on {1} {2}.', name, shownName(strict.column.name), allowed));
      }
      checkFunction(name, node.function, uses, true);
      return uses;
    }
    if (distinct) {
      throw new Unsupported('DISTINCT in a function that is not an aggregate');
    }
    return fn(name, node.function, args, ctx);
  };

  // The output list: stars first (they need the scope), then each item.
  const scopeTables = scopes.map((s) => s.table).filter(active);
  let star = false;
  for (item of columns) {
    const e = item.expr;
    if (e.type === 'ref' && e.name === '*') {
      star = true;
      const qualifier = e.table;
      if (qualifier?.schema) {
        throw new Unsupported('schema.table.*');
      }
      const covered = qualifier ? scopes.filter((s) => s.ref.qualifier === qualifier.name.toLowerCase()) : scopes;
      for (const s of covered) {
        const table = s.table;
        if (!active(table)) {
          continue;
        }
        const outputs = table.kind === 'LIST' ? table.columns.filter((c) => c.list) : table.kind === 'CUSTOM' ? table.columns.filter((c) => !c.disallowedOutput) : undefined;
        if (table.kind === 'AGGREGATION' || table.kind === 'LIST' || (table.kind === 'CUSTOM' && table.columns.some((c) => c.disallowedOutput))) {
          const [start, end] = rangeOf(e);
          if (sql[end - 1] !== '*') {
            throw new Unsupported('a star not where the tree says');
          }
          const qualify = qualifier !== undefined || scopes.length > 1;
          const fix =
            outputs && outputs.length > 0 && covered.length === 1
              ? { title: t('Select the allowed output columns'), edits: [{ start, end, text: outputs.map((c) => (qualify ? `${s.ref.qualifierText}.` : '') + sqlIdentifier(c.name)).join(', ') }] }
              : undefined;
          const why =
            table.kind === 'AGGREGATION'
              ? t('SELECT * is not allowed; the output may hold only dimension columns and allowed aggregates.')
              : table.kind === 'LIST'
                ? t('SELECT * is not allowed; the output may hold only the list columns.')
                : t('SELECT * would output the disallowed columns {0}.', table.columns.filter((c) => c.disallowedOutput).map((c) => shownName(c.name)).join(', '));
          add('selectStar', [end - 1, end], table, why, fix);
        }
      }
      continue;
    }
    expr(e, { clause: 'select', bare: e.type === 'ref' });
  }
  item = undefined;
  for (const on of ons) {
    expr(on, { clause: 'on' });
    joinOperators(on);
  }
  for (const { clause, nodes } of clauses) {
    for (const n of nodes) {
      expr(n, { clause });
    }
  }

  const aggregationTable = scopeTables.find((x) => x.kind === 'AGGREGATION');
  if (aggregationTable && aggregates === 0 && !star) {
    const [start] = rangeOf(stmt);
    if (!/^select\b/i.test(sql.slice(start, start + 7))) {
      throw new Unsupported('a SELECT that does not start with SELECT');
    }
    add('missingAggregate', [start, start + 'SELECT'.length], aggregationTable, t('an aggregation query must output at least one aggregate function ({0}).', aggregationTable.columns.flatMap((c) => c.aggregate.map((f) => aggregateCall(f, shownName(c.name)))).slice(0, 3).join(', ') || 'COUNT(DISTINCT …)'));
  }
  return findings;

  /** OR between two join conditions (column = column of two tables) on a table whose rule allows only AND. */
  function joinOperators(on: Expr): void {
    const tablesOf = (n: Expr): CatalogTable[] | undefined => {
      if (n.type === 'binary' && n.op === '=') {
        const l = qualifiedTable(n.left);
        const r = qualifiedTable(n.right);
        return l && r && l !== r ? [l, r] : undefined;
      }
      if (n.type === 'binary' && (n.op === 'AND' || n.op === 'OR')) {
        const l = tablesOf(n.left);
        const r = tablesOf(n.right);
        return l && r ? [...l, ...r] : undefined;
      }
      return undefined;
    };
    const walk = (n: Expr): void => {
      if (n.type !== 'binary' || (n.op !== 'AND' && n.op !== 'OR')) {
        return;
      }
      if (n.op === 'OR') {
        const l = tablesOf(n.left);
        const r = tablesOf(n.right);
        const strict = l && r ? [...l, ...r].find((x) => active(x) && (x.kind === 'AGGREGATION' || x.kind === 'LIST') && !x.allowedJoinOperators.includes('OR')) : undefined;
        if (strict) {
          // The tree keeps no position for the operator: it is the OR between the two sides.
          const at = keywordBetween(sql, rangeOf(n.left)[1], rangeOf(n.right)[0], 'OR');
          if (!at) {
            throw new Unsupported('OR not found between its operands');
          }
          add('joinOperatorNotAllowed', at, strict, t('OR between join conditions is not allowed; the rule allows {0}.', strict.allowedJoinOperators.join(', ')));
        }
      }
      walk(n.left);
      walk(n.right);
    };
    walk(on);
  }

  function qualifiedTable(n: Expr): CatalogTable | undefined {
    if (n.type !== 'ref' || n.name === '*' || n.table?.schema) {
      return undefined;
    }
    if (n.table) {
      const table = byQualifier.get(n.table.name.toLowerCase())?.table;
      return table?.column(n.name) ? table : undefined;
    }
    const holders = scopes.filter((s) => s.table?.column(n.name));
    return holders.length === 1 && allKnown ? holders[0].table : undefined;
  }
}

function clauseWords(clause: Clause): string {
  switch (clause) {
    case 'where':
      return 'WHERE';
    case 'groupBy':
      return 'GROUP BY';
    case 'having':
      return 'HAVING';
    case 'orderBy':
      return 'ORDER BY';
    default:
      return clause;
  }
}
