/**
 * Markdown that shows another party's text literally. VS Code's MarkdownString.appendText escapes
 * markdown syntax, but the renderer still turns a bare URL (`http://…`, `www.…`), an e-mail
 * address or `<scheme:…>` in it into a clickable link (autolinks ignore those escapes, and show a
 * stray backslash). Writing the character that starts each one as a character reference keeps the
 * text as it reads and links nothing. Input: appendText's output; free of `vscode`.
 */
export function noAutolinks(escapedMarkdown: string): string {
  return escapedMarkdown
    .replace(/:\/\//g, '&#58;//')
    .replace(/(\w)@(?=\w)/g, '$1&#64;')
    .replace(/\b(www)\./gi, '$1&#46;')
    .replace(/<(?=[a-z][a-z0-9+.\\-]{1,31}:)/gi, '&lt;');
}
