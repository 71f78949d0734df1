import type { Membership, MembershipPaymentConfiguration } from '@aws-sdk/client-cleanrooms';
import { t } from '../util/l10n';
import { humanize, safeJson, visibleText } from '../util/text';
import type { MembershipViewModel, ViewRow, ViewSection, ViewValue } from './protocol';

// The view-model types live with the webview protocol, which media/panel.js is checked against.
export type { MembershipViewModel, ViewRow, ViewSection, ViewValue } from './protocol';

const KNOWN_FIELDS = new Set([
  'id',
  'arn',
  'collaborationArn',
  'collaborationId',
  'collaborationCreatorAccountId',
  'collaborationCreatorDisplayName',
  'collaborationName',
  'createTime',
  'updateTime',
  'status',
  'memberAbilities',
  'mlMemberAbilities',
  'queryLogStatus',
  'jobLogStatus',
  'defaultResultConfiguration',
  'defaultJobResultConfiguration',
  'paymentConfiguration',
  'isMetricsEnabled',
]);

export function statusTone(status: string | undefined): 'ok' | 'warn' | 'bad' | 'neutral' {
  switch (status) {
    case 'ACTIVE':
      return 'ok';
    case 'REMOVED':
      return 'warn';
    case 'COLLABORATION_DELETED':
      return 'bad';
    default:
      return 'neutral';
  }
}

function text(value: string | undefined, opts: { mono?: boolean; copy?: boolean; hint?: string } = {}): ViewValue {
  if (value === undefined || value === null) {
    return { kind: 'notSet', hint: opts.hint };
  }
  return { kind: 'text', text: visibleText(value), mono: opts.mono, copy: opts.copy && typeof value === 'string' ? value : undefined };
}

function time(value: Date | undefined): ViewValue {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    return { kind: 'notSet' };
  }
  return { kind: 'time', iso: value.toISOString() };
}

function badge(value: string | undefined): ViewValue {
  return value === undefined ? { kind: 'notSet' } : { kind: 'badge', text: visibleText(value), tone: statusTone(value) };
}

function logStatus(value: string | undefined): ViewValue {
  return value === undefined ? { kind: 'notSet' } : { kind: 'badge', text: visibleText(value), tone: value === 'ENABLED' ? 'ok' : 'neutral' };
}

function list(values: readonly string[] | undefined): ViewValue {
  if (values === undefined || values === null) {
    return { kind: 'notSet' };
  }
  const items: readonly unknown[] = Array.isArray(values) ? values : [values];
  return { kind: 'list', items: items.map((v) => visibleText(typeof v === 'string' ? humanize(v) : safeJson(v, 0))) };
}

function bool(value: boolean | undefined, yes?: string, no?: string): ViewValue {
  return typeof value === 'boolean' ? { kind: 'bool', value, yes, no } : { kind: 'notSet' };
}

function unknownMember(entry: [string, unknown] | undefined): ViewValue {
  const [name, value] = entry ?? ['(unnamed)', undefined];
  return { kind: 'unknown', name: visibleText(String(name)), json: visibleText(safeJson(value)) };
}

/** The default result and job result configurations share an output (S3, or a newer kind) and a role. */
function resultConfigurationSection<S extends { readonly bucket?: string; readonly keyPrefix?: string }>(
  title: string,
  config: { readonly roleArn?: string; readonly outputConfiguration?: { readonly s3?: S; readonly $unknown?: [string, unknown] } } | undefined,
  notSetHint: string,
  s3Extras: (s3: S) => ViewRow[],
): ViewSection {
  if (!config) {
    return { title, rows: [{ label: t('Configuration'), value: { kind: 'notSet', hint: notSetHint } }] };
  }
  const output = config.outputConfiguration;
  const rows: ViewRow[] = [];
  if (output?.s3) {
    rows.push(
      { label: t('Output'), value: { kind: 'text', text: t('Amazon S3') } },
      { label: t('Bucket'), value: text(output.s3.bucket, { mono: true, copy: true }) },
      { label: t('Key prefix'), value: text(output.s3.keyPrefix, { mono: true, copy: true }) },
      ...s3Extras(output.s3),
    );
  } else if (output?.$unknown) {
    rows.push({ label: t('Output'), value: unknownMember(output.$unknown) });
  } else {
    rows.push({ label: t('Output'), value: { kind: 'notSet' } });
  }
  rows.push({ label: t('Role ARN'), value: text(config.roleArn, { mono: true, copy: true }) });
  return { title, rows };
}

function resultSection(m: Membership): ViewSection {
  return resultConfigurationSection(t('Default result configuration'), m.defaultResultConfiguration, t('Results are configured per query.'), (s3) => [
    { label: t('Result format'), value: text(s3.resultFormat) },
    { label: t('Single file output'), value: bool(s3.singleFileOutput) },
  ]);
}

function jobResultSection(m: Membership): ViewSection {
  return resultConfigurationSection(t('Default job result configuration'), m.defaultJobResultConfiguration, t('Job results are configured per job.'), () => []);
}

function paymentSection(p: MembershipPaymentConfiguration | undefined): ViewSection {
  const payer = (v: { isResponsible?: boolean } | undefined): ViewValue => bool(v?.isResponsible, t('This member pays'), t('Another member pays'));
  return {
    title: t('Payment'),
    rows: [
      { label: t('Query compute'), value: payer(p?.queryCompute) },
      { label: t('ML model training'), value: payer(p?.machineLearning?.modelTraining) },
      { label: t('ML model inference'), value: payer(p?.machineLearning?.modelInference) },
      { label: t('Synthetic data generation'), value: payer(p?.machineLearning?.syntheticDataGeneration) },
      { label: t('Job compute'), value: payer(p?.jobCompute) },
    ],
  };
}

export function membershipViewModel(m: Membership): MembershipViewModel {
  const sections: ViewSection[] = [
    {
      title: t('Membership'),
      rows: [
        { label: t('Membership ID'), value: text(m.id, { mono: true, copy: true }) },
        { label: t('Membership ARN'), value: text(m.arn, { mono: true, copy: true }) },
        { label: t('Status'), value: badge(m.status) },
        { label: t('Created'), value: time(m.createTime) },
        { label: t('Updated'), value: time(m.updateTime) },
        { label: t('Metrics enabled'), value: bool(m.isMetricsEnabled) },
      ],
    },
    {
      title: t('Collaboration'),
      rows: [
        { label: t('Name'), value: text(m.collaborationName) },
        { label: t('Collaboration ID'), value: text(m.collaborationId, { mono: true, copy: true }) },
        { label: t('Collaboration ARN'), value: text(m.collaborationArn, { mono: true, copy: true }) },
        { label: t('Creator'), value: text(m.collaborationCreatorDisplayName) },
        { label: t('Creator account ID'), value: text(m.collaborationCreatorAccountId, { mono: true, copy: true }) },
      ],
    },
    {
      title: t('Abilities'),
      rows: [
        { label: t('Member abilities'), value: list(m.memberAbilities) },
        { label: t('ML member abilities'), value: list(m.mlMemberAbilities?.customMLMemberAbilities) },
      ],
    },
    {
      title: t('Logging'),
      rows: [
        { label: t('Query logs'), value: logStatus(m.queryLogStatus) },
        { label: t('Job logs'), value: logStatus(m.jobLogStatus) },
      ],
    },
    resultSection(m),
    jobResultSection(m),
    paymentSection(m.paymentConfiguration),
  ];
  // Fields a newer SDK may add: shown raw rather than dropped.
  const extra = Object.entries(m).filter(([k]) => !KNOWN_FIELDS.has(k));
  if (extra.length > 0) {
    sections.push({ title: t('Other fields'), rows: extra.map(([k, v]) => ({ label: visibleText(k), value: { kind: 'unknown', name: visibleText(k), json: visibleText(safeJson(v)) } })) });
  }
  return {
    title: visibleText(typeof m.collaborationName === 'string' && m.collaborationName !== '' ? m.collaborationName : typeof m.id === 'string' ? m.id : 'Membership'),
    subtitle: visibleText(`Membership ${m.id ?? ''}`.trim()),
    id: typeof m.id === 'string' ? m.id : '',
    arn: typeof m.arn === 'string' ? m.arn : undefined,
    sections,
  };
}

/** The JSON shown by "Open Raw JSON": the SDK's parsed response, dates as ISO strings. */
export function membershipJson(m: Membership, requestId?: string): string {
  return safeJson({ membership: m, ...(requestId ? { $metadata: { requestId } } : {}) });
}

/** "createTime" -> "Create time", "accountId" -> "Account ID". */
export function fieldLabel(name: string): string {
  const acronyms = new Map([
    ['id', 'ID'],
    ['arn', 'ARN'],
    ['ml', 'ML'],
    ['s3', 'S3'],
  ]);
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/\s+/);
  const label = words
    .map((w, i) => {
      const lower = w.toLowerCase();
      return acronyms.get(lower) ?? (i === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower);
    })
    .join(' ');
  return visibleText(label);
}

function genericValue(name: string, value: unknown): ViewValue {
  if (value === undefined || value === null) {
    return { kind: 'notSet' };
  }
  if (value instanceof Date) {
    return time(value);
  }
  if (typeof value === 'boolean') {
    return { kind: 'bool', value };
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return { kind: 'text', text: String(value) };
  }
  if (typeof value === 'string') {
    const mono = /(^id$|Id$|arn|Arn$|accountId)/.test(name);
    if (name === 'status' || name.endsWith('Status')) {
      return badge(value);
    }
    return text(value, { mono, copy: mono });
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return { kind: 'list', items: (value as string[]).map((v) => visibleText(/^[A-Z0-9_]+$/.test(v) ? humanize(v) : v)) };
  }
  return { kind: 'json', json: visibleText(safeJson(value)) };
}

/**
 * A view of any API record (collaboration, member, table association, template, query) in the
 * membership panel's style: top-level fields in one section, each nested object in its own.
 */
export function recordViewModel(kind: string, title: string, record: object): MembershipViewModel {
  const entries = Object.entries(record).filter(([k]) => k !== '$metadata');
  const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !('$unknown' in v);
  const top: ViewRow[] = entries.filter(([, v]) => !isPlainObject(v)).map(([k, v]) => ({ label: fieldLabel(k), value: genericValue(k, v) }));
  const nested: ViewSection[] = entries
    .filter((e): e is [string, Record<string, unknown>] => isPlainObject(e[1]))
    .map(([k, v]) => ({
      title: fieldLabel(k),
      rows: Object.entries(v).map(([nk, nv]) => ({ label: fieldLabel(nk), value: isPlainObject(nv) ? { kind: 'json', json: visibleText(safeJson(nv)) } : genericValue(nk, nv) })),
    }));
  const r = record as { id?: unknown; arn?: unknown; accountId?: unknown };
  const id = typeof r.id === 'string' ? r.id : typeof r.accountId === 'string' ? r.accountId : '';
  return {
    title: visibleText(title),
    subtitle: `${kind}${id ? ` ${id}` : ''}`,
    id,
    arn: typeof r.arn === 'string' ? r.arn : undefined,
    sections: [{ title: kind, rows: top }, ...nested],
  };
}
