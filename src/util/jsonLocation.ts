/**
 * Finds where a value sits in a settings file (JSON with comments and trailing commas), so an
 * editor can select it. Only what that needs: it follows one path of object keys and array
 * indexes and skips everything else; it does not build values. Free of `vscode`.
 */

/** Offsets into the text: [start, end). */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The range of the value at `path` (object keys and array indexes), or undefined when the text
 * has no such value or cannot be read. A key written twice resolves to the last one, as VS Code reads it.
 */
export function locateJsonValue(text: string, path: ReadonlyArray<string | number>): TextRange | undefined {
  try {
    const scanner = new Scanner(text);
    return scanner.find(path);
  } catch {
    // Malformed text (the user is halfway through an edit): nothing to select.
    return undefined;
  }
}

class Malformed extends Error {}

/** Whitespace, a line comment or a block comment, at lastIndex. */
const TRIVIA = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\//y;
/** A number, true, false or null, at lastIndex. */
const LITERAL = /[^\s,\]}/]+/y;

class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  find(path: ReadonlyArray<string | number>): TextRange | undefined {
    this.trivia();
    return this.valueAt(path);
  }

  /** At the start of a value: the range of the value `path` leads to from here, skipping the rest. */
  private valueAt(path: ReadonlyArray<string | number>): TextRange | undefined {
    const start = this.pos;
    if (path.length === 0) {
      this.skipValue();
      return { start, end: this.pos };
    }
    const [step, ...rest] = path;
    const open = this.text[this.pos];
    if (typeof step === 'string' && open === '{') {
      let found: TextRange | undefined;
      this.members('}', () => {
        const key = this.readString();
        this.trivia();
        this.expect(':');
        this.trivia();
        if (key === step) {
          found = this.valueAt(rest) ?? found;
        } else {
          this.skipValue();
        }
      });
      return found;
    }
    if (typeof step === 'number' && open === '[') {
      let index = 0;
      let found: TextRange | undefined;
      this.members(']', () => {
        if (index++ === step) {
          found = this.valueAt(rest);
        } else {
          this.skipValue();
        }
      });
      return found;
    }
    this.skipValue();
    return undefined;
  }

  /** Walks the members of an object or array from its opening bracket past its closing one. */
  private members(close: '}' | ']', member: () => void): void {
    this.pos++;
    this.trivia();
    while (this.text[this.pos] !== close) {
      member();
      this.trivia();
      if (this.text[this.pos] === ',') {
        this.pos++;
        this.trivia();
      } else if (this.text[this.pos] !== close) {
        throw new Malformed();
      }
    }
    this.pos++;
  }

  private skipValue(): void {
    const c = this.text[this.pos];
    if (c === '{') {
      this.members('}', () => {
        this.readString();
        this.trivia();
        this.expect(':');
        this.trivia();
        this.skipValue();
      });
    } else if (c === '[') {
      this.members(']', () => this.skipValue());
    } else if (c === '"') {
      this.readString();
    } else {
      // A number, true, false or null.
      LITERAL.lastIndex = this.pos;
      const literal = LITERAL.exec(this.text);
      if (!literal) {
        throw new Malformed();
      }
      this.pos += literal[0].length;
    }
  }

  private readString(): string {
    if (this.text[this.pos] !== '"') {
      throw new Malformed();
    }
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    }
    if (this.pos >= this.text.length) {
      throw new Malformed();
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) {
      throw new Malformed();
    }
    this.pos++;
  }

  /** Skips whitespace and comments. */
  private trivia(): void {
    for (;;) {
      TRIVIA.lastIndex = this.pos;
      const rest = TRIVIA.exec(this.text);
      if (!rest || rest[0].length === 0) {
        return;
      }
      this.pos += rest[0].length;
    }
  }
}
