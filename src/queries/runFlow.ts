import type { CollaborationAnalysisTemplate, ComputeConfiguration, Membership, MemberSummary } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import type { Result } from '../aws/cleanRoomsService';
import type { Conformed } from '../aws/conform';
import type { CleanRoomsFailure, FailureKind } from '../aws/errors';
import { SECTION, SETTING } from '../config';
import type { ExplorerState } from '../explorerState';
import { isFinal, type QueryRef, type TrackedQuery } from '../model/queryTracker';
import { cleanText, shortText, statusWords } from '../util/text';
import { listAllMembers, loadMembership, shortId, targetFor, type QueryTarget } from './queryTarget';
import { preflight } from './preflight';
import { chooseDestination, type Destination } from './resultDestination';
import { checkParameters } from './templateParameters';
import { addRunning, cancelQuery, removeRunning, runningQueries, watchQuery } from './trackQuery';

/** An analysis template to run: its ARN and the parameter values as typed (checked again here). */
export interface TemplateRun {
  readonly analysisTemplateArn: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** What a run starts: SQL text, or a template with its parameters. */
export type RunInput = string | TemplateRun;

/** A run's input once checked: the template (as fetched) and the values it is started with. */
type Checked = { readonly kind: 'sql'; readonly sql: string } | { readonly kind: 'template'; readonly arn: string; readonly template: Conformed<CollaborationAnalysisTemplate>; readonly parameters: Record<string, string> };

/** The same run: the same SQL, or the same template with the same values. */
function sameRun(a: RunInput, b: RunInput): boolean {
  if (typeof a === 'string' || typeof b === 'string') {
    return a === b;
  }
  return a.analysisTemplateArn === b.analysisTemplateArn && sameValues(a.parameters, b.parameters);
}

function sameValues(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** What one Run did: the tests and Run Again read it. */
export type RunOutcome =
  /** Nothing was started: the user stopped, or a check before the start failed (already said). */
  | { readonly kind: 'notStarted'; readonly reason: string }
  /** Another Run is being confirmed or started: this click did nothing. */
  | { readonly kind: 'busy' }
  /** The service refused the start (nothing started). */
  | { readonly kind: 'refused'; readonly failure: CleanRoomsFailure }
  /** The start's answer was lost and no new query was found: it probably did not start. */
  | { readonly kind: 'unknown'; readonly failure: CleanRoomsFailure }
  /** Started (or, after a lost answer, found): `query` is the last record seen (final unless the wait was left). */
  | { readonly kind: 'ran'; readonly ref: QueryRef; readonly query: TrackedQuery; readonly found: boolean };

/**
 * Failures after which the query may have started anyway (the request may have reached the
 * service): timeouts, dropped connections, 5xx and replies that could not be read. Every other
 * kind is a refusal or happened before anything was sent.
 */
const AMBIGUOUS: ReadonlySet<FailureKind> = new Set(['timeout', 'network', 'internal', 'unknown', 'malformedResponse', 'emptyResponse', 'cancelled']);

/** How far before the click a found query may have been created (clock skew between here and AWS). */
const CLOCK_SKEW_MS = 2 * 60_000;

/**
 * One click, at most one billed query: while a run is being prepared, confirmed and started, a
 * second Run (a double Ctrl+Enter) does nothing.
 */
let starting = false;

/** How soon after a start the same run again counts as a repeated key or click (while it runs). */
const REPEAT_MS = 5000;

/**
 * Runs `input` (SQL text, or an analysis template with its parameter values) as a protected query
 * on membership `membershipId`: finds where results go and who pays, confirms
 * (cleanRooms.query.confirmBeforeRun; always in an untrusted workspace), starts it ONCE, and
 * follows it with a cancellable notification until it ends; then opens its panel. A template is
 * fetched again and its values checked against its parameters before anything is asked or started.
 */
export async function runQuery(state: ExplorerState, membershipId: string, input: RunInput): Promise<RunOutcome> {
  if (starting) {
    void vscode.window.setStatusBarMessage(vscode.l10n.t('A query is already being started.'), 3000);
    return { kind: 'busy' };
  }
  // A held Ctrl+Enter repeats: once a start has answered, the same run again while that query has
  // only just started is that repeat, not a second query.
  if (runningQueries().some((r) => r.ref.membershipId === membershipId && sameRun(r.input, input) && Date.now() - r.startedAt.getTime() < REPEAT_MS)) {
    void vscode.window.setStatusBarMessage(vscode.l10n.t('This query was just started.'), 3000);
    return { kind: 'busy' };
  }
  starting = true;
  let started: { ref: QueryRef; query: TrackedQuery; found: boolean; name: string } | undefined;
  try {
    const prepared = await prepare(state, membershipId);
    if ('reason' in prepared) {
      return { kind: 'notStarted', reason: prepared.reason };
    }
    const { target, name } = prepared;
    const checked = typeof input === 'string' ? ({ kind: 'sql', sql: input } as const) : await checkTemplate(state, prepared, input);
    if (!checked) {
      return { kind: 'notStarted', reason: 'template' };
    }
    const destination = await chooseDestination(state, target, name, prepared.membership, prepared.members);
    if (!destination) {
      return { kind: 'notStarted', reason: 'destination' };
    }
    const compute = computeFor(state, prepared.engine);
    if (!(await confirmRun(state, { ...prepared, destination, compute, checked }))) {
      return { kind: 'notStarted', reason: 'not confirmed' };
    }
    const clickedAt = Date.now();
    // Queries known before this start cannot be the one it started (see findStarted).
    const knownBefore = (id: string): boolean => state.queries.latest(id) !== undefined;
    const what = checked.kind === 'sql' ? { queryString: checked.sql } : { analysisTemplateArn: checked.arn, parameters: checked.parameters };
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting query on {0}…', name) }, () =>
      state.service.startProtectedQuery(target.request, membershipId, { ...what, resultConfiguration: destination.resultConfiguration, computeConfiguration: compute }),
    );
    const refOf = (query: TrackedQuery): QueryRef => ({ membershipKey: target.node?.key ?? '', request: target.request, membershipId, queryId: query.id ?? '' });
    if (result.ok) {
      state.queries.record(result.value);
      started = { ref: refOf(result.value), query: result.value, found: false, name };
    } else if (!AMBIGUOUS.has(result.failure.kind)) {
      showRefusal(name, result.failure);
      return { kind: 'refused', failure: result.failure };
    } else {
      const found = await findStarted(state, target, checked, clickedAt, knownBefore);
      if (found === 'unknown' || !found) {
        offerRunAgain(state, membershipId, input, name, result.failure, found === 'unknown');
        return { kind: 'unknown', failure: result.failure };
      }
      state.queries.record(found);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('The answer to StartProtectedQuery was lost ({0}), but the query started: following query {1}.', result.failure.title, shortId(found.id ?? '')),
      );
      started = { ref: refOf(found), query: found, found: true, name };
    }
  } finally {
    starting = false;
  }
  const query = await follow(state, started.ref, started.query, started.name, input, runLabel(input));
  return { kind: 'ran', ref: started.ref, query, found: started.found };
}

/** Whether a run is being prepared, confirmed or started (tests wait for it to settle). */
export function isStarting(): boolean {
  return starting;
}

interface Prepared {
  readonly target: QueryTarget;
  readonly membership: Conformed<Membership>;
  readonly name: string;
  readonly engine: string | undefined;
  readonly payer: () => Promise<string>;
  readonly members: () => Promise<Result<Conformed<MemberSummary>[]>>;
}

/** The membership, its collaboration (name, engine) and lazily its members. */
async function prepare(state: ExplorerState, membershipId: string): Promise<Prepared | { reason: string }> {
  const target = targetFor(membershipId, state.settings, state.store);
  const loaded = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading membership {0}…', shortId(membershipId)) }, async () => {
    const membership = await loadMembership(state.service, state.store, target, undefined, true);
    if (!membership.ok) {
      return membership;
    }
    const collaboration = membership.value.collaborationId ? await state.service.getCollaboration(target.request, membership.value.collaborationId) : undefined;
    return { ok: true as const, membership: membership.value, collaboration };
  });
  if (!loaded.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot run on membership {0}: {1}. {2}', membershipId, loaded.failure.title, loaded.failure.nextStep));
    return { reason: 'membership' };
  }
  const { membership, collaboration } = loaded;
  if (collaboration && !collaboration.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot run on membership {0}: reading its collaboration failed: {1}. {2}', membershipId, collaboration.failure.title, collaboration.failure.nextStep));
    return { reason: 'collaboration' };
  }
  const name = shortText(target.node?.entry.label || collaboration?.value.name || membership.collaborationName || membershipId, 80);
  let members: Promise<Result<Conformed<MemberSummary>[]>> | undefined;
  const membersOnce = (): Promise<Result<Conformed<MemberSummary>[]>> =>
    (members ??= listAllMembers(state.service, target.request, { membershipId, collaborationId: membership.collaborationId ?? '' }));
  const payer = async (): Promise<string> => {
    if (membership.paymentConfiguration?.queryCompute?.isResponsible) {
      return vscode.l10n.t('this membership (you)');
    }
    const listed = await membersOnce();
    const paying = listed.ok ? listed.value.find((m) => m.paymentConfiguration?.queryCompute?.isResponsible) : undefined;
    return paying?.accountId ? `${shortText(paying.displayName || paying.accountId)} (${paying.accountId})` : vscode.l10n.t('another member (could not tell which)');
  };
  return { target, membership, name, engine: collaboration?.value.analyticsEngine, payer, members: membersOnce };
}

/**
 * The template, fetched again (its parameters may have changed since the form was drawn), and the
 * values checked against them: the form's checks are the webview's, never trusted. Undefined (and
 * said) when it cannot be read or a value is refused: nothing is asked or started.
 */
async function checkTemplate(state: ExplorerState, prepared: Prepared, run: TemplateRun): Promise<Checked | undefined> {
  const collaborationId = prepared.membership.collaborationId ?? '';
  const fetched = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading analysis template…') }, () =>
    state.service.getCollaborationAnalysisTemplate(prepared.target.request, collaborationId, run.analysisTemplateArn),
  );
  if (!fetched.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot run the analysis template: reading it failed: {0}. {1}', fetched.failure.title, fetched.failure.nextStep));
    return undefined;
  }
  const template = fetched.value;
  const label = shortText(template.name || run.analysisTemplateArn, 80);
  if (template.format !== undefined && template.format !== 'SQL') {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is a {1} template: only SQL templates run as protected queries. Nothing was started.', label, template.format));
    return undefined;
  }
  const { values, problems } = checkParameters(template.analysisParameters ?? [], run.parameters);
  const refused = Object.entries(problems);
  if (refused.length > 0) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} was not started: {1}', label, refused.map(([name, problem]) => `${cleanText(name)}: ${problem}`).join(' ')),
    );
    return undefined;
  }
  return { kind: 'template', arn: run.analysisTemplateArn, template, parameters: values };
}

/** How a run reads in lists (Cancel Query's pick): its SQL, or its template's ARN. */
function runLabel(input: RunInput): string {
  return typeof input === 'string' ? input : input.analysisTemplateArn;
}

/** Worker settings apply on the Spark engine only (the service refuses them otherwise). */
function computeFor(state: ExplorerState, engine: string | undefined): ComputeConfiguration | undefined {
  const { workerType, workerCount } = state.settings.query;
  if (engine !== 'SPARK' || (workerType === undefined && workerCount === undefined)) {
    return undefined;
  }
  return { worker: { ...(workerType ? { type: workerType } : {}), ...(workerCount !== undefined ? { number: workerCount } : {}) } };
}

/**
 * The confirmation before a start. Asked on every run while cleanRooms.query.confirmBeforeRun is
 * true (the default), and always in an untrusted workspace, where "don't ask again" is not offered.
 */
async function confirmRun(state: ExplorerState, run: Prepared & { destination: Destination; compute: ComputeConfiguration | undefined; checked: Checked }): Promise<boolean> {
  const query = state.settings.query;
  // SQL only: a template was checked by its author and the service when it was created.
  const sql = run.checked.kind === 'sql' ? run.checked.sql : undefined;
  // With confirmations off the budgets are read only if a warning brings the confirmation up.
  const privacy = query.confirmBeforeRun || query.untrusted ? 'always' : 'ifWarnings';
  const checked =
    sql === undefined
      ? undefined
      : await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t("Checking the query against the tables' rules…") }, () =>
          preflight(state, { request: run.target.request, membershipId: run.target.membershipId, collaborationId: run.membership.collaborationId, sql }, { privacy }),
        );
  // A pre-flight warning is worth one click even with confirmations off: the service may refuse
  // (and still bill) the query, and the user may not have seen the editor's squiggle.
  if (!query.confirmBeforeRun && !query.untrusted && !checked?.hasWarnings) {
    return true;
  }
  const worker = run.compute?.worker;
  const compute =
    run.engine !== 'SPARK'
      ? vscode.l10n.t('the {0} engine (no worker settings)', run.engine ?? '?')
      : worker
        ? vscode.l10n.t('{0} × {1} workers', worker.type ?? vscode.l10n.t('default type'), worker.number ?? vscode.l10n.t('default number of'))
        : vscode.l10n.t("the service's default workers");
  const detail = [
    vscode.l10n.t('Membership: {0}', run.target.membershipId),
    vscode.l10n.t('Collaboration: {0}', run.name),
    vscode.l10n.t('Compute paid by: {0}', await run.payer()),
    vscode.l10n.t('Compute: {0}', compute),
    vscode.l10n.t('Results to: {0}', run.destination.description),
    ...(checked && checked.lines.length > 0 ? ['', ...checked.lines] : []),
    '',
    ...whatRuns(run.checked),
  ].join('\n');
  const runButton = vscode.l10n.t('Run');
  const always = vscode.l10n.t("Run and Don't Ask Again");
  // A workspace value would outrank the user setting this button writes: it would not do what it says.
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<boolean>(SETTING.queryConfirmBeforeRun);
  const workspaceSets = inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  // Asked only for the warnings (confirmations are off): "Don't Ask Again" is already in force.
  const buttons = query.untrusted || workspaceSets || !query.confirmBeforeRun ? [runButton] : [runButton, always];
  const question =
    run.checked.kind === 'sql'
      ? vscode.l10n.t('Run this query on {0}? It is billed.', run.name)
      : vscode.l10n.t('Run analysis template {0} on {1}? It is billed.', shortText(run.checked.template.name || run.checked.arn, 80), run.name);
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail }, ...buttons);
  if (answer === always) {
    await vscode.workspace.getConfiguration(SECTION).update(SETTING.queryConfirmBeforeRun, false, vscode.ConfigurationTarget.Global);
  }
  return answer === runButton || answer === always;
}

/** The confirmation's last lines: the SQL, or the template and each parameter's value. */
function whatRuns(checked: Checked): string[] {
  if (checked.kind === 'sql') {
    return [shortText(checked.sql, 300)];
  }
  const names = Object.keys(checked.parameters);
  return [
    vscode.l10n.t('Analysis template: {0}', shortText(checked.template.name || checked.arn, 80)),
    ...(names.length === 0 ? [vscode.l10n.t('No parameters')] : [vscode.l10n.t('Parameters:'), ...names.map((n) => `  ${shortText(n, 60)} = ${shortText(checked.parameters[n] ?? '', 120)}`)]),
  ];
}

/**
 * After an ambiguous failure: the membership's newest queries (first page), created since just
 * before the click, not known before it, whose SQL is this run's. Asked a few times over a few
 * seconds (a start the service is still handling may not be listed yet). 'unknown' when even that
 * could not be checked.
 */
async function findStarted(
  state: ExplorerState,
  target: QueryTarget,
  checked: Checked,
  clickedAt: number,
  knownBefore: (id: string) => boolean,
): Promise<TrackedQuery | undefined | 'unknown'> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('No answer from StartProtectedQuery; checking whether the query started…') }, async () => {
    for (let attempt = 0; attempt < LOOKUP_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, LOOKUP_PAUSE_MS));
      }
      const listed = await state.service.listProtectedQueries(target.request, target.membershipId, { maxResults: 10 });
      if (!listed.ok) {
        return 'unknown' as const;
      }
      const recent = listed.value.items.filter((q) => q.id && !knownBefore(q.id) && q.createTime && q.createTime.getTime() >= clickedAt - CLOCK_SKEW_MS);
      for (const candidate of recent) {
        const full = await state.service.getProtectedQuery(target.request, target.membershipId, candidate.id ?? '');
        if (full.ok && startedBy(full.value, checked)) {
          return full.value;
        }
      }
    }
    return undefined;
  });
}

/** Whether a listed query is this run's: the same SQL, or the same template with the same values. */
function startedBy(query: TrackedQuery, checked: Checked): boolean {
  const p = query.sqlParameters;
  return checked.kind === 'sql'
    ? p?.queryString === checked.sql
    : p?.analysisTemplateArn === checked.arn && p.queryString === undefined && sameValues(p.parameters ?? {}, checked.parameters);
}

/** Lists after a lost answer: three, two seconds apart. */
const LOOKUP_ATTEMPTS = 3;
const LOOKUP_PAUSE_MS = 2000;

function offerRunAgain(state: ExplorerState, membershipId: string, input: RunInput, name: string, failure: CleanRoomsFailure, unchecked: boolean): void {
  const again = vscode.l10n.t('Run Again');
  const message = unchecked
    ? vscode.l10n.t(
        'StartProtectedQuery on {0} got no answer ({1}), and the membership\'s queries could not be listed to check. Look at its protected queries before running again: it may have started.',
        name,
        failure.title,
      )
    : vscode.l10n.t('StartProtectedQuery on {0} got no answer ({1}), and no new query appeared among the membership\'s newest: it probably did not start.', name, failure.title);
  // Unchecked, a second start may well be a second billed query: no button for it.
  void vscode.window.showWarningMessage(message, ...(unchecked ? [] : [again])).then((answer) => {
    if (answer === again) {
      void runQuery(state, membershipId, input);
    }
  });
}

function showRefusal(name: string, failure: CleanRoomsFailure): void {
  const message =
    failure.kind === 'quotaExceeded'
      ? vscode.l10n.t(
          'Too many protected queries are running on {0} (at most 5 at once per membership, and fewer per account). Wait for one to finish or cancel one, then run again. Nothing was started.',
          name,
        )
      : failure.kind === 'conflict'
        ? vscode.l10n.t('The query was not started: {0} is being changed by another request. Wait a moment and run again.', name)
        : vscode.l10n.t('The query was not started on {0}: {1}. {2}', name, failure.message ? `${failure.title} (${cleanText(failure.message)})` : failure.title, failure.nextStep);
  void vscode.window.showErrorMessage(message);
}

/** Follows the query with a cancellable notification until it ends; then its panel opens. */
async function follow(state: ExplorerState, ref: QueryRef, first: TrackedQuery, name: string, input: RunInput, label: string): Promise<TrackedQuery> {
  addRunning({ ref, collaborationName: name, sql: label, input, startedAt: new Date() });
  state.queries.record(first);
  showPanel(state, ref, first);
  const watch = watchQuery(state, ref, first);
  const t0 = first.createTime?.getTime() ?? Date.now();
  try {
    const last = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running query on {0}', name), cancellable: true },
      (progress, token) =>
        new Promise<TrackedQuery>((resolve) => {
          let latest = watch.current ?? first;
          const report = (): void => progress.report({ message: `${statusWords(latest.status ?? '?')}, ${Math.max(0, Math.round((Date.now() - t0) / 1000))} s` });
          const tick = setInterval(report, 1000);
          report();
          const done = (query: TrackedQuery): void => {
            clearInterval(tick);
            sub.dispose();
            lost.dispose();
            cancel.dispose();
            resolve(query);
          };
          const sub = watch.onDidChange((query) => {
            latest = query;
            report();
            if (isFinal(query)) {
              done(query);
            }
          });
          // Polling gave up (credentials expired, access taken away): the notification ends, saying so.
          const lost = watch.onDidChangeFailure((f) => {
            if (f?.gaveUp) {
              void vscode.window.showWarningMessage(
                vscode.l10n.t('Lost track of query {0} on {1}: {2}. {3} It may still be running: Refresh its panel to look again.', shortId(ref.queryId), name, f.failure.title, f.failure.nextStep),
              );
              done(latest);
            }
          });
          const cancel = token.onCancellationRequested(() => {
            void cancelQuery(state, ref).then((result) => {
              if (result.ok) {
                void vscode.window.showInformationMessage(vscode.l10n.t('Cancel sent: query {0} on {1} is {2}.', shortId(ref.queryId), name, statusWords(result.value.status ?? '?')));
              } else {
                void vscode.window.showErrorMessage(vscode.l10n.t('Cancelling query {0} failed: {1}. {2}', shortId(ref.queryId), result.failure.title, result.failure.nextStep));
              }
            });
            // The notification closes; the query's panel and tree row show the rest.
            done(latest);
          });
          if (isFinal(latest)) {
            done(latest);
          }
        }),
    );
    if (isFinal(last)) {
      ended(state, ref, last, name);
    }
    return last;
  } finally {
    watch.dispose();
    removeRunning(ref.queryId);
  }
}

function ended(state: ExplorerState, ref: QueryRef, query: TrackedQuery, name: string): void {
  // Brought to the front (or opened again, if it was closed meanwhile) to show how it ended.
  showPanel(state, ref, query);
  if (query.status === 'FAILED') {
    const why = query.error?.message ? cleanText(query.error.message) : vscode.l10n.t('no reason given');
    void vscode.window.showErrorMessage(vscode.l10n.t('Query {0} on {1} failed: {2}', shortId(ref.queryId), name, why));
  } else if (query.status === 'TIMED_OUT') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Query {0} on {1} timed out.', shortId(ref.queryId), name));
  }
}

/**
 * The query's own panel, beside the SQL: a run is a record worth keeping (it was billed), so it
 * gets a pinned tab rather than the tree's preview; the keyboard stays in the editor.
 */
function showPanel(state: ExplorerState, ref: QueryRef, query: TrackedQuery): void {
  state.panels.showQuery(ref, 'pinned', 'keep', query, undefined, true);
}
