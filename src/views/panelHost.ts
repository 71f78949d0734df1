import * as vscode from 'vscode';
import type { FromWebview, ToWebview } from './protocol';
import { panelHtml } from './webviewHtml';

/** Longest text the webview may put on the clipboard: a page's worth, not an unbounded paste. */
const MAX_COPY_CHARS = 100_000;

/** What differs between the panels the host serves. */
export interface PanelHostHandlers {
  /** The webview asked for fresh data (its Refresh button, F5). */
  refresh(): void;
  /** "Open Raw JSON". */
  openJson(): void;
  /** The membership node "Open in AWS Console" resolves its region from. */
  consoleTarget(): string;
  /** The webview panel was closed (by the user or by dispose()). */
  disposed(): void;
}

/**
 * The extension side of one webview panel, shared by membership and detail panels: sets the page,
 * waits for the script's `ready` (messages posted earlier are dropped by VS Code), keeps the latest
 * message and replays it on `ready`, and answers the toolbar (copy, raw JSON, console).
 */
export class PanelHost<M extends ToWebview = ToWebview> implements vscode.Disposable {
  private ready = false;
  private latestMessage: M | undefined;
  private rendered: { state: string; at: number } | undefined;
  private readonly subscriptions: vscode.Disposable[];
  /** When the webview's script said `ready` (performance.now()), for the benchmark's breakdown. */
  readyAt: number | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    pageTitle: string,
    private readonly handlers: PanelHostHandlers,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'cleanrooms.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, pageTitle);
    this.subscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        this.subscriptions.forEach((d) => d.dispose());
        handlers.disposed();
      }),
    ];
  }

  /** Shows `message`: now if the webview is ready, else as soon as it says so. */
  post(message: M): void {
    this.latestMessage = message;
    if (this.ready) {
      void this.panel.webview.postMessage(message);
    }
  }

  /** Posts the latest message again (a webview that reloaded, or a snapshot's Refresh). */
  replay(): void {
    if (this.ready && this.latestMessage) {
      void this.panel.webview.postMessage(this.latestMessage);
    }
  }

  get latest(): M | undefined {
    return this.latestMessage;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** What the webview last drew, and when (performance.now() in the extension host). */
  get lastRendered(): { state: string; at: number } | undefined {
    return this.rendered;
  }

  private receive(raw: unknown): void {
    // Whatever the page posts is untrusted input: only the known messages, with checked fields.
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
      return;
    }
    const message = raw as FromWebview;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.readyAt = performance.now();
        this.replay();
        break;
      case 'refresh':
        this.handlers.refresh();
        break;
      case 'copy':
        if (typeof message.text === 'string' && message.text.length <= MAX_COPY_CHARS) {
          void vscode.env.clipboard.writeText(message.text).then(() => vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000));
        }
        break;
      case 'openJson':
        this.handlers.openJson();
        break;
      case 'openConsole':
        void vscode.commands.executeCommand('cleanRooms.openInConsole', this.handlers.consoleTarget());
        break;
      case 'rendered':
        this.rendered = { state: String(message.state), at: performance.now() };
        break;
    }
  }

  /** Closes the panel; cleanup runs from its onDidDispose, as when the user closes it. */
  dispose(): void {
    this.panel.dispose();
  }
}
