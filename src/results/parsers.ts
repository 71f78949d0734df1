/**
 * The result parsers, bundled on their own (dist/parsers.js) and required by `loadParsers()` when
 * a result is first read: hyparquet and its codecs, and the CSV reader. Activation never
 * evaluates them, and a session that never opens a result never loads them.
 */
export { parseParquet, isParquet } from './parquet';
export { csvReader } from './csv';
