import * as vscode from 'vscode';
import type { RunRangeArg } from '../commands/runQuery';
import { parseBinding } from '../queries/binding';
import { splitStatements } from '../queries/statements';

/** SQL documents a binding applies to: files on disk and untitled ones (not diffs, git or output views). */
export const SQL_SELECTOR: vscode.DocumentSelector = [
  { language: 'sql', scheme: 'file' },
  { language: 'sql', scheme: 'untitled' },
];

/** "Run" above each statement of a document bound to a membership. */
export class QueryCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    if (parseBinding(text).kind !== 'bound') {
      return [];
    }
    return splitStatements(text).map((s) => {
      const range = new vscode.Range(document.positionAt(s.start), document.positionAt(s.end));
      const arg: RunRangeArg = { uri: document.uri, range };
      return new vscode.CodeLens(new vscode.Range(range.start, range.start), {
        title: vscode.l10n.t('$(play) Run'),
        tooltip: vscode.l10n.t('Run this statement as a protected query (billed)'),
        command: 'cleanRooms.runQuery',
        arguments: [arg],
      });
    });
  }
}

export function registerQueryCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(SQL_SELECTOR, new QueryCodeLensProvider());
}
