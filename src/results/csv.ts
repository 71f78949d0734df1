/**
 * A streaming RFC 4180 CSV reader that keeps no copies of the cells. Each part's bytes stay as
 * downloaded (they are also what Save Original Files writes); the parser records, per cell, where
 * it starts and ends in those bytes and how it was written, and decodes a cell only when it is
 * read. It can run while the part is still arriving: `feed(loaded)` parses what has arrived and
 * resumes exactly where it stopped, so the first rows show before the download ends.
 *
 * NULL vs empty: an unquoted empty field is NULL, a quoted "" is the empty string, which is how
 * DuckDB and Spark write them. A quoted field followed by more text before the delimiter (not
 * RFC 4180) is kept verbatim, quotes included, rather than guessed at.
 */
import { ResultParseError, type ResultPart } from './parseError';
import type { NumericSortKeys, SortableTable } from './columns';
import { compareDecimalText } from './decimalText';
import { CSV_TYPE, type ResultColumn } from './types';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the next byte says whether it closes the field or is doubled. */
  QuoteInQuoted,
  AfterQuoted,
}

const enum Flag {
  Plain = 0,
  Null = 1,
  Quoted = 2,
  /** Quoted, with doubled quotes to undo. */
  Escaped = 3,
  /** Irregular quoting: shown verbatim. */
  Raw = 4,
}

/** One CSV part: its header and the cell spans of its rows. */
export class CsvPart {
  /** Column names from the first record; undefined until it has been read. */
  header: string[] | undefined;
  rowCount = 0;
  private readonly buffer: Buffer;
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private flags = new Uint8Array(1024);
  private width = 0;

  // Scanner state, kept between feeds.
  private pos = 0;
  private state = State.FieldStart;
  private fieldStart = 0;
  private fieldFlag = Flag.Plain;
  private field = 0;
  private skipLf = false;
  private records = 0;
  private done = false;
  private readonly headerCells: Array<[number, number, Flag]> = [];

  constructor(
    readonly key: string,
    readonly bytes: Uint8Array,
  ) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Parses bytes [.., loaded). `final`: no more bytes will come (`loaded` is the file's length). */
  feed(loaded: number, final: boolean): void {
    if (this.done) {
      return;
    }
    const b = this.bytes;
    if (this.pos === 0 && this.records === 0) {
      if (loaded < 3 && !final) return;
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
        this.pos = this.fieldStart = 3;
      }
    }
    let pos = this.pos;
    let state = this.state;
    while (pos < loaded) {
      const c = b[pos];
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          pos++;
          this.fieldStart = pos;
          continue;
        }
      }
      switch (state) {
        case State.FieldStart:
          if (c === QUOTE) {
            state = State.Quoted;
            this.fieldStart = pos + 1;
            this.fieldFlag = Flag.Quoted;
            pos++;
          } else {
            this.fieldStart = pos;
            this.fieldFlag = Flag.Plain;
            state = State.Unquoted;
          }
          break;
        case State.Unquoted: {
          // The common case, kept tight: scan to the next delimiter.
          while (pos < loaded) {
            const d = b[pos];
            if (d === COMMA || d === LF || d === CR) break;
            pos++;
          }
          if (pos >= loaded) break;
          const end = pos;
          const d = b[pos];
          this.endField(end, end === this.fieldStart ? Flag.Null : this.fieldFlag);
          pos++;
          if (d === COMMA) {
            state = State.FieldStart;
            this.fieldStart = pos;
          } else {
            this.endRecord(d === CR);
            state = State.FieldStart;
            this.fieldStart = pos;
          }
          break;
        }
        case State.Quoted: {
          const at = b.indexOf(QUOTE, pos);
          if (at === -1 || at >= loaded) {
            pos = loaded;
            break;
          }
          pos = at + 1;
          state = State.QuoteInQuoted;
          break;
        }
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.fieldFlag = this.fieldFlag === Flag.Raw ? Flag.Raw : Flag.Escaped;
            state = State.Quoted;
            pos++;
          } else {
            state = State.AfterQuoted;
            this.quotedEnd = pos - 1;
          }
          break;
        case State.AfterQuoted:
          if (c === COMMA || c === LF || c === CR) {
            if (this.fieldFlag === Flag.Raw) {
              this.endField(pos, Flag.Raw);
            } else {
              this.endField(this.quotedEnd, this.fieldFlag);
            }
            pos++;
            if (c === COMMA) {
              state = State.FieldStart;
              this.fieldStart = pos;
            } else {
              this.endRecord(c === CR);
              state = State.FieldStart;
              this.fieldStart = pos;
            }
          } else {
            // Text after the closing quote: keep the whole field verbatim from its opening quote.
            if (this.fieldFlag !== Flag.Raw) {
              this.fieldStart -= 1;
              this.fieldFlag = Flag.Raw;
            }
            pos++;
            if (c === QUOTE) state = State.Quoted;
          }
          break;
      }
    }
    this.pos = pos;
    this.state = state;
    if (final) {
      this.finish(loaded);
    }
  }

  private quotedEnd = 0;

  private finish(length: number): void {
    switch (this.state) {
      case State.Quoted:
        throw new ResultParseError(this.key, `row ${this.rowCount + 1} ends inside a quoted field: the file is truncated`, true);
      case State.QuoteInQuoted:
        this.endField(this.fieldFlag === Flag.Raw ? length : length - 1, this.fieldFlag);
        this.endRecord(false);
        break;
      case State.AfterQuoted:
        this.endField(this.fieldFlag === Flag.Raw ? length : this.quotedEnd, this.fieldFlag);
        this.endRecord(false);
        break;
      case State.Unquoted:
        this.endField(length, length === this.fieldStart ? Flag.Null : this.fieldFlag);
        this.endRecord(false);
        break;
      case State.FieldStart:
        // After a record's end: nothing more. After a delimiter: the last field is an empty (NULL) one.
        if (this.field > 0) {
          this.endField(length, Flag.Null);
          this.endRecord(false);
        }
        break;
    }
    if (this.header === undefined) {
      throw new ResultParseError(this.key, 'the file is empty: it has no header line');
    }
    this.done = true;
  }

  private endField(end: number, flag: Flag): void {
    if (this.header === undefined) {
      this.headerCells.push([this.fieldStart, end, flag]);
      this.field++;
      return;
    }
    if (this.field >= this.width) {
      throw new ResultParseError(this.key, `row ${this.rowCount + 1} has more fields than the header's ${this.width}`);
    }
    const i = this.rowCount * this.width + this.field;
    if (i >= this.starts.length) {
      this.grow();
    }
    this.starts[i] = this.fieldStart;
    this.ends[i] = end;
    this.flags[i] = flag;
    this.field++;
  }

  private endRecord(cr: boolean): void {
    this.skipLf = cr;
    if (this.header === undefined) {
      this.header = this.headerCells.map(([s, e, f]) => this.decode(s, e, f) ?? '');
      this.width = this.header.length;
    } else if (this.field === 1 && this.width > 1 && this.flags[this.rowCount * this.width] === Flag.Null) {
      // A blank line in a table of several columns holds no record (one column: it is a NULL).
    } else if (this.field !== this.width) {
      throw new ResultParseError(this.key, `row ${this.rowCount + 1} has ${this.field} fields; the header has ${this.width}`);
    } else {
      this.rowCount++;
    }
    this.records++;
    this.field = 0;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Uint32Array(size);
    starts.set(this.starts);
    const ends = new Uint32Array(size);
    ends.set(this.ends);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }

  private decode(start: number, end: number, flag: Flag): string | null {
    switch (flag) {
      case Flag.Null:
        return null;
      case Flag.Escaped:
        return this.buffer.toString('utf8', start, end).replaceAll('""', '"');
      default:
        return this.buffer.toString('utf8', start, end);
    }
  }

  cell(row: number, column: number): string | null {
    const i = row * this.width + column;
    return this.decode(this.starts[i], this.ends[i], this.flags[i]);
  }

  /**
   * The cell as a number when it is a plain decimal numeral ("-12.50"), NaN when it is NULL, and
   * undefined otherwise. Read from the bytes, so sorting a million numeric cells makes no strings;
   * up to 15 digits the value is exact, longer numerals take the correctly rounded Number().
   */
  numberAt(row: number, column: number): number | undefined {
    this.lastInexact = false;
    const i = row * this.width + column;
    const flag = this.flags[i] as Flag;
    if (flag === Flag.Null) return NaN;
    if (flag !== Flag.Plain && flag !== Flag.Quoted) return undefined;
    const b = this.bytes;
    let p = this.starts[i];
    const end = this.ends[i];
    const negative = b[p] === 0x2d;
    if (negative || b[p] === 0x2b) p++;
    let value = 0;
    let digits = 0;
    let scale = 1;
    let dot = false;
    for (; p < end; p++) {
      const c = b[p];
      if (c >= 0x30 && c <= 0x39) {
        value = value * 10 + (c - 0x30);
        digits++;
        if (dot) scale *= 10;
      } else if (c === 0x2e && !dot) {
        dot = true;
      } else {
        return undefined;
      }
    }
    if (digits === 0) return undefined;
    this.lastInexact = digits > 15;
    if (this.lastInexact) return Number(this.cell(row, column));
    const v = value / scale;
    return negative ? -v : v;
  }

  /** Whether the last numberAt() value was rounded (a numeral of more than 15 digits). */
  lastInexact = false;

  /** Frees the scanner's growth slack once the part is complete. */
  compact(): void {
    const n = this.rowCount * this.width;
    this.starts = this.starts.slice(0, n);
    this.ends = this.ends.slice(0, n);
    this.flags = this.flags.slice(0, n);
  }
}

/** CSV columns carry no type: every column is "text". */
export { CSV_TYPE };

/** The rows of several parts as one table; `rowCount` is fixed when it is made (a snapshot). */
export class CsvTable implements SortableTable {
  readonly columns: readonly ResultColumn[];
  readonly rowCount: number;
  private readonly offsets: number[] = [];
  private readonly parts: CsvPart[] = [];
  private last = 0;

  constructor(parts: readonly CsvPart[]) {
    const header = parts[0]?.header ?? [];
    this.columns = header.map((name) => ({ name, type: CSV_TYPE }));
    let rows = 0;
    for (const p of parts) {
      if (p.header === undefined) break;
      this.offsets.push(rows);
      this.parts.push(p);
      rows += p.rowCount;
    }
    this.rowCount = rows;
  }

  cell(row: number, column: number): string | null {
    if (row < 0 || row >= this.rowCount) {
      throw new RangeError(`row ${row} outside 0..${this.rowCount - 1}`);
    }
    const p = this.partOf(row);
    return this.parts[p].cell(row - this.offsets[p], column);
  }

  /** CSV carries no types: a column sorts as numbers when every value in it is a plain numeral. */
  numericKeys(column: number): NumericSortKeys | undefined {
    const approx = new Float64Array(this.rowCount);
    // Numerals of more than 15 digits may round; only they need the exact (text) comparison on a tie.
    const inexact = new Uint8Array(this.rowCount);
    let any = false;
    for (let p = 0; p < this.parts.length; p++) {
      const part = this.parts[p];
      const base = this.offsets[p];
      const rows = Math.min(part.rowCount, this.rowCount - base);
      for (let r = 0; r < rows; r++) {
        const v = part.numberAt(r, column);
        if (v === undefined) return undefined;
        approx[base + r] = v;
        if (part.lastInexact) inexact[base + r] = 1;
        any ||= !Number.isNaN(v);
      }
    }
    if (!any) return undefined;
    return {
      approx,
      isNull: (r) => Number.isNaN(approx[r]),
      tie: (a, b) => (inexact[a] | inexact[b] ? compareDecimalText(this.cell(a, column) as string, this.cell(b, column) as string) : 0),
    };
  }

  private partOf(row: number): number {
    let p = this.last;
    if (!(row >= this.offsets[p] && (p + 1 >= this.offsets.length || row < this.offsets[p + 1]))) {
      let lo = 0;
      let hi = this.offsets.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.offsets[mid] <= row) lo = mid;
        else hi = mid - 1;
      }
      p = this.last = lo;
    }
    return p;
  }
}

export interface CsvReader {
  /** The part now arriving; call `feed` on it as bytes land in its buffer. */
  begin(part: ResultPart): CsvPart;
  /** After the last byte of the current part: checks it and its header against the first part's. */
  end(part: CsvPart): void;
  /** The rows so far. */
  snapshot(): CsvTable;
}

/** Reads CSV parts one after another into one table; every part has its own header, and they must match. */
export function csvReader(): CsvReader {
  const parts: CsvPart[] = [];
  return {
    begin(part) {
      const p = new CsvPart(part.key, part.bytes);
      parts.push(p);
      return p;
    },
    end(p) {
      p.feed(p.bytes.length, true);
      p.compact();
      const first = parts[0];
      if (p !== first && first.header && p.header && (first.header.length !== p.header.length || first.header.some((h, i) => h !== p.header?.[i]))) {
        throw new ResultParseError(p.key, `its header (${p.header.join(', ')}) differs from that of ${first.key} (${first.header.join(', ')})`);
      }
    },
    snapshot: () => new CsvTable(parts),
  };
}

/** Parses complete CSV parts (for tests and benchmarks). */
export function parseCsv(parts: readonly ResultPart[]): CsvTable {
  const reader = csvReader();
  for (const part of parts) {
    reader.end(reader.begin(part));
  }
  return reader.snapshot();
}
