import type { Membership, MembershipPaymentConfiguration } from '@aws-sdk/client-cleanrooms';
import { inspect, unexpectedAt, unexpectedEntries, type Conformed } from '../aws/conform';
import { t } from '../util/l10n';
import { safeJson, statusWords, visibleText, wireText } from '../util/text';
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
  // Not a field: the values the boundary set aside, shown under "Unexpected values".
  '$unexpected',
]);

function statusTone(status: string | undefined): 'ok' | 'warn' | 'bad' | 'neutral' {
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

/**
 * Reads the values a conformed record set aside (wrong JSON type), and remembers which ones a row
 * has shown, so the rest can be listed instead of dropped.
 */
class Aside {
  private readonly shown = new Set<string>();
  constructor(private readonly record: object) {}

  at(path: string): unknown {
    this.shown.add(path);
    return unexpectedAt(this.record, path);
  }

  rest(): ViewRow[] {
    return unexpectedEntries(this.record)
      .filter(([path]) => !this.shown.has(path))
      .map(([path, value]) => ({ label: visibleText(path), value: unexpected(path, value) }));
  }
}

/** A value of the wrong type, by its field path and JSON. */
function unexpected(path: string, value: unknown): ViewValue {
  return { kind: 'unknown', name: visibleText(path), json: visibleText(safeJson(value)) };
}

/** Text rows and badges can hold any value: a set-aside one shows there as its JSON text, and is not offered to copy. */
function text(value: string | undefined, aside: unknown, opts: { mono?: boolean; copy?: boolean; hint?: string } = {}): ViewValue {
  if (aside !== undefined) {
    return { kind: 'text', text: visibleText(wireText(aside)), mono: opts.mono, copy: undefined };
  }
  if (value === undefined) {
    return { kind: 'notSet', hint: opts.hint };
  }
  return { kind: 'text', text: visibleText(value), mono: opts.mono, copy: opts.copy ? value : undefined };
}

function time(value: Date | undefined, path: string, aside: unknown): ViewValue {
  if (aside !== undefined) {
    return unexpected(path, aside);
  }
  if (value === undefined || Number.isNaN(value.getTime())) {
    return { kind: 'notSet' };
  }
  return { kind: 'time', iso: value.toISOString() };
}

function badge(value: string | undefined, aside: unknown, tone: (value: string) => 'ok' | 'warn' | 'bad' | 'neutral' = statusTone): ViewValue {
  if (aside !== undefined) {
    return { kind: 'badge', text: visibleText(wireText(aside)), tone: 'neutral' };
  }
  return value === undefined ? { kind: 'notSet' } : { kind: 'badge', text: visibleText(statusWords(value)), tone: tone(value) };
}

function logStatus(value: string | undefined, aside: unknown): ViewValue {
  return badge(value, aside, (v) => (v === 'ENABLED' ? 'ok' : 'neutral'));
}

/** Enum lists: each entry in words. A set-aside list shows every entry as received, in order. */
function list(values: readonly string[] | undefined, aside: unknown): ViewValue {
  if (aside !== undefined) {
    const shown = inspect(aside);
    const entries = shown.type === 'list' ? shown.value : [aside];
    return {
      kind: 'list',
      items: entries.map((v) => {
        const entry = inspect(v);
        return visibleText(entry.type === 'string' ? statusWords(entry.value) : safeJson(v, 0));
      }),
    };
  }
  return values === undefined ? { kind: 'notSet' } : { kind: 'list', items: values.map((v) => visibleText(statusWords(v))) };
}

function bool(value: boolean | undefined, path: string, aside: unknown, yes?: string, no?: string): ViewValue {
  if (aside !== undefined) {
    return unexpected(path, aside);
  }
  return value === undefined ? { kind: 'notSet' } : { kind: 'bool', value, yes, no };
}

function unknownMember(entry: [string, unknown] | undefined): ViewValue {
  const [name, value] = entry ?? ['(unnamed)', undefined];
  return { kind: 'unknown', name: visibleText(String(name)), json: visibleText(safeJson(value)) };
}

/** The default result and job result configurations share an output (S3, or a newer kind) and a role. */
function resultConfigurationSection<S extends { readonly bucket?: string; readonly keyPrefix?: string }>(
  title: string,
  path: string,
  config: { readonly roleArn?: string; readonly outputConfiguration?: { readonly s3?: S; readonly $unknown?: [string, unknown] } } | undefined,
  aside: Aside,
  notSetHint: string,
  s3Extras: (s3: S, s3Path: string) => ViewRow[],
): ViewSection {
  const odd = aside.at(path);
  if (odd !== undefined) {
    return { title, rows: [{ label: t('Configuration'), value: unexpected(path, odd) }] };
  }
  if (!config) {
    return { title, rows: [{ label: t('Configuration'), value: { kind: 'notSet', hint: notSetHint } }] };
  }
  const outputPath = `${path}.outputConfiguration`;
  const s3Path = `${outputPath}.s3`;
  const output = config.outputConfiguration;
  const oddOutput = aside.at(outputPath) ?? aside.at(s3Path);
  const rows: ViewRow[] = [];
  if (oddOutput !== undefined) {
    rows.push({ label: t('Output'), value: unexpected(aside.at(outputPath) !== undefined ? outputPath : s3Path, oddOutput) });
  } else if (output?.s3) {
    rows.push(
      { label: t('Output'), value: { kind: 'text', text: t('Amazon S3') } },
      { label: t('Bucket'), value: text(output.s3.bucket, aside.at(`${s3Path}.bucket`), { mono: true, copy: true }) },
      { label: t('Key prefix'), value: text(output.s3.keyPrefix, aside.at(`${s3Path}.keyPrefix`), { mono: true, copy: true }) },
      ...s3Extras(output.s3, s3Path),
    );
  } else if (output?.$unknown) {
    rows.push({ label: t('Output'), value: unknownMember(output.$unknown) });
  } else {
    rows.push({ label: t('Output'), value: { kind: 'notSet' } });
  }
  rows.push({ label: t('Role ARN'), value: text(config.roleArn, aside.at(`${path}.roleArn`), { mono: true, copy: true }) });
  return { title, rows };
}

function resultSection(m: Membership, aside: Aside): ViewSection {
  return resultConfigurationSection(t('Default result configuration'), 'defaultResultConfiguration', m.defaultResultConfiguration, aside, t('Results are configured per query.'), (s3, s3Path) => [
    { label: t('Result format'), value: text(s3.resultFormat, aside.at(`${s3Path}.resultFormat`)) },
    { label: t('Single file output'), value: bool(s3.singleFileOutput, `${s3Path}.singleFileOutput`, aside.at(`${s3Path}.singleFileOutput`)) },
  ]);
}

function jobResultSection(m: Membership, aside: Aside): ViewSection {
  return resultConfigurationSection(t('Default job result configuration'), 'defaultJobResultConfiguration', m.defaultJobResultConfiguration, aside, t('Job results are configured per job.'), () => []);
}

function paymentSection(p: MembershipPaymentConfiguration | undefined, aside: Aside): ViewSection {
  const payer = (v: { isResponsible?: boolean } | undefined, path: string): ViewValue => {
    const oddPayer = aside.at(path);
    return oddPayer !== undefined ? unexpected(path, oddPayer) : bool(v?.isResponsible, `${path}.isResponsible`, aside.at(`${path}.isResponsible`), t('This member pays'), t('Another member pays'));
  };
  const ml = 'paymentConfiguration.machineLearning';
  return {
    title: t('Payment'),
    rows: [
      { label: t('Query compute'), value: payer(p?.queryCompute, 'paymentConfiguration.queryCompute') },
      { label: t('ML model training'), value: payer(p?.machineLearning?.modelTraining, `${ml}.modelTraining`) },
      { label: t('ML model inference'), value: payer(p?.machineLearning?.modelInference, `${ml}.modelInference`) },
      { label: t('Synthetic data generation'), value: payer(p?.machineLearning?.syntheticDataGeneration, `${ml}.syntheticDataGeneration`) },
      { label: t('Job compute'), value: payer(p?.jobCompute, 'paymentConfiguration.jobCompute') },
    ],
  };
}

/** A membership as conformed at the service boundary: values of the wrong type show where they belong, or under "Unexpected values". */
export function membershipViewModel(m: Conformed<Membership>): MembershipViewModel {
  const aside = new Aside(m);
  const oddMl = aside.at('mlMemberAbilities');
  const sections: ViewSection[] = [
    {
      title: t('Membership'),
      rows: [
        { label: t('Membership ID'), value: text(m.id, aside.at('id'), { mono: true, copy: true }) },
        { label: t('Membership ARN'), value: text(m.arn, aside.at('arn'), { mono: true, copy: true }) },
        { label: t('Status'), value: badge(m.status, aside.at('status')) },
        { label: t('Created'), value: time(m.createTime, 'createTime', aside.at('createTime')) },
        { label: t('Updated'), value: time(m.updateTime, 'updateTime', aside.at('updateTime')) },
        { label: t('Metrics enabled'), value: bool(m.isMetricsEnabled, 'isMetricsEnabled', aside.at('isMetricsEnabled')) },
      ],
    },
    {
      title: t('Collaboration'),
      rows: [
        { label: t('Name'), value: text(m.collaborationName, aside.at('collaborationName')) },
        { label: t('Collaboration ID'), value: text(m.collaborationId, aside.at('collaborationId'), { mono: true, copy: true }) },
        { label: t('Collaboration ARN'), value: text(m.collaborationArn, aside.at('collaborationArn'), { mono: true, copy: true }) },
        { label: t('Creator'), value: text(m.collaborationCreatorDisplayName, aside.at('collaborationCreatorDisplayName')) },
        { label: t('Creator account ID'), value: text(m.collaborationCreatorAccountId, aside.at('collaborationCreatorAccountId'), { mono: true, copy: true }) },
      ],
    },
    {
      title: t('Abilities'),
      rows: [
        { label: t('Member abilities'), value: list(m.memberAbilities, aside.at('memberAbilities')) },
        {
          label: t('ML member abilities'),
          value: oddMl !== undefined ? unexpected('mlMemberAbilities', oddMl) : list(m.mlMemberAbilities?.customMLMemberAbilities, aside.at('mlMemberAbilities.customMLMemberAbilities')),
        },
      ],
    },
    {
      title: t('Logging'),
      rows: [
        { label: t('Query logs'), value: logStatus(m.queryLogStatus, aside.at('queryLogStatus')) },
        { label: t('Job logs'), value: logStatus(m.jobLogStatus, aside.at('jobLogStatus')) },
      ],
    },
    resultSection(m, aside),
    jobResultSection(m, aside),
    paymentSection(m.paymentConfiguration, aside),
  ];
  // Values of the wrong type that no row above has a place for: listed, not dropped.
  const rest = aside.rest();
  if (rest.length > 0) {
    sections.push({ title: t('Unexpected values'), rows: rest });
  }
  // Fields a newer SDK may add: shown raw rather than dropped.
  const extra = Object.entries(m).filter(([k]) => !KNOWN_FIELDS.has(k));
  if (extra.length > 0) {
    sections.push({ title: t('Other fields'), rows: extra.map(([k, v]) => ({ label: visibleText(k), value: { kind: 'unknown', name: visibleText(k), json: visibleText(safeJson(v)) } })) });
  }
  return {
    title: visibleText(m.collaborationName || (m.id ?? 'Membership')),
    subtitle: visibleText(`Membership ${m.id ?? ''}`.trim()),
    id: m.id ?? '',
    arn: m.arn,
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

/** A field of a record shown generically: its kind comes from what the boundary found it to be. */
function genericValue(name: string, value: unknown): ViewValue {
  const v = inspect(value);
  switch (v.type) {
    case 'absent':
      return { kind: 'notSet' };
    case 'date':
      return time(v.value, name, undefined);
    case 'boolean':
      return { kind: 'bool', value: v.value };
    case 'number':
      return { kind: 'text', text: String(v.value) };
    case 'string': {
      const mono = /(^id$|Id$|arn|Arn$|accountId)/.test(name);
      if (name === 'status' || name.endsWith('Status')) {
        return badge(v.value, undefined);
      }
      return text(v.value, undefined, { mono, copy: mono });
    }
    case 'list': {
      const texts = v.value.map(inspect).flatMap((e) => (e.type === 'string' ? [e.value] : []));
      if (texts.length === v.value.length) {
        return { kind: 'list', items: texts.map((e) => visibleText(statusWords(e))) };
      }
      return { kind: 'json', json: visibleText(safeJson(value)) };
    }
    default:
      return { kind: 'json', json: visibleText(safeJson(value)) };
  }
}

/** A nested structure gets its own section; a union's unknown member stays a value shown as JSON. */
function structureOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
  const v = inspect(value);
  return v.type === 'object' && !('$unknown' in v.value) ? v.value : undefined;
}

function stringField(record: object, key: string): string | undefined {
  const v = inspect((record as Readonly<Record<string, unknown>>)[key]);
  return v.type === 'string' ? v.value : undefined;
}

/**
 * A view of any API record (collaboration, member, table association, template, query) in the
 * membership panel's style: top-level fields in one section, each nested object in its own, and
 * values the boundary set aside (wrong type) under "Unexpected values".
 */
export function recordViewModel(kind: string, title: string, record: object): MembershipViewModel {
  const entries = Object.entries(record).filter(([k]) => k !== '$metadata' && k !== '$unexpected');
  const top: ViewRow[] = entries.filter(([, v]) => !structureOf(v)).map(([k, v]) => ({ label: fieldLabel(k), value: genericValue(k, v) }));
  const nested: ViewSection[] = entries.flatMap(([k, v]) => {
    const fields = structureOf(v);
    return fields
      ? [{ title: fieldLabel(k), rows: Object.entries(fields).map(([nk, nv]): ViewRow => ({ label: fieldLabel(nk), value: structureOf(nv) ? { kind: 'json', json: visibleText(safeJson(nv)) } : genericValue(nk, nv) })) }]
      : [];
  });
  const odd = unexpectedEntries(record).map(([path, value]): ViewRow => ({ label: visibleText(path), value: unexpected(path, value) }));
  const id = stringField(record, 'id') ?? stringField(record, 'accountId') ?? '';
  return {
    title: visibleText(title),
    subtitle: `${kind}${id ? ` ${id}` : ''}`,
    id,
    arn: stringField(record, 'arn'),
    sections: [{ title: kind, rows: top }, ...nested, ...(odd.length > 0 ? [{ title: t('Unexpected values'), rows: odd }] : [])],
  };
}
