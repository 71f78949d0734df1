/**
 * Reading the statement text itself, where the parser's tree (pgsql-ast-parser) says too little:
 * it lower-cases unquoted names and drops the quotes, keeps no position for keywords such as OR,
 * and does not know `:name` template parameters.
 */

/** The end of the comment or string starting at `i`, or `i` when none starts there. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i];
  if (c === '-' && sql[i + 1] === '-') {
    const nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2);
    return close < 0 ? sql.length : close + 2;
  }
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    return sql.length;
  }
  return i;
}

/** What a `*` inside a quoted name becomes for the parser (its lexer refuses `*` there); one UTF-16 unit, like `*`. */
export const MASKED_STAR = '\u2217';

/** A name as the parser reads it after maskParameters: `*` written as MASKED_STAR. */
export function maskedName(name: string): string {
  return name.replace(/\*/g, MASKED_STAR);
}

/**
 * The text with each `:name` template parameter (outside strings, quoted names and comments)
 * replaced by `$1` padded with spaces to the same length: a parameter the parser reads, and every
 * offset stays where it was. A `*` inside a quoted name (another account's table may be called
 * anything) becomes MASKED_STAR, which the parser's lexer accepts; names are read from the
 * original text (see writtenAt), so nothing is reported under the masked spelling.
 */
export function maskParameters(sql: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < sql.length) {
    const skipped = skipQuoted(sql, i);
    if (skipped > i) {
      if (sql[i] === '"' && sql.slice(i, skipped).includes('*')) {
        out += sql.slice(last, i) + maskedName(sql.slice(i, skipped));
        last = skipped;
      }
      i = skipped;
      continue;
    }
    if (sql[i] === ':' && sql[i + 1] === ':') {
      i += 2;
      continue;
    }
    if (sql[i] === ':' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 2;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j])) {
        j++;
      }
      out += sql.slice(last, i) + '$1'.padEnd(j - i, ' ');
      last = j;
      i = j;
      continue;
    }
    i++;
  }
  return out + sql.slice(last);
}

/** The first offset at or after `i` that is neither whitespace nor inside a comment. */
export function skipTrivia(sql: string, i: number): number {
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) {
      i++;
    }
    if ((sql[i] === '-' && sql[i + 1] === '-') || (sql[i] === '/' && sql[i + 1] === '*')) {
      i = skipQuoted(sql, i);
      continue;
    }
    return i;
  }
}

/** A name as written at one place in the text. */
export interface Written {
  /** Unquoted (inner `""` undone) when quoted; as written otherwise. */
  readonly name: string;
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

/** The name (quoted or bare) that starts at `start`, or undefined when none does. */
export function identifierAt(sql: string, start: number): Written | undefined {
  if (sql[start] === '"') {
    const end = skipQuoted(sql, start);
    if (sql[end - 1] !== '"' || end - start < 3) {
      return undefined;
    }
    return { name: sql.slice(start + 1, end - 1).replace(/""/g, '"'), quoted: true, start, end };
  }
  const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(start, start + 256));
  return bare ? { name: bare[0], quoted: false, start, end: start + bare[0].length } : undefined;
}

/** The offsets of the keyword `word` between `from` and `to` (outside comments and strings), if it is there. */
export function keywordBetween(sql: string, from: number, to: number, word: string): [number, number] | undefined {
  let i = from;
  while (i < to) {
    const skipped = skipQuoted(sql, i);
    if (skipped > i) {
      i = skipped;
      continue;
    }
    const id = identifierAt(sql, i);
    if (id && !id.quoted) {
      if (id.name.toUpperCase() === word && id.end <= to) {
        return [id.start, id.end];
      }
      i = id.end;
      continue;
    }
    i++;
  }
  return undefined;
}
