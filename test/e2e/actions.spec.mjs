// Context-menu actions on a membership row: export the raw JSON, open the AWS console.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openCleanRoomsView, screenshot, test, treeRow } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const { SAMPLE_MEMBERSHIPS } = require('../../out/test/fakes/fixtures.js');
const sample = SAMPLE_MEMBERSHIPS[0];

async function contextMenu(page, rowName, action) {
  const row = treeRow(page, new RegExp(rowName));
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  const item = page.locator('.context-view .action-item', { hasText: action }).first();
  // A hover tooltip opening over the row can swallow the first right-click: try a few times.
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    const shown = await item.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (shown) break;
    if (attempt === 3) throw new Error(`context menu item "${action}" did not appear`);
    await page.keyboard.press('Escape');
    await page.mouse.move(900, 600);
  }
  await item.click();
  // A menu opened a moment ago can ignore the first click (VS Code guards against a release
  // of the opening right-click); if it is still open, choose the highlighted item by keyboard.
  const menu = page.locator('.context-view .monaco-menu');
  const closed = await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false);
  if (!closed) {
    await item.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

describe('row actions', () => {
  it('Export Raw JSON opens a read-only JSON editor with the record', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await contextMenu(page, sample.collaborationName, 'Export Raw JSON');
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: sample.id }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const tab = page.locator('.tabs-container .tab', { hasText: `membership-${sample.id}.json` });
    await tab.waitFor({ state: 'visible' });
    await screenshot(page, 'export-json');
  }));

  it('Open in AWS Console offers the documented console URL for the region', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await contextMenu(page, sample.collaborationName, 'Open in AWS Console');
    // code-server asks before opening an external site; the dialog names the URL. No request is made.
    const dialog = page.getByRole('dialog').filter({ hasText: 'console.aws.amazon.com' });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    // The dialog shortens long URLs in the middle; the full address is unit-tested (consoleUrl).
    const text = (await dialog.innerText()).replace(/\s+/g, '');
    assert.match(text, /https:\/\/us-east-1\.console\.aws\.amazon\.com\/cleanrooms\/home\?/);
    await screenshot(page, 'open-in-console');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }));
});
