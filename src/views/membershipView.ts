import type { Membership, MembershipPaymentConfiguration } from '@aws-sdk/client-cleanrooms';
import { inspect, unexpectedAt, unexpectedEntries, type Conformed } from '../aws/conform';
import { t } from '../util/l10n';
import { safeJson, statusWords, visibleText, wireText } from '../util/text';
import type { MembershipViewModel, Tone, ViewRow, ViewSection, ViewValue } from './protocol';

// The view-model types live with the webview protocol, which media/panel.js is checked against.
export type { MembershipViewModel, Tone, ViewRow, ViewSection, ViewValue } from './protocol';

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

/** Status words of every Clean Rooms resource (memberships, members, protected queries, jobs) by how they read. */
const STATUS_TONES: ReadonlyMap<string, Tone> = new Map<string, Tone>([
  ['ACTIVE', 'ok'],
  ['SUCCESS', 'ok'],
  ['SUCCEEDED', 'ok'],
  ['COMPLETED', 'ok'],
  ['FAILED', 'bad'],
  ['ERROR', 'bad'],
  ['COLLABORATION_DELETED', 'bad'],
  ['CANCELLED', 'warn'],
  ['TIMED_OUT', 'warn'],
  ['REMOVED', 'warn'],
  ['LEFT', 'warn'],
  ['SUBMITTED', 'info'],
  ['STARTED', 'info'],
  ['RUNNING', 'info'],
  ['PENDING', 'info'],
  ['IN_PROGRESS', 'info'],
  ['CANCELLING', 'info'],
  ['INVITED', 'info'],
]);

export function statusTone(status: string | undefined): Tone {
  return (status !== undefined && STATUS_TONES.get(status)) || 'neutral';
}

/**
 * Reads the values a conformed record set aside (wrong JSON type), and remembers which ones a row
 * has shown, so the rest can be listed instead of dropped.
 */
export class Aside {
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
export function unexpected(path: string, value: unknown): ViewValue {
  return { kind: 'unknown', name: visibleText(path), json: visibleText(safeJson(value)) };
}

/** Text rows and badges can hold any value: a set-aside one shows there as its JSON text, and is not offered to copy. */
export function text(value: string | undefined, aside: unknown, opts: { mono?: boolean; copy?: boolean; hint?: string } = {}): ViewValue {
  if (aside !== undefined) {
    return { kind: 'text', text: visibleText(wireText(aside)), mono: opts.mono, copy: undefined };
  }
  if (value === undefined) {
    return { kind: 'notSet', hint: opts.hint };
  }
  return { kind: 'text', text: visibleText(value), mono: opts.mono, copy: opts.copy ? value : undefined };
}

export function time(value: Date | undefined, path: string, aside: unknown): ViewValue {
  if (aside !== undefined) {
    return unexpected(path, aside);
  }
  if (value === undefined || Number.isNaN(value.getTime())) {
    return { kind: 'notSet' };
  }
  return { kind: 'time', iso: value.toISOString() };
}

export function badge(value: string | undefined, aside: unknown, tone: (value: string) => Tone = statusTone): ViewValue {
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

export function bool(value: boolean | undefined, path: string, aside: unknown, yes?: string, no?: string): ViewValue {
  if (aside !== undefined) {
    return unexpected(path, aside);
  }
  return value === undefined ? { kind: 'notSet' } : { kind: 'bool', value, yes, no };
}

export function unknownMember(entry: [string, unknown] | undefined): ViewValue {
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
    ['ids', 'IDs'],
    ['arn', 'ARN'],
    ['arns', 'ARNs'],
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

/** Below this many levels a nested value is shown as fields; deeper ones only as JSON. */
const MAX_FIELD_DEPTH = 4;
/** A longer list of objects is shown as JSON: dozens of little groups help nobody. */
const MAX_RECORD_ITEMS = 25;

/** A plain nested object, not a union's unknown member (which stays a value shown as JSON). */
function structureOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
  const v = inspect(value);
  return v.type === 'object' && !('$unknown' in v.value) ? v.value : undefined;
}

/** A list whose every entry is a plain nested object. */
function structureListOf(value: unknown): ReadonlyArray<Readonly<Record<string, unknown>>> | undefined {
  const v = inspect(value);
  if (v.type !== 'list' || v.value.length === 0) return undefined;
  const items = v.value.map(structureOf);
  return items.every((x) => x !== undefined) ? items : undefined;
}

/** Whether a structure holds structures itself: then its JSON is offered besides its fields. */
function isDeep(fields: Readonly<Record<string, unknown>>): boolean {
  return Object.values(fields).some((v) => {
    const x = inspect(v);
    return x.type === 'object' || (x.type === 'list' && x.value.some((e) => inspect(e).type !== 'string'));
  });
}

/**
 * Where a field goes: what the record is called and its state first, then what it is about, the
 * rest, its times, and identifiers (IDs, then ARNs) last: they are long and mostly for copying.
 */
export function fieldRank(name: string, value: unknown): number {
  if (/^(name|displayName|title)$/.test(name)) return 0;
  if (name === 'status') return 1;
  if (name === 'description') return 2;
  if (/(^arn|Arns?)$/.test(name)) return 6;
  if (/(^id|Ids?|Identifiers?)$/.test(name)) return 5;
  if (inspect(value).type === 'date' || /Time$/.test(name)) return 4;
  return 3;
}

function isIdentifier(name: string, value: unknown): boolean {
  return fieldRank(name, value) >= 5;
}

/** Entries in reading order (stable within a rank, so the API's own order breaks ties). */
function ordered(fields: Readonly<Record<string, unknown>>): Array<[string, unknown]> {
  return Object.entries(fields)
    .filter(([k]) => k !== '$metadata' && k !== '$unexpected')
    .map((entry, i) => ({ entry, rank: fieldRank(entry[0], entry[1]), i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ entry }) => entry);
}

/** `sectionRows`: the rows of a section, whose deep values offer their JSON (once: not again inside them). */
function fieldRows(fields: Readonly<Record<string, unknown>>, depth: number, sectionRows = false): ViewRow[] {
  return ordered(fields).map(([k, v]) => ({ label: fieldLabel(k), value: genericValue(k, v, depth, sectionRows) }));
}

/** What an entry of a list of objects is called: its own name or ID when it has one. */
function itemTitle(fields: Readonly<Record<string, unknown>>, index: number): string {
  for (const key of ['name', 'displayName', 'title', 'id', 'accountId']) {
    const v = stringField(fields, key);
    if (v) return visibleText(v);
  }
  return t('Item {0}', String(index + 1));
}

/** A field of a record shown generically: its kind comes from what the boundary found it to be. */
export function genericValue(name: string, value: unknown, depth: number, offerJson: boolean): ViewValue {
  const v = inspect(value);
  const json = (): ViewValue => ({ kind: 'json', json: visibleText(safeJson(value)) });
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
      // Enumerations (analysisType, resultFormat, analyticsEngine…) read as words, like statuses;
      // free text such as names is left exactly as the other party wrote it.
      if (!mono && /(Type|Format|Engine|Mode)$/.test(name)) {
        return text(statusWords(v.value), undefined, {});
      }
      return text(v.value, undefined, { mono, copy: mono });
    }
    case 'list': {
      const texts = v.value.map(inspect).flatMap((e) => (e.type === 'string' ? [e.value] : []));
      if (texts.length === v.value.length) {
        return { kind: 'list', items: texts.map((e) => visibleText(statusWords(e))) };
      }
      const items = structureListOf(value);
      if (!items || depth >= MAX_FIELD_DEPTH || items.length > MAX_RECORD_ITEMS) return json();
      return {
        kind: 'records',
        items: items.map((item, i) => ({ title: itemTitle(item, i), rows: fieldRows(item, depth + 1) })),
        json: offerJson && items.some(isDeep) ? visibleText(safeJson(value)) : undefined,
      };
    }
    case 'object': {
      const fields = structureOf(value);
      if (!fields || depth >= MAX_FIELD_DEPTH) return json();
      return { kind: 'fields', rows: fieldRows(fields, depth + 1), json: offerJson && isDeep(fields) ? visibleText(safeJson(value)) : undefined };
    }
    default:
      return json();
  }
}

function stringField(record: object, key: string): string | undefined {
  const v = inspect((record as Readonly<Record<string, unknown>>)[key]);
  return v.type === 'string' ? v.value : undefined;
}

/**
 * A view of any API record (collaboration, member, table association, template, query) in the
 * membership panel's style, in reading order: the record's name, status, description and other
 * facts first (its own section), each nested object in a section of its own, IDs and ARNs in an
 * "Identifiers" section at the end, and values the boundary set aside (wrong type) under
 * "Unexpected values".
 */
export function recordViewModel(kind: string, title: string, record: object): MembershipViewModel {
  const entries = ordered(record as Readonly<Record<string, unknown>>);
  const row = ([k, v]: [string, unknown]): ViewRow => ({ label: fieldLabel(k), value: genericValue(k, v, 1, true) });
  const top = entries.filter(([k, v]) => !structureOf(v) && !isIdentifier(k, v)).map(row);
  const nested: ViewSection[] = entries.flatMap(([k, v]) => {
    const fields = structureOf(v);
    return fields ? [{ title: fieldLabel(k), rows: fieldRows(fields, 2, true) }] : [];
  });
  const identifiers = entries.filter(([k, v]) => !structureOf(v) && isIdentifier(k, v)).map(row);
  const odd = unexpectedEntries(record).map(([path, value]): ViewRow => ({ label: visibleText(path), value: unexpected(path, value) }));
  const id = stringField(record, 'id') ?? stringField(record, 'accountId') ?? '';
  return {
    title: visibleText(title),
    subtitle: `${kind}${id ? ` ${id}` : ''}`,
    id,
    arn: stringField(record, 'arn'),
    sections: [
      { title: kind, rows: top },
      ...nested,
      ...(identifiers.length > 0 ? [{ title: t('Identifiers'), rows: identifiers }] : []),
      ...(odd.length > 0 ? [{ title: t('Unexpected values'), rows: odd }] : []),
    ],
  };
}
