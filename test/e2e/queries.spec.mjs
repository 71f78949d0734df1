// Running protected queries as a person does (issue 11): a .sql file bound to a membership with
// `-- @membership <id>`, the Run CodeLens and Ctrl+Enter, the billed-run confirmation, the query
// panel beside the editor with its results grid (CSV and multi-part Parquet read from the fake's
// local S3), sorting, filtering and copying in the real webview, Cancel, a rule violation, Edit
// Settings… on a membership panel, and axe-core on a panel with results in the four themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { notification, openCleanRoomsView, screenshot, test, treeRow, openFile } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const { SAMPLE, FAULT_IDS } = require('../../out/test/fakes/fixtures.js');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const MAX_INT64 = '9223372036854775807';
/** The seed's loyalty_transactions.points (test/fakes/queryEngine.ts): row i holds this. */
const BIG = 9007199254740993n;
const POINTS = Array.from({ length: 30 }, (_, i) => (i === 0 ? MAX_INT64 : String(BIG * BigInt(i + 1))));
const HOSTILE_NOTE = '=HYPERLINK("http://x")';
const LIST_SQL = 'SELECT tier, points, member_since, note FROM loyalty_transactions';

const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Helpers

/** Writes `<workspace>/<name>` bound to `membershipId` with `statements` (each ends with `;`). */
function writeSql(workspace, name, membershipId, statements) {
  fs.writeFileSync(path.join(workspace, name), [`-- @membership ${membershipId}`, ...statements.map((s) => `${s};`), ''].join('\n'));
}

/** The Run CodeLenses of the visible editor. */
function codeLenses(page) {
  return page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run' });
}

/** The workbench's modal dialog. */
function modal(page) {
  return page.locator('.monaco-dialog-box');
}

/** The visible webview's content frame (the query panel beside the editor, or a membership panel). */
function panelFrame(page) {
  return page.locator('iframe.webview.ready:visible').first().contentFrame().locator('#active-frame').contentFrame();
}

/** The Playwright Frame behind the visible webview (evaluate runs what the page's CSP would refuse). */
async function contentFrame(page) {
  const handle = await panelFrame(page).locator('html').elementHandle();
  const frame = await handle.ownerFrame();
  assert.ok(frame, 'the webview frame');
  return frame;
}

/** Protected-query requests of one kind for one membership, from `mark` on. */
function sent(endpoint, mark, operation, membershipId) {
  return endpoint.requests.slice(mark).filter((r) => r.operation === operation && r.membershipId === membershipId);
}

/** Waits until `count` requests of `operation` for `membershipId` were sent after `mark`. */
async function waitForSent(endpoint, mark, operation, membershipId, count = 1, timeout = 30_000) {
  const t0 = Date.now();
  while (sent(endpoint, mark, operation, membershipId).length < count) {
    if (Date.now() - t0 > timeout) throw new Error(`${operation} for ${membershipId} not sent ${count} time(s) within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Answers the run confirmation with `button`, after checking what it names. */
async function confirmRun(page, m, button, expect = {}) {
  const box = modal(page);
  await box.waitFor({ state: 'visible', timeout: 30_000 });
  const text = await box.innerText();
  assert.match(text, new RegExp(`Run this query on ${escape(m.collaborationName)}\\? It is billed\\.`), text);
  assert.match(text, new RegExp(`Membership: ${m.id}`), text);
  assert.match(text, new RegExp(`Collaboration: ${escape(m.collaborationName)}`), text);
  assert.match(text, /Compute paid by: this membership \(you\)/, text);
  const s3 = m.defaultResultConfiguration.outputConfiguration.s3;
  assert.match(text, new RegExp(`Results to: ${escape(`s3://${s3.bucket}/${s3.keyPrefix ?? ''} (${s3.resultFormat})`)}`), text);
  if (expect.sql) assert.ok(text.includes(expect.sql), `the statement is shown: ${text}`);
  await box.getByRole('button', { name: button, exact: true }).click();
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Waits for the query panel's status badge to read `status`. */
async function panelStatus(page, status, timeout = 30_000) {
  await panelFrame(page).locator('body[data-state="query"] .status-badge', { hasText: new RegExp(`^${status}$`) }).waitFor({ state: 'visible', timeout });
}

/** The grid's column headers as [name, type]. */
async function headers(page) {
  return panelFrame(page).locator('.grid').evaluate((grid) =>
    [...grid.querySelectorAll('.grid-colhead[data-col]')].map((h) => [h.querySelector('.grid-colname')?.textContent, h.querySelector('.grid-coltype')?.textContent]),
  );
}

/**
 * Every row of the grid, read by scrolling it from top to bottom (it draws only the rows in view):
 * row number, and each cell's text, whether it is the NULL mark and how many child elements it has.
 */
async function allRows(page) {
  const frame = await contentFrame(page);
  return frame.evaluate(async () => {
    const grid = /** @type {HTMLElement} */ (document.querySelector('.grid'));
    const count = Number(grid.getAttribute('aria-rowcount')) - 1;
    const frameDone = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    /** @type {Map<number, {number: string, cells: {text: string, isNull: boolean, children: number}[]}>} */
    const seen = new Map();
    for (let top = 0, guard = 0; guard < 1000; guard++) {
      grid.scrollTop = top;
      await frameDone();
      const t0 = Date.now();
      while ([...grid.querySelectorAll('.grid-row')].some((r) => r.dataset.filled !== '1') && Date.now() - t0 < 10_000) await frameDone();
      for (const r of grid.querySelectorAll('.grid-row[data-filled="1"]')) {
        seen.set(Number(r.getAttribute('aria-rowindex')), {
          number: r.children[0].textContent ?? '',
          cells: [...r.querySelectorAll('.grid-cell')].map((c) => ({ text: c.textContent ?? '', isNull: c.classList.contains('null'), children: c.children.length })),
        });
      }
      if (seen.size >= count || grid.scrollTop + grid.clientHeight >= grid.scrollHeight) break;
      top = grid.scrollTop + Math.max(24, grid.clientHeight / 2);
    }
    grid.scrollTop = 0;
    return { count, rows: [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row) };
  });
}

/** The first drawn data row's cell texts. */
async function firstRow(page) {
  const row = panelFrame(page).locator('.grid-row[aria-rowindex="2"][data-filled="1"]');
  await row.waitFor({ state: 'attached', timeout: 15_000 });
  return row.locator('.grid-cell').allTextContents();
}

/**
 * Opens a new bound .sql file with LIST_SQL on `m`, runs it from its CodeLens (confirming with
 * Run), and waits for the results grid. Returns the request mark taken before the click.
 */
async function runListQuery(page, endpoint, workspace, m, file) {
  writeSql(workspace, file, m.id, [LIST_SQL]);
  await openFile(page, file);
  await codeLenses(page).first().waitFor({ state: 'visible', timeout: 30_000 });
  const mark = endpoint.requests.length;
  await codeLenses(page).first().click();
  await confirmRun(page, m, 'Run', { sql: LIST_SQL });
  await panelStatus(page, 'Success');
  await panelFrame(page).locator('.grid-row[aria-rowindex="2"][data-filled="1"]').waitFor({ state: 'attached', timeout: 30_000 });
  // The whole result, not the rows read so far ("8 rows so far, reading the rest…").
  await panelFrame(page).locator('.results-summary', { hasText: /^[\d,]+ rows · / }).waitFor({ timeout: 30_000 });
  return mark;
}

const THEMES = [
  { name: 'Default Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { name: 'Default Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
  { name: 'Default High Contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' },
  { name: 'Default High Contrast Light', workbenchClass: 'hc-light', webviewClass: 'vscode-high-contrast-light' },
];

/** Sets the colour theme in the workspace settings and waits until the workbench uses it (as panelLook.spec does). */
async function useTheme(page, workspace, theme) {
  const file = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  settings['workbench.colorTheme'] = theme.name;
  const themed = page.locator(`.monaco-workbench.${theme.workbenchClass}`);
  for (let attempt = 0; attempt < 6; attempt++) {
    fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n'.repeat(attempt % 2));
    try {
      await themed.waitFor({ state: 'attached', timeout: 10_000 });
      return;
    } catch {
      // the file watcher missed the write: write again
    }
  }
  await themed.waitFor({ state: 'attached', timeout: 1_000 });
}

// ---------------------------------------------------------------------------------------------

describe('running queries', () => {
  it('the Run CodeLens confirms, starts once, and the panel beside the editor shows the CSV rows exactly and inertly', test(async ({ page, endpoint, workspace }) => {
    const m = SAMPLE.ctvReach;
    writeSql(workspace, 'run-codelens.sql', m.id, [LIST_SQL, 'SELECT segment, score FROM store_visits']);
    await openFile(page, 'run-codelens.sql');
    // One Run above each statement; the status bar names the collaboration.
    await codeLenses(page).nth(1).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await codeLenses(page).count(), 2, 'a Run CodeLens per statement');
    await page.locator('.statusbar-item', { hasText: m.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });

    const mark = endpoint.requests.length;
    await codeLenses(page).first().click();
    await confirmRun(page, m, 'Run', { sql: LIST_SQL });
    await panelStatus(page, 'Success');
    await screenshot(page, 'queries-codelens-run');

    // The panel opened beside the SQL, and the keyboard stayed in the editor.
    const groups = page.locator('.editor-group-container');
    assert.equal(await groups.count(), 2, 'the panel opened in a second editor group');
    await groups.nth(0).locator('.tab', { hasText: 'run-codelens.sql' }).waitFor({ state: 'attached' });
    await groups.nth(1).locator('.tab', { hasText: /^Query [0-9a-f]{8}/ }).waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest('.editor-group-container .monaco-editor'))), true,
      `focus stayed in the editor (it is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))})`);

    const frame = panelFrame(page);
    await frame.locator('.grid-row[aria-rowindex="2"][data-filled="1"]').waitFor({ state: 'attached', timeout: 30_000 });
    // The rows read so far may show first; wait for the whole result.
    await frame.locator('.results-summary', { hasText: /^30 rows · CSV · / }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await headers(page), [['tier', 'text'], ['points', 'text'], ['member_since', 'text'], ['note', 'text']]);
    const { count, rows } = await allRows(page);
    assert.equal(count, 30);
    assert.deepEqual(rows.map((r) => r.number), Array.from({ length: 30 }, (_, i) => String(i + 1)), 'row numbers 1..30');
    // 64-bit values exact (2^63-1 and multiples of 2^53+1).
    assert.deepEqual(rows.map((r) => r.cells[1].text).sort(), [...POINTS].sort());
    // NULL is marked, distinct from the empty string.
    const notes = rows.map((r) => r.cells[3]);
    assert.equal(notes.filter((c) => c.isNull && c.text === 'NULL').length, 6, 'six NULL notes, marked');
    assert.equal(notes.filter((c) => !c.isNull && c.text === '').length, 6, 'six empty notes, blank');
    // Hostile text is text: no element made from it, anywhere in the results.
    const hostile = notes.filter((c) => c.text === HOSTILE_NOTE);
    assert.equal(hostile.length, 6);
    assert.ok(hostile.every((c) => c.children === 0 && !c.isNull));
    assert.equal(await frame.locator('.results-section a, .results-section img, .results-section iframe').count(), 0, 'no link or image made from data');

    // Exactly one start for one click.
    await page.waitForTimeout(1000);
    assert.equal(sent(endpoint, mark, 'StartProtectedQuery', m.id).length, 1, 'one StartProtectedQuery');
    assert.equal(endpoint.startedQueries(m.id)[0].sqlParameters.queryString, LIST_SQL);
  }));

  it('Ctrl+Enter runs the statement under the cursor; "Run and Don\'t Ask Again" turns the confirmation off for the next one', test(async ({ page, endpoint, workspace, codeServer }) => {
    const m = SAMPLE.ctvReach;
    const first = 'SELECT tier, points FROM loyalty_transactions';
    const second = 'SELECT segment, score FROM store_visits';
    writeSql(workspace, 'ctrl-enter.sql', m.id, [first, '', second]);
    const settingsFiles = ['User', 'Machine'].map((d) => path.join(codeServer.userDataDir, d, 'settings.json'));
    const saved = settingsFiles.map((f) => fs.readFileSync(f, 'utf8'));
    try {
      await openFile(page, 'ctrl-enter.sql');
      await codeLenses(page).nth(1).waitFor({ state: 'visible', timeout: 30_000 });
      // The cursor in the second statement (line 4).
      await page.locator('.monaco-editor .view-line', { hasText: 'FROM store_visits' }).click();
      const mark = endpoint.requests.length;
      await page.keyboard.press('Control+Enter');
      await confirmRun(page, m, "Run and Don't Ask Again", { sql: second });
      await waitForSent(endpoint, mark, 'StartProtectedQuery', m.id);
      assert.equal(endpoint.startedQueries(m.id)[0].sqlParameters.queryString, second, 'the statement under the cursor ran');
      await panelStatus(page, 'Success');
      // Written to the user's settings (code-server's Global target may be either file).
      const written = settingsFiles.map((f) => JSON.parse(fs.readFileSync(f, 'utf8'))['cleanRooms.query.confirmBeforeRun']);
      assert.ok(written.includes(false), `cleanRooms.query.confirmBeforeRun false in user settings: ${JSON.stringify(written)}`);

      // The keyboard is still in the editor: up to the first statement and Ctrl+Enter again.
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Control+Enter');
      await waitForSent(endpoint, mark, 'StartProtectedQuery', m.id, 2);
      assert.equal(await modal(page).count(), 0, 'no confirmation this time');
      assert.equal(endpoint.startedQueries(m.id)[0].sqlParameters.queryString, first);
      await page.waitForTimeout(1000);
      assert.equal(sent(endpoint, mark, 'StartProtectedQuery', m.id).length, 2, 'one start per Ctrl+Enter');
    } finally {
      settingsFiles.forEach((f, i) => fs.writeFileSync(f, saved[i]));
    }
  }));

  it('Parquet results in several parts: every row of every part, the count right, INT64 exact', test(async ({ page, endpoint, workspace }) => {
    const m = SAMPLE.clinicalTrials; // PARQUET, singleFileOutput false
    const mark = await runListQuery(page, endpoint, workspace, m, 'parquet-parts.sql');
    const frame = panelFrame(page);
    // The rows read so far show first ("… so far, reading the rest"); wait for the whole result.
    await frame.locator('.results-summary', { hasText: /^30 rows · PARQUET · / }).waitFor({ timeout: 30_000 });
    const summary = await frame.locator('.results-summary').innerText();
    const files = Number(/ · (\d+) files · /.exec(summary)?.[1]);
    assert.match(summary, /^30 rows · PARQUET · /);
    assert.ok(files > 1, `several part files: ${summary}`);
    const [tier, points, since, note] = await headers(page);
    assert.deepEqual([tier[0], points[0], since[0], note[0]], ['tier', 'points', 'member_since', 'note']);
    assert.match(points[1], /INT/, `points is a 64-bit integer column: ${points[1]}`);
    assert.equal(since[1], 'DATE');
    const { count, rows } = await allRows(page);
    assert.equal(count, 30);
    assert.deepEqual(rows.map((r) => r.number), Array.from({ length: 30 }, (_, i) => String(i + 1)));
    assert.deepEqual(rows.map((r) => r.cells[1].text).sort(), [...POINTS].sort(), 'every part read, 64-bit values exact');
    assert.equal(rows.filter((r) => r.cells[3].isNull).length, 6);
    assert.equal(rows.filter((r) => !r.cells[3].isNull && r.cells[3].text === '').length, 6);
    assert.equal(sent(endpoint, mark, 'StartProtectedQuery', m.id).length, 1);
    await screenshot(page, 'queries-parquet-parts');
  }));

  it('the grid sorts on a header click, filters as you type, and Ctrl+C copies the selected cell', test(async ({ page, context, endpoint, workspace, codeServer }) => {
    const m = SAMPLE.ctvReach;
    await runListQuery(page, endpoint, workspace, m, 'grid-actions.sql');
    const frame = panelFrame(page);
    const pointsHeader = frame.locator('.grid-colhead[data-col="1"]');
    assert.equal(await pointsHeader.getAttribute('aria-sort'), null);
    const before = await firstRow(page);

    await pointsHeader.click();
    await frame.locator('.grid-colhead[data-col="1"][aria-sort="ascending"]').waitFor({ state: 'attached', timeout: 10_000 });
    // Numbers compare as numbers (as text, 108086391056891916 would come first).
    await frame.locator('.grid-row[aria-rowindex="2"][data-filled="1"] .grid-cell[data-col="1"]', { hasText: /^18014398509481986$/ }).waitFor({ state: 'attached', timeout: 10_000 });
    assert.notDeepEqual(await firstRow(page), before, 'the first row changed');
    await pointsHeader.click();
    await frame.locator('.grid-colhead[data-col="1"][aria-sort="descending"]').waitFor({ state: 'attached', timeout: 10_000 });
    await frame.locator('.grid-row[aria-rowindex="2"][data-filled="1"] .grid-cell[data-col="1"]', { hasText: new RegExp(`^${MAX_INT64}$`) }).waitFor({ state: 'attached', timeout: 10_000 });

    await frame.locator('.results-filter').fill('gold');
    await frame.locator('.results-summary', { hasText: /^10 of 30 rows/ }).waitFor({ state: 'visible', timeout: 10_000 });
    const { rows } = await allRows(page);
    assert.equal(rows.length, 10);
    assert.ok(rows.every((r) => r.cells[0].text === 'gold'), 'only gold rows');
    await screenshot(page, 'queries-grid-sorted-filtered');

    // Ctrl+C on a selected cell puts its text (the whole 64-bit value) on the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: codeServer.url });
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    const cell = frame.locator('.grid-row[aria-rowindex="2"][data-filled="1"] .grid-cell[data-col="1"]');
    const value = (await cell.textContent()) ?? '';
    assert.match(value, /^\d{17,19}$/);
    await cell.click();
    await frame.locator('.grid-cell.active.selected[data-col="1"]').waitFor({ state: 'attached' });
    await page.keyboard.press('Control+C');
    let clip = '';
    for (let i = 0; i < 50 && clip !== value; i++) {
      await page.waitForTimeout(100);
      clip = await page.evaluate(() => navigator.clipboard.readText());
    }
    assert.equal(clip, value, 'the cell\'s text is on the clipboard');
    // Still in the grid (the copy took no focus away).
    assert.equal(await frame.locator('.grid').evaluate((g) => g.contains(document.activeElement)), true, 'focus stayed in the grid');
  }));

  it('Cancel Query in the panel: Cancelling, then Cancelled, with one UpdateProtectedQuery', test(async ({ page, endpoint, workspace }) => {
    const id = FAULT_IDS.queryTimeout; // STARTED forever
    writeSql(workspace, 'cancel.sql', id, ['SELECT segment, score FROM store_visits']);
    await openFile(page, 'cancel.sql');
    await codeLenses(page).first().waitFor({ state: 'visible', timeout: 30_000 });
    const mark = endpoint.requests.length;
    await codeLenses(page).first().click();
    const box = modal(page);
    await box.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await box.innerText(), new RegExp(`Membership: ${id}`));
    await box.getByRole('button', { name: 'Run', exact: true }).click();
    await panelStatus(page, 'Started');
    const frame = panelFrame(page);
    // Every status the badge shows from now on.
    const seen = await frame.locator('body').evaluate((body) => {
      const list = [];
      const record = () => {
        const text = body.querySelector('.status-badge')?.textContent;
        if (text && list.at(-1) !== text) list.push(text);
      };
      new MutationObserver(record).observe(body, { subtree: true, childList: true, characterData: true });
      Reflect.set(window, '__statuses', list);
      return list.length;
    });
    assert.equal(seen, 0);
    await frame.getByRole('button', { name: 'Cancel Query' }).click();
    await panelStatus(page, 'Cancelled');
    const statuses = await frame.locator('body').evaluate(() => Reflect.get(window, '__statuses'));
    assert.deepEqual(statuses.filter((s) => s !== 'Started'), ['Cancelling', 'Cancelled'], `statuses: ${statuses.join(' -> ')}`);
    assert.equal(await frame.getByRole('button', { name: 'Cancel Query' }).count(), 0, 'nothing left to cancel');
    await page.waitForTimeout(1000);
    assert.equal(sent(endpoint, mark, 'UpdateProtectedQuery', id).length, 1, 'one UpdateProtectedQuery');
    assert.equal(sent(endpoint, mark, 'StartProtectedQuery', id).length, 1);
    await screenshot(page, 'queries-cancelled');
  }));

  it('a rule violation: the panel shows Failed with the service\'s message, and an error notification says it', test(async ({ page, endpoint, workspace }) => {
    const m = SAMPLE.ctvReach;
    const sql = 'SELECT hashed_email FROM campaign_exposures';
    writeSql(workspace, 'violation.sql', m.id, [sql]);
    await openFile(page, 'violation.sql');
    await codeLenses(page).first().waitFor({ state: 'visible', timeout: 30_000 });
    const mark = endpoint.requests.length;
    await codeLenses(page).first().click();
    await confirmRun(page, m, 'Run', { sql });
    await panelStatus(page, 'Failed');
    const message = 'Column hashed_email of table campaign_exposures can only be used in a JOIN ON clause';
    const frame = panelFrame(page);
    await frame.locator('dd[data-field="Message"]', { hasText: message }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await frame.locator('.status-badge.tone-bad').waitFor({ state: 'visible' });
    await notification(page, message).first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await notification(page, message).first().innerText(), new RegExp(`Query [0-9a-f]{8} on ${escape(m.collaborationName)} failed:`));
    assert.equal(sent(endpoint, mark, 'StartProtectedQuery', m.id).length, 1);
    await screenshot(page, 'queries-rule-violation');
  }));

  it('Edit Settings… on a membership panel: before -> after and the JSON, then one UpdateMembership and the panel refreshed', test(async ({ page, endpoint }) => {
    const m = SAMPLE.travelSandbox; // query logging ENABLED; nothing else in the e2e specs reads it
    await openCleanRoomsView(page);
    const row = treeRow(page, new RegExp(`^${escape(m.collaborationName)}`));
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    const frame = panelFrame(page);
    await frame.locator('body[data-state="membership"] h1', { hasText: m.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('dd[data-field="Query logs"]', { hasText: 'Enabled' }).waitFor({ state: 'visible' });
    const mark = endpoint.requests.length;
    await frame.getByRole('button', { name: 'Edit Settings…' }).click();

    const pick = async (label) => {
      const item = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      await item.click();
    };
    await pick('Query logging');
    await pick('Disabled');
    const box = modal(page);
    await box.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await box.innerText();
    assert.match(text, new RegExp(`Change the settings of your membership in ${escape(m.collaborationName)}\\?`), text);
    assert.match(text, /Query logging: Enabled → Disabled/, text);
    assert.match(text, /UpdateMembership request body:\s*\{\s*"queryLogStatus": "DISABLED"\s*\}/, text);
    await screenshot(page, 'queries-edit-settings-confirm');
    assert.equal(sent(endpoint, mark, 'UpdateMembership', m.id).length, 0, 'nothing sent before the confirmation');
    await box.getByRole('button', { name: 'Update Membership', exact: true }).click();

    await waitForSent(endpoint, mark, 'UpdateMembership', m.id);
    await frame.locator('dd[data-field="Query logs"]', { hasText: 'Disabled' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(500);
    const updates = sent(endpoint, mark, 'UpdateMembership', m.id);
    assert.equal(updates.length, 1, 'one UpdateMembership');
    assert.deepEqual(updates[0].body, { queryLogStatus: 'DISABLED' });
  }));

  it('a query panel with results and a selected cell has no axe-core findings in the four themes', test(async ({ page, endpoint, workspace }) => {
    await runListQuery(page, endpoint, workspace, SAMPLE.ctvReach, 'axe.sql');
    const frame = panelFrame(page);
    // A cell with text (axe checks the contrast of text only), selected with the grid focused.
    await frame.locator('.grid-row[aria-rowindex="4"][data-filled="1"] .grid-cell[data-col="1"]').click();
    await frame.locator('.grid:focus .grid-cell.active.selected').waitFor({ state: 'attached' });
    const problems = [];
    for (const theme of THEMES) {
      await useTheme(page, workspace, theme);
      await frame.locator(`body.${theme.webviewClass}[data-state="query"]`).waitFor({ state: 'attached', timeout: 30_000 });
      // The theme's colours are in place a frame after the class.
      await page.waitForTimeout(300);
      const content = await contentFrame(page);
      await content.evaluate(AXE_SOURCE);
      const result = await content.evaluate(async () => {
        const axe = Reflect.get(window, 'axe');
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        const contrast = r.passes.filter((v) => v.id === 'color-contrast').flatMap((v) => v.nodes.map((n) => n.html.slice(0, 120)));
        return {
          violations: r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          unsure: r.incomplete.filter((v) => v.id === 'color-contrast').flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${(n.any[0]?.message ?? n.failureSummary ?? '').replace(/\s+/g, ' ')}`)),
          contrast,
        };
      });
      console.log(`axe ${theme.name}: ${result.violations.length} violations, contrast checked on ${result.contrast.length} elements, undecided on ${result.unsure.length}`);
      // Cells clipped by the scroll box or beside the sticky row numbers: axe cannot sample their background.
      const reasons = new Map();
      for (const u of result.unsure) reasons.set(u.replace(/^.*?: /, ''), (reasons.get(u.replace(/^.*?: /, '')) ?? 0) + 1);
      for (const [reason, n] of reasons) console.log(`    contrast undecided on ${n}: ${reason}`);
      problems.push(...result.violations.map((v) => `${theme.name}: ${v}`));
      assert.ok(result.contrast.some((html) => html.includes('grid-cell')), `${theme.name}: axe checked the grid cells' contrast`);
      assert.ok(result.contrast.some((html) => /grid-cell[^"]*selected/.test(html)), `${theme.name}: axe checked the selected cell's contrast`);
      assert.ok(result.contrast.some((html) => /grid-cell[^"]*null/.test(html)), `${theme.name}: axe checked the NULL mark's contrast`);
      await screenshot(page, `queries-axe-${theme.webviewClass}`);
    }
    assert.deepEqual(problems, [], 'axe findings');
  }));
});
