import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Scripts only from media/, never command links; shared by every panel. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

/**
 * The panel page: a strict CSP (nothing but our own stylesheet and one nonce'd script), and no
 * API data. The data arrives later as a message and is placed with textContent by media/panel.js.
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const media = (file: string): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource}`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-src 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language.replace(/[^A-Za-z-]/g, '') || 'en'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('panel.css').toString()}">
<title>${title.replace(/[^A-Za-z ]/g, '')}</title>
</head>
<body>
<main id="app" aria-live="polite" aria-busy="true"></main>
<script nonce="${nonce}" src="${media('panel.js').toString()}"></script>
</body>
</html>`;
}

/** Panel titles come from other accounts: no control or direction characters, and short. */
export function panelTitle(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}
