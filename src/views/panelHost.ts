import * as vscode from 'vscode';
import type { FromWebview, PostedToWebview, RowsMessage, SavedRecord, TemplateCheckMessage, ToWebview } from './protocol';
import { panelHtml } from './webviewHtml';
import { panelTitle } from '../util/text';
import type { PanelConsoleRequest } from '../aws/consoleUrl';

/** Longest text the webview may put on the clipboard: a page's worth, not an unbounded paste. */
const MAX_COPY_CHARS = 100_000;

/** What the record on screen answers: differs between membership and detail records. */
export interface PanelHostHandlers {
  /** The webview asked for fresh data (its Refresh button, F5). */
  refresh(): void;
  /** "Open Raw JSON". */
  openJson(): void;
  /** What "Open in AWS Console" opens: a membership node's key, or the panel's own page. */
  consoleTarget(): string | PanelConsoleRequest;
  /** "Edit Settings…" (membership panels only). */
  editSettings?(): void;
  /** A query panel's messages (queryAction, rowsRequest, sort, filter, copyCells); other records ignore them. */
  query?(message: QueryMessage): void;
  /** A table panel's buttons; other records ignore them. */
  tableAction?(action: unknown): void;
  /** A template panel's messages (templateInput, templateAction); other records ignore them. */
  template?(message: TemplateMessage): void;
}

/** The messages only a query panel answers. Their fields are unchecked webview input. */
export type QueryMessage = Extract<FromWebview, { type: 'queryAction' | 'rowsRequest' | 'sort' | 'filter' | 'copyCells' }>;

/** The messages only a template panel answers. Their fields are unchecked webview input. */
export type TemplateMessage = Extract<FromWebview, { type: 'templateInput' | 'templateAction' }>;

/** What the tab answers, whatever record it shows (Panels provides it). */
export interface PanelTabEvents {
  /** The webview's Keep Open button: the preview becomes a pinned panel. */
  keepOpen(host: PanelHost): void;
  /** The webview panel was closed (by the user or by dispose()). */
  disposed(host: PanelHost): void;
}

/** The record a host shows: told when the webview closes under it. */
export interface HostedRecord {
  hostClosed(): void;
}

/** What the webview last drew: `seq` is the number of the message it drew (see post). */
export interface Rendered {
  readonly state: string;
  readonly at: number;
  readonly seq: number;
}

/**
 * The extension side of one webview panel, shared by membership and detail records: sets the page,
 * waits for the script's `ready` (messages posted earlier are dropped by VS Code), keeps the latest
 * message and replays it on `ready`, and answers the toolbar (copy, raw JSON, console, Keep Open).
 *
 * The preview panel is one host whose record changes (attach): the running webview gets the next
 * record as a message, so switching costs no new webview. Each message carries a sequence number
 * the webview echoes in `rendered`, so a record can tell its own render from its predecessor's.
 */
export class PanelHost implements vscode.Disposable {
  private ready = false;
  private latestMessage: ToWebview | undefined;
  private latestSaved: SavedRecord | undefined;
  private latestSeq = 0;
  private seq = 0;
  private rendered: Rendered | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private handlers: PanelHostHandlers | undefined;
  private record: HostedRecord | undefined;
  private name = '';
  private previewing: boolean;
  private isDisposed = false;
  /** When the webview's script said `ready` (performance.now()), for the benchmark's breakdown. */
  readyAt: number | undefined;
  /** How many times the webview's script started: more than one means the webview was rebuilt. */
  readyCount = 0;
  /** When the latest message was posted (performance.now()), for the benchmark. */
  postedAt: number | undefined;
  /** When the grid first drew loaded rows of a result version (performance.now()), for the benchmark. */
  rowsDrawn: { readonly version: number; readonly at: number; readonly drawnAt?: number } | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    pageTitle: string,
    preview: boolean,
    private readonly events: PanelTabEvents,
  ) {
    this.previewing = preview;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'cleanrooms.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, pageTitle);
    this.subscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        this.isDisposed = true;
        this.subscriptions.forEach((d) => d.dispose());
        this.record?.hostClosed();
        this.record = undefined;
        events.disposed(this);
      }),
    ];
  }

  /** Makes `record` the one this panel shows and answers for; the previous one is let go. */
  attach(record: HostedRecord, handlers: PanelHostHandlers): void {
    this.record = record;
    this.handlers = handlers;
  }

  /** The number the next posted message gets. */
  get nextSeq(): number {
    return this.seq + 1;
  }

  get closed(): boolean {
    return this.isDisposed;
  }

  /** A preview panel shows whatever is clicked next; a pinned one keeps its record. */
  get isPreview(): boolean {
    return this.previewing;
  }

  /** Pins a preview (Keep Open): its title and page stop saying "Preview". */
  pin(): void {
    if (!this.previewing) {
      return;
    }
    this.previewing = false;
    this.applyTitle();
    this.replay();
  }

  /** Names the tab after its record; a preview's title says so (a webview tab cannot be italic). */
  setTitle(name: string): void {
    this.name = name;
    this.applyTitle();
  }

  private applyTitle(): void {
    if (this.isDisposed) {
      return;
    }
    const title = panelTitle(this.name);
    this.panel.title = this.previewing ? vscode.l10n.t('Preview: {0}', title) : title;
  }

  /** Shows `message`: now if the webview is ready, else as soon as it says so. Returns its number. */
  post(message: ToWebview, saved?: SavedRecord): number {
    this.latestMessage = message;
    this.latestSaved = saved;
    this.latestSeq = ++this.seq;
    this.postedAt = performance.now();
    this.replay();
    return this.latestSeq;
  }

  /**
   * Posts a transient message (rows for the grid): not kept, not replayed after a reload, since
   * the webview asks again for what it needs. Dropped when the webview is not ready.
   */
  send(message: RowsMessage | TemplateCheckMessage): void {
    if (this.ready && !this.isDisposed) {
      void this.panel.webview.postMessage(message);
    }
  }

  /** Posts the latest message again (a webview that reloaded, a snapshot's Refresh, a pin). */
  replay(): void {
    if (this.ready && this.latestMessage && !this.isDisposed) {
      const posted: PostedToWebview = { ...this.latestMessage, entry: this.latestSaved?.entry, query: this.latestSaved?.query, preview: this.previewing, seq: this.latestSeq };
      void this.panel.webview.postMessage(posted);
    }
  }

  get latest(): ToWebview | undefined {
    return this.latestMessage;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** What the webview last drew, and when (performance.now() in the extension host). */
  get lastRendered(): Rendered | undefined {
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
        this.readyCount++;
        this.replay();
        break;
      case 'refresh':
        this.handlers?.refresh();
        break;
      case 'copy':
        if (typeof message.text === 'string' && message.text.length <= MAX_COPY_CHARS) {
          void vscode.env.clipboard.writeText(message.text).then(() => vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000));
        }
        break;
      case 'openJson':
        this.handlers?.openJson();
        break;
      case 'openConsole':
        if (this.handlers) {
          void vscode.commands.executeCommand('cleanRooms.openInConsole', this.handlers.consoleTarget());
        }
        break;
      case 'keepOpen':
        this.events.keepOpen(this);
        break;
      case 'editSettings':
        this.handlers?.editSettings?.();
        break;
      case 'rendered':
        if (message.state === 'rows') {
          this.rowsDrawn = { version: Number(message.version), at: performance.now(), drawnAt: typeof message.drawnAt === 'number' && Number.isFinite(message.drawnAt) ? message.drawnAt : undefined };
          break;
        }
        this.rendered = { state: String(message.state), at: performance.now(), seq: typeof message.seq === 'number' ? message.seq : 0 };
        break;
      case 'tableAction':
        this.handlers?.tableAction?.(message.action);
        break;
      case 'queryAction':
      case 'rowsRequest':
      case 'sort':
      case 'filter':
      case 'copyCells':
        this.handlers?.query?.(message);
        break;
      case 'templateInput':
      case 'templateAction':
        this.handlers?.template?.(message);
        break;
    }
  }

  /** Closes the panel; cleanup runs from its onDidDispose, as when the user closes it. */
  dispose(): void {
    this.panel.dispose();
  }
}
