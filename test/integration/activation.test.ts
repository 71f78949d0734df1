// Runs first (files run in name order): nothing before it has opened the view or run a command, so
// what it sees is what activation at start-up did.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CleanRoomsApi } from '../../src/extension';
import { EXTENSION_ID, waitFor } from './helpers';

describe('activation at start-up', () => {
  it('activates at start-up and shows the status bar item without loading the SDK; opening the view resolves the region', async () => {
    const ext = vscode.extensions.getExtension<CleanRoomsApi>(EXTENSION_ID);
    assert.ok(ext, 'extension installed');
    // Nothing here asks for activation: onStartupFinished does.
    await waitFor('activated at start-up', () => ext.isActive, 15_000);
    const sdkBundle = path.join(ext.extensionPath, 'dist', 'sdk.js');
    const sdkLoaded = (): boolean => Object.prototype.hasOwnProperty.call(require.cache, sdkBundle);
    assert.ok(!sdkLoaded(), 'activation loaded dist/sdk.js');
    const a = ext.exports;
    assert.ok(a.status.visible, 'the status bar item is shown');
    assert.strictEqual(a.status.text, "$(cloud) cleanrooms-test @ profile's region");
    // Nor does anything load it later while nobody looks at the view.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(!sdkLoaded(), 'dist/sdk.js was loaded after activation, before the view opened');
    assert.strictEqual(a.status.text, "$(cloud) cleanrooms-test @ profile's region");
    try {
      await vscode.commands.executeCommand('workbench.view.extension.cleanRooms');
      await waitFor('region resolved', () => a.status.text === '$(cloud) cleanrooms-test @ us-east-1');
      assert.ok(sdkLoaded(), 'resolving the profile region loads the SDK, from dist/sdk.js');
    } finally {
      await vscode.commands.executeCommand('workbench.view.explorer');
    }
  });
});
