import * as fs from 'node:fs';
import * as os from 'node:os';
import { ProfileFiles } from './profiles';

/**
 * Notices edits to the shared config and credentials files (or the files AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE name), including files created later. Polling a stat every couple
 * of seconds works for files outside the workspace and on every platform.
 */
export function watchProfileFiles(onChange: () => void, intervalMs = 1500): { dispose(): void } {
  const { config, credentials } = ProfileFiles.paths(process.env, os.homedir());
  const listener = (current: fs.Stats, previous: fs.Stats): void => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) {
      onChange();
    }
  };
  const files = [...new Set([config, credentials])];
  for (const file of files) {
    fs.watchFile(file, { interval: intervalMs, persistent: false }, listener);
  }
  return { dispose: () => files.forEach((file) => fs.unwatchFile(file, listener)) };
}
