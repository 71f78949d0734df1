import type { ProtectedQueryOutputConfiguration, ProtectedQueryS3OutputConfiguration } from '@aws-sdk/client-cleanrooms';
import type { TrackedQuery } from '../model/queryTracker';
import { t } from '../util/l10n';
import { safeJson, visibleText } from '../util/text';
import { Aside, badge, bool, genericValue, text, time, unexpected, unknownMember } from './membershipView';
import type { QueryViewModel, Tone, ViewRow, ViewSection, ViewValue } from './protocol';

export type { QueryViewModel } from './protocol';

const KNOWN_FIELDS = new Set([
  'id',
  'membershipId',
  'membershipArn',
  'createTime',
  'sqlParameters',
  'status',
  'resultConfiguration',
  'statistics',
  'result',
  'error',
  'differentialPrivacy',
  'computeConfiguration',
  '$unexpected',
]);

const QUERY_TONES: ReadonlyMap<string, Tone> = new Map<string, Tone>([
  ['SUCCESS', 'ok'],
  ['FAILED', 'bad'],
  ['TIMED_OUT', 'bad'],
  ['CANCELLED', 'warn'],
  ['CANCELLING', 'warn'],
  ['SUBMITTED', 'info'],
  ['STARTED', 'info'],
]);

/** How a protected query's status reads: ended well, ended badly, stopped by someone, under way. */
export function queryStatusTone(status: string | undefined): Tone {
  return (status !== undefined && QUERY_TONES.get(status)) || 'neutral';
}

/** What the view knows besides the record: names to show for account IDs and the collaboration. */
export interface QueryViewContext {
  readonly collaborationName?: string;
  /** Member display names by account ID (ListMembers). */
  readonly memberNames?: ReadonlyMap<string, string>;
}

/** "850 ms", "42 s", "1 min 34 s", "2 h 3 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return String(ms);
  }
  if (ms < 1000) {
    return t('{0} ms', Math.round(ms));
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return t('{0} s', s);
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return s % 60 ? t('{0} min {1} s', m, s % 60) : t('{0} min', m);
  }
  const h = Math.floor(m / 60);
  return m % 60 ? t('{0} h {1} min', h, m % 60) : t('{0} h', h);
}

/** "Name (123456789012)", or the account ID alone when its name is not known. */
export function accountLabel(accountId: string, names?: ReadonlyMap<string, string>): string {
  const name = names?.get(accountId);
  return visibleText(name ? `${name} (${accountId})` : accountId);
}

/** The accounts a result was delivered to (memberList, directly or in a distribute output). */
export function receiverAccounts(q: TrackedQuery): string[] {
  const output = q.result?.output;
  const list = output?.memberList ?? output?.distribute?.memberList ?? [];
  return list.flatMap((m) => (m.accountId ? [m.accountId] : []));
}

/** Where the rows are: `result.output.s3.location` (also inside a distribute output). */
export function resultLocation(q: TrackedQuery): string | undefined {
  const output = q.result?.output;
  return output?.s3?.location ?? output?.distribute?.s3?.location;
}

/** SUBMITTED, STARTED, CANCELLING: the record still changes. */
export function isRunning(q: Pick<TrackedQuery, 'status'>): boolean {
  return q.status === 'SUBMITTED' || q.status === 'STARTED' || q.status === 'CANCELLING';
}

function number(value: number | undefined, path: string, aside: Aside, format: (n: number) => string = String, hint?: string): ViewValue {
  const odd = aside.at(path);
  if (odd !== undefined) {
    return unexpected(path, odd);
  }
  return value === undefined ? { kind: 'notSet', hint } : { kind: 'text', text: format(value) };
}

function querySection(q: TrackedQuery, aside: Aside): ViewSection {
  const running = isRunning(q);
  return {
    title: t('Protected query'),
    rows: [
      { label: t('Status'), value: badge(q.status, aside.at('status'), queryStatusTone) },
      { label: t('Submitted'), value: time(q.createTime, 'createTime', aside.at('createTime')) },
      {
        label: t('Duration'),
        value: number(q.statistics?.totalDurationInMillis, 'statistics.totalDurationInMillis', aside, formatDuration, running ? t('Shown when the query ends') : undefined),
      },
      {
        label: t('CRPU-hours billed'),
        value: number(q.statistics?.billedResourceUtilization?.units, 'statistics.billedResourceUtilization.units', aside, String, running ? t('Shown when the query ends') : undefined),
      },
    ],
  };
}

/** IDs and ARNs last, as in every panel: long, and mostly for copying. */
function identifiersSection(q: TrackedQuery, aside: Aside): ViewSection {
  return {
    title: t('Identifiers'),
    rows: [
      { label: t('Query ID'), value: text(q.id, aside.at('id'), { mono: true, copy: true }) },
      { label: t('Membership ID'), value: text(q.membershipId, aside.at('membershipId'), { mono: true, copy: true }) },
      { label: t('Membership ARN'), value: text(q.membershipArn, aside.at('membershipArn'), { mono: true, copy: true }) },
    ],
  };
}

function sqlSection(q: TrackedQuery, aside: Aside): ViewSection {
  const odd = aside.at('sqlParameters');
  if (odd !== undefined) {
    return { title: t('Query'), rows: [{ label: t('SQL parameters'), value: unexpected('sqlParameters', odd) }] };
  }
  const p = q.sqlParameters;
  const rows: ViewRow[] = [];
  if (p?.queryString !== undefined || aside.at('sqlParameters.queryString') !== undefined) {
    rows.push({ label: t('SQL'), value: text(p?.queryString, aside.at('sqlParameters.queryString'), { mono: true, copy: true }) });
  }
  if (p?.analysisTemplateArn !== undefined || aside.at('sqlParameters.analysisTemplateArn') !== undefined) {
    rows.push({ label: t('Analysis template'), value: text(p?.analysisTemplateArn, aside.at('sqlParameters.analysisTemplateArn'), { mono: true, copy: true }) });
  }
  const oddParams = aside.at('sqlParameters.parameters');
  if (oddParams !== undefined) {
    rows.push({ label: t('Parameters'), value: unexpected('sqlParameters.parameters', oddParams) });
  } else if (p?.parameters !== undefined) {
    const entries = Object.entries(p.parameters);
    rows.push({
      label: t('Parameters'),
      value: entries.length === 0 ? { kind: 'notSet' } : { kind: 'fields', rows: entries.map(([name, value]) => ({ label: visibleText(name), value: text(value, undefined, { mono: true, copy: true }) })) },
    });
  }
  if (rows.length === 0) {
    rows.push({ label: t('SQL'), value: { kind: 'notSet', hint: t('The record carries no query text.') } });
  }
  return { title: t('Query'), rows };
}

function errorSection(q: TrackedQuery, aside: Aside): ViewSection | undefined {
  const odd = aside.at('error');
  if (odd !== undefined) {
    return { title: t('Error'), rows: [{ label: t('Error'), value: unexpected('error', odd) }] };
  }
  if (!q.error && q.status !== 'FAILED') {
    return undefined;
  }
  return {
    title: t('Error'),
    rows: [
      { label: t('Code'), value: text(q.error?.code, aside.at('error.code'), { mono: true, copy: true }) },
      { label: t('Message'), value: text(q.error?.message, aside.at('error.message'), { hint: t('The service gave no reason.') }) },
    ],
  };
}

function computeSection(q: TrackedQuery, aside: Aside): ViewSection {
  const title = t('Compute');
  const odd = aside.at('computeConfiguration') ?? aside.at('computeConfiguration.worker');
  if (odd !== undefined) {
    return { title, rows: [{ label: t('Compute'), value: unexpected(aside.at('computeConfiguration') !== undefined ? 'computeConfiguration' : 'computeConfiguration.worker', odd) }] };
  }
  const c = q.computeConfiguration;
  if (c?.$unknown) {
    return { title, rows: [{ label: t('Compute'), value: unknownMember(c.$unknown) }] };
  }
  const w = c?.worker;
  if (!w) {
    return { title, rows: [{ label: t('Workers'), value: { kind: 'notSet', hint: t("The service's default") } }] };
  }
  const rows: ViewRow[] = [
    { label: t('Worker type'), value: text(w.type, aside.at('computeConfiguration.worker.type'), { mono: true }) },
    { label: t('Number of workers'), value: number(w.number, 'computeConfiguration.worker.number', aside) },
  ];
  const oddProps = aside.at('computeConfiguration.worker.properties');
  if (oddProps !== undefined) {
    rows.push({ label: t('Properties'), value: unexpected('computeConfiguration.worker.properties', oddProps) });
  } else if (w.properties) {
    rows.push({ label: t('Properties'), value: genericValue('properties', w.properties, 2, true) });
  }
  return { title, rows };
}

function s3OutputRows(s3: ProtectedQueryS3OutputConfiguration, path: string, aside: Aside): ViewRow[] {
  return [
    { label: t('Output'), value: { kind: 'text', text: t('Amazon S3') } },
    { label: t('Result format'), value: text(s3.resultFormat, aside.at(`${path}.resultFormat`)) },
    { label: t('Bucket'), value: text(s3.bucket, aside.at(`${path}.bucket`), { mono: true, copy: true }) },
    { label: t('Key prefix'), value: text(s3.keyPrefix, aside.at(`${path}.keyPrefix`), { mono: true, copy: true }) },
    { label: t('Single file output'), value: bool(s3.singleFileOutput, `${path}.singleFileOutput`, aside.at(`${path}.singleFileOutput`)) },
  ];
}

function destinationSection(q: TrackedQuery, aside: Aside, context: QueryViewContext): ViewSection {
  const title = t('Destination');
  const path = 'resultConfiguration.outputConfiguration';
  const odd = aside.at('resultConfiguration') ?? aside.at(path);
  if (odd !== undefined) {
    return { title, rows: [{ label: t('Output'), value: unexpected(aside.at('resultConfiguration') !== undefined ? 'resultConfiguration' : path, odd) }] };
  }
  const output: ProtectedQueryOutputConfiguration | undefined = q.resultConfiguration?.outputConfiguration;
  if (!output) {
    return { title, rows: [{ label: t('Output'), value: { kind: 'notSet', hint: t("The membership's default result configuration") } }] };
  }
  if (output.s3) {
    return { title, rows: s3OutputRows(output.s3, `${path}.s3`, aside) };
  }
  if (output.member) {
    const id = output.member.accountId;
    const oddId = aside.at(`${path}.member.accountId`);
    return {
      title,
      rows: [
        { label: t('Output'), value: { kind: 'text', text: t('A member of the collaboration') } },
        { label: t('Member'), value: oddId !== undefined || id === undefined ? text(id, oddId) : { kind: 'text', text: accountLabel(id, context.memberNames), mono: true, copy: id } },
      ],
    };
  }
  if (output.distribute) {
    const locations = output.distribute.locations ?? [];
    return {
      title,
      rows: [
        { label: t('Output'), value: { kind: 'text', text: t('Distributed') } },
        {
          label: t('Locations'),
          value: {
            kind: 'records',
            items: locations.map((l, i) => {
              const at = `${path}.distribute.locations.${i}`;
              if (l.s3) return { title: t('Amazon S3'), rows: s3OutputRows(l.s3, `${at}.s3`, aside) };
              if (l.member?.accountId) return { title: t('Member'), rows: [{ label: t('Member'), value: { kind: 'text', text: accountLabel(l.member.accountId, context.memberNames), mono: true, copy: l.member.accountId } }] };
              return { title: t('Location {0}', i + 1), rows: [{ label: t('Output'), value: unknownMember(l.$unknown) }] };
            }),
            json: visibleText(safeJson(locations)),
          },
        },
      ],
    };
  }
  return { title, rows: [{ label: t('Output'), value: unknownMember(output.$unknown) }] };
}

function resultSection(q: TrackedQuery, aside: Aside, context: QueryViewContext): ViewSection | undefined {
  const odd = aside.at('result') ?? aside.at('result.output');
  if (odd !== undefined) {
    return { title: t('Result'), rows: [{ label: t('Result'), value: unexpected(aside.at('result') !== undefined ? 'result' : 'result.output', odd) }] };
  }
  const output = q.result?.output;
  if (!output) {
    return undefined;
  }
  const rows: ViewRow[] = [];
  const location = resultLocation(q);
  if (location !== undefined) {
    rows.push({ label: t('Location'), value: text(location, undefined, { mono: true, copy: true }) });
  }
  const receivers = receiverAccounts(q);
  if (receivers.length > 0) {
    rows.push({ label: t('Delivered to'), value: { kind: 'list', items: receivers.map((a) => accountLabel(a, context.memberNames)) } });
  }
  if (output.$unknown) {
    rows.push({ label: t('Output'), value: unknownMember(output.$unknown) });
  }
  return rows.length > 0 ? { title: t('Result'), rows } : undefined;
}

function privacySection(q: TrackedQuery, aside: Aside): ViewSection | undefined {
  const odd = aside.at('differentialPrivacy');
  if (odd !== undefined) {
    return { title: t('Differential privacy'), rows: [{ label: t('Parameters'), value: unexpected('differentialPrivacy', odd) }] };
  }
  const dp = q.differentialPrivacy;
  if (!dp) {
    return undefined;
  }
  return { title: t('Differential privacy'), rows: [{ label: t('Sensitivity parameters'), value: genericValue('sensitivityParameters', dp.sensitivityParameters, 2, true) }] };
}

/**
 * A protected query as GetProtectedQuery returned it (conformed at the service boundary): its SQL
 * or template, status, times, cost, compute, destination, result and error. Values of the wrong
 * type show where they belong, or under "Unexpected values"; fields a newer API adds under "Other fields".
 */
export function queryViewModel(q: TrackedQuery, context: QueryViewContext = {}): QueryViewModel {
  const aside = new Aside(q);
  const sections: ViewSection[] = [
    querySection(q, aside),
    ...[errorSection(q, aside)].filter((s): s is ViewSection => s !== undefined),
    sqlSection(q, aside),
    ...[resultSection(q, aside, context)].filter((s): s is ViewSection => s !== undefined),
    destinationSection(q, aside, context),
    computeSection(q, aside),
    ...[privacySection(q, aside)].filter((s): s is ViewSection => s !== undefined),
    identifiersSection(q, aside),
  ];
  // Values of the wrong type that no row above has a place for: listed, not dropped.
  const rest = aside.rest();
  if (rest.length > 0) {
    sections.push({ title: t('Unexpected values'), rows: rest });
  }
  const extra = Object.entries(q).filter(([k]) => !KNOWN_FIELDS.has(k));
  if (extra.length > 0) {
    sections.push({ title: t('Other fields'), rows: extra.map(([k, v]) => ({ label: visibleText(k), value: { kind: 'unknown', name: visibleText(k), json: visibleText(safeJson(v)) } })) });
  }
  const id = q.id ?? '';
  const status = q.status ?? '';
  const statusValue = badge(q.status, aside.at('status'), queryStatusTone);
  return {
    title: visibleText(t('Query {0}', id.slice(0, 8) || '?')),
    subtitle: visibleText(context.collaborationName ? t('{0} · protected query {1}', context.collaborationName, id) : t('Protected query {0}', id)),
    id,
    status: statusValue.kind === 'badge' ? { text: statusValue.text, tone: statusValue.tone } : { text: t('Unknown'), tone: 'neutral' },
    running: isRunning(q),
    canCancel: status === 'SUBMITTED' || status === 'STARTED',
    hasSql: Boolean(q.sqlParameters?.queryString),
    ranTemplate: !q.sqlParameters?.queryString && Boolean(q.sqlParameters?.analysisTemplateArn),
    sections,
  };
}
