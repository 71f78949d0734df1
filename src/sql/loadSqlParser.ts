export type SqlParser = typeof import('./sqlparser');

let parser: SqlParser | undefined;

/** The SQL parser, loaded on first use (see ./sqlparser.ts). Relative, so dist/sqlparser.js is found. */
export function loadSqlParser(): SqlParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require keeps the parser out of activation; esbuild leaves ./sqlparser as its own file
  parser ??= require('./sqlparser') as SqlParser;
  return parser;
}
