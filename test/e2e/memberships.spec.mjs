// What a person sees and clicks: the installed .vsix, the Memberships view filled from the local
// endpoint, a membership panel with its fields, the command palette, an error row, drill-down.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openCleanRoomsView, runCommand, screenshot, test, treeRow, webviewFrame } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const fixtures = require('../../out/test/fakes/fixtures.js');
const { SAMPLE_MEMBERSHIPS } = fixtures;

const first = SAMPLE_MEMBERSHIPS[0];
const second = SAMPLE_MEMBERSHIPS[1];

describe('memberships view and panel', () => {
  it('lists the configured memberships by collaboration name, with an error row for a 404', test(async ({ page }) => {
    await openCleanRoomsView(page);
    for (const m of SAMPLE_MEMBERSHIPS.slice(0, 4)) {
      await treeRow(page, new RegExp(escape(m.collaborationName))).waitFor({ state: 'visible', timeout: 30_000 });
    }
    const notFound = treeRow(page, /Not found/);
    await notFound.waitFor({ state: 'visible' });
    await screenshot(page, 'tree');
  }));

  it('clicking a membership opens its panel with every section and the values from the service', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await treeRow(page, new RegExp(escape(second.collaborationName))).click();
    const frame = webviewFrame(page);
    await frame.locator('h1', { hasText: second.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    for (const section of ['Membership', 'Collaboration', 'Abilities', 'Logging', 'Default result configuration', 'Default job result configuration', 'Payment']) {
      await frame.locator('section h2', { hasText: section }).first().waitFor({ state: 'visible' });
    }
    assert.equal((await frame.locator('dd[data-field="Membership ID"] code').innerText()).trim(), second.id);
    assert.equal((await frame.locator('dd[data-field="Creator account ID"] code').innerText()).trim(), second.collaborationCreatorAccountId);
    const created = frame.locator('dd[data-field="Created"] time');
    assert.equal(await created.getAttribute('datetime'), new Date(second.createTime * 1000).toISOString());
    await screenshot(page, 'panel');
  }));

  it('"Clean Rooms: Open Membership" from the palette offers the configured memberships', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await treeRow(page, new RegExp(escape(first.collaborationName))).waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'Clean Rooms: Open Membership');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: first.collaborationName });
    await row.waitFor({ state: 'visible' });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter a membership ID' }).waitFor({ state: 'visible' });
    await screenshot(page, 'palette-quick-pick');
    await row.click();
    await webviewFrame(page).locator('h1', { hasText: first.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
  }));

  it('entering an ID that is not a UUID is refused with an explanation', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await runCommand(page, 'Clean Rooms: Open Membership');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter a membership ID' }).click();
    const input = page.locator('.quick-input-widget input');
    await input.fill('not-an-id');
    await page.locator('.quick-input-message', { hasText: /lowercase UUID/ }).waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
  }));

  it('a membership expands into its collaboration and members', test(async ({ page }) => {
    await openCleanRoomsView(page);
    const row = treeRow(page, new RegExp(escape(first.collaborationName)));
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.locator('.monaco-tl-twistie').click();
    await treeRow(page, /^Members/).click();
    const members = fixtures.membersFor(first);
    const member = treeRow(page, new RegExp(escape(members[0].displayName)));
    await member.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'drill-down');
    // A member opens its own panel: the record as the list returned it, so no Refresh button.
    await member.click();
    const frame = webviewFrame(page);
    await frame.locator('h1', { hasText: members[0].displayName }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.getByRole('button', { name: 'Open Raw JSON' }).waitFor({ state: 'visible' });
    assert.equal(await frame.getByRole('button', { name: 'Refresh' }).count(), 0);
  }));
});

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
