import type { CollaborationAnalysisTemplate } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import { describeConnection, type Connection, type ConnectionRequest } from '../aws/clientFactory';
import type { PanelConsoleRequest } from '../aws/consoleUrl';
import type { Conformed } from '../aws/conform';
import type { CleanRoomsFailure } from '../aws/errors';
import { nameMap } from '../queries/templateParameters';
import { safeJson } from '../util/text';
import { webviewFailure } from './membershipPanel';
import type { PanelHost, TemplateMessage } from './panelHost';
import type { PanelContext } from './panels';
import { PanelRecord } from './panelRecord';
import type { ToWebview } from './protocol';
import type { TreeElement } from './treeElements';
import { templateFields, templateViewModel } from './templateView';

export const TEMPLATE_VIEW_TYPE = 'cleanRooms.template';

/** Longest value the form may hold per parameter: the webview's input is untrusted. */
const MAX_VALUE_CHARS = 10_000;

/** Which template, seen from which membership (its connection, its collaboration). */
export interface TemplateTarget {
  readonly membershipId: string;
  /** The membership's node in the tree ('' when opened by ID). */
  readonly membershipKey: string;
  readonly request: ConnectionRequest;
  readonly collaborationId: string;
  readonly collaborationName?: string;
  /** The membership's account: the creator reads "(you)" when it is this. */
  readonly ownAccount?: string;
  readonly arn: string;
  /** Shown while the template loads. */
  readonly name?: string;
  /** The tree row it was opened from: selected again when its panel becomes active. */
  readonly element?: TreeElement;
}

/** What Run in the form hands to `cleanRooms.runTemplate` (the run flow checks the values again). */
export interface RunTemplateArgs {
  readonly membershipId: string;
  readonly analysisTemplateArn: string;
  readonly parameters: Record<string, string>;
}

/** Unique per template, membership and connection: opening it again reveals its panel. */
export function templatePanelKey(target: TemplateTarget): string {
  return JSON.stringify(['template', target.arn, target.membershipId, target.request.profile ?? '', target.request.region ?? '', target.request.endpoint ?? '']);
}

/**
 * A collaboration analysis template in a panel: what it is, its parameters, validations and
 * source, and (SQL templates) the form that runs it. The form's values live here, in the host:
 * every change is checked here with the same rules the run flow applies again before a start.
 */
export class TemplatePanel extends PanelRecord {
  private current: Conformed<CollaborationAnalysisTemplate> | undefined;
  private connection: Connection | undefined;
  private fetchedAt: Date | undefined;
  private values: Record<string, string> = nameMap();
  private focusForm: boolean;
  private latestMessage: ToWebview | undefined;
  private readonly gone = new AbortController();
  /** The first load (tests wait for it). */
  readonly loaded: Promise<void>;

  constructor(
    host: PanelHost,
    private readonly context: Pick<PanelContext, 'service' | 'json'>,
    readonly target: TemplateTarget,
    readonly key: string,
    focusForm = false,
  ) {
    super(host, {
      refresh: () => void this.load(),
      openJson: () => void this.openJson(),
      consoleTarget: () => this.consoleRequest(),
      template: (m) => void this.handle(m),
    });
    this.focusForm = focusForm;
    host.setTitle(target.name ?? vscode.l10n.t('Analysis template'));
    this.onDidClose(() => this.gone.abort());
    this.post({ type: 'loading', id: target.arn, label: target.name ?? vscode.l10n.t('Analysis template'), record: 'template' });
    this.loaded = this.load();
  }

  /** The template as last fetched. */
  get template(): Conformed<CollaborationAnalysisTemplate> | undefined {
    return this.current;
  }

  /** The latest state posted (for tests). */
  get lastMessage(): ToWebview | undefined {
    return this.latestMessage;
  }

  /** The form's values as the host holds them (typed so far; defaults are not copied in). */
  get formValues(): Readonly<Record<string, string>> {
    return this.values;
  }

  consoleRequest(): PanelConsoleRequest {
    return { kind: 'panelConsole', target: { kind: 'record', membershipId: this.target.membershipId, branch: 'templates' }, region: this.connection?.region, request: this.target.request };
  }

  /** GetCollaborationAnalysisTemplate; the form keeps what was typed. */
  async load(): Promise<void> {
    const result = await this.context.service.getCollaborationAnalysisTemplate(this.target.request, this.target.collaborationId, this.target.arn, this.gone.signal);
    if (!this.showing) {
      return;
    }
    if (!result.ok) {
      this.fail(result.failure);
      return;
    }
    this.current = result.value;
    this.connection = result.connection;
    this.fetchedAt = new Date();
    this.host.setTitle(result.value.name || this.target.arn);
    this.render();
  }

  /** Run Analysis Template…: the keyboard goes to the form's first field. */
  showForm(): void {
    this.focusForm = true;
    this.render();
  }

  private fail(failure: CleanRoomsFailure): void {
    this.post({ type: 'error', id: this.target.arn, failure: webviewFailure(failure), record: 'template' });
  }

  private render(): void {
    const t = this.current;
    if (!t || !this.connection || !this.fetchedAt) {
      return;
    }
    const view = templateViewModel(t, { ownAccount: this.target.ownAccount, collaborationName: this.target.collaborationName, values: this.values, focusForm: this.focusForm });
    this.post({ type: 'template', view, where: describeConnection(this.connection), fetchedAt: this.fetchedAt.toISOString() });
    // Once: a later Refresh leaves the keyboard where the person put it.
    this.focusForm = false;
  }

  private post(message: ToWebview): void {
    this.latestMessage = message;
    this.postToHost(message);
  }

  /** The webview's values, cut down to the template's parameters as strings: anything else is dropped. */
  private accept(raw: unknown): Record<string, string> {
    const names = new Set((this.current?.analysisParameters ?? []).map((p) => p.name ?? ''));
    const out = nameMap();
    if (typeof raw !== 'object' || raw === null) {
      return out;
    }
    for (const [name, value] of Object.entries(raw)) {
      if (names.has(name) && typeof value === 'string' && value.length <= MAX_VALUE_CHARS) {
        out[name] = value;
      }
    }
    return out;
  }

  private async handle(message: TemplateMessage): Promise<void> {
    if (message.type === 'templateInput') {
      this.values = Object.assign(nameMap(), this.values, this.accept(message.values));
      this.sendCheck();
      return;
    }
    switch (message.action) {
      case 'run':
        await this.run(message.values);
        break;
      case 'openSource':
        await vscode.commands.executeCommand('cleanRooms.openTemplateSource', { membershipId: this.target.membershipId, analysisTemplateArn: this.target.arn });
        break;
      case 'copyArn':
        await vscode.env.clipboard.writeText(this.target.arn);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000);
        break;
    }
  }

  private sendCheck(): { canRun: boolean } {
    const t = this.current;
    if (!t) {
      return { canRun: false };
    }
    const { fields, canRun } = templateFields(t, this.values);
    const problems = Object.fromEntries(fields.filter((f) => f.problem !== undefined).map((f) => [f.name, f.problem ?? '']));
    this.sendToHost({ type: 'templateCheck', problems, canRun });
    return { canRun };
  }

  /**
   * Run in the form: the values are checked here first (a refused one is shown, nothing starts),
   * then handed to cleanRooms.runTemplate, whose run flow fetches the template and checks again.
   */
  async run(values?: unknown): Promise<unknown> {
    if (values !== undefined) {
      this.values = Object.assign(nameMap(), this.values, this.accept(values));
    }
    const t = this.current;
    if (!t || !this.sendCheck().canRun) {
      return undefined;
    }
    const { fields } = templateFields(t, this.values);
    const args: RunTemplateArgs = { membershipId: this.target.membershipId, analysisTemplateArn: this.target.arn, parameters: Object.fromEntries(fields.map((f) => [f.name, f.value])) };
    return vscode.commands.executeCommand('cleanRooms.runTemplate', args);
  }

  async openJson(): Promise<void> {
    const t = this.current;
    if (!t) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The template has not loaded yet.'));
      return;
    }
    await this.context.json.open(`analysis-template-${t.name ?? 'template'}`, safeJson({ collaborationAnalysisTemplate: t }));
  }
}
