import type { Membership } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import { describeConnection, type Connection } from '../aws/clientFactory';
import type { CleanRoomsFailure } from '../aws/errors';
import type { CleanRoomsSettings, MembershipEntry } from '../config';
import { nodeKey, requestFor } from '../model/membershipStore';
import { membershipJson, membershipViewModel } from './membershipView';
import type { PanelContext, Panels } from './panels';
import { PanelHost } from './panelHost';
import type { ToWebview, WebviewFailure } from './protocol';
import { withDelayedProgress } from './progress';
import { panelTitle, visibleText, withoutCodeMarks } from '../util/text';


export const PANEL_VIEW_TYPE = 'cleanRooms.membership';

/** What a panel shows: a membership ID with the profile/region overrides of its entry. */
export interface PanelEntry {
  readonly id: string;
  readonly label?: string;
  readonly profile?: string;
  readonly region?: string;
}

/** What a membership panel posts: the entry rides along so the webview can save it for a reload. */
export type MembershipPanelMessage = ToWebview & { entry: PanelEntry };

/** The key a panel for `entry` has under `settings`: the key of its node in the tree. */
export function membershipPanelKey(entry: PanelEntry, settings: CleanRoomsSettings): string {
  const asEntry: MembershipEntry = { kind: 'membership', index: -1, ...entry };
  return nodeKey(asEntry, requestFor(asEntry, settings));
}

/**
 * One webview panel per membership (Panels reveals an open one). It fetches GetMembership itself
 * and tells the store, so the tree row shows the full record too. Data goes over as JSON and is
 * rendered with DOM APIs in media/panel.js; PanelHost does the messaging.
 */
export class MembershipPanel implements vscode.Disposable {
  private readonly host: PanelHost<MembershipPanelMessage>;
  private membership: Membership | undefined;
  private requestId: string | undefined;
  private connection: Connection | undefined;
  /** When the membership on screen was fetched: a failed refresh keeps showing this time. */
  private fetchedAt: Date | undefined;
  private loading: Promise<void> | undefined;
  private disposed = false;
  private generation = 0;
  private currentKey: string;
  /** When the membership data was posted (performance.now()), for the benchmark's breakdown. */
  postedAt: number | undefined;

  constructor(
    webviewPanel: vscode.WebviewPanel,
    private readonly context: PanelContext,
    readonly entry: PanelEntry,
    key: string,
  ) {
    this.currentKey = key;
    this.host = new PanelHost(webviewPanel, context.extensionUri, 'Clean Rooms membership', {
      refresh: () => void this.refresh(),
      openJson: () => void this.openJson(),
      consoleTarget: () => this.key,
      disposed: () => {
        this.disposed = true;
      },
    });
    void this.refresh();
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** The key of the membership's node in the tree under the settings of the last (re)start. */
  get key(): string {
    return this.currentKey;
  }

  /** Latest state posted, for tests and for re-posting after the webview reloads. */
  get lastMessage(): MembershipPanelMessage | undefined {
    return this.host.latest;
  }

  /** What the webview last drew, and when (performance.now() in the extension host). */
  get lastRendered(): { state: string; at: number } | undefined {
    return this.host.lastRendered;
  }

  /** When the webview's script said `ready` (performance.now()). */
  get readyAt(): number | undefined {
    return this.host.readyAt;
  }

  /** Fetches GetMembership again; concurrent calls share one request. */
  refresh(): Promise<void> {
    return this.loading ?? this.track(this.load());
  }

  /**
   * Drops what is shown and fetches under the current settings at once, under the key the
   * membership has under them. A load still in flight (started under the old profile or region)
   * is superseded: its result is discarded.
   */
  restart(): Promise<void> {
    this.generation++;
    this.membership = undefined;
    this.connection = undefined;
    this.fetchedAt = undefined;
    this.currentKey = membershipPanelKey(this.entry, this.context.settings);
    return this.track(this.load());
  }

  /** Makes `run` the load in flight until it settles; a later run that replaced it stays. */
  private track(run: Promise<void>): Promise<void> {
    const tracked = run.finally(() => {
      if (this.loading === tracked) {
        this.loading = undefined;
      }
    });
    this.loading = tracked;
    return tracked;
  }

  private async load(): Promise<void> {
    const generation = this.generation;
    if (!this.membership) {
      this.post({ type: 'loading', id: this.entry.id, label: this.entry.label === undefined ? undefined : visibleText(this.entry.label) });
    }
    const asEntry: MembershipEntry = { kind: 'membership', index: -1, ...this.entry };
    const request = requestFor(asEntry, this.context.settings);
    const result = await withDelayedProgress(vscode.l10n.t('Clean Rooms: loading membership {0}', this.entry.id), (signal) =>
      this.context.service.getMembership(request, this.entry.id, signal),
    );
    if (this.disposed || generation !== this.generation) {
      return;
    }
    if (result.ok) {
      this.membership = result.value.membership;
      this.requestId = result.requestId;
      this.connection = result.connection;
      this.fetchedAt = result.value.fetchedAt;
      const view = membershipViewModel(result.value.membership);
      this.panel.title = titleFor(this.entry, result.value.membership.collaborationName);
      this.post({ type: 'membership', view, where: describeConnection(result.connection), fetchedAt: result.value.fetchedAt.toISOString() });
      this.postedAt = performance.now();
      this.context.store.recordFetched(this.key, result.value.membership, result.connection);
    } else {
      const failure = webviewFailure(result.failure);
      if (this.membership && this.connection && this.fetchedAt) {
        // Keep showing what we had, marked as possibly out of date, with the time it was fetched.
        this.post({ type: 'membership', view: membershipViewModel(this.membership), where: describeConnection(this.connection), fetchedAt: this.fetchedAt.toISOString(), stale: failure });
      } else {
        this.post({ type: 'error', id: this.entry.id, failure });
      }
      this.context.store.recordFailed(this.key, result.failure, result.connection);
    }
  }

  async openJson(): Promise<void> {
    if (!this.membership) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The membership has not loaded yet.'));
      return;
    }
    await this.context.json.open(`membership-${this.entry.id}`, membershipJson(this.membership, this.requestId));
  }

  private post(message: ToWebview): void {
    this.host.post({ ...message, entry: this.entry });
  }

  /** The panel's HTML as set on the webview, for the CSP test. */
  get htmlForTest(): string {
    return this.panel.webview.html;
  }

  /** Closes the panel. */
  dispose(): void {
    this.host.dispose();
  }
}

/** The panel's title before the membership has loaded. */
export function panelTitleFor(entry: PanelEntry): string {
  return titleFor(entry);
}

function titleFor(entry: PanelEntry, collaborationName?: string): string {
  // An empty name falls back to the ID (one of the wrong type was set aside at the boundary).
  return panelTitle(entry.label ?? (collaborationName || entry.id));
}

export function webviewFailure(f: CleanRoomsFailure): WebviewFailure {
  return { title: f.title, message: f.message, nextStep: withoutCodeMarks(f.nextStep), requestId: f.requestId, details: f.details };
}

export function parseSavedEntry(state: unknown): PanelEntry | undefined {
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

/** Brings membership panels back after a window reload (the webview saved its entry). */
export class MembershipPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly panels: Panels) {}

  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void> {
    this.panels.reviveMembership(panel, state);
    return Promise.resolve();
  }
}
