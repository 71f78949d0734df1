import type { ConnectionRequest } from './clientFactory';

/** The profile and region as far as the settings and the environment say, before the profile files. */
export interface UnresolvedConnection {
  /** Undefined when credentials come from AWS_ACCESS_KEY_ID in the environment. */
  readonly profile: string | undefined;
  /** Undefined when only the profile's own `region` can tell (read from the profile files). */
  readonly region: string | undefined;
}

/**
 * The same precedence as resolveConnection, minus the steps that read the profile files: cheap
 * enough for activation, which must not load the SDK (its INI loader reads those files).
 */
export function unresolvedConnection(request: Pick<ConnectionRequest, 'profile' | 'region'>, env: NodeJS.ProcessEnv = process.env): UnresolvedConnection {
  let profile: string | undefined = request.profile ?? (env.AWS_PROFILE?.trim() || undefined);
  if (profile === undefined && !(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)) {
    profile = 'default';
  }
  const region = request.region ?? (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined);
  return { profile, region };
}
