import type { Membership, MembershipProtectedJobResultConfiguration, MembershipProtectedQueryResultConfiguration } from '@aws-sdk/client-cleanrooms';
import type { MembershipChange } from '../aws/cleanRoomsService';
import { t } from '../util/l10n';
import { statusWords, wireText } from '../util/text';

/**
 * What Edit Membership Settings shows and checks, free of `vscode`: the rules a value must meet
 * (the service model's, so the user hears about a typo before anything is sent), each field's
 * current value in words, and the exact change (before -> after, and the request body).
 */

export type MembershipField = keyof MembershipChange;

export const MEMBERSHIP_FIELDS: readonly MembershipField[] = ['queryLogStatus', 'jobLogStatus', 'defaultResultConfiguration', 'defaultJobResultConfiguration'];

/** Fields only a member who can receive results may set (the service refuses them to others). */
export const RESULT_FIELDS: ReadonlySet<MembershipField> = new Set<MembershipField>(['defaultResultConfiguration', 'defaultJobResultConfiguration']);

export function fieldLabel(field: MembershipField): string {
  switch (field) {
    case 'queryLogStatus':
      return t('Query logging');
    case 'jobLogStatus':
      return t('Job logging');
    case 'defaultResultConfiguration':
      return t('Default result configuration');
    case 'defaultJobResultConfiguration':
      return t('Default job result configuration');
  }
}

/** Whether the member may receive results: default result configurations are theirs to set. */
export function canReceiveResults(membership: Pick<Membership, 'memberAbilities'>): boolean {
  return (membership.memberAbilities ?? []).includes('CAN_RECEIVE_RESULTS');
}

/** The fields this member may change (UpdateMembership refuses result settings to the others). */
export function editableFields(membership: Pick<Membership, 'memberAbilities'>): MembershipField[] {
  return MEMBERSHIP_FIELDS.filter((f) => !RESULT_FIELDS.has(f) || canReceiveResults(membership));
}

// S3 general purpose bucket names, as the Clean Rooms model checks them (3-63 characters,
// dot-separated labels of lowercase letters, digits and hyphens, not an IP address).
const BUCKET_LABELS = /^([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(\.([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))*$/;

/** Why `name` is not an S3 bucket name Clean Rooms accepts, or undefined when it is one. */
export function bucketProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return t('A bucket name has 3 to 63 characters.');
  }
  if (/[A-Z]/.test(name)) {
    return t('A bucket name has no capital letters.');
  }
  if (/^\d+(\.\d+)+$/.test(name)) {
    return t('A bucket name is not an IP address.');
  }
  if (!BUCKET_LABELS.test(name)) {
    return t('A bucket name has lowercase letters, digits, dots and hyphens, and starts and ends with a letter or digit (no "..", ".-" or "-.").');
  }
  return undefined;
}

/** Why `prefix` is not a key prefix Clean Rooms accepts (the model's `[\w!.=*\/-]*`, at most 512). */
export function keyPrefixProblem(prefix: string): string | undefined {
  if (prefix.length > 512) {
    return t('A key prefix has at most 512 characters.');
  }
  return /^[\w!.=*/-]*$/.test(prefix) ? undefined : t('A key prefix may have letters, digits and _ ! . = * / - only.');
}

/** Why `arn` is not an IAM role ARN, arn:aws:iam::<12 digits>:role/<name>. */
export function roleArnProblem(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn) && arn.length <= 512 ? undefined : t('Enter an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>.');
}

function s3Text(bucket: string | undefined, keyPrefix: string | undefined): string {
  return `s3://${bucket ?? '?'}/${keyPrefix ?? ''}`;
}

/** A default result configuration in one line: "s3://bucket/prefix · CSV · single file · role …". */
export function resultConfigurationText(c: MembershipProtectedQueryResultConfiguration | undefined): string {
  if (!c) {
    return t('Not set');
  }
  const s3 = c.outputConfiguration?.s3;
  if (!s3) {
    return t('Not set');
  }
  return [
    s3Text(s3.bucket, s3.keyPrefix),
    s3.resultFormat ?? '',
    s3.singleFileOutput === true ? t('single file') : s3.singleFileOutput === false ? t('several files') : '',
    c.roleArn ? t('role {0}', c.roleArn) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function jobResultConfigurationText(c: MembershipProtectedJobResultConfiguration | undefined): string {
  const s3 = c?.outputConfiguration?.s3;
  if (!c || !s3) {
    return t('Not set');
  }
  return [s3Text(s3.bucket, s3.keyPrefix), c.roleArn ? t('role {0}', c.roleArn) : ''].filter(Boolean).join(' · ');
}

/** A field's value in words, as the membership has it (`membership`) or as `change` would make it. */
export function fieldText(field: MembershipField, values: MembershipChange | Membership): string {
  switch (field) {
    case 'queryLogStatus':
    case 'jobLogStatus': {
      const value = values[field];
      return value === undefined ? t('Not set') : statusWords(wireText(value));
    }
    case 'defaultResultConfiguration':
      return resultConfigurationText(values.defaultResultConfiguration);
    case 'defaultJobResultConfiguration':
      return jobResultConfigurationText(values.defaultJobResultConfiguration);
  }
}

export interface FieldChange {
  readonly field: MembershipField;
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

/** Each field `change` sets, with its value before and after. */
export function describeChange(membership: Membership, change: MembershipChange): FieldChange[] {
  return MEMBERSHIP_FIELDS.filter((f) => change[f] !== undefined).map((field) => ({
    field,
    label: fieldLabel(field),
    before: fieldText(field, membership),
    after: fieldText(field, change),
  }));
}

/** The UpdateMembership body as sent: the change's fields (the membership ID goes in the path). */
export function requestBody(change: MembershipChange): string {
  return JSON.stringify(change, null, 2);
}

/** Whether `change` sets a field to the value it already has (nothing would change). */
export function changesNothing(membership: Membership, change: MembershipChange): boolean {
  return MEMBERSHIP_FIELDS.every((f) => change[f] === undefined || JSON.stringify(change[f]) === JSON.stringify(membership[f]));
}
