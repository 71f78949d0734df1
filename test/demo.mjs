#!/usr/bin/env node
// `npm run demo`: try the packaged extension in a real VS Code (code-server) against the local fake
// Clean Rooms endpoint, no AWS account needed.
//
//   npm run demo                  build + package + compile the fake, start everything, print the URL
//   npm run demo -- --no-build    reuse clean-rooms-explorer.vsix and out/ from the last build
//   npm run demo -- --port 7788   code-server port (default 7788 when free, else any free port)
//   npm run demo -- --smoke       start everything, check the URL answers HTTP 200 and the extension
//                                 is installed, stop, exit 0 (used by tests)
//
// The workspace is .demo/workspace (git-ignored); its .vscode/settings.json lists the sample
// memberships from test/fakes/fixtures.ts plus one that does not exist (FAULT_IDS.notFound).
// The endpoint also holds memberships no setting lists (DISCOVERABLE_MEMBERSHIPS), so Discover
// Memberships finds some in us-east-1 and, with eu-west-1 in cleanRooms.discoverRegions, more there.
// User settings point cleanRooms.endpoint/profile at the fake and a temp AWS home. Ctrl-C stops
// code-server and the endpoint and removes the temp dirs.
//
// What it installs: see "Try it in one command" in README.md (code-server into .vscode-test/ and,
// when missing, Debian packages through ensureCodeServer() in test/harness/codeServer.mjs).
// It does not install Chromium: only the tests drive a browser.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT, ensureCodeServer, preferPort, sampleMemberships, startCodeServer, startTestEnvironment, stopAll,
} from './harness/codeServer.mjs';

const require = createRequire(import.meta.url);
const EXTENSION_ID = 'cleanrooms-explorer.clean-rooms-explorer';
const VSIX = path.join(REPO_ROOT, 'clean-rooms-explorer.vsix');
const WORKSPACE = path.join(REPO_ROOT, '.demo', 'workspace');

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    port: { type: 'string' },
  },
});

function npm(script) {
  console.log(`demo: npm run ${script}`);
  const r = spawnSync('npm', ['run', script], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run ${script} failed (exit ${r.status})`);
}

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function main() {
  if (!args['no-build']) {
    npm('package'); // builds dist/ and the .vsix
    npm('compile-tests'); // out/test/fakes for the endpoint
  }
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing (run \`npm run package\`)`);
  await ensureCodeServer();

  /** @type {typeof import('./fakes/schemaFixtures')} */
  const { SCHEMA_MEMBERSHIP_IDS } = require(path.join(REPO_ROOT, 'out', 'test', 'fakes', 'schemaFixtures.js'));
  // The samples, and the collaboration with a table for every kind of analysis rule (its tables,
  // templates and privacy budget show what the editor knows before a query runs).
  const memberships = [...(await sampleMemberships()), SCHEMA_MEMBERSHIP_IDS.rules];
  /** @type {typeof import('./fakes/fixtures')} */
  const fixtures = require(path.join(REPO_ROOT, 'out', 'test', 'fakes', 'fixtures.js'));
  const { DISCOVERABLE_MEMBERSHIPS, DISCOVER_OTHER_REGION, SEED_REGION } = fixtures;
  /** @type {typeof import('./fakes/sampleQueries')} */
  const { SAMPLE_QUERY_FILES } = require(path.join(REPO_ROOT, 'out', 'test', 'fakes', 'sampleQueries.js'));
  const toDiscover = (region) => DISCOVERABLE_MEMBERSHIPS[region].filter((m) => m.status === 'ACTIVE').length;
  const discoverHint = `Discover Memberships finds ${toDiscover(SEED_REGION)} more active memberships in ${SEED_REGION}; ` +
    `add "${DISCOVER_OTHER_REGION}" to cleanRooms.discoverRegions and it finds ${toDiscover(DISCOVER_OTHER_REGION)} more there.`;
  fs.mkdirSync(WORKSPACE, { recursive: true });
  fs.writeFileSync(path.join(WORKSPACE, 'README.md'),
    '# Clean Rooms Explorer demo\n\nOpen the Clean Rooms view in the activity bar. The memberships are listed in\n' +
    '`.vscode/settings.json` and served by the local fake endpoint started by `npm run demo`.\n\n' +
    `${discoverHint}\n\n` +
    'The `queries` folder holds SQL files bound to sample memberships (`-- @membership <id>`): click **Run** above a ' +
    'statement (or Ctrl+Enter) to run it as a protected query on the local endpoint and read its results.\n');
  fs.mkdirSync(path.join(WORKSPACE, 'queries'), { recursive: true });
  for (const sample of SAMPLE_QUERY_FILES) fs.writeFileSync(path.join(WORKSPACE, 'queries', sample.name), sample.text);
  const env = await startTestEnvironment({ memberships, workspaceDir: WORKSPACE });
  fixtures.seedDiscoverable(env.endpoint);
  const port = args.port ? Number(args.port) : await preferPort(7788);
  const cs = await startCodeServer({
    folder: WORKSPACE,
    userSettings: env.userSettings,
    env: env.env,
    installVsix: VSIX,
    port,
  });
  const url = `${cs.url}/?folder=${encodeURIComponent(WORKSPACE)}`;

  if (args.smoke) {
    let failure;
    const res = await get(url);
    if (res.status !== 200) failure = `GET ${url} answered ${res.status}`;
    let installed;
    try {
      const list = JSON.parse(fs.readFileSync(path.join(cs.extensionsDir, 'extensions.json'), 'utf8'));
      installed = list.find((e) => e.identifier?.id?.toLowerCase() === EXTENSION_ID);
    } catch { /* not installed */ }
    if (!installed) failure ??= `${EXTENSION_ID} is not installed in ${cs.extensionsDir}`;
    await cs.stop();
    await env.dispose();
    if (failure) {
      console.error(`demo --smoke: FAILED: ${failure}`);
      return 1;
    }
    console.log(`demo --smoke: ok (HTTP ${res.status} from ${cs.url}, ${EXTENSION_ID}@${installed.version} installed, ` +
      `${memberships.length} memberships, fake endpoint ${env.endpoint.url})`);
    return 0;
  }

  console.log([
    '',
    '  Clean Rooms Explorer demo is running.',
    '',
    `  Open:            ${url}`,
    `  Fake endpoint:   ${env.endpoint.url}   (profile cleanrooms-test, AWS home ${env.aws.home})`,
    `  Workspace:       ${path.relative(REPO_ROOT, WORKSPACE)}/.vscode/settings.json (${memberships.length} memberships)`,
    `  Discover:        ${discoverHint}`,
    `  Queries:         ${path.relative(REPO_ROOT, path.join(WORKSPACE, 'queries'))}/ (${SAMPLE_QUERY_FILES.map((f) => f.name).join(', ')}): Run runs them on the local endpoint`,
    `  Extension:       ${path.relative(REPO_ROOT, VSIX)} installed with --install-extension`,
    `  code-server log: ${cs.logFile}`,
    '',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n'));
  await new Promise(() => {}); // until Ctrl-C (codeServer.mjs stops everything on SIGINT/SIGTERM)
  return 0;
}

main().then((code) => process.exit(code), async (err) => {
  console.error('demo:', err.message ?? err);
  await stopAll();
  process.exit(1);
});
