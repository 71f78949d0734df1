// Schema-aware authoring as a person sees it (issue 12), in the real browser: completion of table
// and column names in a bound .sql file, a pre-flight warning with its hover and quick fix, a
// table's hover, the Tables branch and a table's panel (with axe-core), Run Analysis Template…
// from a template row, the getting-started walkthrough, and the README's screenshot.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openCleanRoomsView, openWorkbench, runCommand, screenshot, test, treeRow, openFile } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/schemaFixtures')} */
const { SCHEMA_MEMBERSHIPS, RULES_TABLES } = require('../../out/test/fakes/schemaFixtures.js');
/** @type {typeof import('../fakes/schemaCatalog')} */
const { HOSTILE_NAMES } = require('../../out/test/fakes/schemaCatalog.js');
/** @type {typeof import('../fakes/fixtures')} */
const { HOSTILE_STRINGS } = require('../../out/test/fakes/fixtures.js');
/** @type {typeof import('../fakes/schemaTemplates')} */
const { RULES_TEMPLATE_NAMES } = require('../../out/test/fakes/schemaTemplates.js');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const RULES = SCHEMA_MEMBERSHIPS.rules;
const AGG = RULES_TABLES.aggregation; // ad_impressions
/** A join column in the output: the pre-flight check warns and offers "Wrap in COUNT(DISTINCT …)". */
const JOIN_IN_OUTPUT = `SELECT i.channel, i.hashed_email, SUM(i.impressions) AS impressions FROM ${AGG} i GROUP BY i.channel`;
const WARNING = `${AGG} (aggregation rule): hashed_email is a join column; it may appear only in JOIN ... ON.`;

const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Helpers

/** Lists only `membership` (the rules one unless said) in the workspace settings and waits until the tree shows it alone. */
async function useRulesMembership(page, workspace, membership = RULES) {
  const file = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  settings['cleanRooms.memberships'] = [membership.id];
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  await openCleanRoomsView(page);
  await page.waitForFunction(() => document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="1"]').length === 1, undefined, { timeout: 30_000 });
  await treeRow(page, new RegExp(`^${escape(membership.collaborationName)}`)).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Moves the mouse onto `word` (its `at`-th character) until a hover matching `expected` shows (none comes before the catalog is loaded). */
async function hoverOn(page, lineText, word, at, expected) {
  const point = await wordPoint(page, lineText, word, at);
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.mouse.move(900, 700);
    await page.mouse.move(point.x, point.y);
    const found = await hoverText(page, expected).catch(() => undefined);
    if (found) return found;
  }
  throw new Error(`no hover with "${expected}" on ${word}`);
}

/** Writes `<workspace>/<name>` bound to `membershipId` (the rules membership unless said) with `lines` after the binding. */
function writeSql(workspace, name, lines, membershipId = RULES.id) {
  fs.writeFileSync(path.join(workspace, name), [`-- @membership ${membershipId}`, ...lines, ''].join('\n'));
}

/** Expands a tree row (by the start of its accessible name) and returns it. */
async function expand(page, name) {
  const row = treeRow(page, new RegExp(`^${escape(name)}`)).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 10_000 });
  return row;
}

/**
 * The page coordinates of `word` (its `at`-th character) on the editor line that contains
 * `lineText`, measured from the rendered text so the mouse lands on the word itself.
 */
async function wordPoint(page, lineText, word, at = 1) {
  const line = page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
  await line.waitFor({ state: 'visible' });
  const point = await line.evaluate((el, [w, i]) => {
    const text = el.textContent ?? '';
    // The editor renders spaces as non-breaking spaces.
    const index = text.replace(/\u00a0/g, ' ').indexOf(w);
    if (index < 0) return undefined;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let offset = index + i;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent?.length ?? 0;
      if (offset < length) {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, left: r.left, top: r.top, height: r.height };
      }
      offset -= length;
    }
    return undefined;
  }, [word, at]);
  assert.ok(point, `"${word}" on the line with "${lineText}"`);
  return point;
}

/** Puts the cursor right after `word` on the line with `lineText` (a click there, as a person does). */
async function cursorAfter(page, lineText, word) {
  const last = await wordPoint(page, lineText, word, word.length - 1);
  await page.mouse.click(last.left + (last.x - last.left) * 2 - 1, last.y);
}

/** The visible suggest widget's rows. */
function suggestRows(page) {
  return page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
}

/** The suggest row whose label is exactly `label`. */
function suggestRow(page, label) {
  return suggestRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
}

/** Label and detail of each suggest row shown. */
async function suggestions(page) {
  await suggestRows(page).first().waitFor({ state: 'visible', timeout: 30_000 });
  return suggestRows(page).evaluateAll((rows) => rows.map((r) => ({
    label: r.querySelector('.label-name')?.textContent ?? '',
    detail: r.querySelector('.details-label')?.textContent ?? '',
  })));
}

/** The editor's text, read from the rendered lines (the documents here fit on screen). */
async function editorLines(page) {
  return page.locator('.monaco-editor .view-lines').first().evaluate((el) =>
    [...el.querySelectorAll('.view-line')]
      .sort((a, b) => parseFloat(/** @type {HTMLElement} */ (a).style.top) - parseFloat(/** @type {HTMLElement} */ (b).style.top))
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')));
}

/** The hover widget's text once it shows something matching `expected`. */
async function hoverText(page, expected) {
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expected }).first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  return { hover, text: (await hover.innerText()).replace(/\u00a0/g, ' ') };
}

/** The visible webview's content frame (a table panel here). */
function panelFrame(page) {
  return page.locator('iframe.webview.ready:visible').first().contentFrame().locator('#active-frame').contentFrame();
}

/** The warnings count of the status bar's problems item (its text is "0 1": errors, then warnings). */
async function statusWarnings(page) {
  const text = (await page.locator('#status\\.problems').first().innerText()).replace(/\s+/g, ' ').trim();
  const numbers = text.match(/\d+/g) ?? [];
  assert.equal(numbers.length, 2, `errors and warnings in the status bar: "${text}"`);
  return Number(numbers[1]);
}

/** Waits until the status bar counts `n` warnings. */
async function waitForWarnings(page, n, timeout = 15_000) {
  const t0 = Date.now();
  for (let last = await statusWarnings(page); last !== n; last = await statusWarnings(page)) {
    if (Date.now() - t0 > timeout) throw new Error(`the status bar shows ${last} warnings, not ${n}`);
    await page.waitForTimeout(200);
  }
}

// ---------------------------------------------------------------------------------------------

describe('schema-aware authoring', () => {
  it('completion: columns with type and role after an alias (accepting one inserts it); after FROM the tables, quoted names inserted quoted', test(async ({ page, workspace }) => {
    await useRulesMembership(page, workspace);
    writeSql(workspace, 'complete.sql', [`SELECT  FROM ${AGG} i;`, '', 'SELECT COUNT(DISTINCT hashed_email) FROM ;']);
    await openFile(page, 'complete.sql');

    // Type the alias and its dot, as a person does: the dot opens the list.
    await cursorAfter(page, `FROM ${AGG} i`, 'SELECT ');
    await page.keyboard.type('i.', { delay: 50 });
    let shown = await suggestions(page);
    // The catalog loads on first use: until then the list may hold only words of the document.
    for (let attempt = 0; attempt < 10 && !shown.some((s) => s.label === 'device_id'); attempt++) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
      await page.keyboard.press('Control+Space');
      shown = await suggestions(page);
    }
    const byLabel = new Map(shown.map((s) => [s.label, s.detail]));
    for (const [column, detail] of [
      ['hashed_email', 'string · join; aggregate: COUNT DISTINCT'],
      ['channel', 'string · dimension'],
      ['impressions', 'int · aggregate: SUM, AVG'],
      ['spend', 'decimal(12,2) · aggregate: SUM, AVG'],
      ['device_id', 'bigint · aggregate: COUNT, COUNT DISTINCT'],
      ['impression_date', 'date · partition key · dimension'],
    ]) {
      assert.equal(byLabel.get(column), detail, `${column}: ${JSON.stringify(shown)}`);
    }
    assert.ok(!byLabel.has(RULES_TABLES.aggregationJoin), 'after an alias only its columns');
    await screenshot(page, 'authoring-complete-columns');

    await page.keyboard.type('chan', { delay: 50 });
    await suggestRow(page, 'channel').waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.editor-widget.suggest-widget.visible').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator('.monaco-editor .view-line', { hasText: `SELECT i.channel FROM ${AGG} i;` }).waitFor({ state: 'visible', timeout: 10_000 });

    // After FROM: the collaboration's tables with their rule type.
    await cursorAfter(page, 'COUNT(DISTINCT hashed_email)', 'FROM ');
    await page.keyboard.press('Control+Space');
    await suggestRow(page, AGG).waitFor({ state: 'visible', timeout: 30_000 });
    const tables = new Map((await suggestions(page)).map((s) => [s.label, s.detail]));
    assert.equal(tables.get(AGG), 'Aggregation', JSON.stringify([...tables]));
    await screenshot(page, 'authoring-complete-tables');
    // Names that need double quotes: typing the bare name finds them, accepting writes them quoted.
    await page.keyboard.type('web', { delay: 50 });
    await suggestRow(page, RULES_TABLES.quoted).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(tables.get(RULES_TABLES.quoted), 'Aggregation');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: `FROM "${RULES_TABLES.quoted}";` }).waitFor({ state: 'visible', timeout: 10_000 });

    await page.keyboard.type(' JOIN ', { delay: 50 });
    await page.keyboard.press('Control+Space');
    await suggestRow(page, RULES_TABLES.reserved).waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.type('ord', { delay: 50 });
    await suggestRow(page, RULES_TABLES.reserved).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: `FROM "${RULES_TABLES.quoted}" JOIN "${RULES_TABLES.reserved}";` }).waitFor({ state: 'visible', timeout: 10_000 });
    const lines = await editorLines(page);
    assert.ok(lines.includes(`SELECT i.channel FROM ${AGG} i;`), lines.join('\n'));
  }));

  it('a join column in the output: squiggle, hover citing the table and rule, Ctrl+. applies the fix and the warning is gone', test(async ({ page, workspace }) => {
    await useRulesMembership(page, workspace);
    writeSql(workspace, 'preflight.sql', [`${JOIN_IN_OUTPUT};`]);
    await openFile(page, 'preflight.sql');
    const squiggle = page.locator('.monaco-editor .squiggly-warning');
    await squiggle.first().waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await squiggle.count(), 1, 'one warning squiggle');
    // The squiggle sits under i.hashed_email.
    const mark = await squiggle.first().boundingBox();
    const column = await wordPoint(page, 'i.hashed_email', 'hashed_email', 3);
    assert.ok(mark && column.x > mark.x && column.x < mark.x + mark.width, `the squiggle ${JSON.stringify(mark)} is under hashed_email ${JSON.stringify(column)}`);
    await waitForWarnings(page, 1);

    await page.mouse.move(column.x, column.y + column.height / 2 - 1);
    const { hover, text } = await hoverText(page, 'join column');
    assert.ok(text.includes(WARNING), text);
    assert.equal(await hover.locator('a[href^="http"], a[data-href^="http"]').count(), 0, 'no link made from the message');
    await screenshot(page, 'authoring-preflight-hover');
    await page.mouse.move(900, 700);
    await page.keyboard.press('Escape');

    // Ctrl+. with the cursor in the column offers the fix.
    await cursorAfter(page, 'i.hashed_email', 'i.hash');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Wrap in COUNT(DISTINCT …)' });
    await fix.first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'authoring-quick-fix');
    // The list takes keys, as a person uses it: move to the fix, Enter applies it.
    for (let i = 0; i < 5 && !/\bfocused\b/.test((await fix.first().getAttribute('class')) ?? ''); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'SELECT i.channel, COUNT(DISTINCT i.hashed_email), SUM(i.impressions)' }).waitFor({ state: 'visible', timeout: 10_000 });
    await squiggle.first().waitFor({ state: 'detached', timeout: 15_000 });

    // The Problems panel has nothing left for the file.
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    await waitForWarnings(page, 0);
    assert.equal(await panel.locator('.monaco-list-row', { hasText: 'preflight.sql' }).count(), 0, 'no problems listed for preflight.sql');
    assert.equal(await panel.locator('.monaco-list-row', { hasText: 'join column' }).count(), 0);
    await screenshot(page, 'authoring-preflight-fixed');
  }));

  it("hover on a table name: its rule type, creator and description, as text", test(async ({ page, workspace }) => {
    await useRulesMembership(page, workspace);
    const sql = `SELECT channel, COUNT(DISTINCT hashed_email) AS people FROM ${AGG} GROUP BY channel`;
    writeSql(workspace, 'hover.sql', [`${sql};`]);
    await openFile(page, 'hover.sql');
    const { hover, text } = await hoverOn(page, sql, `FROM ${AGG}`, 8, 'analysis rule');
    assert.match(text, new RegExp(`${AGG}\\s+— analysis rule: Aggregation`), text);
    assert.ok(text.includes('Ad impressions by campaign and channel (aggregation rule: join on hashed_email, at least 2 people per output row).'), text);
    assert.match(text, /Created by account 615243987001/, text);
    assert.match(text, /Ready/, text);
    assert.equal(await hover.locator('.hover-contents a, .rendered-markdown a').count(), 0, 'no link in the hover');
    assert.equal(await hover.locator('.rendered-markdown :is(strong, em, h1, h2, h3, img)').count(), 0, 'service text is not read as markdown');
    await screenshot(page, 'authoring-table-hover');
  }));

  it("hover on a hostile table: its name and description shown literally, no link, image or icon made from them, nothing run", test(async ({ page, workspace }) => {
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await useRulesMembership(page, workspace, SCHEMA_MEMBERSHIPS.hostile);
    // HOSTILE_NAMES[3] is "javascript:window.__pwned=1"; its description "$(alert) ![x](http://127.0.0.1/x.png)".
    const table = HOSTILE_NAMES[3];
    const description = HOSTILE_STRINGS[6];
    assert.equal(table, 'javascript:window.__pwned=1');
    const sql = `SELECT COUNT(DISTINCT hashed_email) AS people FROM "${table}"`;
    writeSql(workspace, 'hostile-hover.sql', [`${sql};`], SCHEMA_MEMBERSHIPS.hostile.id);
    await openFile(page, 'hostile-hover.sql');
    const { hover, text } = await hoverOn(page, sql, 'javascript', 3, 'analysis rule');
    assert.ok(text.includes(`${table} — analysis rule: Aggregation`), text);
    assert.ok(text.includes(description), `the description literally: ${text}`);
    assert.equal(await hover.locator('.rendered-markdown :is(a, img, .codicon, strong, em)').count(), 0, 'no link, image, icon or emphasis made from service text');
    assert.equal(await page.evaluate(() => Reflect.get(window, '__pwned')), undefined, 'nothing ran');
    assert.deepEqual(dialogs, []);
    await screenshot(page, 'authoring-hostile-hover');
  }));

  it('Tables in the tree: rule types, NOT_READY marked; a table\'s panel says the rule in words, with 0 axe-core findings', test(async ({ page, workspace }) => {
    await useRulesMembership(page, workspace);
    await expand(page, RULES.collaborationName);
    await expand(page, 'Tables');
    const expected = [
      [AGG, 'Aggregation'],
      [RULES_TABLES.list, 'List'],
      [RULES_TABLES.templatesOnly, 'Custom, templates only'],
      [RULES_TABLES.differentialPrivacy, 'Differential privacy'],
      [RULES_TABLES.notReady, /Not ready/],
    ];
    for (const [table, description] of expected) {
      const row = treeRow(page, new RegExp(`^${escape(table)}\\b`)).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const shown = await row.locator('.label-description').textContent();
      if (typeof description === 'string') assert.equal(shown, description, table);
      else assert.match(shown ?? '', description, table);
    }
    const pending = treeRow(page, new RegExp(`^${escape(RULES_TABLES.notReady)}\\b`)).first();
    assert.equal(await pending.locator('.codicon-warning').count(), 1, 'the NOT_READY table has a warning icon');
    assert.equal(await treeRow(page, new RegExp(`^${escape(AGG)}\\b`)).first().locator('.codicon-warning').count(), 0);
    await screenshot(page, 'authoring-tables');

    await treeRow(page, new RegExp(`^${escape(AGG)}\\b`)).first().click();
    const frame = panelFrame(page);
    await frame.locator('body[data-state="table"] h1', { hasText: AGG }).waitFor({ state: 'visible', timeout: 30_000 });
    const sentences = await frame.locator('.rule-sentence').allTextContents();
    assert.ok(sentences.includes('Queries must aggregate: COUNT DISTINCT of hashed_email; SUM or AVG of impressions; SUM or AVG of spend; COUNT or COUNT DISTINCT of device_id.'), sentences.join('\n'));
    assert.ok(sentences.includes('Dimensions you may select, group and filter by: campaign_id, channel, impression_date.'), sentences.join('\n'));
    assert.ok(sentences.some((s) => s.startsWith('Join only on: hashed_email')), sentences.join('\n'));
    await frame.locator('.rule-json', { hasText: '"dimensionColumns"' }).waitFor({ state: 'visible' });
    await screenshot(page, 'authoring-table-panel');

    const handle = await frame.locator('html').elementHandle();
    const content = await handle?.ownerFrame();
    assert.ok(content, 'the panel frame');
    await content.evaluate(AXE_SOURCE);
    const violations = await content.evaluate(async () => {
      const axe = Reflect.get(window, 'axe');
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(violations, [], 'axe findings on the table panel');
  }));

  it('Run Analysis Template… from a template row: typed inputs with defaults; a bad number and a cleared date refused inline, Run disabled', test(async ({ page, workspace }) => {
    await useRulesMembership(page, workspace);
    await expand(page, RULES.collaborationName);
    await expand(page, 'Analysis templates');
    const row = treeRow(page, new RegExp(`^${escape(RULES_TEMPLATE_NAMES.scoreDistribution)}\\b`)).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.hover();
    await row.locator('.action-label[aria-label="Run Analysis Template..."]').click();

    const frame = panelFrame(page);
    await frame.locator('body[data-state="template"] h1', { hasText: RULES_TEMPLATE_NAMES.scoreDistribution }).waitFor({ state: 'visible', timeout: 60_000 });
    const model = frame.locator('input[data-parameter="model"]');
    const minScore = frame.locator('input[data-parameter="min_score"]');
    const since = frame.locator('input[data-parameter="since_date"]');
    const run = frame.getByRole('button', { name: 'Run', exact: true });
    assert.equal(await model.inputValue(), 'churn_v2', 'VARCHAR default');
    assert.equal(await since.getAttribute('type'), 'date', 'a DATE gets a date input');
    assert.equal(await since.inputValue(), '2024-07-01', 'DATE default');
    assert.equal(await minScore.inputValue(), '', 'DOUBLE without a default starts empty');
    assert.equal(await run.isDisabled(), true, 'Run waits for min_score');

    const minError = frame.locator('#param-1-error');
    await minScore.fill('high');
    await minError.filter({ hasText: /\S/ }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await minScore.getAttribute('aria-invalid'), 'true');
    assert.equal(await run.isDisabled(), true);
    await minScore.fill('0.75');
    await minError.filter({ hasText: /\S/ }).waitFor({ state: 'hidden', timeout: 10_000 });
    await frame.locator('button:not([disabled])', { hasText: /^Run$/ }).waitFor({ state: 'visible', timeout: 10_000 });

    // A person clears the date's month with the keyboard: the browser reports no date at all.
    await since.click({ position: { x: 12, y: 10 } });
    await page.keyboard.press('Backspace');
    const dateError = frame.locator('#param-2-error', { hasText: 'YYYY-MM-DD' });
    await dateError.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await since.getAttribute('aria-invalid'), 'true');
    assert.equal(await run.isDisabled(), true, 'Run disabled while the date is invalid');
    await screenshot(page, 'authoring-template-row-form');
  }));

  it('the walkthrough "Get started with Clean Rooms Explorer" opens from the palette with its steps', test(async ({ page }) => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Clean Rooms Explorer' }).first();
    await pick.waitFor({ state: 'visible', timeout: 30_000 });
    await pick.click();
    const container = page.locator('.gettingStartedContainer');
    await container.locator('.getting-started-category h2, .category-title', { hasText: 'Get started with Clean Rooms Explorer' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await container.getByText('Set up an AWS profile').first().waitFor({ state: 'visible', timeout: 10_000 });
    await container.getByText('Write and run a first query').first().waitFor({ state: 'visible' });
    await container.getByText('Pick the AWS profile and region the explorer signs its calls with.').first().waitFor({ state: 'visible', timeout: 10_000 });
    // The selected step's markdown, rendered beside the steps (in a webview of its own).
    const media = page.locator('.gettingStartedContainer iframe.webview.ready:visible').first().contentFrame().locator('#active-frame').contentFrame();
    await media.getByText('signs its calls with a profile from your shared AWS files', { exact: false }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'authoring-walkthrough');
  }));

  it('the README screenshot: column completion after an alias beside a pre-flight warning, Tables expanded in the side bar', test(async ({ page, workspace, codeServer }) => {
    // The workbench lays itself out for the window it starts in.
    await page.setViewportSize({ width: 1280, height: 800 });
    await openWorkbench(page, codeServer, workspace);
    await useRulesMembership(page, workspace);
    await expand(page, RULES.collaborationName);
    await expand(page, 'Tables');
    await treeRow(page, new RegExp(`^${escape(RULES_TABLES.notReady)}\\b`)).first().waitFor({ state: 'visible', timeout: 30_000 });
    writeSql(workspace, 'reach_by_channel.sql', [
      '-- Reach per channel',
      'SELECT i.channel, i.hashed_email, SUM(i.impressions) AS impressions',
      `FROM ${AGG} i`,
      'GROUP BY i.channel;',
      '',
      '-- Spend by campaign',
      'SELECT i.campaign_id, ',
      `FROM ${AGG} i`,
      'GROUP BY i.campaign_id;',
    ]);
    await openFile(page, 'reach_by_channel.sql');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: 30_000 });
    await cursorAfter(page, 'SELECT i.campaign_id,', 'campaign_id, ');
    await page.keyboard.type('SUM(i.', { delay: 80 });
    await suggestRow(page, 'spend').waitFor({ state: 'visible', timeout: 30_000 });
    // Focus spend, so its type and role show on its row.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await page.locator('.editor-widget.suggest-widget.visible .monaco-list-row.focused .label-name', { hasText: /^spend$/ }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.mouse.move(1270, 790);
    await page.waitForTimeout(500);
    const file = await screenshot(page, 'authoring');
    assert.ok(fs.statSync(file).size > 0);
  }));
});
