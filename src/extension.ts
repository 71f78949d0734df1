import * as vscode from 'vscode';
import { CleanRoomsClientFactory } from './aws/clientFactory';
import { CleanRoomsService } from './aws/cleanRoomsService';
import { watchProfileFiles } from './aws/profileWatcher';
import { ProfileFiles } from './aws/profiles';
import { activateRow } from './commands/activateRow';
import { addMembership } from './commands/addMembership';
import { copyIdentifier } from './commands/copyIdentifiers';
import { discoverMemberships } from './commands/discoverMemberships';
import { exportJson } from './commands/exportJson';
import { loadMore, openDetail, retryBranch, type DrillServices } from './commands/openDetail';
import { openInConsole } from './commands/openInConsole';
import { openMembership } from './commands/openMembership';
import { openSettings } from './commands/openSettings';
import { refresh, retry } from './commands/refresh';
import { reloadCredentials } from './commands/reloadCredentials';
import { removeMembership } from './commands/removeMembership';
import { selectProfile } from './commands/selectProfile';
import { affectsCleanRooms, readSettings, restrictedSettingsInWorkspace, type CleanRoomsSettings } from './config';
import { ConnectionStatus } from './views/connectionStatus';
import { DetailPanel } from './views/detailPanel';
import { DrillDownStore } from './model/drillDownStore';
import { JSON_SCHEME, JsonDocumentProvider } from './views/jsonDocuments';
import { MembershipPanel, MembershipPanelSerializer, PANEL_VIEW_TYPE } from './views/membershipPanel';
import { MembershipStore } from './model/membershipStore';
import { ACTIVATE_ROW_COMMAND, MembershipTreeProvider, type TreeElement } from './views/membershipTreeProvider';
import { setTranslator } from './util/l10n';
import { VIEW_ID } from './views/viewIds';

/** What activate() returns: used by the integration tests, and by other extensions if they wish. */
export interface CleanRoomsApi {
  readonly store: MembershipStore;
  readonly drill: DrillDownStore;
  readonly tree: MembershipTreeProvider;
  readonly view: vscode.TreeView<TreeElement>;
  readonly panels: typeof MembershipPanel;
  readonly details: typeof DetailPanel;
  readonly service: CleanRoomsService;
  readonly status: ConnectionStatus;
  /** This extension's log folder; the "Clean Rooms" channel is written beside it. */
  readonly logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): CleanRoomsApi {
  setTranslator(vscode.l10n.t);
  const log = vscode.window.createOutputChannel('Clean Rooms', { log: true });
  // Nothing here touches the network or creates an SDK client: clients are made on first use.
  const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), log);
  const store = new MembershipStore(service);
  const drill = new DrillDownStore(service);
  const tree = new MembershipTreeProvider(store, drill);
  const json = new JsonDocumentProvider();
  const status = new ConnectionStatus(service);
  // Restricted settings an untrusted workspace tries to set, found in its files (see config.ts).
  let ignoredInWorkspace: string[] = [];
  let settings: CleanRoomsSettings = readSettings();
  const services: DrillServices = {
    store,
    service,
    log,
    drill,
    tree,
    settings: () => settings,
    panelDeps: { extensionUri: context.extensionUri, service, store, json, settings: () => settings },
  };
  const applySettings = (): void => {
    const before = settings;
    settings = readSettings(ignoredInWorkspace);
    // Nothing loaded under the previous settings may stay on screen.
    drill.clear();
    void store.setSettings(settings);
    void status.update(settings);
    if (before.profile !== settings.profile || before.region !== settings.region || before.endpoint !== settings.endpoint) {
      DetailPanel.disposeAll();
      void MembershipPanel.refreshAll(true);
    }
  };
  const checkWorkspaceTrust = async (): Promise<void> => {
    const found = await restrictedSettingsInWorkspace();
    if (found.join() !== ignoredInWorkspace.join()) {
      ignoredInWorkspace = found;
      applySettings();
    }
  };
  const profileFilesChanged = (): void => {
    log.info('AWS profile files changed; reloading.');
    service.reset();
    drill.clear();
    DetailPanel.disposeAll();
    void store.refresh();
    void MembershipPanel.refreshAll(true);
    void status.update(settings);
  };

  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const register = (id: string, run: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, run);
  const element = (arg: unknown): TreeElement | undefined => (typeof arg === 'object' && arg !== null && 'type' in arg ? (arg as TreeElement) : undefined);

  context.subscriptions.push(
    log,
    store,
    drill,
    tree,
    json,
    status,
    view,
    vscode.workspace.registerTextDocumentContentProvider(JSON_SCHEME, json),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new MembershipPanelSerializer(services.panelDeps)),
    register('cleanRooms.openMembership', (arg) => openMembership(services, arg)),
    register(ACTIVATE_ROW_COMMAND, () => activateRow(view)),
    register('cleanRooms.refresh', () => {
      drill.clear();
      return refresh(services);
    }),
    register('cleanRooms.retry', (arg) => retry(services, arg)),
    register('cleanRooms.addMembership', () => addMembership()),
    register('cleanRooms.discoverMemberships', (preset) => discoverMemberships(services, typeof preset === 'object' && preset !== null ? preset : undefined)),
    register('cleanRooms.openSettings', () => openSettings()),
    register('cleanRooms.copyId', (arg) => copyIdentifier(services, 'id', arg)),
    register('cleanRooms.copyArn', (arg) => copyIdentifier(services, 'arn', arg)),
    register('cleanRooms.removeMembership', (arg) => removeMembership(services, arg)),
    register('cleanRooms.reloadCredentials', () => {
      drill.clear();
      return reloadCredentials(services);
    }),
    register('cleanRooms.openInConsole', (arg) => openInConsole(services, arg)),
    register('cleanRooms.openDetail', (arg) => openDetail(services, element(arg))),
    register('cleanRooms.loadMore', (arg) => loadMore(services, element(arg))),
    register('cleanRooms.retryBranch', (arg) => retryBranch(services, element(arg))),
    register('cleanRooms.exportJson', (arg) => exportJson(services, element(arg) ?? view.selection[0])),
    register('cleanRooms.selectProfile', () => selectProfile(services)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsCleanRooms(e)) {
        applySettings();
        void checkWorkspaceTrust();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      ignoredInWorkspace = [];
      applySettings();
    }),
    watchProfileFiles(profileFilesChanged),
    { dispose: () => MembershipPanel.disposeAll() },
    { dispose: () => DetailPanel.disposeAll() },
  );

  // Paint from settings now; load (which brings in the SDK) once activation has returned.
  void store.setSettings(settings, false);
  const firstLoad = setTimeout(() => {
    void store.refresh();
    void status.update(settings);
    void checkWorkspaceTrust();
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstLoad) });
  return { store, drill, tree, view, panels: MembershipPanel, details: DetailPanel, service, status, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is registered on context.subscriptions and released by VS Code.
}
