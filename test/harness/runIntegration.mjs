#!/usr/bin/env node
// Integration tests inside a real VS Code extension host (code-server 4.100.3, offline).
//
//   node test/harness/runIntegration.mjs [--grep PATTERN] [--timeout SECONDS] [--headed] [--keep]
//                                        [--verbose]   (also print the workbench's own log lines)
//
// Needs `npm run build` (dist/extension.js) and `npm run compile-tests` (out/) first; run-all.mjs
// does both. Starts the fake Clean Rooms endpoint, a temp AWS home and a temp workspace, starts
// code-server with user settings pointing at them, and opens the workbench in Chromium with a
// `payload` that loads this repository as the development extension and
// out/test/integration/index.js as the test runner. The extension host's console is streamed to
// stdout; the process exits with mocha's result.
//
// The extension host sees (process.env):
//   CLEANROOMS_TEST_ENDPOINT   fake endpoint URL (also in the `cleanRooms.endpoint` user setting)
//   CLEANROOMS_TEST_S3_ENDPOINT  its local S3 (also in the `cleanRooms.s3Endpoint` user setting)
//   CLEANROOMS_TEST_AWS_HOME   temp home with ~/.aws/{config,credentials}, profile cleanrooms-test
//   CLEANROOMS_TEST_WORKSPACE  the opened folder (its .vscode/settings.json starts with
//                              "cleanRooms.memberships": [])
//   CLEANROOMS_TEST_REPO_ROOT  this repository
//   CLEANROOMS_TEST_GREP       --grep, when given
//   HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ... from createAwsHome().env
//
// Output ends with a line `integration: N passed, M failed` (printed by the in-host runner). On a
// failure or timeout, logs and a screenshot are saved under test-results/integration/.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT, ensureChromium, ensureCodeServer, findExtHostLogs, launchBrowser, sampleMemberships, saveLogs,
  startCodeServer, startTestEnvironment, stopAll,
} from './codeServer.mjs';

const { values: args } = parseArgs({
  options: {
    grep: { type: 'string' },
    timeout: { type: 'string' },
    headed: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    // Workspace trust on and the workspace untrusted, running test/untrusted/ instead.
    untrusted: { type: 'boolean', default: false },
    // Development extension folder (default: this repository). For debugging the harness itself.
    extension: { type: 'string', default: REPO_ROOT },
  },
});

const TIMEOUT_MS = Number(args.timeout ?? process.env.CLEANROOMS_INTEGRATION_TIMEOUT ?? 600) * 1000;
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', args.untrusted ? 'untrusted' : 'integration');
/** Workbench log lines that say nothing about the tests (hidden from stdout unless --verbose). */
const NOISE = new RegExp([
  '^Resolving connection token', '^Resolved connection token', '^Creating a socket',
  '^Ignoring fetching additional builtin extensions', '^Updating additional builtin extensions cache',
  '^\\[Service Worker\\]', '^ChatSessionStore:', '^Creation of workbench contribution',
].join('|'));
const LABEL = args.untrusted ? 'untrusted' : 'integration';
const SUITE = args.untrusted ? 'out/test/untrusted/index.js' : 'out/test/integration/index.js';
const SUMMARY_RE = new RegExp(`^${LABEL}: (\\d+) passed, (\\d+) failed`, 'm');
/** What a hostile repository might put in its settings; the untrusted suite checks it is ignored. */
const UNTRUSTED_WORKSPACE_SETTINGS = (memberships) => ({
  'cleanRooms.endpoint': 'http://127.0.0.1:9/steal',
  'cleanRooms.profile': 'evil-profile',
  'cleanRooms.memberships': [{ id: memberships[0], profile: 'evil-profile' }, memberships[1]],
  // A one-click 400-worker query, results read from the repository's own server.
  'cleanRooms.query.workerType': 'CR.4X',
  'cleanRooms.query.workerCount': 400,
  'cleanRooms.query.confirmBeforeRun': false,
  'cleanRooms.s3Endpoint': 'http://127.0.0.1:9/steal-results',
});

function need(file, hint) {
  if (!fs.existsSync(path.join(REPO_ROOT, file))) {
    console.error(`integration: ${file} is missing (${hint})`);
    process.exit(1);
  }
}

async function main() {
  const t0 = Date.now();
  const extensionPath = path.resolve(args.extension);
  if (!fs.existsSync(path.join(extensionPath, 'dist', 'extension.js'))) {
    console.error(`integration: ${path.join(extensionPath, 'dist', 'extension.js')} is missing (run \`npm run build\`)`);
    return 1;
  }
  need(SUITE, 'run `npm run compile-tests`');
  await ensureCodeServer();
  await ensureChromium();
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });

  const samples = args.untrusted ? (await sampleMemberships()).filter((id) => !id.startsWith('dead')) : [];
  const testEnv = await startTestEnvironment(args.untrusted ? { workspaceSettings: UNTRUSTED_WORKSPACE_SETTINGS(samples) } : {});
  /** @type {Awaited<ReturnType<typeof startCodeServer>> | undefined} */
  let cs;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  let exitCode = 1;
  let output = '';
  let timer;
  try {
    cs = await startCodeServer({
      folder: testEnv.workspace,
      userSettings: args.untrusted
        ? { ...testEnv.userSettings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }
        : testEnv.userSettings,
      env: { ...testEnv.env, ...(args.grep ? { CLEANROOMS_TEST_GREP: args.grep } : {}) },
      keepDirs: args.keep,
      workspaceTrust: args.untrusted,
    });
    console.log(`integration: code-server ${cs.url} (pid ${cs.pid}), fake endpoint ${testEnv.endpoint.url}`);

    browser = await launchBrowser({ headless: !args.headed });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const consoleLog = fs.createWriteStream(path.join(RESULTS_DIR, 'browser-console.log'));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? e.message}\n`));

    /** @type {(code: number) => void} */
    let onExit = () => {};
    const exited = new Promise((resolve) => { onExit = resolve; });
    // The workbench's own log and the extension host's console arrive here mixed, all as 'info'.
    // Everything goes to test-results/integration/workbench.log; stdout skips known workbench chatter.
    const workbenchLog = fs.createWriteStream(path.join(RESULTS_DIR, 'workbench.log'));
    await page.exposeFunction('codeAutomationLog', (type, message) => {
      const text = Array.isArray(message) ? message.join(' ') : String(message);
      output += text + '\n';
      workbenchLog.write(`[${type}] ${text}\n`);
      if (!args.verbose && NOISE.test(text)) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
    page.on('crash', () => onExit(-2));

    const authority = `127.0.0.1:${cs.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`],
      ['extensionTestsPath', `vscode-remote://${authority}${path.join(REPO_ROOT, SUITE)}`],
      ['skipWelcome', 'true'],
    ];
    const url = `${cs.url}/?folder=${encodeURIComponent(testEnv.workspace)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS); });
    await page.goto(url);
    const result = await Promise.race([exited, timedOut]);

    if (result === 'timeout') {
      console.error(`integration: TIMED OUT after ${TIMEOUT_MS / 1000} s without a result from the extension host`);
      await page.screenshot({ path: path.join(RESULTS_DIR, 'timeout.png') }).catch(() => {});
      exitCode = 1;
    } else if (result === -2) {
      console.error('integration: the browser page crashed');
      exitCode = 1;
    } else {
      exitCode = /** @type {number} */ (result);
      if (exitCode !== 0) await page.screenshot({ path: path.join(RESULTS_DIR, 'failure.png') }).catch(() => {});
    }
  } finally {
    clearTimeout(timer);
    const m = output.match(new RegExp(SUMMARY_RE.source, 'gm'))?.pop()?.match(SUMMARY_RE);
    if (!m) {
      console.error('integration: no summary line from the extension host');
      exitCode = exitCode || 1;
    } else if (Number(m[2]) > 0 || Number(m[1]) === 0) {
      exitCode = exitCode || 1;
    }
    if (exitCode !== 0 && cs) {
      const ext = findExtHostLogs(cs.logsDir)[0];
      if (ext) {
        const tail = fs.readFileSync(ext, 'utf8').split('\n').slice(-30).join('\n');
        console.error(`--- last lines of ${path.basename(ext)} ---\n${tail}`);
      }
      const saved = saveLogs(cs, RESULTS_DIR);
      if (saved) console.error(`integration: logs saved in ${path.relative(REPO_ROOT, saved)}/`);
    }
    await browser?.close().catch(() => {});
    await cs?.stop();
    await testEnv.dispose();
    console.log(`integration: finished in ${((Date.now() - t0) / 1000).toFixed(1)} s, exit code ${exitCode}`);
  }
  return exitCode;
}

main().then((code) => process.exit(code), async (err) => {
  console.error('integration: harness error:', err);
  await stopAll();
  process.exit(1);
});
