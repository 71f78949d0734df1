import type { PrivacyBudgetSummary } from '@aws-sdk/client-cleanrooms';
import type { CleanRoomsService, Result } from '../aws/cleanRoomsService';
import type { ConnectionRequest } from '../aws/clientFactory';
import type { Conformed } from '../aws/conform';
import type { SchemaState, SchemaStore } from '../model/schemaStore';
import { analyzeStatement } from '../sql/analyze';
import type { Catalog } from '../sql/catalog';
import { t } from '../util/l10n';
import { privacyLines, warningLines, type PrivacyFacts, type RulesOutcome } from './preflightText';

/**
 * What the run confirmation says before a SQL start: the pre-flight rule warnings and, where the
 * collaboration uses differential privacy, what the query would spend. Read-only calls, each
 * bounded by a short deadline: a slow answer costs the confirmation a line, never the run.
 * Free of `vscode`.
 */

/** How long the confirmation waits for the tables' rules (they keep loading for later). */
export const RULES_DEADLINE_MS = 3000;

/**
 * The noise PreviewPrivacyImpact is asked about. The budget's template sets the real value and no
 * call we make reads it, so the preview is asked at the API's middle ground and says so.
 */
export const PREVIEW_USERS_NOISE = 30;

export interface PreflightDeps {
  readonly schemas: Pick<SchemaStore, 'get' | 'load'>;
  readonly service: Pick<CleanRoomsService, 'listPrivacyBudgets' | 'previewPrivacyImpact'>;
}

export interface PreflightTarget {
  readonly request: ConnectionRequest;
  readonly membershipId: string;
  readonly collaborationId: string | undefined;
  readonly sql: string;
}

export interface Preflight {
  readonly rules: RulesOutcome;
  /** Lines for the confirmation's detail (empty: nothing to say). */
  readonly lines: readonly string[];
  /** The check found something the service may refuse: worth a click even when confirmations are off. */
  readonly hasWarnings: boolean;
}

/** When the confirmation reads the privacy budgets and asks for the privacy preview. */
export interface PreflightOptions {
  /**
   * 'always': the confirmation is shown anyway; budgets are asked for beside the rules.
   * 'ifWarnings': it is shown only for a rule warning (confirmations off); a clean query asks
   * nothing more, so the run does not wait on calls whose lines nobody would see.
   */
  readonly privacy: 'always' | 'ifWarnings';
  readonly deadlineMs?: number;
}

/**
 * Never throws: the check is advice, and a failure in it (a bug, a logger that throws) must not
 * stop a run the user asked for. It then says the rules were not checked.
 */
export async function preflight(deps: PreflightDeps, target: PreflightTarget, options: PreflightOptions = { privacy: 'always' }): Promise<Preflight> {
  try {
    return await check(deps, target, options.privacy, options.deadlineMs ?? RULES_DEADLINE_MS);
  } catch {
    const rules: RulesOutcome = { kind: 'notChecked', why: t('the check failed') };
    return { rules, lines: warningLines(rules), hasWarnings: false };
  }
}

async function check(deps: PreflightDeps, target: PreflightTarget, privacy: PreflightOptions['privacy'], deadlineMs: number): Promise<Preflight> {
  // Asked at once, beside the rules, when they will be shown anyway: the two waits overlap.
  const early = privacy === 'always' ? listBudgets(deps, target, deadlineMs) : undefined;
  // Awaited only after the rules: a throw there must not leave this rejection unhandled.
  early?.catch(() => undefined);
  const catalog = await catalogFor(deps.schemas, target, deadlineMs);
  let rules: RulesOutcome;
  if ('why' in catalog) {
    rules = { kind: 'notChecked', why: catalog.why };
  } else if (catalog.catalog.tables.length === 0) {
    // Nothing to check against: every table would be "unknown", which says nothing useful.
    rules = { kind: 'notChecked', why: t('the collaboration lists no tables') };
  } else {
    const checked = await analyzeStatement(target.sql, catalog.catalog);
    rules = { kind: 'checked', findings: checked.findings };
  }
  const lines = warningLines(rules);
  const hasWarnings = rules.kind === 'checked' && rules.findings.length > 0;
  if (privacy === 'always' || hasWarnings) {
    lines.push(...(await privacyFor(deps, target, early ?? listBudgets(deps, target, deadlineMs), 'catalog' in catalog ? catalog.catalog : undefined, deadlineMs)));
  }
  return { rules, lines, hasWarnings };
}

/** ListPrivacyBudgets (differential privacy), or 'timeout' past the deadline. */
type Budgets = Promise<Result<Conformed<PrivacyBudgetSummary>[]> | 'timeout'>;

function listBudgets(deps: PreflightDeps, target: PreflightTarget, deadlineMs: number): Budgets {
  return withDeadline(deps.service.listPrivacyBudgets(target.request, target.membershipId, 'DIFFERENTIAL_PRIVACY'), deadlineMs);
}

/** The privacy lines; none when they cannot be had (the rule lines stand on their own). */
async function privacyFor(
  deps: PreflightDeps,
  target: PreflightTarget,
  budgets: Budgets,
  catalog: Catalog | undefined,
  deadlineMs: number,
): Promise<string[]> {
  try {
    const listed = await budgets;
    const dpBudgets: Conformed<PrivacyBudgetSummary>[] = listed !== 'timeout' && listed.ok ? listed.value.filter((b) => b.budget?.differentialPrivacy) : [];
    const dpTables = catalog?.tables.some((table) => table.columns.some((c) => c.differentialPrivacy)) ?? false;
    if (dpBudgets.length === 0 && !dpTables) {
      return [];
    }
    return privacyLines({ budgets: dpBudgets, impact: await previewFor(deps, target, dpBudgets, deadlineMs), sql: target.sql });
  } catch {
    return [];
  }
}

async function catalogFor(schemas: PreflightDeps['schemas'], target: PreflightTarget, deadlineMs: number): Promise<{ catalog: Catalog } | { why: string }> {
  if (!target.collaborationId) {
    return { why: t('the membership names no collaboration') };
  }
  const cached = schemas.get(target.request, target.collaborationId);
  if (cached?.status === 'loaded') {
    return { catalog: cached.schemas.catalog };
  }
  // No signal: an abort would end a load other callers (the editor) share; it finishes in the background.
  const state = await withDeadline<SchemaState>(schemas.load(target.request, target.collaborationId), deadlineMs);
  if (state === 'timeout') {
    return { why: t('the tables and their rules did not load within {0} s', Math.round(deadlineMs / 1000)) };
  }
  if (state.status === 'loaded') {
    return { catalog: state.schemas.catalog };
  }
  return { why: state.status === 'error' ? state.failure.title : t('the tables and their rules are still loading') };
}

async function previewFor(deps: PreflightDeps, target: PreflightTarget, budgets: readonly Conformed<PrivacyBudgetSummary>[], deadlineMs: number): Promise<PrivacyFacts['impact']> {
  const epsilon = budgets.map((b) => b.budget?.differentialPrivacy?.epsilon).find((e): e is number => e !== undefined);
  if (epsilon === undefined) {
    return { ok: false, why: t('the membership has no differential-privacy budget to preview against') };
  }
  const parameters = { differentialPrivacy: { epsilon, usersNoisePerQuery: PREVIEW_USERS_NOISE } };
  const result = await withDeadline(deps.service.previewPrivacyImpact(target.request, target.membershipId, parameters), deadlineMs);
  if (result === 'timeout') {
    return { ok: false, why: t('no answer within {0} s', Math.round(deadlineMs / 1000)) };
  }
  return result.ok ? { ok: true, value: result.value, epsilon, usersNoisePerQuery: PREVIEW_USERS_NOISE } : { ok: false, why: result.failure.title };
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
