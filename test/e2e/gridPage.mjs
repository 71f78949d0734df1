// A query panel page without VS Code, for test/e2e/grid.spec.mjs: media/grid.js and media/panel.js
// served under the production CSP (nonce'd scripts only) into a plain Chromium page, with a stub
// `acquireVsCodeApi` playing the extension host: it records what the page posts, answers
// `rowsRequest` with generated rows of a 1,000,000-row result, and re-posts the query with a new
// version after `sort` or `filter`, as the host does. Theme variables approximate VS Code's
// default themes (the real themes are checked in code-server by panelLook.spec.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness/codeServer.mjs';

const ORIGIN = 'https://grid.test';
const NONCE = 'Z3JpZC10ZXN0LW5vbmNlLTAx';

/** Colours of VS Code's default themes for the variables panel.css uses (VS Code sets them on <html>). */
export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d',
      focusBorder: '#0078d4', 'panel-border': '#2b2b2b', 'widget-border': '#313131',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
      'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
      'list-inactiveSelectionBackground': '#37373d', 'list-hoverBackground': '#2a2d2e',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'testing-iconPassed': '#73c991',
      'errorForeground': '#f85149', 'editorError-foreground': '#f14c4c', 'editorWarning-foreground': '#cca700',
      'inputValidation-errorBackground': '#5a1d1d', 'progressBar-background': '#0078d4',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#3b3b3b',
      focusBorder: '#005fb8', 'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
      'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
      'list-inactiveSelectionBackground': '#e4e6f1', 'list-hoverBackground': '#f2f2f2',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'testing-iconPassed': '#388a34',
      'errorForeground': '#f85149', 'editorError-foreground': '#e51400', 'editorWarning-foreground': '#bf8803',
      'inputValidation-errorBackground': '#f2dede', 'progressBar-background': '#005fb8',
    },
  },
  highContrast: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffff',
      focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518', 'panel-border': '#6fc3df',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'button-border': '#6fc3df',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': '#ffffffb3',
      'list-hoverBackground': '#000000', 'badge-background': '#000000', 'badge-foreground': '#ffffff',
      'testing-iconPassed': '#73c991', 'errorForeground': '#f48771', 'editorError-foreground': '#ff3232',
      'editorWarning-foreground': '#ffd370', 'editor-selectionBackground': '#ffffff',
    },
  },
  highContrastLight: {
    bodyClass: 'vscode-high-contrast-light',
    vars: {
      foreground: '#292929', 'editor-background': '#ffffff', descriptionForeground: '#292929',
      focusBorder: '#006bbd', contrastBorder: '#0f4a85', contrastActiveBorder: '#006bbd', 'panel-border': '#0f4a85',
      'button-secondaryBackground': '#ffffff', 'button-secondaryForeground': '#292929', 'button-border': '#0f4a85',
      'input-background': '#ffffff', 'input-foreground': '#292929', 'input-border': '#0f4a85', 'input-placeholderForeground': '#0f4a85',
      'list-hoverBackground': '#ffffff', 'badge-background': '#0f4a85', 'badge-foreground': '#ffffff',
      'testing-iconPassed': '#007100', 'errorForeground': '#b5200d', 'editorError-foreground': '#b5200d',
      'editorWarning-foreground': '#895503',
    },
  },
};

/** @param {keyof typeof THEMES} theme */
function themeCss(theme) {
  const vars = Object.entries(THEMES[theme].vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n');
  return `:root {\n${vars}\n  --vscode-font-family: sans-serif;\n  --vscode-font-size: 13px;\n` +
    '  --vscode-editor-font-family: monospace;\n  --vscode-editor-font-size: 13px;\n}\n';
}

/**
 * The stub host, run in the page before grid.js and panel.js (its source is inlined with the
 * nonce). Everything it learns is on window.__host.
 */
function stubHost() {
  const TOTAL = 1_000_000;
  const columns = [
    { name: 'id', type: 'bigint' },
    { name: 'name', type: 'varchar' },
    { name: 'amount', type: 'decimal(38,2)' },
    { name: 'note', type: 'varchar' },
  ];
  const host = {
    posted: [],
    autoRows: true,
    version: 1,
    /** @type {{column: number, direction: 'asc' | 'desc'} | undefined} */
    sort: undefined,
    filter: '',
    seq: 0,
    status: { text: 'Succeeded', tone: 'ok' },
    results: undefined,
  };
  window.__host = host;
  // The file's rows, by row number (1-based): row 1 has a NULL note, row 2 an empty one, row 3 a hostile one.
  const rowOf = (n) => [
    String(9007199254740993n + BigInt(n)),
    `name ${n}`,
    `${n}.25`,
    n === 1 ? null : n === 2 ? '' : n === 3 ? '<img src=x onerror=alert(1)>' : `note ${n}`,
  ];
  const shown = () => (host.filter ? 42 : TOTAL);
  // Position -> row number in the current order: the stub "sorts" by reversing, "filters" by striding.
  const numberAt = (p) => {
    const q = host.sort && host.sort.direction === 'desc' ? shown() - 1 - p : p;
    return host.filter ? q * 1000 + 1 : q + 1;
  };
  host.ready = () => ({
    kind: 'ready', location: 's3://results-bucket/queries/q-1/', format: 'PARQUET', fileCount: 3,
    columns, rowCount: TOTAL, shownCount: shown(), filter: host.filter, version: host.version,
    ...(host.sort ? { sort: host.sort } : {}),
  });
  host.query = (results) => ({
    type: 'query', seq: ++host.seq, preview: true,
    view: {
      title: 'Protected query 1a2b3c4d', subtitle: 'Retail media collaboration', id: 'q-1',
      status: host.status, running: false, canCancel: host.status.text === 'Running', hasSql: true,
      sections: [{ title: 'Query', rows: [{ label: 'SQL', value: { kind: 'text', text: 'SELECT id, name, amount, note FROM sales', mono: true } }] }],
    },
    where: 'default · us-east-1', fetchedAt: '2026-11-25T12:00:00.000Z',
    results: results || host.ready(),
  });
  host.send = (message) => window.postMessage(message, '*');
  host.rowsFor = (version, start, count) => {
    const end = Math.min(start + count, shown());
    const rowNumbers = [];
    const rows = [];
    for (let p = start; p < end; p++) {
      const n = numberAt(p);
      rowNumbers.push(n);
      rows.push(rowOf(n));
    }
    return { type: 'rows', version, start, rowNumbers, rows };
  };
  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      host.posted.push(message);
      if (message.type === 'rowsRequest' && host.autoRows) {
        setTimeout(() => host.send(host.rowsFor(message.version, message.start, message.count)), 0);
      } else if (message.type === 'sort') {
        host.sort = message.direction === 'none' ? undefined : { column: message.column, direction: message.direction };
        host.version++;
        setTimeout(() => host.send(host.query()), 0);
      } else if (message.type === 'filter') {
        host.filter = message.text;
        host.version++;
        setTimeout(() => host.send(host.query()), 0);
      }
    },
    getState: () => undefined,
    setState: () => {},
  });
}

/** The page, as panelHtml in src/views/webviewHtml.ts builds it (same CSP, same order of scripts). */
function pageHtml(theme) {
  const csp = [
    "default-src 'none'", `img-src ${ORIGIN}`, `style-src ${ORIGIN}`, `font-src ${ORIGIN}`,
    `script-src 'nonce-${NONCE}'`, "connect-src 'none'", "form-action 'none'", "base-uri 'none'", "frame-src 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${ORIGIN}/theme-${theme}.css">
<link rel="stylesheet" href="${ORIGIN}/media/panel.css">
<title>Query</title>
</head>
<body class="${THEMES[theme].bodyClass}">
<p id="status" class="status" role="status" aria-live="polite"></p>
<main id="app" aria-busy="true"></main>
<script type="application/json" id="l10n">{}</script>
<script nonce="${NONCE}">(${stubHost.toString()})();</script>
<script nonce="${NONCE}" src="${ORIGIN}/media/grid.js"></script>
<script nonce="${NONCE}" src="${ORIGIN}/media/panel.js"></script>
</body>
</html>`;
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css' };

/**
 * Opens the page in a new context of `browser` and waits for its `ready`. Records CSP violations
 * and dialogs (an alert would mean hostile text ran) on the returned object.
 * @param {import('playwright-core').Browser} browser
 * @param {{ theme?: keyof typeof THEMES, viewport?: { width: number, height: number } }} [opts]
 */
export async function openGridPage(browser, opts = {}) {
  const theme = opts.theme ?? 'dark';
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1200, height: 800 } });
  const page = await context.newPage();
  const events = { dialogs: [], errors: [], console: [] };
  page.on('dialog', (d) => {
    events.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => events.errors.push(String(e)));
  page.on('console', (m) => events.console.push(m.text()));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return route.fulfill({ contentType: 'text/html', body: pageHtml(theme) });
    }
    const themeMatch = /^\/theme-(\w+)\.css$/.exec(url.pathname);
    if (themeMatch) return route.fulfill({ contentType: 'text/css', body: themeCss(/** @type {keyof typeof THEMES} */ (themeMatch[1])) });
    const file = path.join(REPO_ROOT, url.pathname);
    if (url.pathname.startsWith('/media/') && fs.existsSync(file)) {
      return route.fulfill({ contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file) });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.__host && window.__host.posted.some((m) => m.type === 'ready'));
  return { context, page, events };
}

/** Posts the stub's current query (a ready 1,000,000-row result unless `results` is given) and waits for its `rendered`. */
export async function postQuery(page, results) {
  const seq = await page.evaluate((r) => {
    const message = window.__host.query(r ?? undefined);
    window.__host.send(message);
    return message.seq;
  }, results ?? null);
  await page.waitForFunction((s) => window.__host.posted.some((m) => m.type === 'rendered' && m.seq === s), seq);
}

/** What the page posted, optionally only of one type. */
export function posted(page, type) {
  return page.evaluate((ty) => window.__host.posted.filter((m) => !ty || m.type === ty), type ?? null);
}
