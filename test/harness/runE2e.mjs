#!/usr/bin/env node
// End-to-end tests: the packaged .vsix installed into code-server with --install-extension (the
// path a Marketplace user takes), driven through the real UI by Playwright + Debian Chromium.
//
//   node test/harness/runE2e.mjs [--vsix clean-rooms-explorer.vsix] [--grep PATTERN]
//                                [--headed] [--timeout SECONDS] [test/e2e/x.spec.mjs ...]
//
// Needs the .vsix (`npm run package`) and out/test/fakes (`npm run compile-tests`); run-all.mjs
// does both. Specs are test/e2e/*.spec.mjs (mocha BDD, 60 s per test); see test/e2e/fixture.mjs for
// what each test receives. Prints `e2e: N passed, M failed`; exits non-zero when a test failed or
// none ran. Screenshots and (on failure) code-server logs go to test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import {
  REPO_ROOT, ensureChromium, ensureCodeServer, launchBrowser, sampleMemberships, saveLogs,
  startCodeServer, startTestEnvironment, stopAll,
} from './codeServer.mjs';
import { mochaHooks, setSharedFixture } from '../e2e/fixture.mjs';

const EXTENSION_ID = 'cleanrooms-explorer.clean-rooms-explorer';
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    vsix: { type: 'string', default: path.join(REPO_ROOT, 'clean-rooms-explorer.vsix') },
    grep: { type: 'string' },
    headed: { type: 'boolean', default: false },
    timeout: { type: 'string' },
  },
});
const TIMEOUT_MS = Number(args.timeout ?? process.env.CLEANROOMS_E2E_TIMEOUT ?? 900) * 1000;
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');

function specFiles() {
  if (positionals.length) return positionals.map((p) => path.resolve(p));
  const dir = path.join(REPO_ROOT, 'test', 'e2e');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.spec.mjs')).sort().map((f) => path.join(dir, f));
}

/** Reads the extensions dir the way VS Code does (extensions.json) to confirm the install. */
function installedExtension(extensionsDir) {
  try {
    const list = JSON.parse(fs.readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8'));
    return list.find((e) => e.identifier?.id?.toLowerCase() === EXTENSION_ID);
  } catch {
    return undefined;
  }
}

async function main() {
  const t0 = Date.now();
  const vsix = path.resolve(args.vsix);
  if (!fs.existsSync(vsix)) {
    console.error(`e2e: ${vsix} is missing (run \`npm run package\`)`);
    console.log('e2e: 0 passed, 0 failed');
    return 1;
  }
  await ensureCodeServer();
  await ensureChromium();
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });

  const memberships = await sampleMemberships();
  const testEnv = await startTestEnvironment({ memberships });
  let cs;
  let browser;
  let passed = 0;
  let failed = 0;
  let timer;
  try {
    cs = await startCodeServer({
      folder: testEnv.workspace,
      userSettings: testEnv.userSettings,
      env: testEnv.env,
      installVsix: vsix,
    });
    const ext = installedExtension(cs.extensionsDir);
    if (!ext) throw new Error(`${EXTENSION_ID} is not in ${cs.extensionsDir}/extensions.json after --install-extension`);
    console.log(`e2e: installed ${ext.identifier.id}@${ext.version} from ${path.relative(REPO_ROOT, vsix)}; ` +
      `code-server ${cs.url}, fake endpoint ${testEnv.endpoint.url}, ${memberships.length} memberships`);

    browser = await launchBrowser({ headless: !args.headed });
    setSharedFixture({
      browser, codeServer: cs, endpoint: testEnv.endpoint, aws: testEnv.aws, workspace: testEnv.workspace,
      env: testEnv.env, memberships, resetWorkspace: testEnv.resetWorkspace,
    });

    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, rootHooks: mochaHooks, grep: args.grep });
    for (const f of specFiles()) mocha.addFile(f);
    await mocha.loadFilesAsync();
    const done = new Promise((resolve) => {
      const runner = mocha.run(() => resolve('done'));
      runner.on('pass', () => passed++);
      runner.on('fail', () => failed++);
    });
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS); });
    if ((await Promise.race([done, timedOut])) === 'timeout') {
      console.error(`e2e: TIMED OUT after ${TIMEOUT_MS / 1000} s`);
      failed++;
    }
  } catch (err) {
    console.error('e2e: harness error:', err);
    failed++;
  } finally {
    clearTimeout(timer);
    if (failed > 0 && cs) {
      const saved = saveLogs(cs, RESULTS_DIR);
      if (saved) console.error(`e2e: code-server logs saved in ${path.relative(REPO_ROOT, saved)}/`);
    }
    await browser?.close().catch(() => {});
    await cs?.stop();
    await testEnv.dispose();
  }
  console.log(`e2e: finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code), async (err) => {
  console.error('e2e: harness error:', err);
  await stopAll();
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
});
