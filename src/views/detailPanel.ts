import * as vscode from 'vscode';
import type { JsonDocumentProvider } from './jsonDocuments';
import type { ToWebview } from './protocol';
import { recordViewModel } from './membershipView';
import { panelHtml, webviewOptions } from './webviewHtml';
import { panelTitle, safeJson } from '../util/text';

export const DETAIL_VIEW_TYPE = 'cleanRooms.detail';

export interface DetailTarget {
  /** Unique per record: opening the same record again reveals its panel. */
  readonly key: string;
  /** "Collaboration", "Member", "Configured table association", … */
  readonly kind: string;
  readonly title: string;
  readonly record: object;
  /** Where it came from, e.g. "prod @ us-east-1". */
  readonly where: string;
  readonly fetchedAt: Date;
  /** The membership node the record belongs to, for "Open in AWS Console". */
  readonly membershipKey: string;
}

/**
 * A read-only panel for a record under a membership (collaboration, member, table association,
 * analysis template, protected query), drawn by the same webview script and CSP as the
 * membership panel. It shows the record as the list call returned it.
 */
export class DetailPanel {
  private static readonly open = new Map<string, DetailPanel>();
  private ready = false;

  static show(extensionUri: vscode.Uri, json: JsonDocumentProvider, target: DetailTarget): DetailPanel {
    const existing = DetailPanel.open.get(target.key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    // Built before the panel exists: if the record cannot be shown, no blank panel is left behind.
    const message: ToWebview = { type: 'membership', view: recordViewModel(target.kind, target.title, target.record), where: target.where, fetchedAt: target.fetchedAt.toISOString(), snapshot: true };
    const panel = vscode.window.createWebviewPanel(DETAIL_VIEW_TYPE, panelTitle(target.title), vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return new DetailPanel(panel, extensionUri, json, target, message);
  }

  static get count(): number {
    return DetailPanel.open.size;
  }

  static disposeAll(): void {
    for (const p of [...DetailPanel.open.values()]) {
      p.panel.dispose();
    }
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly json: JsonDocumentProvider,
    readonly target: DetailTarget,
    private readonly message: ToWebview,
  ) {
    DetailPanel.open.set(target.key, this);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'cleanrooms.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, target.kind);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        DetailPanel.open.delete(target.key);
        subscriptions.forEach((d) => d.dispose());
      }),
    ];
  }

  get lastMessage(): ToWebview {
    return this.message;
  }

  private receive(raw: unknown): void {
    const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
    switch (type) {
      case 'ready':
      case 'refresh':
        this.ready = true;
        void this.panel.webview.postMessage(this.message);
        break;
      case 'copy': {
        const text = (raw as { text?: unknown }).text;
        if (typeof text === 'string' && text.length <= 100_000) {
          void vscode.env.clipboard.writeText(text);
        }
        break;
      }
      case 'openJson':
        void this.openJson();
        break;
      case 'openConsole':
        void vscode.commands.executeCommand('cleanRooms.openInConsole', this.target.membershipKey);
        break;
    }
  }

  get isReady(): boolean {
    return this.ready;
  }

  openJson(): Promise<vscode.TextEditor> {
    return this.json.open(`${this.target.kind}-${this.target.title}`, safeJson(this.target.record));
  }
}
