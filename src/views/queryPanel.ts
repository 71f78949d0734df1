import * as vscode from 'vscode';
import { describeConnection, type ConnectionRequest } from '../aws/clientFactory';
import type { PanelConsoleRequest } from '../aws/consoleUrl';
import type { CleanRoomsFailure } from '../aws/errors';
import { isMembershipId } from '../config';
import { nodeFacts } from '../model/membershipStore';
import { isFinal, type QueryRef, type QueryWatch, type TrackedQuery } from '../model/queryTracker';
import type { LoadedResult, ResultFormat, ResultProgress, ResultTable } from '../results/types';
import { safeJson, withoutCodeMarks } from '../util/text';
import { webviewFailure } from './membershipPanel';
import type { PanelHost, QueryMessage } from './panelHost';
import type { PanelContext, Panels } from './panels';
import { PanelRecord } from './panelRecord';
import type { ResultsState, SavedQuery, ToWebview } from './protocol';
import { accountLabel, queryViewModel, receiverAccounts, resultLocation } from './queryView';
import { ResultGrid, resultFileName } from './resultGrid';
import type { ResultOps } from './resultOrder';
import { RESULT_OPS as TABLE_OPS } from '../results/resultTable';
import type { RunTemplateArgs } from './templatePanel';
import type { TreeElement } from './treeElements';

/** Reads a query's result files: lists the location, downloads every part, parses CSV or Parquet. */
export interface ResultsSource {
  load(
    location: string,
    request: ConnectionRequest,
    options: {
      readonly signal: AbortSignal;
      onProgress(progress: ResultProgress): void;
      /** The rows read so far (a growing prefix in file order), before the load finishes. */
      onPartial?(table: ResultTable, format: ResultFormat): void;
    },
  ): Promise<{ ok: true; value: LoadedResult } | { ok: false; failure: CleanRoomsFailure }>;
}

/** What "Run Again" hands to `cleanRooms.runQuery`: run this SQL in this membership (the command confirms as usual). */
export interface RunQueryArgs {
  readonly membershipId: string;
  readonly sql: string;
}

/** The sort and filter helpers; the real ones replace the fallbacks here. */
const RESULT_OPS: ResultOps = TABLE_OPS;

/** Download progress reaches the webview at most this often. */
const PROGRESS_POST_MS = 100;

/** The comment that binds a SQL document to a membership (the query documents' contract). */
export function bindingLine(membershipId: string): string {
  return `-- @membership ${membershipId}`;
}

/** A new SQL document's text for "Open SQL in Editor": the binding, then the query as it ran. */
export function sqlDocumentText(membershipId: string, sql: string): string {
  return `${bindingLine(membershipId)}\n${sql}`;
}

/** What a query panel's webview saved (see SavedQuery): which query, and whether it was the preview. */
export function parseSavedQuery(state: unknown): { query: SavedQuery; preview: boolean } | undefined {
  if (typeof state !== 'object' || state === null) {
    return undefined;
  }
  const { query, preview } = state as { query?: unknown; preview?: unknown };
  if (typeof query !== 'object' || query === null) {
    return undefined;
  }
  const { membershipId, queryId } = query as Record<string, unknown>;
  if (typeof membershipId !== 'string' || !isMembershipId(membershipId) || typeof queryId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(queryId)) {
    return undefined;
  }
  return { query: { membershipId, queryId }, preview: preview === true };
}

/** Unique per query and connection: opening it again reveals its panel. */
export function queryPanelKey(ref: QueryRef): string {
  return JSON.stringify(['query', ref.queryId, ref.request.profile ?? '', ref.request.region ?? '', ref.request.endpoint ?? '']);
}


/** Why there are no rows to show, for a query that has none (yet). */
function noRowsReason(q: TrackedQuery): string {
  switch (q.status) {
    case 'FAILED':
      return vscode.l10n.t('The query failed, so it has no results. The error is shown below.');
    case 'CANCELLED':
      return vscode.l10n.t('The query was cancelled, so it has no results.');
    case 'TIMED_OUT':
      return vscode.l10n.t('The query timed out, so it has no results.');
    case 'CANCELLING':
      return vscode.l10n.t('The query is being cancelled.');
    case 'SUCCESS':
      return vscode.l10n.t('The query succeeded but names no result location.');
    default:
      return vscode.l10n.t('The results appear here when the query succeeds.');
  }
}

/**
 * A protected query in a panel (its own pinned one, or the preview): watched through the tracker
 * while shown, so a running one updates live; its results read from S3 when it succeeds. The rows
 * stay in memory in this panel only (other companies' data): dropped when it closes or moves on,
 * never logged, and sent to the webview only as the grid asks for them.
 */
export class QueryPanel extends PanelRecord {
  private readonly watch: QueryWatch;
  private grid: ResultGrid | undefined;
  /** The grid holds the rows read so far; the whole result is still being read. */
  private gridPartial = false;
  /** Results state other than a ready grid (loading, failed); undefined: derived from the record. */
  private resultsState: ResultsState | undefined;
  private loadAbort: AbortController | undefined;
  /** The version the next grid starts at: above every version the webview has seen. */
  private nextVersion = 1;
  private memberNames: Map<string, string> | undefined;
  private namesRequested = false;
  private refreshFailure: CleanRoomsFailure | undefined;
  private readonly gone = new AbortController();
  private progressTimer: ReturnType<typeof setTimeout> | undefined;
  private latestMessage: ToWebview | undefined;

  constructor(
    host: PanelHost,
    private readonly context: PanelContext,
    readonly ref: QueryRef,
    readonly key: string,
    initial?: TrackedQuery,
    /** The tree row it was opened from, if any. */
    readonly element?: TreeElement,
  ) {
    super(host, {
      refresh: () => void this.refresh(),
      openJson: () => void this.openJson(),
      consoleTarget: () => this.consoleRequest(),
      query: (m) => void this.handle(m),
    });
    host.setTitle(vscode.l10n.t('Query {0}', ref.queryId.slice(0, 8)));
    this.watch = context.queries.watch(ref, initial);
    const subscriptions = [this.watch.onDidChange(() => this.render()), this.watch.onDidChangeFailure(() => this.render())];
    this.onDidClose(() => {
      subscriptions.forEach((s) => s.dispose());
      this.watch.dispose();
      this.dropResults();
      this.gone.abort();
    });
    this.render();
  }

  /** The query as last fetched. */
  get query(): TrackedQuery | undefined {
    return this.watch.current;
  }

  /** The latest state posted (for tests). */
  get lastMessage(): ToWebview | undefined {
    return this.latestMessage;
  }

  /** The loaded result, while the panel holds one (for tests: rows never leave through here). */
  get hasResult(): boolean {
    return this.grid !== undefined;
  }

  consoleRequest(): PanelConsoleRequest {
    return {
      kind: 'panelConsole',
      target: { kind: 'record', membershipId: this.ref.membershipId, branch: 'queries' },
      region: this.watch.snapshot?.connection?.region,
      request: this.ref.request,
    };
  }

  /** Refresh: GetProtectedQuery now (a stopped poll starts again while the query runs). */
  async refresh(): Promise<void> {
    const result = await this.context.queries.refresh(this.ref, this.gone.signal);
    if (!this.showing) {
      return;
    }
    this.refreshFailure = result.ok ? undefined : result.failure;
    this.render();
  }

  /**
   * The credentials changed (Reload AWS Credentials, profile files edited): the rows read with the
   * old ones are dropped (the new ones may not be allowed to read them) and the record is fetched
   * again; the results are read again with the new credentials once it is shown.
   */
  restart(): Promise<void> {
    this.dropResults();
    this.refreshFailure = undefined;
    this.render();
    return this.refresh();
  }

  async openJson(): Promise<void> {
    const q = this.query;
    if (!q) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The query has not loaded yet.'));
      return;
    }
    await this.context.json.open(`protected-query-${this.ref.queryId}`, safeJson({ protectedQuery: q }));
  }

  private render(): void {
    if (!this.showing) {
      return;
    }
    const snapshot = this.watch.snapshot;
    const failure = this.refreshFailure ?? this.watch.failure?.failure;
    if (!snapshot) {
      this.post(failure ? { type: 'error', id: this.ref.queryId, failure: webviewFailure(failure) } : { type: 'loading', id: this.ref.queryId, label: vscode.l10n.t('Protected query') });
      return;
    }
    const q = snapshot.query;
    const results = this.results(q);
    const node = this.context.store.find(this.ref.membershipKey);
    const facts = node && nodeFacts(node);
    const where = snapshot.connection
      ? describeConnection(snapshot.connection)
      : describeConnection({ profile: this.ref.request.profile, region: this.ref.request.region ?? vscode.l10n.t('the profile\'s region') });
    this.post({
      type: 'query',
      view: queryViewModel(q, { collaborationName: facts?.collaborationName, memberNames: this.memberNames }),
      where,
      fetchedAt: snapshot.fetchedAt.toISOString(),
      results,
      ...(failure ? { stale: webviewFailure(failure) } : {}),
    });
  }

  private post(message: ToWebview): void {
    this.latestMessage = message;
    this.postToHost(message, { query: { membershipId: this.ref.membershipId, queryId: this.ref.queryId } });
  }

  /** What the results area shows for `q`, starting the download when the result is in S3. */
  private results(q: TrackedQuery): ResultsState {
    if (receiverAccounts(q).length > 0 || q.resultConfiguration?.outputConfiguration?.member) {
      void this.loadMemberNames();
    }
    if (q.status !== 'SUCCESS') {
      return { kind: 'none', reason: noRowsReason(q) };
    }
    const location = resultLocation(q);
    if (location === undefined) {
      const receivers = receiverAccounts(q);
      if (receivers.length > 0) {
        return { kind: 'delivered', receivers: receivers.map((a) => accountLabel(a, this.memberNames)) };
      }
      return { kind: 'none', reason: noRowsReason(q) };
    }
    if (this.grid?.result.location === location) {
      return this.gridPartial ? { ...this.grid.state(), partial: true } : this.grid.state();
    }
    if (this.resultsState && 'location' in this.resultsState && this.resultsState.location === location) {
      return this.resultsState;
    }
    void this.loadResults(location);
    return this.resultsState ?? { kind: 'loading', location, loadedBytes: 0, totalBytes: 0, fileCount: 0 };
  }

  /** Lists and downloads the result files with a cancellable notification; the grid shows them once read. */
  private async loadResults(location: string): Promise<void> {
    this.dropResults();
    const abort = new AbortController();
    this.loadAbort = abort;
    this.resultsState = { kind: 'loading', location, loadedBytes: 0, totalBytes: 0, fileCount: 0 };
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Clean Rooms: reading the results of query {0}', this.ref.queryId.slice(0, 8)), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return this.context.results.load(location, this.ref.request, {
          signal: abort.signal,
          onProgress: (p) => {
            if (abort.signal.aborted) {
              return;
            }
            if (p.totalBytes > 0) {
              const percent = Math.min(100, (p.loadedBytes / p.totalBytes) * 100);
              progress.report({ increment: percent - reported, message: `${formatBytes(p.loadedBytes)} / ${formatBytes(p.totalBytes)}` });
              reported = percent;
            }
            this.resultsState = { kind: 'loading', location, loadedBytes: p.loadedBytes, totalBytes: p.totalBytes, fileCount: p.fileCount };
            this.renderSoon();
          },
          onPartial: (table, format) => {
            if (abort.signal.aborted || this.loadAbort !== abort || !this.showing) {
              return;
            }
            this.showPartial({ location, format, files: [], table });
          },
        });
      },
    );
    if (this.loadAbort !== abort || !this.showing) {
      // Superseded (Retry, another result) or closed: what arrived is dropped unseen.
      return;
    }
    this.loadAbort = undefined;
    const partial = this.grid;
    this.grid = undefined;
    this.gridPartial = false;
    if (outcome.ok) {
      this.grid = completeGrid(outcome.value, partial, this.nextVersion);
      this.resultsState = undefined;
    } else {
      if (partial) {
        this.nextVersion = partial.version + 1;
      }
      this.resultsState = { kind: 'failed', location, failure: webviewFailure(outcome.failure) };
    }
    this.render();
  }

  /**
   * Shows the rows read so far, so the first screen does not wait for the whole result. Rows keep
   * their positions as more arrive (file order), so the version stays and the webview keeps its
   * scroll and the rows it holds. Once the user sorted or filtered the partial rows, that view
   * stays until the whole result comes (sorting each snapshot again would cost more than it shows).
   */
  private showPartial(partial: LoadedResult): void {
    const shown = this.grid;
    if (shown) {
      const state = shown.state();
      if (state.sort || state.filter) {
        return;
      }
    }
    this.grid = new ResultGrid(partial, RESULT_OPS, shown?.version ?? this.nextVersion);
    this.gridPartial = true;
    this.render();
  }

  /** Progress arrives per chunk: the webview hears of it a few times a second at most. */
  private renderSoon(): void {
    if (this.progressTimer === undefined) {
      this.progressTimer = setTimeout(() => {
        this.progressTimer = undefined;
        this.render();
      }, PROGRESS_POST_MS);
    }
  }

  /** Lets go of the rows (and stops a download under way). */
  private dropResults(): void {
    this.loadAbort?.abort();
    this.loadAbort = undefined;
    if (this.grid) {
      this.nextVersion = this.grid.version + 1;
      this.grid = undefined;
    }
    this.gridPartial = false;
    this.resultsState = undefined;
    if (this.progressTimer !== undefined) {
      clearTimeout(this.progressTimer);
      this.progressTimer = undefined;
    }
  }

  /** Member display names (ListMembers), so receivers read "Name (account)". Once per panel. */
  private async loadMemberNames(): Promise<void> {
    if (this.namesRequested) {
      return;
    }
    this.namesRequested = true;
    const names = await memberNames(this.context, this.ref, this.gone.signal);
    if (names && this.showing) {
      this.memberNames = names;
      this.render();
    }
  }

  /** A message from the webview's results area or action buttons (unchecked input: the grid checks it). */
  async handle(m: QueryMessage): Promise<void> {
    switch (m.type) {
      case 'rowsRequest': {
        const rows = this.grid?.rows(m.version, m.start, m.count);
        if (rows) {
          this.sendToHost(rows);
        }
        return;
      }
      case 'sort':
        if (this.grid?.setSort(m.column, m.direction)) {
          this.render();
        }
        return;
      case 'filter':
        if (this.grid?.setFilter(m.text)) {
          this.render();
        }
        return;
      case 'copyCells':
        return this.copyCells(m);
      case 'queryAction':
        return this.action(m.action);
    }
  }

  private async copyCells(m: Extract<QueryMessage, { type: 'copyCells' }>): Promise<void> {
    if (!this.grid) {
      return;
    }
    const copy = this.grid.tsv({ version: m.version, firstRow: m.firstRow, lastRow: m.lastRow, firstColumn: m.firstColumn, lastColumn: m.lastColumn, header: m.header === true });
    if (!copy.ok) {
      void vscode.window.showWarningMessage(copy.message);
      return;
    }
    await vscode.env.clipboard.writeText(copy.text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0} rows', copy.rows), 2000);
  }

  async action(action: unknown): Promise<void> {
    switch (action) {
      case 'cancel':
        return this.cancel();
      case 'openSql':
        await this.openSql();
        return;
      case 'runAgain':
        return this.runAgain();
      case 'copyId':
        await vscode.env.clipboard.writeText(this.ref.queryId);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000);
        return;
      case 'saveCsv':
        await this.saveCsv();
        return;
      case 'saveOriginal':
        await this.saveOriginal();
        return;
      case 'retryResults': {
        const location = this.query && resultLocation(this.query);
        if (location !== undefined && !this.loadAbort) {
          this.dropResults();
          this.render();
        }
        return;
      }
    }
  }

  async cancel(): Promise<void> {
    const result = await this.context.queries.cancel(this.ref, this.gone.signal);
    if (!result.ok && result.failure.kind !== 'cancelled') {
      void vscode.window.showErrorMessage(`${result.failure.title}. ${withoutCodeMarks(result.failure.nextStep)}`);
    }
  }

  private sql(): string | undefined {
    return this.query?.sqlParameters?.queryString || undefined;
  }

  async openSql(): Promise<vscode.TextEditor | undefined> {
    const sql = this.sql();
    if (sql === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This query ran an analysis template: it has no SQL text to open.'));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: sqlDocumentText(this.ref.membershipId, sql) });
    return vscode.window.showTextDocument(document, { preview: false });
  }

  async runAgain(): Promise<void> {
    const sql = this.sql();
    const template = this.query?.sqlParameters?.analysisTemplateArn;
    if (sql === undefined && template) {
      // The template again with the same values; the run flow fetches it and checks them again.
      const args: RunTemplateArgs = { membershipId: this.ref.membershipId, analysisTemplateArn: template, parameters: { ...(this.query?.sqlParameters?.parameters ?? {}) } };
      await vscode.commands.executeCommand('cleanRooms.runTemplate', args);
      return;
    }
    if (sql === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This query has no SQL text or analysis template to run again.'));
      return;
    }
    const args: RunQueryArgs = { membershipId: this.ref.membershipId, sql };
    await vscode.commands.executeCommand('cleanRooms.runQuery', args);
  }

  private defaultFolder(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  async saveCsv(): Promise<vscode.Uri | undefined> {
    const grid = this.grid;
    if (!grid) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There are no result rows to save.'));
      return undefined;
    }
    if (this.gridPartial) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The results are still being read: save them when every row has arrived.'));
      return undefined;
    }
    const folder = this.defaultFolder();
    const name = `query-${this.ref.queryId.slice(0, 8)}.csv`;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { CSV: ['csv'] }, saveLabel: vscode.l10n.t('Save as CSV') });
    if (!target || this.grid !== grid) {
      return undefined;
    }
    const csv = grid.csv();
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv.text));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0} rows to {1}', csv.rows, target.fsPath), 4000);
    return target;
  }

  async saveOriginal(): Promise<vscode.Uri[] | undefined> {
    const grid = this.grid;
    if (!grid) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There are no result files to save.'));
      return undefined;
    }
    if (this.gridPartial) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The results are still being read: save them when every row has arrived.'));
      return undefined;
    }
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: this.defaultFolder(), openLabel: vscode.l10n.t('Save Here') });
    const folder = picked?.[0];
    if (!folder || this.grid !== grid) {
      return undefined;
    }
    const used = new Set<string>();
    const targets = grid.result.files.map((f, i) => {
      const base = resultFileName(f.key, i);
      let name = base;
      // Case-insensitive: two names differing only in case are one file on Windows and macOS.
      for (let n = 1; used.has(name.toLowerCase()); n++) {
        name = `${n}-${base}`;
      }
      used.add(name.toLowerCase());
      return { uri: vscode.Uri.joinPath(folder, name), bytes: f.bytes };
    });
    const existing = (await Promise.all(targets.map((x) => vscode.workspace.fs.stat(x.uri).then(() => x.uri, () => undefined)))).filter((u) => u !== undefined);
    if (existing.length > 0) {
      const replace = vscode.l10n.t('Replace');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} of the files already exist in that folder. Replace them?', existing.length), { modal: true }, replace);
      if (answer !== replace) {
        return undefined;
      }
    }
    for (const x of targets) {
      await vscode.workspace.fs.writeFile(x.uri, x.bytes);
    }
    vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0} files to {1}', targets.length, folder.fsPath), 4000);
    return targets.map((x) => x.uri);
  }

  /** Whether the query still changes: the panel polls only then (tests). */
  get live(): boolean {
    const q = this.query;
    return q !== undefined && !isFinal(q);
  }
}

/**
 * The grid of the whole result, in the view the partial rows had: the same version when they were
 * in file order (the webview keeps its rows and scroll; only the count grows), else their sort and
 * filter applied to every row (a new version).
 */
function completeGrid(result: LoadedResult, partial: ResultGrid | undefined, nextVersion: number): ResultGrid {
  if (!partial) {
    return new ResultGrid(result, RESULT_OPS, nextVersion);
  }
  const grid = new ResultGrid(result, RESULT_OPS, partial.version);
  const { sort, filter } = partial.state();
  if (sort) {
    grid.setSort(sort.column, sort.direction);
  }
  if (filter) {
    grid.setFilter(filter);
  }
  return grid;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Display names of the collaboration's members by account ID: from the tree when it listed them, else ListMembers. */
async function memberNames(context: PanelContext, ref: QueryRef, signal: AbortSignal): Promise<Map<string, string> | undefined> {
  const node = context.store.find(ref.membershipKey);
  if (node) {
    const listed = context.drill.branch(node, 'members');
    if (listed.status === 'loaded') {
      return new Map(listed.items.flatMap((m) => (m.accountId && m.displayName ? [[m.accountId, m.displayName] as const] : [])));
    }
  }
  let collaborationId = node && nodeFacts(node)?.collaborationId;
  if (!collaborationId) {
    const membership = await context.service.getMembership(ref.request, ref.membershipId, signal);
    collaborationId = membership.ok ? membership.value.membership.collaborationId : undefined;
  }
  if (!collaborationId || signal.aborted) {
    return undefined;
  }
  const page = await context.service.listBranchPage(ref.request, 'members', { membershipId: ref.membershipId, collaborationId }, undefined, signal);
  return page.ok ? new Map(page.value.items.flatMap((m) => (m.accountId && m.displayName ? [[m.accountId, m.displayName] as const] : []))) : undefined;
}

/**
 * Brings pinned query panels back after a window reload: the webview saved the query's IDs, and
 * the query is fetched again (Panels.reviveQuery). Its rows were never saved: they are read again.
 */
export class QueryPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly panels: Pick<Panels, 'reviveQuery'>) {}

  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void> {
    this.panels.reviveQuery(panel, state);
    return Promise.resolve();
  }
}
