import type { MembershipStatus } from '@aws-sdk/client-cleanrooms';

/** The documented argument of `cleanRooms.discoverMemberships`: skip the questions it answers. */
export interface DiscoverPreset {
  readonly status?: MembershipStatus | 'ALL';
  readonly pickAll?: boolean;
}

// Listed here rather than read from the SDK's enum object: importing it would load the SDK at activation.
const STATUSES: ReadonlySet<string> = new Set<MembershipStatus | 'ALL'>(['ACTIVE', 'REMOVED', 'COLLABORATION_DELETED', 'ALL']);

/**
 * Any extension (or a command link) can run the command with any argument: keep only the
 * documented fields with documented values. Anything else is ignored, so the user is asked.
 */
export function parseDiscoverPreset(arg: unknown): DiscoverPreset | undefined {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    return undefined;
  }
  const { status, pickAll } = arg as Record<string, unknown>;
  return {
    status: typeof status === 'string' && STATUSES.has(status) ? (status as DiscoverPreset['status']) : undefined,
    pickAll: pickAll === true ? true : undefined,
  };
}
