/**
 * Parquet result files into a ColumnarTable, with hyparquet. hyparquet turns DECIMAL into floats
 * and DATE/TIMESTAMP into Date objects (milliseconds): both lose what the file says. So the
 * top-level columns of those types are read raw (their logical annotation is taken off a copy of
 * the footer before reading) and formatted here from the unscaled integers, days and ticks.
 * Row groups are read one at a time so only one group's decoded values are alive at once.
 */
import { parquetMetadata, parquetRead, type Compressors, type FileMetaData, type SchemaElement } from 'hyparquet';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';
import { decompress as decompressZstd } from 'fzstd';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { BigIntColumn, ColumnarTable, FixedDecimalColumn, NumberColumn, ValueColumn, type Column } from './columns';
import { bigIntFromBytes, formatDate, formatDecimal, formatDouble, formatFloat, formatNested, formatTimestamp, type TimeUnit } from './format';
import { ResultParseError, yieldToEventLoop, type ResultPart } from './parseError';
import type { ResultColumn } from './types';

const PAR1 = [0x50, 0x41, 0x52, 0x31];

/** Parquet files start (and end) with the magic bytes `PAR1`; anything else is read as CSV. */
export function isParquet(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && PAR1.every((b, i) => bytes[i] === b);
}

export interface ParquetParseOptions {
  readonly signal?: AbortSignal;
  /** Called after each row group with the rows read so far (a snapshot sharing the storage). */
  readonly onRows?: (table: ColumnarTable) => void;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Parquet codecs. SNAPPY (Spark's and DuckDB's default) is hyparquet's own; GZIP and BROTLI use
 * Node's zlib (no bundle cost: hyparquet-compressors' Brotli alone is ~100 KB with its
 * dictionary); ZSTD is fzstd and LZ4 hyparquet-compressors' own decoder, the modules that
 * hyparquet-compressors itself uses for them.
 */
const COMPRESSORS: Compressors = {
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
  ZSTD: (input) => decompressZstd(input),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

/** Values inside LIST/STRUCT/MAP columns keep hyparquet's own conversion; these make them text. */
const NESTED_PARSERS = {
  dateFromDays: (days: number): string => formatDate(days),
  timestampFromMilliseconds: (v: bigint): string => formatTimestamp(BigInt(v), 'MILLIS', false),
  timestampFromMicroseconds: (v: bigint): string => formatTimestamp(BigInt(v), 'MICROS', false),
  timestampFromNanoseconds: (v: bigint): string => formatTimestamp(BigInt(v), 'NANOS', false),
  jsonFromBytes: (bytes: Uint8Array): string => utf8.decode(bytes),
};

interface ColumnPlan {
  readonly meta: ResultColumn;
  /** Read raw: the logical annotation is removed from the footer copy given to hyparquet. */
  readonly raw: boolean;
  make(capacity: number): Column & { append(chunk: ArrayLike<unknown>): void };
}

const bool = (v: number): string => (v ? 'true' : 'false');
const integer = (v: number): string => String(v);
const text = (v: string | Uint8Array): string => (typeof v === 'string' ? v : utf8.decode(v));

function timeText(value: bigint, unit: TimeUnit): string {
  const stamp = formatTimestamp(value, unit, false);
  return stamp.slice(stamp.indexOf('T') + 1);
}

/** How each top-level column is stored and formatted, from its schema element. */
function planColumn(el: SchemaElement, nested: boolean): ColumnPlan {
  const meta = (type: string): ResultColumn => ({ name: el.name, type });
  if (nested) {
    const type = el.converted_type === 'LIST' || el.logical_type?.type === 'LIST' ? 'LIST' : el.converted_type === 'MAP' || el.logical_type?.type === 'MAP' ? 'MAP' : 'STRUCT';
    return { meta: meta(type), raw: false, make: () => new ValueColumn<unknown>(meta(type), formatNested) };
  }
  const ctype = el.converted_type;
  const ltype = el.logical_type;
  if (ctype === 'DECIMAL' || ltype?.type === 'DECIMAL') {
    const scale = el.scale ?? (ltype?.type === 'DECIMAL' ? ltype.scale : 0);
    const precision = el.precision ?? (ltype?.type === 'DECIMAL' ? ltype.precision : 0);
    const m = meta(`DECIMAL(${precision},${scale})`);
    if (el.type === 'INT32') {
      return { meta: m, raw: true, make: (n) => new NumberColumn(m, n, (v) => formatDecimal(BigInt(v), scale)) };
    }
    if (el.type === 'INT64') {
      return { meta: m, raw: true, make: (n) => new BigIntColumn(m, n, (v) => formatDecimal(v, scale)) };
    }
    // FIXED_LEN_BYTE_ARRAY has its width; BYTE_ARRAY decimals are at most 16 bytes for precision 38.
    const width = el.type === 'FIXED_LEN_BYTE_ARRAY' && el.type_length ? el.type_length : Math.max(16, Math.ceil((precision * Math.log2(10) + 1) / 8));
    return { meta: m, raw: true, make: (n) => new FixedDecimalColumn(m, n, width, (bytes) => formatDecimal(bigIntFromBytes(bytes), scale)) };
  }
  if (ctype === 'DATE' || ltype?.type === 'DATE') {
    const m = meta('DATE');
    return { meta: m, raw: true, make: (n) => new NumberColumn(m, n, formatDate) };
  }
  const timestampUnit: TimeUnit | undefined =
    ltype?.type === 'TIMESTAMP' ? ltype.unit : ctype === 'TIMESTAMP_MILLIS' ? 'MILLIS' : ctype === 'TIMESTAMP_MICROS' ? 'MICROS' : undefined;
  if (timestampUnit && el.type === 'INT64') {
    const utc = ltype?.type === 'TIMESTAMP' ? ltype.isAdjustedToUTC : true;
    const m = meta(utc ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP');
    return { meta: m, raw: true, make: (n) => new BigIntColumn(m, n, (v) => formatTimestamp(v, timestampUnit, utc)) };
  }
  const timeUnit: TimeUnit | undefined = ltype?.type === 'TIME' ? ltype.unit : ctype === 'TIME_MILLIS' ? 'MILLIS' : ctype === 'TIME_MICROS' ? 'MICROS' : undefined;
  if (timeUnit) {
    const m = meta('TIME');
    return el.type === 'INT32'
      ? { meta: m, raw: true, make: (n) => new NumberColumn(m, n, (v) => timeText(BigInt(v), timeUnit)) }
      : { meta: m, raw: true, make: (n) => new BigIntColumn(m, n, (v) => timeText(v, timeUnit)) };
  }
  switch (el.type) {
    case 'BOOLEAN': {
      const m = meta('BOOLEAN');
      return { meta: m, raw: false, make: (n) => new NumberColumn(m, n, bool) };
    }
    case 'INT32': {
      const name = ctype === 'INT_8' ? 'TINYINT' : ctype === 'INT_16' ? 'SMALLINT' : ctype === 'UINT_8' ? 'UTINYINT' : ctype === 'UINT_16' ? 'USMALLINT' : ctype === 'UINT_32' ? 'UINTEGER' : 'INTEGER';
      const m = meta(name);
      return { meta: m, raw: false, make: (n) => new NumberColumn(m, n, integer) };
    }
    case 'INT64': {
      const unsigned = ctype === 'UINT_64' || (ltype?.type === 'INTEGER' && !ltype.isSigned);
      const m = meta(unsigned ? 'UBIGINT' : 'BIGINT');
      return { meta: m, raw: false, make: (n) => new BigIntColumn(m, n, (v) => v.toString(), unsigned) };
    }
    case 'INT96': {
      // Spark's legacy timestamps: hyparquet converts them with the parsers above (to text).
      const m = meta('TIMESTAMP');
      return { meta: m, raw: false, make: () => new ValueColumn<string>(m, (v) => v) };
    }
    case 'FLOAT': {
      const m = meta('FLOAT');
      return { meta: m, raw: false, make: (n) => new NumberColumn(m, n, formatFloat) };
    }
    case 'DOUBLE': {
      const m = meta('DOUBLE');
      return { meta: m, raw: false, make: (n) => new NumberColumn(m, n, formatDouble) };
    }
    default: {
      if (ltype?.type === 'FLOAT16') {
        const m = meta('FLOAT');
        return { meta: m, raw: false, make: (n) => new NumberColumn(m, n, formatFloat) };
      }
      const isText = ctype === 'UTF8' || ctype === 'ENUM' || ctype === 'JSON' || ltype?.type === 'STRING' || ltype?.type === 'ENUM' || ltype?.type === 'JSON';
      const m = meta(ltype?.type === 'UUID' ? 'UUID' : ctype === 'JSON' || ltype?.type === 'JSON' ? 'JSON' : isText ? 'VARCHAR' : 'BLOB');
      return { meta: m, raw: false, make: () => new ValueColumn<string | Uint8Array>(m, text) };
    }
  }
}

interface FilePlan {
  readonly plans: ColumnPlan[];
  /** The footer given to hyparquet: raw columns without their logical annotation. */
  readonly metadata: FileMetaData;
}

function planFile(md: FileMetaData): FilePlan {
  const schema = md.schema;
  const plans: ColumnPlan[] = [];
  const rawIndexes = new Set<number>();
  // Walk the root's children; a group's descendants are skipped (they belong to a nested column).
  let i = 1;
  const skip = (at: number): number => {
    let next = at + 1;
    for (let c = 0; c < (schema[at].num_children ?? 0); c++) {
      next = skip(next);
    }
    return next;
  };
  while (i < schema.length) {
    const el = schema[i];
    const nested = (el.num_children ?? 0) > 0 || el.repetition_type === 'REPEATED';
    const plan = planColumn(el, nested);
    plans.push(plan);
    if (plan.raw) rawIndexes.add(i);
    i = skip(i);
  }
  const stripped = schema.map((el, index) => (rawIndexes.has(index) ? { ...el, converted_type: undefined, logical_type: undefined } : el));
  return { plans, metadata: { ...md, schema: stripped } };
}

function sameColumns(a: readonly ResultColumn[], b: readonly ResultColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type);
}

function describeColumns(columns: readonly ResultColumn[]): string {
  return columns.map((c) => `${c.name} ${c.type}`).join(', ');
}

/**
 * Reads every part (in the order given) into one table. Throws ResultParseError naming the file
 * for a corrupt or truncated part, or for a part whose columns differ from the first's.
 */
/** How long decoding pauses after the first row group when more follow (see parseParquet). */
const FIRST_ROWS_PAUSE_MS = 120;

export async function parseParquet(parts: readonly ResultPart[], options: ParquetParseOptions = {}): Promise<ColumnarTable> {
  const footers: Array<{ part: ResultPart; plan: FilePlan; rows: number }> = [];
  for (const part of parts) {
    let md: FileMetaData;
    try {
      if (!isParquet(part.bytes)) {
        throw new Error('it does not start with the Parquet magic bytes PAR1');
      }
      md = parquetMetadata(part.bytes, { parsers: NESTED_PARSERS, geoparquet: false });
    } catch (e) {
      const message = (e as Error).message;
      const truncated = /footer != PAR1|too short|exceeds available buffer/.test(message);
      throw new ResultParseError(part.key, truncated ? `the file is truncated or not Parquet (${message})` : message, truncated);
    }
    const plan = planFile(md);
    if (footers.length > 0 && !sameColumns(footers[0].plan.plans.map((p) => p.meta), plan.plans.map((p) => p.meta))) {
      throw new ResultParseError(
        part.key,
        `its columns (${describeColumns(plan.plans.map((p) => p.meta))}) differ from those of ${footers[0].part.key} (${describeColumns(footers[0].plan.plans.map((p) => p.meta))})`,
      );
    }
    footers.push({ part, plan, rows: Number(md.num_rows) });
  }
  const total = footers.reduce((n, f) => n + f.rows, 0);
  const plans = footers[0]?.plan.plans ?? [];
  const columns = plans.map((p) => p.make(total));
  const byName = new Map(plans.map((p, i) => [p.meta.name, i]));
  let rowsRead = 0;
  let misplaced: string | undefined;

  for (const { part, plan } of footers) {
    const file = { byteLength: part.bytes.byteLength, slice: (s: number, e?: number) => sliceBuffer(part.bytes, s, e) };
    let groupStart = 0;
    for (const group of plan.metadata.row_groups) {
      options.signal?.throwIfAborted();
      const groupRows = Number(group.num_rows);
      try {
        await parquetRead({
          file,
          metadata: plan.metadata,
          rowStart: groupStart,
          rowEnd: groupStart + groupRows,
          compressors: COMPRESSORS,
          utf8: false,
          parsers: NESTED_PARSERS,
          onChunk: (chunk) => {
            const index = byName.get(chunk.columnName);
            if (index === undefined) return;
            const column = columns[index];
            // hyparquet calls this from a promise callback: a throw here would go unhandled.
            if (column.length !== rowsRead + chunk.rowStart - groupStart) {
              misplaced ??= chunk.columnName;
              return;
            }
            column.append(chunk.columnData);
          },
        });
      } catch (e) {
        throw new ResultParseError(part.key, `row group at row ${groupStart} cannot be read: ${(e as Error).message}`);
      }
      if (misplaced !== undefined) {
        throw new ResultParseError(part.key, `values of column ${misplaced} arrived out of order`);
      }
      groupStart += groupRows;
      rowsRead += groupRows;
      const short = columns.find((c) => c.length !== rowsRead);
      if (short) {
        throw new ResultParseError(part.key, `column ${short.meta.name} has ${short.length - (rowsRead - groupRows)} values in a row group of ${groupRows} rows`);
      }
      options.onRows?.(new ColumnarTable(columns, rowsRead));
      if (options.onRows && rowsRead === groupRows && rowsRead < total) {
        // The first rows are out: a moment's idle lets the panel ask for them and draw them before
        // the rest is decoded (decoding keeps this thread too busy to answer in between).
        await new Promise((resolve) => setTimeout(resolve, FIRST_ROWS_PAUSE_MS));
      } else {
        await yieldToEventLoop();
      }
    }
  }
  return new ColumnarTable(columns, rowsRead);
}

function sliceBuffer(bytes: Uint8Array, start: number, end?: number): ArrayBuffer {
  const from = bytes.byteOffset + start;
  const to = bytes.byteOffset + (end ?? bytes.byteLength);
  return bytes.buffer.slice(from, to) as ArrayBuffer;
}
