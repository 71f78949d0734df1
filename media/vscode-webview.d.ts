// What the webview host gives media/panel.js: checked by tsconfig.media.json, not shipped
// (.vscodeignore). A script declaration (no top-level import), so the function is a global.

interface VsCodeWebviewApi {
  postMessage(message: import('../src/views/protocol').FromWebview): void;
  getState(): import('../src/views/protocol').WebviewState | undefined;
  setState(state: import('../src/views/protocol').WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;
