import * as vscode from 'vscode';

/**
 * Runs `work` and, only if it is still running after `delayMs`, shows a cancellable notification.
 * Fast calls stay quiet; a slow one can be cancelled by the user, which aborts the request.
 * `signal` is the caller giving up (the record left the screen): the request is aborted too, and
 * no notification appears for work nobody is waiting on any more.
 */
export async function withDelayedProgress<T>(
  title: string,
  work: (signal: AbortSignal) => Promise<T>,
  options: { readonly delayMs?: number; readonly signal?: AbortSignal } = {},
): Promise<T> {
  const { delayMs = 1500, signal } = options;
  const controller = new AbortController();
  const onGiveUp = (): void => controller.abort();
  signal?.addEventListener('abort', onGiveUp, { once: true });
  if (signal?.aborted) {
    controller.abort();
  }
  const running = work(controller.signal);
  let settled = false;
  const timer = setTimeout(() => {
    // Aborted but not yet settled (the request is being torn down): nothing left to show.
    if (settled || controller.signal.aborted) {
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
    signal?.removeEventListener('abort', onGiveUp);
  }
}
