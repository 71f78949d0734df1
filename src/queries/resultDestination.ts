import type {
  Membership,
  MembershipProtectedQueryResultConfiguration,
  MemberSummary,
  ProtectedQueryResultConfiguration,
  ProtectedQueryS3OutputConfiguration,
} from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import type { Result } from '../aws/cleanRoomsService';
import type { Conformed } from '../aws/conform';
import type { ExplorerState } from '../explorerState';
import { shortText } from '../util/text';
import { askResultConfiguration, confirmMembershipChange, sendMembershipChange } from '../commands/editMembershipSettings';
import type { QueryTarget } from './queryTarget';

/** Where a run's results go. */
export interface Destination {
  /** Absent: the membership's default result configuration (its role writes the files). */
  readonly resultConfiguration?: ProtectedQueryResultConfiguration;
  /** One line for the confirmation. */
  readonly description: string;
}

const RECEIVE = 'CAN_RECEIVE_RESULTS';

export function describeS3(s3: ProtectedQueryS3OutputConfiguration): string {
  return `s3://${shortText(s3.bucket ?? '?')}/${shortText(s3.keyPrefix ?? '')} (${s3.resultFormat ?? '?'})`;
}

/**
 * Where results go: the membership's default result configuration when it can receive results
 * (offering to set one when it has none), else a member who can receive them (`member` output).
 * Undefined when the user stops, or nobody can receive results (said here).
 */
export async function chooseDestination(
  state: ExplorerState,
  target: QueryTarget,
  name: string,
  membership: Conformed<Membership>,
  members: () => Promise<Result<Conformed<MemberSummary>[]>>,
): Promise<Destination | undefined> {
  if (membership.memberAbilities?.includes(RECEIVE)) {
    const current = membership.defaultResultConfiguration;
    if (current?.outputConfiguration?.s3) {
      return { description: describeS3(current.outputConfiguration.s3) };
    }
    if (current?.outputConfiguration) {
      // A kind of output this version does not know: the service still applies it.
      return { description: vscode.l10n.t("the membership's default result configuration") };
    }
    const set = await offerResultConfiguration(state, target, name, membership);
    return set?.outputConfiguration?.s3 ? { description: describeS3(set.outputConfiguration.s3) } : undefined;
  }
  const listed = await members();
  if (!listed.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not list the members who can receive results of {0}: {1}. {2}', name, listed.failure.title, listed.failure.nextStep));
    return undefined;
  }
  const receivers = listed.value.filter((m): m is typeof m & { accountId: string } => m.accountId !== undefined && m.abilities?.includes(RECEIVE) === true && m.membershipId !== membership.id && m.status === 'ACTIVE');
  if (receivers.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('This membership cannot receive results, and no active member of {0} can: no query can run here.', name));
    return undefined;
  }
  let chosen = receivers[0];
  if (receivers.length > 1) {
    const pick = await vscode.window.showQuickPick(
      receivers.map((m) => ({ label: shortText(m.displayName || m.accountId), description: m.accountId, member: m })),
      { title: vscode.l10n.t('Send the results to (this membership cannot receive them)'), ignoreFocusOut: true },
    );
    if (!pick) {
      return undefined;
    }
    chosen = pick.member;
  }
  return {
    resultConfiguration: { outputConfiguration: { member: { accountId: chosen.accountId } } },
    description: vscode.l10n.t('member {0} ({1}), to their own result location', shortText(chosen.displayName || chosen.accountId), chosen.accountId),
  };
}

/**
 * The membership can receive results but has nowhere to put them: offers to set a default result
 * location now (the same prompts as Edit Membership Settings), shows the exact UpdateMembership
 * change, and sends it once confirmed. Returns the configuration now in force, or undefined.
 */
export async function offerResultConfiguration(
  state: ExplorerState,
  target: QueryTarget,
  name: string,
  membership: Conformed<Membership>,
): Promise<MembershipProtectedQueryResultConfiguration | undefined> {
  const setNow = vscode.l10n.t('Set Result Location…');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Membership {0} has no default result location, so a query has nowhere to write its results.', name),
    { modal: true, detail: vscode.l10n.t('Set one now with UpdateMembership (an S3 bucket, a key prefix and a format)? You will see the exact change before it is sent.') },
    setNow,
  );
  if (answer !== setNow) {
    return undefined;
  }
  const configuration = await askResultConfiguration();
  if (!configuration) {
    return undefined;
  }
  const change = { defaultResultConfiguration: configuration };
  if (!(await confirmMembershipChange(membership, change))) {
    return undefined;
  }
  const updated = await sendMembershipChange(state, { key: target.node?.key ?? '', membershipId: target.membershipId, request: target.request }, change);
  return updated ? (updated.defaultResultConfiguration ?? configuration) : undefined;
}
