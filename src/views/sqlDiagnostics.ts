import * as vscode from 'vscode';
import { parseBinding } from '../queries/binding';
import { splitStatements } from '../queries/statements';
import { analyzeStatement } from '../sql/analyze';
import type { SqlFinding } from '../sql/findings';
import { isQueryDocument } from './queryStatusBar';
import type { SqlCatalogs } from './sqlCatalog';

export const DIAGNOSTIC_SOURCE = 'Clean Rooms';
const DEBOUNCE_MS = 250;

type Fix = NonNullable<SqlFinding['fix']>;

/** A finding's fix, kept with the document version and offsets it was computed for. */
interface FixEntry {
  readonly range: vscode.Range;
  readonly code: string;
  readonly message: string;
  readonly fix: Fix;
  /** Offset of the statement in the document: the fix's edits are relative to it. */
  readonly base: number;
}

/**
 * Pre-flight warnings in bound SQL documents: each statement checked against the catalog of the
 * document's collaboration (analyzeStatement), updated as the user types (debounced) and when the
 * catalog arrives or changes; cleared when the document closes or is unbound. A document whose
 * schemas could not be loaded gets one quiet Information on its binding line, no rule warnings.
 */
export class SqlDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('cleanRooms.sql');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Fixes by document URI, for the document version they were computed on. */
  private readonly fixes = new Map<string, { version: number; entries: FixEntry[] }>();
  /** Counts checks per document: a slow check that a later one overtook is dropped. */
  private readonly generations = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly catalogs: SqlCatalogs) {
    this.disposables.push(
      this.collection,
      // Only documents on screen (or already warned about) are checked: a bound document someone
      // looks at may fetch its collaboration's tables; one lingering unseen after its editor closed may not.
      vscode.window.onDidChangeVisibleTextEditors(() => this.scheduleAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.watched(e.document)) {
          this.schedule(e.document);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      { dispose: catalogs.onDidChange(() => this.scheduleAll()).dispose },
    );
    // Not now: activation must not touch the network; documents already on screen are checked shortly.
    this.scheduleAll();
  }

  private watched(document: vscode.TextDocument): boolean {
    return this.collection.has(document.uri) || vscode.window.visibleTextEditors.some((e) => e.document === document);
  }

  private scheduleAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (this.watched(document)) {
        this.schedule(document);
      }
    }
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isQueryDocument(document)) {
      if (this.fixes.has(document.uri.toString())) {
        this.forget(document.uri);
      }
      return;
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(document);
      }, DEBOUNCE_MS),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.fixes.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.collection.delete(uri);
  }

  /** Checks a document now (tests and the debounce call this). */
  async check(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (document.isClosed) {
      return;
    }
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const text = document.getText();
    const version = document.version;
    const lookup = this.catalogs.lookup(text);
    if (lookup.status === 'unbound' || lookup.status === 'loading') {
      this.fixes.delete(key);
      this.collection.delete(document.uri);
      return;
    }
    if (lookup.status === 'error') {
      const binding = parseBinding(text);
      const diagnostics: vscode.Diagnostic[] = [];
      if (binding.kind === 'bound') {
        const d = new vscode.Diagnostic(
          new vscode.Range(document.positionAt(binding.start), document.positionAt(binding.end)),
          vscode.l10n.t('No pre-flight checks: the tables of this collaboration could not be loaded ({0}). Refresh the Clean Rooms view to try again.', lookup.message),
          vscode.DiagnosticSeverity.Information,
        );
        d.source = DIAGNOSTIC_SOURCE;
        diagnostics.push(d);
      }
      this.fixes.delete(key);
      this.collection.set(document.uri, diagnostics);
      return;
    }
    const diagnostics: vscode.Diagnostic[] = [];
    const entries: FixEntry[] = [];
    for (const statement of splitStatements(text)) {
      const check = await analyzeStatement(statement.text, lookup.catalog);
      for (const finding of check.findings) {
        const range = new vscode.Range(document.positionAt(statement.start + finding.start), document.positionAt(statement.start + finding.end));
        const d = new vscode.Diagnostic(range, finding.message, vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = finding.code;
        diagnostics.push(d);
        if (finding.fix) {
          entries.push({ range, code: finding.code, message: finding.message, fix: finding.fix, base: statement.start });
        }
      }
    }
    if (this.generations.get(key) !== generation || document.isClosed || document.version !== version) {
      return;
    }
    this.fixes.set(key, { version, entries });
    this.collection.set(document.uri, diagnostics);
  }

  /** The quick fixes for diagnostics of ours shown on `document`, if they are still current. */
  fixesFor(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): { diagnostic: vscode.Diagnostic; title: string; edit: vscode.WorkspaceEdit }[] {
    const stored = this.fixes.get(document.uri.toString());
    if (!stored || stored.version !== document.version) {
      return [];
    }
    const out: { diagnostic: vscode.Diagnostic; title: string; edit: vscode.WorkspaceEdit }[] = [];
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) {
        continue;
      }
      const entry = stored.entries.find((e) => e.code === diagnostic.code && e.message === diagnostic.message && e.range.isEqual(diagnostic.range));
      if (!entry) {
        continue;
      }
      const edit = new vscode.WorkspaceEdit();
      for (const change of entry.fix.edits) {
        edit.replace(document.uri, new vscode.Range(document.positionAt(entry.base + change.start), document.positionAt(entry.base + change.end)), change.text);
      }
      out.push({ diagnostic, title: entry.fix.title, edit });
    }
    return out;
  }

  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Offers each finding's fix as a Quick Fix for its diagnostic. */
export class SqlCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: SqlDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return this.diagnostics.fixesFor(document, context.diagnostics).map(({ diagnostic, title, edit }) => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.edit = edit;
      action.isPreferred = true;
      return action;
    });
  }
}
