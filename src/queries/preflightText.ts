import type { DifferentialPrivacyAggregationType, PrivacyBudgetSummary, PrivacyImpact } from '@aws-sdk/client-cleanrooms';
import type { Conformed } from '../aws/conform';
import type { SqlFinding } from '../sql/findings';
import { t } from '../util/l10n';
import { cleanText } from '../util/text';

/**
 * The run confirmation's pre-flight lines, as text: the rule warnings and the privacy impact.
 * Free of `vscode` (unit-tested); src/queries/preflight.ts gathers what they say.
 */

/** Warnings listed one by one; the rest are counted. */
export const MAX_LISTED_WARNINGS = 5;

/** What the rule check found, or why it could not look. */
export type RulesOutcome = { readonly kind: 'checked'; readonly findings: readonly SqlFinding[] } | { readonly kind: 'notChecked'; readonly why: string };

/** The lines about the analysis rules: nothing when the check found nothing. */
export function warningLines(rules: RulesOutcome): string[] {
  if (rules.kind === 'notChecked') {
    return [cleanText(t('Rules not checked: {0}', rules.why))];
  }
  if (rules.findings.length === 0) {
    return [];
  }
  // Messages carry other accounts' names: each stays one line of the modal, so none can forge a
  // line such as who pays for the run.
  const listed = rules.findings.slice(0, MAX_LISTED_WARNINGS).map((f) => `• ${cleanText(f.message)}`);
  const more = rules.findings.length - listed.length;
  return [t('Pre-flight warnings (the service may refuse this query):'), ...listed, ...(more > 0 ? [t('and {0} more', more)] : [])];
}

/**
 * The aggregations a query's text calls, by differential-privacy type (COUNT(DISTINCT x) is
 * COUNT_DISTINCT). Counted in the text with comments and string literals left out: an estimate of
 * what the query spends, which the service computes itself.
 */
export function aggregationsIn(sql: string): Map<DifferentialPrivacyAggregationType, number> {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
  const counts = new Map<DifferentialPrivacyAggregationType, number>();
  for (const m of code.matchAll(/\b(COUNT|SUM|AVG|STDDEV)\s*\(\s*(DISTINCT\b)?/gi)) {
    const name = m[1].toUpperCase();
    const type = (name === 'COUNT' && m[2] ? 'COUNT_DISTINCT' : name) as DifferentialPrivacyAggregationType;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

/** What the privacy part of the confirmation is built from. */
export interface PrivacyFacts {
  /** The membership's DIFFERENTIAL_PRIVACY budgets. */
  readonly budgets: readonly Conformed<PrivacyBudgetSummary>[];
  /** PreviewPrivacyImpact's answer, or why there is none. */
  readonly impact: { readonly ok: true; readonly value: PrivacyImpact; readonly epsilon: number; readonly usersNoisePerQuery: number } | { readonly ok: false; readonly why: string };
  readonly sql: string;
}

/**
 * "This query would use: N of M COUNT aggregations" per type the query calls, M being what the
 * budget has left (else what the preview allows), then the preview's numbers.
 */
export function privacyLines(facts: PrivacyFacts): string[] {
  const used = aggregationsIn(facts.sql);
  const remaining = new Map<string, { remaining?: number; max?: number }>();
  for (const budget of facts.budgets) {
    for (const a of budget.budget?.differentialPrivacy?.aggregations ?? []) {
      if (a.type) {
        remaining.set(a.type, { remaining: a.remainingCount, max: a.maxCount });
      }
    }
  }
  const preview = new Map<string, number>();
  if (facts.impact.ok) {
    for (const a of facts.impact.value.differentialPrivacy?.aggregations ?? []) {
      if (a.type && a.maxCount !== undefined) {
        preview.set(a.type, a.maxCount);
      }
    }
  }
  const lines: string[] = [];
  const uses = [...used].map(([type, n]) => {
    const left = remaining.get(type);
    if (left?.remaining !== undefined) {
      return left.max !== undefined
        ? t('{0} of {1} remaining {2} aggregations (of {3})', n, left.remaining, aggregationName(type), left.max)
        : t('{0} of {1} remaining {2} aggregations', n, left.remaining, aggregationName(type));
    }
    const allowed = preview.get(type);
    return allowed !== undefined ? t('{0} of {1} {2} aggregations', n, allowed, aggregationName(type)) : t('{0} {1} aggregations', n, aggregationName(type));
  });
  lines.push(uses.length > 0 ? t('This query would use: {0}.', uses.join(', ')) : t('This query would use no differential-privacy aggregations that could be counted in its text.'));
  if (facts.impact.ok) {
    const allowed = [...preview].map(([type, max]) => `${aggregationName(type)} ${max}`);
    lines.push(
      allowed.length > 0
        ? t('Privacy impact preview (epsilon {0}, noise {1} users per query): at most {2}.', facts.impact.epsilon, facts.impact.usersNoisePerQuery, allowed.join(', '))
        : t('Privacy impact preview: the service listed no aggregations.'),
    );
  } else {
    lines.push(t('Privacy impact not available: {0}', facts.impact.why));
  }
  return lines;
}

function aggregationName(type: string): string {
  return type.replace(/_/g, ' ');
}
