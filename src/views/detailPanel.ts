import type * as vscode from 'vscode';
import type { ToWebview } from './protocol';
import { recordViewModel } from './membershipView';
import type { PanelContext } from './panels';
import { PanelHost } from './panelHost';
import { safeJson } from '../util/text';

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

/** What a detail panel shows: the record as a snapshot (no Refresh it could not honour). */
export function detailMessage(target: DetailTarget): ToWebview {
  return { type: 'membership', view: recordViewModel(target.kind, target.title, target.record), where: target.where, fetchedAt: target.fetchedAt.toISOString(), snapshot: true };
}

/**
 * A read-only panel for a record under a membership (collaboration, member, table association,
 * analysis template, protected query), drawn by the same webview script and CSP as the
 * membership panel. It shows the record as the list call returned it.
 */
export class DetailPanel implements vscode.Disposable {
  private readonly host: PanelHost;

  constructor(
    webviewPanel: vscode.WebviewPanel,
    private readonly context: Pick<PanelContext, 'extensionUri' | 'json'>,
    readonly target: DetailTarget,
    private readonly message: ToWebview,
  ) {
    this.host = new PanelHost(webviewPanel, context.extensionUri, target.kind, {
      // A snapshot cannot be fetched again: Refresh (F5 in the webview) draws it again.
      refresh: () => this.host.replay(),
      openJson: () => void this.openJson(),
      consoleTarget: () => target.membershipKey,
      disposed: () => undefined,
    });
    this.host.post(message);
  }

  get key(): string {
    return this.target.key;
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  get lastMessage(): ToWebview {
    return this.message;
  }

  get isReady(): boolean {
    return this.host.isReady;
  }

  openJson(): Promise<vscode.TextEditor> {
    return this.context.json.open(`${this.target.kind}-${this.target.title}`, safeJson(this.target.record));
  }

  /** Closes the panel. */
  dispose(): void {
    this.host.dispose();
  }
}
