// Offline VS Code for tests: code-server from npm + Debian Chromium driven by playwright-core.
//
//   import { ensureCodeServer, ensureChromium, startCodeServer, launchBrowser } from './codeServer.mjs';
//   await ensureCodeServer();            // first time: ~3-4 min install into .vscode-test/code-server/
//   const cs = await startCodeServer({ folder, userSettings, env, installVsix, workspaceTrust });
//   const browser = await launchBrowser();
//   ...
//   await cs.stop(); await browser.close();
//
// Everything listens on / talks to 127.0.0.1 only. See /work/shared/notes/vscode-offline.md for why
// code-server and not @vscode/test-electron is the default here.
//
// Settings (measured on code-server 4.100.3 with inspect() from the extension host): the workbench
// reads BOTH `<userDataDir>/User/settings.json` (inspect(): globalLocalValue) and
// `<userDataDir>/Machine/settings.json` (globalRemoteValue), for every scope including `machine`
// (e.g. `cleanRooms.endpoint`). When both set a key, Machine wins. startCodeServer writes
// `userSettings` to both files by default (`settingsFiles` changes that). Consequence for tests:
// `config.update(key, v, ConfigurationTarget.Global)` then writes Machine/settings.json, and
// `update(key, undefined, Global)` removes it there only, so the User file's value shows through
// again (the original value, not the default). Pass `settingsFiles: ['User']` to get plain
// desktop-like behaviour (update/reset both act on User/settings.json).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = path.join(REPO_ROOT, '.vscode-test', 'code-server');
export const CODE_SERVER_ROOT = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_ROOT, 'out', 'node', 'entry.js');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const MARKER = path.join(CODE_SERVER_DIR, `.installed-${CODE_SERVER_VERSION}`);
const INSTALL_LOG = path.join(CODE_SERVER_DIR, 'install.log');

/** Chromium flags that keep a headless Chromium quiet on a closed network (and on loopback only). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  // Any host name other than loopback fails to resolve: the browser can only reach 127.0.0.1.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

const log = (...a) => console.error('[harness]', ...a);

// ---------------------------------------------------------------------------------------------
// Process helpers

/**
 * Runs a command; output goes to `logFile` (appended) or is inherited. Rejects on non-zero exit.
 * @param {string} cmd @param {string[]} args
 * @param {{cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string, quiet?: boolean}} [opts]
 */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    let out = 'inherit';
    let fd;
    if (opts.logFile) {
      fd = fs.openSync(opts.logFile, 'a');
      fs.writeSync(fd, `\n$ (cd ${opts.cwd ?? process.cwd()}) ${cmd} ${args.join(' ')}\n`);
      out = fd;
    }
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', out, out],
    });
    child.on('error', (e) => {
      if (fd !== undefined) fs.closeSync(fd);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      if (fd !== undefined) fs.closeSync(fd);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})` +
        (opts.logFile ? `; see ${opts.logFile}` : '')));
    });
  });
}

/** @param {string} bin */
function hasBinary(bin) {
  if (path.isAbsolute(bin)) return fs.existsSync(bin);
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs Debian packages whose binary (or file) is missing. We run as root on CI; otherwise
 * `sudo -n` is tried.
 * @param {{pkg: string, bin: string}[]} wanted
 */
export async function ensureDebianPackages(wanted) {
  const missing = wanted.filter((w) => !hasBinary(w.bin)).map((w) => w.pkg);
  if (missing.length === 0) return;
  const unique = [...new Set(missing)];
  if (!hasBinary('apt-get')) {
    throw new Error(`Missing ${unique.join(', ')} and apt-get is not available: install them by hand.`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`apt-get install ${unique.join(' ')} ...`);
  const [c1, ...a1] = [...prefix, 'apt-get', 'update'];
  await run(c1, a1, { env });
  const [c2, ...a2] = [...prefix, 'apt-get', 'install', '-y', '--no-install-recommends', ...unique];
  await run(c2, a2, { env });
}

/** Makes sure Debian's Chromium is installed (playwright-core never downloads a browser here). */
export async function ensureChromium() {
  await ensureDebianPackages([{ pkg: 'chromium', bin: CHROMIUM_PATH }]);
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}

// ---------------------------------------------------------------------------------------------
// Install

/** Env for npm during the install: no prompts, offline-safe native builds. */
function npmEnv() {
  const env = { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false',
    npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  // node-gyp would download Node headers from nodejs.org (unreachable). Point it at the headers that
  // ship with this Node (official tarballs and NodeSource .debs have <prefix>/include/node).
  if (!env.npm_config_nodedir) {
    const prefix = path.resolve(path.dirname(process.execPath), '..');
    if (fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;
  }
  return env;
}

/** Cross-process lock so two runs do not install at once. */
async function withInstallLock(fn) {
  const lock = `${CODE_SERVER_DIR}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  let waited = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let pid = NaN;
      try { pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      let alive = false;
      if (pid > 0) { try { process.kill(pid, 0); alive = true; } catch { /* dead */ } }
      if (!alive && pid > 0) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for install lock ${lock}`, { cause: e });
      if (!waited) log(`another process (pid ${pid}) is installing code-server; waiting for it`);
      waited = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Installs code-server 4.100.3 into .vscode-test/code-server/ unless already installed (marker
 * file). Also installs Debian ripgrep (code-server's @vscode/ripgrep would download from GitHub),
 * build tools and libkrb5-dev (the `kerberos` native module) when missing.
 * @returns {Promise<string>} path of code-server's entry.js
 */
export async function ensureCodeServer() {
  if (fs.existsSync(MARKER) && fs.existsSync(CODE_SERVER_ENTRY)) return CODE_SERVER_ENTRY;
  return withInstallLock(async () => {
    if (fs.existsSync(MARKER) && fs.existsSync(CODE_SERVER_ENTRY)) return CODE_SERVER_ENTRY;
    const t0 = Date.now();
    await ensureDebianPackages([
      { pkg: 'ripgrep', bin: 'rg' },
      { pkg: 'libkrb5-dev', bin: 'krb5-config' },
      { pkg: 'build-essential', bin: 'make' },
      { pkg: 'build-essential', bin: 'g++' },
      { pkg: 'python3', bin: 'python3' },
    ]);
    // A half-done install (no marker) is thrown away and redone from scratch.
    fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
    fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
    // Own package.json so npm does not walk up and install into the repository's node_modules.
    fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'),
      JSON.stringify({ name: 'code-server-cache', private: true }, null, 2) + '\n');
    const env = npmEnv();
    const logFile = INSTALL_LOG;
    const vscodeDir = path.join(CODE_SERVER_ROOT, 'lib', 'vscode');
    const step = async (name, cwd, args) => {
      const s = Date.now();
      log(`code-server install: ${name} ...`);
      await run('npm', args, { cwd, env, logFile });
      log(`code-server install: ${name} done in ${((Date.now() - s) / 1000).toFixed(0)} s`);
    };
    log(`installing code-server@${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (log: ${logFile})`);
    try {
      await step('npm install code-server', CODE_SERVER_DIR,
        ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund']);
      await step('lib/vscode dependencies', vscodeDir,
        ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
      // Debian's rg instead of @vscode/ripgrep's GitHub download (its postinstall skips if bin/rg exists).
      const rgBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
      fs.mkdirSync(path.dirname(rgBin), { recursive: true });
      fs.rmSync(rgBin, { force: true });
      const rgPath = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
      fs.symlinkSync(rgPath || '/usr/bin/rg', rgBin);
      await step('rebuild lib/vscode native modules', vscodeDir, ['rebuild']);
      await step('rebuild argon2', CODE_SERVER_DIR, ['rebuild', 'argon2']);
      await step('built-in extensions dependencies', path.join(vscodeDir, 'extensions'),
        ['install', '--omit=dev', '--no-audit', '--no-fund']);
    } catch (e) {
      let tail = '';
      try { tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'); } catch { /* none */ }
      throw new Error(`code-server install failed: ${e.message}\n--- last lines of ${logFile} ---\n${tail}`, { cause: e });
    }
    if (!fs.existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server install incomplete: no ${CODE_SERVER_ENTRY}`);
    const secs = Math.round((Date.now() - t0) / 1000);
    fs.writeFileSync(MARKER, JSON.stringify({ version: CODE_SERVER_VERSION, node: process.version,
      installedAt: new Date().toISOString(), seconds: secs }) + '\n');
    log(`code-server@${CODE_SERVER_VERSION} installed in ${secs} s`);
    return CODE_SERVER_ENTRY;
  });
}

// ---------------------------------------------------------------------------------------------
// Cleanup registry: everything started here is stopped on exit, signals and uncaught errors.

/** @type {Set<{syncKill: () => void, stop: () => Promise<void>}>} */
const live = new Set();
let handlersInstalled = false;

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const r of live) { try { r.syncKill(); } catch { /* best effort */ } }
  });
  const onSignal = (sig, code) => {
    process.on(sig, async () => {
      log(`${sig}: stopping code-server instances`);
      await stopAll();
      process.exit(code);
    });
  };
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  onSignal('SIGHUP', 129);
  const onFatal = async (err) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}

/**
 * Registers a cleanup that runs on stopAll(), process exit, signals and uncaught errors.
 * `syncKill` must be synchronous (it runs in the 'exit' handler). Returns an unregister function.
 * @param {{syncKill: () => void, stop: () => Promise<void>}} record
 */
export function registerCleanup(record) {
  installExitHandlers();
  live.add(record);
  return () => live.delete(record);
}

/** Stops every code-server (and test environment) started by this process. */
export async function stopAll() {
  await Promise.allSettled([...live].map((r) => r.stop()));
}

// ---------------------------------------------------------------------------------------------
// Start

/** `port` on 127.0.0.1 when it is free, else a free port. */
export function preferPort(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(freePort()));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(port)));
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** GET url -> status code (or throws). */
function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/**
 * Polls until `check()` returns truthy, failing fast when `failed()` returns a message.
 * @template T
 * @param {() => Promise<T | undefined | false>} check
 * @param {{timeoutMs: number, what: string, failed?: () => string | undefined, intervalMs?: number}} o
 * @returns {Promise<T>}
 */
export async function waitFor(check, o) {
  const deadline = Date.now() + o.timeoutMs;
  let lastErr;
  for (;;) {
    const why = o.failed?.();
    if (why) throw new Error(`${o.what}: ${why}`);
    try {
      const v = await check();
      if (v) return v;
    } catch (e) { lastErr = e; }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${o.timeoutMs} ms waiting for ${o.what}` +
        (lastErr ? ` (last error: ${lastErr.message})` : ''));
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
  }
}

/**
 * Environment for code-server: ours, minus anything that would make it talk to another VS Code,
 * and minus the developer's own AWS settings (tests must only see the AWS home they pass in).
 */
function cleanEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    // VSCODE_IPC_HOOK_CLI etc. (when run from a VS Code terminal) turn code-server into a CLI client;
    // ELECTRON_RUN_AS_NODE / NODE_OPTIONS would leak into the extension host.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'NODE_OPTIONS') delete env[k];
    if (k.startsWith('AWS_')) delete env[k];
  }
  // No extension gallery: code-server would otherwise query open-vsx.org (not reachable, and not
  // loopback). `{}` has no serviceUrl, so the workbench treats the gallery as disabled.
  env.EXTENSIONS_GALLERY = '{}';
  return { ...env, ...extra };
}

/** code-server writes coder-logs and a default config under XDG dirs (else ~/.local, ~/.config). */
function xdgEnv(dir) {
  return { XDG_DATA_HOME: path.join(dir, 'xdg-data'), XDG_CONFIG_HOME: path.join(dir, 'xdg-config') };
}

/**
 * Installs a .vsix into an extensions dir the way a user does (`--install-extension`).
 * @param {{vsix: string, userDataDir: string, extensionsDir: string, env?: NodeJS.ProcessEnv}} o
 */
export async function installVsix(o) {
  const entry = await ensureCodeServer();
  const vsix = path.resolve(o.vsix);
  if (!fs.existsSync(vsix)) throw new Error(`No .vsix at ${vsix} (run \`npm run package\`)`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-install-'));
  let res;
  try {
    res = spawnSync(process.execPath, [entry, '--config', path.join(scratch, 'config.yaml'),
      '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir,
      '--install-extension', vsix, '--force'], {
      env: cleanEnv({ ...xdgEnv(scratch), ...(o.env ?? {}) }), encoding: 'utf8', timeout: 120_000,
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`--install-extension ${vsix} failed (exit ${res.status}):\n${out}`);
  }
  return out.trim();
}

/**
 * Starts code-server on a free loopback port with fresh user-data (and extensions) dirs.
 *
 * @param {{
 *   folder: string,                       // workspace folder to open
 *   userSettings?: Record<string, unknown>, // written to User/ and Machine/settings.json
 *   settingsFiles?: ('User' | 'Machine')[], // which of the two get userSettings (default both)
 *   env?: NodeJS.ProcessEnv,              // extra env for code-server (and so the extension host)
 *   extensionsDir?: string,               // default: fresh temp dir (removed by stop())
 *   installVsix?: string,                 // .vsix to install with --install-extension first
 *   workspaceTrust?: boolean,             // default false: passes --disable-workspace-trust
 *   port?: number,                        // default: a free port
 *   verbose?: boolean,                    // echo code-server's own output (default: log file only)
 *   keepDirs?: boolean,                   // keep temp dirs after stop() (debugging)
 * }} opts
 * @returns {Promise<{url: string, port: number, userDataDir: string, extensionsDir: string,
 *   logsDir: string, logFile: string, pid: number, stop: () => Promise<void>}>}
 */
export async function startCodeServer(opts) {
  const entry = await ensureCodeServer();
  const folder = path.resolve(opts.folder);
  const tmpRoot = await fsp.mkdtemp(path.join(os.tmpdir(), 'crx-code-server-'));
  const userDataDir = path.join(tmpRoot, 'user-data');
  const extensionsDir = opts.extensionsDir ? path.resolve(opts.extensionsDir) : path.join(tmpRoot, 'extensions');
  const logFile = path.join(tmpRoot, 'code-server.log');
  const configFile = path.join(tmpRoot, 'config.yaml');
  const settings = JSON.stringify(opts.userSettings ?? {}, null, 2) + '\n';
  const targets = opts.settingsFiles ?? ['User', 'Machine'];
  for (const sub of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userDataDir, sub), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, sub, 'settings.json'), targets.includes(sub) ? settings : '{}\n');
  }
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  let removed = false;
  const removeDirs = () => {
    if (removed || opts.keepDirs) return;
    removed = true;
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  };

  const env = cleanEnv({ ...xdgEnv(tmpRoot), ...(opts.env ?? {}) });
  try {
    if (opts.installVsix) {
      const out = await installVsix({ vsix: opts.installVsix, userDataDir, extensionsDir, env: opts.env });
      fs.appendFileSync(logFile, `--install-extension:\n${out}\n`);
    }
  } catch (e) {
    removeDirs();
    throw e;
  }

  const port = opts.port ?? await freePort();
  const args = [entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: folder,
    env,
    detached: true, // own process group: stop() kills code-server, its extension host and helpers
    stdio: ['ignore', opts.verbose ? 'inherit' : fd, opts.verbose ? 'inherit' : fd],
  });
  fs.closeSync(fd);
  const pid = /** @type {number} */ (child.pid);
  let exited = /** @type {string | undefined} */ (undefined);
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited = signal ?? `exit code ${code}`; resolve(undefined); });
    child.on('error', (e) => { exited = `spawn error ${e.message}`; resolve(undefined); });
  });

  const killGroup = (sig) => {
    try { process.kill(-pid, sig); } catch { /* already gone */ }
  };
  let stopping;
  const record = {
    syncKill: () => { killGroup('SIGKILL'); removeDirs(); },
    stop: () => {
      stopping ??= (async () => {
        live.delete(record);
        if (!exited) {
          killGroup('SIGTERM');
          const t = setTimeout(() => killGroup('SIGKILL'), 5000);
          await exitPromise;
          clearTimeout(t);
        }
        killGroup('SIGKILL'); // leftovers in the group (extension host, pty host, ...)
        removeDirs();
      })();
      return stopping;
    },
  };
  registerCleanup(record);

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await httpStatus(`${url}/healthz`)) === 200, {
      timeoutMs: 60_000, what: `code-server on ${url}`,
      failed: () => exited && `code-server exited (${exited}); log:\n${safeRead(logFile)}`,
    });
  } catch (e) {
    await record.stop();
    throw e;
  }
  return {
    url, port, pid, userDataDir, extensionsDir, logFile,
    logsDir: path.join(userDataDir, 'logs'),
    stop: record.stop,
  };
}

function safeRead(file) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-40).join('\n'); } catch { return ''; }
}

/**
 * Finds code-server's extension host log (remoteexthost.log) under a logs dir, newest first.
 * @param {string} logsDir
 * @returns {string[]}
 */
export function findExtHostLogs(logsDir) {
  if (!fs.existsSync(logsDir)) return [];
  return fs.readdirSync(logsDir, { recursive: true })
    .map((p) => path.join(logsDir, String(p)))
    .filter((p) => /remoteexthost\.log$|exthost\.log$/.test(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
}

// ---------------------------------------------------------------------------------------------
// Browser

/**
 * Launches Debian Chromium through playwright-core (no browser download).
 * @param {{headless?: boolean, args?: string[]}} [opts]
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser(opts = {}) {
  await ensureChromium();
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: opts.headless ?? !process.env.HEADED,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
  });
}

// ---------------------------------------------------------------------------------------------
// Test environment: fake Clean Rooms endpoint + temp AWS home + temp workspace folder.
// The fakes are TypeScript in test/fakes/, compiled by `npm run compile-tests` into out/test/fakes/.

// CLEANROOMS_FAKES_DIR overrides where the compiled fakes are loaded from (harness debugging).
const OUT_FAKES = process.env.CLEANROOMS_FAKES_DIR || path.join(REPO_ROOT, 'out', 'test', 'fakes');

/** Imports a compiled fake module, with a clear message when `npm run compile-tests` is missing. */
async function importFake(name, { optional = false } = {}) {
  const file = path.join(OUT_FAKES, `${name}.js`);
  if (!fs.existsSync(file)) {
    if (optional) return undefined;
    throw new Error(`${path.relative(REPO_ROOT, file)} is missing: run \`npm run compile-tests\` first`);
  }
  const mod = await import(pathToFileURL(file).href);
  return { ...(mod.default ?? {}), ...mod };
}

/** Default user settings for tests; `endpoint` is the fake's URL. */
export function defaultUserSettings(endpoint) {
  return {
    'cleanRooms.endpoint': endpoint,
    'cleanRooms.profile': 'cleanrooms-test',
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'github.gitAuthentication': false,
    'chat.commandCenter.enabled': false,
  };
}

/**
 * Writes a workspace folder with `.vscode/settings.json`.
 * @param {string} dir @param {Record<string, unknown>} settings
 */
export function writeWorkspace(dir, settings) {
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return dir;
}

/**
 * Sample membership IDs from out/test/fakes/fixtures.js (when present) plus one "not found" ID.
 * @returns {Promise<string[]>}
 */
export async function sampleMemberships() {
  const fx = await importFake('fixtures', { optional: true });
  if (!fx) return [];
  const ids = Array.isArray(fx.SAMPLE_IDS) ? [...fx.SAMPLE_IDS]
    : fx.SAMPLE_IDS && typeof fx.SAMPLE_IDS === 'object' ? Object.values(fx.SAMPLE_IDS) : [];
  if (fx.FAULT_IDS?.notFound) ids.push(fx.FAULT_IDS.notFound);
  return ids.filter((x) => typeof x === 'string');
}

/**
 * Starts the fake endpoint, a temp AWS home and a temp workspace (or `workspaceDir`).
 * `env` is what the extension host must see (HOME/AWS_* from the AWS home + CLEANROOMS_TEST_*).
 * @param {{memberships?: unknown[], workspaceDir?: string, workspaceSettings?: Record<string, unknown>,
 *   endpointPort?: number, latencyMs?: number}} [opts]
 */
export async function startTestEnvironment(opts = {}) {
  const { startCleanRoomsEndpoint } = await importFake('cleanRoomsEndpoint');
  const { createAwsHome } = await importFake('awsHome');
  const endpoint = await startCleanRoomsEndpoint({ port: opts.endpointPort, latencyMs: opts.latencyMs });
  let aws;
  let s3Url;
  try {
    // The endpoint's local S3 (query results), read by the extension through cleanRooms.s3Endpoint.
    s3Url = (await endpoint.s3()).url;
    aws = await createAwsHome();
  } catch (e) {
    await endpoint.close();
    throw e;
  }
  const ownWorkspace = !opts.workspaceDir;
  const workspace = opts.workspaceDir ? path.resolve(opts.workspaceDir)
    : await fsp.mkdtemp(path.join(os.tmpdir(), 'crx-workspace-'));
  const workspaceSettings = opts.workspaceSettings ??
    { 'cleanRooms.memberships': opts.memberships ?? [] };
  writeWorkspace(workspace, workspaceSettings);
  const env = {
    ...(aws.env ?? {}),
    CLEANROOMS_TEST_ENDPOINT: endpoint.url,
    CLEANROOMS_TEST_S3_ENDPOINT: s3Url,
    CLEANROOMS_TEST_AWS_HOME: aws.home,
    CLEANROOMS_TEST_WORKSPACE: workspace,
    CLEANROOMS_TEST_REPO_ROOT: REPO_ROOT,
  };
  let disposed;
  const removeFiles = () => {
    try { aws.cleanup(); } catch { /* best effort */ }
    if (ownWorkspace) fs.rmSync(workspace, { recursive: true, force: true });
  };
  const dispose = () => {
    disposed ??= (async () => {
      unregister();
      await Promise.allSettled([Promise.resolve().then(() => endpoint.close())]);
      removeFiles();
    })();
    return disposed;
  };
  // The endpoint lives in this process; the files must go on Ctrl-C / crashes too.
  const unregister = registerCleanup({ syncKill: removeFiles, stop: dispose });
  return {
    endpoint, aws, workspace, env, workspaceSettings,
    userSettings: { ...defaultUserSettings(endpoint.url), 'cleanRooms.s3Endpoint': s3Url },
    /** Rewrites the workspace's .vscode/settings.json to what it was at start. */
    resetWorkspace: () => writeWorkspace(workspace, workspaceSettings),
    dispose,
  };
}

/** Copies code-server's logs (and its own output) somewhere a person can read them after a failure. */
export function saveLogs(cs, destDir) {
  try {
    fs.mkdirSync(destDir, { recursive: true });
    if (fs.existsSync(cs.logsDir)) fs.cpSync(cs.logsDir, path.join(destDir, 'logs'), { recursive: true });
    if (fs.existsSync(cs.logFile)) fs.copyFileSync(cs.logFile, path.join(destDir, 'code-server.log'));
    return destDir;
  } catch (e) {
    log(`could not save logs: ${e.message}`);
    return undefined;
  }
}
