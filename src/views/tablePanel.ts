import * as vscode from 'vscode';
import { describeConnection } from '../aws/clientFactory';
import { nodeFacts, type MembershipNode } from '../model/membershipStore';
import type { SchemaState } from '../model/schemaStore';
import { safeJson } from '../util/text';
import { webviewFailure } from './membershipPanel';
import type { PanelContext } from './panels';
import type { PanelHost } from './panelHost';
import { PanelRecord } from './panelRecord';
import type { ToWebview } from './protocol';
import type { TreeElement } from './treeElements';
import { tableViewModel } from './tableView';

export const TABLE_VIEW_TYPE = 'cleanRooms.table';

/** The panel key of a table of a membership's collaboration. */
export function tablePanelKey(membershipKey: string, table: string): string {
  return `${membershipKey}|table|${JSON.stringify(table)}`;
}

/**
 * One table of a collaboration: its facts, columns and analysis rule in words, from the schema
 * store (the tree's Tables branch reads the same cache). Refresh fetches the collaboration's
 * schemas again; Copy Name; New Query on its membership.
 */
export class TablePanel extends PanelRecord {
  private message: ToWebview;
  private readonly subscription: vscode.Disposable;

  constructor(
    host: PanelHost,
    private readonly context: Pick<PanelContext, 'json' | 'schemas' | 'drill'>,
    private readonly node: MembershipNode,
    readonly table: string,
    /** The tree row it was opened from, if any. */
    readonly element?: TreeElement,
  ) {
    super(host, {
      refresh: () => void this.load(true),
      openJson: () => void this.openJson(),
      consoleTarget: () => node.key,
      tableAction: (action) => this.act(action),
    });
    host.setTitle(table);
    this.message = { type: 'table', id: this.key, title: table, where: this.where() };
    // The tree's Refresh or Retry reloads the same cache: the panel follows it.
    const schemaKey = this.collaborationId ? context.schemas.key(node.request, this.collaborationId) : undefined;
    const listener = context.schemas.onDidChange((changed) => {
      if (changed === '') {
        // Refresh cleared every collaboration: fetch again rather than wait for the tree's Tables
        // branch (collapsed, it never asks) to do it.
        void this.load(false);
      } else if (changed === schemaKey) {
        this.show(this.state());
      }
    });
    this.subscription = new vscode.Disposable(() => listener.dispose());
    this.onDidClose(() => this.subscription.dispose());
    this.show(this.state());
    void this.load(false);
  }

  get key(): string {
    return tablePanelKey(this.node.key, this.table);
  }

  get membershipKey(): string {
    return this.node.key;
  }

  get lastMessage(): ToWebview {
    return this.message;
  }

  private get collaborationId(): string | undefined {
    return nodeFacts(this.node)?.collaborationId;
  }

  private where(): string {
    const connection = this.node.state.status === 'pending' ? undefined : this.node.state.connection;
    return connection ? describeConnection(connection) : '';
  }

  private state(): SchemaState | undefined {
    return this.collaborationId ? this.context.schemas.get(this.node.request, this.collaborationId) : undefined;
  }

  /** Loads the schemas (from the cache unless `refresh`) and shows the table. */
  async load(refresh: boolean): Promise<void> {
    const collaborationId = this.collaborationId;
    if (!collaborationId) {
      return;
    }
    this.show(await this.context.schemas.load(this.node.request, collaborationId, { refresh }));
  }

  private show(state: SchemaState | undefined): void {
    const base = { type: 'table' as const, id: this.key, title: this.table, where: this.where() };
    if (state === undefined || state.status === 'loading') {
      // While fetching again, the table already shown stays, marked as refreshing.
      this.message = this.message.type === 'table' && this.message.view ? { ...this.message, refreshing: true } : base;
    } else if (state.status === 'error') {
      this.message = { ...base, failure: webviewFailure(state.failure) };
    } else {
      const table = state.schemas.catalog.table(this.table, true);
      const fetched = state.schemas.tables.find((t) => t.schema.name === this.table);
      this.message = table
        ? { ...base, view: tableViewModel(table, fetched, (arn) => this.templateName(arn)), fetchedAt: state.schemas.fetchedAt.toISOString() }
        : {
            ...base,
            failure: {
              title: vscode.l10n.t('Table not found'),
              message: vscode.l10n.t('The collaboration has no table named "{0}" now.', this.table),
              nextStep: vscode.l10n.t('Refresh the Clean Rooms view to see its tables.'),
            },
          };
    }
    this.postToHost(this.message);
  }

  /** An analysis template's name by ARN, from the membership's templates already listed (never fetches). */
  private templateName(arn: string): string | undefined {
    const branch = this.context.drill.branch(this.node, 'templates');
    return branch.status === 'idle' ? undefined : branch.items.find((t) => t.arn === arn)?.name;
  }

  private act(action: unknown): void {
    if (action === 'copyName') {
      void vscode.env.clipboard.writeText(this.table).then(() => vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000));
    } else if (action === 'newQuery') {
      void vscode.commands.executeCommand('cleanRooms.newQuery', this.node.key);
    }
  }

  openJson(): Promise<vscode.TextEditor> {
    const state = this.state();
    const fetched = state?.status === 'loaded' ? state.schemas.tables.find((t) => t.schema.name === this.table) : undefined;
    return this.context.json.open(`Table-${this.table}`, safeJson(fetched ?? {}));
  }
}
