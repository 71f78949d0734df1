import * as vscode from 'vscode';
import type { ExplorerState } from '../explorerState';
import { parseBinding, type Binding } from '../queries/binding';
import { knownName, shortId, targetFor } from '../queries/queryTarget';
import { shortText } from '../util/text';

/** Context key: the active editor is a SQL document bound to a membership (Ctrl+Enter runs). */
export const QUERY_BOUND_CONTEXT = 'cleanRooms.queryBound';

export function isQueryDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'sql' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

/**
 * For the active bound SQL editor, a status bar item naming the membership's collaboration (the
 * tree's name; else fetched once with GetMembership; else the short ID) that changes the binding
 * when clicked. A binding that names no membership ID shows its problem instead.
 */
export class QueryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cleanRooms.queryBinding', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  /** Names fetched for memberships the tree does not hold (once per ID per session; cleared on settings changes). */
  private readonly fetched = new Map<string, string | Promise<void>>();
  private bound: boolean | undefined;

  constructor(private readonly state: ExplorerState) {
    this.item.name = vscode.l10n.t('Clean Rooms Query Membership');
    this.item.command = 'cleanRooms.changeQueryBinding';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) {
          this.update();
        }
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        // A language change (plain text -> SQL) reopens the document.
        if (d === vscode.window.activeTextEditor?.document) {
          this.update();
        }
      }),
      { dispose: state.store.onDidChange(() => this.update()).dispose },
    );
    // Activation paints only: nothing here may load the SDK or touch the network at start-up.
    this.update(false);
  }

  /** The binding of the active editor's document, if it is a SQL document. */
  static activeBinding(): { document: vscode.TextDocument; binding: Binding } | undefined {
    const document = vscode.window.activeTextEditor?.document;
    return document && isQueryDocument(document) ? { document, binding: parseBinding(document.getText()) } : undefined;
  }

  /** Forget fetched names (the settings or credentials changed). */
  forgetNames(): void {
    this.fetched.clear();
    this.update();
  }

  /** Shows the active editor's binding; `fetch`: a name not known yet may be fetched. */
  update(fetch = true): void {
    const active = QueryStatusBar.activeBinding();
    const binding = active?.binding;
    this.setBound(binding?.kind === 'bound');
    if (!binding || binding.kind === 'none') {
      this.item.hide();
      return;
    }
    if (binding.kind === 'invalid') {
      this.item.text = `$(warning) ${vscode.l10n.t('No membership')}`;
      this.item.tooltip = binding.problem;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.show();
      return;
    }
    this.item.backgroundColor = undefined;
    const name = this.nameOf(binding.membershipId, fetch);
    this.item.text = `$(database) ${shortText(name, 40)}`;
    this.item.tooltip = vscode.l10n.t('Queries in this document run on membership {0} ({1}). Click to change.', binding.membershipId, shortText(name, 80));
    this.item.show();
  }

  private nameOf(membershipId: string, fetch: boolean): string {
    const target = targetFor(membershipId, this.state.settings, this.state.store);
    const known = knownName(target);
    if (known) {
      return known;
    }
    if (target.node && fetch) {
      // A configured membership is named by the tree's load, which starts only when someone looks:
      // a bound document on screen is someone looking, even with the Clean Rooms view never opened.
      this.state.wake();
    }
    const fetched = this.fetched.get(membershipId);
    if (typeof fetched === 'string') {
      return fetched;
    }
    if (fetched === undefined && !target.node && fetch) {
      // Configured memberships get their name from the tree's own load; others are fetched once.
      this.fetched.set(
        membershipId,
        this.state.service.getMembership(target.request, membershipId).then((result) => {
          if (result.ok && result.value.membership.collaborationName) {
            this.fetched.set(membershipId, result.value.membership.collaborationName);
            this.update();
          } else {
            this.fetched.set(membershipId, shortId(membershipId));
          }
        }),
      );
    }
    return shortId(membershipId);
  }

  private setBound(bound: boolean): void {
    if (this.bound !== bound) {
      this.bound = bound;
      void vscode.commands.executeCommand('setContext', QUERY_BOUND_CONTEXT, bound);
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
