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
 * The words media/panel.js shows, translated here (the webview has no vscode.l10n). `{0}` marks
 * where the script puts a value. Keys are the English text.
 */
export function panelStrings(): Record<string, string> {
  const keys = [
    'Copy',
    'Copy {0}',
    'None',
    'Yes',
    'No',
    'Not set',
    'Not set — {0}',
    'Unrecognised value "{0}" (newer than this extension)',
    'Unrecognised value',
    'Show as JSON',
    '{0} (UTC)',
    'Request ID: {0}',
    'Membership actions',
    'Refresh',
    'Fetch the membership again',
    'Copy ID',
    'Copy ARN',
    'Open Raw JSON',
    'Open the GetMembership response in a read-only editor',
    'Open in AWS Console',
    'Membership',
    'Loading membership {0}…',
    'Membership {0}',
    'fetched {0}',
    'Showing the last data fetched; refreshing failed:',
    'Loading failed: {0}',
    'Refreshing failed: {0}',
    'refreshing…',
    'Preview',
    'The next record you open replaces this one',
    'Keep Open',
    'Keep this record in its own panel',
    'Edit Settings…',
    'Change logging and result settings (UpdateMembership)',
  ];
  return Object.fromEntries(keys.map((k) => [k, vscode.l10n.t(k)]));
}

/** JSON that cannot end the <script> element it sits in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The panel page: a strict CSP (nothing but our own stylesheet and one nonce'd script), and no
 * API data. The data arrives later as a message and is placed with textContent by media/panel.js.
 * Only the status line is a live region: on `<main>` a screen reader would read the whole page
 * again on every render.
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
<p id="status" class="status" role="status" aria-live="polite"></p>
<main id="app" aria-busy="true"></main>
<script type="application/json" id="l10n">${scriptSafeJson(panelStrings())}</script>
<script nonce="${nonce}" src="${media('panel.js').toString()}"></script>
</body>
</html>`;
}
