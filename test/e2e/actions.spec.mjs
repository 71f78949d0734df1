// Context-menu actions on a membership row: export the raw JSON, open the AWS console; and
// pasting into the Open Membership picker.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { notification, openCleanRoomsView, runCommand, screenshot, test, treeRow, webviewFrame } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const { FAULT_IDS, SAMPLE_MEMBERSHIPS } = require('../../out/test/fakes/fixtures.js');
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
  it('Export Raw JSON saves the record to a file (save dialog, default name in the workspace), then opens it', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await contextMenu(page, sample.collaborationName, 'Export Raw JSON');
    // code-server's save dialog is VS Code's own simple file dialog: its input holds the path.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction((name) => document.querySelector('.quick-input-widget input')?.value.endsWith(name), `/membership-${sample.id}.json`);
    await screenshot(page, 'export-json-save-dialog');
    await page.keyboard.press('Enter');
    const saved = notification(page, `membership-${sample.id}.json`);
    await saved.waitFor({ state: 'visible', timeout: 30_000 });
    await saved.getByRole('button', { name: 'Open' }).click();
    const tab = page.locator('.tabs-container .tab', { hasText: `membership-${sample.id}.json` });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.editor-instance .view-lines').filter({ hasText: sample.id }).first().waitFor({ state: 'visible' });
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

  it('Open Membership: a membership ID pasted into the picker opens on Enter', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await treeRow(page, new RegExp(sample.collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'Clean Rooms: Open Membership');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter a membership ID' }).waitFor({ state: 'visible' });
    // Not in the workspace's list; Enter at once, as a person does after pasting.
    await page.keyboard.insertText(FAULT_IDS.unknownFields);
    await page.keyboard.press('Enter');
    await webviewFrame(page).locator('h1', { hasText: 'Forward Compatible Collaboration' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no second input box left open');
  }));

  it('Open Membership: a pasted membership ARN is offered as "Open <id> (<region>)", active, and opens on Enter', test(async ({ page }) => {
    const other = SAMPLE_MEMBERSHIPS[5];
    await openCleanRoomsView(page);
    await treeRow(page, new RegExp(sample.collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'Clean Rooms: Open Membership');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter a membership ID' }).waitFor({ state: 'visible' });
    await page.keyboard.insertText(other.arn.replace(/^arn:aws:cleanrooms:[^:]+:/, 'arn:aws:cleanrooms:eu-west-1:'));
    const offered = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: `Open ${other.id} (eu-west-1)` });
    await offered.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'open-membership-paste');
    await page.keyboard.press('Enter');
    await webviewFrame(page).locator('h1', { hasText: other.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
  }));
});
