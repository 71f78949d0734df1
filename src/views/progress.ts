import * as vscode from 'vscode';

/**
 * Runs `work` and, only if it is still running after `delayMs`, shows a cancellable notification.
 * Fast calls stay quiet; a slow one can be cancelled by the user, which aborts the request.
 */
export async function withDelayedProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>, delayMs = 1500): Promise<T> {
  const controller = new AbortController();
  const running = work(controller.signal);
  let settled = false;
  const timer = setTimeout(() => {
    if (settled) {
      return;
    }
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return running.then(
        () => undefined,
        () => undefined,
      );
    });
  }, delayMs);
  try {
    return await running;
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}
