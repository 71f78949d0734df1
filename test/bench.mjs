#!/usr/bin/env node
// `npm run bench`: measures the extension in a real VS Code (code-server) against the local
// endpoint, several times, and prints one table with PASS/FAIL against each budget. Figures go to
// bench-results/bench.json. Not a test: it fails only when a budget is missed or the run breaks.
//
//   node test/bench.mjs [--runs 5]
/* global document, MutationObserver, requestAnimationFrame -- measureScroll's callback runs in the webview (Playwright evaluate) */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import {
  REPO_ROOT, ensureChromium, ensureCodeServer, launchBrowser, startCodeServer, startTestEnvironment, stopAll,
} from './harness/codeServer.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(args.runs));
const OUT_DIR = path.join(REPO_ROOT, 'bench-results');
const VSIX = path.join(REPO_ROOT, 'clean-rooms-explorer.vsix');

function npm(script) {
  execFileSync('npm', ['run', '--silent', script], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * The extension as the bench loads it: dist/, media/ and the manifest, minus the
 * `onStartupFinished` activation event. In a test host VS Code fires that event as the tests start,
 * so the extension would already be active and its activation could not be timed; with the other
 * events it activates when the bench asks, as when a person opens the view. Same code, same cost.
 */
function benchExtensionDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-bench-extension-'));
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  manifest.activationEvents = manifest.activationEvents.filter((e) => e !== 'onStartupFinished');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.copyFileSync(path.join(REPO_ROOT, 'package.nls.json'), path.join(dir, 'package.nls.json'));
  for (const sub of ['dist', 'media']) fs.cpSync(path.join(REPO_ROOT, sub), path.join(dir, sub), { recursive: true });
  return dir;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Scrolls the query panel's grid to its bottom, in the page, and times until the last row is
 * drawn with its values (`.grid-row[data-filled="1"]`) and the frame that shows it begins.
 * The rows come from the extension host on request, as when a person drags the scrollbar.
 */
async function measureScroll(page, rowCount) {
  const lastRow = `.grid-row[aria-rowindex="${rowCount + 1}"][data-filled="1"]`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame.$('.grid .grid-row[data-filled="1"]').catch(() => null);
      if (!found) continue;
      return frame.evaluate((selector) => new Promise((resolve) => {
        const grid = document.querySelector('.grid');
        if (document.querySelector(selector)) {
          resolve({ error: 'the last row was drawn before scrolling' });
          return;
        }
        let done = false;
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (done || !document.querySelector(selector)) return;
          done = true;
          observer.disconnect();
          const filledMs = performance.now() - t0;
          requestAnimationFrame(() => resolve({ ms: performance.now() - t0, filledMs }));
        });
        observer.observe(grid, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-filled', 'aria-rowindex'] });
        grid.scrollTop = grid.scrollHeight;
        setTimeout(() => {
          if (done) return;
          done = true;
          observer.disconnect();
          resolve({ error: 'the last row was not drawn within 10 s' });
        }, 10_000);
      }), lastRow);
    }
    if (Date.now() > deadline) return { error: 'no query grid with rows in the page' };
    await sleep(100);
  }
}

/** Answers the extension host's scroll requests (test/bench/queries.ts) until `stopped()`. */
async function serveScrolls(page, outFile, stopped) {
  const request = `${outFile}.scroll`;
  while (!stopped()) {
    if (fs.existsSync(request)) {
      const { rowCount } = JSON.parse(fs.readFileSync(request, 'utf8'));
      fs.rmSync(request, { force: true });
      const answer = await measureScroll(page, rowCount).catch((e) => ({ error: String(e) }));
      fs.writeFileSync(`${outFile}.scroll-done.tmp`, JSON.stringify(answer));
      fs.renameSync(`${outFile}.scroll-done.tmp`, `${outFile}.scroll-done`);
    }
    await sleep(50);
  }
}

/** One repetition: a fresh code-server whose extension host runs out/test/bench/index.js. */
async function runOnce(i) {
  const outFile = path.join(os.tmpdir(), `crx-bench-${process.pid}-${i}.json`);
  const testEnv = await startTestEnvironment();
  const extensionDir = benchExtensionDir();
  let cs;
  let browser;
  try {
    cs = await startCodeServer({
      folder: testEnv.workspace,
      userSettings: testEnv.userSettings,
      // --expose-gc lets the host collect garbage before each memory reading.
      env: { ...testEnv.env, CLEANROOMS_BENCH_OUT: outFile, NODE_OPTIONS: '--expose-gc' },
    });
    browser = await launchBrowser({ headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let log = '';
    let onExit = () => {};
    const exited = new Promise((resolve) => { onExit = resolve; });
    await page.exposeFunction('codeAutomationLog', (_type, message) => { log += `${Array.isArray(message) ? message.join(' ') : message}\n`; });
    await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
    const authority = `127.0.0.1:${cs.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDir}`],
      ['extensionTestsPath', `vscode-remote://${authority}${path.join(REPO_ROOT, 'out/test/bench/index.js')}`],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(testEnv.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let finished = false;
    const scrolls = serveScrolls(page, outFile, () => finished);
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 600_000))]);
    finished = true;
    await scrolls;
    if (code !== 0 || !fs.existsSync(outFile)) {
      throw new Error(`bench run ${i + 1} failed (${code}):\n${log.split('\n').filter((l) => /bench|Error|error/.test(l)).slice(-20).join('\n')}`);
    }
    const result = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    fs.rmSync(outFile, { force: true });
    return result;
  } finally {
    await browser?.close().catch(() => {});
    await cs?.stop();
    await testEnv.dispose();
    fs.rmSync(extensionDir, { recursive: true, force: true });
    for (const f of [`${outFile}.scroll`, `${outFile}.scroll-done`]) fs.rmSync(f, { force: true });
  }
}

/** The rows of issue 11's query budgets (test/bench/queries.ts). */
/** The rows of issue 12's authoring budgets (test/bench/authoring.ts). */
function authoringRows(runs, m, s) {
  const r0 = runs[0];
  const where = `${r0.authoringQueryLines}-line query, ${r0.authoringTables} tables x ${Math.round(r0.authoringColumns / r0.authoringTables)} columns`;
  const calls = Math.max(...runs.map((r) => r.apiCallsWhileTyping));
  return [
    [`completion in a bound SQL document (${where}): p95`, `${m('completionP95Ms').toFixed(1)} ms`, s('completionP95Ms'), '<= 50 ms', m('completionP95Ms') <= 50],
    [`  median; items after "t5." / after "JOIN "`, `${m('completionMedianMs').toFixed(1)} ms; ${r0.completionItemsAfterDot} / ${r0.completionItemsAfterJoin}`, s('completionMedianMs'), '', true],
    [`pre-flight check of the ${r0.authoringQueryLines}-line query: p95 (median)`, `${m('preflightP95Ms').toFixed(1)} ms (${m('preflightMedianMs').toFixed(1)})`, s('preflightP95Ms'), '<= 100 ms', m('preflightP95Ms') <= 100],
    ['  first check (loads the SQL parser) / findings on this valid query', `${m('preflightFirstMs').toFixed(1)} ms / ${r0.preflightFindings}`, s('preflightFirstMs'), '0 findings', runs.every((r) => r.preflightFindings === 0)],
    [`API calls while typing ${r0.charactersTyped} characters (completion after each)`, String(calls), '', '0', calls === 0],
    ['  schemas loaded once on the first look (ListSchemas + batches)', `${m('authoringSchemaLoadMs').toFixed(1)} ms`, s('authoringSchemaLoadMs'), '', true],
  ];
}

function queryRows(runs, m, s) {
  const rows = [];
  const ms = (key) => `${m(key).toFixed(1)} ms`;
  for (const [prefix, format] of [['parquet', 'Parquet'], ['csv', 'CSV']]) {
    const mb = (runs[0][`${prefix}Bytes`] / 1e6).toFixed(1);
    const growth = runs.map((r) => r[`${prefix}MemShownMb`] - r[`${prefix}MemBeforeMb`]);
    const back = runs.map((r) => ((r[`${prefix}MemAfterMb`] - r[`${prefix}MemBeforeMb`]) / r[`${prefix}MemBeforeMb`]) * 100);
    rows.push(
      [`1,000,000-row result, ${format} (${mb} MB, ${runs[0][`${prefix}Files`]} files): first rows on screen after SUCCESS seen`, ms(`${prefix}FirstRowsMs`), s(`${prefix}FirstRowsMs`), '<= 1000 ms', m(`${prefix}FirstRowsMs`) <= 1000],
      ['    the webview\'s report of it read by the host', ms(`${prefix}FirstRowsReportReadMs`), s(`${prefix}FirstRowsReportReadMs`), '', true],
      ['    of which: download started / first rows read (posted)', `${m(`${prefix}LoadingPostedMs`).toFixed(1)} / ${m(`${prefix}FirstReadyPostedMs`).toFixed(1)} ms`, s(`${prefix}FirstReadyPostedMs`), '', true],
      ['  all rows reachable (1,000,000-row state posted)', ms(`${prefix}ReadyMs`), s(`${prefix}ReadyMs`), '<= 3000 ms', m(`${prefix}ReadyMs`) <= 3000],
      ['  sort by a BIGINT column (new order posted)', ms(`${prefix}SortMs`), s(`${prefix}SortMs`), '<= 1500 ms', m(`${prefix}SortMs`) <= 1500],
      ['    sorted rows drawn', ms(`${prefix}SortDrawnMs`), s(`${prefix}SortDrawnMs`), '', true],
      ['  scroll to the last row: drawn (in the page)', ms(`${prefix}ScrollLastMs`), s(`${prefix}ScrollLastMs`), '<= 100 ms', m(`${prefix}ScrollLastMs`) <= 100],
      [
        '  host heap + buffers: growth with the result shown',
        `${m(`${prefix}MemBeforeMb`).toFixed(1)} → ${m(`${prefix}MemShownMb`).toFixed(1)} MB (+${median(growth).toFixed(1)} MB)`,
        spread(growth) + ' MB',
        '<= 400 MB',
        median(growth) <= 400,
      ],
      ['  after the panel closed, against before', `${m(`${prefix}MemAfterMb`).toFixed(1)} MB (${median(back).toFixed(1)}%)`, spread(back) + ' %', 'within 10%', Math.abs(median(back)) <= 10],
    );
  }
  const changes = runs[0].pollChanges;
  const statusName = ['?', 'STARTED', 'SUCCESS'];
  const seen = [];
  for (let i = 0; i < changes; i++) {
    seen.push(`${statusName[runs[0][`pollChange${i}Status`]]} ${m(`pollChange${i}Ms`).toFixed(0)} ms (interval ${m(`pollChange${i}IntervalMs`)})`);
  }
  const worst = Math.max(...runs.map((r) => r.pollWorstOverIntervalMs));
  rows.push(
    [`${(m('poll30sDurationMs') / 1000).toFixed(1)} s query: GetProtectedQuery calls`, String(Math.max(...runs.map((r) => r.poll30sGetCalls))), s('poll30sGetCalls'), '<= 15', Math.max(...runs.map((r) => r.poll30sGetCalls)) <= 15],
    [`  status change seen after the endpoint made it: ${seen.join(', ')}`, `interval ${worst >= 0 ? '+' : ''}${worst.toFixed(0)} ms (worst)`, '', '<= poll interval + 200 ms', worst <= 200],
  );
  return rows;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

async function main() {
  const t0 = Date.now();
  npm('package');
  npm('compile-tests');
  await ensureCodeServer();
  await ensureChromium();

  const bundle = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'extension.js'));
  const sizes = {
    bundleBytes: bundle.length,
    bundleGzipBytes: zlib.gzipSync(bundle, { level: 9 }).length,
    vsixBytes: fs.statSync(VSIX).size,
    lazy: ['sdk.js', 'parsers.js', 'sqlparser.js'].map((f) => {
      const bytes = fs.readFileSync(path.join(REPO_ROOT, 'dist', f));
      return `${(bytes.length / 1024).toFixed(0)}/${(zlib.gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KB`;
    }).join(' · '),
  };

  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    process.stdout.write(`bench: run ${i + 1}/${RUNS}… `);
    runs.push(await runOnce(i));
    process.stdout.write('done\n');
  }
  const m = (key) => median(runs.map((r) => r[key]));
  const s = (key) => spread(runs.map((r) => r[key]));
  const listedPages = Math.ceil(runs[0].listedMemberships1000 / 100);

  /** [measure, median, spread, budget text, pass] */
  const rows = [
    ['bundle dist/extension.js (raw / gzip)', `${(sizes.bundleBytes / 1024).toFixed(1)} KB / ${(sizes.bundleGzipBytes / 1024).toFixed(1)} KB`, '', 'as small as the SDK allows', true],
    // 350 KB until issue 12, which adds the SQL parser (43 KB gzipped), the third-party notices and
    // the authoring features: the budget moved to 450 KB then, on purpose and said in the README.
    ['.vsix size', `${(sizes.vsixBytes / 1024).toFixed(1)} KB`, '', '<= 450 KB', sizes.vsixBytes <= 450 * 1024],
    ['load + activate', `${m('activateMs').toFixed(1)} ms`, s('activateMs'), '<= 100 ms', m('activateMs') <= 100],
    ['  lazy bundles, loaded on first use: sdk.js / parsers.js / sqlparser.js (raw, gzip)', sizes.lazy, '', 'not loaded at activation', true],
  ];
  // A few configured memberships are labelled with a GetMembership each; many from the list pages.
  const labelExpect = (n) => (n <= 20 ? { list: 0, get: n } : { list: listedPages, get: 0 });
  for (const n of [10, 100, 1000]) {
    const want = labelExpect(n);
    rows.push([`tree first paint, ${n} memberships`, `${m(`treeFirstPaint${n}Ms`).toFixed(1)} ms`, s(`treeFirstPaint${n}Ms`), n === 1000 ? '<= 200 ms' : '', n === 1000 ? m('treeFirstPaint1000Ms') <= 200 : true]);
    rows.push([`  network calls before first paint (${n})`, String(m(`treeCallsBeforePaint${n}`)), s(`treeCallsBeforePaint${n}`), n === 1000 ? '0' : '', n === 1000 ? Math.max(...runs.map((r) => r.treeCallsBeforePaint1000)) === 0 : true]);
    rows.push([
      `  API calls to label ${n} (List / Get)`,
      `${m(`labelListCalls${n}`)} / ${m(`labelGetCalls${n}`)}`,
      '',
      want.list === 0 ? `0 List, ${n} GetMembership` : `${listedPages} ListMemberships pages (${runs[0].listedMemberships1000} listed), 0 Get`,
      runs.every((r) => r[`labelListCalls${n}`] === want.list && r[`labelGetCalls${n}`] === want.get),
    ]);
  }
  rows.push(
    [`label 10 of ${runs[0].listedMemberships1000.toLocaleString('en-US')} memberships at 100 ms latency (refresh)`, `${m('labelRefresh10Ms').toFixed(1)} ms`, s('labelRefresh10Ms'), '<= 300 ms', m('labelRefresh10Ms') <= 300],
    ['  first load after activation (loads the SDK; first GetMembership alone)', `${m('labelFirstLoad10Ms').toFixed(1)} ms`, s('labelFirstLoad10Ms'), '', true],
  );
  const overhead = m('panelOpen100Ms') - 100;
  rows.push(
    ['new panel (new webview) to data rendered, 0 ms latency', `${m('panelOpen0Ms').toFixed(1)} ms`, s('panelOpen0Ms'), '', true],
    ['new panel (new webview) to data rendered, 100 ms latency', `${m('panelOpen100Ms').toFixed(1)} ms`, s('panelOpen100Ms'), '', true],
    ['  of which: webview script ready (VS Code start-up)', `${m('panelReady100Ms').toFixed(1)} ms`, s('panelReady100Ms'), '', true],
    ['  first panel of the window: rendered / script ready', `${m('panelFirstOpenMs').toFixed(1)} / ${m('panelFirstReadyMs').toFixed(1)} ms`, s('panelFirstOpenMs'), '', true],
    ['  of which: data fetched and posted (0 / 100 ms)', `${m('panelDataPosted0Ms').toFixed(1)} / ${m('panelDataPosted100Ms').toFixed(1)} ms`, s('panelDataPosted100Ms'), '', true],
    ['  extension overhead beyond the round trip', `${(m('panelDataPosted100Ms') - 100).toFixed(1)} ms`, '', '<= 50 ms (median)', m('panelDataPosted100Ms') - 100 <= 50],
    ['  rendered beyond the round trip (VS Code\'s webview start-up)', `${overhead.toFixed(1)} ms`, '', '', true],
  );
  // The preview panel (one reused webview): null = not measured, shown as n/a.
  const preview = runs.every((r) => r.previewAvailable === 1);
  const na = 'n/a (no preview panel)';
  const previewRow = (measure, key, budgetMs, budgetText = `<= ${budgetMs.toFixed(0)} ms (median)`) => [
    measure,
    preview ? `${m(key).toFixed(1)} ms` : na,
    preview ? s(key) : '',
    budgetText,
    preview ? m(key) <= budgetMs : null,
  ];
  // "Round trip + 50 ms": the round trip as the panel measured it (GetMembership fetched and posted).
  const roundTrip0 = m('panelDataPosted0Ms');
  const roundTrip100 = m('panelDataPosted100Ms');
  rows.push(
    previewRow('switch the preview panel to another membership: data rendered, 0 ms latency', 'previewSwitch0Ms', roundTrip0 + 50, `<= round trip (${roundTrip0.toFixed(1)}) + 50 ms`),
    previewRow('switch the preview panel to another membership: data rendered, 100 ms latency', 'previewSwitch100Ms', roundTrip100 + 50, `<= round trip (${roundTrip100.toFixed(1)}) + 50 ms`),
    previewRow('open a cached membership: data rendered (100 ms latency)', 'previewCachedMs', 50),
    ['  first show of the preview panel (creates its webview)', preview ? `${m('previewFirstShowMs').toFixed(1)} ms` : na, preview ? s('previewFirstShowMs') : '', '', true],
  );
  const growth = runs.map((r) => (r.heapAfterMb - r.heapBeforeMb) / r.heapBeforeMb * 100);
  rows.push([
    'host heap before → after 50 panels opened and closed',
    `${m('heapBeforeMb').toFixed(1)} → ${m('heapAfterMb').toFixed(1)} MB (${median(growth).toFixed(1)}%)`,
    spread(growth) + ' %',
    'within 10%',
    median(growth) <= 10,
  ]);

  rows.push(...queryRows(runs, m, s));
  rows.push(...authoringRows(runs, m, s));

  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => String(r[c]).length), ['measure', 'median', 'spread', 'budget'][c].length));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  console.log(`\nClean Rooms Explorer benchmark — ${RUNS} runs, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, code-server 4.100.3\n`);
  console.log(`${line(['measure', 'median', 'spread', 'budget'])} | result`);
  console.log(`${widths.map((w) => '-'.repeat(w)).join('-|-')}-|-------`);
  for (const r of rows) {
    console.log(`${line(r.slice(0, 4))} | ${r[3] ? (r[4] === null ? 'n/a' : r[4] ? 'PASS' : 'FAIL') : ''}`);
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const report = { date: new Date().toISOString(), machine: { cores: os.cpus().length, memGiB: os.totalmem() / 2 ** 30, node: process.version }, sizes, runs, rows };
  fs.writeFileSync(path.join(OUT_DIR, 'bench.json'), JSON.stringify(report, null, 2));
  const failed = rows.filter((r) => r[3] && r[4] === false).length;
  const unmeasured = rows.filter((r) => r[3] && r[4] === null).length;
  console.log(`\nbench: ${rows.filter((r) => r[3] && r[4] === true).length} budgets passed, ${failed} failed${unmeasured ? `, ${unmeasured} not measured` : ''} (${((Date.now() - t0) / 1000).toFixed(0)} s); bench-results/bench.json`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), async (err) => {
  console.error('bench:', err);
  await stopAll();
  process.exit(1);
});
