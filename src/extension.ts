import * as vscode from 'vscode';
import { CleanRoomsClientFactory } from './aws/clientFactory';
import { CleanRoomsService } from './aws/cleanRoomsService';
import { watchProfileFiles } from './aws/profileWatcher';
import { ProfileFiles } from './aws/profiles';
import { activateRow } from './commands/activateRow';
import { addMembership } from './commands/addMembership';
import type { CommandContext } from './commands/context';
import { copyIdentifier } from './commands/copyIdentifiers';
import { discoverMemberships } from './commands/discoverMemberships';
import { editMembershipSettings } from './commands/editMembershipSettings';
import { filterQueries } from './commands/filterQueries';
import { exportJson } from './commands/exportJson';
import { keepOpen } from './commands/keepOpen';
import { loadMore, openDetail, retryBranch } from './commands/openDetail';
import { openInConsole } from './commands/openInConsole';
import { openMembership } from './commands/openMembership';
import { openSettings } from './commands/openSettings';
import { openSettingsEntry } from './commands/openSettingsEntry';
import { openTemplate } from './commands/openTemplate';
import { openTemplateSource } from './commands/openTemplateSource';
import { runTemplate } from './commands/runTemplate';
import { TEMPLATE_SOURCE_SCHEME, TemplateSourceProvider } from './views/templateSource';
import { refresh, retry } from './commands/refresh';
import { reloadCredentials } from './commands/reloadCredentials';
import { removeMembership } from './commands/removeMembership';
import { selectProfile } from './commands/selectProfile';
import { cancelQuery } from './commands/cancelQuery';
import { changeQueryBinding } from './commands/changeQueryBinding';
import { newQuery } from './commands/newQuery';
import { openTable } from './commands/openTable';
import { runQuery } from './commands/runQuery';
import { insertExampleQuery } from './commands/insertExampleQuery';
import { affectsCleanRooms } from './config';
import { ExplorerState } from './explorerState';
import type { DrillDownStore } from './model/drillDownStore';
import type { MembershipStore } from './model/membershipStore';
import type { ConnectionStatus } from './views/connectionStatus';
import type { DetailPanel } from './views/detailPanel';
import { JSON_SCHEME, JsonDocumentProvider } from './views/jsonDocuments';
import { MembershipPanelSerializer, PANEL_VIEW_TYPE, type MembershipPanel } from './views/membershipPanel';
import { MembershipTreeProvider } from './views/membershipTreeProvider';
import { followActivePanel } from './views/followActivePanel';
import { registerQueryCodeLens } from './views/queryCodeLens';
import { QueryStatusBar } from './views/queryStatusBar';
import { SqlCatalogs } from './views/sqlCatalog';
import { SqlDiagnostics } from './views/sqlDiagnostics';
import { registerSqlLanguage } from './views/sqlLanguage';
import type { TreeElement } from './views/treeElements';
import { ACTIVATE_ROW_COMMAND } from './views/treeItems';
import { QUERY_VIEW_TYPE, type PanelRegistry } from './views/panels';
import { QueryPanelSerializer } from './views/queryPanel';
import { setTranslator } from './util/l10n';
import { VIEW_ID } from './views/viewIds';

/** What activate() returns: used by the integration tests, and by other extensions if they wish. */
export interface CleanRoomsApi {
  /** The owner of everything below but the tree; its methods are the events that reload state. */
  readonly state: ExplorerState;
  readonly store: MembershipStore;
  readonly drill: DrillDownStore;
  readonly tree: MembershipTreeProvider;
  readonly view: vscode.TreeView<TreeElement>;
  /** Open membership panels by node key (state.panels.memberships). */
  readonly panels: PanelRegistry<MembershipPanel>;
  /** Open detail panels (state.panels.details). */
  readonly details: PanelRegistry<DetailPanel>;
  readonly service: CleanRoomsService;
  readonly status: ConnectionStatus;
  /** This extension's log folder; the "Clean Rooms" channel is written beside it. */
  readonly logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): CleanRoomsApi {
  setTranslator(vscode.l10n.t);
  const log = vscode.window.createOutputChannel('Clean Rooms', { log: true });
  const json = new JsonDocumentProvider();
  const templateSources = new TemplateSourceProvider();
  // Nothing here touches the network or creates an SDK client: clients are made on first use.
  const service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), log);
  const state = new ExplorerState({ extensionUri: context.extensionUri, service, json, log });
  const tree = new MembershipTreeProvider(state.store, state.drill, state.queries, state.schemas);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const ctx: CommandContext = { state, tree, view };
  const queryStatus = new QueryStatusBar(state);
  const sqlCatalogs = new SqlCatalogs(state);
  const sqlDiagnostics = new SqlDiagnostics(sqlCatalogs);
  // A command is someone looking, like the view becoming visible: the first one loads the tree.
  const register = (id: string, run: (...args: unknown[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => {
      state.wake();
      return run(...args);
    });
  const element = (arg: unknown): TreeElement | undefined => (typeof arg === 'object' && arg !== null && 'type' in arg ? (arg as TreeElement) : undefined);

  context.subscriptions.push(
    log,
    json,
    state,
    tree,
    view,
    vscode.workspace.registerTextDocumentContentProvider(JSON_SCHEME, json),
    templateSources,
    vscode.workspace.registerTextDocumentContentProvider(TEMPLATE_SOURCE_SCHEME, templateSources),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new MembershipPanelSerializer(state.panels)),
    vscode.window.registerWebviewPanelSerializer(QUERY_VIEW_TYPE, new QueryPanelSerializer(state.panels)),
    register('cleanRooms.openMembership', (arg) => openMembership(ctx, arg)),
    register(ACTIVATE_ROW_COMMAND, () => activateRow(view)),
    register('cleanRooms.refresh', () => refresh(ctx)),
    register('cleanRooms.retry', (arg) => retry(ctx, arg)),
    register('cleanRooms.addMembership', (arg) => addMembership(ctx, arg)),
    register('cleanRooms.discoverMemberships', (preset) => discoverMemberships(ctx, preset)),
    register('cleanRooms.openSettings', () => openSettings()),
    register('cleanRooms.openSettingsEntry', (arg) => openSettingsEntry(element(arg))),
    register('cleanRooms.copyId', (arg) => copyIdentifier(ctx, 'id', arg)),
    register('cleanRooms.copyArn', (arg) => copyIdentifier(ctx, 'arn', arg)),
    register('cleanRooms.removeMembership', (arg) => removeMembership(ctx, arg)),
    register('cleanRooms.reloadCredentials', () => reloadCredentials(ctx)),
    register('cleanRooms.openInConsole', (arg) => openInConsole(ctx, arg)),
    register('cleanRooms.openDetail', (arg) => openDetail(ctx, element(arg))),
    register('cleanRooms.loadMore', (arg) => loadMore(ctx, element(arg))),
    register('cleanRooms.retryBranch', (arg) => retryBranch(ctx, element(arg))),
    register('cleanRooms.exportJson', (arg) => exportJson(ctx, element(arg) ?? view.selection[0])),
    register('cleanRooms.selectProfile', () => selectProfile(ctx)),
    register('cleanRooms.keepOpen', (arg) => keepOpen(ctx, element(arg))),
    register('cleanRooms.newQuery', (arg) => newQuery(ctx, arg)),
    register('cleanRooms.openTable', (arg) => openTable(ctx, arg)),
    register('cleanRooms.runQuery', (arg) => runQuery(ctx, arg)),
    register('cleanRooms.runTemplate', (arg) => runTemplate(ctx, arg)),
    register('cleanRooms.openTemplate', (arg) => openTemplate(ctx, arg)),
    register('cleanRooms.openTemplateSource', (arg) => openTemplateSource(ctx, templateSources, arg)),
    register('cleanRooms.changeQueryBinding', (arg) => changeQueryBinding(ctx, arg)),
    register('cleanRooms.cancelQuery', (arg) => cancelQuery(ctx, arg)),
    queryStatus,
    registerQueryCodeLens(),
    sqlCatalogs,
    sqlDiagnostics,
    registerSqlLanguage(sqlCatalogs, sqlDiagnostics),
    register('cleanRooms.insertExampleQuery', (arg) => insertExampleQuery(sqlCatalogs, arg)),
    register('cleanRooms.filterQueries', (arg, preset) => filterQueries(ctx, arg, preset)),
    register('cleanRooms.editMembershipSettings', (arg) => editMembershipSettings(ctx, arg)),
    followActivePanel(state.panels, state.store, tree, view),
    tree.followView(view),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsCleanRooms(e)) {
        state.settingsChanged();
        queryStatus.forgetNames();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => state.trustGranted()),
    view.onDidChangeVisibility((e) => {
      if (e.visible) {
        state.wake();
      }
    }),
    watchProfileFiles(() => void state.profileFilesChanged()),
  );

  state.start();
  if (view.visible) {
    state.wake();
  }
  const { store, drill, status, panels } = state;
  return { state, store, drill, tree, view, panels: panels.memberships, details: panels.details, service, status, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is registered on context.subscriptions and released by VS Code.
}
