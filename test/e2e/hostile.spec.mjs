// Strings from other AWS accounts must stay inert text everywhere a person looks: tree labels,
// tooltips, the panel. A payload that ran would set window.__pwned or open a dialog.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openCleanRoomsView, screenshot, test, webviewFrame } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const { FAULT_IDS, HOSTILE_IDS, HOSTILE_STRINGS } = require('../../out/test/fakes/fixtures.js');

/** Checks every frame of the page (workbench and webviews) for a payload's side effect. */
async function pwnedFrames(page) {
  const hits = [];
  for (const frame of page.frames()) {
    const value = await frame.evaluate(() => /** @type {any} */ (window).__pwned).catch(() => undefined);
    if (value !== undefined) hits.push(frame.url());
  }
  return hits;
}

describe('hostile data', () => {
  it(`${HOSTILE_STRINGS.length} hostile strings render as inert text in the tree, tooltips and panels`, test(async ({ page, workspace }) => {
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    settings['cleanRooms.memberships'] = [FAULT_IDS.hostile, ...HOSTILE_IDS];
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));

    await openCleanRoomsView(page);
    const rows = page.getByRole('tree', { name: /Memberships/ }).getByRole('treeitem');
    // The tree is virtualised; the first rows are enough to see labels render as text.
    await rows.nth(5).waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector('.codicon-loading'), undefined, { timeout: 30_000 });
    await screenshot(page, 'hostile-tree');

    // Tooltips: hover rows and check no command link is rendered as a link.
    for (let i = 0; i < 4; i++) {
      await rows.nth(i).hover();
      const hover = page.locator('.monaco-hover, .workbench-hover').first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
      const commandLinks = await page.locator('.monaco-hover a[href^="command:"], .monaco-hover a[data-href^="command:"], .workbench-hover a[data-href^="command:"]').count();
      assert.equal(commandLinks, 0, `row ${i}: a command link is clickable in the tooltip`);
      await page.mouse.move(900, 600);
    }

    // Panels: the all-fields-hostile membership and a sample of the per-string ones.
    const toOpen = [0, 1, 2, 3, 5, 8, 13, 21].filter((i) => i < HOSTILE_IDS.length + 1);
    for (const i of toOpen) {
      await rows.nth(i).click();
      const frame = webviewFrame(page);
      await frame.locator('body[data-state="membership"] h1').waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await frame.locator('#app :is(img, svg, script, iframe, style, object, embed, a[href])').count(), 0, `panel ${i}: injected element`);
    }
    await screenshot(page, 'hostile-panel');
    assert.deepEqual(await pwnedFrames(page), [], 'a payload ran');
    assert.deepEqual(dialogs, [], 'a dialog opened');
    const toasts = await page.locator('.notification-toast').allInnerTexts();
    assert.deepEqual(toasts.filter((t) => /command|error/i.test(t)), [], 'an error notification appeared');
  }));
});
