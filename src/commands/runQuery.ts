import * as vscode from 'vscode';
import { isMembershipId } from '../config';
import { nodeName } from '../model/membershipStore';
import { parseBinding } from '../queries/binding';
import { runQuery as run, type RunOutcome } from '../queries/runFlow';
import { queryToRun } from '../queries/statements';
import { isQueryDocument } from '../views/queryStatusBar';
import { bindDocument } from './changeQueryBinding';
import type { CommandContext } from './context';
import { pickQueryMembership } from './pickQueryMembership';

/** Run Again (the query panel): this SQL on this membership. */
export interface RunSqlArg {
  readonly membershipId: string;
  readonly sql: string;
}

/** The CodeLens: this range of this document. */
export interface RunRangeArg {
  readonly uri: vscode.Uri | string;
  readonly range: vscode.Range;
}

/**
 * "Run Query": the argument's SQL, or in the active SQL editor the selection, else the statement
 * under the cursor, on the document's membership. An unbound document asks which membership and
 * offers to bind it. Returns what happened (undefined when there was nothing to run).
 */
export async function runQuery(ctx: CommandContext, arg?: unknown): Promise<RunOutcome | undefined> {
  if (isRunSqlArg(arg)) {
    return run(ctx.state, arg.membershipId, arg.sql);
  }
  let document: vscode.TextDocument | undefined;
  let sql: string | undefined;
  if (isRunRangeArg(arg)) {
    const uri = arg.uri.toString();
    document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    sql = document?.getText(arg.range).trim();
  } else {
    const editor = vscode.window.activeTextEditor;
    document = editor?.document;
    if (editor && document && isQueryDocument(document)) {
      const text = document.getText();
      sql = queryToRun(text, { start: document.offsetAt(editor.selection.start), end: document.offsetAt(editor.selection.end) }, document.offsetAt(editor.selection.active));
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a SQL document to run a query from it.'));
      return undefined;
    }
  }
  if (!document || !sql) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no statement here to run.'));
    return undefined;
  }
  const binding = parseBinding(document.getText());
  if (binding.kind === 'invalid') {
    void vscode.window.showErrorMessage(vscode.l10n.t('This document\'s @membership comment is not usable: {0}', binding.problem));
    return undefined;
  }
  let membershipId = binding.kind === 'bound' ? binding.membershipId : undefined;
  if (!membershipId) {
    const node = await pickQueryMembership(ctx, vscode.l10n.t('Run on which membership? (this document names none)'));
    if (!node) {
      return undefined;
    }
    membershipId = node.entry.id;
    offerToBind(document, membershipId, nodeName(node));
  }
  return run(ctx.state, membershipId, sql);
}

/** Offers to write the binding, without holding up the run. */
function offerToBind(document: vscode.TextDocument, membershipId: string, name: string): void {
  const bind = vscode.l10n.t('Bind Document');
  void vscode.window.showInformationMessage(vscode.l10n.t('Bind this document to {0}, so its queries run there without asking?', name), bind).then((answer) => {
    if (answer === bind && !document.isClosed && parseBinding(document.getText()).kind === 'none') {
      void bindDocument(document, membershipId);
    }
  });
}

function isRunSqlArg(arg: unknown): arg is RunSqlArg {
  const a = arg as Partial<RunSqlArg> | undefined;
  return typeof a === 'object' && a !== null && typeof a.membershipId === 'string' && isMembershipId(a.membershipId) && typeof a.sql === 'string' && a.sql.trim() !== '';
}

function isRunRangeArg(arg: unknown): arg is RunRangeArg {
  const a = arg as Partial<RunRangeArg> | undefined;
  return typeof a === 'object' && a !== null && (a.uri instanceof vscode.Uri || typeof a.uri === 'string') && a.range instanceof vscode.Range;
}
