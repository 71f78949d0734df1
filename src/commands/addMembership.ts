import * as vscode from 'vscode';
import type { ConnectionRequest } from '../aws/clientFactory';
import { describeConnection } from '../aws/clientFactory';
import { addMembershipIds, parseMembershipReference, type NewEntry } from '../config';
import type { CommandContext } from './context';
import { askForMembershipReference } from './openMembership';

/**
 * "Add Membership…": asks for an ID, ARN or console link (or takes one as the argument, as other
 * commands and tests pass it), checks it with GetMembership where it would be loaded, and
 * appends it to the workspace's cleanRooms.memberships. Returns the entry written, if any.
 */
export async function addMembership(ctx: CommandContext, text?: unknown): Promise<NewEntry | undefined> {
  const ref = await referenceFrom(text);
  if (!ref) {
    return undefined;
  }
  const settings = ctx.state.settings;
  const defaults: ConnectionRequest = { profile: settings.profile, region: settings.region, endpoint: settings.endpoint, timeoutMs: settings.requestTimeoutMs };
  const resolved = await ctx.state.service.resolve(defaults);
  // The region the tree would use for a bare ID; undefined when the profile cannot be resolved.
  const defaultRegion = resolved.ok ? resolved.connection.region : settings.region;
  // A region is written only where it differs from the default, so bare IDs stay bare.
  const region = ref.region !== undefined && ref.region !== defaultRegion ? ref.region : undefined;
  const entry: NewEntry = region ? { id: ref.id, region } : ref.id;
  const where = describeConnection({ profile: resolved.ok ? resolved.connection.profile : settings.profile, region: region ?? defaultRegion ?? '?' });

  const alreadyListed = settings.entries.some(
    (e) => e.kind === 'membership' && e.id === ref.id && (e.profile ?? settings.profile) === settings.profile && (e.region ?? defaultRegion) === (region ?? defaultRegion),
  );
  if (alreadyListed) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Membership {0} ({1}) is already in the list.', ref.id, where));
    return undefined;
  }

  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking membership {0} ({1})…', ref.id, where) },
    () => ctx.state.service.getMembership({ ...defaults, region: region ?? defaults.region }, ref.id),
  );
  if (!check.ok) {
    const addAnyway = vscode.l10n.t('Add Anyway');
    const problem =
      check.failure.kind === 'notFound'
        ? vscode.l10n.t('Membership {0} was not found with {1}.', ref.id, where)
        : check.failure.kind === 'accessDenied'
          ? vscode.l10n.t('Access to membership {0} was denied with {1}.', ref.id, where)
          : vscode.l10n.t('Could not check membership {0} with {1}: {2}.', ref.id, where, check.failure.title);
    const answer = await vscode.window.showWarningMessage(problem, addAnyway, vscode.l10n.t('Cancel'));
    if (answer !== addAnyway) {
      return undefined;
    }
  }
  const added = await addMembershipIds([entry], { region: defaultRegion, profile: settings.profile });
  if (added.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Membership {0} ({1}) is already in the list.', ref.id, where));
    return undefined;
  }
  return entry;
}

/** The membership the argument names (an error says why it names none), or what the user enters. */
async function referenceFrom(text: unknown): Promise<{ id: string; region?: string } | undefined> {
  if (typeof text !== 'string') {
    return askForMembershipReference(vscode.l10n.t('Add Clean Rooms Membership'));
  }
  const ref = parseMembershipReference(text);
  if (!ref.ok) {
    void vscode.window.showErrorMessage(ref.problem);
    return undefined;
  }
  return ref;
}
