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
 * The words media/panel.js and media/grid.js show, translated here (the webview has no
 * vscode.l10n). `{0}` marks where the script puts a value. Keys are the English text.
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
    // The query panel and its results grid (media/grid.js).
    '1 file',
    'Cancel Query',
    'Copy Cell',
    'Copy Row',
    'Copy Selection',
    'Copy the active cell',
    'Copy the active row as tab-separated text',
    'Copy the protected query ID',
    'Copy the selected cells as tab-separated text (Ctrl+C)',
    'Downloading results',
    'Downloading results…',
    'Downloading {0} ({1}) from {2}',
    'Downloading {0} of {1} ({2}) from {3}',
    'Fetch the protected query again',
    'Filter rows',
    'Filter rows (any column contains…)',
    'NULL',
    'NULL (no value)',
    'No rows match the filter.',
    'Open SQL in Editor',
    'Open the query text in a new SQL document bound to this membership',
    'Query actions',
    'Query results',
    'Read the results again',
    'Reading the results failed: {0}',
    'Result actions',
    'Results',
    'Results delivered to {0}',
    'Retry',
    'Row',
    'Run Again',
    'Save Original Files…',
    'Save as CSV…',
    'Save every row, in the order shown, as a CSV file',
    'Save the result files exactly as stored in S3',
    'Sort by {0}',
    'Start this query again as a new protected query',
    'Stop this protected query',
    'The query returned no rows.',
    'The results were delivered to:',
    '{0} B',
    '{0} KB',
    '{0} MB',
    '{0} files',
    '{0} of {1} rows',
    '{0} rows',
    '{0} so far, reading the rest…',
    'Edit Settings…',
    'Change logging and result settings (UpdateMembership)',
    // The table panel.
    'Table',
    'Table actions',
    "Fetch the collaboration's schemas and analysis rules again",
    'Copy Name',
    'Copy the table name',
    'New Query',
    'Open a new SQL document bound to this membership',
    'Open the schema and its analysis rules in a read-only editor',
    'Loading table {0}…',
    'Analysis rule',
    'Analysis rule JSON',
    // The analysis template panel and its form.
    'Loading analysis template {0}…',
    'Analysis template {0}',
    'Run this template',
    '{0} (default {1})',
    'This template takes no parameters.',
    'Run',
    'Start this template as a protected query (asks first)',
    'Template actions',
    'Fetch the template again',
    'Open SQL',
    "Open the template's SQL in a read-only editor",
    'Open the GetCollaborationAnalysisTemplate response in a read-only editor',
  ];
  return Object.fromEntries(keys.map((k) => [k, vscode.l10n.t(k)]));
}

/** JSON that cannot end the <script> element it sits in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The panel page: a strict CSP (nothing but our own stylesheet and two nonce'd scripts: the results
 * grid, then the panel that uses it), and no API data. The data arrives later as a message and is
 * placed with textContent by media/panel.js.
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
<script nonce="${nonce}" src="${media('grid.js').toString()}"></script>
<script nonce="${nonce}" src="${media('panel.js').toString()}"></script>
</body>
</html>`;
}
