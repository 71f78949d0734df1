// Privacy budgets in the membership panel, and the run confirmation's pre-flight lines (rule
// warnings, privacy impact), against the local endpoint's rules membership.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ViewSection } from '../../src/views/protocol';
import type { RunOutcome } from '../../src/queries/runFlow';
import type { MembershipPanel } from '../../src/views/membershipPanel';
import { SAMPLE } from '../fakes/fixtures';
import { RULES_TABLES, SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { RULES_DP_BUDGET } from '../fakes/schemaTemplates';
import { api, config, ONE_PANEL_PER_RECORD, setMemberships, suiteEndpoint, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

const RULES = SCHEMA_MEMBERSHIP_IDS.rules;
const HEADING = 'Pre-flight warnings (the service may refuse this query):';
/** hashed_email is ad_impressions' join column: it may appear only in JOIN ... ON, never in the output. */
const FORBIDDEN_OUTPUT = `SELECT hashed_email FROM ${RULES_TABLES.aggregation}`;

function run(membershipId: string, sql: string): Thenable<RunOutcome | undefined> {
  return vscode.commands.executeCommand<RunOutcome | undefined>('cleanRooms.runQuery', { membershipId, sql });
}

describe('privacy budgets and pre-flight warnings', function () {
  this.timeout(60_000);
  const own = suiteEndpoint({ ...ONE_PANEL_PER_RECORD, 'cleanRooms.query.confirmBeforeRun': true });
  const starts = (): number => own.endpoint.requests.filter((r) => r.operation === 'StartProtectedQuery' && r.membershipId === RULES).length;

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function openPanel(index: number): Promise<MembershipPanel> {
    const a = await api();
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', a.tree.roots()[index])) as MembershipPanel;
    await waitFor('membership posted', () => panel.lastMessage?.type === 'membership');
    await panel.budgetsSettled();
    return panel;
  }

  function budgetSection(panel: MembershipPanel): ViewSection | undefined {
    const message = panel.lastMessage;
    return message?.type === 'membership' ? message.view.sections.find((s) => s.title === 'Privacy budgets') : undefined;
  }

  it('the membership panel of the rules membership shows its differential-privacy budget', async () => {
    await setMemberships([RULES]);
    const panel = await openPanel(0);
    const section = await waitFor('the budgets section', () => budgetSection(panel));
    const text = (label: string): string => {
      const value = section.rows.find((r) => r.label === label)?.value;
      return value?.kind === 'text' ? value.text : JSON.stringify(value);
    };
    const count = RULES_DP_BUDGET.aggregations[0];
    assert.strictEqual(text('COUNT aggregations remaining'), `${count.remainingCount} of ${count.maxCount}`);
    assert.strictEqual(text('STDDEV aggregations remaining'), '0 of 300');
    assert.strictEqual(text('Epsilon'), String(RULES_DP_BUDGET.epsilon));
    assert.strictEqual(text('Utility used'), '100 %', 'STDDEV is spent');
    assert.strictEqual(section.rows.find((r) => r.label === 'Updated')?.value.kind, 'time');
    assert.ok(own.endpoint.requests.some((r) => r.operation === 'ListPrivacyBudgets' && r.membershipId === RULES));
  });

  it('a membership without budgets has no budgets section', async () => {
    await setMemberships([SAMPLE.retailMedia.id]);
    const panel = await openPanel(0);
    assert.strictEqual(budgetSection(panel), undefined);
    assert.ok(own.endpoint.requests.some((r) => r.operation === 'ListPrivacyBudgets' && r.membershipId === SAMPLE.retailMedia.id), 'asked, and there were none');
  });

  it('the run confirmation says what a query on a differential-privacy collaboration would use, and starts only on Run', async () => {
    await setMemberships([RULES]);
    own.endpoint.resetRequests();
    const sql = `SELECT COUNT(user_id) AS users FROM ${RULES_TABLES.differentialPrivacy}`;
    const declined = await withScriptedUi([{ button: undefined }], () => run(RULES, sql));
    assert.strictEqual(declined.result?.kind, 'notStarted');
    const modal = declined.seen.messages.find((m) => m.modal);
    assert.ok(modal?.detail, 'the confirmation was shown');
    const count = RULES_DP_BUDGET.aggregations[0];
    assert.match(modal.detail, new RegExp(`This query would use: 1 of ${count.remainingCount} remaining COUNT aggregations \\(of ${count.maxCount}\\)`));
    assert.match(modal.detail, /Privacy impact preview \(epsilon 4, noise 30 users per query\): at most COUNT \d+/);
    assert.ok(own.endpoint.requests.some((r) => r.operation === 'PreviewPrivacyImpact' && r.membershipId === RULES));
    assert.strictEqual(starts(), 0, 'nothing started without Run');
  });

  it('a query with a forbidden output column shows the warning in the confirmation and starts once, when Run is chosen', async () => {
    await setMemberships([RULES]);
    own.endpoint.resetRequests();
    const declined = await withScriptedUi([{ button: undefined }], () => run(RULES, FORBIDDEN_OUTPUT));
    const detail = declined.seen.messages.find((m) => m.modal)?.detail ?? '(no confirmation)';
    assert.ok(detail.includes(HEADING), `the warnings are in the confirmation: ${detail}`);
    assert.match(detail, /hashed_email/);
    assert.strictEqual(starts(), 0);
    const accepted = await withScriptedUi([{ button: 'Run' }], () => run(RULES, FORBIDDEN_OUTPUT));
    assert.ok(accepted.result && accepted.result.kind !== 'notStarted' && accepted.result.kind !== 'busy', `ran anyway: ${accepted.result?.kind}`);
    assert.strictEqual(starts(), 1, 'one start for one Run');
  });

  it('with confirmBeforeRun off, a query with warnings still asks (one click), and one without does not', async () => {
    await setMemberships([RULES]);
    await config().update('query.confirmBeforeRun', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting applied', async () => !(await api()).state.settings.query.confirmBeforeRun);
      own.endpoint.resetRequests();
      const declined = await withScriptedUi([{ button: undefined }], () => run(RULES, FORBIDDEN_OUTPUT));
      const asked = declined.seen.messages.find((m) => m.modal);
      assert.ok(asked?.detail?.includes(HEADING), `asked because of the warning: ${asked?.detail ?? '(no confirmation)'}`);
      assert.deepStrictEqual(asked?.buttons, ['Run'], '"Don\'t Ask Again" is already in force');
      assert.strictEqual(starts(), 0);
      const clean = await withScriptedUi([], () => run(RULES, `SELECT channel, COUNT(DISTINCT hashed_email) AS people FROM ${RULES_TABLES.aggregation} GROUP BY channel`));
      assert.ok(!clean.seen.messages.some((m) => m.modal), `no warning, no question: ${clean.seen.messages.map((m) => m.detail ?? m.text).join(' | ')}`);
      assert.strictEqual(starts(), 1);
    } finally {
      await config().update('query.confirmBeforeRun', true, vscode.ConfigurationTarget.Global);
    }
  });
});
