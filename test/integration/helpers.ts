import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CleanRoomsApi } from '../../src/extension';
import type { MembershipEntry } from '../../src/settings';
import type { CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { startCleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';

export const EXTENSION_ID = 'cleanrooms-explorer.clean-rooms-explorer';

export async function api(): Promise<CleanRoomsApi> {
  const ext = vscode.extensions.getExtension<CleanRoomsApi>(EXTENSION_ID);
  assert.ok(ext, 'extension installed');
  return ext.isActive ? ext.exports : ext.activate();
}

/** Polls a condition; no fixed sleeps. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('cleanRooms');
}

/**
 * Sets workspace memberships and waits until the store reflects them and is idle. The store's
 * entries are compared with what was written (IDs, profiles, regions), not only their count, so a
 * test that writes as many entries as the test before it does not go on with the old ones.
 */
export async function setMemberships(value: unknown[]): Promise<CleanRoomsApi> {
  const a = await api();
  await config().update('memberships', value, vscode.ConfigurationTarget.Workspace);
  await waitFor('settings applied', () => {
    const entries = a.store.currentSettings?.entries;
    return entries !== undefined && entries.length === value.length && entries.every((e, i) => e.index === i && (e.kind !== 'membership' || matchesWritten(e, value[i])));
  });
  await a.store.whenIdle();
  return a;
}

/** An entry parsed from what was written (an ID, an ARN or console URL holding it, or an object). */
function matchesWritten(entry: MembershipEntry, written: unknown): boolean {
  if (typeof written === 'string') {
    return written.includes(entry.id) && entry.profile === undefined && entry.region === undefined;
  }
  const w = written as { id?: unknown; profile?: unknown; region?: unknown };
  return typeof w.id === 'string' && w.id.includes(entry.id) && entry.profile === (w.profile || undefined) && entry.region === (w.region || undefined);
}

/**
 * Each suite runs its own endpoint inside the extension host, so it can read the requests made,
 * and points the user-level endpoint setting at it.
 */
export async function useOwnEndpoint(): Promise<CleanRoomsEndpoint> {
  const endpoint = await startCleanRoomsEndpoint({ slowMs: 4000 });
  await config().update('endpoint', endpoint.url, vscode.ConfigurationTarget.Global);
  await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
  return endpoint;
}

/** The endpoint a suite owns; `reopen()` starts a fresh one after a test closed it. */
export interface SuiteEndpoint {
  readonly endpoint: CleanRoomsEndpoint;
  reopen(): Promise<void>;
}

/**
 * User settings that give one panel per record, each fetched before it is shown: how panels
 * worked before the preview panel and cached records, for suites written against that.
 */
export const ONE_PANEL_PER_RECORD: Readonly<Record<string, unknown>> = {
  'workbench.editor.enablePreview': false,
  'cleanRooms.cacheMaxAgeSeconds': 0,
};

/** Sets user settings given by full name ("section.key"); undefined resets one. */
export async function updateUserSettings(settings: Readonly<Record<string, unknown>>): Promise<void> {
  for (const [name, value] of Object.entries(settings)) {
    const dot = name.lastIndexOf('.');
    await vscode.workspace.getConfiguration(name.slice(0, dot)).update(name.slice(dot + 1), value, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Called in a describe(): the suite gets its own endpoint (useOwnEndpoint) and the user
 * `settings` given, every panel is closed after each test, and after the suite the settings are
 * reset and the endpoint closed.
 */
export function suiteEndpoint(settings: Readonly<Record<string, unknown>> = {}): SuiteEndpoint {
  let current: CleanRoomsEndpoint | undefined;
  before(async () => {
    current = await useOwnEndpoint();
    await updateUserSettings(settings);
  });
  afterEach(async () => {
    const a = await api();
    a.panels.disposeAll();
    a.details.disposeAll();
    // Runs open their query's panel beside the editor: none may outlive its test.
    a.state.panels.queries.disposeAll();
    // A membership's fetch time stays in the store between tests; shown at once only where a test wants it.
    a.state.panels.forgetCached();
  });
  after(async () => {
    await updateUserSettings(Object.fromEntries(Object.keys(settings).map((name) => [name, undefined])));
    await resetSettings();
    await current?.close();
  });
  return {
    get endpoint(): CleanRoomsEndpoint {
      if (!current) {
        throw new Error('suiteEndpoint(): the endpoint exists inside tests and hooks only');
      }
      return current;
    },
    async reopen(): Promise<void> {
      current = await useOwnEndpoint();
    },
  };
}

export async function resetSettings(): Promise<void> {
  await config().update('memberships', undefined, vscode.ConfigurationTarget.Workspace);
  await config().update('region', undefined, vscode.ConfigurationTarget.Global);
  await config().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
  await config().update('endpoint', process.env.CLEANROOMS_TEST_ENDPOINT, vscode.ConfigurationTarget.Global);
  await config().update('profile', 'cleanrooms-test', vscode.ConfigurationTarget.Global);
}
