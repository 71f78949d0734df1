/**
 * Compact column storage for parsed results: typed arrays and a null mask per column, formatted to
 * text only when a cell is read. A million rows of six numeric columns then cost tens of
 * megabytes instead of the hundreds that a million boxed BigInts or strings per column would.
 */
import type { ResultColumn, ResultTable } from './types';

/** What a sort needs from a column: a numeric key per row, and an exact comparison where keys tie. */
export interface NumericSortKeys {
  /** Approximate value per row (exact for 32-bit ints, dates and doubles); NaN for NULL. */
  readonly approx: Float64Array;
  readonly isNull: (row: number) => boolean;
  /** Exact order of two rows whose approximate keys are equal (64-bit and wide decimals). */
  readonly tie?: (a: number, b: number) => number;
}

/** A table whose columns can hand a sort their numeric keys (see sortOrder). */
export interface SortableTable extends ResultTable {
  numericKeys(column: number): NumericSortKeys | undefined;
}

export function isSortable(table: ResultTable): table is SortableTable {
  return typeof (table as Partial<SortableTable>).numericKeys === 'function';
}

export interface Column {
  readonly meta: ResultColumn;
  /** Rows appended so far. */
  readonly length: number;
  text(row: number): string | null;
  numericKeys(rowCount: number): NumericSortKeys | undefined;
}

/** Growable storage with a null mask, shared by the typed columns. */
abstract class MaskedColumn<A extends { length: number; set(a: ArrayLike<unknown>, o?: number): void }> implements Column {
  length = 0;
  protected nulls: Uint8Array;
  protected values: A;

  constructor(
    readonly meta: ResultColumn,
    capacity: number,
    private readonly make: (n: number) => A,
  ) {
    this.values = make(Math.max(capacity, 16));
    this.nulls = new Uint8Array(Math.max(capacity, 16));
  }

  protected reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.values.length) {
      return;
    }
    const size = Math.max(need, this.values.length * 2);
    const values = this.make(size);
    values.set(this.values);
    const nulls = new Uint8Array(size);
    nulls.set(this.nulls);
    this.values = values;
    this.nulls = nulls;
  }

  isNull(row: number): boolean {
    return this.nulls[row] === 1;
  }

  abstract text(row: number): string | null;
  abstract numericKeys(rowCount: number): NumericSortKeys | undefined;
}

/** 32-bit integers, dates (days), booleans (0/1), doubles, floats, and decimals whose unscaled value fits 2^53. */
export class NumberColumn extends MaskedColumn<Float64Array> {
  constructor(
    meta: ResultColumn,
    capacity: number,
    private readonly format: (v: number) => string,
  ) {
    super(meta, capacity, (n) => new Float64Array(n));
  }

  /** Appends a chunk; `null`/`undefined` entries are NULL. Values are numbers, booleans or bigints within 2^53. */
  append(chunk: ArrayLike<unknown>): void {
    this.reserve(chunk.length);
    const base = this.length;
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      if (v === null || v === undefined) {
        this.nulls[base + i] = 1;
      } else {
        this.values[base + i] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
      }
    }
    this.length += chunk.length;
  }

  text(row: number): string | null {
    return this.nulls[row] === 1 ? null : this.format(this.values[row]);
  }

  numericKeys(rowCount: number): NumericSortKeys {
    const approx = this.values.slice(0, rowCount);
    for (let i = 0; i < rowCount; i++) {
      if (this.nulls[i] === 1) approx[i] = NaN;
    }
    return { approx, isNull: (r) => this.nulls[r] === 1 };
  }
}

/** 64-bit integers, timestamps and decimals whose unscaled value is 64-bit; exact as BigInt. */
export class BigIntColumn extends MaskedColumn<BigInt64Array> {
  constructor(
    meta: ResultColumn,
    capacity: number,
    private readonly format: (v: bigint) => string,
    /** UINT_64: the bits are read unsigned. */
    private readonly unsigned = false,
  ) {
    super(meta, capacity, (n) => new BigInt64Array(n));
  }

  append(chunk: ArrayLike<unknown>): void {
    this.reserve(chunk.length);
    const base = this.length;
    if (chunk instanceof BigInt64Array) {
      this.values.set(chunk, base);
    } else if (chunk instanceof BigUint64Array) {
      this.values.set(new BigInt64Array(chunk.buffer, chunk.byteOffset, chunk.length), base);
    } else {
      for (let i = 0; i < chunk.length; i++) {
        const v = chunk[i];
        if (v === null || v === undefined) {
          this.nulls[base + i] = 1;
        } else {
          this.values[base + i] = BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(v as number));
        }
      }
    }
    this.length += chunk.length;
  }

  private value(row: number): bigint {
    const v = this.values[row];
    return this.unsigned ? BigInt.asUintN(64, v) : v;
  }

  text(row: number): string | null {
    return this.nulls[row] === 1 ? null : this.format(this.value(row));
  }

  numericKeys(rowCount: number): NumericSortKeys {
    const approx = new Float64Array(rowCount);
    for (let i = 0; i < rowCount; i++) {
      approx[i] = this.nulls[i] === 1 ? NaN : Number(this.value(i));
    }
    return {
      approx,
      isNull: (r) => this.nulls[r] === 1,
      tie: (a, b) => {
        const x = this.value(a);
        const y = this.value(b);
        return x < y ? -1 : x > y ? 1 : 0;
      },
    };
  }
}

/**
 * Strings, wide decimals (as BigInt), nested values: one JS value per row. Dictionary-encoded
 * strings arrive as the same string object for equal values, so repeats cost a pointer each.
 */
export class ValueColumn<T> implements Column {
  private readonly values: Array<T | null> = [];

  constructor(
    readonly meta: ResultColumn,
    private readonly format: (v: T) => string,
    private readonly compare?: (a: T, b: T) => number,
    private readonly approximate?: (v: T) => number,
  ) {}

  get length(): number {
    return this.values.length;
  }

  append(chunk: ArrayLike<unknown>, convert: (v: unknown) => T = (v) => v as T): void {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      this.values.push(v === null || v === undefined ? null : convert(v));
    }
  }

  text(row: number): string | null {
    const v = this.values[row];
    return v === null ? null : this.format(v);
  }

  numericKeys(rowCount: number): NumericSortKeys | undefined {
    const { approximate, compare } = this;
    if (!approximate || !compare) {
      return undefined;
    }
    const approx = new Float64Array(rowCount);
    for (let i = 0; i < rowCount; i++) {
      const v = this.values[i];
      approx[i] = v === null ? NaN : approximate(v);
    }
    return {
      approx,
      isNull: (r) => this.values[r] === null,
      tie: (a, b) => compare(this.values[a] as T, this.values[b] as T),
    };
  }
}

/** A table over columns of equal length. `rowCount` can be below it: a snapshot while more rows arrive. */
export class ColumnarTable implements SortableTable {
  readonly columns: readonly ResultColumn[];

  constructor(
    private readonly data: readonly Column[],
    readonly rowCount: number = data.length ? Math.min(...data.map((c) => c.length)) : 0,
  ) {
    this.columns = data.map((c) => c.meta);
  }

  cell(row: number, column: number): string | null {
    if (row < 0 || row >= this.rowCount) {
      throw new RangeError(`row ${row} outside 0..${this.rowCount - 1}`);
    }
    return this.data[column].text(row);
  }

  numericKeys(column: number): NumericSortKeys | undefined {
    return this.data[column].numericKeys(this.rowCount);
  }
}

/**
 * Decimals stored as big-endian two's-complement bytes of a fixed width (Parquet's
 * FIXED_LEN_BYTE_ARRAY, e.g. DECIMAL(38,s) in 16 bytes): kept as those bytes, one flat array,
 * and turned into text only when read. No BigInt per row.
 */
export class FixedDecimalColumn implements Column {
  length = 0;
  private bytes: Uint8Array;
  private nulls: Uint8Array;

  constructor(
    readonly meta: ResultColumn,
    capacity: number,
    private readonly width: number,
    private readonly format: (bytes: Uint8Array) => string,
  ) {
    this.bytes = new Uint8Array(Math.max(capacity, 16) * width);
    this.nulls = new Uint8Array(Math.max(capacity, 16));
  }

  append(chunk: ArrayLike<unknown>): void {
    const need = this.length + chunk.length;
    if (need > this.nulls.length) {
      const size = Math.max(need, this.nulls.length * 2);
      const bytes = new Uint8Array(size * this.width);
      bytes.set(this.bytes);
      const nulls = new Uint8Array(size);
      nulls.set(this.nulls);
      this.bytes = bytes;
      this.nulls = nulls;
    }
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      const row = this.length + i;
      if (v instanceof Uint8Array) {
        // A shorter value (BYTE_ARRAY decimals) is sign-extended to the width.
        const pad = this.width - v.length;
        if (pad > 0 && v.length > 0 && v[0] & 0x80) this.bytes.fill(0xff, row * this.width, row * this.width + pad);
        this.bytes.set(pad >= 0 ? v : v.subarray(-pad), row * this.width + Math.max(pad, 0));
      } else {
        this.nulls[row] = 1;
      }
    }
    this.length = need;
  }

  text(row: number): string | null {
    return this.nulls[row] === 1 ? null : this.format(this.bytes.subarray(row * this.width, (row + 1) * this.width));
  }

  numericKeys(rowCount: number): NumericSortKeys {
    const { bytes, width } = this;
    const approx = new Float64Array(rowCount);
    for (let r = 0; r < rowCount; r++) {
      if (this.nulls[r] === 1) {
        approx[r] = NaN;
        continue;
      }
      const o = r * width;
      let v = bytes[o] & 0x80 ? bytes[o] - 256 : bytes[o];
      for (let k = 1; k < width; k++) v = v * 256 + bytes[o + k];
      approx[r] = v;
    }
    return {
      approx,
      isNull: (r) => this.nulls[r] === 1,
      tie: (a, b) => {
        // Big-endian two's complement: compare the sign byte signed, then the rest unsigned.
        const oa = a * width;
        const ob = b * width;
        for (let k = 0; k < width; k++) {
          const x = k === 0 ? (bytes[oa] ^ 0x80) : bytes[oa + k];
          const y = k === 0 ? (bytes[ob] ^ 0x80) : bytes[ob + k];
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      },
    };
  }
}
