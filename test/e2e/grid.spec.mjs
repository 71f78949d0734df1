// The query panel's results grid (issue 11), in a plain Chromium page: media/grid.js and
// media/panel.js under the production CSP, with a stub host answering `rowsRequest` from a
// 1,000,000-row result (test/e2e/gridPage.mjs). Needs no .vsix and no code-server:
//   node test/harness/runGridPage.mjs
// (runE2e.mjs runs it too, beside the workbench specs.) The real host side is covered by the
// integration and e2e suites of the query panel.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT, launchBrowser } from '../harness/codeServer.mjs';
import { THEMES, openGridPage, postQuery, posted } from './gridPage.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ROW_COUNT = 1_000_000;

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {Awaited<ReturnType<typeof openGridPage>> | undefined} */
let opened;

async function open(opts) {
  opened = await openGridPage(browser, opts);
  return opened;
}

/** Opens the page showing the 1,000,000-row result, with its first rows drawn. */
async function openResult(opts) {
  const { page, events } = await open(opts);
  await postQuery(page);
  await page.locator('.grid-row[aria-rowindex="2"][data-filled="1"]').waitFor();
  return { page, events };
}

/**
 * Sets the grid's scrollTop and waits until the row at `aria-rowindex` (or, without one, every
 * drawn row) is drawn with its values; returns the milliseconds it took.
 */
async function scrollAndWait(page, scrollTop, rowIndex) {
  return page.evaluate(async ({ top, index }) => {
    const grid = document.querySelector('.grid');
    const t0 = performance.now();
    grid.scrollTop = top;
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    // The scroll event (and the rows it draws) comes with the next frame.
    if (index === undefined) await frame();
    await new Promise((resolve) => {
      const check = () => {
        const done = index === undefined
          ? [...document.querySelectorAll('.grid-row')].every((r) => r.dataset.filled === '1')
          : document.querySelector(`.grid-row[aria-rowindex="${index}"]`)?.dataset.filled === '1';
        if (done) resolve(undefined);
        else requestAnimationFrame(check);
      };
      check();
    });
    // The frame that shows it.
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    return performance.now() - t0;
  }, { top: scrollTop, index: rowIndex });
}

/** The drawn rows: position (aria-rowindex - 2), row number, cells' text, and their y. */
function drawnRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('.grid-row')].map((r) => ({
    index: Number(r.getAttribute('aria-rowindex')),
    number: r.querySelector('.grid-rownum').textContent,
    cells: [...r.querySelectorAll('.grid-cell')].map((c) => c.textContent),
    y: r.getBoundingClientRect().top,
  })).sort((a, b) => a.index - b.index));
}

function activeCell(page) {
  return page.evaluate(() => {
    const grid = document.querySelector('.grid');
    const id = grid.getAttribute('aria-activedescendant');
    const cell = id ? document.getElementById(id) : null;
    return cell ? { rowIndex: Number(cell.closest('[role=row]').getAttribute('aria-rowindex')), colIndex: Number(cell.getAttribute('aria-colindex')), text: cell.textContent } : undefined;
  });
}

/** A data cell by position and data column (0-based). */
function cell(page, pos, col) {
  return page.locator(`.grid-row[aria-rowindex="${pos + 2}"] .grid-cell[data-col="${col}"]`);
}

describe('query results grid (standalone page)', function () {
  this.timeout(60_000);

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await opened?.context.close();
    opened = undefined;
  });

  it('draws only the rows in view of a 1,000,000-row result, with row numbers, column types and a grid role', async () => {
    const { page, events } = await openResult();
    const facts = await page.evaluate(() => {
      const grid = document.querySelector('.grid');
      return {
        role: grid.getAttribute('role'),
        rowcount: grid.getAttribute('aria-rowcount'),
        colcount: grid.getAttribute('aria-colcount'),
        tabIndex: grid.tabIndex,
        rows: document.querySelectorAll('.grid-row').length,
        nodes: document.getElementsByTagName('*').length,
        gridNodes: grid.getElementsByTagName('*').length,
        headers: [...document.querySelectorAll('[role=columnheader]')].map((h) => h.textContent),
        summary: document.querySelector('.results-summary').textContent,
        scrollHeight: grid.scrollHeight,
        status: document.getElementById('status').textContent,
      };
    });
    console.log(`      grid: ${facts.rows} rows drawn, ${facts.gridNodes} elements in the grid, ${facts.nodes} in the page; scrollHeight ${facts.scrollHeight}px`);
    assert.equal(facts.role, 'grid');
    assert.equal(facts.rowcount, String(ROW_COUNT + 1));
    assert.equal(facts.colcount, '5');
    assert.equal(facts.tabIndex, 0);
    assert.ok(facts.rows > 10 && facts.rows < 60, `${facts.rows} rows in the DOM`);
    assert.ok(facts.nodes < 600, `${facts.nodes} elements in the page`);
    assert.ok(facts.scrollHeight < 11_000_000, 'the spacer stays under the browser cap');
    assert.deepEqual(facts.headers, ['Row', 'idbigint', 'namevarchar', 'amountdecimal(38,2)', 'notevarchar']);
    assert.equal(facts.summary, '1,000,000 rows · PARQUET · 3 files · s3://results-bucket/queries/q-1/');
    assert.match(facts.status, /Protected query 1a2b3c4d · Succeeded · 1,000,000 rows/);
    const rows = await drawnRows(page);
    assert.deepEqual(rows[0], { ...rows[0], index: 2, number: '1', cells: ['9007199254740994', 'name 1', '1.25', 'NULL'] });
    // The first request covers the viewport and a margin, not the result.
    const requests = await posted(page, 'rowsRequest');
    assert.ok(requests.length >= 1 && requests.every((r) => r.count <= 300 && r.version === 1), JSON.stringify(requests));
    assert.deepEqual(events.errors, []);
  });

  it('reaches row 1,000,000 by scrolling to the end, drawn within 100 ms, under a header that stays in view', async () => {
    const { page } = await openResult();
    const max = await page.evaluate(() => document.querySelector('.grid').scrollHeight);
    const ms = await scrollAndWait(page, max, ROW_COUNT + 1);
    console.log(`      last row drawn ${ms.toFixed(1)} ms after the jump (request and reply included)`);
    assert.ok(ms <= 100, `${ms} ms`);
    const rows = await drawnRows(page);
    const last = rows[rows.length - 1];
    assert.equal(last.index, ROW_COUNT + 1);
    assert.equal(last.number, String(ROW_COUNT));
    assert.deepEqual(last.cells, [String(9007199254740993n + 1_000_000n), 'name 1000000', '1000000.25', 'note 1000000']);
    const box = await page.evaluate(() => {
      const grid = document.querySelector('.grid').getBoundingClientRect();
      const head = document.querySelector('.grid-head').getBoundingClientRect();
      const lastRow = document.querySelector(`.grid-row[aria-rowindex="1000001"]`).getBoundingClientRect();
      return { gridTop: grid.top, gridBottom: grid.bottom, headTop: head.top, headBottom: head.bottom, lastTop: lastRow.top, lastBottom: lastRow.bottom };
    });
    assert.ok(Math.abs(box.headTop - box.gridTop) <= 1, 'the header sticks to the top');
    assert.ok(box.lastTop >= box.headBottom && box.lastBottom <= box.gridBottom + 1, `the last row is in view: ${JSON.stringify(box)}`);
    // Rows are laid edge to edge even where the scrollbar is scaled.
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i].y - rows[i - 1].y, 24, `row ${rows[i].index}`);
  });

  it('maps the scrollbar onto every row in order: the middle shows row 500,000, one more pixel moves less than a row', async () => {
    const { page } = await openResult();
    const max = await page.evaluate(() => { const g = document.querySelector('.grid'); return g.scrollHeight - g.clientHeight; });
    await scrollAndWait(page, Math.round(max / 2));
    const middle = await drawnRows(page);
    const firstInView = middle[6].index - 2;
    assert.ok(Math.abs(firstInView - ROW_COUNT / 2) < 200, `first row in view ${firstInView}`);
    await page.evaluate((m) => { document.querySelector('.grid').scrollTop = Math.round(m / 2) + 1; }, max);
    await page.waitForTimeout(50);
    const next = await drawnRows(page);
    // 1,000,000 rows over ~10 million px: a pixel is less than a row, so no row can be skipped.
    assert.ok([0, 1].includes(next[6].index - middle[6].index), `one pixel moved ${next[6].index - middle[6].index} rows`);
    for (let i = 1; i < next.length; i++) assert.equal(next[i].index, next[i - 1].index + 1, 'drawn rows are consecutive');
  });

  it('sorts by a clicked column: ascending, descending, then file order, with aria-sort, and drops rows of the old order', async () => {
    const { page } = await openResult();
    const header = page.locator('[role=columnheader]', { hasText: 'amount' });
    await header.click();
    await page.waitForFunction(() => document.querySelector('[role=columnheader][aria-sort]'));
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    await header.click();
    await page.waitForFunction(() => document.querySelector('[role=columnheader][aria-sort="descending"]'));
    await page.locator('.grid-row[aria-rowindex="2"][data-filled="1"]').waitFor();
    // The stub's descending order starts at the file's last row.
    assert.equal(await page.locator('.grid-row[aria-rowindex="2"] .grid-rownum').textContent(), String(ROW_COUNT));
    // A reply for the previous order arriving late is not shown.
    await page.evaluate(() => window.__host.send({ type: 'rows', version: 2, start: 0, rowNumbers: [7], rows: [['stale', 'stale', 'stale', 'stale']] }));
    await page.waitForTimeout(50);
    assert.equal(await page.locator('.grid-row[aria-rowindex="2"] .grid-rownum').textContent(), String(ROW_COUNT));
    await header.click();
    await page.waitForFunction(() => !document.querySelector('[role=columnheader][aria-sort]'));
    const sorts = await posted(page, 'sort');
    assert.deepEqual(sorts, [
      { type: 'sort', column: 2, direction: 'asc' },
      { type: 'sort', column: 2, direction: 'desc' },
      { type: 'sort', column: 2, direction: 'none' },
    ]);
    const versions = new Set((await posted(page, 'rowsRequest')).map((r) => r.version));
    assert.deepEqual([...versions].sort(), [1, 2, 3, 4]);
  });

  it('sorts from the keyboard: ArrowUp into the header, Enter', async () => {
    const { page } = await openResult();
    await cell(page, 0, 1).click();
    await page.keyboard.press('ArrowUp');
    assert.equal((await activeCell(page))?.rowIndex, 1);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[role=columnheader][aria-sort="ascending"]'));
    assert.deepEqual(await posted(page, 'sort'), [{ type: 'sort', column: 1, direction: 'asc' }]);
  });

  it('sends the filter once the typing pauses (200 ms), keeps what is typed, and shows the filtered count', async () => {
    const { page } = await openResult();
    const input = page.getByRole('searchbox', { name: 'Filter rows' });
    await input.click();
    await input.pressSequentially('note 7', { delay: 30 });
    assert.deepEqual(await posted(page, 'filter'), [], 'nothing sent while typing');
    await page.waitForFunction(() => window.__host.posted.some((m) => m.type === 'filter'));
    assert.deepEqual(await posted(page, 'filter'), [{ type: 'filter', text: 'note 7' }]);
    await page.waitForFunction(() => document.querySelector('.results-summary').textContent.startsWith('42 of'));
    assert.equal(await page.locator('.results-summary').textContent(), '42 of 1,000,000 rows · PARQUET · 3 files · s3://results-bucket/queries/q-1/');
    assert.equal(await input.inputValue(), 'note 7');
    assert.ok(await input.evaluate((i) => i === document.activeElement), 'the filter keeps focus through the re-render');
    assert.equal(await page.locator('.grid').getAttribute('aria-rowcount'), '43');
    await page.locator('.grid-row[aria-rowindex="3"][data-filled="1"]').waitFor();
    assert.equal(await page.locator('.grid-row[aria-rowindex="3"] .grid-rownum').textContent(), '1001');
  });

  it('shows SQL NULL distinctly from an empty string, and hostile text as inert text', async () => {
    const { page, events } = await openResult();
    const nullCell = cell(page, 0, 3);
    const emptyCell = cell(page, 1, 3);
    const hostile = cell(page, 2, 3);
    assert.equal(await nullCell.textContent(), 'NULL');
    assert.match(await nullCell.getAttribute('class'), /\bnull\b/);
    assert.equal(await nullCell.getAttribute('aria-label'), 'NULL (no value)');
    assert.equal(await emptyCell.textContent(), '');
    assert.doesNotMatch(await emptyCell.getAttribute('class'), /\bnull\b/);
    assert.equal(await emptyCell.getAttribute('aria-label'), null);
    const styles = await page.evaluate(([a, b]) => [a, b].map((sel) => getComputedStyle(document.querySelector(sel)).fontStyle),
      ['.grid-row[aria-rowindex="2"] .grid-cell[data-col="3"]', '.grid-row[aria-rowindex="3"] .grid-cell[data-col="2"]']);
    assert.deepEqual(styles, ['italic', 'normal']);
    assert.equal(await hostile.textContent(), '<img src=x onerror=alert(1)>');
    assert.equal(await page.locator('.grid img, main img').count(), 0);
    await page.waitForTimeout(100);
    assert.deepEqual(events.dialogs, []);
  });

  it('moves the active cell with the keyboard and copies the selected block with Ctrl+C', async () => {
    const { page } = await openResult();
    await cell(page, 1, 1).click();
    assert.ok(await page.evaluate(() => document.activeElement === document.querySelector('.grid')), 'the grid has focus');
    assert.deepEqual(await activeCell(page), { rowIndex: 3, colIndex: 3, text: 'name 2' });
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    assert.equal(await page.locator('.grid-cell[aria-selected="true"]').count(), 6);
    await page.keyboard.press('Control+c');
    let copies = await posted(page, 'copyCells');
    assert.deepEqual(copies.at(-1), { type: 'copyCells', version: 1, firstRow: 1, lastRow: 3, firstColumn: 1, lastColumn: 2, header: false });
    // Rows selected whole (row numbers, shift+click) copy with the column names.
    await page.locator('.grid-row[aria-rowindex="4"] .grid-rownum').click();
    await page.locator('.grid-row[aria-rowindex="7"] .grid-rownum').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    copies = await posted(page, 'copyCells');
    assert.deepEqual(copies.at(-1), { type: 'copyCells', version: 1, firstRow: 2, lastRow: 5, firstColumn: 0, lastColumn: 3, header: true });
    // Page, row ends, and the ends of the result.
    await cell(page, 0, 0).click();
    await page.keyboard.press('PageDown');
    const afterPage = await activeCell(page);
    assert.ok(afterPage && afterPage.rowIndex > 10, JSON.stringify(afterPage));
    await page.keyboard.press('End');
    assert.equal((await activeCell(page))?.colIndex, 5);
    await page.keyboard.press('Control+End');
    await page.waitForFunction(() => document.querySelector('.grid-row[aria-rowindex="1000001"][data-filled="1"]'));
    assert.deepEqual(await activeCell(page), { rowIndex: ROW_COUNT + 1, colIndex: 5, text: 'note 1000000' });
    await page.keyboard.press('ArrowUp');
    assert.equal((await activeCell(page))?.rowIndex, ROW_COUNT);
    await page.keyboard.press('Control+Home');
    await page.waitForFunction(() => document.querySelector('.grid-row[aria-rowindex="2"][data-filled="1"]'));
    assert.deepEqual(await activeCell(page), { rowIndex: 2, colIndex: 2, text: '9007199254740994' });
    assert.equal(await page.evaluate(() => document.querySelector('.grid').scrollTop), 0);
  });

  it('Copy Cell and Copy Row copy the active cell and its row; they wait for a cell', async () => {
    const { page } = await openResult();
    const copyCell = page.getByRole('button', { name: 'Copy Cell' });
    assert.ok(await copyCell.isDisabled(), 'no active cell yet');
    await cell(page, 4, 2).click();
    await copyCell.click();
    await page.getByRole('button', { name: 'Copy Row' }).click();
    const copies = await posted(page, 'copyCells');
    assert.deepEqual(copies, [
      { type: 'copyCells', version: 1, firstRow: 4, lastRow: 4, firstColumn: 2, lastColumn: 2, header: false },
      { type: 'copyCells', version: 1, firstRow: 4, lastRow: 4, firstColumn: 0, lastColumn: 3, header: false },
    ]);
  });

  it('keeps its scroll, selection and focus when the host posts the same query again (a status update)', async () => {
    const { page } = await openResult();
    await scrollAndWait(page, 4_000_000);
    const before = await drawnRows(page);
    const target = before[8].index - 2;
    await cell(page, target, 1).click();
    await page.keyboard.press('Shift+ArrowRight');
    const scrollBefore = await page.evaluate(() => document.querySelector('.grid').scrollTop);
    await page.evaluate(() => { window.__gridNode = document.querySelector('.grid'); });
    const requestsBefore = (await posted(page, 'rowsRequest')).length;
    await page.evaluate(() => { window.__host.status = { text: 'Succeeded (refreshed)', tone: 'ok' }; });
    await postQuery(page);
    await postQuery(page);
    const after = await page.evaluate(() => ({
      same: window.__gridNode === document.querySelector('.grid'),
      scrollTop: document.querySelector('.grid').scrollTop,
      focused: document.activeElement === document.querySelector('.grid'),
      badge: document.querySelector('.status-badge').textContent,
      selected: document.querySelectorAll('.grid-cell[aria-selected="true"]').length,
    }));
    assert.deepEqual(after, { same: true, scrollTop: scrollBefore, focused: true, badge: 'Succeeded (refreshed)', selected: 2 });
    assert.deepEqual((await drawnRows(page)).map((r) => r.index), before.map((r) => r.index));
    assert.equal((await activeCell(page))?.rowIndex, target + 2);
    assert.equal((await posted(page, 'rowsRequest')).length, requestsBefore, 'no rows asked again');
  });

  it('shows the other results states and the query actions', async () => {
    const { page } = await open();
    await page.evaluate(() => { window.__host.status = { text: 'Running', tone: 'info' }; });
    await postQuery(page, { kind: 'loading', location: 's3://b/p/', loadedBytes: 512 * 1024, totalBytes: 2 * 1024 * 1024, fileCount: 2 });
    const progress = page.getByRole('progressbar', { name: 'Downloading results' });
    assert.equal(await progress.evaluate((p) => `${p.value}/${p.max}`), `${512 * 1024}/${2 * 1024 * 1024}`);
    assert.match(await page.locator('.results-progress-text').textContent(), /512 KB of 2 MB \(2 files\) from s3:\/\/b\/p\//);
    for (const name of ['Refresh', 'Cancel Query', 'Open SQL in Editor', 'Run Again', 'Copy ID', 'Open in AWS Console', 'Keep Open']) {
      await page.getByRole('button', { name, exact: true }).click();
    }
    const actions = (await posted(page)).filter((m) => ['queryAction', 'refresh', 'openConsole', 'keepOpen'].includes(m.type));
    assert.deepEqual(actions.map((m) => m.action ?? m.type), ['refresh', 'cancel', 'openSql', 'runAgain', 'copyId', 'openConsole', 'keepOpen']);

    await page.evaluate(() => { window.__host.status = { text: 'Succeeded', tone: 'ok' }; });
    await postQuery(page, { kind: 'failed', location: 's3://b/p/', failure: { title: 'Access denied to bucket b', nextStep: 'Ask for s3:GetObject on s3://b/p/*.', requestId: 'REQ1' } });
    assert.equal(await page.getByRole('button', { name: 'Cancel Query' }).count(), 0);
    assert.match(await page.locator('.error').textContent(), /Access denied to bucket b.*s3:GetObject.*REQ1/);
    await page.getByRole('button', { name: 'Retry' }).click();
    assert.deepEqual((await posted(page, 'queryAction')).at(-1), { type: 'queryAction', action: 'retryResults' });

    await postQuery(page, { kind: 'delivered', receivers: ['Advertiser (111122223333)', 'Publisher (444455556666)'] });
    assert.deepEqual(await page.locator('ul.receivers li').allTextContents(), ['Advertiser (111122223333)', 'Publisher (444455556666)']);
    await postQuery(page, { kind: 'none', reason: 'The query was cancelled: no results.' });
    assert.equal(await page.locator('.results-reason').textContent(), 'The query was cancelled: no results.');
    assert.equal(await page.locator('.grid').count(), 0);
  });

  for (const theme of /** @type {(keyof typeof THEMES)[]} */ (Object.keys(THEMES))) {
    it(`has no axe-core violations (WCAG 2 A/AA) with a selection, in the ${theme} theme`, async () => {
      const { page } = await openResult({ theme });
      await cell(page, 1, 1).click();
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowRight');
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(async () => {
        const axe = Reflect.get(window, 'axe');
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
        return {
          violations: r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          contrastChecked: r.passes.filter((v) => v.id === 'color-contrast').flatMap((v) => v.nodes.map((n) => n.html.slice(0, 80))),
        };
      });
      console.log(`      axe ${theme}: ${result.violations.length} violations, contrast checked on ${result.contrastChecked.length} elements`);
      assert.deepEqual(result.violations, []);
      assert.ok(result.contrastChecked.some((h) => h.includes('null')), 'the NULL cell\'s contrast is checked');
      assert.ok(result.contrastChecked.some((h) => h.includes('selected')), 'a selected cell\'s contrast is checked');
    });
  }

  it('names every word it shows in panelStrings(), so they are translated', () => {
    const keysSource = fs.readFileSync(path.join(REPO_ROOT, 'src', 'views', 'webviewHtml.ts'), 'utf8');
    const keys = new Set([...keysSource.matchAll(/^ {4}'((?:[^'\\]|\\.)+)',$/gm)].map((m) => m[1]));
    for (const file of ['grid.js', 'panel.js']) {
      const script = fs.readFileSync(path.join(REPO_ROOT, 'media', file), 'utf8');
      const used = [...script.matchAll(/\bt\('((?:[^'\\]|\\.)+)'/g)].map((m) => m[1]);
      assert.ok(used.length >= 10, `${file}: ${used.length} strings`);
      assert.deepEqual(used.filter((k) => !keys.has(k)), [], `${file}: words missing from panelStrings()`);
    }
  });
});
