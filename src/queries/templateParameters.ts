import type { AnalysisParameter } from '@aws-sdk/client-cleanrooms';
import { t } from '../util/l10n';

/**
 * Values for an analysis template's parameters, checked against their ParameterType before a
 * start. The same rules serve the template form (inline errors) and the host, which checks again
 * before running: the webview is never trusted. Pure: no vscode, unit-tested in plain Node.
 *
 * Types are strings, not the SDK's ParameterType union: a type this SDK does not know is still
 * sent, unchecked (the service decides).
 */

/** How the form asks for a value of a type. */
export type ParameterInputKind = 'text' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'time' | 'boolean' | 'binary';

/** Integer types and their inclusive ranges (BigInt: BIGINT's limits are past Number's exact range). */
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  TINYINT: [-128n, 127n],
  BYTE: [-128n, 127n],
  SMALLINT: [-32768n, 32767n],
  SHORT: [-32768n, 32767n],
  INT: [-2147483648n, 2147483647n],
  INTEGER: [-2147483648n, 2147483647n],
  BIGINT: [-9223372036854775808n, 9223372036854775807n],
  LONG: [-9223372036854775808n, 9223372036854775807n],
};

/** Exact decimals: no exponent (a DECIMAL literal is written out). */
const EXACT_DECIMALS = new Set(['DECIMAL', 'NUMERIC']);
const FLOATS = new Set(['REAL', 'DOUBLE', 'FLOAT', 'DOUBLE_PRECISION']);
const BINARIES = new Set(['BINARY', 'VARBYTE']);
/** Timestamps with a time zone: the zone is required for TIMESTAMPTZ, optional for TIMESTAMP_LTZ (local). */
const TIMESTAMPS: Readonly<Record<string, 'none' | 'required' | 'optional'>> = { TIMESTAMP: 'none', TIMESTAMP_NTZ: 'none', TIMESTAMPTZ: 'required', TIMESTAMP_LTZ: 'optional' };
const TIMES: Readonly<Record<string, 'none' | 'required'>> = { TIME: 'none', TIMETZ: 'required' };

export function inputKind(type: string | undefined): ParameterInputKind {
  const upper = (type ?? '').toUpperCase();
  if (upper in INTEGER_RANGES) {
    return 'integer';
  }
  if (EXACT_DECIMALS.has(upper) || FLOATS.has(upper)) {
    return 'decimal';
  }
  if (upper === 'DATE') {
    return 'date';
  }
  if (upper in TIMESTAMPS) {
    return 'timestamp';
  }
  if (upper in TIMES) {
    return 'time';
  }
  if (upper === 'BOOLEAN') {
    return 'boolean';
  }
  // CHAR, CHARACTER, VARCHAR, STRING and any type this SDK does not know: text as typed.
  return BINARIES.has(upper) ? 'binary' : 'text';
}

/** What a value of `type` looks like, for the form's hint and every error message. */
export function expectedText(type: string | undefined): string {
  const upper = (type ?? '').toUpperCase();
  const range = INTEGER_RANGES[upper];
  if (range) {
    return t('a whole number from {0} to {1}', range[0].toString(), range[1].toString());
  }
  if (EXACT_DECIMALS.has(upper)) {
    return t('a decimal number such as 12.50');
  }
  if (FLOATS.has(upper)) {
    return t('a number such as 3.14 or 1.5e-3');
  }
  if (upper === 'DATE') {
    return t('a date as YYYY-MM-DD');
  }
  const zone = TIMESTAMPS[upper] ?? TIMES[upper];
  if (upper in TIMESTAMPS) {
    return zone === 'required'
      ? t('a timestamp with a time zone, as YYYY-MM-DD HH:MM:SS[.fff]+HH:MM (or Z)')
      : zone === 'optional'
        ? t('a timestamp as YYYY-MM-DD HH:MM:SS[.fff], optionally with a time zone (+HH:MM or Z)')
        : t('a timestamp without a time zone, as YYYY-MM-DD HH:MM:SS[.fff]');
  }
  if (upper in TIMES) {
    return zone === 'required' ? t('a time with a time zone, as HH:MM:SS[.fff]+HH:MM (or Z)') : t('a time as HH:MM:SS[.fff]');
  }
  if (upper === 'BOOLEAN') {
    return t('true or false');
  }
  if (BINARIES.has(upper)) {
    return t('hexadecimal bytes, such as 0a1b2c');
  }
  return t('any text');
}

/** The value as it is sent, or why it is not a value of `type`. */
export type ParameterCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/;
const ZONE = /^(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Whether `value` is `type` (what the service will accept as its literal). Strings are never refused. */
export function checkParameterValue(type: string | undefined, value: string): ParameterCheck {
  const kind = inputKind(type);
  if (kind === 'text') {
    return { ok: true, value };
  }
  const trimmed = value.trim();
  const refuse = (): ParameterCheck => ({ ok: false, problem: trimmed === '' ? t('Enter {0}.', expectedText(type)) : t('Expected {0}.', expectedText(type)) });
  const upper = (type ?? '').toUpperCase();
  switch (kind) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(trimmed)) {
        return refuse();
      }
      const n = BigInt(trimmed);
      const [min, max] = INTEGER_RANGES[upper] ?? [0n, 0n];
      return n < min || n > max ? refuse() : { ok: true, value: n.toString() };
    }
    case 'decimal': {
      const pattern = EXACT_DECIMALS.has(upper) ? /^[+-]?(\d+(\.\d*)?|\.\d+)$/ : /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
      return pattern.test(trimmed) && Number.isFinite(Number(trimmed)) ? { ok: true, value: trimmed } : refuse();
    }
    case 'date':
      return isDate(trimmed) ? { ok: true, value: trimmed } : refuse();
    case 'timestamp': {
      const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?) ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(trimmed);
      const zone = TIMESTAMPS[upper] ?? 'none';
      if (!m || !isDate(m[1] ?? '') || !isTime(m[2] ?? '') || !zoneFits(m[3], zone)) {
        return refuse();
      }
      return { ok: true, value: trimmed };
    }
    case 'time': {
      const m = /^(\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?) ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(trimmed);
      const zone = TIMES[upper] ?? 'none';
      return m && isTime(m[1] ?? '') && zoneFits(m[2], zone) ? { ok: true, value: trimmed } : refuse();
    }
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      return lower === 'true' || lower === 'false' ? { ok: true, value: lower } : refuse();
    }
    case 'binary':
      return /^([0-9a-f]{2})+$/i.test(trimmed) ? { ok: true, value: trimmed } : refuse();
  }
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) {
    return false;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.UTC rolls 2024-02-30 over into March: a real date reads back the same.
  const d = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function isTime(text: string): boolean {
  const m = TIME.exec(text);
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3]) <= 59;
}

function zoneFits(zone: string | undefined, rule: 'none' | 'required' | 'optional'): boolean {
  if (zone === undefined) {
    return rule !== 'required';
  }
  if (rule === 'none' || !ZONE.test(zone)) {
    return false;
  }
  if (zone.toUpperCase() === 'Z') {
    return true;
  }
  const [hours, minutes] = [Number(zone.slice(1, 3)), Number(zone.replace(':', '').slice(3, 5) || '0')];
  return hours <= 14 && minutes <= 59;
}

/**
 * An empty object keyed by parameter names: no prototype, so a parameter named `__proto__` (or
 * `constructor`) is an own key like any other, not the prototype's setter that drops the value.
 */
export function nameMap(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** The form's values for every parameter, checked: what to send, or the problem per parameter name. */
export interface ParameterValues {
  readonly values: Record<string, string>;
  readonly problems: Record<string, string>;
}

/**
 * Checks `given` (name -> text as typed) against the template's parameters. A parameter left out
 * takes its default; one without a default must be given. Names the template does not declare are
 * refused (the service would refuse the start).
 */
export function checkParameters(parameters: readonly AnalysisParameter[], given: Readonly<Record<string, string>>): ParameterValues {
  const values = nameMap();
  const problems = nameMap();
  const declared = new Set<string>();
  for (const p of parameters) {
    const name = p.name ?? '';
    declared.add(name);
    const text = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : p.defaultValue;
    if (text === undefined) {
      problems[name] = t('Enter {0}.', expectedText(p.type));
      continue;
    }
    const checked = checkParameterValue(p.type, text);
    if (checked.ok) {
      values[name] = checked.value;
    } else {
      problems[name] = checked.problem;
    }
  }
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      problems[name] = t('The template has no parameter {0}.', name);
    }
  }
  return { values, problems };
}
