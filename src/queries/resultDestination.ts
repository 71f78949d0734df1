import type {
  Membership,
  MembershipProtectedQueryResultConfiguration,
  MemberSummary,
  ProtectedQueryResultConfiguration,
  ProtectedQueryS3OutputConfiguration,
  ResultFormat,
} from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import type { Result } from '../aws/cleanRoomsService';
import type { Conformed } from '../aws/conform';
import type { ExplorerState } from '../explorerState';
import { safeJson, shortText } from '../util/text';
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
 * location now (bucket, prefix, format), shows the exact UpdateMembership change, and sends it once
 * confirmed. Returns the configuration now in force, or undefined.
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
  const configuration = await askResultConfiguration(membership);
  if (!configuration) {
    return undefined;
  }
  const change = { defaultResultConfiguration: configuration };
  const send = vscode.l10n.t('Update Membership');
  const confirmed = await vscode.window.showWarningMessage(
    vscode.l10n.t('Change the default result location of {0}?', name),
    { modal: true, detail: `UpdateMembership ${membership.id}\n${safeJson(change)}` },
    send,
  );
  if (confirmed !== send) {
    return undefined;
  }
  const updated = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Updating membership {0}…', name) }, () =>
    state.service.updateMembership(target.request, target.membershipId, change),
  );
  if (!updated.ok) {
    const why = updated.failure.kind === 'conflict' ? vscode.l10n.t('The membership changed at the same time elsewhere; refresh and try again.') : updated.failure.nextStep;
    void vscode.window.showErrorMessage(vscode.l10n.t('The result location was not set: {0}. {1}', updated.failure.title, why));
    return undefined;
  }
  if (target.node) {
    state.store.recordFetched(target.node.key, updated.value.membership, updated.connection, updated.value.fetchedAt);
  }
  return updated.value.membership.defaultResultConfiguration ?? configuration;
}

const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Minimal prompt for a default result location (helper H4 writes the full one in
 * editMembershipSettings.ts; the lead unifies them). The bucket suggested is the membership's job
 * result bucket, when it has one.
 */
export async function askResultConfiguration(membership: Conformed<Membership>): Promise<MembershipProtectedQueryResultConfiguration | undefined> {
  const bucket = await vscode.window.showInputBox({
    title: vscode.l10n.t('Result location: S3 bucket'),
    prompt: vscode.l10n.t('The bucket Clean Rooms writes query results to (in the collaboration\'s allowed result regions).'),
    value: membership.defaultJobResultConfiguration?.outputConfiguration?.s3?.bucket ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (BUCKET_PATTERN.test(v.trim()) ? undefined : vscode.l10n.t('A bucket name is 3-63 lowercase letters, digits, dots and hyphens.')),
  });
  if (bucket === undefined) {
    return undefined;
  }
  const keyPrefix = await vscode.window.showInputBox({
    title: vscode.l10n.t('Result location: key prefix (optional)'),
    value: 'cleanrooms/queries/',
    ignoreFocusOut: true,
  });
  if (keyPrefix === undefined) {
    return undefined;
  }
  const format = await vscode.window.showQuickPick(
    [
      { label: 'CSV', format: 'CSV' },
      { label: 'Parquet', format: 'PARQUET' },
    ] satisfies Array<vscode.QuickPickItem & { format: ResultFormat }>,
    { title: vscode.l10n.t('Result location: file format'), ignoreFocusOut: true },
  );
  if (!format) {
    return undefined;
  }
  const s3: ProtectedQueryS3OutputConfiguration = { bucket: bucket.trim(), resultFormat: format.format, ...(keyPrefix.trim() ? { keyPrefix: keyPrefix.trim() } : {}) };
  return { outputConfiguration: { s3 } };
}
