// The integration suite in desktop VS Code through @vscode/test-electron, for machines WITH internet
// (runTests downloads VS Code from update.code.visualstudio.com unless VSCODE_EXECUTABLE_PATH is
// set). The offline default is test/harness/runIntegration.mjs (code-server).
//
//   npm run test:electron                     # VS Code 1.100.3, the engines.vscode floor
//   VSCODE_TEST_VERSION=stable npm run test:electron
//   VSCODE_EXECUTABLE_PATH=/path/to/code npm run test:electron
//   CLEANROOMS_TEST_GREP=smoke npm run test:electron
//
// On a headless Linux CI, run it under xvfb-run. Same environment contract as runIntegration.mjs:
// CLEANROOMS_TEST_ENDPOINT, CLEANROOMS_TEST_AWS_HOME, CLEANROOMS_TEST_WORKSPACE,
// CLEANROOMS_TEST_REPO_ROOT, plus HOME/AWS_* from createAwsHome().
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { createAwsHome } from '../fakes/awsHome';
import { startCleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';

// Compiled to out/test/harness/electron.js: the repository root is three levels up.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const endpoint = await startCleanRoomsEndpoint();
  const aws = await createAwsHome();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-electron-'));
  try {
    const workspace = path.join(tmp, 'workspace');
    const userDataDir = path.join(tmp, 'user-data');
    const extensionsDir = path.join(tmp, 'extensions');
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'cleanRooms.memberships': [] }, null, 2),
    );
    // Desktop VS Code is a local window: machine-scoped settings are honoured in User/settings.json.
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify(
        {
          'cleanRooms.endpoint': endpoint.url,
          'cleanRooms.profile': 'cleanrooms-test',
          'security.workspace.trust.enabled': false,
          'workbench.startupEditor': 'none',
          'telemetry.telemetryLevel': 'off',
          'update.mode': 'none',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
        },
        null,
        2,
      ),
    );

    const extensionTestsEnv: Record<string, string | undefined> = {
      ...aws.env,
      CLEANROOMS_TEST_ENDPOINT: endpoint.url,
      CLEANROOMS_TEST_AWS_HOME: aws.home,
      CLEANROOMS_TEST_WORKSPACE: workspace,
      CLEANROOMS_TEST_REPO_ROOT: REPO_ROOT,
      CLEANROOMS_TEST_GREP: process.env.CLEANROOMS_TEST_GREP,
    };
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION || '1.100.3',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv,
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--disable-workspace-trust',
        '--disable-extensions',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-telemetry',
        '--disable-updates',
      ],
    });
  } finally {
    await endpoint.close();
    await aws.cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('electron integration run failed:', err);
    process.exit(1);
  },
);
