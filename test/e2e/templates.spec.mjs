// Run Analysis Template… as a person does (issue 12): from the palette, pick the membership and
// one of its collaboration's templates; the template panel opens with its parameter form, whose
// values the extension checks as they are typed (inline error, Run disabled until valid).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openCleanRoomsView, runCommand, screenshot, test, treeRow, webviewFrame } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const { SAMPLE } = require('../../out/test/fakes/fixtures.js');
/** @type {typeof import('../fakes/schemaTemplates')} */
const { collaborationTemplatesFor } = require('../../out/test/fakes/schemaTemplates.js');

const CTV = SAMPLE.ctvReach;
/** Its first collaboration template: start_date DATE, default 2024-07-01. */
const TEMPLATE = collaborationTemplatesFor(CTV)[0];

describe('analysis templates', () => {
  it('Run Analysis Template… opens the form: defaults filled in, an emptied date refused inline, Run enabled again when valid', test(async ({ page }) => {
    await openCleanRoomsView(page);
    await treeRow(page, new RegExp(CTV.collaborationName)).waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'Clean Rooms: Run Analysis Template...');
    const input = page.locator('.quick-input-widget input');
    const pickRow = (text) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await pickRow(CTV.collaborationName).waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(CTV.collaborationName);
    await page.keyboard.press('Enter');
    await pickRow(String(TEMPLATE.name)).waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(String(TEMPLATE.name));
    await page.keyboard.press('Enter');

    const frame = webviewFrame(page);
    await frame.locator('h1', { hasText: String(TEMPLATE.name) }).waitFor({ state: 'visible', timeout: 30_000 });
    const date = frame.locator('input[data-parameter="start_date"]');
    const run = frame.getByRole('button', { name: 'Run', exact: true });
    const error = frame.locator('#param-0-error');
    assert.equal(await date.inputValue(), '2024-07-01', 'the default is filled in');
    assert.equal(await run.isEnabled(), true);

    await date.fill('');
    await frame.locator('#param-0-error', { hasText: 'YYYY-MM-DD' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await date.getAttribute('aria-invalid'), 'true');
    assert.equal(await run.isDisabled(), true, 'Run waits for a valid value');
    await screenshot(page, 'template-form-invalid');

    await date.fill('2024-08-01');
    await error.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(await run.isEnabled(), true);
    await screenshot(page, 'template-form');
  }));
});
