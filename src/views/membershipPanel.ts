import type { Membership } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import { describeConnection, type Connection, type ConnectionRequest } from '../aws/clientFactory';
import type { CleanRoomsFailure } from '../aws/errors';
import type { CleanRoomsSettings, ConfiguredEntry, MembershipEntry } from '../config';
import { nodeKey, requestFor } from '../model/membershipStore';
import { membershipJson, membershipViewModel } from './membershipView';
import { budgetsSection, type BudgetsState } from './privacyBudgetView';
import type { PanelContext, Panels } from './panels';
import type { PanelHost } from './panelHost';
import { PanelRecord } from './panelRecord';
import type { ToWebview, WebviewFailure } from './protocol';
import { withDelayedProgress } from './progress';
import { visibleText, withoutCodeMarks } from '../util/text';
import type { PanelConsoleRequest } from '../aws/consoleUrl';
import type { PanelTargetArg } from '../commands/editMembershipSettings';

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

/** What a panel for the configured `entry` shows (its position in the list is the panel's `configured`). */
export function panelEntryOf(entry: MembershipEntry): PanelEntry {
  return { id: entry.id, label: entry.label, profile: entry.profile, region: entry.region };
}

/**
 * The entry in `entries` that is `configured` after a settings edit: the one at the same position
 * with the same ID (edited in place), else the one with the same ID, profile and region (moved),
 * else the only one with the same ID. Undefined when it was removed or cannot be told apart.
 */
export function followConfiguredEntry(entries: readonly ConfiguredEntry[], configured: MembershipEntry): MembershipEntry | undefined {
  const sameId = entries.filter((e): e is MembershipEntry => e.kind === 'membership' && e.id === configured.id);
  return (
    sameId.find((e) => e.index === configured.index) ??
    sameId.find((e) => e.profile === configured.profile && e.region === configured.region) ??
    (sameId.length === 1 ? sameId[0] : undefined)
  );
}

/** A full record fetched earlier, which a panel may show at once while it fetches again. */
export interface CachedMembership {
  readonly membership: Membership;
  readonly connection: Connection;
  readonly fetchedAt: Date;
  readonly requestId?: string;
}

/** Where a membership panel finds records fetched earlier (Panels: the store and previous panels). */
export interface MembershipCache {
  /** The record of `key` if it is recent enough to show before fetching (cleanRooms.cacheMaxAgeSeconds). */
  recent(key: string): CachedMembership | undefined;
  remember(key: string, record: CachedMembership): void;
}

/**
 * A membership in a panel (its own pinned one, or the preview). It fetches GetMembership itself
 * and tells the store, so the tree row shows the full record too. A record fetched recently is
 * shown at once, marked as refreshing, while it is fetched again (stale-while-revalidate). Data
 * goes over as JSON and is rendered with DOM APIs in media/panel.js; PanelHost does the messaging.
 */
export class MembershipPanel extends PanelRecord {
  private membership: Membership | undefined;
  private requestId: string | undefined;
  private connection: Connection | undefined;
  /** When the membership on screen was fetched: a failed refresh keeps showing this time. */
  private fetchedAt: Date | undefined;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private currentKey: string;
  private currentEntry: PanelEntry;
  private latestMessage: MembershipPanelMessage | undefined;
  /**
   * Aborted when the record leaves the screen: a preview clicked past on a slow link would
   * otherwise keep its request running, and pop a loading notification for a record not shown.
   */
  private readonly gone = new AbortController();
  /** The privacy budgets, listed beside each load without holding it up (undefined: not answered yet). */
  private budgets: BudgetsState | undefined;
  private budgetsLoading: Promise<void> | undefined;
  /** The last message before the budgets were added to it, to post again when they arrive. */
  private unbudgeted: ToWebview | undefined;
  /** When the membership data was posted (performance.now()), for the benchmark's breakdown. */
  postedAt: number | undefined;
  /** Whether the data first posted came from the cache (shown before the fetch answered). */
  servedFromCache = false;

  constructor(
    host: PanelHost,
    private readonly context: PanelContext,
    private readonly cache: MembershipCache,
    entry: PanelEntry,
    key: string,
    /**
     * The entry in cleanRooms.memberships the panel was opened for; undefined for an ID opened
     * by hand, which keeps its own profile and region. See followSettings.
     */
    private configured?: MembershipEntry,
  ) {
    super(host, {
      refresh: () => void this.refresh(),
      openJson: () => void this.openJson(),
      consoleTarget: () => this.consoleRequest(),
      editSettings: () => void vscode.commands.executeCommand('cleanRooms.editMembershipSettings', this.settingsTarget()),
    });
    this.currentKey = key;
    this.onDidClose(() => this.gone.abort());
    this.currentEntry = entry;
    host.setTitle(titleFor(entry));
    void this.refresh();
  }

  /** The key of the membership's node in the tree under the settings of the last (re)start. */
  get key(): string {
    return this.currentKey;
  }

  /** The ID, label and profile/region overrides shown: its configured entry's as they are now. */
  get entry(): PanelEntry {
    return this.currentEntry;
  }

  /**
   * Settings changed: a panel opened for a configured entry takes that entry's label, profile and
   * region as they are now, so it goes where the tree row goes (the caller restarts it when its
   * key changed). A panel whose entry was removed, or was opened by ID, keeps what it has.
   */
  followSettings(entries: readonly ConfiguredEntry[]): void {
    const now = this.configured && followConfiguredEntry(entries, this.configured);
    if (!now) {
      return;
    }
    this.configured = now;
    const before = this.currentEntry;
    this.currentEntry = panelEntryOf(now);
    if (before.label !== now.label) {
      this.host.setTitle(titleFor(this.currentEntry, this.membership?.collaborationName));
      // Posted again so the webview saves the new label for a window reload.
      if (this.latestMessage) {
        this.post(this.latestMessage);
      }
    }
  }

  /** Latest state posted, for tests and for re-posting after the webview reloads. */
  get lastMessage(): MembershipPanelMessage | undefined {
    return this.latestMessage;
  }

  /** What "Open in AWS Console" in this panel opens: the membership's page, in its own region. */
  consoleRequest(): PanelConsoleRequest {
    return { kind: 'panelConsole', target: { kind: 'membership', membershipId: this.entry.id }, region: this.connection?.region, request: this.request() };
  }

  /** What Edit Settings… changes: this panel's membership, reached as the panel reaches it. */
  settingsTarget(): PanelTargetArg {
    return { type: 'membershipPanel', key: this.key, membershipId: this.entry.id, request: this.request() };
  }

  /** Where this panel's calls go: its entry's profile and region over the settings in force. */
  private request(): ConnectionRequest {
    const asEntry: MembershipEntry = { kind: 'membership', index: -1, ...this.entry };
    return requestFor(asEntry, this.context.settings);
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
    this.budgets = undefined;
    this.currentKey = membershipPanelKey(this.entry, this.context.settings);
    // Nothing fetched before a restart may show again: it is what the restart drops.
    return this.track(this.load(false));
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

  private async load(cacheAllowed = true): Promise<void> {
    const generation = this.generation;
    const cached = !this.membership && cacheAllowed ? this.cache.recent(this.key) : undefined;
    if (cached) {
      this.show(cached, { refreshing: true });
      this.servedFromCache = true;
    } else if (!this.membership) {
      this.post({ type: 'loading', id: this.entry.id, label: this.entry.label === undefined ? undefined : visibleText(this.entry.label) });
    }
    const request = this.request();
    this.budgetsLoading = this.loadBudgets(request, generation);
    const result = await withDelayedProgress(
      vscode.l10n.t('Clean Rooms: loading membership {0}', this.entry.id),
      (signal) => this.context.service.getMembership(request, this.entry.id, signal),
      { signal: this.gone.signal },
    );
    if (!this.showing || generation !== this.generation) {
      return;
    }
    if (result.ok) {
      const record: CachedMembership = { membership: result.value.membership, connection: result.connection, fetchedAt: result.value.fetchedAt, requestId: result.requestId };
      this.show(record, {});
      this.cache.remember(this.key, record);
      this.context.store.recordFetched(this.key, result.value.membership, result.connection, result.value.fetchedAt);
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

  /** Lists the budgets (read-only, one call per page); the section appears when they answer. */
  private async loadBudgets(request: ConnectionRequest, generation: number): Promise<void> {
    const result = await this.context.service.listPrivacyBudgets(request, this.entry.id, 'DIFFERENTIAL_PRIVACY', this.gone.signal);
    if (!this.showing || generation !== this.generation) {
      return;
    }
    this.budgets = result.ok ? { kind: 'loaded', budgets: result.value } : { kind: 'failed', failure: result.failure };
    if (this.unbudgeted?.type === 'membership') {
      this.post(this.unbudgeted);
    }
  }

  /** Settles when the budgets of the latest load have answered (tests wait for it). */
  async budgetsSettled(): Promise<void> {
    await this.budgetsLoading;
  }

  private show(record: CachedMembership, flags: { refreshing?: boolean }): void {
    this.membership = record.membership;
    this.requestId = record.requestId;
    this.connection = record.connection;
    this.fetchedAt = record.fetchedAt;
    if (!this.showing) {
      return;
    }
    this.host.setTitle(titleFor(this.entry, record.membership.collaborationName));
    this.post({ type: 'membership', view: membershipViewModel(record.membership), where: describeConnection(record.connection), fetchedAt: record.fetchedAt.toISOString(), ...flags });
    this.postedAt = performance.now();
  }

  async openJson(): Promise<void> {
    if (!this.membership) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The membership has not loaded yet.'));
      return;
    }
    await this.context.json.open(`membership-${this.entry.id}`, membershipJson(this.membership, this.requestId));
  }

  private post(original: ToWebview): void {
    this.unbudgeted = original;
    const section = original.type === 'membership' && this.budgets ? budgetsSection(this.budgets) : undefined;
    const message: ToWebview = section && original.type === 'membership' ? { ...original, view: { ...original.view, sections: [...original.view.sections, section] } } : original;
    if (this.showing) {
      this.latestMessage = { ...message, entry: this.entry };
      this.postToHost(message, { entry: this.entry });
    }
  }

  /** The panel's HTML as set on the webview, for the CSP test. */
  get htmlForTest(): string {
    return this.panel.webview.html;
  }
}

/** What the panel is named after (PanelHost shortens it and marks a preview). */
function titleFor(entry: PanelEntry, collaborationName?: string): string {
  // An empty name falls back to the ID (one of the wrong type was set aside at the boundary).
  return entry.label ?? (collaborationName || entry.id);
}

export function webviewFailure(f: CleanRoomsFailure): WebviewFailure {
  return { title: f.title, message: f.message, nextStep: withoutCodeMarks(f.nextStep), requestId: f.requestId, details: f.details };
}

/** What a membership panel's webview saved: its entry, and whether it was the preview. */
export function parseSavedState(state: unknown): { entry: PanelEntry; preview: boolean } | undefined {
  const entry = parseSavedEntry(state);
  return entry && { entry, preview: (state as { preview?: unknown }).preview === true };
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

/**
 * Brings membership panels back after a window reload (the webview saved its entry), the preview
 * as the preview (with the protected query it showed, if that is what it showed: Panels.revive).
 * A panel that showed a detail record saved no entry and is not restored: a
 * snapshot of a list cannot be fetched again (as before previews, when detail panels had no serializer).
 */
export class MembershipPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly panels: Panels) {}

  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void> {
    this.panels.restore(panel, state);
    return Promise.resolve();
  }
}
