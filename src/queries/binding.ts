/**
 * The binding of a SQL document to a membership: a comment `-- @membership <membership-id>` among
 * the comments and blank lines before the first statement (a contract: other tooling writes it).
 * "@membership" is matched in any case and with any spacing; the ID may be written in upper case.
 * A binding after the first statement is ordinary SQL text. Free of `vscode`.
 */
import { MEMBERSHIP_ID_PATTERN } from '../settings';
import { t } from '../util/l10n';

export type Binding =
  | { readonly kind: 'none' }
  | { readonly kind: 'bound'; readonly membershipId: string; readonly start: number; readonly end: number }
  /** A binding comment whose value is not a membership ID: shown as a problem, never run. */
  | { readonly kind: 'invalid'; readonly written: string; readonly problem: string; readonly start: number; readonly end: number };

/** A binding line; `start`/`end` cover the line without its line break. */
const BINDING_LINE = /^[ \t]*--[ \t]*@membership\b(.*)$/i;

export function bindingComment(membershipId: string): string {
  return `-- @membership ${membershipId}`;
}

/** The first binding comment before the first statement. */
export function parseBinding(text: string): Binding {
  let offset = 0;
  let inBlock = false;
  while (offset < text.length) {
    const eol = text.indexOf('\n', offset);
    const lineEnd = eol < 0 ? text.length : eol;
    const contentEnd = lineEnd > offset && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const line = text.slice(offset, contentEnd);
    if (inBlock) {
      const close = line.indexOf('*/');
      if (close >= 0) {
        inBlock = false;
        if (!isBlankOrComment(line.slice(close + 2))) {
          return { kind: 'none' };
        }
      }
    } else {
      const match = BINDING_LINE.exec(line);
      if (match) {
        return bindingOf(match[1], offset, contentEnd);
      }
      const rest = line.trim();
      if (rest.startsWith('/*')) {
        const close = rest.indexOf('*/', 2);
        if (close < 0) {
          inBlock = true;
        } else if (!isBlankOrComment(rest.slice(close + 2))) {
          return { kind: 'none' };
        }
      } else if (rest !== '' && !rest.startsWith('--')) {
        return { kind: 'none' };
      }
    }
    offset = lineEnd + 1;
  }
  return { kind: 'none' };
}

function isBlankOrComment(rest: string): boolean {
  const trimmed = rest.trim();
  return trimmed === '' || trimmed.startsWith('--');
}

function bindingOf(value: string, start: number, end: number): Binding {
  // "@membershipfoo" is no binding; "@membership: id" and "@membership=id" are read kindly.
  const written = value.replace(/^[ \t]*[:=]?[ \t]*/, '').trim();
  const id = written.toLowerCase();
  if (MEMBERSHIP_ID_PATTERN.test(id)) {
    return { kind: 'bound', membershipId: id, start, end };
  }
  const problem =
    written === ''
      ? t('The @membership comment names no membership ID.')
      : written.startsWith('arn:')
        ? t('The @membership comment holds an ARN; write the membership ID (the UUID after "membership/").')
        : t('"{0}" is not a membership ID (a UUID such as {1}).', written.length > 60 ? `${written.slice(0, 59)}…` : written, '1f2e3d4c-5b6a-4789-8abc-0123456789ab');
  return { kind: 'invalid', written, problem, start, end };
}

/** A text edit: replace text[start, end) with newText. */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Binds `text` to `membershipId`: rewrites the binding line, or inserts one at the top. */
export function bindingEdit(text: string, membershipId: string): TextChange {
  const current = parseBinding(text);
  if (current.kind !== 'none') {
    return { start: current.start, end: current.end, newText: bindingComment(membershipId) };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: 0, end: 0, newText: `${bindingComment(membershipId)}${eol}` };
}

/** `text` with the edit applied (for tests and for documents not open in an editor). */
export function applyChange(text: string, change: TextChange): string {
  return text.slice(0, change.start) + change.newText + text.slice(change.end);
}
