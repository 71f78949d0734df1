// Entry point loaded by VS Code's extension host (`extensionTestsPath`). Runs every
// out/test/integration/**/*.test.js with mocha (BDD, 20 s timeout) and prints one parseable line:
//
//   integration: 12 passed, 0 failed
//
// Rejects (the host then exits with code 1) when any test failed or when no test ran.
// Used by test/harness/runIntegration.mjs (code-server) and test/harness/electron.ts (desktop).
// `CLEANROOMS_TEST_GREP` narrows the run to matching test titles.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map((p) => path.join(dir, String(p)))
    .filter((p) => p.endsWith('.test.js'))
    .sort();
}

/** Runs every *.test.js under `dir` and prints `<label>: N passed, M failed`. */
export async function runSuites(dir: string, label: string): Promise<void> {
  // The extension host forwards console output as one string without applying printf-style
  // formats, so mocha's reporter lines ("%s passing") are formatted here first.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => console.log(util.format(...args));
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 20_000,
    color: false,
    reporter: 'spec',
    grep: process.env.CLEANROOMS_TEST_GREP || undefined,
  });
  const files = findTests(dir);
  for (const f of files) mocha.addFile(f);

  let passed = 0;
  let failed = 0;
  try {
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', () => passed++);
      runner.on('fail', () => failed++);
    });
  } catch (err) {
    // A suite that throws while loading counts as a failure, not as "0 tests".
    console.error(`${label}: error while loading or running suites:`, err);
    failed++;
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} ${label} test(s) failed`);
  if (passed === 0) throw new Error(`no ${label} tests ran (looked in ${dir}, found ${files.length} files)`);
}

export function run(): Promise<void> {
  return runSuites(__dirname, 'integration');
}
