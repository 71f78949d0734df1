import * as vscode from 'vscode';
import { CleanRoomsClientFactory } from './aws/clientFactory';
import { CleanRoomsService } from './aws/cleanRoomsService';
import { ProfileFiles } from './aws/profiles';
import { addMembership } from './commands/addMembership';
import { copyIdentifier } from './commands/copyIdentifiers';
import { openInConsole } from './commands/openInConsole';
import { openMembership } from './commands/openMembership';
import { openSettings } from './commands/openSettings';
import { refresh, retry } from './commands/refresh';
import { reloadCredentials } from './commands/reloadCredentials';
import { removeMembership } from './commands/removeMembership';
import type { Services } from './commands/services';
import { affectsCleanRooms, readSettings, type CleanRoomsSettings } from './config';
import { JSON_SCHEME, JsonDocumentProvider } from './views/jsonDocuments';
import { MembershipPanel, MembershipPanelSerializer, PANEL_VIEW_TYPE } from './views/membershipPanel';
import { MembershipStore } from './views/membershipStore';
import { MembershipTreeProvider } from './views/membershipTreeProvider';
import { VIEW_ID } from './views/viewIds';

/** What activate() returns: used by the integration tests, and by other extensions if they wish. */
export interface CleanRoomsApi {
  readonly store: MembershipStore;
  readonly tree: MembershipTreeProvider;
  readonly panels: typeof MembershipPanel;
  readonly service: CleanRoomsService;
}

export function activate(context: vscode.ExtensionContext): CleanRoomsApi {
  const log = vscode.window.createOutputChannel('Clean Rooms', { log: true });
  // Nothing here touches the network or the SDK client: clients are made on first use.
  const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), log);
  const store = new MembershipStore(service);
  const tree = new MembershipTreeProvider(store);
  const json = new JsonDocumentProvider();
  let settings: CleanRoomsSettings = readSettings();
  const services: Services = {
    store,
    service,
    log,
    settings: () => settings,
    panelDeps: { extensionUri: context.extensionUri, service, store, json, settings: () => settings },
  };
  const applySettings = (): void => {
    settings = readSettings();
    void store.setSettings(settings);
  };

  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
  const register = (id: string, run: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, run);

  context.subscriptions.push(
    log,
    store,
    tree,
    json,
    view,
    vscode.workspace.registerTextDocumentContentProvider(JSON_SCHEME, json),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new MembershipPanelSerializer(services.panelDeps)),
    register('cleanRooms.openMembership', (arg) => openMembership(services, arg)),
    register('cleanRooms.refresh', () => refresh(services)),
    register('cleanRooms.retry', (arg) => retry(services, arg)),
    register('cleanRooms.addMembership', () => addMembership()),
    register('cleanRooms.openSettings', () => openSettings()),
    register('cleanRooms.copyId', (arg) => copyIdentifier(services, 'id', arg)),
    register('cleanRooms.copyArn', (arg) => copyIdentifier(services, 'arn', arg)),
    register('cleanRooms.removeMembership', (arg) => removeMembership(services, arg)),
    register('cleanRooms.reloadCredentials', () => reloadCredentials(services)),
    register('cleanRooms.openInConsole', (arg) => openInConsole(services, arg)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsCleanRooms(e)) {
        applySettings();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => applySettings()),
    { dispose: () => MembershipPanel.disposeAll() },
  );

  void store.setSettings(settings);
  return { store, tree, panels: MembershipPanel, service };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
