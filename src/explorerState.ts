import * as vscode from 'vscode';
import type { CleanRoomsService } from './aws/cleanRoomsService';
import { readSettings, restrictedSettingsInWorkspace, SECTION, type CleanRoomsSettings } from './config';
import { DrillDownStore } from './model/drillDownStore';
import { MembershipStore } from './model/membershipStore';
import { QueryTracker } from './model/queryTracker';
import { SchemaStore } from './model/schemaStore';
import { ConnectionStatus } from './views/connectionStatus';
import type { JsonDocumentProvider } from './views/jsonDocuments';
import { Panels, type PanelContext } from './views/panels';
import type { ResultsSource } from './views/queryPanel';
import { ResultsReader, resultsSource } from './aws/s3Results';

/** What the state is built from; activate() makes these. */
export interface ExplorerStateDeps {
  readonly extensionUri: vscode.Uri;
  readonly service: CleanRoomsService;
  readonly json: JsonDocumentProvider;
  readonly log: vscode.LogOutputChannel;
}

/**
 * The one owner of the extension's state: the settings in force, the membership and drill-down
 * stores, the open panels and the status bar. Each event that invalidates state has one method,
 * and this table is the only place that decides what it drops:
 *
 * | event               | drill-down cache | schemas [10] | detail panels, table panels | membership panels   | query panels [8] | records shown at once [4] | tree (store)           | status bar | SDK clients, profile files |
 * |---------------------|------------------|--------------|-----------------------------|---------------------|------------------|---------------------------|------------------------|------------|----------------------------|
 * | settingsChanged [6] | cleared          | kept         | closed [1]                  | restarted [1][2][7] | kept             | forgotten [1]             | new settings, reloaded | updated    | kept [3]                   |
 * | trustGranted [6]    | cleared          | kept         | closed [1]                  | restarted [1][2][7] | kept             | forgotten [1]             | new settings, reloaded | updated    | kept [3]                   |
 * | profileFilesChanged | cleared          | cleared      | closed                      | restarted [2]       | restarted [9]    | forgotten                 | reloaded               | updated    | dropped                    |
 * | credentialsReloaded | cleared          | cleared      | closed                      | restarted [2]       | restarted [9]    | forgotten                 | reloaded               | updated    | dropped                    |
 * | refreshRequested    | cleared          | cleared      | kept                        | kept                | kept             | kept                      | reloaded               | kept       | kept                       |
 * | wake (first look)   | kept             | kept         | kept                        | kept                | kept             | kept                      | loaded [5]             | resolved   | kept                       |
 *
 * [1] Only when the profile, region or endpoint changed: nothing fetched under the old connection
 *     may stay on screen. Other setting changes (labels, the list) keep them.
 * [2] Restarted = what they show is dropped and fetched again, under the key their membership now
 *     has in the tree. A plain refresh would keep showing the old data until the reply arrives.
 * [3] Clients are cached per connection, so a new profile or region gets its own client.
 * [4] Memberships fetched recently, which a new panel shows while it fetches again
 *     (cleanRooms.cacheMaxAgeSeconds). Forgotten = fetched again before they are shown.
 * [5] Once: the view became visible or a command ran. Activation (also at start-up, for the status
 *     bar) only paints from the settings; a settings change or reconnect before then loads anyway.
 * [6] Not at all when only cleanRooms.query.* or cleanRooms.s3Endpoint changed: nothing on screen
 *     depends on them (the next run or result reads them). Otherwise at once, but once for all the keys a writeSettings writes (Switch AWS Profile and Region):
 *     nothing loads under an in-between combination such as the new profile with the old region.
 * [7] Also without [1]: a panel opened for a configured entry takes that entry's current label,
 *     profile and region, and restarts when that changed its key (one entry's own profile or
 *     region was edited). Panels opened by ID, or whose entry was removed, keep theirs.
 * [8] With the query tracker's records and poll loops: a query panel names its query and the
 *     connection it was opened with (QueryRef), so a settings change leaves it showing the same
 *     query; its loops go on while it is watched. The S3 clients (results) go with the SDK clients.
 * [9] Restarted = the result rows read with the old credentials are dropped (the new ones may not
 *     be allowed to read them) and the query is fetched again; the rows are read again with the
 *     new credentials. The query itself is the same: the panel stays open.
 * [10] The schemas and analysis rules of collaborations (tree Tables, completion, hover, pre-flight),
 *     cached per profile, region, endpoint and collaboration: a settings change that moves a
 *     membership to another connection gives it another key, so nothing is dropped; Refresh and new
 *     credentials fetch them again on next use.
 *
 * Reloading credentials is a profile-file change the user announces (after `aws sso login`, or an
 * edit the watcher has not seen yet): the credentials may now be another role's or account's, so
 * the same things are dropped. Detail panels are snapshots of lists that are now cleared: they
 * close rather than show records the new credentials may not see. Refresh asks for new data under
 * the same credentials, so open panels stay (they have their own Refresh).
 */
export class ExplorerState implements vscode.Disposable, PanelContext {
  readonly extensionUri: vscode.Uri;
  readonly service: CleanRoomsService;
  readonly json: JsonDocumentProvider;
  readonly log: vscode.LogOutputChannel;
  readonly store: MembershipStore;
  readonly drill: DrillDownStore;
  /** Protected queries somebody watches (a run, a query panel, a tree row), polled while they run. */
  readonly queries: QueryTracker;
  /** The schemas and analysis rules of collaborations (tree Tables, completion, hover, pre-flight). */
  readonly schemas: SchemaStore;
  /** Reads query results from S3 (query panels), with the same credentials and cleanRooms.s3Endpoint. */
  readonly results: ResultsSource;
  /** Caches S3 clients per connection: dropped with the Clean Rooms clients when credentials change. */
  private readonly resultsReader: ResultsReader;
  readonly status: ConnectionStatus;
  readonly panels: Panels;
  private current: CleanRoomsSettings;
  /** Restricted settings an untrusted workspace tries to set, found in its files (see config.ts). */
  private ignoredInWorkspace: string[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** The first load has run (or a settings change or reconnect did its work). */
  private loaded = false;
  /** writeSettings calls under way: changes that arrive meanwhile wait for them (heldChange). */
  private writing = 0;
  /** A settings change arrived while writeSettings was under way; applied when it ends. */
  private heldChange = false;

  constructor(deps: ExplorerStateDeps) {
    this.extensionUri = deps.extensionUri;
    this.service = deps.service;
    this.json = deps.json;
    this.log = deps.log;
    this.store = new MembershipStore(deps.service);
    this.drill = new DrillDownStore(deps.service);
    this.queries = new QueryTracker(deps.service);
    this.schemas = new SchemaStore(deps.service);
    this.resultsReader = new ResultsReader(deps.log);
    this.results = resultsSource(this.resultsReader, (request) => deps.service.resolve(request), () => this.current.s3Endpoint);
    this.status = new ConnectionStatus(deps.service);
    this.panels = new Panels(this);
    this.current = readSettings();
  }

  /** The settings in force. */
  get settings(): CleanRoomsSettings {
    return this.current;
  }

  /**
   * Paints the tree and the status bar from the settings now. Nothing here touches the network or
   * loads the SDK: the extension also activates at start-up (to show the status bar), when nobody
   * looks at the tree yet. Loading waits for wake().
   */
  start(): void {
    void this.store.setSettings(this.current, false);
    this.status.showUnresolved(this.current);
    this.later(() => void this.checkWorkspaceFiles());
  }

  /**
   * Someone looks: the view became visible or a command ran. The first time, the tree loads and the
   * status bar resolves the profile's region (both bring in the SDK), once the caller has returned.
   */
  wake(): void {
    if (this.loaded) {
      return;
    }
    this.loaded = true;
    this.later(() => {
      void this.store.refresh();
      void this.status.update(this.current);
    });
  }

  /**
   * A cleanRooms.* setting changed. Applied at once (a command that wrote a setting finds the tree
   * already following it), except while writeSettings is under way.
   */
  settingsChanged(): void {
    this.applyUnlessHeld();
    void this.checkWorkspaceFiles();
  }

  /** The workspace became trusted: its restricted settings apply now. */
  trustGranted(): void {
    this.ignoredInWorkspace = [];
    this.applyUnlessHeld();
  }

  /**
   * Writes several cleanRooms.* settings as one change. VS Code writes one key per
   * WorkspaceConfiguration.update, and each write fires its own change event, a round trip after
   * the one before: applied one by one, the tree would load and panels restart under every
   * in-between combination. Changes wait until every key is written, then apply once. (Deferring
   * each change to the next turn of the event loop does not join them: they are turns apart.)
   */
  async writeSettings(values: ReadonlyArray<readonly [key: string, value: unknown]>, target: vscode.ConfigurationTarget): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    this.writing++;
    try {
      for (const [key, value] of values) {
        await config.update(key, value, target);
      }
    } finally {
      this.writing--;
      if (this.writing === 0 && this.heldChange) {
        this.apply();
      }
    }
  }

  /** The watcher saw ~/.aws/config or ~/.aws/credentials change. */
  profileFilesChanged(): Promise<void> {
    this.log.info('AWS profile files changed; reloading.');
    return this.reconnect();
  }

  /** "Reload AWS Credentials". Resolves once the tree and the open panels have reloaded. */
  credentialsReloaded(): Promise<void> {
    this.log.info('Reloaded AWS profile files and dropped cached clients.');
    return this.reconnect();
  }

  /** The title-bar Refresh: the tree loads again, expanded branches included. */
  refreshRequested(): Promise<void> {
    this.drill.clear();
    this.schemas.clear();
    return this.store.refresh();
  }

  private applyUnlessHeld(): void {
    if (this.writing > 0) {
      this.heldChange = true;
    } else {
      this.apply();
    }
  }

  private apply(): void {
    this.heldChange = false;
    const before = this.current;
    this.current = readSettings(this.ignoredInWorkspace);
    if (onlyQuerySettingsChanged(before, this.current)) {
      // Only how queries run or where results are read changed (cleanRooms.query.*, s3Endpoint):
      // read at the next run or result, with nothing on screen to reload.
      return;
    }
    this.drill.clear();
    this.loaded = true;
    void this.store.setSettings(this.current);
    void this.status.update(this.current);
    const connectionChanged = before.profile !== this.current.profile || before.region !== this.current.region || before.endpoint !== this.current.endpoint;
    if (connectionChanged) {
      this.panels.forgetCached();
      this.panels.details.disposeAll();
      this.panels.tables.disposeAll();
      // Template panels go with the detail panels: read under a connection no longer in force.
      this.panels.templates.disposeAll();
    }
    void this.panels.followSettings(connectionChanged);
  }

  private async reconnect(): Promise<void> {
    this.loaded = true;
    this.service.reset();
    this.resultsReader.clear();
    this.drill.clear();
    this.schemas.clear();
    this.panels.forgetCached();
    this.panels.details.disposeAll();
    this.panels.tables.disposeAll();
    this.panels.templates.disposeAll();
    await Promise.all([this.store.reload(), this.panels.restartMemberships(), this.panels.restartQueries(), this.status.update(this.current)]);
  }

  private async checkWorkspaceFiles(): Promise<void> {
    const found = await restrictedSettingsInWorkspace();
    if (found.join() !== this.ignoredInWorkspace.join()) {
      this.ignoredInWorkspace = found;
      this.applyUnlessHeld();
    }
  }

  private later(run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, 0);
    this.timers.add(timer);
  }

  dispose(): void {
    this.timers.forEach(clearTimeout);
    this.panels.dispose();
    this.status.dispose();
    this.drill.dispose();
    this.queries.dispose();
    this.schemas.dispose();
    this.resultsReader.dispose();
    this.store.dispose();
  }
}

/** Whether the settings changed only in what the tree and panels do not show (how queries run, where results are read). */
function onlyQuerySettingsChanged(a: CleanRoomsSettings, b: CleanRoomsSettings): boolean {
  const shown = (x: CleanRoomsSettings): string => JSON.stringify({ ...x, query: undefined, s3Endpoint: undefined });
  const querying = (x: CleanRoomsSettings): string => JSON.stringify([x.query, x.s3Endpoint ?? '']);
  return shown(a) === shown(b) && querying(a) !== querying(b);
}
