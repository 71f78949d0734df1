import * as vscode from 'vscode';
import { noAutolinks } from '../util/markdownText';

/** Appends another party's text (names, descriptions) to untrusted markdown: shown as text, never as markup or a link. */
export function appendLiteral(markdown: vscode.MarkdownString, text: string): void {
  markdown.appendMarkdown(noAutolinks(new vscode.MarkdownString().appendText(text).value));
}
