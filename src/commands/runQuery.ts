import * as vscode from 'vscode';
import { isMembershipId } from '../config';
import { nodeName } from '../model/membershipStore';
import { parseBinding } from '../queries/binding';
import { runQuery as run, type RunOutcome } from '../queries/runFlow';
import { queryToRun, statementAt } from '../queries/statements';
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
  const lens = rangeArg(arg);
  if (lens) {
    document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === lens.uri);
    // The statement where the lens sits now: the text may have changed since the lens was made.
    sql = document && statementAt(document.getText(), document.offsetAt(document.validateRange(lens.range).start))?.text.trim();
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

/** The CodeLens's argument, also after a trip through serialisation (plain position and URI objects). */
function rangeArg(arg: unknown): { uri: string; range: vscode.Range } | undefined {
  if (typeof arg !== 'object' || arg === null || !('uri' in arg) || !('range' in arg)) {
    return undefined;
  }
  const { uri, range } = arg;
  const text = uri instanceof vscode.Uri ? uri.toString() : typeof uri === 'string' ? uri : isUriComponents(uri) ? vscode.Uri.from(uri).toString() : undefined;
  if (text === undefined) {
    return undefined;
  }
  if (range instanceof vscode.Range) {
    return { uri: text, range };
  }
  const r = range as { start?: Partial<vscode.Position>; end?: Partial<vscode.Position> } | null;
  const numbers = [r?.start?.line, r?.start?.character, r?.end?.line, r?.end?.character];
  return numbers.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
    ? { uri: text, range: new vscode.Range(numbers[0] as number, numbers[1] as number, numbers[2] as number, numbers[3] as number) }
    : undefined;
}

function isUriComponents(value: unknown): value is { scheme: string; path: string; authority?: string; query?: string; fragment?: string } {
  const v = value as { scheme?: unknown; path?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.scheme === 'string' && typeof v.path === 'string';
}
