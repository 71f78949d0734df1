import type { AnalysisTemplateArtifact, CollaborationAnalysisTemplate } from '@aws-sdk/client-cleanrooms';
import type { Conformed } from '../aws/conform';
import { checkParameters, expectedText, inputKind } from '../queries/templateParameters';
import { t } from '../util/l10n';
import { visibleText } from '../util/text';
import { Aside, badge, text, time, unexpected, unknownMember } from './membershipView';
import type { TemplateField, TemplateViewModel, Tone, ViewRow, ViewSection, ViewValue } from './protocol';

/** What the view knows besides the template: whose membership looks at it, and where it came from. */
export interface TemplateViewContext {
  /** The account of the membership the panel was opened under ("you" as creator). */
  readonly ownAccount?: string;
  readonly collaborationName?: string;
  /** The form's values as typed so far (name -> text); a parameter not in it shows its default. */
  readonly values?: Readonly<Record<string, string>>;
  readonly focusForm?: boolean;
}

const VALIDATION_TONES: ReadonlyMap<string, Tone> = new Map<string, Tone>([
  ['VALID', 'ok'],
  ['INVALID', 'bad'],
  ['UNABLE_TO_VALIDATE', 'warn'],
]);

/** The text of an S3 artifact: s3://bucket/key. */
function artifactText(artifact: AnalysisTemplateArtifact | undefined): string | undefined {
  const location = artifact?.location;
  return location ? `s3://${location.bucket ?? '?'}/${location.key ?? ''}` : undefined;
}

function templateSection(c: Conformed<CollaborationAnalysisTemplate>, aside: Aside, context: TemplateViewContext): ViewSection {
  const creator = c.creatorAccountId;
  const rows: ViewRow[] = [
    { label: t('Name'), value: text(c.name, aside.at('name')) },
    { label: t('Description'), value: text(c.description, aside.at('description')) },
    {
      label: t('Creator'),
      value: text(creator !== undefined && creator === context.ownAccount ? t('{0} (you)', creator) : creator, aside.at('creatorAccountId'), { mono: true }),
    },
    { label: t('Format'), value: text(c.format, aside.at('format')) },
    { label: t('Tables'), value: c.schema?.referencedTables ? { kind: 'list', items: c.schema.referencedTables.map(visibleText) } : text(undefined, aside.at('schema.referencedTables')) },
    { label: t('Created'), value: time(c.createTime, 'createTime', aside.at('createTime')) },
    { label: t('Updated'), value: time(c.updateTime, 'updateTime', aside.at('updateTime')) },
  ];
  if (c.errorMessageConfiguration !== undefined || aside.at('errorMessageConfiguration.type') !== undefined) {
    rows.push({ label: t('Error messages'), value: badge(c.errorMessageConfiguration?.type, aside.at('errorMessageConfiguration.type'), () => 'neutral') });
  }
  rows.push({ label: t('ARN'), value: text(c.arn, aside.at('arn'), { mono: true, copy: true }) });
  return { title: t('Analysis template'), rows };
}

function parametersSection(c: Conformed<CollaborationAnalysisTemplate>, aside: Aside): ViewSection {
  const odd = aside.at('analysisParameters');
  if (odd !== undefined) {
    return { title: t('Parameters'), rows: [{ label: t('Parameters'), value: unexpected('analysisParameters', odd) }] };
  }
  const parameters = c.analysisParameters ?? [];
  if (parameters.length === 0) {
    return { title: t('Parameters'), rows: [{ label: t('Parameters'), value: { kind: 'notSet', hint: t('This template takes no parameters.') } }] };
  }
  return {
    title: t('Parameters'),
    rows: parameters.map((p) => ({
      label: visibleText(p.name ?? '?'),
      value: {
        kind: 'fields',
        rows: [
          { label: t('Type'), value: text(p.type, undefined, { mono: true }) },
          { label: t('Default'), value: p.defaultValue === undefined ? { kind: 'notSet', hint: t('a value is required') } : text(p.defaultValue, undefined, { mono: true }) },
        ],
      },
    })),
  };
}

function validationsSection(c: Conformed<CollaborationAnalysisTemplate>, aside: Aside): ViewSection {
  const odd = aside.at('validations');
  if (odd !== undefined) {
    return { title: t('Validations'), rows: [{ label: t('Validations'), value: unexpected('validations', odd) }] };
  }
  const validations = c.validations ?? [];
  if (validations.length === 0) {
    return { title: t('Validations'), rows: [{ label: t('Validations'), value: { kind: 'notSet', hint: t('The service reported no validation for this template.') } }] };
  }
  return {
    title: t('Validations'),
    rows: validations.map((v) => {
      const reasons = (v.reasons ?? []).map((r) => visibleText(r.message ?? ''));
      const status: ViewValue = badge(v.status, undefined, (s) => VALIDATION_TONES.get(s) ?? 'neutral');
      return {
        label: visibleText(v.type ?? t('Validation')),
        value: reasons.length === 0 ? status : { kind: 'fields', rows: [{ label: t('Status'), value: status }, { label: t('Reasons'), value: { kind: 'list', items: reasons } }] },
      };
    }),
  };
}

function sourceSection(c: Conformed<CollaborationAnalysisTemplate>, aside: Aside): ViewSection {
  const odd = aside.at('source') ?? aside.at('source.text');
  if (odd !== undefined) {
    return { title: t('Source'), rows: [{ label: t('Source'), value: unexpected('source', odd) }] };
  }
  const source = c.source;
  if (source?.text !== undefined) {
    const lines = source.text.split(/\r?\n/).length;
    return { title: t('Source'), rows: [{ label: t('SQL'), value: { kind: 'text', text: lines === 1 ? t('1 line (Open SQL shows it)') : t('{0} lines (Open SQL shows them)', lines) } }] };
  }
  if (source?.artifacts !== undefined) {
    const a = source.artifacts;
    return {
      title: t('Source'),
      rows: [
        { label: t('Entry point'), value: text(artifactText(a.entryPoint), undefined, { mono: true, copy: true }) },
        { label: t('Other artifacts'), value: { kind: 'list', items: (a.additionalArtifacts ?? []).map((x) => visibleText(artifactText(x) ?? '?')) } },
        { label: t('Role ARN'), value: text(a.roleArn, undefined, { mono: true, copy: true }) },
        { label: t('Entry point hash'), value: text(c.sourceMetadata?.artifacts?.entryPointHash?.sha256, undefined, { mono: true }) },
      ],
    };
  }
  if (source?.$unknown !== undefined) {
    return { title: t('Source'), rows: [{ label: t('Source'), value: unknownMember(source.$unknown) }] };
  }
  return { title: t('Source'), rows: [{ label: t('Source'), value: { kind: 'notSet', hint: t('The template record carries no source.') } }] };
}

/** The form's fields: each parameter with its value (typed, else the default) and the host's check of it. */
export function templateFields(c: CollaborationAnalysisTemplate, values: Readonly<Record<string, string>> = {}): { fields: TemplateField[]; canRun: boolean } {
  const parameters = c.analysisParameters ?? [];
  const { problems } = checkParameters(parameters, values);
  const fields = parameters.map((p): TemplateField => {
    const name = p.name ?? '';
    const value = Object.prototype.hasOwnProperty.call(values, name) ? (values[name] ?? '') : (p.defaultValue ?? '');
    return {
      name,
      type: p.type ?? '',
      input: inputKind(p.type),
      expected: expectedText(p.type),
      value,
      ...(p.defaultValue === undefined ? {} : { defaultValue: p.defaultValue }),
      ...(problems[name] === undefined ? {} : { problem: problems[name] }),
    };
  });
  return { fields, canRun: Object.keys(problems).length === 0 };
}

/** Why a template has no form here, or undefined when it runs as a protected query. */
export function whyNoForm(c: CollaborationAnalysisTemplate): string | undefined {
  const format: string | undefined = c.format;
  if (format?.startsWith('PYSPARK')) {
    return t('PySpark templates run as protected jobs (StartProtectedJob), which this extension does not start: its source and parameters are shown, read-only.');
  }
  if (format !== undefined && format !== 'SQL') {
    return t('Templates of format {0} are not run from here: only SQL templates run as protected queries.', visibleText(format));
  }
  if (c.source?.text === undefined) {
    return t('The template record carries no SQL text: it cannot be run from here.');
  }
  return undefined;
}

/**
 * A collaboration analysis template as GetCollaborationAnalysisTemplate returned it (conformed at
 * the service boundary): what it is, its parameters, validations and source, and the form that
 * runs it (SQL templates only).
 */
export function templateViewModel(c: Conformed<CollaborationAnalysisTemplate>, context: TemplateViewContext = {}): TemplateViewModel {
  const aside = new Aside(c);
  const sections: ViewSection[] = [templateSection(c, aside, context), parametersSection(c, aside), validationsSection(c, aside), sourceSection(c, aside)];
  const rest = aside.rest();
  if (rest.length > 0) {
    sections.push({ title: t('Unexpected values'), rows: rest });
  }
  const noForm = whyNoForm(c);
  const name = c.name ?? c.arn ?? '?';
  return {
    title: visibleText(name),
    subtitle: visibleText(context.collaborationName ? t('{0} · analysis template', context.collaborationName) : t('Analysis template')),
    id: c.arn ?? '',
    sections,
    hasSource: c.source?.text !== undefined,
    ...(noForm === undefined ? { form: templateFields(c, context.values) } : { noForm }),
    ...(context.focusForm ? { focusForm: true } : {}),
  };
}
