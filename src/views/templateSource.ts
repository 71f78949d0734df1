import * as vscode from 'vscode';
import { shortHash } from '../util/hash';

export const TEMPLATE_SOURCE_SCHEME = 'cleanrooms-template';

const MAX_DOCUMENTS = 50;

/**
 * Serves analysis templates' SQL as read-only documents (language 'sql'): another member's
 * template cannot be edited in place or saved over, and it touches disk only through Save As.
 */
export class TemplateSourceProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '';
  }

  /** Opens `<name>.sql`; the path carries a hash of the text, so two versions never share a document. */
  async open(name: string, sql: string): Promise<vscode.TextEditor> {
    const safeName = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'template';
    const uri = vscode.Uri.from({ scheme: TEMPLATE_SOURCE_SCHEME, path: `/${shortHash(sql)}/${safeName}.sql` });
    this.documents.delete(uri.toString());
    this.documents.set(uri.toString(), sql);
    while (this.documents.size > MAX_DOCUMENTS) {
      const oldest = this.documents.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.documents.delete(oldest);
    }
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const shown = await vscode.languages.setTextDocumentLanguage(doc, 'sql');
    return vscode.window.showTextDocument(shown, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.changed.dispose();
    this.documents.clear();
  }
}
