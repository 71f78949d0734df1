import type { AggregateFunctionName } from '@aws-sdk/client-cleanrooms';
import type { Node, SelectStmt } from 'sql-parser-cst';
import { sqlIdentifier, type Catalog, type CatalogColumn, type CatalogTable } from './catalog';
import { closestName } from './closest';
import type { FindingCode, SqlFinding } from './findings';
import { about } from './messages';
import { childNodes, fromItems, rangeOf, Unsupported, type TableRef } from './tables';
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
/** Aggregates outside the rule's five: never allowed on an aggregation table (the scalar-function check reports them). */
const OTHER_AGGREGATES = new Set(['MIN', 'MAX', 'STDDEV', 'STDDEV_POP', 'STDDEV_SAMP', 'VARIANCE', 'VAR_POP', 'VAR_SAMP', 'MEDIAN', 'APPROX_COUNT_DISTINCT', 'COLLECT_LIST', 'COLLECT_SET', 'ARRAY_AGG', 'STRING_AGG', 'LISTAGG']);
const LITERALS = new Set(['number_literal', 'string_literal', 'boolean_literal', 'null_literal', 'date_literal', 'time_literal', 'timestamp_literal', 'datetime_literal', 'interval_literal', 'parameter', 'blob_literal']);

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
  return table !== undefined && table.status !== 'NOT_READY';
}

export function checkColumns(sql: string, stmt: SelectStmt, catalog: Catalog): SqlFinding[] {
  const findings: SqlFinding[] = [];
  const add = (code: FindingCode, node: Node | [number, number], table: CatalogTable, message: string, fix?: SqlFinding['fix']): void => {
    const [start, end] = Array.isArray(node) ? node : rangeOf(node);
    findings.push({ code, message: about(table, message), start, end, table: table.name, ...(fix ? { fix } : {}) });
  };

  let select: Extract<SelectStmt['clauses'][number], { type: 'select_clause' }> | undefined;
  const scopes: Scope[] = [];
  const ons: Node[] = [];
  const clauses: { clause: Clause; nodes: Node[] }[] = [];
  for (const c of stmt.clauses) {
    switch (c.type) {
      case 'select_clause':
        select = c;
        break;
      case 'from_clause': {
        const items = fromItems(c.expr);
        scopes.push(...items.refs.map((ref) => ({ ref, table: catalog.table(ref.name, ref.quoted) })));
        ons.push(...items.ons);
        break;
      }
      case 'where_clause':
        clauses.push({ clause: 'where', nodes: [c.expr] });
        break;
      case 'group_by_clause':
        clauses.push({ clause: 'groupBy', nodes: c.columns.items });
        break;
      case 'having_clause':
        clauses.push({ clause: 'having', nodes: [c.expr] });
        break;
      case 'order_by_clause':
        clauses.push({ clause: 'orderBy', nodes: c.specifications.items.map((s) => (s.type === 'sort_specification' ? s.expr : s)) });
        break;
      case 'limit_clause':
      case 'offset_clause':
        break;
      default:
        throw new Unsupported(c.type);
    }
  }
  if (!select?.columns || scopes.length === 0) {
    throw new Unsupported('no select list or no FROM');
  }
  if (select.modifiers.some((m) => m.type !== 'select_distinct' && m.type !== 'select_all')) {
    throw new Unsupported('select modifier');
  }
  const byQualifier = new Map<string, Scope>();
  for (const s of scopes) {
    if (byQualifier.has(s.ref.qualifier)) {
      throw new Unsupported('the same alias twice');
    }
    byQualifier.set(s.ref.qualifier, s);
  }
  const allKnown = scopes.every((s) => s.table !== undefined);
  const outputAliases = new Set(select.columns.items.flatMap((i) => (i.type === 'alias' ? [i.alias.name.toLowerCase()] : [])));

  /** The column a reference names, or undefined when it cannot be told exactly. */
  const resolve = (node: Node, clause: Clause): Use | undefined => {
    if (node.type === 'identifier') {
      if (clause !== 'select' && clause !== 'on' && outputAliases.has(node.name.toLowerCase())) {
        return undefined;
      }
      const holders = scopes.filter((s) => s.table?.column(node.name));
      if (holders.length === 1 && allKnown) {
        const table = holders[0].table as CatalogTable;
        return { table, column: table.column(node.name) as CatalogColumn };
      }
      if (holders.length === 0 && allKnown && !outputAliases.has(node.name.toLowerCase())) {
        const tables = scopes.map((s) => s.table).filter(active);
        const table = tables[0];
        if (tables.length === scopes.length && table && tables.every((x) => x.kind !== 'NONE')) {
          const names = tables.flatMap((x) => x.columns.map((c) => c.name));
          const near = closestName(node.name, names);
          const where = tables.length === 1 ? table.name : tables.map((x) => x.name).join(', ');
          add('unknownColumn', node, table, t('no column {0} in {1}.', node.name, where), near ? { title: t('Change to {0}', sqlIdentifier(near)), edits: [{ start: rangeOf(node)[0], end: rangeOf(node)[1], text: sqlIdentifier(near) }] } : undefined);
        }
      }
      return undefined;
    }
    if (node.type === 'member_expr' && node.object.type === 'identifier' && node.property.type === 'identifier') {
      const table = byQualifier.get(node.object.name.toLowerCase())?.table;
      if (!table) {
        return undefined;
      }
      const column = table.column(node.property.name);
      if (column) {
        return { table, column };
      }
      if (active(table) && table.kind !== 'NONE') {
        const near = closestName(node.property.name, table.columns.map((c) => c.name));
        const [start, end] = rangeOf(node.property);
        add('unknownColumn', node.property, table, t('no column {0} in {1}.', node.property.name, table.name), near ? { title: t('Change to {0}', sqlIdentifier(near)), edits: [{ start, end, text: sqlIdentifier(near) }] } : undefined);
      }
      return undefined;
    }
    throw new Unsupported(node.type);
  };

  const checkUse = (node: Node, use: Use, ctx: Ctx): void => {
    const { table, column } = use;
    if (!active(table) || ctx.clause === 'on' || ctx.clause === 'limit') {
      return;
    }
    const name = column.name;
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
    } else if (table.kind === 'CUSTOM' && ctx.clause === 'select' && ctx.bare && column.disallowedOutput) {
      add('forbiddenOutputColumn', node, table, t('{0} is a disallowed output column; it may be used but not output.', name));
    }
  };

  /** Walks an expression; returns the columns it uses (for the function checks). */
  const expr = (node: Node, ctx: Ctx): Use[] => {
    switch (node.type) {
      case 'identifier':
      case 'member_expr': {
        const use = resolve(node, ctx.clause);
        if (use) {
          checkUse(node, use, ctx);
          return [use];
        }
        return [];
      }
      case 'func_call':
        return call(node, ctx);
      case 'cast_expr':
        return fn('CAST', node.castKw, [node.args.expr.expr], ctx);
      case 'cast_operator_expr':
        return fn('CAST', node, [node.left], ctx);
      case 'extract_expr':
        return fn('EXTRACT', node.extractKw, [node.args.expr.expr], ctx);
      case 'paren_expr':
      case 'list_expr':
      case 'binary_expr':
      case 'prefix_op_expr':
      case 'postfix_op_expr':
      case 'between_expr':
      case 'case_expr':
      case 'case_when':
      case 'case_else':
        if (node.type === 'prefix_op_expr' && typeof node.operator !== 'string' && node.operator.type !== 'keyword') {
          throw new Unsupported('operator');
        }
        // SUM(CASE WHEN dimension = ... THEN x END): whether the rule reads the condition's
        // columns as aggregated is not documented, so such a query gets no column findings.
        if (node.type === 'case_expr' && ctx.aggregate !== undefined) {
          throw new Unsupported('CASE inside an aggregate');
        }
        return inner(node, { ...ctx, bare: false });
      case 'keyword':
        return [];
      default:
        if (LITERALS.has(node.type)) {
          return [];
        }
        throw new Unsupported(node.type);
    }
  };
  const inner = (node: Node, ctx: Ctx): Use[] => {
    const uses: Use[] = [];
    for (const c of childNodes(node)) {
      uses.push(...expr(c, ctx));
    }
    return uses;
  };

  /** A function over `args`: the rule's scalar functions (aggregation) or no functions at all (list). */
  const fn = (name: string, at: Node, args: Node[], ctx: Ctx): Use[] => {
    const uses = args.flatMap((a) => expr(a, { ...ctx, bare: false }));
    checkFunction(name, at, uses, false);
    return uses;
  };
  const checkFunction = (name: string, at: Node, uses: Use[], ruleAggregate: boolean): void => {
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
  const call = (node: Extract<Node, { type: 'func_call' }>, ctx: Ctx): Use[] => {
    if (node.over || node.filter || node.name.type !== 'identifier') {
      throw new Unsupported('window or qualified function');
    }
    const name = node.name.name.toUpperCase();
    const args = node.args?.expr;
    if (args && (args.orderBy || args.limit || args.having)) {
      throw new Unsupported('aggregate modifiers');
    }
    const items = (args?.args.items ?? []).filter((a) => a.type !== 'all_columns');
    const distinct = args?.distinctKw !== undefined;
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
      const uses = items.flatMap((a) => expr(a, { clause: ctx.clause, aggregate: rule }));
      checkFunction(name, node.name, uses, rule !== null);
      return uses;
    }
    return fn(name, node.name, items, ctx);
  };

  // The output list: stars first (they need the scope), then each item.
  const scopeTables = scopes.map((s) => s.table).filter(active);
  let star = false;
  for (const item of select.columns.items) {
    if (item.type === 'all_columns' || (item.type === 'member_expr' && item.property.type === 'all_columns')) {
      star = true;
      const covered = item.type === 'all_columns' ? scopes : scopes.filter((s) => item.object.type === 'identifier' && s.ref.qualifier === item.object.name.toLowerCase());
      for (const s of covered) {
        const table = s.table;
        if (!active(table)) {
          continue;
        }
        const outputs = table.kind === 'LIST' ? table.columns.filter((c) => c.list) : table.kind === 'CUSTOM' ? table.columns.filter((c) => !c.disallowedOutput) : undefined;
        if (table.kind === 'AGGREGATION' || table.kind === 'LIST' || (table.kind === 'CUSTOM' && table.columns.some((c) => c.disallowedOutput))) {
          const at = item.type === 'all_columns' ? item : item.property;
          const qualify = item.type === 'member_expr' || scopes.length > 1;
          const [start, end] = rangeOf(item);
          const fix =
            outputs && outputs.length > 0 && covered.length === 1
              ? { title: t('Select the allowed output columns'), edits: [{ start, end, text: outputs.map((c) => (qualify ? `${s.ref.qualifierText}.` : '') + sqlIdentifier(c.name)).join(', ') }] }
              : undefined;
          const why =
            table.kind === 'AGGREGATION'
              ? t('SELECT * is not allowed; the output may hold only dimension columns and allowed aggregates.')
              : table.kind === 'LIST'
                ? t('SELECT * is not allowed; the output may hold only the list columns.')
                : t('SELECT * would output the disallowed columns {0}.', table.columns.filter((c) => c.disallowedOutput).map((c) => c.name).join(', '));
          add('selectStar', at, table, why, fix);
        }
      }
      continue;
    }
    if (item.type === 'empty' || item.type === 'except_columns' || item.type === 'replace_columns') {
      throw new Unsupported(item.type);
    }
    const e = item.type === 'alias' ? item.expr : item;
    expr(e, { clause: 'select', bare: e.type === 'identifier' || e.type === 'member_expr' });
  }
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
    add('missingAggregate', select.selectKw, aggregationTable, t('an aggregation query must output at least one aggregate function ({0}).', aggregationTable.columns.flatMap((c) => c.aggregate.map((f) => aggregateCall(f, c.name))).slice(0, 3).join(', ') || 'COUNT(DISTINCT …)'));
  }
  return findings;

  /** OR between two join conditions (column = column of two tables) on a table whose rule allows only AND. */
  function joinOperators(on: Node): void {
    const tablesOf = (n: Node): CatalogTable[] | undefined => {
      if (n.type === 'paren_expr') {
        return tablesOf(n.expr);
      }
      if (n.type === 'binary_expr' && n.operator === '=') {
        const l = qualifiedTable(n.left);
        const r = qualifiedTable(n.right);
        return l && r && l !== r ? [l, r] : undefined;
      }
      if (n.type === 'binary_expr' && typeof n.operator === 'object' && !Array.isArray(n.operator) && n.operator.type === 'keyword' && (n.operator.name === 'AND' || n.operator.name === 'OR')) {
        const l = tablesOf(n.left);
        const r = tablesOf(n.right);
        return l && r ? [...l, ...r] : undefined;
      }
      return undefined;
    };
    const walk = (n: Node): void => {
      if (n.type === 'paren_expr') {
        walk(n.expr);
        return;
      }
      if (n.type !== 'binary_expr' || typeof n.operator !== 'object' || Array.isArray(n.operator) || n.operator.type !== 'keyword') {
        return;
      }
      if (n.operator.name === 'OR') {
        const l = tablesOf(n.left);
        const r = tablesOf(n.right);
        const strict = l && r ? [...l, ...r].find((x) => active(x) && (x.kind === 'AGGREGATION' || x.kind === 'LIST') && !x.allowedJoinOperators.includes('OR')) : undefined;
        if (strict) {
          add('joinOperatorNotAllowed', n.operator, strict, t('OR between join conditions is not allowed; the rule allows {0}.', strict.allowedJoinOperators.join(', ')));
        }
      }
      walk(n.left);
      walk(n.right);
    };
    walk(on);
  }

  function qualifiedTable(n: Node): CatalogTable | undefined {
    if (n.type === 'member_expr' && n.object.type === 'identifier' && n.property.type === 'identifier') {
      const table = byQualifier.get(n.object.name.toLowerCase())?.table;
      return table?.column(n.property.name) ? table : undefined;
    }
    if (n.type === 'identifier') {
      const holders = scopes.filter((s) => s.table?.column(n.name));
      return holders.length === 1 && allKnown ? holders[0].table : undefined;
    }
    return undefined;
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
