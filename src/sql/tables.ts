import type { Identifier, Node } from 'sql-parser-cst';

/** A table named in a FROM clause: the name as written, and the name its columns are qualified by. */
export interface TableRef {
  readonly name: string;
  /** Written in double quotes (then its spelling counts). */
  readonly quoted: boolean;
  /** The name identifier's offsets. */
  readonly start: number;
  readonly end: number;
  /** Lower-case: the alias, or the name when there is none. */
  readonly qualifier: string;
  /** The alias or name as written (quotes kept), to qualify columns with in a quick fix. */
  readonly qualifierText: string;
}

/** What a statement's FROM clauses name, anywhere in it (subqueries, CTEs, set operations). */
export interface StatementTables {
  /** Every base-table reference, in text order; CTE names are left out. */
  readonly refs: readonly TableRef[];
  /** A FROM item that is not a plain table name (schema.table, a table function): tables may be missed. */
  readonly unresolved: boolean;
}

/** Thrown by walkers on a construct they do not model: the caller then says nothing about it. */
export class Unsupported extends Error {}

/** The child nodes of a CST node, in field order (ranges and whitespace are not nodes). */
export function childNodes(node: Node): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'range' || key === 'leading' || key === 'trailing') {
      continue;
    }
    for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string') {
        out.push(v as Node);
      }
    }
  }
  return out;
}

export function rangeOf(node: Node): [number, number] {
  if (!node.range) {
    throw new Unsupported('a node without a range');
  }
  return node.range;
}

function refOf(id: Identifier, alias?: Identifier): TableRef {
  const [start, end] = rangeOf(id);
  return { name: id.name, quoted: id.text.startsWith('"'), start, end, qualifier: (alias ?? id).name.toLowerCase(), qualifierText: (alias ?? id).text };
}

/**
 * The tables of one FROM item (a join tree), with the join nodes met. Throws Unsupported on
 * anything but plain (aliased) table names joined with ON / USING / commas.
 */
export function fromItems(expr: Node): { refs: TableRef[]; ons: Node[] } {
  const refs: TableRef[] = [];
  const ons: Node[] = [];
  const visit = (n: Node): void => {
    if (n.type === 'identifier') {
      refs.push(refOf(n));
    } else if (n.type === 'alias' && n.expr.type === 'identifier' && !n.columnAliases) {
      refs.push(refOf(n.expr, n.alias));
    } else if (n.type === 'join_expr') {
      visit(n.left);
      visit(n.right);
      if (n.specification?.type === 'join_on_specification') {
        ons.push(n.specification.expr);
      }
    } else {
      throw new Unsupported(n.type);
    }
  };
  visit(expr);
  return { refs, ons };
}

/** Every table reference in the statement, for the checks that need no column resolution. */
export function statementTables(root: Node): StatementTables {
  const refs: TableRef[] = [];
  const ctes = new Set<string>();
  let unresolved = false;
  const factor = (n: Node): void => {
    if (n.type === 'identifier') {
      refs.push(refOf(n));
    } else if (n.type === 'alias' && n.expr.type === 'identifier') {
      refs.push(refOf(n.expr, n.alias));
    } else if (n.type === 'alias') {
      factor(n.expr);
    } else if (n.type === 'join_expr') {
      factor(n.left);
      factor(n.right);
      if (n.specification) {
        visit(n.specification);
      }
    } else if (n.type === 'paren_expr' && (n.expr.type === 'join_expr' || n.expr.type === 'identifier' || n.expr.type === 'alias')) {
      factor(n.expr);
    } else if (n.type === 'paren_expr' || n.type === 'lateral_derived_table') {
      visit(n);
    } else {
      unresolved = true;
      visit(n);
    }
  };
  const visit = (n: Node): void => {
    if (n.type === 'common_table_expr') {
      ctes.add(n.table.name.toLowerCase());
    }
    if (n.type === 'from_clause') {
      factor(n.expr);
      return;
    }
    for (const c of childNodes(n)) {
      visit(c);
    }
  };
  visit(root);
  return { refs: refs.filter((r) => !ctes.has(r.name.toLowerCase())), unresolved };
}
