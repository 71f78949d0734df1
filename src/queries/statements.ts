/**
 * Splits SQL text into statements, the way a person reads it: `;` ends a statement unless it sits
 * inside a 'string' (with '' escapes), a "quoted identifier", a `backtick identifier` (Spark), a
 * -- line comment or a block comment. Offsets are into the text as given (CRLF included), so
 * an editor maps them with positionAt. Free of `vscode`: unit-tested in plain Node.
 */

export interface Statement {
  /** Offset of the statement's first character that is not whitespace or a comment. */
  readonly start: number;
  /** Offset just after its last such character (before the `;` and any trailing comment). */
  readonly end: number;
  /** From just after the previous `;` (or the start) to just after its own `;` (or the end). */
  readonly spanStart: number;
  readonly spanEnd: number;
  /** text.slice(start, end): what runs. Comments inside it are kept. */
  readonly text: string;
}

/**
 * The document's statements, in order. Empty ones (`;;`, comments only) are left out.
 * Unterminated strings and comments run to the end of the text, as a SQL parser would read them.
 */
export function splitStatements(text: string): Statement[] {
  const statements: Statement[] = [];
  let spanStart = 0;
  let start = -1;
  let end = -1;
  const close = (spanEnd: number): void => {
    if (start >= 0) {
      statements.push({ start, end, spanStart, spanEnd, text: text.slice(start, end) });
    }
    spanStart = spanEnd;
    start = -1;
    end = -1;
  };
  const code = (from: number, to: number): void => {
    if (start < 0) {
      start = from;
    }
    end = to;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
    } else if (c === '/' && next === '*') {
      const stop = text.indexOf('*/', i + 2);
      i = stop < 0 ? text.length : stop + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const from = i;
      i = quotedEnd(text, i);
      code(from, i);
    } else if (c === ';') {
      close(i + 1);
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      code(i, i + 1);
      i++;
    }
  }
  close(text.length);
  return statements;
}

/** Offset just after the quoted run starting at `open` (a doubled quote is an escape). */
function quotedEnd(text: string, open: number): number {
  const quote = text[open];
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

/**
 * The statement a cursor at `offset` means: the one whose span holds it; in the empty tail after
 * the last `;` (or between `;;`), the statement before it.
 */
export function statementAt(text: string, offset: number): Statement | undefined {
  const statements = splitStatements(text);
  const inside = statements.find((s) => offset >= s.spanStart && (offset < s.spanEnd || (offset === s.spanEnd && s.spanEnd === text.length)));
  if (inside) {
    return inside;
  }
  // After a statement's `;`: the cursor at the end of `SELECT 1;` means that statement.
  return [...statements].reverse().find((s) => s.spanEnd <= offset);
}

/**
 * What Run runs: the selection when it holds more than whitespace (without a trailing `;`), else
 * the statement under the cursor. Undefined when there is nothing to run.
 */
export function queryToRun(text: string, selection: { readonly start: number; readonly end: number }, cursor: number): string | undefined {
  if (selection.end > selection.start) {
    const selected = splitStatements(text.slice(selection.start, selection.end));
    if (selected.length > 0) {
      return text.slice(selection.start, selection.end).trim().replace(/;\s*$/, '').trim();
    }
  }
  return statementAt(text, cursor)?.text;
}
