import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

// out/test/unit -> repository root, where `npm run build` wrote dist/.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SDK_BUNDLE = path.join(ROOT, 'dist', 'sdk.js');

describe('the SDK bundle (dist/sdk.js)', () => {
  it('creates a client without telling VS Code users to upgrade a Node they do not control', () => {
    assert.ok(fs.existsSync(SDK_BUNDLE), 'run `npm run build` first');
    const script = `
      const sdk = require(${JSON.stringify(SDK_BUNDLE)});
      process.on('warning', (w) => console.log('WARNING ' + w.message.split('\\n')[0]));
      new sdk.CleanRoomsClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
      setTimeout(() => console.log('done'), 50);
    `;
    // Node 20 is what VS Code 1.100's extension host runs, and what the SDK warns about.
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /done/);
    assert.doesNotMatch(run.stdout + run.stderr, /NodeVersionSupportWarning/);
  });
});
