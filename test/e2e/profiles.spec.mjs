// Status bar profile/region switcher and Discover Memberships, as a person uses them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openCleanRoomsView, runCommand, screenshot, test, treeRow } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const { SAMPLE_MEMBERSHIPS } = require('../../out/test/fakes/fixtures.js');

const quickPickRow = (page, text) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();

async function switchProfile(page, profile, region) {
  await page.locator('.statusbar-item', { hasText: /@/ }).filter({ hasText: /cleanrooms|no profile/ }).first().click();
  await quickPickRow(page, profile).waitFor({ state: 'visible' });
  await page.locator('.quick-input-widget input').fill(profile);
  await page.keyboard.press('Enter');
  await quickPickRow(page, region).waitFor({ state: 'visible' });
  await page.locator('.quick-input-widget input').fill(region);
  await page.keyboard.press('Enter');
}

describe('profiles and discovery', () => {
  it('the status bar shows the profile and region; switching reloads the tree for the new profile', test(async ({ page }) => {
    await openCleanRoomsView(page);
    const status = page.locator('.statusbar-item', { hasText: 'cleanrooms-test @ us-east-1' });
    await status.waitFor({ state: 'visible', timeout: 30_000 });
    await treeRow(page, new RegExp(SAMPLE_MEMBERSHIPS[0].collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    await status.click();
    await quickPickRow(page, 'expired-sso').waitFor({ state: 'visible' });
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.ok(!rows.some((r) => r.includes('sso-session')), 'sso-session sections are not profiles');
    await screenshot(page, 'profile-picker');
    await page.keyboard.press('Escape');
    try {
      await switchProfile(page, 'cleanrooms-eu', "The profile's region");
      await page.locator('.statusbar-item', { hasText: 'cleanrooms-eu @ eu-west-1' }).waitFor({ state: 'visible', timeout: 30_000 });
      await treeRow(page, new RegExp(SAMPLE_MEMBERSHIPS[0].collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await switchProfile(page, 'cleanrooms-test', "The profile's region");
      await page.locator('.statusbar-item', { hasText: 'cleanrooms-test @ us-east-1' }).waitFor({ state: 'visible', timeout: 30_000 });
    }
  }));

  it('Discover Memberships lists what the profile can see and adds the chosen one', test(async ({ page, workspace }) => {
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    settings['cleanRooms.memberships'] = [SAMPLE_MEMBERSHIPS[0].id];
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    await openCleanRoomsView(page);
    await treeRow(page, new RegExp(SAMPLE_MEMBERSHIPS[0].collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'Clean Rooms: Discover Memberships');
    await quickPickRow(page, 'All memberships').click();
    const wanted = SAMPLE_MEMBERSHIPS[3];
    await quickPickRow(page, wanted.collaborationName).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'discover');
    await quickPickRow(page, wanted.collaborationName).click();
    await page.keyboard.press('Enter');
    await treeRow(page, new RegExp(wanted.collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    const written = JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['cleanRooms.memberships'];
    assert.deepEqual(written, [SAMPLE_MEMBERSHIPS[0].id, wanted.id]);
  }));
});
