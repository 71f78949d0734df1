// Drill-down and grouping as a person sees them: "Load more", an error kept inside its branch,
// memberships grouped by profile, and F5 refreshing the view.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openCleanRoomsView, screenshot, test, treeRow } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const fixtures = require('../../out/test/fakes/fixtures.js');
const { SAMPLE_MEMBERSHIPS, MANY_ASSOCIATIONS_ID, PROTECTED_QUERIES_DENIED_ID } = fixtures;

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function setMemberships(workspace, memberships) {
  const file = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  settings['cleanRooms.memberships'] = memberships;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

async function expand(page, name) {
  const row = treeRow(page, new RegExp(`^${escape(name)}`));
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    await row.locator('.monaco-tl-twistie').click();
  }
  return row;
}

describe('drill-down and grouping', () => {
  it('"Load more…" appends the next page of a long list', test(async ({ page, workspace }) => {
    const membership = SAMPLE_MEMBERSHIPS.find((m) => m.id === MANY_ASSOCIATIONS_ID);
    setMemberships(workspace, [MANY_ASSOCIATIONS_ID]);
    await openCleanRoomsView(page);
    // Wait for the edited settings to be applied (one top-level row) before expanding anything.
    await page.waitForFunction(() => document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="1"]').length === 1, undefined, { timeout: 30_000 });
    await expand(page, membership.collaborationName);
    await expand(page, 'Configured tables');
    const associations = fixtures.associationsFor(membership);
    await treeRow(page, new RegExp(`^${escape(associations[0].name)}`)).waitFor({ state: 'visible', timeout: 30_000 });
    const more = treeRow(page, /^Load more/);
    await more.waitFor({ state: 'visible' });
    await more.click();
    await treeRow(page, new RegExp(`^${escape(associations[25].name)}`)).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'load-more');
  }));

  it('an error in one branch shows there; the other branches load', test(async ({ page, workspace }) => {
    const membership = SAMPLE_MEMBERSHIPS.find((m) => m.id === PROTECTED_QUERIES_DENIED_ID);
    setMemberships(workspace, [PROTECTED_QUERIES_DENIED_ID]);
    await openCleanRoomsView(page);
    await expand(page, membership.collaborationName);
    await expand(page, 'Protected queries');
    await treeRow(page, /^Access denied/).waitFor({ state: 'visible', timeout: 30_000 });
    await expand(page, 'Members');
    const members = fixtures.membersFor(membership);
    await treeRow(page, new RegExp(`^${escape(members[0].displayName)}`)).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'branch-error');
  }));

  it('memberships on several profiles are grouped by profile and region', test(async ({ page, workspace }) => {
    setMemberships(workspace, [SAMPLE_MEMBERSHIPS[0].id, { id: SAMPLE_MEMBERSHIPS[1].id, profile: 'cleanrooms-eu' }]);
    await openCleanRoomsView(page);
    await treeRow(page, /^cleanrooms-test @/).waitFor({ state: 'visible', timeout: 30_000 });
    await treeRow(page, /^cleanrooms-eu @/).waitFor({ state: 'visible' });
    await treeRow(page, new RegExp(`^${escape(SAMPLE_MEMBERSHIPS[1].collaborationName)}`)).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'grouped');
  }));

  it('F5 in the view refreshes it', test(async ({ page, endpoint }) => {
    await openCleanRoomsView(page);
    const row = treeRow(page, new RegExp(`^${escape(SAMPLE_MEMBERSHIPS[0].collaborationName)}`));
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    // Focus the tree without opening anything: click the empty space below the rows.
    await page.getByRole('tree', { name: /Memberships/ }).focus();
    const before = endpoint.requests.length;
    await page.keyboard.press('F5');
    const deadline = Date.now() + 15_000;
    // A few memberships are labelled with GetMembership, many with ListMemberships.
    while (!endpoint.requests.slice(before).some((r) => r.operation === 'GetMembership' || r.operation === 'ListMemberships')) {
      assert.ok(Date.now() < deadline, 'F5 sent no request');
      await page.waitForTimeout(50);
    }
  }));
});
