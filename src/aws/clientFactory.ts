import type { CleanRoomsClient } from '@aws-sdk/client-cleanrooms';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CLEAN_ROOMS_REGIONS } from './regions';
import { noRegion, unsupportedRegion, type CleanRoomsFailure } from './errors';
import { loadSdk } from './loadSdk';
import { t } from '../util/l10n';
import type { ProfileFiles } from './profiles';

/** Everything that decides which client a call uses. Equal connections share one client. */
export interface Connection {
  /** Profile name, or undefined when credentials come from AWS_ACCESS_KEY_ID in the environment. */
  readonly profile: string | undefined;
  readonly region: string;
  /** Where the region came from (settings/entry, AWS_REGION, or the profile), so the UI can say so. */
  readonly regionFrom?: RegionSource;
  readonly endpoint: string | undefined;
  readonly timeoutMs: number;
}

export type RegionSource = 'request' | 'environment' | 'profile';

/** The requested profile/region before resolution against the environment and the profile files. */
export interface ConnectionRequest {
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly timeoutMs: number;
}

export function connectionKey(c: Connection): string {
  return JSON.stringify([c.profile ?? '$env', c.region, c.endpoint ?? '', c.timeoutMs]);
}

/** A short human name for where a call goes: "prod @ us-east-1". */
export function describeConnection(c: Pick<Connection, 'profile' | 'region'>): string {
  return `${c.profile ?? 'environment credentials'} @ ${c.region}`;
}

/**
 * The region, and where it came from when the user did not name it: "us-east-1 (from profile)".
 * Says "the profile's region" only while nothing is resolved yet.
 */
export function describeRegion(c: Pick<Connection, 'region' | 'regionFrom'> | undefined): string {
  if (!c) {
    return t("the profile's region");
  }
  switch (c.regionFrom) {
    case 'profile':
      return t('{0} (from profile)', c.region);
    case 'environment':
      return t('{0} (from AWS_REGION)', c.region);
    default:
      return c.region;
  }
}

export type Resolved = { ok: true; connection: Connection } | { ok: false; failure: CleanRoomsFailure; profile?: string };

/**
 * Profile precedence: the entry's, the setting, AWS_PROFILE, then environment keys, then `default`,
 * matching the SDK's own order. Region: the entry's, the setting, AWS_REGION, then the profile's.
 * A region where Clean Rooms does not run is refused up front, because the SDK would otherwise
 * spend its retries on DNS failures; a custom endpoint lifts that check.
 */
export async function resolveConnection(
  request: ConnectionRequest,
  profiles: ProfileFiles,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Resolved> {
  let profile: string | undefined = request.profile ?? (env.AWS_PROFILE?.trim() || undefined);
  if (profile === undefined && !(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)) {
    profile = 'default';
  }
  if (profile !== undefined && !(await profiles.exists(profile))) {
    return {
      ok: false,
      profile,
      failure: {
        kind: 'missingProfile',
        title: `Profile "${profile}" not found`,
        nextStep: `Add [profile ${profile}] to ~/.aws/config (aws configure --profile ${profile}), or pick another profile in cleanRooms.profile.`,
        retryable: false,
      },
    };
  }
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  const region = request.region ?? (fromEnv || (profile ? await profiles.regionOf(profile) : undefined));
  const regionFrom: RegionSource = request.region ? 'request' : fromEnv ? 'environment' : 'profile';
  if (!region) {
    return { ok: false, profile, failure: noRegion({ profile }) };
  }
  if (request.endpoint === undefined && !CLEAN_ROOMS_REGIONS.includes(region)) {
    return { ok: false, profile, failure: unsupportedRegion(region, CLEAN_ROOMS_REGIONS) };
  }
  return { ok: true, connection: { profile, region, regionFrom, endpoint: request.endpoint, timeoutMs: request.timeoutMs } };
}

/**
 * One CleanRoomsClient per connection. Clients memoize credentials, so a changed profile file
 * needs new clients: `clear()` drops them all (settings change, "Reload AWS Credentials").
 */
export class CleanRoomsClientFactory {
  private readonly clients = new Map<string, CleanRoomsClient>();

  /**
   * `singleAttempt`: a client whose SDK never retries, for calls that must not be sent twice
   * (StartProtectedQuery has no idempotency token); the caller retries what is safe itself.
   */
  get(connection: Connection, singleAttempt = false): CleanRoomsClient {
    const key = connectionKey(connection) + (singleAttempt ? '|single' : '');
    let client = this.clients.get(key);
    if (!client) {
      client = new (loadSdk().CleanRoomsClient)({
        region: connection.region,
        endpoint: connection.endpoint,
        credentials: credentialsFor(connection.profile),
        maxAttempts: singleAttempt ? 1 : 3,
        // The overall deadline is enforced per call by CleanRoomsService (across retries); this only bounds connecting.
        requestHandler: { connectionTimeout: Math.min(connection.timeoutMs, 10_000) },
      });
      this.clients.set(key, client);
    }
    return client;
  }

  get size(): number {
    return this.clients.size;
  }

  clear(): void {
    for (const client of this.clients.values()) {
      client.destroy();
    }
    this.clients.clear();
  }

  dispose(): void {
    this.clear();
  }
}

/** The credentials of a profile (or of the environment), as every AWS client of the extension uses them. */
export function credentialsFor(profile: string | undefined): AwsCredentialIdentityProvider {
  // fromIni covers static keys, assume-role, SSO and credential_process; ignoreCache makes a new
  // client see edits to the profile files. Environment keys are used only when no profile applies.
  // The full node chain is avoided on purpose: its instance-metadata step hangs on laptops.
  const { fromEnv, fromIni } = loadSdk();
  return profile === undefined ? fromEnv() : fromIni({ profile, ignoreCache: true });
}
