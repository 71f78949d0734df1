import * as vscode from 'vscode';

/**
 * Drives VS Code's own UI from the extension host, where a test has no keyboard: each helper
 * keeps pressing the workbench command that a person's Enter or click would run, until `run`
 * settles. Nothing is stubbed; a command with no quick input or notification to act on does nothing.
 */
async function pressUntilSettled<T>(run: Thenable<T>, command: string, what: string, timeoutMs: number): Promise<T> {
  let settled = false;
  const result = Promise.resolve(run).finally(() => {
    settled = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!settled) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await vscode.commands.executeCommand(command);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return result;
}

/**
 * Accepts the save dialog `run` opens, keeping its default path. In the browser workbench the
 * dialog is VS Code's simple file dialog, a quick input: Enter accepts it.
 */
export function acceptSaveDialog<T>(run: Thenable<T>, timeoutMs = 15_000): Promise<T> {
  return pressUntilSettled(run, 'workbench.action.acceptSelectedQuickOpenItem', 'the save dialog', timeoutMs);
}

/** Clicks the first button of the notification `run` is waiting on (VS Code's "accept primary action"). */
export function acceptNotification<T>(run: Thenable<T>, timeoutMs = 15_000): Promise<T> {
  return pressUntilSettled(run, 'notification.acceptPrimaryAction', 'the notification', timeoutMs);
}

/** Dismisses every notification: one waiting on an answer resolves with undefined. */
export function dismissNotifications<T>(run: Thenable<T>, timeoutMs = 15_000): Promise<T> {
  return pressUntilSettled(run, 'notifications.clearAll', 'the notification to close', timeoutMs);
}
