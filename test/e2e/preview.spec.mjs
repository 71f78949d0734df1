// The preview panel as a person meets it: a single click shows a record in one reused tab marked
// "Preview", Keep Open (in the panel, or a double click on the row) pins it, and both kinds of
// panel come back after the window reloads, the preview still the preview.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openCleanRoomsView, runCommand, screenshot, sideBarTitle, test, treeRow, webviewFrame } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const fixtures = require('../../out/test/fakes/fixtures.js');
const [first, second, third] = fixtures.SAMPLE_MEMBERSHIPS;

const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The editor tab titled exactly `title`. @param {import('playwright-core').Page} page @param {string} title */
function tab(page, title) {
  return page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: new RegExp(`^${escape(title)}$`) }) });
}

/** @param {import('playwright-core').Page} page @param {string} name */
async function clickRow(page, name) {
  const row = treeRow(page, new RegExp(escape(name)));
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

describe('preview panel', () => {
  it('a single click previews in one tab; Keep Open pins it; both come back after a reload, the preview as the preview', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await clickRow(page, first.collaborationName);
    await tab(page, `Preview: ${first.collaborationName}`).waitFor({ state: 'visible', timeout: 30_000 });
    const frame = webviewFrame(page);
    await frame.locator('h1', { hasText: first.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('.preview-bar .badge', { hasText: 'Preview' }).waitFor({ state: 'visible' });
    await screenshot(page, 'preview-panel');

    await frame.getByRole('button', { name: 'Keep Open' }).click();
    await tab(page, first.collaborationName).waitFor({ state: 'visible', timeout: 10_000 });
    await frame.locator('.preview-bar').waitFor({ state: 'detached', timeout: 10_000 });

    await clickRow(page, second.collaborationName);
    await tab(page, `Preview: ${second.collaborationName}`).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await tab(page, first.collaborationName).count(), 1, 'the pinned panel stayed');

    // The workbench's own reload: it saves the open editors (and the webviews' state) first.
    // The workbench takes a webview's saved state over a moment after the webview saves it: a
    // reload right after the last render can restore the panel without it (VS Code's, not ours).
    await page.waitForTimeout(3000);
    await sideBarTitle(page).click(); // out of the webview, whose frame keeps F1 to itself
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await tab(page, `Preview: ${second.collaborationName}`).waitFor({ state: 'visible', timeout: 30_000 });
    await tab(page, first.collaborationName).waitFor({ state: 'visible', timeout: 30_000 });
    await webviewFrame(page).locator('h1', { hasText: second.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    await webviewFrame(page).locator('.preview-bar').waitFor({ state: 'visible' });

    // The restored preview is the one the next single click reuses.
    await openCleanRoomsView(page);
    await clickRow(page, third.collaborationName);
    await tab(page, `Preview: ${third.collaborationName}`).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await tab(page, `Preview: ${second.collaborationName}`).count(), 0, 'replaced, not added');
    assert.equal(await tab(page, first.collaborationName).count(), 1);
  }));

  it('a single click leaves focus in the tree: ArrowDown and Enter preview the next row', test(async ({ page }) => {
    await openCleanRoomsView(page);
    const tree = page.getByRole('tree', { name: /Memberships/ });
    const focusInTree = () => tree.evaluate((t) => t.contains(document.activeElement));
    await clickRow(page, first.collaborationName);
    await tab(page, `Preview: ${first.collaborationName}`).waitFor({ state: 'visible', timeout: 30_000 });
    const frame = webviewFrame(page);
    await frame.locator('body[data-state="membership"] h1', { hasText: first.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    // A webview that takes focus does so once its frame has loaded: give it the time to.
    await page.waitForTimeout(500);
    assert.equal(await focusInTree(), true, `focus stayed in the tree (it is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))})`);

    await page.keyboard.press('ArrowDown');
    const next = treeRow(page, new RegExp(escape(second.collaborationName)));
    await page.waitForFunction((el) => el?.classList.contains('focused'), await next.elementHandle(), { timeout: 5_000 });
    await page.keyboard.press('Enter');
    await tab(page, `Preview: ${second.collaborationName}`).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('body[data-state="membership"] h1', { hasText: second.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await tab(page, `Preview: ${first.collaborationName}`).count(), 0, 'the preview moved on');
    await page.waitForTimeout(500);
    assert.equal(await focusInTree(), true, 'still in the tree after Enter');
  }));

  it('a double click on a row opens it pinned', test(async ({ page }) => {
    await openCleanRoomsView(page);
    const row = treeRow(page, new RegExp(escape(second.collaborationName)));
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.dblclick();
    await tab(page, second.collaborationName).waitFor({ state: 'visible', timeout: 30_000 });
    const frame = webviewFrame(page);
    await frame.locator('h1', { hasText: second.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.locator('.preview-bar').count(), 0, 'no Preview badge or Keep Open');
    assert.equal(await tab(page, `Preview: ${second.collaborationName}`).count(), 0);
  }));
});
