import * as vscode from 'vscode';
import { completionsAt, type SqlCompletion } from '../sql/completion';
import { hoverAt } from '../sql/hover';
import { SQL_SELECTOR } from './queryCodeLens';
import type { SqlCatalogs } from './sqlCatalog';
import { SqlCodeActions, type SqlDiagnostics } from './sqlDiagnostics';
import { appendLiteral } from './literalMarkdown';

const KINDS: Record<SqlCompletion['kind'], vscode.CompletionItemKind> = {
  table: vscode.CompletionItemKind.Struct,
  column: vscode.CompletionItemKind.Field,
  function: vscode.CompletionItemKind.Function,
};

/** Completion from the cached catalog only: a document whose catalog is not loaded yet gets nothing (its one load starts). */
export class SqlCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly catalogs: SqlCatalogs) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const text = document.getText();
    const lookup = this.catalogs.lookup(text);
    if (lookup.status !== 'loaded') {
      return undefined;
    }
    const list = completionsAt(text, document.offsetAt(position), lookup.catalog);
    const range = new vscode.Range(document.positionAt(list.replaceStart), document.positionAt(list.replaceEnd));
    // Typing `"web` matches the quoted spelling; typing `web` the bare name.
    const typingQuoted = text[list.replaceStart] === '"';
    return list.items.map((c, i) => {
      const item = new vscode.CompletionItem(c.label, KINDS[c.kind]);
      item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
      item.detail = c.detail;
      if (c.documentation) {
        item.documentation = c.documentation;
      }
      item.range = range;
      item.filterText = typingQuoted ? c.insertText : c.label;
      // Columns, then functions, then tables: the order completionsAt gives.
      item.sortText = String(i).padStart(6, '0');
      return item;
    });
  }
}

export class SqlHoverProvider implements vscode.HoverProvider {
  constructor(private readonly catalogs: SqlCatalogs) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = document.getText();
    const lookup = this.catalogs.lookup(text);
    if (lookup.status !== 'loaded') {
      return undefined;
    }
    const hover = hoverAt(text, document.offsetAt(position), lookup.catalog);
    if (!hover) {
      return undefined;
    }
    // Untrusted: API text is appended as text, never as markup, so names cannot become links.
    const markdown = new vscode.MarkdownString(undefined, false);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    for (const part of hover.parts) {
      if ('markdown' in part) {
        markdown.appendMarkdown(part.markdown);
      } else if ('code' in part) {
        // Inline code shows its content literally; only a backtick or line break could end it early.
        markdown.appendMarkdown(`\`${part.code.replace(/[`\r\n]/g, ' ')}\``);
      } else {
        appendLiteral(markdown, part.text);
      }
    }
    return new vscode.Hover(markdown, new vscode.Range(document.positionAt(hover.start), document.positionAt(hover.end)));
  }
}

/** Completion, hover and quick fixes for SQL documents (each provider answers only for bound ones). */
export function registerSqlLanguage(catalogs: SqlCatalogs, diagnostics: SqlDiagnostics): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(SQL_SELECTOR, new SqlCompletionProvider(catalogs), '.', '"'),
    vscode.languages.registerHoverProvider(SQL_SELECTOR, new SqlHoverProvider(catalogs)),
    vscode.languages.registerCodeActionsProvider(SQL_SELECTOR, new SqlCodeActions(diagnostics), { providedCodeActionKinds: SqlCodeActions.kinds }),
  );
}
