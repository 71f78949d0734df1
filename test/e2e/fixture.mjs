// Shared fixture for the end-to-end specs (test/e2e/*.spec.mjs), run by test/harness/runE2e.mjs
// with mocha (BDD, 60 s per test). One code-server (with the packaged .vsix installed like a user
// installs it), one fake endpoint and one AWS home serve the whole run; every test gets a fresh
// browser page already showing the workbench with the workspace folder open.
//
//   import { test, openCleanRoomsView, treeRow, webviewFrame, runCommand, screenshot } from './fixture.mjs';
//
//   describe('memberships view', () => {
//     it('lists the memberships', test(async ({ page, endpoint, codeServer, workspace, env }) => {
//       await openCleanRoomsView(page);
//       await expectVisible(treeRow(page, 'Sample collaboration'));
//       await screenshot(page, 'memberships');
//     }));
//   });
//
// `test(fn)` passes the fixture: { page, context, browser, endpoint, codeServer, aws, workspace,
// env, resetWorkspace, memberships }. The workspace's .vscode/settings.json lists `memberships`
// (SAMPLE_IDS from out/test/fakes/fixtures.js plus FAULT_IDS.notFound) and is restored before each
// test. A failing test leaves test-results/e2e/<test title>.png behind.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness/codeServer.mjs';

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

/**
 * @typedef {{
 *   page: import('playwright-core').Page,
 *   context: import('playwright-core').BrowserContext,
 *   browser: import('playwright-core').Browser,
 *   endpoint: {url: string, port: number, requests: unknown[], setLatency: (ms: number) => void},
 *   codeServer: {url: string, port: number, userDataDir: string, logsDir: string},
 *   aws: {home: string, configFile: string, credentialsFile: string, env: Record<string, string>},
 *   workspace: string,
 *   env: Record<string, string>,
 *   memberships: string[],
 *   resetWorkspace: () => void,
 * }} E2eFixture
 */

/** Set by runE2e.mjs before the specs load. @type {Omit<E2eFixture, 'page' | 'context'> | undefined} */
let shared;
/** @type {E2eFixture | undefined} */
let current;

/** @param {Omit<E2eFixture, 'page' | 'context'>} value */
export function setSharedFixture(value) {
  shared = value;
}

/** The fixture of the running test (valid inside `test(...)` bodies and hooks). */
export function fixture() {
  if (!current) throw new Error('No e2e fixture: specs must run under test/harness/runE2e.mjs');
  return current;
}

/**
 * Wraps a test body so it receives the fixture.
 * @param {(f: E2eFixture) => Promise<void>} fn
 * @returns {() => Promise<void>}
 */
export function test(fn) {
  return function () {
    return fn(fixture());
  };
}

/** Opens the workbench on the workspace folder and waits until it is usable. */
export async function openWorkbench(page, codeServer, workspace) {
  await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The activity bar is rendered once extensions' view containers are registered.
  await page.locator('.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
}

/** Mocha root hooks, registered by runE2e.mjs: a fresh page per test, screenshot on failure. */
export const mochaHooks = {
  async beforeEach() {
    if (!shared) throw new Error('e2e fixture not initialised (run through test/harness/runE2e.mjs)');
    shared.resetWorkspace();
    const context = await shared.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    current = { ...shared, context, page };
    await openWorkbench(page, shared.codeServer, shared.workspace);
  },
  async afterEach() {
    const f = current;
    current = undefined;
    if (!f) return;
    // `this` is mocha's context; this.currentTest.state is 'failed' for a failing test.
    if (this.currentTest?.state === 'failed') {
      const name = `e2e/${safeName(this.currentTest.fullTitle())}`;
      await screenshot(f.page, name).catch(() => {});
    }
    await f.context.close().catch(() => {});
  },
};

function safeName(s) {
  return s.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120);
}

// ---------------------------------------------------------------------------------------------
// UI helpers

/** Clicks the Clean Rooms activity bar tab (if the container is not already showing). */
export async function openCleanRoomsView(page) {
  const tab = page.getByRole('tab', { name: /Clean Rooms/ });
  await tab.waitFor({ state: 'visible', timeout: 30_000 });
  const selected = await tab.getAttribute('aria-selected');
  if (selected !== 'true') await tab.click();
  await page.mouse.move(700, 450); // away from the activity bar, so no hover tooltip in screenshots
  await viewPane(page, 'Memberships').waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * A view's pane in the side bar, by view name. (When a container has a single view, VS Code hides
 * the pane header and shows "CONTAINER: VIEW" as the side bar title, so match the header's
 * aria-label, which is there either way.)
 * @param {import('playwright-core').Page} page @param {string} name
 */
export function viewPane(page, name) {
  return page.locator('.part.sidebar .pane', {
    has: page.locator(`.pane-header[aria-label="${name} Section"]`),
  });
}

/** The side bar's title, e.g. "CLEAN ROOMS: MEMBERSHIPS". */
export function sideBarTitle(page) {
  return page.locator('.part.sidebar > .composite.title .title-label');
}

/**
 * A row of the Memberships tree, by its accessible name (label + description) or text.
 * @param {import('playwright-core').Page} page @param {string | RegExp} name
 */
export function treeRow(page, name) {
  return page.getByRole('tree', { name: /Memberships/ }).getByRole('treeitem', { name });
}

/** The content frame of the active webview panel (the membership details). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Runs a command from the command palette by its title, e.g. 'Clean Rooms: Refresh'. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/**
 * Saves a PNG of the page to test-results/<name>.png and returns its path.
 * @param {import('playwright-core').Page} page @param {string} name
 */
export async function screenshot(page, name) {
  const file = path.join(RESULTS_DIR, `${name.replace(/\.png$/, '')}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

/** A notification toast by (part of) its message. */
export function notification(page, text) {
  return page.locator('.notification-toast', { hasText: text });
}

/** Opens a workspace file through Quick Open and waits for its editor (a bound SQL file: its binding line drawn). */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.monaco-editor .view-line', { hasText: '@membership' }).first().waitFor({ state: 'visible' });
}
