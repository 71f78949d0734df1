import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../src/queries/runFlow';
import { parseBinding } from '../../src/queries/binding';
import { splitStatements } from '../../src/queries/statements';
import { FAULT_IDS, HOSTILE_IDS, SAMPLE } from '../fakes/fixtures';
import { acceptNotification, acceptSaveDialog } from './dialogs';
import { api, config, setMemberships, suiteEndpoint, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

/** Presses Enter on the quick pick `run` opens (the first item), until it settles. */
const acceptQuickPick = acceptSaveDialog;

const RETAIL = SAMPLE.retailMedia;
/** A table of the retail sample under a custom (ANY_QUERY) rule: any query runs. */
const RETAIL_SQL = 'SELECT COUNT(*) AS visits FROM store_visits_003';

async function openSql(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content });
  return vscode.window.showTextDocument(document);
}

function run(arg?: unknown): Thenable<RunOutcome | undefined> {
  return vscode.commands.executeCommand<RunOutcome | undefined>('cleanRooms.runQuery', arg);
}

describe('queries from the editor', function () {
  this.timeout(60_000);
  const own = suiteEndpoint({ 'cleanRooms.query.confirmBeforeRun': false });
  const starts = (membershipId: string): number => own.endpoint.requests.filter((r) => r.operation === 'StartProtectedQuery' && r.membershipId === membershipId).length;

  afterEach(async () => {
    await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('query documents', () => {
    it('reads the binding of an open document (spaces and case tolerated; after a statement it is none)', async () => {
      const editor = await openSql(`-- a header\n  --  @MEMBERSHIP   ${RETAIL.id}\nSELECT 1;\n`);
      const binding = parseBinding(editor.document.getText());
      assert.strictEqual(binding.kind === 'bound' && binding.membershipId, RETAIL.id);
      assert.strictEqual(parseBinding(`SELECT 1;\n-- @membership ${RETAIL.id}\n`).kind, 'none');
    });

    it('New Query from the palette opens a bound untitled SQL document naming the collaboration and its tables', async () => {
      await setMemberships([RETAIL.id]);
      const editor = await acceptQuickPick(vscode.commands.executeCommand<vscode.TextEditor | undefined>('cleanRooms.newQuery'));
      assert.ok(editor, 'a document opened');
      const document = editor.document;
      assert.strictEqual(document.languageId, 'sql');
      assert.strictEqual(document.uri.scheme, 'untitled');
      const text = document.getText();
      const binding = parseBinding(text);
      assert.strictEqual(binding.kind === 'bound' && binding.membershipId, RETAIL.id);
      assert.match(text, /Retail Media Measurement/);
      assert.match(text, /campaign_exposures_001 \(AGGREGATION\)/);
      assert.match(text, /and more/, '137 tables: the rest are not listed');
      assert.deepStrictEqual(splitStatements(text), [], 'the header is comments only');
    });

    it('New Query from a membership row binds that membership', async () => {
      const a = await setMemberships([RETAIL.id, SAMPLE.ctvReach.id]);
      const node = a.store.all.find((n) => n.entry.id === SAMPLE.ctvReach.id);
      assert.ok(node);
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cleanRooms.newQuery', { type: 'membership', key: node.key });
      const text = editor?.document.getText() ?? '';
      const binding = parseBinding(text);
      assert.strictEqual(binding.kind === 'bound' && binding.membershipId, SAMPLE.ctvReach.id);
      assert.match(text, /Connected TV Reach & Frequency/);
      assert.match(text, /dedup|store_visits/);
    });

    it('a header built from hostile names stays comments: no name ends a comment and becomes SQL', async () => {
      for (const id of [HOSTILE_IDS[11], HOSTILE_IDS[13]]) {
        const a = await setMemberships([id]);
        const node = a.store.all[0];
        const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('cleanRooms.newQuery', { type: 'membership', key: node.key });
        const text = editor?.document.getText() ?? '';
        assert.ok(text.length > 0);
        for (let i = 0; i < (editor?.document.lineCount ?? 0); i++) {
          const line = editor?.document.lineAt(i).text ?? '';
          assert.ok(line === '' || line.startsWith('--'), `line ${i} is a comment: ${JSON.stringify(line)}`);
        }
        assert.deepStrictEqual(splitStatements(text), []);
        assert.strictEqual(parseBinding(text).kind, 'bound');
      }
    });

    it('shows a Run CodeLens above each statement of a bound document, and none in an unbound one', async () => {
      const bound = await openSql(`-- @membership ${RETAIL.id}\nSELECT 1;\n\n-- two\nSELECT 'a;b'\nFROM t;\nSELECT 3`);
      const lenses = await waitFor('code lenses', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', bound.document.uri);
        return found.filter((l) => l.command?.command === 'cleanRooms.runQuery').length === 3 && found;
      });
      assert.deepStrictEqual(
        lenses.map((l) => l.range.start.line),
        [1, 4, 6],
      );
      const unbound = await openSql('SELECT 1;\nSELECT 2;');
      const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', unbound.document.uri);
      assert.strictEqual(none.filter((l) => l.command?.command === 'cleanRooms.runQuery').length, 0);
    });
  });

  describe('running', () => {
    it('Run from the CodeLens starts exactly one query with that statement and the default result location', async () => {
      await setMemberships([RETAIL.id]);
      const editor = await openSql(`-- @membership ${RETAIL.id}\nSELECT 1;\n${RETAIL_SQL};\n`);
      const lenses = await waitFor('code lenses', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
        return found.length === 2 && found;
      });
      own.endpoint.resetRequests();
      const lens = lenses[1].command;
      assert.ok(lens);
      const outcome = await vscode.commands.executeCommand<RunOutcome>(lens.command, ...(lens.arguments ?? []));
      assert.strictEqual(outcome.kind, 'ran');
      assert.strictEqual(outcome.kind === 'ran' && outcome.query.status, 'SUCCESS');
      assert.strictEqual(starts(RETAIL.id), 1);
      const started = own.endpoint.startedQueries(RETAIL.id)[0];
      assert.strictEqual(started.sqlParameters?.queryString, RETAIL_SQL);
      assert.deepStrictEqual(started.resultConfiguration?.outputConfiguration.s3, RETAIL.defaultResultConfiguration?.outputConfiguration.s3);
      assert.strictEqual(started.computeConfiguration, undefined, 'no worker settings on the CLEAN_ROOMS_SQL engine');
    });

    it('Run Query runs the selection, else the statement under the cursor, once each', async () => {
      await setMemberships([RETAIL.id]);
      const text = `-- @membership ${RETAIL.id}\nSELECT COUNT(*) AS n FROM store_visits_003;\n${RETAIL_SQL}\n`;
      const editor = await openSql(text);
      const second = text.indexOf(RETAIL_SQL);
      editor.selection = new vscode.Selection(editor.document.positionAt(second + 3), editor.document.positionAt(second + 3));
      own.endpoint.resetRequests();
      let outcome = await run();
      assert.strictEqual(outcome?.kind, 'ran');
      assert.strictEqual(own.endpoint.startedQueries(RETAIL.id)[0].sqlParameters?.queryString, RETAIL_SQL);
      const first = text.indexOf('SELECT COUNT(*) AS n');
      editor.selection = new vscode.Selection(editor.document.positionAt(first), editor.document.positionAt(first + 'SELECT COUNT(*) AS n FROM store_visits_003'.length));
      outcome = await run();
      assert.strictEqual(outcome?.kind, 'ran');
      assert.strictEqual(own.endpoint.startedQueries(RETAIL.id)[0].sqlParameters?.queryString, 'SELECT COUNT(*) AS n FROM store_visits_003');
      assert.strictEqual(starts(RETAIL.id), 2);
    });

    it('Run in an unbound document asks which membership, runs once, and offers to bind the document', async () => {
      await setMemberships([RETAIL.id]);
      const editor = await openSql(`${RETAIL_SQL}\n`);
      own.endpoint.resetRequests();
      const outcome = await acceptQuickPick(run());
      assert.strictEqual(outcome?.kind, 'ran');
      assert.strictEqual(starts(RETAIL.id), 1);
      await acceptNotification(waitFor('the document bound', () => parseBinding(editor.document.getText()).kind === 'bound'));
      const binding = parseBinding(editor.document.getText());
      assert.strictEqual(binding.kind === 'bound' && binding.membershipId, RETAIL.id);
      assert.ok(editor.document.getText().endsWith(`${RETAIL_SQL}\n`), 'the statement is kept below the binding');
    });

    it('Change Query Membership rewrites the binding line in place', async () => {
      await setMemberships([RETAIL.id, SAMPLE.ctvReach.id]);
      const editor = await openSql(`-- notes\n-- @membership ${RETAIL.id}\nSELECT 1;\n`);
      const bound = await vscode.commands.executeCommand<string | undefined>('cleanRooms.changeQueryBinding', SAMPLE.ctvReach.id);
      assert.strictEqual(bound, SAMPLE.ctvReach.id);
      assert.strictEqual(editor.document.getText(), `-- notes\n-- @membership ${SAMPLE.ctvReach.id}\nSELECT 1;\n`);
    });

    it('a second Run while the first is being started does nothing: one click, one query', async () => {
      await setMemberships([RETAIL.id]);
      own.endpoint.resetRequests();
      const [a, b] = await Promise.all([run({ membershipId: RETAIL.id, sql: RETAIL_SQL }), run({ membershipId: RETAIL.id, sql: RETAIL_SQL })]);
      assert.deepStrictEqual([a?.kind, b?.kind].sort(), ['busy', 'ran']);
      assert.strictEqual(starts(RETAIL.id), 1);
    });

    it('the same run again while its query has only just started (a held Ctrl+Enter) starts nothing', async () => {
      // A query that keeps running (the fault membership's queries never finish), as real ones do for minutes.
      const id = FAULT_IDS.queryTimeout;
      const sql = 'SELECT COUNT(*) AS visits FROM store_visits';
      await setMemberships([id]);
      own.endpoint.resetRequests();
      const first = run({ membershipId: id, sql });
      // Followed once its status is polled: the start has answered.
      await waitFor('the run is being followed', () => own.endpoint.requests.some((r) => r.operation === 'GetProtectedQuery' && r.membershipId === id));
      const repeat = await run({ membershipId: id, sql });
      assert.strictEqual(repeat?.kind, 'busy');
      assert.strictEqual(starts(id), 1);
      const queryId = own.endpoint.startedQueries(id)[0].id;
      assert.ok(await vscode.commands.executeCommand('cleanRooms.cancelQuery', { membershipId: id, queryId }));
      const outcome = await first;
      assert.strictEqual(outcome?.kind, 'ran');
      assert.strictEqual(starts(id), 1);
    });

    it('asks before running while confirmBeforeRun is on, and starts nothing without an answer', async () => {
      await setMemberships([RETAIL.id]);
      await config().update('query.confirmBeforeRun', true, vscode.ConfigurationTarget.Global);
      try {
        await waitFor('the setting applied', async () => (await api()).state.settings.query.confirmBeforeRun);
        own.endpoint.resetRequests();
        // The extension-test workbench refuses modal dialogs and names the one refused: the run
        // asked, and without a "Run" nothing was started.
        await assert.rejects(Promise.resolve(run({ membershipId: RETAIL.id, sql: RETAIL_SQL })), /refused to show dialog in tests.*Run this query on Retail Media Measurement\? It is billed/);
        assert.strictEqual(starts(RETAIL.id), 0);
        // The refusal released the one-click guard: the next run is not "busy".
        await assert.rejects(Promise.resolve(run({ membershipId: RETAIL.id, sql: RETAIL_SQL })), /refused to show dialog/);
      } finally {
        await config().update('query.confirmBeforeRun', false, vscode.ConfigurationTarget.Global);
      }
    });

    it('sends the worker settings on the Spark engine only', async () => {
      await setMemberships([SAMPLE.clinicalTrials.id, RETAIL.id]);
      await config().update('query.workerType', 'CR.1X', vscode.ConfigurationTarget.Global);
      await config().update('query.workerCount', 4, vscode.ConfigurationTarget.Global);
      try {
        await waitFor('worker settings applied', async () => (await api()).state.settings.query.workerCount === 4);
        const spark = await run({ membershipId: SAMPLE.clinicalTrials.id, sql: 'SELECT COUNT(*) AS n FROM store_visits' });
        assert.strictEqual(spark?.kind, 'ran');
        assert.deepStrictEqual(own.endpoint.startedQueries(SAMPLE.clinicalTrials.id)[0].computeConfiguration, { worker: { type: 'CR.1X', number: 4 } });
        const sql = await run({ membershipId: RETAIL.id, sql: RETAIL_SQL });
        assert.strictEqual(sql?.kind, 'ran');
        assert.strictEqual(own.endpoint.startedQueries(RETAIL.id)[0].computeConfiguration, undefined);
      } finally {
        await config().update('query.workerType', undefined, vscode.ConfigurationTarget.Global);
        await config().update('query.workerCount', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it("shows an analysis rule violation's message from the FAILED query (the pre-flight warned first: running anyway is allowed)", async () => {
      await setMemberships([RETAIL.id]);
      // confirmBeforeRun is off in this suite, but a query with pre-flight warnings still asks.
      const { result: outcome, seen } = await withScriptedUi([{ button: 'Run' }], () => run({ membershipId: RETAIL.id, sql: 'SELECT hashed_email FROM campaign_exposures_001' }));
      const asked = seen.messages.find((m) => m.modal);
      assert.ok(asked, 'asked because of the warning');
      assert.match(asked.detail ?? '', /Pre-flight warnings[\s\S]*hashed_email/);
      assert.strictEqual(outcome?.kind, 'ran');
      assert.ok(outcome?.kind === 'ran');
      assert.strictEqual(outcome.query.status, 'FAILED');
      assert.match(outcome.query.error?.message ?? '', /hashed_email.*JOIN ON/);
    });

    it('sends the results to a member who can receive them when this membership cannot', async () => {
      const sandbox = SAMPLE.travelSandbox;
      await setMemberships([sandbox.id]);
      own.endpoint.resetRequests();
      const outcome = await run({ membershipId: sandbox.id, sql: 'SELECT 1 AS one' });
      assert.strictEqual(outcome?.kind, 'ran');
      assert.strictEqual(starts(sandbox.id), 1);
      assert.deepStrictEqual(own.endpoint.startedQueries(sandbox.id)[0].resultConfiguration?.outputConfiguration, { member: { accountId: sandbox.collaborationCreatorAccountId } });
      assert.ok(outcome?.kind === 'ran' && outcome.query.result?.output && 'memberList' in outcome.query.result.output);
    });

    it('offers to set a default result location when there is none, before anything is sent', async () => {
      const { defaultResultConfiguration: _dropped, ...withoutDefault } = SAMPLE.ctvReach;
      void _dropped;
      own.endpoint.addMemberships([withoutDefault]);
      await setMemberships([SAMPLE.ctvReach.id]);
      own.endpoint.resetRequests();
      await assert.rejects(Promise.resolve(run({ membershipId: SAMPLE.ctvReach.id, sql: 'SELECT 1 AS one' })), /refused to show dialog in tests.*has no default result location/);
      assert.strictEqual(starts(SAMPLE.ctvReach.id), 0);
      assert.ok(!own.endpoint.requests.some((r) => r.operation === 'UpdateMembership'), 'nothing changed without confirmation');
    });
  });

  describe('faults', () => {
    it('a quota refusal is a clear outcome, and the start is not retried', async () => {
      await setMemberships([FAULT_IDS.queryQuota]);
      own.endpoint.resetRequests();
      const outcome = await run({ membershipId: FAULT_IDS.queryQuota, sql: 'SELECT COUNT(*) AS n FROM store_visits' });
      assert.strictEqual(outcome?.kind, 'refused');
      assert.strictEqual(outcome?.kind === 'refused' && outcome.failure.kind, 'quotaExceeded');
      assert.strictEqual(starts(FAULT_IDS.queryQuota), 1);
    });

    it('a 500 after the start: no second start; the started query is found and followed to its end', async () => {
      await setMemberships([FAULT_IDS.startInternalError]);
      own.endpoint.resetRequests();
      const sql = 'SELECT COUNT(*) AS n FROM store_visits';
      const outcome = await run({ membershipId: FAULT_IDS.startInternalError, sql });
      assert.strictEqual(outcome?.kind, 'ran');
      assert.ok(outcome?.kind === 'ran');
      assert.strictEqual(outcome.found, true);
      assert.strictEqual(outcome.query.id, own.endpoint.startedQueries(FAULT_IDS.startInternalError)[0].id);
      assert.strictEqual(outcome.query.status, 'SUCCESS');
      assert.strictEqual(starts(FAULT_IDS.startInternalError), 1);
      assert.ok(own.endpoint.requests.some((r) => r.operation === 'ListProtectedQueries' && r.membershipId === FAULT_IDS.startInternalError));
    });

    it('a start whose answer times out: no second start; the query is looked for and found', async () => {
      await setMemberships([FAULT_IDS.startSlow]);
      await config().update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
      await waitFor('timeout applied', async () => (await api()).state.settings.requestTimeoutMs === 1000);
      own.endpoint.resetRequests();
      const outcome = await run({ membershipId: FAULT_IDS.startSlow, sql: 'SELECT COUNT(*) AS n FROM store_visits' });
      assert.strictEqual(outcome?.kind, 'ran');
      assert.strictEqual(outcome?.kind === 'ran' && outcome.found, true);
      assert.strictEqual(starts(FAULT_IDS.startSlow), 1);
    });

    it('Cancel Query cancels a running query; the run ends CANCELLED', async () => {
      await setMemberships([FAULT_IDS.queryTimeout]);
      const running = run({ membershipId: FAULT_IDS.queryTimeout, sql: 'SELECT COUNT(*) AS n FROM store_visits' });
      const started = await waitFor('the query started', () => own.endpoint.startedQueries(FAULT_IDS.queryTimeout).find((q) => q.status === 'STARTED'));
      const sent = await vscode.commands.executeCommand<boolean>('cleanRooms.cancelQuery', { membershipId: FAULT_IDS.queryTimeout, queryId: started.id });
      assert.strictEqual(sent, true);
      const outcome = await running;
      assert.strictEqual(outcome?.kind === 'ran' && outcome.query.status, 'CANCELLED');
      assert.ok(own.endpoint.requests.some((r) => r.operation === 'UpdateProtectedQuery' && r.membershipId === FAULT_IDS.queryTimeout));
    });
  });
});
