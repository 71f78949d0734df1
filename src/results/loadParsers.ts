export type Parsers = typeof import('./parsers');

let parsers: Parsers | undefined;

/** The result parsers, loaded on first use (see ./parsers.ts). Relative, so dist/parsers.js is found. */
export function loadParsers(): Parsers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require keeps hyparquet and the CSV reader out of activation; esbuild leaves ./parsers as its own file
  parsers ??= require('./parsers') as Parsers;
  return parsers;
}
