#!/usr/bin/env node
// `npm test`: every layer, in order, on this machine or a fresh one (`npm ci && npm test`).
//
//   setup          code-server 4.100.3 into .vscode-test/ (first run ~3-4 min) + Debian chromium,
//                  ripgrep, libkrb5-dev via apt-get when missing (only if integration/e2e run)
//   lint           npm run lint                   (ESLint, any warning fails it)
//   typecheck      npm run typecheck
//   build          npm run build                  -> dist/extension.js
//   compile-tests  npm run compile-tests          -> out/
//   unit           node --test out/test/unit/**/*.test.js
//   integration    test/harness/runIntegration.mjs  (mocha inside code-server's extension host)
//   package        npm run package                -> clean-rooms-explorer.vsix
//   e2e            test/harness/runE2e.mjs          (the .vsix installed in code-server, Playwright)
//
// Every layer runs even when an earlier one failed (nothing stops silently); the run fails when any
// layer failed or a test layer ran 0 tests. Prints per-layer counts and times, a table, and as the
// very last line `N passed, M failed` (totals over unit + integration + e2e).
//
// Local development: run only some layers, in the order above, e.g.
//   node test/run-all.mjs --only unit
//   node test/run-all.mjs --only build,compile-tests,integration
//   npm test -- --only compile-tests,unit,integration
// (--only does not add the layers a selected one needs: include build/compile-tests/package yourself.)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VSIX = path.join(REPO_ROOT, 'clean-rooms-explorer.vsix');

/**
 * @typedef {{ name: string, tests: boolean, needsCodeServer?: boolean,
 *   run: () => Promise<{ ok: boolean, passed?: number, failed?: number, note?: string }> }} Layer
 */

/** @type {Layer[]} */
const LAYERS = [
  { name: 'lint', tests: false, run: () => step('npm', ['run', 'lint']) },
  { name: 'typecheck', tests: false, run: () => step('npm', ['run', 'typecheck']) },
  { name: 'build', tests: false, run: () => step('npm', ['run', 'build']) },
  { name: 'compile-tests', tests: false, run: () => step('npm', ['run', 'compile-tests']) },
  { name: 'unit', tests: true, run: unit },
  {
    name: 'integration', tests: true, needsCodeServer: true,
    run: () => harness('integration', ['test/harness/runIntegration.mjs'], 15 * 60_000),
  },
  {
    name: 'untrusted', tests: true, needsCodeServer: true,
    run: () => harness('untrusted', ['test/harness/runIntegration.mjs', '--untrusted'], 5 * 60_000),
  },
  { name: 'package', tests: false, run: () => step('npm', ['run', 'package']) },
  {
    name: 'e2e', tests: true, needsCodeServer: true,
    run: () => harness('e2e', ['test/harness/runE2e.mjs', '--vsix', VSIX], 25 * 60_000),
  },
];

// ---------------------------------------------------------------------------------------------

/** @type {import('node:child_process').ChildProcess | undefined} */
let current;
let interrupted = false;
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    interrupted = true;
    // Children clean up after themselves (code-server, endpoint, temp dirs) on SIGINT/SIGTERM.
    if (current && current.exitCode === null) killTree(current, sig);
    else process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

/** Sends a signal to a child's whole process group (children are started detached). */
function killTree(child, sig) {
  try { process.kill(-child.pid, sig); } catch { try { child.kill(sig); } catch { /* gone */ } }
}

/**
 * Runs a command in its own process group with output streamed to ours; resolves with exit code
 * and captured output. After `timeoutMs` the group gets SIGTERM (then SIGKILL) and the step fails.
 * @param {string} cmd @param {string[]} args @param {number} [timeoutMs]
 * @returns {Promise<{code: number, output: string, timedOut: boolean}>}
 */
function exec(cmd, args, timeoutMs = 10 * 60_000) {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    const timer = setTimeout(() => {
      timedOut = true;
      const msg = `\nrun-all: ${cmd} ${args.join(' ')} still running after ${secs(timeoutMs)}: stopping it\n`;
      output += msg;
      process.stderr.write(msg);
      killTree(child, 'SIGTERM');
      setTimeout(() => killTree(child, 'SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('error', (e) => { output += String(e); clearTimeout(timer); resolve({ code: 127, output, timedOut }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code: code ?? (signal ? 128 : 1), output, timedOut });
    });
  });
}

async function step(cmd, args) {
  const { code, timedOut } = await exec(cmd, args);
  return { ok: code === 0 && !timedOut, note: timedOut ? 'timed out' : code === 0 ? undefined : `exit code ${code}` };
}

/** Files under dir whose name ends with suffix. */
function findFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .map((p) => path.join(dir, String(p)))
    .filter((p) => p.endsWith(suffix))
    .sort();
}

async function unit() {
  const dir = path.join(REPO_ROOT, 'out', 'test', 'unit');
  const files = findFiles(dir, '.test.js');
  if (files.length === 0) return { ok: false, passed: 0, failed: 0, note: `no *.test.js in ${path.relative(REPO_ROOT, dir)}` };
  const tap = path.join(os.tmpdir(), `crx-unit-${process.pid}.tap`);
  const { code, output, timedOut } = await exec(process.execPath, [
    '--test',
    '--test-timeout=60000', // one hung test fails instead of hanging the run
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map((f) => path.relative(REPO_ROOT, f)),
  ]);
  failureExcerpts.push(...failuresIn('unit', output));
  if (timedOut) {
    fs.rmSync(tap, { force: true });
    return { ok: false, passed: 0, failed: 1, note: 'timed out' };
  }
  let text = '';
  try { text = fs.readFileSync(tap, 'utf8'); } catch { /* no report */ }
  fs.rmSync(tap, { force: true });
  const count = (k) => {
    const all = [...text.matchAll(new RegExp(`^# ${k} (\\d+)$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const passed = count('pass');
  const failed = (count('fail') ?? 0) + (count('cancelled') ?? 0);
  if (passed === undefined) return { ok: false, passed: 0, failed: Math.max(failed, 1), note: `no TAP summary (exit ${code})` };
  return { ok: code === 0 && failed === 0, passed, failed, note: code !== 0 && failed === 0 ? `exit code ${code}` : undefined };
}

/** Failure reports (mocha's "N failing" section) of each layer, repeated above the final table. */
const failureExcerpts = [];

/**
 * Mocha's "N failing" sections in a layer's output, cut to a few lines per layer: CI keeps only
 * the end of a long log, so the failures are said again where it will be read.
 */
function failuresIn(label, output) {
  const out = [];
  for (const m of output.matchAll(/^\s*(\d+ failing|✖ failing tests:)\s*$/gm)) {
    const lines = output.slice(m.index).split('\n').slice(0, 40);
    out.push(`── ${label}: ${lines.join('\n')}`);
  }
  return out;
}

/** Runs a harness script that ends with `<label>: N passed, M failed`. */
async function harness(label, args, timeoutMs) {
  const { code, output, timedOut } = await exec(process.execPath, args, timeoutMs);
  failureExcerpts.push(...failuresIn(label, output));
  if (timedOut) return { ok: false, passed: 0, failed: 1, note: 'timed out' };
  const re = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed`, 'gm');
  const all = [...output.matchAll(re)];
  if (all.length === 0) return { ok: false, passed: 0, failed: 1, note: `no "${label}: N passed, M failed" line (exit ${code})` };
  const [, p, f] = all[all.length - 1];
  return { ok: code === 0, passed: Number(p), failed: Number(f), note: code !== 0 ? `exit code ${code}` : undefined };
}

// ---------------------------------------------------------------------------------------------

function parseOnly(argv) {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return undefined;
  const value = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => n !== 'setup' && !LAYERS.some((l) => l.name === n));
  if (names.length === 0 || unknown.length) {
    console.error(`--only: unknown layer(s) ${unknown.join(', ') || '(none given)'}; layers: ${LAYERS.map((l) => l.name).join(', ')}`);
    process.exit(2);
  }
  return new Set(names);
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const only = parseOnly(process.argv.slice(2));
  const selected = LAYERS.filter((l) => !only || only.has(l.name));
  /** @type {{name: string, tests: boolean, ok: boolean, passed?: number, failed?: number, ms: number, note?: string}[]} */
  const results = [];
  const t0 = Date.now();

  // Install what the browser-based layers need before anything else, so `npm ci && npm test`
  // works on a fresh machine.
  let setupError;
  if (selected.some((l) => l.needsCodeServer) || only?.has('setup')) {
    console.log('\n━━ setup: code-server + Chromium ━━');
    const s = Date.now();
    try {
      const { ensureCodeServer, ensureChromium } = await import('./harness/codeServer.mjs');
      await ensureCodeServer();
      await ensureChromium();
      results.push({ name: 'setup', tests: false, ok: true, ms: Date.now() - s });
    } catch (e) {
      setupError = e;
      console.error(e);
      results.push({ name: 'setup', tests: false, ok: false, ms: Date.now() - s, note: 'install failed' });
    }
    console.log(`── setup: ${setupError ? 'FAILED' : 'ok'} (${secs(Date.now() - s)})`);
  }

  for (const [i, layer] of selected.entries()) {
    if (interrupted) break;
    console.log(`\n━━ [${i + 1}/${selected.length}] ${layer.name} ━━`);
    const s = Date.now();
    let r;
    if (layer.needsCodeServer && setupError) {
      r = { ok: false, passed: 0, failed: 0, note: 'skipped: setup failed' };
    } else {
      try {
        r = await layer.run();
      } catch (e) {
        console.error(e);
        r = { ok: false, passed: 0, failed: 1, note: `runner error: ${e.message}` };
      }
    }
    if (layer.tests && r.ok && (r.passed ?? 0) + (r.failed ?? 0) === 0) {
      r = { ...r, ok: false, note: r.note ?? 'ran 0 tests' };
    }
    const ms = Date.now() - s;
    results.push({ name: layer.name, tests: layer.tests, ms, ...r });
    const counts = layer.tests ? `${r.passed ?? 0} passed, ${r.failed ?? 0} failed, ` : '';
    console.log(`── ${layer.name}: ${r.ok ? 'ok' : 'FAILED'} (${counts}${secs(ms)})${r.note ? ` — ${r.note}` : ''}`);
  }

  if (failureExcerpts.length > 0) {
    console.log('\n━━ failures (repeated from above) ━━');
    for (const f of failureExcerpts) console.log(f);
  }
  const totalPassed = results.reduce((n, r) => n + (r.passed ?? 0), 0);
  const totalFailed = results.reduce((n, r) => n + (r.failed ?? 0), 0);
  const rows = results.map((r) => [
    r.name, r.ok ? 'ok' : 'FAILED',
    r.tests ? String(r.passed ?? 0) : '-', r.tests ? String(r.failed ?? 0) : '-', secs(r.ms), r.note ?? '',
  ]);
  const head = ['layer', 'result', 'passed', 'failed', 'time', 'note'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const fmt = (row) => row.map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  console.log('\n' + fmt(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(fmt(row));
  console.log(`total time ${secs(Date.now() - t0)}${interrupted ? ' (interrupted)' : ''}`);
  const ok = !interrupted && results.length > 0 && results.every((r) => r.ok);
  console.log(`${totalPassed} passed, ${totalFailed} failed`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error('run-all:', err);
  process.exit(1);
});
