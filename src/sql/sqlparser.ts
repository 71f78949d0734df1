/**
 * The SQL parser (pgsql-ast-parser, MIT), bundled on its own (dist/sqlparser.js) and required by
 * `loadSqlParser()` when the pre-flight check first reads a statement: activation never evaluates it.
 */
export { parse } from 'pgsql-ast-parser';
