/**
 * Exact text for the values a result file holds: what the grid shows, what is copied and what
 * Save as CSV writes. Numbers keep every digit (BigInt and unscaled decimals are never routed
 * through a float), dates read as written.
 */

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 as YYYY-MM-DD (proleptic Gregorian, like Parquet's DATE). */
export function formatDate(days: number): string {
  const iso = new Date(days * MS_PER_DAY).toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

export type TimeUnit = 'MILLIS' | 'MICROS' | 'NANOS';

const PER_SECOND: Readonly<Record<TimeUnit, bigint>> = { MILLIS: 1000n, MICROS: 1_000_000n, NANOS: 1_000_000_000n };
const DIGITS: Readonly<Record<TimeUnit, number>> = { MILLIS: 3, MICROS: 6, NANOS: 9 };

/**
 * An instant as ISO 8601 text, with the fraction at the unit's precision when it is not zero
 * ("2024-01-01T12:00:00.123456"), and `Z` only when the file says the value is UTC-adjusted.
 */
export function formatTimestamp(value: bigint, unit: TimeUnit, utc: boolean): string {
  const per = PER_SECOND[unit];
  let seconds = value / per;
  let fraction = value % per;
  if (fraction < 0n) {
    fraction += per;
    seconds -= 1n;
  }
  const iso = new Date(Number(seconds) * 1000).toISOString();
  const whole = iso.slice(0, iso.indexOf('.'));
  const frac = fraction === 0n ? '' : `.${fraction.toString().padStart(DIGITS[unit], '0')}`;
  return `${whole}${frac}${utc ? 'Z' : ''}`;
}

/**
 * An unscaled decimal and its scale as exact text: (12345n, 2) -> "123.45", (-5n, 3) -> "-0.005".
 * A number is accepted when it is an integer within 2^53 (exact), which avoids a BigInt per cell.
 */
export function formatDecimal(unscaled: bigint | number, scale: number): string {
  if (scale <= 0) {
    return scale === 0 ? unscaled.toString() : (BigInt(unscaled) * 10n ** BigInt(-scale)).toString();
  }
  const negative = unscaled < 0;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** A big-endian two's-complement integer (Parquet's FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY decimals). */
export function bigIntFromBytes(bytes: Uint8Array): bigint | number {
  if (bytes.length === 0) {
    return 0;
  }
  // Small values (nearly all) are read as a double, exactly: below 2^53 every integer is one.
  let approx = bytes[0] & 0x80 ? bytes[0] - 256 : bytes[0];
  for (let i = 1; i < bytes.length; i++) approx = approx * 256 + bytes[i];
  if (Math.abs(approx) < 2 ** 53) {
    return approx;
  }
  let value = 0n;
  let i = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (; i + 8 <= bytes.length; i += 8) value = (value << 64n) | view.getBigUint64(i);
  for (; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]);
  return bytes[0] & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

/**
 * A DOUBLE as the shortest text that reads back as the same number, with ".0" on whole numbers
 * so it matches what DuckDB and Spark write to CSV (1.0, not 1).
 */
export function formatDouble(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) {
    return Object.is(v, -0) ? '-0.0' : `${v}.0`;
  }
  return String(v);
}

/** A FLOAT (stored widened to a double) as the shortest text that reads back as the same float. */
export function formatFloat(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) {
    return formatDouble(v);
  }
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) {
      return String(Number(s));
    }
  }
  return String(v);
}

const utf8 = new TextDecoder('utf-8');

/**
 * A nested value (LIST, STRUCT, MAP) as JSON text. BigInts keep every digit (written as JSON
 * numbers), bytes become text, dates become their ISO text.
 */
export function formatNested(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') {
      return RAW_NUMBER + v.toString();
    }
    if (v instanceof Uint8Array) {
      return utf8.decode(v);
    }
    return v;
  }).replace(RAW_NUMBER_PATTERN, '$1');
}

// JSON.stringify cannot write a BigInt; it is written as a marked string and unquoted afterwards.
// The marker is a private-use character sequence that a Parquet string would not hold verbatim.
const RAW_NUMBER = '\uE000\uE001';
const RAW_NUMBER_PATTERN = /"\uE000\uE001(-?\d+)"/g;
