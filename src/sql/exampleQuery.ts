import type { AggregateFunctionName } from '@aws-sdk/client-cleanrooms';
import { sqlIdentifier, type Catalog, type CatalogColumn, type CatalogTable } from './catalog';
import { aggregateCall } from './columns';
import { splitStatements, type Statement } from '../queries/statements';

/**
 * Example queries the rules allow, built from the catalog (Insert Example Query): one per table
 * that can be queried directly. Tables that are not ready, allow only analysis templates, or have
 * no rule get none. Free of `vscode`.
 */
export interface ExampleQuery {
  /** The table the query is about, as named in the schema. */
  readonly table: string;
  readonly sql: string;
}

/** Preferred aggregate for the example: COUNT(DISTINCT ...) first, as the issue shows. */
const PREFERRED: readonly AggregateFunctionName[] = ['COUNT_DISTINCT', 'COUNT', 'SUM', 'AVG', 'SUM_DISTINCT'];


function queryable(table: CatalogTable): boolean {
  return table.status !== 'NOT_READY' && table.templatesOnly === undefined;
}

/** A column that may be output: not a join column (join columns appear only in ON). */
function pick(table: CatalogTable, wanted: (c: CatalogColumn) => boolean): CatalogColumn | undefined {
  return table.columns.find((c) => !c.join && wanted(c));
}

function aggregationExample(table: CatalogTable, catalog: Catalog): string | undefined {
  let aggregate: { fn: AggregateFunctionName; column: CatalogColumn } | undefined;
  for (const fn of PREFERRED) {
    // A join column may appear inside its allowed aggregate (COUNT(DISTINCT hashed_email) is the documented example).
    const column = pick(table, (c) => c.aggregate.includes(fn)) ?? table.columns.find((c) => c.aggregate.includes(fn));
    if (column) {
      aggregate = { fn, column };
      break;
    }
  }
  if (!aggregate) {
    return undefined;
  }
  const dimension = pick(table, (c) => c.dimension && c.aggregate.length === 0);
  const partner = catalog.tables
    .filter((other) => other.name !== table.name && other.kind === 'AGGREGATION' && queryable(other))
    .map((other) => ({ other, on: table.columns.find((c) => c.join && other.column(c.name)?.join === true) }))
    .find((p) => p.on !== undefined);
  if (table.joinRequired && !partner) {
    return undefined;
  }
  const a = partner ? 'a.' : '';
  const select = [...(dimension ? [`${a}${sqlIdentifier(dimension.name)}`] : []), aggregateCall(aggregate.fn, `${a}${sqlIdentifier(aggregate.column.name)}`)];
  const lines = [`SELECT ${select.join(', ')}`];
  if (partner?.on) {
    const on = sqlIdentifier(partner.on.name);
    const theirs = sqlIdentifier(partner.other.column(partner.on.name)?.name ?? partner.on.name);
    lines.push(`FROM ${table.sqlName} AS a`, `JOIN ${partner.other.sqlName} AS b ON a.${on} = b.${theirs}`);
  } else {
    lines.push(`FROM ${table.sqlName}`);
  }
  if (dimension) {
    lines.push(`GROUP BY ${a}${sqlIdentifier(dimension.name)}`);
  }
  return lines.join('\n');
}

function listExample(table: CatalogTable): string | undefined {
  const columns = table.columns.filter((c) => c.list && !c.join).slice(0, 3);
  if (columns.length === 0) {
    return undefined;
  }
  return [`SELECT DISTINCT ${columns.map((c) => sqlIdentifier(c.name)).join(', ')}`, `FROM ${table.sqlName}`, 'LIMIT 100'].join('\n');
}

function customExample(table: CatalogTable): string | undefined {
  const allowed = table.columns.filter((c) => !c.disallowedOutput && !c.differentialPrivacy);
  if (table.columns.some((c) => c.differentialPrivacy)) {
    // Differential privacy answers aggregate queries only.
    const group = allowed[0];
    return group
      ? [`SELECT ${sqlIdentifier(group.name)}, COUNT(*)`, `FROM ${table.sqlName}`, `GROUP BY ${sqlIdentifier(group.name)}`].join('\n')
      : [`SELECT COUNT(*)`, `FROM ${table.sqlName}`].join('\n');
  }
  const columns = allowed.slice(0, 3);
  if (columns.length === 0) {
    return undefined;
  }
  return [`SELECT ${columns.map((c) => sqlIdentifier(c.name)).join(', ')}`, `FROM ${table.sqlName}`, 'LIMIT 100'].join('\n');
}

/** The example for one table, or undefined when its rule allows no direct query we can build. */
export function exampleQueryFor(table: CatalogTable, catalog: Catalog): ExampleQuery | undefined {
  if (!queryable(table)) {
    return undefined;
  }
  const sql = table.kind === 'AGGREGATION' ? aggregationExample(table, catalog) : table.kind === 'LIST' ? listExample(table) : table.kind === 'CUSTOM' ? customExample(table) : undefined;
  return sql === undefined ? undefined : { table: table.name, sql };
}

/** One example per table that has one, in catalog order. */
export function exampleQueries(catalog: Catalog): ExampleQuery[] {
  return catalog.tables.map((table) => exampleQueryFor(table, catalog)).filter((q): q is ExampleQuery => q !== undefined);
}

/** A text edit in document offsets: replace [start, end) with newText. */
export interface Insertion {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/**
 * Where an example goes as a statement of its own: after the statement the cursor is in (else at
 * the end of the cursor's line), on its own lines, ending with `;`; the statement before it gets
 * its missing `;`. Edits in document order.
 */
export function exampleInsertion(text: string, cursor: number, sql: string): Insertion[] {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const statements = splitStatements(text);
  const terminated = (s: Statement): boolean => text[s.spanEnd - 1] === ';';
  const inside = statements.find((s) => s.start <= cursor && cursor < s.end);
  const lineEndAt = (from: number): number => {
    const eolAt = text.indexOf('\n', from);
    return eolAt < 0 ? text.length : text[eolAt - 1] === '\r' ? eolAt - 1 : eolAt;
  };
  let at = inside ? (terminated(inside) ? inside.spanEnd : inside.end) : lineEndAt(cursor);
  if (text.slice(at, lineEndAt(at)).trim().startsWith('--')) {
    // A comment ending the statement's line stays with it.
    at = lineEndAt(at);
  }
  const before = [...statements].reverse().find((s) => s.end <= at);
  const semicolonAt = before && !(terminated(before) && before.spanEnd <= at) ? before.end : undefined;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineAfter = text.indexOf('\n', at);
  const restOfLine = text.slice(at, lineAfter < 0 ? text.length : lineAfter);
  const prefix = text.slice(lineStart, at).trim() !== '' ? eol + eol : '';
  const suffix = restOfLine.trim() !== '' ? eol : '';
  const body = `${prefix}${sql.split('\n').join(eol)};${suffix}`;
  if (semicolonAt === undefined) {
    return [{ start: at, end: at, newText: body }];
  }
  if (semicolonAt === at) {
    return [{ start: at, end: at, newText: `;${body}` }];
  }
  return [
    { start: semicolonAt, end: semicolonAt, newText: ';' },
    { start: at, end: at, newText: body },
  ];
}
