#!/usr/bin/env node
// The query panel's results grid in a plain Chromium page (test/e2e/grid.spec.mjs): no .vsix, no
// code-server, no build; about 20 s.
//
//   node test/harness/runGridPage.mjs [--grep PATTERN] [--headed]
//
// Prints `grid: N passed, M failed`; exits non-zero when a test failed or none ran.
import path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { REPO_ROOT, ensureChromium } from './codeServer.mjs';

const { values: args } = parseArgs({
  options: {
    grep: { type: 'string' },
    headed: { type: 'boolean', default: false },
  },
});

async function main() {
  await ensureChromium();
  if (args.headed) process.env.HEADED = '1';
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, grep: args.grep });
  mocha.addFile(path.join(REPO_ROOT, 'test', 'e2e', 'grid.spec.mjs'));
  await mocha.loadFilesAsync();
  let passed = 0;
  let failed = 0;
  await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(undefined));
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
  });
  console.log(`grid: ${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error('grid: harness error:', err);
  console.log('grid: 0 passed, 1 failed');
  process.exit(1);
});
