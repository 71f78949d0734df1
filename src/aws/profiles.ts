import type { SharedConfigFiles } from '@smithy/core/config';
import { loadSdk } from './loadSdk';

/**
 * Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)
 * the way the SDK does. Kept apart from the client so the tree can resolve each membership's
 * region and name its profile without creating a client or touching the network.
 */
export class ProfileFiles {
  private loaded: Promise<SharedConfigFiles> | undefined;

  /** Parsed files, read once until `invalidate()`; the SDK's own INI cache is bypassed. */
  load(): Promise<SharedConfigFiles> {
    this.loaded ??= loadSdk()
      .loadSharedConfigFiles({ ignoreCache: true }).catch(() => ({ configFile: {}, credentialsFile: {} }));
    return this.loaded;
  }

  invalidate(): void {
    this.loaded = undefined;
  }

  /** Profile names from both files, SSO session sections excluded, sorted. */
  async profileNames(): Promise<string[]> {
    const { configFile, credentialsFile } = await this.load();
    const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)]);
    return [...names].filter((n) => !/^(sso-session|services)\./.test(n)).sort();
  }

  async exists(profile: string): Promise<boolean> {
    const { configFile, credentialsFile } = await this.load();
    return profile in configFile || profile in credentialsFile;
  }

  async regionOf(profile: string): Promise<string | undefined> {
    const { configFile, credentialsFile } = await this.load();
    const region = configFile[profile]?.region ?? credentialsFile[profile]?.region;
    return region?.trim() || undefined;
  }

  /** Which files are read, so callers can watch them for edits. */
  static paths(env: NodeJS.ProcessEnv, home: string): { config: string; credentials: string } {
    return {
      config: env.AWS_CONFIG_FILE || `${home}/.aws/config`,
      credentials: env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`,
    };
  }
}
