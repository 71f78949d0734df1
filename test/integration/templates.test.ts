import * as assert from 'assert';
import * as vscode from 'vscode';
import { nodeFacts, nodeName } from '../../src/model/membershipStore';
import type { RunOutcome } from '../../src/queries/runFlow';
import type { TemplateViewModel, ToWebview, ViewSection, ViewValue } from '../../src/views/protocol';
import type { TemplatePanel } from '../../src/views/templatePanel';
import type { TreeElement } from '../../src/views/treeElements';
import { MEMBER_ACCOUNT_ID } from '../fakes/fixtures';
import { rulesTemplateArn } from '../fakes/schemaCatalog';
import { SCHEMA_CREATOR_ACCOUNT_ID, SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { RULES_TEMPLATE_NAMES, rulesOwnTemplateArn } from '../fakes/schemaTemplates';
import { api, ONE_PANEL_PER_RECORD, setMemberships, suiteEndpoint, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

const RULES = SCHEMA_MEMBERSHIP_IDS.rules;
/** score_distribution: model VARCHAR = churn_v2, min_score DOUBLE (required), since_date DATE = 2024-07-01. */
const SCORES = rulesTemplateArn(0);
/** top_segments_by_score: include_all BOOLEAN, threshold DECIMAL, min_value BIGINT (required), top_n INTEGER. */
const SEGMENTS = rulesTemplateArn(1);
/** dp_event_counts: its differential privacy validation is INVALID, with two reasons. */
const DP_COUNTS = rulesOwnTemplateArn(2);
/** lookalike_features: PYSPARK_1_0, artifacts in S3. */
const LOOKALIKE = rulesTemplateArn(3);

function templateView(panel: TemplatePanel): TemplateViewModel | undefined {
  const m: ToWebview | undefined = panel.lastMessage;
  return m?.type === 'template' ? m.view : undefined;
}

function section(view: TemplateViewModel, title: string): ViewSection {
  const found = view.sections.find((s) => s.title === title);
  assert.ok(found, `section ${title}`);
  return found;
}

function value(s: ViewSection, label: string): ViewValue {
  const row = s.rows.find((r) => r.label === label);
  assert.ok(row, `row ${label} of ${s.title}`);
  return row.value;
}

describe('analysis templates', function () {
  this.timeout(60_000);
  const own = suiteEndpoint({ ...ONE_PANEL_PER_RECORD, 'cleanRooms.query.confirmBeforeRun': true });
  const starts = (): Array<{ body?: unknown }> => own.endpoint.requests.filter((r) => r.operation === 'StartProtectedQuery');

  afterEach(async () => {
    const a = await api();
    a.state.panels.templates.disposeAll();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function open(arn: string): Promise<TemplatePanel> {
    const panel = await vscode.commands.executeCommand<TemplatePanel | undefined>('cleanRooms.openTemplate', { membershipId: RULES, analysisTemplateArn: arn });
    assert.ok(panel, 'a template panel opened');
    await panel.loaded;
    await waitFor('the webview drew the template', () => panel.lastRendered?.state === 'template', 60_000);
    return panel;
  }

  it("the tree's templates branch lists the collaboration's templates: format, creator when not us, parameter count", async () => {
    const a = await setMemberships([RULES]);
    const node = a.store.all[0];
    const branches = await a.tree.getChildren({ type: 'membership', key: node.key });
    const branch = branches.find((e) => e.type === 'branch' && e.branch === 'templates');
    assert.ok(branch);
    own.endpoint.resetRequests();
    const rows = await waitFor('templates listed', () => {
      const children = a.tree.getChildren(branch);
      return children.some((r: TreeElement) => r.type === 'message' && r.text === 'Loading…') ? undefined : children;
    });
    assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'ListAnalysisTemplates').length, 0, 'not only our own templates');
    assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'ListCollaborationAnalysisTemplates').length, 1);
    const items = rows.filter((r) => r.type === 'record').map((r) => a.tree.getTreeItem(r));
    const byName = new Map(items.map((i) => [String(i.label), i]));
    assert.strictEqual(byName.get(RULES_TEMPLATE_NAMES.scoreDistribution)?.description, `SQL · by ${SCHEMA_CREATOR_ACCOUNT_ID} · 3 parameters`);
    assert.strictEqual(byName.get(RULES_TEMPLATE_NAMES.topSegments)?.description, `SQL · by ${SCHEMA_CREATOR_ACCOUNT_ID} · 4 parameters`);
    assert.strictEqual(byName.get(RULES_TEMPLATE_NAMES.dpEventCounts)?.description, 'SQL · 3 parameters', `created by this membership's account ${MEMBER_ACCOUNT_ID}`);
    assert.match(String(byName.get(RULES_TEMPLATE_NAMES.lookalike)?.description), /^PYSPARK_1_0 · by /);
    assert.ok(items.every((i) => i.contextValue === 'templateRecord'));
  });

  it('the template panel shows parameters (type, default), validations (status, reasons) and a form with the defaults', async () => {
    await setMemberships([RULES]);
    const panel = await open(DP_COUNTS);
    const view = templateView(panel);
    assert.ok(view);
    assert.strictEqual(view.title, RULES_TEMPLATE_NAMES.dpEventCounts);
    assert.strictEqual(view.hasSource, true);
    const parameters = section(view, 'Parameters');
    assert.deepStrictEqual(
      parameters.rows.map((r) => r.label),
      ['label', 'from_ts', 'to_ts'],
    );
    const toTs = value(parameters, 'to_ts');
    assert.ok(toTs.kind === 'fields');
    assert.deepStrictEqual(
      toTs.rows.map((r) => (r.value.kind === 'text' ? r.value.text : r.value.kind)),
      ['TIMESTAMP', '2024-12-31 23:59:59'],
    );
    const dp = value(section(view, 'Validations'), 'DIFFERENTIAL_PRIVACY');
    assert.ok(dp.kind === 'fields');
    assert.deepStrictEqual(dp.rows[0]?.value, { kind: 'badge', text: 'Invalid', tone: 'bad' });
    const reasons = dp.rows[1]?.value;
    assert.ok(reasons?.kind === 'list' && reasons.items.length === 2 && /SUM\(value\)/.test(reasons.items[1] ?? ''));
    assert.ok(view.form);
    assert.deepStrictEqual(
      view.form.fields.map((f) => [f.name, f.input, f.value]),
      [
        ['label', 'text', 'events'],
        ['from_ts', 'timestamp', ''],
        ['to_ts', 'timestamp', '2024-12-31 23:59:59'],
      ],
    );
    assert.strictEqual(view.form.canRun, false, 'from_ts has no default: Run waits for it');
  });

  it('a PySpark template is shown read-only: its artifacts, no form, and why', async () => {
    await setMemberships([RULES]);
    const view = templateView(await open(LOOKALIKE));
    assert.ok(view);
    assert.strictEqual(view.form, undefined);
    assert.match(view.noForm ?? '', /PySpark/);
    assert.strictEqual(view.hasSource, false);
    const entry = value(section(view, 'Source'), 'Entry point');
    assert.ok(entry.kind === 'text' && entry.text.startsWith('s3://analysis-rules-code/pyspark/'));
  });

  it('Open Template SQL opens a read-only sql document named after the template', async () => {
    await setMemberships([RULES]);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cleanRooms.openTemplateSource', { membershipId: RULES, analysisTemplateArn: SCORES });
    assert.ok(editor);
    const document = editor.document;
    assert.strictEqual(document.languageId, 'sql');
    assert.strictEqual(document.uri.scheme, 'cleanrooms-template');
    assert.ok(document.uri.path.endsWith(`/${RULES_TEMPLATE_NAMES.scoreDistribution}.sql`), document.uri.path);
    assert.match(document.getText(), /WHERE model_name = :model AND score >= :min_score/);
    // Typing into it (as a person would) changes nothing: the editor is read-only.
    const before = document.getText();
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: false });
    await vscode.commands.executeCommand('cursorTop');
    await vscode.commands.executeCommand('type', { text: 'DROP TABLE x; ' });
    assert.strictEqual(document.getText(), before, 'the document is read-only');
    assert.strictEqual(document.isDirty, false);
  });

  it("Run in the form starts exactly ONE query with the template's ARN and the typed values; the confirmation lists them", async () => {
    await setMemberships([RULES]);
    const panel = await open(SCORES);
    own.endpoint.resetRequests();
    const { result, seen } = await withScriptedUi([{ button: 'Run' }], async () => (await panel.run({ min_score: '0.75' })) as RunOutcome | undefined);
    assert.ok(result, 'the run flow answered');
    assert.strictEqual(result.kind, 'ran', 'the local endpoint runs templates');
    assert.strictEqual(result.query.status, 'SUCCESS', `the template ran to the end: ${JSON.stringify(result.query.error ?? {})}`);
    assert.match(result.query.result?.output?.s3?.location ?? '', /^s3:\/\//, 'its results are in S3');
    const confirm = seen.messages.find((m) => m.modal);
    assert.ok(confirm, 'asked before running');
    assert.match(confirm.text, /Run analysis template score_distribution on .*\? It is billed/);
    assert.match(confirm.detail ?? '', /min_score = 0\.75/);
    assert.match(confirm.detail ?? '', /since_date = 2024-07-01/);
    const started = starts();
    assert.strictEqual(started.length, 1, 'one click, one start');
    assert.deepStrictEqual((started[0]?.body as { sqlParameters?: unknown }).sqlParameters, {
      analysisTemplateArn: SCORES,
      parameters: { model: 'churn_v2', min_score: '0.75', since_date: '2024-07-01' },
    });
  });

  it('sends a BIGINT at its limit exactly, and booleans and decimals as typed', async () => {
    await setMemberships([RULES]);
    own.endpoint.resetRequests();
    const { result } = await withScriptedUi([{ button: 'Run' }], () =>
      vscode.commands.executeCommand<RunOutcome>('cleanRooms.runTemplate', { membershipId: RULES, analysisTemplateArn: SEGMENTS, parameters: { min_value: '9223372036854775807', include_all: 'TRUE' } }),
    );
    assert.strictEqual(result.kind, 'ran', 'the local endpoint runs templates');
    const started = starts();
    assert.strictEqual(started.length, 1);
    assert.deepStrictEqual((started[0]?.body as { sqlParameters?: { parameters?: unknown } }).sqlParameters?.parameters, {
      include_all: 'true',
      threshold: '0.5',
      min_value: '9223372036854775807',
      top_n: '10',
    });
  });

  it('an invalid value is refused before anything is asked or started (the form and the command)', async () => {
    await setMemberships([RULES]);
    const panel = await open(SCORES);
    own.endpoint.resetRequests();
    const fromForm = await withScriptedUi([], async () => panel.run({ min_score: 'high' }));
    assert.strictEqual(fromForm.result, undefined, 'the panel refused it');
    assert.strictEqual(fromForm.seen.messages.length, 0);
    const fromCommand = await withScriptedUi([], () =>
      vscode.commands.executeCommand<RunOutcome>('cleanRooms.runTemplate', { membershipId: RULES, analysisTemplateArn: SCORES, parameters: { min_score: '0.5', since_date: '2024-02-30' } }),
    );
    assert.deepStrictEqual(fromCommand.result, { kind: 'notStarted', reason: 'template' });
    assert.ok(fromCommand.seen.messages.some((m) => m.kind === 'error' && /since_date: Expected a date as YYYY-MM-DD/.test(m.text)));
    assert.ok(!fromCommand.seen.messages.some((m) => m.modal), 'nothing asked');
    assert.strictEqual(starts().length, 0);
  });

  it('hostile template names, descriptions and defaults: shown as text, invisible characters made visible, the SQL file name made safe', async () => {
    const a = await setMemberships([SCHEMA_MEMBERSHIP_IDS.hostile]);
    const node = a.store.all[0];
    await waitFor('membership loaded', () => node && a.store.find(node.key)?.state.status === 'loaded');
    const listed = await a.state.service.listCollaborationAnalysisTemplates({ profile: 'cleanrooms-test', endpoint: own.endpoint.url, timeoutMs: 10_000 }, String(nodeFacts(node)?.collaborationId));
    assert.ok(listed.ok && listed.value.length >= 6);
    for (const t of listed.value) {
      const panel = await vscode.commands.executeCommand<TemplatePanel | undefined>('cleanRooms.openTemplate', { membershipId: SCHEMA_MEMBERSHIP_IDS.hostile, analysisTemplateArn: t.arn });
      assert.ok(panel);
      await panel.loaded;
      await waitFor('drawn', () => panel.lastRendered?.state === 'template');
      const view = templateView(panel);
      assert.ok(view);
      const raw = [...view.title].filter((c) => /\p{Cc}/u.test(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'));
      assert.deepStrictEqual(raw, [], 'no raw control or direction characters in the title');
      assert.strictEqual(view.form?.fields[0]?.value, (t.name ?? '').slice(0, 200), 'the default reaches the form as it was sent (an input value, never markup)');
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cleanRooms.openTemplateSource', { membershipId: SCHEMA_MEMBERSHIP_IDS.hostile, analysisTemplateArn: t.arn });
      assert.ok(editor);
      assert.match(editor.document.uri.path, /^\/[0-9a-f]+\/[A-Za-z0-9._-]+\.sql$/, editor.document.uri.path);
      panel.dispose();
    }
  });

  it('Run Analysis Template… from the palette: pick a membership, pick a template, its form opens', async () => {
    const a = await setMemberships([RULES]);
    await waitFor('membership loaded', () => a.store.all[0]?.state.status === 'loaded');
    const { result, seen } = await withScriptedUi([{ pick: nodeName(a.store.all[0]) }, { pick: RULES_TEMPLATE_NAMES.topSegments }], () =>
      vscode.commands.executeCommand<TemplatePanel | undefined>('cleanRooms.runTemplate'),
    );
    assert.ok(result);
    await result.loaded;
    assert.strictEqual(result.target.arn, SEGMENTS);
    const templates = seen.picks[1];
    assert.ok(templates?.items.some((i) => i.label === RULES_TEMPLATE_NAMES.lookalike && /by /.test(i.description ?? '')));
    const view = templateView(result);
    assert.strictEqual(view?.focusForm, true, 'the keyboard goes to the form');
    assert.strictEqual(view?.form?.fields.find((f) => f.name === 'include_all')?.input, 'boolean');
  });
});
