import * as vscode from 'vscode';
import { parseBinding } from '../queries/binding';
import { exampleInsertion, exampleQueries, type ExampleQuery } from '../sql/exampleQuery';
import { isQueryDocument } from '../views/queryStatusBar';
import type { SqlCatalogs } from '../views/sqlCatalog';

/**
 * "Insert Example Query": a query the analysis rules allow, built from the bound membership's
 * tables, inserted as a statement of its own at the cursor. The table is picked when there are
 * several (the argument, a table name, skips the pick). Returns the SQL inserted.
 */
export async function insertExampleQuery(catalogs: SqlCatalogs, arg?: unknown): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const document = editor?.document;
  if (!editor || !document || !isQueryDocument(document) || parseBinding(document.getText()).kind !== 'bound') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a SQL document bound to a membership (-- @membership <id>) to insert an example query.'));
    return undefined;
  }
  const lookup = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading the collaboration\u2019s tables\u2026') }, () =>
    catalogs.ensure(document.getText()),
  );
  if (lookup.status === 'error') {
    void vscode.window.showWarningMessage(vscode.l10n.t('The tables of this collaboration could not be loaded: {0}', lookup.message));
    return undefined;
  }
  if (lookup.status !== 'loaded') {
    return undefined;
  }
  const examples = exampleQueries(lookup.catalog);
  if (examples.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No table of this collaboration can be queried directly (tables not ready, or allowed only in analysis templates).'));
    return undefined;
  }
  const example = typeof arg === 'string' ? examples.find((e) => e.table === arg) : await pick(examples);
  if (!example) {
    return undefined;
  }
  const text = document.getText();
  const edits = exampleInsertion(text, document.offsetAt(editor.selection.active), example.sql);
  const applied = await editor.edit((builder) => {
    for (const e of edits) {
      builder.insert(document.positionAt(e.start), e.newText);
    }
  });
  return applied ? example.sql : undefined;
}

async function pick(examples: readonly ExampleQuery[]): Promise<ExampleQuery | undefined> {
  if (examples.length === 1) {
    return examples[0];
  }
  const picked = await vscode.window.showQuickPick(
    examples.map((e) => ({ label: e.table, detail: e.sql.replace(/\s*\n\s*/g, ' '), example: e })),
    { title: vscode.l10n.t('Insert Example Query'), placeHolder: vscode.l10n.t('Pick the table to query'), matchOnDetail: true },
  );
  return picked?.example;
}
