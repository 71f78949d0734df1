import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conformList, conformPrivacyBudgetSummary, conformPrivacyImpact } from '../../src/aws/conform';
import type { CleanRoomsFailure } from '../../src/aws/errors';
import { aggregationsIn, MAX_LISTED_WARNINGS, privacyLines, warningLines } from '../../src/queries/preflightText';
import type { SqlFinding } from '../../src/sql/findings';
import { budgetsSection, remainingText, utilityUsedPercent } from '../../src/views/privacyBudgetView';
import type { ViewSection, ViewValue } from '../../src/views/protocol';

function must<T>(record: T | undefined): T {
  assert.ok(record);
  return record;
}

/** A DIFFERENTIAL_PRIVACY budget as ListPrivacyBudgets sends it (JSON, dates already parsed by the SDK). */
const WIRE_BUDGET = {
  id: 'pb-1',
  privacyBudgetTemplateId: 'tmpl-1',
  privacyBudgetTemplateArn: 'arn:aws:cleanrooms:us-east-1:111122223333:membership/m/privacybudgettemplate/tmpl-1',
  membershipId: 'm-1',
  membershipArn: 'arn:m',
  collaborationId: 'c-1',
  collaborationArn: 'arn:c',
  type: 'DIFFERENTIAL_PRIVACY',
  createTime: new Date(1000),
  updateTime: new Date(2000),
  budget: {
    differentialPrivacy: {
      epsilon: 3,
      aggregations: [
        { type: 'COUNT', maxCount: 100, remainingCount: 87 },
        { type: 'SUM', maxCount: 50, remainingCount: 40 },
      ],
    },
  },
};

function row(section: ViewSection | undefined, label: string): ViewValue {
  const r = section?.rows.find((x) => x.label === label);
  assert.ok(r, `row ${label} in ${JSON.stringify(section?.rows.map((x) => x.label))}`);
  return r.value;
}

function finding(i: number): SqlFinding {
  return { code: 'forbiddenOutputColumn', message: `table_${i} (aggregation rule): hashed_email is a join column; it may appear only in JOIN ... ON.`, start: 0, end: 1, table: `table_${i}` };
}

describe('privacy budgets: conforming ListPrivacyBudgets and PreviewPrivacyImpact', () => {
  it('PrivacyBudgetSummary: the differential-privacy budget conforms; values of the wrong type are set aside', () => {
    const b = must(conformPrivacyBudgetSummary({ ...WIRE_BUDGET, updateTime: 'yesterday', budget: { differentialPrivacy: { epsilon: '3', aggregations: [{ type: 'COUNT', maxCount: 100, remainingCount: 87 }, 'junk'] } } }));
    assert.equal(b.type, 'DIFFERENTIAL_PRIVACY');
    assert.equal(b.updateTime, undefined);
    assert.equal(b.budget?.differentialPrivacy?.epsilon, undefined);
    assert.deepEqual(b.budget?.differentialPrivacy?.aggregations, [{ type: 'COUNT', maxCount: 100, remainingCount: 87 }]);
    assert.deepEqual(Object.keys(b.$unexpected ?? {}).sort(), ['budget.differentialPrivacy.aggregations', 'budget.differentialPrivacy.epsilon', 'updateTime']);
  });

  it('PrivacyBudgetSummary: an access budget conforms; a budget kind this SDK does not know is kept', () => {
    const access = must(
      conformPrivacyBudgetSummary({
        id: 'pb-2',
        type: 'ACCESS_BUDGET',
        budget: { accessBudget: { resourceArn: 'arn:t', aggregateRemainingBudget: 4, details: [{ startTime: new Date(0), remainingBudget: 4, budget: 10, budgetType: 'CALENDAR_DAY', autoRefresh: 'ENABLED' }] } },
      }),
    );
    assert.equal(access.budget?.accessBudget?.details?.[0].autoRefresh, 'ENABLED');
    const unknown = must(conformPrivacyBudgetSummary({ id: 'pb-3', budget: { $unknown: ['quantumBudget', { q: 1 }] } }));
    assert.deepEqual(unknown.budget, { $unknown: ['quantumBudget', { q: 1 }] });
    assert.equal(unknown.$unexpected, undefined);
  });

  it('a list of budgets skips entries that are not records; a list that is not a list is malformed', () => {
    assert.equal(conformList([WIRE_BUDGET, 7, null], 'privacyBudgetSummaries', conformPrivacyBudgetSummary).length, 1);
    assert.throws(() => conformList({}, 'privacyBudgetSummaries', conformPrivacyBudgetSummary), /privacyBudgetSummaries in the response is not a list/);
  });

  it('PrivacyImpact: the aggregations conform; a maxCount of the wrong type is set aside', () => {
    const impact = must(conformPrivacyImpact({ differentialPrivacy: { aggregations: [{ type: 'COUNT', maxCount: 120 }, { type: 'AVG', maxCount: 'lots' }] } }));
    assert.deepEqual(impact.differentialPrivacy?.aggregations, [{ type: 'COUNT', maxCount: 120 }, { type: 'AVG' }]);
    assert.deepEqual(impact.$unexpected, { 'differentialPrivacy.aggregations[1].maxCount': 'lots' });
    assert.equal(conformPrivacyImpact('nope'), undefined);
  });
});

describe('privacy budgets in the membership panel', () => {
  it('shows remaining aggregations per type of the maximum, epsilon, utility used, refresh policy and the update time', () => {
    const section = budgetsSection({ kind: 'loaded', budgets: [must(conformPrivacyBudgetSummary(WIRE_BUDGET))] });
    assert.equal(section?.title, 'Privacy budgets');
    assert.deepEqual(row(section, 'COUNT aggregations remaining'), { kind: 'text', text: '87 of 100' });
    assert.deepEqual(row(section, 'SUM aggregations remaining'), { kind: 'text', text: '40 of 50' });
    assert.deepEqual(row(section, 'Epsilon'), { kind: 'text', text: '3', mono: undefined, copy: undefined });
    assert.deepEqual(row(section, 'Utility used'), { kind: 'text', text: '20 %' }, 'the most spent of any type: SUM 10 of 50');
    assert.equal(row(section, 'Refresh policy').kind, 'notSet');
    assert.deepEqual(row(section, 'Updated'), { kind: 'time', iso: new Date(2000).toISOString() });
  });

  it('has no section when the membership has no budget, and one saying why when listing them failed', () => {
    assert.equal(budgetsSection({ kind: 'loaded', budgets: [] }), undefined);
    const failure: CleanRoomsFailure = { kind: 'internal', title: 'AWS Clean Rooms service error', message: 'try later', nextStep: 'The service failed; retry `later`.', retryable: true };
    const section = budgetsSection({ kind: 'failed', failure });
    assert.equal(section?.title, 'Privacy budgets');
    assert.deepEqual(row(section, 'Could not list them'), { kind: 'text', text: 'AWS Clean Rooms service error: try later. The service failed; retry later.' });
  });

  it('has no section when listing them is not allowed (most collaborations use no differential privacy)', () => {
    const failure: CleanRoomsFailure = { kind: 'accessDenied', title: 'Access denied', message: 'not authorized to ListPrivacyBudgets', nextStep: 'Ask for `cleanrooms:ListPrivacyBudgets`.', retryable: false };
    assert.equal(budgetsSection({ kind: 'failed', failure }), undefined);
  });

  it('several budgets are grouped by their template; values set aside still show', () => {
    const a = must(conformPrivacyBudgetSummary(WIRE_BUDGET));
    const b = must(conformPrivacyBudgetSummary({ ...WIRE_BUDGET, privacyBudgetTemplateId: 'tmpl-2', updateTime: 'soon' }));
    const section = budgetsSection({ kind: 'loaded', budgets: [a, b] });
    assert.deepEqual(section?.rows.map((r) => r.label), ['tmpl-1', 'tmpl-2']);
    const second = section?.rows[1].value;
    assert.ok(second?.kind === 'fields');
    assert.deepEqual(second.rows.find((r) => r.label === 'Updated')?.value, { kind: 'unknown', name: 'updateTime', json: '"soon"' });
  });

  it('formats counts and the share used', () => {
    assert.equal(remainingText(87, 100), '87 of 100');
    assert.equal(remainingText(undefined, 100), '? of 100');
    assert.equal(remainingText(5, undefined), '5');
    assert.equal(utilityUsedPercent({ id: 'x', privacyBudgetTemplateId: 't', privacyBudgetTemplateArn: '', membershipId: '', membershipArn: '', collaborationId: '', collaborationArn: '', type: 'DIFFERENTIAL_PRIVACY', createTime: undefined, updateTime: undefined, budget: { differentialPrivacy: { epsilon: 1, aggregations: [] } } }), undefined);
    assert.equal(utilityUsedPercent(must(conformPrivacyBudgetSummary({ budget: { differentialPrivacy: { aggregations: [{ type: 'COUNT', maxCount: 3, remainingCount: 0 }] } } }))), 100);
  });
});

describe('the run confirmation: pre-flight warnings and privacy impact (text)', () => {
  it('says nothing about the rules when the check found nothing', () => {
    assert.deepEqual(warningLines({ kind: 'checked', findings: [] }), []);
  });

  it('lists one warning under its heading', () => {
    assert.deepEqual(warningLines({ kind: 'checked', findings: [finding(1)] }), ['Pre-flight warnings (the service may refuse this query):', `• ${finding(1).message}`]);
  });

  it('lists the first five of seven warnings and counts the rest', () => {
    const lines = warningLines({ kind: 'checked', findings: [1, 2, 3, 4, 5, 6, 7].map(finding) });
    assert.equal(MAX_LISTED_WARNINGS, 5);
    assert.equal(lines.length, 1 + 5 + 1);
    assert.equal(lines[0], 'Pre-flight warnings (the service may refuse this query):');
    assert.equal(lines[5], `• ${finding(5).message}`);
    assert.equal(lines[6], 'and 2 more');
  });

  it('says why the rules were not checked', () => {
    assert.deepEqual(warningLines({ kind: 'notChecked', why: 'the tables and their rules did not load within 3 s' }), ['Rules not checked: the tables and their rules did not load within 3 s']);
  });

  it('counts the aggregations a query calls by type, not those in comments or strings', () => {
    const used = aggregationsIn("SELECT COUNT(*), count(DISTINCT user_id), SUM(x), avg (y) -- COUNT(z)\nFROM t WHERE note = 'SUM(1)' /* STDDEV(q) */");
    assert.deepEqual(Object.fromEntries(used), { COUNT: 1, COUNT_DISTINCT: 1, SUM: 1, AVG: 1 });
  });

  it('"This query would use: N of M COUNT aggregations", from the budget, then the preview', () => {
    const budget = must(conformPrivacyBudgetSummary(WIRE_BUDGET));
    const lines = privacyLines({
      budgets: [budget],
      impact: { ok: true, value: { differentialPrivacy: { aggregations: [{ type: 'COUNT', maxCount: 120 }, { type: 'AVG', maxCount: 30 }] } }, epsilon: 3, usersNoisePerQuery: 30 },
      sql: 'SELECT COUNT(user_id), AVG(x) FROM dp_events',
    });
    assert.deepEqual(lines, [
      'This query would use: 1 of 87 remaining COUNT aggregations (of 100), 1 of 30 AVG aggregations.',
      'Privacy impact preview (epsilon 3, noise 30 users per query): at most COUNT 120, AVG 30.',
    ]);
  });

  it('says why the privacy impact is not available', () => {
    const lines = privacyLines({ budgets: [], impact: { ok: false, why: 'Access denied' }, sql: 'SELECT COUNT(*) FROM dp_events' });
    assert.deepEqual(lines, ['This query would use: 1 COUNT aggregations.', 'Privacy impact not available: Access denied']);
  });
});
