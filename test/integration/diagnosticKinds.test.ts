import * as assert from 'assert';
import * as vscode from 'vscode';
import { bindingComment } from '../../src/queries/binding';
import type { FindingCode } from '../../src/sql/findings';
import { PREFLIGHT_CORPUS, type CorpusQuery } from '../fakes/preflightCorpus';
import { BENCH_CORPUS, RULE_CORPUS } from '../fakes/ruleCorpus';
import { SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { setMemberships, suiteEndpoint, waitFor } from './helpers';

/**
 * Every kind of pre-flight warning as a person meets it: a bound SQL document in the real editor,
 * VS Code's own diagnostics (the extension's analyzer, as packaged), and the quick fix VS Code
 * offers for it, applied. The queries come from the corpora the local endpoint also runs
 * (test/fakes/ruleCorpus.ts, preflightCorpus.ts): each fails there for the same rule.
 */
const SOURCE = 'Clean Rooms';
const ALL_CODES: readonly FindingCode[] = [
  'unknownTable', 'unknownColumn', 'tooManyTables', 'noAnalysisRule', 'templatesOnly', 'mixedRuleTypes', 'selectStar', 'forbiddenOutputColumn',
  'joinColumnOutsideJoin', 'columnNotAllowedHere', 'aggregateNotAllowed', 'missingAggregate', 'functionNotAllowed', 'joinOperatorNotAllowed', 'joinRequired',
];

const ours = (uri: vscode.Uri, code?: string): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && (code === undefined || d.code === code));

describe('pre-flight warnings of every kind in the editor, with their quick fixes', function () {
  this.timeout(240_000);
  suiteEndpoint();

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('each finding kind shows as a warning on its query; each offered quick fix applies and removes it (code | query | warning | quick fix)', async () => {
    await setMemberships([SCHEMA_MEMBERSHIP_IDS.rules, SCHEMA_MEMBERSHIP_IDS.bench]);
    const invalid = (corpus: readonly CorpusQuery[], membershipId: string) => corpus.filter((q) => q.expect !== null).map((q) => ({ q, membershipId }));
    const all = [...invalid(RULE_CORPUS, SCHEMA_MEMBERSHIP_IDS.rules), ...invalid(PREFLIGHT_CORPUS, SCHEMA_MEMBERSHIP_IDS.rules), ...invalid(BENCH_CORPUS, SCHEMA_MEMBERSHIP_IDS.bench)];
    const rows: string[][] = [];
    let fixesApplied = 0;
    for (const code of ALL_CODES) {
      const cases = all.filter((c) => c.q.expect === code);
      assert.ok(cases.length > 0, `the corpora have a query for ${code}`);
      // The first query of this kind, and one with a quick fix if any query of the kind gets one.
      let shown = false;
      for (const { q, membershipId } of cases) {
        const document = await vscode.workspace.openTextDocument({ language: 'sql', content: `${bindingComment(membershipId)}\n${q.sql};\n` });
        await vscode.window.showTextDocument(document);
        const warning = await waitFor(`${q.id}: a ${code} warning`, () => ours(document.uri, code)[0], 30_000);
        assert.strictEqual(warning.severity, vscode.DiagnosticSeverity.Warning);
        const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, warning.range, vscode.CodeActionKind.QuickFix.value);
        // The command returns actions without their diagnostics: a quick fix with an edit is ours
        // (no other provider answers for SQL here); applying it must remove a warning of this kind.
        const fix = actions.find((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined && a.kind?.value === vscode.CodeActionKind.QuickFix.value);
        let result = 'no fix (not clear)';
        if (fix?.edit) {
          const before = ours(document.uri, code).length;
          assert.ok(await vscode.workspace.applyEdit(fix.edit), `${q.id}: the quick fix applies`);
          await waitFor(`${q.id}: the fixed warning goes`, () => ours(document.uri, code).length < before, 30_000);
          result = `${fix.title} -> ${ours(document.uri, code).length} left`;
          fixesApplied++;
        }
        if (!shown || fix) {
          rows.push([code, q.id, warning.message.slice(0, 90), result]);
          shown = true;
        }
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        if (fix) {
          break;
        }
      }
    }
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 4));
    console.log(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ')).join('\n'));
    assert.ok(fixesApplied >= 4, `quick fixes applied: ${fixesApplied}`);
  });
});
