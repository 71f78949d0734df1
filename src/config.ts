import * as vscode from 'vscode';
import { markDuplicates, parseSettings, qualified, SECTION, SETTING, type CleanRoomsSettings } from './settings';

export * from './settings';

/**
 * Reads the settings through VS Code. In an untrusted workspace the workspace's own values of
 * the security-relevant settings are dropped here too (VS Code restricts them as well), so a
 * cloned repository cannot point the user's credentials at another endpoint or profile.
 */
export function readSettings(ignoredInWorkspace: readonly string[] = []): CleanRoomsSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const trusted = vscode.workspace.isTrusted;
  const notices: string[] = [];
  const notice = (name: string): void => {
    const text = vscode.l10n.t('The workspace sets {0}, which is ignored because this workspace is not trusted.', qualified(name));
    if (!notices.includes(text)) {
      notices.push(text);
    }
  };
  const restricted = (name: string): unknown => {
    if (trusted) {
      return config.get(name);
    }
    const inspected = config.inspect(name);
    const fromWorkspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    if ((fromWorkspace !== undefined && fromWorkspace !== '') || ignoredInWorkspace.includes(name)) {
      notice(name);
    }
    return inspected?.globalValue ?? inspected?.defaultValue;
  };
  const parsed = parseSettings({
    memberships: config.get(SETTING.memberships),
    profile: restricted(SETTING.profile),
    region: config.get(SETTING.region),
    endpoint: restricted(SETTING.endpoint),
    requestTimeoutSeconds: config.get(SETTING.requestTimeoutSeconds),
    discoverRegions: config.get(SETTING.discoverRegions),
    cacheMaxAgeSeconds: config.get(SETTING.cacheMaxAgeSeconds),
    s3Endpoint: restricted(SETTING.s3Endpoint),
    queryWorkerType: restricted(SETTING.queryWorkerType),
    queryWorkerCount: restricted(SETTING.queryWorkerCount),
    queryConfirmBeforeRun: restricted(SETTING.queryConfirmBeforeRun),
  });
  if (!trusted) {
    // A per-membership profile from an untrusted workspace is dropped for the same reason.
    const entries = parsed.entries.map((e) => {
      if (e.kind === 'membership' && e.profile !== undefined) {
        notices.push(vscode.l10n.t('Entry {0} names profile "{1}", which is ignored because this workspace is not trusted.', e.index + 1, e.profile));
        return { ...e, profile: undefined };
      }
      return e;
    });
    // Without their profiles, two entries may now name the same membership.
    return markDuplicates({ ...parsed, entries, notices, query: { ...parsed.query, confirmBeforeRun: true, untrusted: true } });
  }
  return { ...parsed, notices };
}

/**
 * In an untrusted workspace VS Code hides restricted workspace values even from inspect(), so
 * the tree could not say why they are ignored. Looks for them in the workspace's settings files.
 */
export async function restrictedSettingsInWorkspace(): Promise<string[]> {
  if (vscode.workspace.isTrusted) {
    return [];
  }
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  if (vscode.workspace.workspaceFile && vscode.workspace.workspaceFile.scheme !== 'untitled') {
    files.push(vscode.workspace.workspaceFile);
  }
  const found = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch {
      continue;
    }
    for (const name of RESTRICTED_SETTINGS) {
      if (new RegExp(`"${SECTION}\\.${name.replace(/\./g, "\\.")}"\\s*:`).test(text)) {
        found.add(name);
      }
    }
  }
  return [...found].sort();
}

/** Settings a workspace cannot set unless trusted (package.json's restrictedConfigurations say the same). */
export const RESTRICTED_SETTINGS: readonly string[] = [
  SETTING.endpoint,
  SETTING.profile,
  SETTING.s3Endpoint,
  SETTING.queryWorkerType,
  SETTING.queryWorkerCount,
  SETTING.queryConfirmBeforeRun,
];

export function affectsCleanRooms(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}

/** Where `cleanRooms.memberships` edits go: the workspace when one is open, else user settings. */
export function membershipsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** A new entry for cleanRooms.memberships: a bare ID, or an ID with the region it lives in. */
export type NewEntry = string | { id: string; region?: string; profile?: string };

function entryKey(e: unknown): string {
  if (typeof e === 'string') {
    return e;
  }
  if (typeof e === 'object' && e !== null) {
    const o = e as { id?: unknown; region?: unknown; profile?: unknown };
    return [o.id, o.region ?? '', o.profile ?? ''].map(String).join('|').replace(/\|+$/, '');
  }
  return '';
}

/** The profile and region an entry without its own uses: compares entries by where they load. */
export interface EntryDefaults {
  readonly region?: string;
  readonly profile?: string;
}

/** The [id, profile, region] an entry loads with once the defaults apply. */
function effectiveKey(e: unknown, defaults: EntryDefaults): string {
  const o: { id?: unknown; region?: unknown; profile?: unknown } = typeof e === 'string' ? { id: e } : typeof e === 'object' && e !== null ? e : {};
  return JSON.stringify([String(o.id), o.profile || defaults.profile || '', o.region || defaults.region || '']);
}

/**
 * Appends entries to the memberships setting without duplicates and without touching what the
 * user wrote by hand (labels, per-entry profile/region stay exactly as written). With `defaults`,
 * two entries are the same when they load the same ID with the same profile and region once the
 * defaults apply (an eu-west-1 entry is not a duplicate of a bare ID loaded in us-east-1).
 */
export async function addMembershipIds(entries: readonly NewEntry[], defaults?: EntryDefaults): Promise<NewEntry[]> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const target = membershipsTarget();
  const inspected = config.inspect<unknown[]>(SETTING.memberships);
  // A first workspace value replaces the user's list in this workspace: start it from that list,
  // so adding one membership does not make the others disappear from the tree.
  const raw = target === vscode.ConfigurationTarget.Workspace ? (inspected?.workspaceValue ?? inspected?.globalValue) : inspected?.globalValue;
  const current: unknown[] = Array.isArray(raw) ? raw : [];
  const keyOf = defaults ? (e: unknown): string => effectiveKey(e, defaults) : entryKey;
  const existing = new Set(current.map(keyOf));
  const existingIds = new Set(current.map((e) => (typeof e === 'string' ? e : typeof e === 'object' && e !== null ? String((e as { id?: unknown }).id) : '')));
  const added: NewEntry[] = [];
  for (const entry of entries) {
    const key = keyOf(entry);
    // Without defaults, a bare ID already present in any form is a duplicate; an ID for another region is not.
    const duplicate = existing.has(key) || (!defaults && typeof entry === 'string' && existingIds.has(entry));
    if (!duplicate) {
      existing.add(key);
      added.push(entry);
    }
  }
  if (added.length > 0) {
    await config.update(SETTING.memberships, [...current, ...added], target);
  }
  return added;
}

/**
 * Removes the entry at `index` of the effective memberships list, from whichever settings file
 * holds it. Other entries, including hand-written objects, are kept as written.
 */
export async function removeMembershipEntry(index: number, id: string | undefined): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<unknown[]>(SETTING.memberships);
  const layers: Array<[vscode.ConfigurationTarget, unknown[] | undefined]> = [
    [vscode.ConfigurationTarget.Workspace, inspected?.workspaceValue],
    [vscode.ConfigurationTarget.Global, inspected?.globalValue],
  ];
  // The effective value is the most specific layer that is set; only that one is what the tree shows.
  const layer = layers.find(([, value]) => value !== undefined);
  if (!layer || !Array.isArray(layer[1]) || index < 0 || index >= layer[1].length) {
    return false;
  }
  const [target, list] = layer;
  const item: unknown = list[index];
  const itemId = typeof item === 'string' ? item : typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  if (id !== undefined && itemId !== id) {
    // The setting changed since the tree was drawn; do not remove the wrong entry.
    return false;
  }
  await config.update(SETTING.memberships, list.filter((_, i) => i !== index), target);
  return true;
}
