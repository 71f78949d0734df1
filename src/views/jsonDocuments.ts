import * as vscode from 'vscode';
import { shortHash } from '../util/hash';

export const JSON_SCHEME = 'cleanrooms-json';

/** How one kind of read-only document is named and shown. */
export interface ReadOnlyDocumentKind {
  readonly scheme: string;
  readonly language: string;
  /** File extension in the tab title, without the dot. */
  readonly extension: string;
  /** The name when the given one has no usable character. */
  readonly fallbackName: string;
  /** Documents kept: the provider is never told when an editor closes for good. */
  readonly maxDocuments: number;
}

/**
 * Serves text as read-only documents: content-provider documents cannot be edited or saved over,
 * and the text never touches disk unless the user chooses "Save As".
 */
export class ReadOnlyDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly kind: ReadOnlyDocumentKind) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '';
  }

  /**
   * Opens a read-only editor named after what it holds. The path carries a hash of the content,
   * so two records never share a document (an open editor would silently change); the hash is a
   * folder, so the tab still reads "<name>.<extension>".
   */
  async open(name: string, text: string): Promise<vscode.TextEditor> {
    const { scheme, language, extension, fallbackName, maxDocuments } = this.kind;
    const safeName = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || fallbackName;
    const uri = vscode.Uri.from({ scheme, path: `/${shortHash(text)}/${safeName}.${extension}` });
    this.documents.delete(uri.toString());
    this.documents.set(uri.toString(), text);
    while (this.documents.size > maxDocuments) {
      const oldest = this.documents.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.documents.delete(oldest);
    }
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const shown = await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(shown, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.changed.dispose();
    this.documents.clear();
  }
}

/** Raw API responses, read-only. */
export class JsonDocumentProvider extends ReadOnlyDocumentProvider {
  constructor() {
    super({ scheme: JSON_SCHEME, language: 'json', extension: 'json', fallbackName: 'response', maxDocuments: 100 });
  }
}
