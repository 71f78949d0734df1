import * as vscode from 'vscode';
import type { CleanRoomsService } from '../aws/cleanRoomsService';
import type { CleanRoomsSettings } from '../config';
import type { MembershipStore } from '../model/membershipStore';
import { DETAIL_VIEW_TYPE, DetailPanel, detailMessage, type DetailTarget } from './detailPanel';
import type { JsonDocumentProvider } from './jsonDocuments';
import { MembershipPanel, membershipPanelKey, PANEL_VIEW_TYPE, panelTitleFor, parseSavedEntry, type PanelEntry } from './membershipPanel';
import { panelTitle } from '../util/text';
import { webviewOptions } from './webviewHtml';

/** What panels read from the extension's state (ExplorerState provides it). */
export interface PanelContext {
  readonly extensionUri: vscode.Uri;
  readonly service: CleanRoomsService;
  readonly store: MembershipStore;
  readonly json: JsonDocumentProvider;
  readonly settings: CleanRoomsSettings;
}

interface KeyedPanel {
  readonly key: string;
  readonly panel: vscode.WebviewPanel;
  dispose(): void;
}

/** The open panels of one kind by key: opening a key again reveals its panel. */
export class PanelRegistry<P extends KeyedPanel> {
  private readonly open = new Map<string, P>();

  get(key: string): P | undefined {
    return this.open.get(key);
  }

  get count(): number {
    return this.open.size;
  }

  all(): P[] {
    return [...this.open.values()];
  }

  /** Tracks `panel` under its key until its webview closes. */
  add(panel: P): P {
    this.open.set(panel.key, panel);
    const closed = panel.panel.onDidDispose(() => {
      closed.dispose();
      if (this.open.get(panel.key) === panel) {
        this.open.delete(panel.key);
      }
    });
    return panel;
  }

  /**
   * The panel's key changed from `from` (settings moved it to another connection). False when
   * another panel already holds the new key: both would show the same thing.
   */
  move(panel: P, from: string): boolean {
    if (this.open.get(from) === panel) {
      this.open.delete(from);
    }
    const holder = this.open.get(panel.key);
    if (holder && holder !== panel) {
      return false;
    }
    this.open.set(panel.key, panel);
    return true;
  }

  disposeAll(): void {
    for (const p of this.all()) {
      p.dispose();
    }
  }
}

/** Every open webview panel: membership panels (live, refreshable) and detail panels (snapshots). */
export class Panels implements vscode.Disposable {
  readonly memberships = new PanelRegistry<MembershipPanel>();
  readonly details = new PanelRegistry<DetailPanel>();

  constructor(private readonly context: PanelContext) {}

  /** Opens the membership's panel, or reveals it if it is open under the current settings. */
  showMembership(entry: PanelEntry): MembershipPanel {
    const key = membershipPanelKey(entry, this.context.settings);
    const existing = this.memberships.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, panelTitleFor(entry), vscode.ViewColumn.Active, webviewOptions(this.context.extensionUri));
    return this.memberships.add(new MembershipPanel(panel, this.context, entry, key));
  }

  /** Restores a membership panel after a window reload, from the state its webview saved. */
  reviveMembership(panel: vscode.WebviewPanel, state: unknown): MembershipPanel | undefined {
    const entry = parseSavedEntry(state);
    if (!entry) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(this.context.extensionUri);
    const key = membershipPanelKey(entry, this.context.settings);
    this.memberships.get(key)?.dispose();
    return this.memberships.add(new MembershipPanel(panel, this.context, entry, key));
  }

  /** Opens a read-only panel for a record, or reveals the one already showing it. */
  showDetail(target: DetailTarget): DetailPanel {
    const existing = this.details.get(target.key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    // Built before the panel exists: if the record cannot be shown, no blank panel is left behind.
    const message = detailMessage(target);
    const panel = vscode.window.createWebviewPanel(DETAIL_VIEW_TYPE, panelTitle(target.title), vscode.ViewColumn.Active, webviewOptions(this.context.extensionUri));
    return this.details.add(new DetailPanel(panel, this.context, target, message));
  }

  /**
   * Membership panels drop what they show and fetch under the current settings, each moved to
   * the key its membership now has in the tree (so reopening it reveals it, and its fetches
   * update the tree row). A panel that now duplicates another is closed.
   */
  async restartMemberships(): Promise<void> {
    const runs = this.memberships.all().map((p) => {
      const from = p.key;
      const run = p.restart();
      if (!this.memberships.move(p, from)) {
        p.dispose();
      }
      return run;
    });
    await Promise.all(runs);
  }

  dispose(): void {
    this.memberships.disposeAll();
    this.details.disposeAll();
  }
}
