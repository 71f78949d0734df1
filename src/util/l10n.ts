/**
 * Translation for modules that must not import `vscode` (they are unit-tested in plain Node).
 * activate() installs vscode.l10n.t; until then, and in tests, messages are only formatted.
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

const format: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));

let current: Translate = format;

export function t(message: string, ...args: Array<string | number | boolean>): string {
  return current(message, ...args);
}

export function setTranslator(translate: Translate): void {
  current = translate;
}
