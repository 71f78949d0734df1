/**
 * The SQL parser, bundled on its own (dist/sqlparser.js) and required by `loadSqlParser()` when
 * the pre-flight check first reads a statement: activation never evaluates it.
 */
export { parse } from 'sql-parser-cst';
