import type { ConnectionRequest } from './clientFactory';

/**
 * Addresses in the AWS Clean Rooms console.
 *
 * What is known about them, and from where:
 * - Documented: the console lives at https://<region>.console.aws.amazon.com/cleanrooms/home?region=<region>
 *   (the user guide's "open the AWS Clean Rooms console" links). AWS documents no deeper routes.
 * - Observed: the console is a single-page app that keeps its route in the URL fragment. Public
 *   scripts that print console links use `#/collaborations/<collaborationId>` for a collaboration,
 *   and the console's membership pages are `#/memberships/<membershipId>`.
 * - Not known: stable routes for the records inside a membership (members, configured table
 *   associations, analysis templates, protected queries). Rather than guess an address that may
 *   land on an error page, those open their membership's page, where each has its own tab.
 */

/** The console page to open. */
export type ConsoleTarget =
  | { readonly kind: 'home' }
  | { readonly kind: 'membership'; readonly membershipId: string }
  | { readonly kind: 'collaboration'; readonly collaborationId: string }
  | {
      /** A record listed under a membership; opens the membership's page (see above). */
      readonly kind: 'record';
      readonly membershipId: string;
      readonly branch: 'members' | 'associations' | 'templates' | 'queries';
    };

/**
 * What a panel asks "Open in AWS Console" for: its own page, in the region its record came from
 * (or, before it loaded, the region its connection resolves to). A panel opened from a pasted ARN
 * has no row in the tree to take these from.
 */
export interface PanelConsoleRequest {
  readonly kind: 'panelConsole';
  readonly target: ConsoleTarget;
  readonly region?: string;
  readonly request: ConnectionRequest;
}

/** The console address of `target` in `region` (the region the row's calls go to). */
export function consoleUrl(region: string, target: ConsoleTarget = { kind: 'home' }): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/cleanrooms/home?region=${r}${route(target)}`;
}

function route(target: ConsoleTarget): string {
  switch (target.kind) {
    case 'home':
      return '';
    case 'membership':
    case 'record':
      return `#/memberships/${encodeURIComponent(target.membershipId)}`;
    case 'collaboration':
      return `#/collaborations/${encodeURIComponent(target.collaborationId)}`;
  }
}
