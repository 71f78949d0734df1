import type { Membership, MembershipProtectedJobResultConfiguration, MembershipProtectedQueryResultConfiguration, ResultFormat } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import type { MembershipChange } from '../aws/cleanRoomsService';
import type { ConnectionRequest } from '../aws/clientFactory';
import type { CleanRoomsFailure } from '../aws/errors';
import type { ExplorerState } from '../explorerState';
import {
  bucketProblem,
  canReceiveResults,
  changesNothing,
  describeChange,
  editableFields,
  fieldLabel,
  fieldText,
  keyPrefixProblem,
  requestBody,
  roleArnProblem,
  type MembershipField,
} from '../model/membershipChange';
import { withDelayedProgress } from '../views/progress';
import { shortText, withoutCodeMarks } from '../util/text';
import { nodeFromArg, type CommandContext } from './context';
import { pickLoadedMembership } from './pickLoadedMembership';

/** Which membership to change, and how to reach it. */
export interface MembershipTarget {
  /** Its node key in the tree (rows and panels are refreshed under it). */
  readonly key: string;
  readonly membershipId: string;
  readonly request: ConnectionRequest;
}

/** What a membership panel passes to the command: the membership it shows (it may not be in the tree). */
export interface PanelTargetArg extends MembershipTarget {
  readonly type: 'membershipPanel';
}

/**
 * "Edit Membership Settings": what a member may change with UpdateMembership (query and job
 * logging; the default result configurations for a member who can receive results). Asks which
 * field and its new value, shows the exact change and sends it only when confirmed, then
 * refreshes the tree row and open panel. `arg`: a membership row, a node key or ID, a panel's
 * target, or nothing (palette: pick one). Resolves true when the membership was changed.
 */
export async function editMembershipSettings(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const target = targetOf(ctx, arg) ?? (arg === undefined ? await pickTarget(ctx) : undefined);
  if (!target) {
    return false;
  }
  const fetched = await withDelayedProgress(vscode.l10n.t('Clean Rooms: loading membership {0}', target.membershipId), (signal) =>
    ctx.state.service.getMembership(target.request, target.membershipId, signal),
  );
  if (!fetched.ok) {
    showFailure(vscode.l10n.t('Could not load membership {0}', target.membershipId), fetched.failure);
    return false;
  }
  const membership = fetched.value.membership;
  if (membership.status !== 'ACTIVE') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Only an active membership can be changed; this one is {0}.', membership.status ?? '?'));
    return false;
  }
  const field = await pickField(membership);
  if (!field) {
    return false;
  }
  const change = await askChange(field, membership);
  if (!change) {
    return false;
  }
  if (changesNothing(membership, change)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} already has that value: nothing to change.', fieldLabel(field)));
    return false;
  }
  if (!(await confirmMembershipChange(membership, change))) {
    return false;
  }
  return (await sendMembershipChange(ctx.state, target, change)) !== undefined;
}

function targetOf(ctx: CommandContext, arg: unknown): MembershipTarget | undefined {
  if (isPanelTarget(arg)) {
    return { key: arg.key, membershipId: arg.membershipId, request: arg.request };
  }
  const node = nodeFromArg(ctx.state.store, arg);
  return node && { key: node.key, membershipId: node.entry.id, request: node.request };
}

function isPanelTarget(arg: unknown): arg is PanelTargetArg {
  if (typeof arg !== 'object' || arg === null) {
    return false;
  }
  const a = arg as Partial<Record<keyof PanelTargetArg, unknown>>;
  return a.type === 'membershipPanel' && typeof a.key === 'string' && typeof a.membershipId === 'string' && typeof a.request === 'object' && a.request !== null;
}

async function pickTarget(ctx: CommandContext): Promise<MembershipTarget | undefined> {
  const node = await pickLoadedMembership(ctx, vscode.l10n.t('Edit Membership Settings'));
  return node && { key: node.key, membershipId: node.entry.id, request: node.request };
}

interface FieldPick extends vscode.QuickPickItem {
  readonly field?: MembershipField;
}

/** What to change, each with its current value. Result settings only for a member who can receive results. */
async function pickField(membership: Membership): Promise<MembershipField | undefined> {
  const items: FieldPick[] = editableFields(membership).map((field) => ({ label: fieldLabel(field), description: shortText(fieldText(field, membership), 120), field }));
  if (!canReceiveResults(membership)) {
    // A separator cannot be picked: the hint says why the result settings are not offered.
    items.push({ label: vscode.l10n.t('Default result settings: only for a member who can receive results (this membership cannot)'), kind: vscode.QuickPickItemKind.Separator });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Edit Membership Settings: {0}', shortText(membership.collaborationName || membership.id || '', 80)),
    placeHolder: vscode.l10n.t('What to change (current values shown)'),
  });
  return picked?.field;
}

async function askChange(field: MembershipField, membership: Membership): Promise<MembershipChange | undefined> {
  switch (field) {
    case 'queryLogStatus':
    case 'jobLogStatus': {
      const value = await askLogStatus(fieldLabel(field), membership[field]);
      return value && { [field]: value };
    }
    case 'defaultResultConfiguration': {
      const value = await askResultConfiguration(membership.defaultResultConfiguration);
      return value && { defaultResultConfiguration: value };
    }
    case 'defaultJobResultConfiguration': {
      const value = await askJobResultConfiguration(membership.defaultJobResultConfiguration);
      return value && { defaultJobResultConfiguration: value };
    }
  }
}

async function askLogStatus(label: string, current: string | undefined): Promise<'ENABLED' | 'DISABLED' | undefined> {
  const options = [
    { label: vscode.l10n.t('Enabled'), description: current === 'ENABLED' ? vscode.l10n.t('current') : undefined, value: 'ENABLED' as const },
    { label: vscode.l10n.t('Disabled'), description: current === 'DISABLED' ? vscode.l10n.t('current') : undefined, value: 'DISABLED' as const },
  ];
  const picked = await vscode.window.showQuickPick(options, {
    title: label,
    placeHolder: vscode.l10n.t('Logs of this membership go to Amazon CloudWatch Logs when enabled'),
  });
  return picked?.value;
}

/** An input box that explains what is wrong as the user types; undefined when they cancel. */
async function askText(title: string, prompt: string, value: string | undefined, check: (text: string) => string | undefined, placeHolder?: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({ title, prompt, value: value ?? '', placeHolder, ignoreFocusOut: true, validateInput: (input) => check(input.trim()) });
  return text === undefined ? undefined : text.trim();
}

const optional = (check: (text: string) => string | undefined) => (text: string): string | undefined => (text === '' ? undefined : check(text));

/**
 * Asks for a default result configuration (S3 bucket, key prefix, CSV or Parquet, one file or
 * several, optional role), starting from `current`. Undefined when the user cancels any step.
 * The run flow asks this too, when a membership that can receive results has none.
 */
export async function askResultConfiguration(current?: MembershipProtectedQueryResultConfiguration): Promise<MembershipProtectedQueryResultConfiguration | undefined> {
  const title = vscode.l10n.t('Default result configuration');
  const s3 = current?.outputConfiguration?.s3;
  const bucket = await askText(title, vscode.l10n.t('S3 bucket the results are written to (1/5)'), s3?.bucket, bucketProblem, 'my-clean-rooms-results');
  if (bucket === undefined) {
    return undefined;
  }
  const keyPrefix = await askText(title, vscode.l10n.t('Key prefix inside the bucket, e.g. results/ (optional) (2/5)'), s3?.keyPrefix, keyPrefixProblem);
  if (keyPrefix === undefined) {
    return undefined;
  }
  const formats: Array<vscode.QuickPickItem & { value: ResultFormat }> = [
    { label: 'CSV', description: s3?.resultFormat === 'CSV' ? vscode.l10n.t('current') : undefined, value: 'CSV' },
    { label: 'Parquet', description: s3?.resultFormat === 'PARQUET' ? vscode.l10n.t('current') : undefined, value: 'PARQUET' },
  ];
  const format = await vscode.window.showQuickPick(formats, { title, placeHolder: vscode.l10n.t('Result file format (3/5)') });
  if (!format) {
    return undefined;
  }
  const files: Array<vscode.QuickPickItem & { value: boolean }> = [
    { label: vscode.l10n.t('Several files'), description: s3?.singleFileOutput !== true ? vscode.l10n.t('current') : undefined, detail: vscode.l10n.t('Faster for large results'), value: false },
    { label: vscode.l10n.t('A single file'), description: s3?.singleFileOutput === true ? vscode.l10n.t('current') : undefined, detail: vscode.l10n.t('Spark analytics engine only'), value: true },
  ];
  const single = await vscode.window.showQuickPick(files, { title, placeHolder: vscode.l10n.t('One result file or several parts (4/5)') });
  if (!single) {
    return undefined;
  }
  const roleArn = await askText(
    title,
    vscode.l10n.t('IAM role Clean Rooms uses to write the results (optional) (5/5)'),
    current?.roleArn,
    optional(roleArnProblem),
    'arn:aws:iam::111122223333:role/CleanRoomsResults',
  );
  if (roleArn === undefined) {
    return undefined;
  }
  return {
    outputConfiguration: { s3: { bucket, ...(keyPrefix ? { keyPrefix } : {}), resultFormat: format.value, singleFileOutput: single.value } },
    ...(roleArn ? { roleArn } : {}),
  };
}

/** Asks for a default job result configuration (bucket, key prefix, role: required by the service). */
export async function askJobResultConfiguration(current?: MembershipProtectedJobResultConfiguration): Promise<MembershipProtectedJobResultConfiguration | undefined> {
  const title = vscode.l10n.t('Default job result configuration');
  const s3 = current?.outputConfiguration?.s3;
  const bucket = await askText(title, vscode.l10n.t('S3 bucket job results are written to (1/3)'), s3?.bucket, bucketProblem, 'my-clean-rooms-results');
  if (bucket === undefined) {
    return undefined;
  }
  const keyPrefix = await askText(title, vscode.l10n.t('Key prefix inside the bucket (optional) (2/3)'), s3?.keyPrefix, keyPrefixProblem);
  if (keyPrefix === undefined) {
    return undefined;
  }
  const roleArn = await askText(title, vscode.l10n.t('IAM role Clean Rooms uses to write job results (3/3)'), current?.roleArn, roleArnProblem, 'arn:aws:iam::111122223333:role/CleanRoomsResults');
  if (roleArn === undefined) {
    return undefined;
  }
  return { outputConfiguration: { s3: { bucket, ...(keyPrefix ? { keyPrefix } : {}) } }, roleArn };
}

/**
 * The modal confirmation before UpdateMembership: each field before -> after, and the request
 * body exactly as it will be sent. True only when the user chose "Update Membership".
 */
export async function confirmMembershipChange(membership: Membership, change: MembershipChange): Promise<boolean> {
  const confirm = vscode.l10n.t('Update Membership');
  const lines = describeChange(membership, change).map((c) => `${c.label}: ${c.before} → ${c.after}`);
  const detail = [...lines, '', vscode.l10n.t('UpdateMembership request body:'), requestBody(change)].join('\n');
  const name = shortText(membership.collaborationName || membership.id || '', 80);
  const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Change the settings of your membership in {0}?', name), { modal: true, detail }, confirm);
  return answer === confirm;
}

/**
 * Sends `change` with UpdateMembership and, when it is made, shows the membership as updated
 * in the tree and any open panel. Failures are said in a message (a conflict: try again after
 * a refresh; access denied: the permission to ask for). Resolves the updated membership.
 */
export async function sendMembershipChange(state: ExplorerState, target: MembershipTarget, change: MembershipChange): Promise<Membership | undefined> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Clean Rooms: updating membership {0}', target.membershipId) },
    () => state.service.updateMembership(target.request, target.membershipId, change),
  );
  if (!result.ok) {
    showFailure(vscode.l10n.t('Membership settings not changed'), result.failure);
    return undefined;
  }
  const { membership, fetchedAt } = result.value;
  state.panels.cache.remember(target.key, { membership, connection: result.connection, fetchedAt, requestId: result.requestId });
  if (state.store.find(target.key)) {
    state.store.recordFetched(target.key, membership, result.connection, fetchedAt);
  }
  void state.panels.memberships.get(target.key)?.refresh();
  vscode.window.setStatusBarMessage(vscode.l10n.t('Membership settings updated'), 4000);
  return membership;
}

/** One notification: what failed, why (errors.ts words: a conflict, access denied, ...) and what to do. */
function showFailure(what: string, failure: CleanRoomsFailure): void {
  void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}. {2}', what, failure.title, withoutCodeMarks(failure.nextStep)));
}
