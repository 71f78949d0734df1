// How the panels look to a person (issue 10, items 7, 8, 12, 13): detail panels in reading order
// with status colours and structured values as fields, a narrow panel that reflows instead of
// cutting IDs, times with their zone, and WCAG AA proven by axe-core in light, dark and
// high-contrast themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openCleanRoomsView, openWorkbench, screenshot, test, treeRow, webviewFrame } from './fixture.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../fakes/fixtures')} */
const fixtures = require('../../out/test/fakes/fixtures.js');
const { SAMPLE } = fixtures;
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Opens the membership panel of `m` from the tree and waits for its page. */
async function openMembership(page, m) {
  await openCleanRoomsView(page);
  const row = treeRow(page, new RegExp(`^${escape(m.collaborationName)}`));
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  const frame = webviewFrame(page);
  await frame.locator('body[data-state="membership"] h1', { hasText: m.collaborationName }).waitFor({ state: 'visible', timeout: 30_000 });
  return frame;
}

/** Expands the tree row whose text starts with `name` (the membership itself, or one of its branches). */
async function expand(page, name) {
  const row = treeRow(page, new RegExp(`^${escape(name)}`)).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  return row;
}

/** A protected query row of the expanded "Protected queries" branch, by its status word. */
function queryRow(page, status) {
  return page.getByRole('tree', { name: /Memberships/ }).getByRole('treeitem').filter({ hasText: new RegExp(status.replace('_', '.'), 'i') }).first();
}

/** Opens the query panel of the first protected query of `m` with `status`; returns its frame. */
async function openQuery(page, m, status) {
  await openCleanRoomsView(page);
  await expand(page, m.collaborationName);
  await expand(page, 'Protected queries');
  const row = queryRow(page, status);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  const frame = webviewFrame(page);
  // A protected query opens in a query panel (live), not as a membership-style snapshot.
  await frame.locator('body[data-state="query"] .badge', { hasText: new RegExp(status.replace('_', '.'), 'i') }).first().waitFor({ state: 'visible', timeout: 30_000 });
  return frame;
}

/** The Playwright Frame behind the active webview (frame.evaluate runs scripts the page's CSP would refuse). */
async function contentFrame(page) {
  const html = await webviewFrame(page).locator('html').elementHandle();
  const frame = await html.ownerFrame();
  assert.ok(frame, 'the webview frame');
  return frame;
}

/**
 * Runs axe-core (WCAG 2 A and AA rules, colour contrast among them) on the active webview's
 * document and returns the serious and critical violations, printing every finding.
 */
async function axeFindings(page, what) {
  const frame = await contentFrame(page);
  // Evaluated through the DevTools protocol: the webview's CSP (no inline or remote scripts) does not apply.
  await frame.evaluate(AXE_SOURCE);
  const result = await frame.evaluate(async () => {
    // The global the evaluated axe-core source defined.
    const axe = Reflect.get(window, 'axe');
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    const brief = (list) => list.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160) })) }));
    const contrastChecked = r.passes.filter((v) => v.id === 'color-contrast').flatMap((v) => v.nodes.map((n) => n.html.slice(0, 160)));
    return { violations: brief(r.violations), incomplete: brief(r.incomplete), passes: r.passes.length, contrastChecked };
  });
  for (const v of result.violations) {
    console.log(`axe ${what}: ${v.impact} ${v.id} (${v.help})`);
    for (const n of v.nodes) console.log(`    ${n.target}: ${n.summary?.replace(/\s+/g, ' ')}`);
  }
  console.log(`axe ${what}: ${result.passes} rules passed, colour contrast checked on ${result.contrastChecked.length} elements, ${result.violations.length} violations`);
  const contrastUnsure = result.incomplete.filter((v) => v.id === 'color-contrast').flatMap((v) => v.nodes);
  for (const n of contrastUnsure) console.log(`axe ${what}: contrast not decidable for ${n.target}: ${n.summary?.replace(/\s+/g, ' ')}`);
  return {
    serious: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    contrastUnsure,
    contrastChecked: result.contrastChecked,
  };
}

/** Sets the colour theme through the workspace settings and waits until the workbench and the next webviews use it. */
async function useTheme(page, workspace, theme) {
  const file = path.join(workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  settings['workbench.colorTheme'] = theme.name;
  const themed = page.locator(`.monaco-workbench.${theme.workbenchClass}`);
  // The workbench learns of the edit from its file watcher, which can miss a write made while the
  // window is still starting (seen once in ~10 fresh runs): write again until the theme applies.
  for (let attempt = 0; attempt < 6; attempt++) {
    fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n'.repeat(attempt % 2));
    try {
      await themed.waitFor({ state: 'attached', timeout: 10_000 });
      return;
    } catch {
      // not applied yet: write again
    }
  }
  await themed.waitFor({ state: 'attached', timeout: 1_000 });
}

/** A fresh browser context (own viewport, time zone) showing the workbench; closed by the caller. */
async function newWorkbench({ browser, codeServer, workspace }, options) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  const page = await context.newPage();
  await openWorkbench(page, codeServer, workspace);
  return { context, page };
}

describe('panel look', () => {
  it('a query panel reads status first, colours a failed query red, and says why it failed', test(async ({ page }) => {
    const frame = await openQuery(page, SAMPLE.retailMedia, 'FAILED');
    const labels = (await frame.locator('section:not(.results-section)').first().locator(':scope > dl > dt').allInnerTexts()).map((s) => s.trim());
    assert.equal(labels[0], 'Status', `first field: ${labels.join(', ')}`);
    assert.ok(!labels.some((l) => /\b(ID|ARN)\b/.test(l)), `IDs and ARNs are not among the first fields: ${labels.join(', ')}`);
    const sections = (await frame.locator('section h2').allInnerTexts()).map((s) => s.trim());
    // The results area comes first (here: why there are none), then the query's fields.
    assert.equal(sections[0], 'Results', `sections: ${sections.join(', ')}`);
    sections.shift();
    assert.equal(sections.at(-1), 'Identifiers', `sections: ${sections.join(', ')}`);
    assert.equal(await frame.locator('dd[data-field="Status"] .badge.tone-bad').count(), 1, 'FAILED is a red badge');
    // The error comes right after the status section: code and the service's message.
    assert.equal(sections[1], 'Error', `sections: ${sections.join(', ')}`);
    await frame.locator('dd[data-field="Message"]', { hasText: 'JOIN ON clause' }).first().waitFor({ state: 'visible' });
    await screenshot(page, 'panel-detail-query');
  }));

  it('a narrow panel puts labels above values and shows long IDs and the title in full', test(async ({ page }) => {
    const m = SAMPLE.retailMedia;
    const frame = await openMembership(page, m);
    // A panel beside an editor: about 400 px wide.
    await page.setViewportSize({ width: 760, height: 900 });
    await page.waitForFunction(() => {
      const iframe = document.querySelector('iframe.webview.ready');
      return iframe !== null && iframe.getBoundingClientRect().width < 520;
    }, undefined, { timeout: 15_000 });
    const layout = await frame.locator('#app').evaluate((app) => {
      const box = (e) => e.getBoundingClientRect();
      const dt = app.querySelector('dt');
      const dd = dt.nextElementSibling;
      const clipped = [...app.querySelectorAll('h1, code, .text, dd')].filter((e) => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis').map((e) => `${e.tagName} ${e.textContent.slice(0, 60)}`);
      return {
        width: app.clientWidth,
        labelAbove: box(dd).top >= box(dt).bottom - 1 && Math.abs(box(dd).left - box(dt).left) < 2,
        clipped,
        pageScrolls: document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth,
        arn: app.querySelector('dd[data-field="Membership ARN"] code').textContent,
      };
    });
    assert.ok(layout.width < 520, `panel is narrow (${layout.width} px)`);
    assert.ok(layout.labelAbove, 'the label sits above its value');
    assert.deepEqual(layout.clipped, [], 'nothing is cut off');
    assert.equal(layout.pageScrolls, false, 'no sideways scrolling');
    assert.equal(layout.arn, m.arn);
    await screenshot(page, 'panel-narrow');
  }));

  it('times show the reader\'s time zone, with the UTC instant in the tooltip', test(async (f) => {
    // A zone that is neither UTC nor a whole hour from it: the time shown must name it.
    const { context, page } = await newWorkbench(f, { timezoneId: 'Asia/Kolkata', locale: 'en-US' });
    try {
      const m = SAMPLE.retailMedia;
      const frame = await openMembership(page, m);
      const created = frame.locator('dd[data-field="Created"] time');
      const iso = new Date(m.createTime * 1000).toISOString();
      assert.equal(await created.getAttribute('datetime'), iso);
      assert.match(await created.getAttribute('title'), new RegExp(`^${escape(iso)}\\b.*UTC`));
      const shown = (await created.innerText()).trim();
      assert.match(shown, /GMT\+5:30|IST/, `"${shown}" names the zone`);
      const local = new Date(m.createTime * 1000 + 5.5 * 3600_000);
      assert.ok(shown.includes(String(local.getUTCFullYear())) && shown.includes(String(local.getUTCDate())), `"${shown}" is the local date`);
    } finally {
      await context.close();
    }
  }));
});

const THEMES = [
  { name: 'Default Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { name: 'Default Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
  { name: 'Default High Contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' },
  { name: 'Default High Contrast Light', workbenchClass: 'hc-light', webviewClass: 'vscode-high-contrast-light' },
];

describe('panel accessibility (axe-core, WCAG 2 AA)', () => {
  for (const theme of THEMES) {
    it(`membership and detail panels have no serious or critical findings in ${theme.name}`, test(async ({ page, workspace }) => {
      await useTheme(page, workspace, theme);
      const m = SAMPLE.retailMedia;
      const problems = [];
      const unsure = [];
      const check = async (what) => {
        // A membership panel, or a query panel (protected query rows open one).
        await webviewFrame(page).locator(`body.${theme.webviewClass}[data-state="membership"], body.${theme.webviewClass}[data-state="query"]`).first().waitFor({ state: 'attached', timeout: 30_000 });
        const found = await axeFindings(page, `${theme.name} / ${what}`);
        problems.push(...found.serious.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target).join(', ')}`));
        unsure.push(...found.contrastUnsure.filter((n) => /badge|not-set/.test(n.html)).map((n) => `${what}: ${n.target}`));
        return found.contrastChecked;
      };
      await openMembership(page, m);
      await check('membership panel');
      // Every status colour: failed, succeeded, cancelled, timed out, running.
      for (const status of ['FAILED', 'SUCCESS', 'CANCELLED', 'TIMED_OUT', 'STARTED']) {
        await openQuery(page, m, status);
        const checked = await check(`protected query ${status}`);
        // The proof covers the status badge itself, not only the text around it.
        assert.ok(checked.some((html) => html.includes('class="badge')), `${status}: axe checked the badge's contrast`);
      }
      await screenshot(page, `axe-${theme.webviewClass}`);
      assert.deepEqual(problems, [], 'serious or critical axe findings');
      assert.deepEqual(unsure, [], 'badges and "Not set" are checked for contrast, not skipped');
    }));
  }
});
