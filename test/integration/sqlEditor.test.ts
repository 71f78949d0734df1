import * as assert from 'assert';
import * as vscode from 'vscode';
import { bindingComment } from '../../src/queries/binding';
import { FAULT_IDS } from '../fakes/fixtures';
import { RULES_TABLES, SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { setMemberships, suiteEndpoint, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

const RULES = SCHEMA_MEMBERSHIP_IDS.rules;
const SOURCE = 'Clean Rooms';

async function openBound(body: string, membershipId: string = RULES): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: `${bindingComment(membershipId)}\n${body}` });
  return vscode.window.showTextDocument(document);
}

const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
const insertOf = (item: vscode.CompletionItem): string => (typeof item.insertText === 'string' ? item.insertText : (item.insertText?.value ?? labelOf(item)));

/** Our completion items at `position` (other providers' word completions left out). */
async function completions(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items.filter((i) => i.kind !== vscode.CompletionItemKind.Text);
}

/** Waits until the membership's tables are loaded (the first look starts the one load) and returns the completions then. */
async function loadedCompletions(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  return waitFor('the catalog loaded', async () => {
    const items = await completions(document, position);
    return items.length > 0 ? items : undefined;
  }, 20_000);
}

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    // appendText escapes spaces and markdown characters: read it as the user does.
    .replace(/&nbsp;/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

const ours = (document: vscode.TextDocument): vscode.Diagnostic[] => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === SOURCE);

const endOf = (document: vscode.TextDocument): vscode.Position => document.positionAt(document.getText().length);
const after = (document: vscode.TextDocument, marker: string): vscode.Position => document.positionAt(document.getText().indexOf(marker) + marker.length);

describe('SQL editor: completion, hover, pre-flight diagnostics and example queries', function () {
  this.timeout(90_000);
  const own = suiteEndpoint();

  beforeEach(async () => {
    await setMemberships([RULES]);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('completes table names after FROM (double-quoted when needed, rule type as detail) and columns after an alias', async () => {
    const editor = await openBound('SELECT 1 FROM ');
    const tables = await loadedCompletions(editor.document, endOf(editor.document));
    const byLabel = new Map(tables.map((i) => [labelOf(i), i]));
    assert.ok(byLabel.has(RULES_TABLES.aggregation), [...byLabel.keys()].join(', '));
    assert.strictEqual(insertOf(byLabel.get(RULES_TABLES.quoted)!), `"${RULES_TABLES.quoted}"`);
    assert.strictEqual(insertOf(byLabel.get(RULES_TABLES.reserved)!), `"${RULES_TABLES.reserved}"`);
    assert.strictEqual(byLabel.get(RULES_TABLES.aggregation)?.detail, 'Aggregation');
    assert.strictEqual(byLabel.get(RULES_TABLES.list)?.detail, 'List');

    await editor.edit((b) => b.replace(new vscode.Range(new vscode.Position(1, 0), endOf(editor.document)), `SELECT i. FROM ${RULES_TABLES.aggregation} i JOIN ${RULES_TABLES.aggregationJoin} p ON i.hashed_email = p.hashed_email`));
    const columns = (await completions(editor.document, after(editor.document, 'SELECT i.'))).map(labelOf);
    assert.ok(columns.includes('campaign_id') && columns.includes('device_id'), columns.join(', '));
    assert.ok(!columns.includes('category'), 'the columns of the other table are not offered');
    const functions = (await completions(editor.document, new vscode.Position(1, 'SELECT '.length))).filter((i) => i.kind === vscode.CompletionItemKind.Function).map(labelOf);
    assert.ok(functions.includes('COUNT(DISTINCT ...)') && functions.includes('COALESCE'), functions.join(', '));
  });

  it("hovers show a table's rule, creator and description, and what the rule allows for a column", async () => {
    const editor = await openBound(`SELECT i.spend FROM ${RULES_TABLES.aggregation} i`);
    await loadedCompletions(editor.document, endOf(editor.document));
    const table = await hoverText(editor.document, after(editor.document, `FROM ${RULES_TABLES.aggregation.slice(0, 3)}`));
    assert.match(table, /analysis rule: Aggregation/);
    assert.match(table, /Ad impressions by campaign/);
    assert.match(table, /615243987001/);
    const column = await hoverText(editor.document, after(editor.document, 'i.sp'));
    assert.match(column, /aggregate: SUM, AVG/);
  });

  it('warns about a query the rules forbid, before running; a quick fix applies', async () => {
    const editor = await openBound(`SELECT * FROM ${RULES_TABLES.list};\nSELECT hashed_email, COUNT(DISTINCT device_id) FROM ${RULES_TABLES.aggregation} GROUP BY hashed_email;\n`);
    const document = editor.document;
    const warnings = await waitFor('pre-flight warnings', () => (ours(document).length >= 1 ? ours(document) : undefined), 30_000);
    assert.ok(warnings.every((d) => d.severity === vscode.DiagnosticSeverity.Warning && typeof d.code === 'string'));
    const codes = new Set(warnings.map((d) => String(d.code)));
    assert.ok(codes.has('selectStar'), [...codes].join(', '));
    let fixed = false;
    for (const diagnostic of warnings) {
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      // The command returns the actions without their diagnostics: ours are the quick fixes with an edit.
      const fix = actions.find((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined && a.kind?.value === vscode.CodeActionKind.QuickFix.value);
      if (fix?.edit) {
        const before = ours(document).length;
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        await waitFor('the fixed warning gone', () => ours(document).length < before, 10_000);
        fixed = true;
        break;
      }
    }
    assert.ok(fixed, 'at least one warning offers a quick fix');
  });

  it('Insert Example Query inserts a query the rules allow: it gets no warning', async () => {
    const editor = await openBound(`SELECT * FROM ${RULES_TABLES.list}`);
    const document = editor.document;
    await waitFor('the warning on the first statement', () => ours(document).length > 0, 30_000);
    editor.selection = new vscode.Selection(endOf(document), endOf(document));
    const sql = await vscode.commands.executeCommand<string | undefined>('cleanRooms.insertExampleQuery', RULES_TABLES.aggregation);
    assert.ok(sql && /COUNT\(DISTINCT/.test(sql) && /GROUP BY/.test(sql), sql);
    const text = document.getText();
    assert.ok(text.includes(`${RULES_TABLES.list};`), 'the statement before got its semicolon');
    const insertedLine = document.positionAt(text.indexOf(sql)).line;
    // Settled: the first statement is still warned about, the example not.
    await new Promise((r) => setTimeout(r, 1000));
    await waitFor('the check ran on the new text', () => ours(document).length > 0, 10_000);
    assert.deepStrictEqual(
      ours(document).filter((d) => d.range.start.line >= insertedLine).map((d) => d.message),
      [],
    );
  });

  it('Insert Example Query from the palette asks which table when there are several, and inserts a list query for a list table', async () => {
    const editor = await openBound('');
    const { result, seen } = await withScriptedUi([{ pick: RULES_TABLES.list }], () => vscode.commands.executeCommand<string | undefined>('cleanRooms.insertExampleQuery'));
    assert.ok(editor.document.getText().includes(`\n${result};`), 'inserted on lines of its own, as a statement');
    assert.match(result ?? '', /^SELECT DISTINCT [\s\S]*FROM customer_list\nLIMIT 100$/);
    const offered = seen.picks[0]?.items.map((i) => i.label) ?? [];
    assert.ok(offered.includes(RULES_TABLES.quoted) && !offered.includes(RULES_TABLES.templatesOnly) && !offered.includes(RULES_TABLES.notReady), offered.join(', '));
  });

  it('a membership whose tables cannot be loaded: one quiet Information on the binding line, no completion', async () => {
    const editor = await openBound(`SELECT * FROM ${RULES_TABLES.list}`, FAULT_IDS.accessDenied);
    const document = editor.document;
    const shown = await waitFor('the information', () => (ours(document).length > 0 ? ours(document) : undefined), 20_000);
    assert.deepStrictEqual(
      shown.map((d) => [d.severity, d.range.start.line]),
      [[vscode.DiagnosticSeverity.Information, 0]],
    );
    assert.deepStrictEqual(await completions(document, endOf(document)), []);
  });

  it('makes 0 API calls while typing 50 characters (completion, hover and diagnostics read the cache)', async () => {
    const editor = await openBound('SELECT ');
    const document = editor.document;
    await loadedCompletions(document, endOf(document));
    await new Promise((r) => setTimeout(r, 500));
    const before = own.endpoint.requests.length;
    const typed = `c.city, c.state FROM ${RULES_TABLES.list} c WHERE c.city = 'x'`.padEnd(50, ' ').slice(0, 50);
    for (const ch of typed) {
      await editor.edit((b) => b.insert(endOf(document), ch));
      await completions(document, endOf(document));
      await hoverText(document, new vscode.Position(1, 2));
    }
    // Past the diagnostics' debounce, so their checks ran too.
    await new Promise((r) => setTimeout(r, 800));
    const made = own.endpoint.requests.slice(before).map((r) => r.operation);
    assert.deepStrictEqual(made, []);
  });
});
