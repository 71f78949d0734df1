import * as vscode from 'vscode';
import type { PanelHost, PanelHostHandlers, Rendered } from './panelHost';
import type { RowsMessage, SavedRecord, TemplateCheckMessage, ToWebview } from './protocol';

/**
 * A record shown in a panel (a membership, or a detail record). It owns no webview: it is
 * attached to a PanelHost, the preview's or its own pinned one, until it is released: the preview
 * moved on to another record, or the panel closed. A released record posts nothing more.
 */
export abstract class PanelRecord implements vscode.Disposable {
  private readonly closed = new vscode.EventEmitter<void>();
  /** Fires once, when the record leaves the screen (its panel closed, or the preview moved on). */
  readonly onDidClose = this.closed.event;
  /** The number of the first message this record posted: renders before it were another record's. */
  private readonly firstSeq: number;
  private released = false;

  constructor(
    protected readonly host: PanelHost,
    handlers: PanelHostHandlers,
  ) {
    this.firstSeq = host.nextSeq;
    host.attach({ hostClosed: () => this.release() }, handlers);
  }

  /** Unique per record: opening the same record again reveals its panel. */
  abstract get key(): string;

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** The host (the tab) showing this record. */
  get tab(): PanelHost {
    return this.host;
  }

  /** Whether the record is in the preview panel (the next single click replaces it). */
  get isPreview(): boolean {
    return this.host.isPreview;
  }

  /** False once the record left the screen. */
  get showing(): boolean {
    return !this.released;
  }

  get isReady(): boolean {
    return this.host.isReady;
  }

  /** When the webview's script said `ready` (performance.now()); for a reused preview, long before this record. */
  get readyAt(): number | undefined {
    return this.host.readyAt;
  }

  /** What the webview last drew of this record, and when (performance.now() in the extension host). */
  get lastRendered(): Rendered | undefined {
    const rendered = this.host.lastRendered;
    return rendered && rendered.seq >= this.firstSeq ? rendered : undefined;
  }

  /** `saved`: what the webview keeps to restore the panel after a window reload (nothing: not restored). */
  protected postToHost(message: ToWebview, saved?: SavedRecord): void {
    if (!this.released) {
      this.host.post(message, saved);
    }
  }

  /** A transient message (grid rows): not replayed after a reload (PanelHost.send). */
  protected sendToHost(message: RowsMessage | TemplateCheckMessage): void {
    if (!this.released) {
      this.host.send(message);
    }
  }

  /** The record leaves the screen; its panel stays if another record took it over. */
  release(): void {
    if (this.released) {
      return;
    }
    this.released = true;
    this.closed.fire();
    this.closed.dispose();
  }

  /** Closes the panel showing this record (nothing, if the record already left it). */
  dispose(): void {
    if (!this.released) {
      this.host.dispose();
    }
  }
}
