import * as vscode from 'vscode';
import { shortHash } from '../util/hash';

export const JSON_SCHEME = 'cleanrooms-json';

const MAX_DOCUMENTS = 100;

/**
 * Serves raw API responses as read-only documents: content-provider documents cannot be edited
 * or saved over, and the JSON never touches disk unless the user chooses "Save As".
 */
export class JsonDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '';
  }

  /**
   * Opens a read-only JSON editor named after what it holds. The path carries a hash of the
   * content, so two records never share a document (an open editor would silently change).
   */
  async open(name: string, json: string): Promise<vscode.TextEditor> {
    const safeName = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'response';
    // The hash is a folder, so the tab still reads "<name>.json".
    const uri = vscode.Uri.from({ scheme: JSON_SCHEME, path: `/${shortHash(json)}/${safeName}.json` });
    this.documents.delete(uri.toString());
    this.documents.set(uri.toString(), json);
    // Keep the most recent documents only: the provider is never told when an editor closes for good.
    while (this.documents.size > MAX_DOCUMENTS) {
      const oldest = this.documents.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.documents.delete(oldest);
    }
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const shown = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(shown, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.changed.dispose();
    this.documents.clear();
  }
}
