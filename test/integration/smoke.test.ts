// Smoke suite: the extension is loaded by a real extension host and activates, and the harness
// delivered its settings and environment. Runs in code-server (runIntegration.mjs) and desktop
// VS Code (electron.ts).
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'cleanrooms-explorer.clean-rooms-explorer';

describe('smoke', () => {
  it('the extension is installed in the extension host', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found among ${vscode.extensions.all.length} extensions`);
  });

  it('the extension activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('the harness passed the fake endpoint and AWS home to the extension host', () => {
    assert.match(process.env.CLEANROOMS_TEST_ENDPOINT ?? '', /^http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(process.env.CLEANROOMS_TEST_AWS_HOME, 'CLEANROOMS_TEST_AWS_HOME is not set');
  });

  it('user settings reach the extension (machine-scoped endpoint and window-scoped profile)', () => {
    const config = vscode.workspace.getConfiguration('cleanRooms');
    assert.strictEqual(config.get('endpoint'), process.env.CLEANROOMS_TEST_ENDPOINT);
    assert.strictEqual(config.get('profile'), 'cleanrooms-test');
  });
});
