import type { Membership } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import { describeConnection, type Connection } from '../aws/clientFactory';
import type { CleanRoomsService } from '../aws/cleanRoomsService';
import type { CleanRoomsFailure } from '../aws/errors';
import type { CleanRoomsSettings, MembershipEntry } from '../config';
import type { JsonDocumentProvider } from './jsonDocuments';
import { nodeKey, requestFor, type MembershipStore } from '../model/membershipStore';
import { membershipJson, membershipViewModel, type MembershipViewModel } from './membershipView';
import { withDelayedProgress } from './progress';
import { panelHtml, webviewOptions } from './webviewHtml';
import { panelTitle, visibleText } from '../util/text';

export const PANEL_VIEW_TYPE = 'cleanRooms.membership';

/** What a panel shows: a membership ID with the profile/region overrides of its entry. */
export interface PanelEntry {
  readonly id: string;
  readonly label?: string;
  readonly profile?: string;
  readonly region?: string;
}

export interface PanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly service: CleanRoomsService;
  readonly store: MembershipStore;
  readonly json: JsonDocumentProvider;
  readonly settings: () => CleanRoomsSettings;
}

/** Messages the extension posts to the webview. */
export type ToWebview =
  | { type: 'loading'; id: string; label?: string }
  /** `snapshot`: a record from a list already loaded (detail panels), which the panel cannot fetch again. */
  | { type: 'membership'; view: MembershipViewModel; where: string; fetchedAt: string; stale?: WebviewFailure; snapshot?: boolean }
  | { type: 'error'; id: string; failure: WebviewFailure };

/** Messages the webview posts back. Anything else is ignored. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'copy'; text: string }
  | { type: 'openJson' }
  | { type: 'openConsole' }
  | { type: 'rendered'; state: string };

export interface WebviewFailure {
  title: string;
  message?: string;
  nextStep: string;
  requestId?: string;
  details?: readonly string[];
}

/**
 * One webview panel per membership (opening it again reveals it). The webview announces `ready`
 * before anything is posted, since messages sent earlier are dropped; until then the latest
 * message waits here. Data goes over as JSON and is rendered with DOM APIs in media/panel.js.
 */
export class MembershipPanel implements vscode.Disposable {
  private static readonly open = new Map<string, MembershipPanel>();

  private ready = false;
  private latest: (ToWebview & { entry: PanelEntry }) | undefined;
  private membership: Membership | undefined;
  private requestId: string | undefined;
  private connection: Connection | undefined;
  private loading: Promise<void> | undefined;
  private disposed = false;
  private generation = 0;
  private rendered: { state: string; at: number } | undefined;
  /** When the webview's script said `ready` (performance.now()), for the benchmark's breakdown. */
  readyAt: number | undefined;
  /** When the membership data was posted, likewise. */
  postedAt: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(deps: PanelDeps, entry: PanelEntry): MembershipPanel {
    const key = MembershipPanel.keyOf(deps, entry);
    const existing = MembershipPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, titleFor(entry), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new MembershipPanel(panel, deps, entry, key);
  }

  /** Restores a panel after a window reload, from the state the webview saved. */
  static revive(deps: PanelDeps, panel: vscode.WebviewPanel, state: unknown): MembershipPanel | undefined {
    const entry = parseSavedEntry(state);
    if (!entry) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(deps.extensionUri);
    const key = MembershipPanel.keyOf(deps, entry);
    MembershipPanel.open.get(key)?.panel.dispose();
    return new MembershipPanel(panel, deps, entry, key);
  }

  static get(key: string): MembershipPanel | undefined {
    return MembershipPanel.open.get(key);
  }

  static get count(): number {
    return MembershipPanel.open.size;
  }

  /**
   * Fetches every open panel again. With `forget`, what they show is dropped first: after a
   * profile or region switch nothing from the old connection may stay on screen.
   */
  static async refreshAll(forget = false): Promise<void> {
    await Promise.all([...MembershipPanel.open.values()].map((p) => (forget ? p.restart() : p.refresh())));
  }

  static disposeAll(): void {
    for (const p of [...MembershipPanel.open.values()]) {
      p.panel.dispose();
    }
  }

  private static keyOf(deps: PanelDeps, entry: PanelEntry): string {
    const asEntry: MembershipEntry = { kind: 'membership', index: -1, ...entry };
    return nodeKey(asEntry, requestFor(asEntry, deps.settings()));
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    readonly entry: PanelEntry,
    readonly key: string,
  ) {
    MembershipPanel.open.set(key, this);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'cleanrooms.svg');
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, 'Clean Rooms membership');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
    );
    void this.refresh();
  }

  /** Latest state posted, for tests and for re-posting after the webview reloads. */
  get lastMessage(): (ToWebview & { entry: PanelEntry }) | undefined {
    return this.latest;
  }

  /** Fetches GetMembership again; concurrent calls share one request. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /**
   * Drops what is shown and fetches under the current settings at once. A load still in flight
   * (started under the old profile or region) is superseded: its result is discarded.
   */
  private restart(): Promise<void> {
    this.generation++;
    this.membership = undefined;
    this.connection = undefined;
    const run = this.load().finally(() => {
      if (this.loading === run) {
        this.loading = undefined;
      }
    });
    this.loading = run;
    return run;
  }

  private async load(): Promise<void> {
    const generation = this.generation;
    if (!this.membership) {
      this.post({ type: 'loading', id: this.entry.id, label: this.entry.label === undefined ? undefined : visibleText(this.entry.label) });
    }
    const settings = this.deps.settings();
    const asEntry: MembershipEntry = { kind: 'membership', index: -1, ...this.entry };
    const request = requestFor(asEntry, settings);
    const result = await withDelayedProgress(vscode.l10n.t('Clean Rooms: loading membership {0}', this.entry.id), (signal) =>
      this.deps.service.getMembership(request, this.entry.id, signal),
    );
    if (this.disposed || generation !== this.generation) {
      return;
    }
    if (result.ok) {
      this.membership = result.value.membership;
      this.requestId = result.requestId;
      this.connection = result.connection;
      const view = membershipViewModel(result.value.membership);
      this.panel.title = titleFor(this.entry, result.value.membership.collaborationName);
      this.post({ type: 'membership', view, where: describeConnection(result.connection), fetchedAt: result.value.fetchedAt.toISOString() });
      this.postedAt = performance.now();
      this.deps.store.recordFetched(this.key, result.value.membership, result.connection);
    } else {
      const failure = webviewFailure(result.failure);
      if (this.membership && this.connection) {
        // Keep showing what we had, marked as possibly out of date.
        this.post({ type: 'membership', view: membershipViewModel(this.membership), where: describeConnection(this.connection), fetchedAt: new Date().toISOString(), stale: failure });
      } else {
        this.post({ type: 'error', id: this.entry.id, failure });
      }
      this.deps.store.recordFailed(this.key, result.failure, result.connection);
    }
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') {
      return;
    }
    const message = raw as FromWebview;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.readyAt = performance.now();
        if (this.latest) {
          void this.panel.webview.postMessage(this.latest);
        }
        break;
      case 'refresh':
        void this.refresh();
        break;
      case 'copy':
        if (typeof message.text === 'string' && message.text.length <= 100_000) {
          void vscode.env.clipboard.writeText(message.text).then(() => vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000));
        }
        break;
      case 'openJson':
        void this.openJson();
        break;
      case 'openConsole':
        void vscode.commands.executeCommand('cleanRooms.openInConsole', this.key);
        break;
      case 'rendered':
        this.rendered = { state: String(message.state), at: performance.now() };
        break;
    }
  }

  /** What the webview last drew, and when (performance.now() in the extension host). */
  get lastRendered(): { state: string; at: number } | undefined {
    return this.rendered;
  }

  async openJson(): Promise<void> {
    if (!this.membership) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The membership has not loaded yet.'));
      return;
    }
    await this.deps.json.open(`membership-${this.entry.id}`, membershipJson(this.membership, this.requestId));
  }

  private post(message: ToWebview): void {
    // The entry rides along so the webview can save it for restoring after a reload.
    this.latest = { ...message, entry: this.entry };
    if (this.ready) {
      void this.panel.webview.postMessage(this.latest);
    }
  }

  /** The panel's HTML as set on the webview, for the CSP test. */
  get htmlForTest(): string {
    return this.panel.webview.html;
  }

  dispose(): void {
    this.disposed = true;
    if (MembershipPanel.open.get(this.key) === this) {
      MembershipPanel.open.delete(this.key);
    }
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}

function titleFor(entry: PanelEntry, collaborationName?: string): string {
  // An empty name falls back to the ID (one of the wrong type was set aside at the boundary).
  return panelTitle(entry.label ?? (collaborationName || entry.id));
}

export function webviewFailure(f: CleanRoomsFailure): WebviewFailure {
  return { title: f.title, message: f.message, nextStep: f.nextStep, requestId: f.requestId, details: f.details };
}

function parseSavedEntry(state: unknown): PanelEntry | undefined {
  if (typeof state !== 'object' || state === null) {
    return undefined;
  }
  const entry = (state as { entry?: unknown }).entry;
  if (typeof entry !== 'object' || entry === null) {
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const id = str(e.id);
  if (!id || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    return undefined;
  }
  return { id, label: str(e.label), profile: str(e.profile), region: str(e.region) };
}

export class MembershipPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly deps: PanelDeps) {}

  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void> {
    MembershipPanel.revive(this.deps, panel, state);
    return Promise.resolve();
  }
}
