/**
 * The result parsers, bundled on their own (dist/parsers.js) and required by `loadParsers()` when
 * a result is first read: hyparquet and its codecs, and the CSV reader. Activation never
 * evaluates them, and a session that never opens a result never loads them.
 */
import { csvReader } from './csv';
import { isParquet, parseParquet } from './parquet';
import type { ResultPart } from './parseError';
import type { ResultFormat, ResultTable } from './types';

export { csvReader, isParquet, parseParquet };

/**
 * Parses downloaded result files (all Parquet or all CSV, by the first file's magic bytes) into
 * one table: what ResultsReader does after the download, for benchmarks ("parse 1M rows") and
 * for callers that already hold the bytes. Throws ResultParseError naming a bad file.
 */
export async function parseResultFiles(parts: readonly ResultPart[], options: { signal?: AbortSignal } = {}): Promise<{ format: ResultFormat; table: ResultTable }> {
  if (parts.length > 0 && isParquet(parts[0].bytes)) {
    return { format: 'PARQUET', table: await parseParquet(parts, options) };
  }
  const reader = csvReader();
  for (const part of parts) {
    options.signal?.throwIfAborted();
    reader.end(reader.begin(part));
  }
  return { format: 'CSV', table: reader.snapshot() };
}
