/**
 * The only module that knows setting names and their rules. Everything else receives typed,
 * validated values. Free of the `vscode` module so the rules are unit-tested in plain Node;
 * src/config.ts reads and writes the values through VS Code.
 */

import { t } from './util/l10n';

export const SECTION = 'cleanRooms';
export const SETTING = {
  memberships: 'memberships',
  profile: 'profile',
  region: 'region',
  endpoint: 'endpoint',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  discoverRegions: 'discoverRegions',
  cacheMaxAgeSeconds: 'cacheMaxAgeSeconds',
  s3Endpoint: 's3Endpoint',
  queryWorkerType: 'query.workerType',
  queryWorkerCount: 'query.workerCount',
  queryConfirmBeforeRun: 'query.confirmBeforeRun',
} as const;

/** Worker types StartProtectedQuery accepts for SQL on the Spark engine (newer ones pass through as unknown). */
export const QUERY_WORKER_TYPES = ['CR.1X', 'CR.4X'] as const;
export const MIN_QUERY_WORKERS = 2;
export const MAX_QUERY_WORKERS = 400;

export const MEMBERSHIP_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PROFILE_PATTERN = /^[A-Za-z0-9_.@+=,:/-]{1,128}$/;
const DEFAULT_TIMEOUT_SECONDS = 30;
const DEFAULT_CACHE_MAX_AGE_SECONDS = 300;
/** A day: older records are not worth showing before fetching. */
const MAX_CACHE_MAX_AGE_SECONDS = 86_400;

/** A valid `cleanRooms.memberships` entry, normalised from either the string or the object form. */
export interface MembershipEntry {
  readonly kind: 'membership';
  /** Position in the setting array: identifies the entry for remove, and keeps config order. */
  readonly index: number;
  readonly id: string;
  readonly label?: string;
  readonly profile?: string;
  readonly region?: string;
}

/** An entry the extension cannot use; shown as an error item, never dropped silently. */
export interface InvalidEntry {
  readonly kind: 'invalid';
  readonly index: number;
  /** Short, printable rendering of what the user wrote. */
  readonly written: string;
  readonly problem: string;
  readonly fix: string;
}

export type ConfiguredEntry = MembershipEntry | InvalidEntry;

export interface SettingProblem {
  readonly setting: string;
  readonly problem: string;
  readonly fix: string;
}

export interface CleanRoomsSettings {
  readonly entries: readonly ConfiguredEntry[];
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly requestTimeoutMs: number;
  /** Regions "Discover Memberships" searches; empty means the current region only. */
  readonly discoverRegions: readonly string[];
  /**
   * How old a membership fetched earlier may be and still be shown at once while it is fetched
   * again (stale-while-revalidate); 0: always fetch first.
   */
  readonly cacheMaxAgeMs: number;
  /** Where S3 calls go instead of AWS (local S3, VPC endpoints); path-style addressing when set. */
  readonly s3Endpoint?: string;
  readonly query: QuerySettings;
  /** Problems with the scalar settings; the offending value is ignored and the default used. */
  readonly problems: readonly SettingProblem[];
  /** Why something the workspace asked for is not applied (workspace trust). */
  readonly notices: readonly string[];
}

/** How protected queries run (`cleanRooms.query.*`). */
export interface QuerySettings {
  /** Spark engine only; absent: the service's default. */
  readonly workerType?: (typeof QUERY_WORKER_TYPES)[number];
  readonly workerCount?: number;
  /** Ask before starting a query (always true in an untrusted workspace: see `untrusted`). */
  readonly confirmBeforeRun: boolean;
  /**
   * The workspace is not trusted: its own `cleanRooms.query.*` values were ignored and every run
   * confirms, so a cloned repository cannot make one click start a 400-worker query.
   */
  readonly untrusted: boolean;
}

/** Raw values as VS Code hands them over: anything JSON can hold. */
export interface RawSettings {
  readonly memberships?: unknown;
  readonly profile?: unknown;
  readonly region?: unknown;
  readonly endpoint?: unknown;
  readonly requestTimeoutSeconds?: unknown;
  readonly discoverRegions?: unknown;
  readonly cacheMaxAgeSeconds?: unknown;
  readonly s3Endpoint?: unknown;
  readonly queryWorkerType?: unknown;
  readonly queryWorkerCount?: unknown;
  readonly queryConfirmBeforeRun?: unknown;
}

export function isMembershipId(value: string): boolean {
  return MEMBERSHIP_ID_PATTERN.test(value);
}

/** Explains what is wrong with a would-be membership ID, or returns undefined when it is valid. */
export function describeIdProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    return t('The membership ID is empty.');
  }
  if (isMembershipId(trimmed)) {
    return trimmed === value ? undefined : t('The membership ID has spaces around it.');
  }
  if (trimmed.startsWith('arn:')) {
    return t('That is an ARN; use the membership ID, the UUID after "membership/".');
  }
  if (MEMBERSHIP_ID_PATTERN.test(trimmed.toLowerCase())) {
    return t('Membership IDs are lowercase.');
  }
  return t('A membership ID is a lowercase UUID such as {0}.', '1f2e3d4c-5b6a-4789-8abc-0123456789ab');
}

/**
 * What a pasted membership reference names: the ID, and the region when the text carries one
 * (an ARN or a console URL). `problem` says why the text names no membership.
 */
export type MembershipReference =
  | { readonly ok: true; readonly id: string; readonly region?: string }
  | { readonly ok: false; readonly problem: string };

const UUID_ANY_CASE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Clean Rooms ARN resource types, as they appear after the account ID, named for people. */
const RESOURCE_NAMES: Readonly<Record<string, string>> = {
  collaboration: 'collaboration',
  configuredtable: 'configured table',
  configuredaudiencemodelassociation: 'configured audience model association',
  configuredtableassociation: 'configured table association',
  analysistemplate: 'analysis template',
  protectedquery: 'protected query',
  protectedjob: 'protected job',
  privacybudgettemplate: 'privacy budget template',
  idmappingtable: 'ID mapping table',
  idnamespaceassociation: 'ID namespace association',
};

/**
 * Reads what people paste as a membership: a bare ID, a membership ARN
 * (arn:aws:cleanrooms:<region>:<account>:membership/<id>) or a console URL
 * (https://<region>.console.aws.amazon.com/cleanrooms/home?region=<region>#/memberships/<id>).
 * ARNs are read by resource type: a collaboration's ID is a UUID too, and must not pass for a
 * membership's.
 */
export function parseMembershipReference(text: string): MembershipReference {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, problem: t('The membership ID is empty.') };
  }
  if (UUID_ANY_CASE.test(trimmed)) {
    return { ok: true, id: trimmed.toLowerCase() };
  }
  if (/^arn:/i.test(trimmed)) {
    return parseArn(trimmed);
  }
  if (/^https?:\/\//i.test(trimmed)) {
    return parseConsoleUrl(trimmed);
  }
  return { ok: false, problem: describeIdProblem(trimmed) ?? t('A membership ID is a lowercase UUID such as {0}.', EXAMPLE_ID) };
}

const EXAMPLE_ID = '1f2e3d4c-5b6a-4789-8abc-0123456789ab';
const PASTE_HINT = (): string => t('paste a membership ID or membership ARN');

function parseArn(arn: string): MembershipReference {
  // arn:partition:service:region:account:resource; the resource may itself hold colons.
  const parts = arn.split(':');
  if (parts.length < 6) {
    return { ok: false, problem: t('That ARN is incomplete; {0}.', PASTE_HINT()) };
  }
  const [, , service, region] = parts;
  // A trailing slash (copied from a console URL) leaves an empty last part: not a further resource.
  const resource = parts.slice(5).join(':').replace(/\/+$/, '').split('/');
  if (service !== 'cleanrooms') {
    return { ok: false, problem: t('That is an ARN for {0}, not AWS Clean Rooms; {1}.', truncate(service || '?', 40), PASTE_HINT()) };
  }
  if (resource[0] !== 'membership') {
    const kind = RESOURCE_NAMES[resource[0]] ?? truncate(resource[0] || '?', 40);
    return { ok: false, problem: t('That is a {0} ARN; {1}.', kind, PASTE_HINT()) };
  }
  if (resource.length > 2) {
    // membership/<id>/configuredtableassociation/<id> and the like: a record under a membership.
    const kind = RESOURCE_NAMES[resource[2]] ?? truncate(resource[2], 40);
    return { ok: false, problem: t('That is a {0} ARN; {1}.', kind, PASTE_HINT()) };
  }
  const id = resource[1] ?? '';
  if (!UUID_ANY_CASE.test(id)) {
    return { ok: false, problem: t('That membership ARN does not end in a membership ID (a UUID).') };
  }
  if (!REGION_PATTERN.test(region)) {
    return { ok: false, problem: t('That ARN names no region; {0}.', PASTE_HINT()) };
  }
  return { ok: true, id: id.toLowerCase(), region };
}

function parseConsoleUrl(text: string): MembershipReference {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: t('That is not a link to a membership; {0}.', PASTE_HINT()) };
  }
  // The console keeps its route in the fragment; the region is a query parameter, else the host.
  const route = /(?:^|\/)(memberships|collaborations)\/([0-9a-fA-F-]{36})(?:[/?]|$)/.exec(url.hash.replace(/^#/, '') || url.pathname);
  if (!route || !UUID_ANY_CASE.test(route[2])) {
    return { ok: false, problem: t('That link does not name a membership; {0}.', PASTE_HINT()) };
  }
  if (route[1] === 'collaborations') {
    return { ok: false, problem: t('That is a link to a collaboration; {0}.', PASTE_HINT()) };
  }
  const fromQuery = url.searchParams.get('region') ?? undefined;
  const fromHost = /^([a-z0-9-]+)\.console\.aws\.amazon\.com$/.exec(url.hostname)?.[1];
  const region = [fromQuery, fromHost].find((r): r is string => r !== undefined && REGION_PATTERN.test(r));
  return { ok: true, id: route[2].toLowerCase(), region };
}

/** The membership ID in what people paste (see parseMembershipReference), or undefined. */
export function extractMembershipId(text: string): string | undefined {
  const parsed = parseMembershipReference(text);
  return parsed.ok ? parsed.id : undefined;
}

export function parseSettings(raw: RawSettings): CleanRoomsSettings {
  const problems: SettingProblem[] = [];
  const profile = optionalString(raw.profile, SETTING.profile, problems, (v) =>
    PROFILE_PATTERN.test(v) ? undefined : t('Profile names are letters, digits and _.@+=,:/- only.'),
  );
  const region = optionalString(raw.region, SETTING.region, problems, regionProblem);
  const endpoint = optionalString(raw.endpoint, SETTING.endpoint, problems, endpointProblem);
  const s3Endpoint = optionalString(raw.s3Endpoint, SETTING.s3Endpoint, problems, endpointProblem);
  return markDuplicates({
    entries: parseEntries(raw.memberships, problems),
    profile,
    region,
    endpoint: endpoint?.replace(/\/+$/, ''),
    requestTimeoutMs: parseTimeout(raw.requestTimeoutSeconds, problems) * 1000,
    discoverRegions: parseRegionList(raw.discoverRegions, problems),
    cacheMaxAgeMs: parseCacheMaxAge(raw.cacheMaxAgeSeconds, problems) * 1000,
    s3Endpoint: s3Endpoint?.replace(/\/+$/, ''),
    query: parseQuerySettings(raw, problems),
    problems,
    notices: [],
  });
}

function parseEntries(value: unknown, problems: SettingProblem[]): ConfiguredEntry[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push({
      setting: qualified(SETTING.memberships),
      problem: t('must be a list, but is {0}.', describeType(value)),
      fix: t('Write it as ["<membership-id>", …].'),
    });
    return [];
  }
  let items: readonly unknown[] = value;
  if (items.length > MAX_MEMBERSHIPS) {
    // A cloned repository's settings must not be able to send thousands of calls with the user's keys.
    problems.push({
      setting: qualified(SETTING.memberships),
      problem: t('lists {0} entries; only the first {1} are shown.', items.length, MAX_MEMBERSHIPS),
      fix: t('Keep the list to the memberships this workspace needs (Discover Memberships finds the others).'),
    });
    items = items.slice(0, MAX_MEMBERSHIPS);
  }
  return items.map((item: unknown, index): ConfiguredEntry => parseEntry(item, index));
}

/** How many entries of cleanRooms.memberships are loaded. */
export const MAX_MEMBERSHIPS = 2000;

/**
 * Marks the later of two entries that reach the same membership through the same profile and
 * region (after defaults apply) as a duplicate: the tree can show each membership once only.
 */
export function markDuplicates(settings: CleanRoomsSettings): CleanRoomsSettings {
  const seen = new Map<string, number>();
  const entries = settings.entries.map((entry): ConfiguredEntry => {
    if (entry.kind !== 'membership') {
      return entry;
    }
    const key = JSON.stringify([entry.id.toLowerCase(), entry.profile ?? settings.profile ?? '', entry.region ?? settings.region ?? '']);
    const first = seen.get(key);
    if (first !== undefined) {
      return invalid(entry.index, entry.id, t('Duplicate of entry {0} (same membership, profile and region).', first + 1), t('Remove one of the two entries.'));
    }
    seen.set(key, entry.index);
    return entry;
  });
  return { ...settings, entries };
}

function parseEntry(item: unknown, index: number): ConfiguredEntry {
  if (typeof item === 'string') {
    const problem = describeIdProblem(item);
    return problem
      ? invalid(index, item, problem, t('Fix the ID in settings, or remove the entry.'))
      : { kind: 'membership', index, id: item };
  }
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return invalid(index, item, t('Expected an ID string or an object, found {0}.', describeType(item)), t('Write "<membership-id>" or {0}.', '{ "id": "<membership-id>" }'));
  }
  const record = item as Record<string, unknown>;
  if (typeof record.id !== 'string') {
    return invalid(index, item, t('The object has no "id" string.'), t('Add "id": "<membership-id>".'));
  }
  const idProblem = describeIdProblem(record.id);
  if (idProblem) {
    return invalid(index, item, idProblem, t('Fix the "id" value in settings, or remove the entry.'));
  }
  const unknownKeys = Object.keys(record).filter((k) => !['id', 'label', 'profile', 'region'].includes(k));
  if (unknownKeys.length > 0) {
    return invalid(index, item, t('Unknown field {0}.', unknownKeys.map((k) => JSON.stringify(k)).join(', ')), t('Allowed fields are id, label, profile and region.'));
  }
  for (const field of ['label', 'profile', 'region'] as const) {
    if (record[field] !== undefined && typeof record[field] !== 'string') {
      return invalid(index, item, t('"{0}" must be a string.', field), t('Write "{0}": "…" or leave it out.', field));
    }
  }
  const label = nonEmpty(record.label as string | undefined);
  const profile = nonEmpty(record.profile as string | undefined);
  const region = nonEmpty(record.region as string | undefined);
  if (profile !== undefined && !PROFILE_PATTERN.test(profile)) {
    return invalid(index, item, t('"{0}" is not a valid profile name.', truncate(profile, 40)), t('Use a profile name from ~/.aws/config.'));
  }
  const rp = region === undefined ? undefined : regionProblem(region);
  if (rp) {
    return invalid(index, item, rp, t('Use a region code such as us-east-1.'));
  }
  return { kind: 'membership', index, id: record.id, label, profile, region };
}

function regionProblem(value: string): string | undefined {
  return REGION_PATTERN.test(value) ? undefined : t('"{0}" is not a region code (e.g. us-east-1).', truncate(value, 40));
}

function endpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return t('"{0}" is not a URL.', truncate(value, 80));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return t('The endpoint must be an http(s) URL.');
  }
  if (url.username || url.password) {
    return t('The endpoint must not contain credentials.');
  }
  return undefined;
}

function parseRegionList(value: unknown, problems: SettingProblem[]): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  const regions = list.filter((r): r is string => typeof r === 'string' && regionProblem(r.trim()) === undefined).map((r) => r.trim());
  if (!Array.isArray(value) || regions.length !== list.length) {
    problems.push({
      setting: qualified(SETTING.discoverRegions),
      problem: t('must be a list of region codes such as ["us-east-1", "eu-west-1"]; invalid values ignored.'),
      fix: t('Correct the value in settings.'),
    });
  }
  return [...new Set(regions)];
}

function parseTimeout(value: unknown, problems: SettingProblem[]): number {
  if (value === undefined || value === null) {
    return DEFAULT_TIMEOUT_SECONDS;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 600) {
    problems.push({
      setting: qualified(SETTING.requestTimeoutSeconds),
      problem: t('must be a number of seconds from 1 to 600; using {0}.', DEFAULT_TIMEOUT_SECONDS),
      fix: t('Correct the value in settings.'),
    });
    return DEFAULT_TIMEOUT_SECONDS;
  }
  return value;
}

function parseQuerySettings(raw: RawSettings, problems: SettingProblem[]): QuerySettings {
  const workerType = optionalString(raw.queryWorkerType, SETTING.queryWorkerType, problems, (v) =>
    (QUERY_WORKER_TYPES as readonly string[]).includes(v) ? undefined : t('"{0}" is not a worker type ({1}).', truncate(v, 40), QUERY_WORKER_TYPES.join(', ')),
  ) as QuerySettings['workerType'];
  let workerCount: number | undefined;
  const count = raw.queryWorkerCount;
  if (count !== undefined && count !== null) {
    if (typeof count === 'number' && Number.isInteger(count) && count >= MIN_QUERY_WORKERS && count <= MAX_QUERY_WORKERS) {
      workerCount = count;
    } else {
      problems.push({
        setting: qualified(SETTING.queryWorkerCount),
        problem: t('must be a whole number from {0} to {1}; ignored.', MIN_QUERY_WORKERS, MAX_QUERY_WORKERS),
        fix: t('Correct the value in settings.'),
      });
    }
  }
  let confirmBeforeRun = true;
  if (raw.queryConfirmBeforeRun !== undefined && raw.queryConfirmBeforeRun !== null) {
    if (typeof raw.queryConfirmBeforeRun === 'boolean') {
      confirmBeforeRun = raw.queryConfirmBeforeRun;
    } else {
      problems.push({ setting: qualified(SETTING.queryConfirmBeforeRun), problem: t('must be true or false; using true.'), fix: t('Correct the value in settings.') });
    }
  }
  return { workerType, workerCount, confirmBeforeRun, untrusted: false };
}

function parseCacheMaxAge(value: unknown, problems: SettingProblem[]): number {
  if (value === undefined || value === null) {
    return DEFAULT_CACHE_MAX_AGE_SECONDS;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_CACHE_MAX_AGE_SECONDS) {
    problems.push({
      setting: qualified(SETTING.cacheMaxAgeSeconds),
      problem: t('must be a number of seconds from 0 to {0}; using {1}.', MAX_CACHE_MAX_AGE_SECONDS, DEFAULT_CACHE_MAX_AGE_SECONDS),
      fix: t('Correct the value in settings.'),
    });
    return DEFAULT_CACHE_MAX_AGE_SECONDS;
  }
  return value;
}

function optionalString(
  value: unknown,
  name: string,
  problems: SettingProblem[],
  validate: (v: string) => string | undefined,
): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ setting: qualified(name), problem: t('must be a string, but is {0}; ignored.', describeType(value)), fix: t('Correct the value in settings.') });
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    return undefined;
  }
  const problem = validate(trimmed);
  if (problem) {
    problems.push({ setting: qualified(name), problem: t('{0} Ignored.', problem), fix: t('Correct the value in settings.') });
    return undefined;
  }
  return trimmed;
}

function invalid(index: number, written: unknown, problem: string, fix: string): InvalidEntry {
  return { kind: 'invalid', index, written: describeWritten(written), problem, fix };
}

function describeWritten(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return truncate(text, 80);
}

function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function qualified(name: string): string {
  return `${SECTION}.${name}`;
}

