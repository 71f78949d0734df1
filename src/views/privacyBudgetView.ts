import type { PrivacyBudgetSummary } from '@aws-sdk/client-cleanrooms';
import type { Conformed } from '../aws/conform';
import type { CleanRoomsFailure } from '../aws/errors';
import { t } from '../util/l10n';
import { visibleText, withoutCodeMarks } from '../util/text';
import { Aside, text, time } from './membershipView';
import type { ViewRow, ViewSection, ViewValue } from './protocol';

/**
 * The membership panel's "Privacy budgets" section (ListPrivacyBudgets, DIFFERENTIAL_PRIVACY).
 * Shown only when the membership has a budget, or when listing them failed for a reason other
 * than access: every panel lists them, most collaborations use no differential privacy, and a
 * user without that permission would see a failure on each. Free of `vscode`.
 */

export type BudgetsState = { readonly kind: 'loaded'; readonly budgets: readonly Conformed<PrivacyBudgetSummary>[] } | { readonly kind: 'failed'; readonly failure: CleanRoomsFailure };

export function budgetsSection(state: BudgetsState): ViewSection | undefined {
  const title = t('Privacy budgets');
  if (state.kind === 'failed') {
    const f = state.failure;
    if (f.kind === 'accessDenied') {
      return undefined;
    }
    return { title, rows: [{ label: t('Could not list them'), value: { kind: 'text', text: visibleText(`${f.title}${f.message ? `: ${f.message}` : ''}. ${withoutCodeMarks(f.nextStep)}`) } }] };
  }
  if (state.budgets.length === 0) {
    return undefined;
  }
  if (state.budgets.length === 1) {
    return { title, rows: budgetRows(state.budgets[0]) };
  }
  return {
    title,
    rows: state.budgets.map((b, i) => ({ label: b.privacyBudgetTemplateId ? visibleText(b.privacyBudgetTemplateId) : t('Budget {0}', i + 1), value: { kind: 'fields', rows: budgetRows(b) } })),
  };
}

/** "87 of 100" remaining: how a count of aggregations reads. */
export function remainingText(remaining: number | undefined, max: number | undefined): string {
  if (remaining === undefined) {
    return max === undefined ? t('not given') : t('? of {0}', max);
  }
  return max === undefined ? String(remaining) : t('{0} of {1}', remaining, max);
}

/** The share of the budget already spent: the most spent of any aggregation type (they draw on one epsilon). */
export function utilityUsedPercent(budget: PrivacyBudgetSummary): number | undefined {
  const shares = (budget.budget?.differentialPrivacy?.aggregations ?? [])
    .filter((a) => a.maxCount !== undefined && a.maxCount > 0 && a.remainingCount !== undefined)
    .map((a) => ((a.maxCount ?? 0) - (a.remainingCount ?? 0)) / (a.maxCount ?? 1));
  return shares.length === 0 ? undefined : Math.round(Math.min(1, Math.max(0, ...shares)) * 100);
}

function budgetRows(b: Conformed<PrivacyBudgetSummary>): ViewRow[] {
  const aside = new Aside(b);
  const rows: ViewRow[] = [];
  const dp = b.budget?.differentialPrivacy;
  for (const a of dp?.aggregations ?? []) {
    rows.push({ label: t('{0} aggregations remaining', visibleText((a.type ?? '?').replace(/_/g, ' '))), value: { kind: 'text', text: remainingText(a.remainingCount, a.maxCount) } });
  }
  if (dp) {
    rows.push({ label: t('Epsilon'), value: text(dp.epsilon === undefined ? undefined : String(dp.epsilon), aside.at('budget.differentialPrivacy.epsilon')) });
    const used = utilityUsedPercent(b);
    rows.push({ label: t('Utility used'), value: used === undefined ? { kind: 'notSet' } : { kind: 'text', text: t('{0} %', used) } });
  }
  const refresh = b.budget?.accessBudget?.details?.find((d) => d.autoRefresh)?.autoRefresh;
  rows.push({ label: t('Refresh policy'), value: refreshValue(refresh) });
  rows.push({ label: t('Updated'), value: time(b.updateTime, 'updateTime', aside.at('updateTime')) });
  rows.push({ label: t('Budget template'), value: text(b.privacyBudgetTemplateId, aside.at('privacyBudgetTemplateId'), { mono: true, copy: true }) });
  rows.push(...aside.rest());
  return rows;
}

function refreshValue(refresh: string | undefined): ViewValue {
  // A differential-privacy budget's refresh is a setting of its template, which ListPrivacyBudgets does not return.
  return refresh === undefined ? { kind: 'notSet', hint: t('Set by the privacy budget template.') } : { kind: 'text', text: visibleText(refresh.replace(/_/g, ' ')) };
}
