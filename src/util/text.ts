import { t } from './l10n';

/**
 * Text safety for values that come from other parties (service data, other accounts' names,
 * error messages). Every place that shows such text goes through one of these, and they share
 * one set of characters that must never reach the screen as-is.
 */

/**
 * Control, bidi-override and zero-width characters. Tab and line feed are layout and stay; each
 * function decides whether to keep lines. One set, so a character hidden in a tree label cannot
 * survive in a title or a message.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this matches
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const MAX_TEXT = 20_000;
const MAX_MESSAGE = 600;

/**
 * Makes invisible and direction-changing characters visible, so text from another account can
 * neither hide nor reorder what the user reads (e.g. a U+202E that flips an account ID).
 */
export function visibleText(value: string): string {
  const shown = value.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}}`);
  return shown.length > MAX_TEXT ? `${shown.slice(0, MAX_TEXT)}… (${shown.length - MAX_TEXT} more characters)` : shown;
}

/** Same, shortened for one-line places (tree labels, quick picks). */
export function shortText(value: string, max = 120): string {
  const oneLine = visibleText(value).replace(/[\r\n\t]+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/**
 * Messages come from other parties (the service echoes IDs, other accounts name things): strip
 * the invisible characters, make one line, cap the length, and redact anything like a secret.
 */
export function cleanText(text: string, max = MAX_MESSAGE): string {
  const printable = redactSecrets(text).replace(INVISIBLE, '');
  const singleLine = printable.replace(/\s*\n\s*/g, ' ').trim();
  return singleLine.length > max ? `${singleLine.slice(0, max - 1)}…` : singleLine;
}

export function redactSecrets(text: string): string {
  return text
    .replace(/\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g, '[redacted access key]')
    .replace(/(aws_secret_access_key|secretaccesskey|aws_session_token|sessiontoken|x-amz-security-token)(["'\s:=]+)[^\s"',}]+/gi, '$1$2[redacted]')
    .replace(/(Signature=)[0-9a-f]{16,}/gi, '$1[redacted]')
    .replace(/(Credential=)[^/\s,]+/gi, '$1[redacted]');
}

/** Panel titles come from other accounts: no invisible characters, one line, and short. */
export function panelTitle(name: string): string {
  const clean = name.replace(INVISIBLE, '').replace(/[\t\n]+/g, ' ');
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}

/**
 * The one humanizer for status and enum words everywhere (tree, pickers, panels):
 * COLLABORATION_DELETED -> "Collaboration deleted", CAN_QUERY -> "Can query". Only enum-shaped
 * values are reworded: anything else (a newer SDK's lower-case value, another party's text) is
 * returned as it came, so it is never disguised as a known status.
 */
export function statusWords(value: string): string {
  if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(value)) {
    return value;
  }
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** For tooltips: the words and the raw value the API sent, "Active (ACTIVE)"; just the value when they are the same. */
export function statusWithRaw(value: string): string {
  const words = statusWords(value);
  return words === value ? value : `${words} (${value})`;
}

/**
 * The former name of statusWords, kept so code written against it still compiles; new code
 * calls statusWords.
 */
export const humanize = statusWords;

/**
 * Our own messages mark commands as inline code with backticks ("run `aws sso login`"). Split
 * into text and code pieces, so markdown places can show code and plain places the bare words.
 * Never used on service data: another party's backticks are just characters.
 */
export function inlineCodePieces(message: string): Array<{ readonly text: string } | { readonly code: string }> {
  const pieces: Array<{ readonly text: string } | { readonly code: string }> = [];
  message.split(/(`[^`\n]+`)/).forEach((piece) => {
    if (/^`[^`\n]+`$/.test(piece)) {
      pieces.push({ code: piece.slice(1, -1) });
    } else if (piece !== '') {
      pieces.push({ text: piece });
    }
  });
  return pieces;
}

/** One of our messages for a plain-text place (a label, a notification): backticks dropped. */
export function withoutCodeMarks(message: string): string {
  return inlineCodePieces(message)
    .map((p) => ('code' in p ? p.code : p.text))
    .join('');
}

/**
 * How long ago `then` was, for a row: "just now", "3 min ago", "5 h ago", "12 days ago", and the
 * date (ISO, no time) beyond 30 days. A time in the future (clock skew) reads "just now".
 */
export function relativeTime(then: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 60) {
    return t('just now');
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return t('{0} min ago', minutes);
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return t('{0} h ago', hours);
  }
  const days = Math.floor(hours / 24);
  if (days < 30) {
    return days === 1 ? t('yesterday') : t('{0} days ago', days);
  }
  return then.toISOString().slice(0, 10);
}

/** Deeper than this, API data is cut (a hostile reply can nest thousands of levels). */
const MAX_JSON_DEPTH = 64;

/** JSON text of any value, never throwing: bigints as text, nesting cut at MAX_JSON_DEPTH. */
export function safeJson(value: unknown, indent = 2): string {
  try {
    return JSON.stringify(clipDepth(value, 0), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent) ?? 'undefined';
  } catch {
    try {
      return String(value);
    } catch {
      return '[unprintable value]';
    }
  }
}

/** Any value as text for labels and templates: nothing as '', a string as it is, anything else as its JSON. */
export function wireText(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : safeJson(value, 0);
}

function clipDepth(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Date) {
    return value;
  }
  if (depth >= MAX_JSON_DEPTH) {
    return '… (nested deeper)';
  }
  if (Array.isArray(value)) {
    return value.map((v) => clipDepth(v, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a key named "__proto__" stays an ordinary key.
    Object.defineProperty(out, k, { value: clipDepth(v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
