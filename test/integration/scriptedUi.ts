import * as assert from 'assert';
import * as vscode from 'vscode';

/** What a scripted person answers to one question of VS Code's UI. */
export type Answer =
  /** A quick pick: the item with this label (or, with canPickMany, these labels). */
  | { readonly pick: string | readonly string[] }
  /** An input box: this text, after checking what the box says of each `invalid` value. */
  | { readonly type: string; readonly invalid?: readonly string[] }
  /** A modal or notification message: this button (undefined: closed with Escape). */
  | { readonly button: string | undefined };

/** Every question asked and message shown while a script ran. */
export interface Seen {
  readonly picks: Array<{ readonly title?: string; readonly items: readonly vscode.QuickPickItem[] }>;
  readonly inputs: Array<{ readonly title?: string; readonly prompt?: string; readonly problems: ReadonlyArray<string | undefined> }>;
  readonly messages: Array<{ readonly kind: 'info' | 'warning' | 'error'; readonly text: string; readonly detail?: string; readonly modal: boolean; readonly buttons: readonly string[] }>;
}

type Window = Record<'showQuickPick' | 'showInputBox' | 'showWarningMessage' | 'showInformationMessage' | 'showErrorMessage', unknown>;

/**
 * Runs `run` with VS Code's quick picks, input boxes and messages answered from `answers`, in
 * order (a test has no keyboard for them; modal dialogs cannot be driven from the extension host
 * at all). The extension's own code runs unchanged: only the workbench's dialogs are replaced.
 * Messages that need no answer are recorded and dismissed.
 */
export async function withScriptedUi<T>(answers: Answer[], run: () => Thenable<T>): Promise<{ result: T; seen: Seen }> {
  const win = vscode.window as unknown as Window;
  const original: Window = {
    showQuickPick: win.showQuickPick,
    showInputBox: win.showInputBox,
    showWarningMessage: win.showWarningMessage,
    showInformationMessage: win.showInformationMessage,
    showErrorMessage: win.showErrorMessage,
  };
  const seen: Seen = { picks: [], inputs: [], messages: [] };
  const next = (what: string): Answer => {
    const answer = answers.shift();
    assert.ok(answer, `no answer left for ${what}`);
    return answer;
  };
  win.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
    const all = await items;
    seen.picks.push({ title: options?.title, items: all });
    const answer = next(`the pick "${options?.title ?? ''}"`);
    assert.ok('pick' in answer, `expected ${JSON.stringify(answer)}, got the pick "${options?.title ?? ''}"`);
    const labels = typeof answer.pick === 'string' ? [answer.pick] : answer.pick;
    const chosen = all.filter((i) => labels.includes(i.label));
    assert.strictEqual(chosen.length, labels.length, `${labels.join(', ')} offered in ${all.map((i) => i.label).join(', ')}`);
    return options?.canPickMany ? chosen : chosen[0];
  };
  win.showInputBox = async (options?: vscode.InputBoxOptions) => {
    const answer = next(`the input "${options?.prompt ?? ''}"`);
    assert.ok('type' in answer, `expected ${JSON.stringify(answer)}, got the input "${options?.prompt ?? ''}"`);
    const check = async (value: string): Promise<string | undefined> => {
      const said = await options?.validateInput?.(value);
      return typeof said === 'string' || said === undefined || said === null ? (said ?? undefined) : said.message;
    };
    const problems = await Promise.all((answer.invalid ?? []).map(check));
    seen.inputs.push({ title: options?.title, prompt: options?.prompt, problems });
    assert.strictEqual(await check(answer.type), undefined, `"${answer.type}" accepted`);
    return answer.type;
  };
  const message =
    (kind: 'info' | 'warning' | 'error') =>
    async (text: string, ...rest: unknown[]): Promise<string | undefined> => {
      const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as vscode.MessageOptions) : undefined;
      const items = options ? rest.slice(1) : rest;
      const buttons = items.map((b) => (typeof b === 'string' ? b : String((b as vscode.MessageItem).title)));
      seen.messages.push({ kind, text, detail: options?.detail, modal: options?.modal === true, buttons });
      if (!options?.modal) {
        return undefined;
      }
      const answer = next(`the dialog "${text}"`);
      assert.ok('button' in answer, `expected ${JSON.stringify(answer)}, got the dialog "${text}"`);
      return answer.button;
    };
  win.showInformationMessage = message('info');
  win.showWarningMessage = message('warning');
  win.showErrorMessage = message('error');
  try {
    const result = await run();
    return { result, seen };
  } finally {
    Object.assign(win, original);
  }
}
