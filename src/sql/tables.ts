import type { Expr, From, FromTable, NodeLocation, Statement } from 'pgsql-ast-parser';
import { identifierAt, maskedName, skipTrivia, type Written } from './source';

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

export function rangeOf(node: { _location?: NodeLocation }): [number, number] {
  if (!node._location) {
    throw new Unsupported('a node without a location');
  }
  return [node._location.start, node._location.end];
}

/**
 * The name written where the parser says `parsed` starts. The parser lower-cases unquoted names,
 * so the text tells quoted from unquoted; a mismatch means the offsets are not what they seem.
 */
export function writtenAt(sql: string, start: number, parsed: string): Written {
  const id = identifierAt(sql, start);
  if (!id || (id.quoted ? id.name !== parsed && maskedName(id.name) !== parsed : id.name.toLowerCase() !== parsed.toLowerCase())) {
    throw new Unsupported('a name the text does not show where the tree says');
  }
  return id;
}

function refOf(sql: string, item: FromTable): TableRef {
  const id = writtenAt(sql, rangeOf(item.name)[0], item.name.name);
  let qualifier: Written = id;
  if (item.name.alias !== undefined) {
    // The parser keeps no position for the alias: it follows the name, after an optional AS.
    let i = skipTrivia(sql, id.end);
    if (/^as\b/i.test(sql.slice(i, i + 3))) {
      i = skipTrivia(sql, i + 2);
    }
    qualifier = writtenAt(sql, i, item.name.alias);
  }
  return { name: id.name, quoted: id.quoted, start: id.start, end: id.end, qualifier: qualifier.name.toLowerCase(), qualifierText: sql.slice(qualifier.start, qualifier.end) };
}

function plainTable(item: From): item is FromTable {
  return item.type === 'table' && !item.name.schema && !item.name.columnNames && !item.lateral;
}

/**
 * The tables of one FROM list (joins and commas), with the ON conditions met. Throws Unsupported
 * on anything but plain (aliased) table names joined with ON / USING / commas.
 */
export function fromItems(sql: string, from: readonly From[]): { refs: TableRef[]; ons: Expr[] } {
  const refs: TableRef[] = [];
  const ons: Expr[] = [];
  for (const item of from) {
    if (!plainTable(item)) {
      throw new Unsupported(item.type);
    }
    refs.push(refOf(sql, item));
    if (item.join?.on) {
      ons.push(item.join.on);
    }
  }
  return { refs, ons };
}

function isNode(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Every table reference in the statement, for the checks that need no column resolution. */
export function statementTables(sql: string, root: Statement): StatementTables {
  const refs: TableRef[] = [];
  const ctes = new Set<string>();
  let unresolved = false;
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    if (!isNode(n)) {
      return;
    }
    if (n.type === 'with' && Array.isArray(n.bind)) {
      for (const b of n.bind as { alias: { name: string } }[]) {
        ctes.add(b.alias.name.toLowerCase());
      }
    }
    if (n.type === 'with recursive' && isNode(n.alias) && typeof n.alias.name === 'string') {
      ctes.add(n.alias.name.toLowerCase());
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'from' && n.type === 'select' && Array.isArray(value)) {
        for (const item of value as From[]) {
          if (plainTable(item)) {
            refs.push(refOf(sql, item));
          } else if (item.type !== 'statement') {
            // schema.table, a table function, LATERAL: what it reads is not known here.
            unresolved = true;
          }
          visit(item);
        }
      } else if (key !== '_location') {
        visit(value);
      }
    }
  };
  visit(root);
  refs.sort((a, b) => a.start - b.start);
  return { refs: refs.filter((r) => !ctes.has(r.name.toLowerCase())), unresolved };
}
