import * as vscode from 'vscode';
import type { CleanRoomsService } from '../aws/cleanRoomsService';
import type { CleanRoomsSettings } from '../config';
import type { MembershipEntry } from '../config';
import type { DrillDownStore } from '../model/drillDownStore';
import type { MembershipNode, MembershipStore } from '../model/membershipStore';
import type { SchemaStore } from '../model/schemaStore';
import type { QueryRef, QueryTracker, TrackedQuery } from '../model/queryTracker';
import { DETAIL_VIEW_TYPE, DetailPanel, detailMessage, type DetailTarget } from './detailPanel';
import type { JsonDocumentProvider } from './jsonDocuments';
import {
  MembershipPanel,
  membershipPanelKey,
  PANEL_VIEW_TYPE,
  panelEntryOf,
  parseSavedState,
  type CachedMembership,
  type MembershipCache,
  type PanelEntry,
} from './membershipPanel';
import { PanelHost } from './panelHost';
import { targetFor } from '../queries/queryTarget';
import { parseSavedQuery, QueryPanel, queryPanelKey, type ResultsSource } from './queryPanel';
import { TABLE_VIEW_TYPE, TablePanel, tablePanelKey } from './tablePanel';
import { TemplatePanel, templatePanelKey, TEMPLATE_VIEW_TYPE, type TemplateTarget } from './templatePanel';
import type { TreeElement } from './treeElements';
import { webviewOptions } from './webviewHtml';

/** Pinned query panels' view type (the preview's is the membership one; see tabFor). Restored after a reload (reviveQuery). */
export const QUERY_VIEW_TYPE = 'cleanRooms.query';

/** What panels read from the extension's state (ExplorerState provides it). */
export interface PanelContext {
  readonly extensionUri: vscode.Uri;
  readonly service: CleanRoomsService;
  readonly store: MembershipStore;
  readonly json: JsonDocumentProvider;
  readonly settings: CleanRoomsSettings;
  /** Protected queries watched (query panels poll through it while they show a running one). */
  readonly queries: QueryTracker;
  /** Reads a query's result files from S3. */
  readonly results: ResultsSource;
  /** Lists already loaded under a membership (member names for a query's receivers). */
  readonly drill: DrillDownStore;
  /** Collaborations' tables and analysis rules (table panels). */
  readonly schemas: SchemaStore;
}

/** A record on screen in a panel. */
export type ShownRecord = MembershipPanel | DetailPanel | QueryPanel | TablePanel | TemplatePanel;

/**
 * How to show a record. `preview`: in the one preview panel, which the next single click reuses
 * (VS Code's preview-editor convention); `pinned`: in a panel of its own that keeps it. With
 * `workbench.editor.enablePreview` off, every open is pinned.
 */
export type ShowMode = 'preview' | 'pinned';

/**
 * Where the keyboard focus goes. `keep`: it stays where it is (a tree row's click or Enter, so the
 * arrow keys go on browsing the tree, as VS Code's preview editors do); `take`: it moves into the
 * panel (a command from the palette, Keep Open: the person expects to land in what they opened).
 */
export type ShowFocus = 'take' | 'keep';

interface KeyedPanel {
  readonly key: string;
  readonly onDidClose: vscode.Event<void>;
  dispose(): void;
}

/** The records on screen of one kind by key: opening a key again reveals its panel. */
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

  /** Tracks `panel` under its key until it leaves the screen (closed, or replaced in the preview). */
  add(panel: P): P {
    this.open.set(panel.key, panel);
    panel.onDidClose(() => {
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

/** Records fetched by panels: bounded, so a long session of clicks holds a few dozen at most. */
const RECENT_LIMIT = 50;

/** VS Code's own switch for preview editors; this extension's panels follow it. */
export function previewsEnabled(): boolean {
  return vscode.workspace.getConfiguration('workbench.editor').get<boolean>('enablePreview', true);
}

/**
 * The full GetMembership record the store holds for a node, with when it was fetched. Only a
 * state without a ListMemberships summary has one whose time is known: the list keeps an older
 * record beside its summary but stamps the state with the list's time.
 */
function storedRecord(node: MembershipNode | undefined): CachedMembership | undefined {
  if (node?.state.status !== 'loaded' || !node.state.membership || node.state.summary) {
    return undefined;
  }
  return { membership: node.state.membership, connection: node.state.connection, fetchedAt: node.state.fetchedAt };
}

/**
 * Every open webview panel: the one preview panel, whose running webview is handed each record
 * clicked next, and pinned panels that keep theirs. Membership records are live (refreshable,
 * shown from a recent fetch at once); detail records are snapshots.
 */
export class Panels implements vscode.Disposable {
  readonly memberships = new PanelRegistry<MembershipPanel>();
  readonly details = new PanelRegistry<DetailPanel>();
  readonly queries = new PanelRegistry<QueryPanel>();
  readonly tables = new PanelRegistry<TablePanel>();
  readonly templates = new PanelRegistry<TemplatePanel>();
  /** The record each open tab shows. */
  private readonly onTab = new Map<PanelHost, ShownRecord>();
  private previewTab: PanelHost | undefined;
  private readonly recent = new Map<string, CachedMembership>();
  /** Records fetched before this time (Date.now()) are not shown before fetching again. */
  private cacheEpoch = 0;
  private readonly activated = new vscode.EventEmitter<ShownRecord>();
  /** A panel became the active editor (or an active panel was given another record). */
  readonly onDidActivate = this.activated.event;
  /** Records fetched earlier that a membership panel may show at once. */
  readonly cache: MembershipCache = {
    recent: (key) => this.recentRecord(key),
    remember: (key, record) => {
      this.recent.delete(key);
      this.recent.set(key, record);
      if (this.recent.size > RECENT_LIMIT) {
        this.recent.delete(this.recent.keys().next().value ?? key);
      }
    },
  };

  constructor(private readonly context: PanelContext) {}

  /** The record in the preview panel, if there is one. */
  get preview(): ShownRecord | undefined {
    return this.previewTab && this.onTab.get(this.previewTab);
  }

  /** Every record on screen, pinned and preview. */
  get shown(): ShownRecord[] {
    return [...this.onTab.values()];
  }

  /**
   * Shows the membership: reveals the panel already showing it (pinning it if asked to), else
   * puts it in the preview panel, or in a new pinned panel.
   */
  showMembership(entry: PanelEntry, mode: ShowMode = 'preview', focus: ShowFocus = 'take', configured?: MembershipEntry): MembershipPanel {
    const key = membershipPanelKey(entry, this.context.settings);
    const existing = this.memberships.get(key);
    if (existing) {
      return this.reveal(existing, mode, focus);
    }
    const tab = this.tabFor(mode, PANEL_VIEW_TYPE, focus);
    return this.track(this.memberships.add(new MembershipPanel(tab, this.context, this.cache, entry, key, configured)));
  }

  /** Shows a configured membership: its panel follows later edits of the entry (followSettings). */
  showConfigured(entry: MembershipEntry, mode: ShowMode = 'preview', focus: ShowFocus = 'take'): MembershipPanel {
    return this.showMembership(panelEntryOf(entry), mode, focus, entry);
  }

  /** Shows a read-only record, as showMembership does. */
  showDetail(target: DetailTarget, mode: ShowMode = 'preview', focus: ShowFocus = 'take'): DetailPanel {
    const existing = this.details.get(target.key);
    if (existing) {
      return this.reveal(existing, mode, focus);
    }
    // Built before the panel exists: if the record cannot be shown, no blank panel is left behind.
    const message = detailMessage(target);
    const tab = this.tabFor(mode, DETAIL_VIEW_TYPE, focus);
    return this.track(this.details.add(new DetailPanel(tab, this.context, target, message)));
  }

  /** Shows a table of a membership's collaboration, as showMembership does. `element`: the tree row it was opened from. */
  showTable(node: MembershipNode, table: string, mode: ShowMode = 'preview', focus: ShowFocus = 'take', element?: TreeElement): TablePanel {
    const existing = this.tables.get(tablePanelKey(node.key, table));
    if (existing) {
      return this.reveal(existing, mode, focus);
    }
    const tab = this.tabFor(mode, TABLE_VIEW_TYPE, focus);
    return this.track(this.tables.add(new TablePanel(tab, this.context, node, table, element)));
  }

  /**
   * Shows a protected query, live while it runs: reveals the panel already showing it, else puts it
   * in the preview panel (or a new pinned one). `initial`: the record the caller has (a start's
   * answer), shown until the first poll answers. `element`: the tree row it was opened from.
   * `beside`: a new pinned panel goes next to the active editor (a run from a SQL editor keeps the
   * SQL in view).
   */
  showQuery(ref: QueryRef, mode: ShowMode = 'preview', focus: ShowFocus = 'take', initial?: TrackedQuery, element?: TreeElement, beside = false): QueryPanel {
    const key = queryPanelKey(ref);
    const existing = this.queries.get(key);
    if (existing) {
      return this.reveal(existing, mode, focus);
    }
    const tab = this.tabFor(mode, QUERY_VIEW_TYPE, focus, beside);
    return this.track(this.queries.add(new QueryPanel(tab, this.context, ref, key, initial, element)));
  }

  /**
   * Shows an analysis template, as showDetail does. `focusForm`: the keyboard goes to its form
   * (Run Analysis Template…), also in a panel already open.
   */
  showTemplate(target: TemplateTarget, mode: ShowMode = 'preview', focus: ShowFocus = 'take', focusForm = false): TemplatePanel {
    const key = templatePanelKey(target);
    const existing = this.templates.get(key);
    if (existing) {
      if (focusForm) {
        existing.showForm();
      }
      return this.reveal(existing, mode, focus);
    }
    const tab = this.tabFor(mode, TEMPLATE_VIEW_TYPE, focus);
    return this.track(this.templates.add(new TemplatePanel(tab, this.context, target, key, focusForm)));
  }

  /** Keep Open: the preview panel keeps its record, and the next single click opens a new preview. */
  pinPreview(): ShownRecord | undefined {
    const record = this.preview;
    if (this.previewTab) {
      this.pin(this.previewTab);
    }
    return record;
  }

  /**
   * Restores a panel of the membership view type after a window reload: the preview is one whatever
   * it showed, so it may bring back a membership (revive) or a protected query (reviveQuery).
   */
  restore(panel: vscode.WebviewPanel, state: unknown): MembershipPanel | QueryPanel | undefined {
    return parseSavedQuery(state) ? this.reviveQuery(panel, state) : this.revive(panel, state);
  }

  /** Restores a membership panel after a window reload, from the state its webview saved. */
  revive(panel: vscode.WebviewPanel, state: unknown): MembershipPanel | undefined {
    const saved = parseSavedState(state);
    if (!saved) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(this.context.extensionUri);
    const key = membershipPanelKey(saved.entry, this.context.settings);
    this.memberships.get(key)?.dispose();
    // The saved entry holds no position in the list: the configured entry it still equals, if any.
    const configured = this.context.settings.entries.find(
      (e): e is MembershipEntry => e.kind === 'membership' && e.id === saved.entry.id && e.profile === saved.entry.profile && e.region === saved.entry.region,
    );
    const preview = saved.preview && previewsEnabled() && !this.previewTab;
    const tab = this.host(panel, preview);
    if (preview) {
      this.previewTab = tab;
    }
    return this.track(this.memberships.add(new MembershipPanel(tab, this.context, this.cache, saved.entry, key, configured)));
  }

  /**
   * Restores a query panel after a window reload: the query is fetched again (GetProtectedQuery,
   * polled while it runs) under the connection the settings now give its membership, and its
   * results are read again from S3 when shown (they were never kept). A panel whose webview saved
   * no query closes.
   */
  reviveQuery(panel: vscode.WebviewPanel, state: unknown): QueryPanel | undefined {
    const saved = parseSavedQuery(state);
    if (!saved) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(this.context.extensionUri);
    const target = targetFor(saved.query.membershipId, this.context.settings, this.context.store);
    const ref: QueryRef = { membershipKey: target.node?.key ?? '', request: target.request, membershipId: saved.query.membershipId, queryId: saved.query.queryId };
    const key = queryPanelKey(ref);
    this.queries.get(key)?.dispose();
    const preview = saved.preview && previewsEnabled() && !this.previewTab;
    const tab = this.host(panel, preview);
    if (preview) {
      this.previewTab = tab;
    }
    return this.track(this.queries.add(new QueryPanel(tab, this.context, ref, key)));
  }

  /**
   * Membership panels drop what they show and fetch under the current settings, each moved to
   * the key its membership now has in the tree (so reopening it reveals it, and its fetches
   * update the tree row). A panel that now duplicates another is closed.
   */
  restartMemberships(): Promise<void> {
    return this.restart(this.memberships.all());
  }

  /**
   * Settings changed: each panel opened for a configured entry takes the entry's current label,
   * profile and region (an edit of that one entry, or a trust grant that lets entry profiles
   * apply, moves it like its tree row). Those whose key changed restart as restartMemberships
   * does; all of them when `all` (the connection itself changed).
   */
  followSettings(all: boolean): Promise<void> {
    const settings = this.context.settings;
    const moved = this.memberships.all().filter((p) => {
      p.followSettings(settings.entries);
      return all || membershipPanelKey(p.entry, settings) !== p.key;
    });
    return this.restart(moved);
  }

  private async restart(panels: readonly MembershipPanel[]): Promise<void> {
    const runs = panels.map((p) => {
      const from = p.key;
      const run = p.restart();
      if (!this.memberships.move(p, from)) {
        p.dispose();
      }
      return run;
    });
    await Promise.all(runs);
  }

  /** Query panels drop their rows and fetch the query again (QueryPanel.restart): the credentials changed. */
  restartQueries(): Promise<void> {
    return Promise.all(this.queries.all().map((p) => p.restart())).then(() => undefined);
  }

  /** Records fetched until now may be another connection's or credentials': fetch before showing them. */
  forgetCached(): void {
    this.recent.clear();
    this.cacheEpoch = Date.now();
  }

  private recentRecord(key: string): CachedMembership | undefined {
    const maxAgeMs = this.context.settings.cacheMaxAgeMs;
    if (maxAgeMs <= 0) {
      return undefined;
    }
    const now = Date.now();
    const usable = [this.recent.get(key), storedRecord(this.context.store.find(key))].filter(
      (r): r is CachedMembership => r !== undefined && r.fetchedAt.getTime() >= this.cacheEpoch && now - r.fetchedAt.getTime() <= maxAgeMs,
    );
    return usable.sort((a, b) => b.fetchedAt.getTime() - a.fetchedAt.getTime())[0];
  }

  private reveal<R extends ShownRecord>(record: R, mode: ShowMode, focus: ShowFocus): R {
    if (mode === 'pinned' && record.isPreview) {
      this.pin(record.tab);
    }
    record.panel.reveal(undefined, focus === 'keep');
    return record;
  }

  /** The tab a new record goes to: the preview (handed over by its record), or a new pinned one. */
  private tabFor(mode: ShowMode, viewType: string, focus: ShowFocus, beside = false): PanelHost {
    const preserveFocus = focus === 'keep';
    if (mode === 'preview' && previewsEnabled()) {
      const current = this.previewTab;
      if (current && !current.closed) {
        this.onTab.get(current)?.release();
        current.panel.reveal(undefined, preserveFocus);
        return current;
      }
      // Created as a membership panel whatever it shows first: it may show memberships later,
      // and those are restored after a reload (a detail record saves no entry and is not).
      this.previewTab = this.host(this.create(PANEL_VIEW_TYPE, preserveFocus), true);
      return this.previewTab;
    }
    return this.host(this.create(viewType, preserveFocus, beside), false);
  }

  private create(viewType: string, preserveFocus: boolean, beside = false): vscode.WebviewPanel {
    // The record sets the real title at once (PanelHost.setTitle).
    const viewColumn = beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    return vscode.window.createWebviewPanel(viewType, 'Clean Rooms', { viewColumn, preserveFocus }, webviewOptions(this.context.extensionUri));
  }

  private host(panel: vscode.WebviewPanel, preview: boolean): PanelHost {
    const viewState = panel.onDidChangeViewState((e) => {
      const record = this.onTab.get(tab);
      if (e.webviewPanel.active && record) {
        this.activated.fire(record);
      }
    });
    const tab = new PanelHost(panel, this.context.extensionUri, 'Clean Rooms', preview, {
      keepOpen: (t) => this.pin(t),
      disposed: (t) => {
        viewState.dispose();
        this.onTab.delete(t);
        if (this.previewTab === t) {
          this.previewTab = undefined;
        }
      },
    });
    return tab;
  }

  private pin(tab: PanelHost): void {
    if (tab === this.previewTab) {
      this.previewTab = undefined;
      tab.pin();
    }
  }

  /** Remembers which tab shows `record`; an active tab that changed record counts as activated. */
  private track<R extends ShownRecord>(record: R): R {
    this.onTab.set(record.tab, record);
    if (record.panel.active) {
      this.activated.fire(record);
    }
    return record;
  }

  dispose(): void {
    this.memberships.disposeAll();
    this.details.disposeAll();
    this.queries.disposeAll();
    this.tables.disposeAll();
    this.templates.disposeAll();
    this.activated.dispose();
  }
}
