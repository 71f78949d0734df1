// Smoke: the installed extension contributes the Clean Rooms container with its Memberships view,
// and (the workspace lists memberships) the tree fills in.
import assert from 'node:assert/strict';
import { openCleanRoomsView, screenshot, sideBarTitle, test, treeRow, viewPane } from './fixture.mjs';

describe('smoke', () => {
  it('opens the Clean Rooms view and shows the Memberships view', test(async ({ page, memberships }) => {
    await openCleanRoomsView(page);
    assert.equal(await viewPane(page, 'Memberships').isVisible(), true);
    assert.match((await sideBarTitle(page).innerText()).toLowerCase(), /clean rooms.*memberships/);
    if (memberships.length > 0) {
      await treeRow(page, /./).first().waitFor({ state: 'visible' });
    }
    await screenshot(page, 'e2e/smoke-clean-rooms-view');
  }));
});
