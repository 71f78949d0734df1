import type { Catalog, CatalogTable } from './catalog';

/**
 * A forgiving tokenizer for completion and hover: they run on SQL being typed, which the real
 * parser (analyze.ts) cannot read, so they only need words, quoted names, dots and the tables a
 * statement names with their aliases. Free of `vscode`.
 */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  /** For words the text as written; for quoted names the name without quotes (doubled quotes undone). */
  readonly value: string;
  readonly start: number;
  /** End exclusive. For an unterminated quoted name, the end of the text. */
  readonly end: number;
  /** A quoted name whose closing quote is missing (the user is typing it). */
  readonly open?: boolean;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
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
    } else if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < text.length) {
        if (text[j] === c) {
          if (text[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value, start: i, end: j, open: !closed || undefined });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_$]/.test(text[j])) {
        j++;
      }
      tokens.push({ kind: 'word', value: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE]/.test(text[j])) {
        j++;
      }
      tokens.push({ kind: 'number', value: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** Words after which a name is not an alias (`FROM t WHERE`, `FROM t JOIN`, ...). */
const NOT_ALIAS = new Set(
  (
    'where join inner left right full outer cross on group order having limit union intersect except window natural using ' +
    'select from as and or not lateral offset fetch qualify'
  ).split(' '),
);

export function isIdentifier(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted');
}

/** A table named in the statement, and the name it goes by there (its alias, or its own name). */
export interface TableReference {
  readonly table: CatalogTable;
  readonly alias?: string;
  readonly token: Token;
}

/** The catalog table an identifier token names, if any. */
export function tableOfToken(token: Token, catalog: Catalog): CatalogTable | undefined {
  return catalog.table(token.value, token.kind === 'quoted');
}

/**
 * The catalog tables a statement names after FROM, JOIN or a comma in a FROM list, each with its
 * alias (`t AS a`, `t a`). Incomplete SQL is fine: whatever can be read is returned.
 */
export function tableReferences(tokens: readonly Token[], catalog: Catalog): TableReference[] {
  const refs: TableReference[] = [];
  let inFrom = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const word = tok.kind === 'word' ? tok.value.toLowerCase() : '';
    if (word === 'from' || word === 'join') {
      inFrom = true;
    } else if (['where', 'group', 'order', 'having', 'limit', 'on', 'select', 'union', 'using'].includes(word)) {
      inFrom = false;
    }
    const prev = tokens[i - 1];
    const prevWord = prev?.kind === 'word' ? prev.value.toLowerCase() : '';
    const afterListStart = prevWord === 'from' || prevWord === 'join' || (inFrom && prev?.kind === 'punct' && prev.value === ',');
    if (!isIdentifier(tok) || !afterListStart || tokens[i + 1]?.value === '.') {
      continue;
    }
    const table = tableOfToken(tok, catalog);
    if (!table) {
      continue;
    }
    let j = i + 1;
    if (tokens[j]?.kind === 'word' && tokens[j].value.toLowerCase() === 'as') {
      j++;
    }
    const candidate = tokens[j];
    const alias = isIdentifier(candidate) && !(candidate.kind === 'word' && NOT_ALIAS.has(candidate.value.toLowerCase())) ? candidate.value : undefined;
    refs.push({ table, alias, token: tok });
  }
  return refs;
}

/** The table a qualifier (`x` in `x.col`) means: an alias declared in the statement, else a table name. */
export function resolveQualifier(qualifier: Token, refs: readonly TableReference[], catalog: Catalog): CatalogTable | undefined {
  const byAlias = refs.find((r) => r.alias !== undefined && r.alias.toLowerCase() === qualifier.value.toLowerCase());
  return byAlias?.table ?? tableOfToken(qualifier, catalog);
}
