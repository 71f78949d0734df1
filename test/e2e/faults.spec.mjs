// Faults a person meets in the UI: a slow call they can cancel from its progress notification.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { notification, openCleanRoomsView, screenshot, test, treeRow, webviewFrame } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const { FAULT_IDS, SAMPLE_MEMBERSHIPS } = require('../../out/test/fakes/fixtures.js');

describe('faults in the UI', () => {
  it('a slow call shows a cancellable progress notification; cancelling says so in the panel', test(async ({ page, workspace }) => {
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    settings['cleanRooms.memberships'] = [FAULT_IDS.slow, SAMPLE_MEMBERSHIPS[0].id];
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));

    await openCleanRoomsView(page);
    await treeRow(page, new RegExp(SAMPLE_MEMBERSHIPS[0].collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    await treeRow(page, new RegExp(FAULT_IDS.slow)).click();
    const toast = notification(page, 'loading membership');
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'slow-call-progress');
    await toast.getByRole('button', { name: 'Cancel' }).click();
    const frame = webviewFrame(page);
    await frame.locator('.error-title', { hasText: 'Cancelled' }).waitFor({ state: 'visible', timeout: 15_000 });
    // The rest of the extension kept working meanwhile.
    await treeRow(page, new RegExp(SAMPLE_MEMBERSHIPS[0].collaborationName)).click();
    await webviewFrame(page).locator('h1', { hasText: SAMPLE_MEMBERSHIPS[0].collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(true);
  }));
});
