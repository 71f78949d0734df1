import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conformCollaborationAnalysisTemplate, conformCollaborationAnalysisTemplateSummary, unexpectedAt } from '../../src/aws/conform';
import type { ViewSection, ViewValue } from '../../src/views/protocol';
import { templateFields, templateViewModel } from '../../src/views/templateView';

function must<T>(record: T | undefined): T {
  assert.ok(record);
  return record;
}

const ARN = 'arn:aws:cleanrooms:us-east-1:615243987001:membership/m/analysistemplate/t';

/** A template as the wire sends it (epoch seconds), SQL with every kind of parameter. */
const SQL_TEMPLATE = {
  id: 't',
  arn: ARN,
  collaborationId: 'c',
  collaborationArn: 'arn:aws:cleanrooms:us-east-1:615243987001:collaboration/c',
  creatorAccountId: '615243987001',
  name: 'score_distribution',
  description: 'People per model',
  createTime: new Date(1717200000_000),
  updateTime: new Date(1717203600_000),
  schema: { referencedTables: ['model_scores'] },
  format: 'SQL',
  source: { text: 'SELECT 1\nFROM model_scores\nWHERE score >= :min_score' },
  analysisParameters: [
    { name: 'model', type: 'VARCHAR', defaultValue: 'churn_v2' },
    { name: 'min_score', type: 'DOUBLE' },
    { name: 'since', type: 'DATE', defaultValue: '2024-07-01' },
    { name: 'all', type: 'BOOLEAN', defaultValue: 'false' },
  ],
  validations: [
    { type: 'DIFFERENTIAL_PRIVACY', status: 'INVALID', reasons: [{ message: 'SUM(value) needs a bound.' }] },
    { type: 'OTHER', status: 'VALID' },
  ],
  errorMessageConfiguration: { type: 'DETAILED' },
};

const section = (sections: readonly ViewSection[], title: string): ViewSection => must(sections.find((s) => s.title === title));
const value = (s: ViewSection, label: string): ViewValue => must(s.rows.find((r) => r.label === label)).value;

describe('collaboration analysis templates at the boundary', () => {
  it('conforms a summary and a whole template: parameters, text source, validations, error messages', () => {
    const summary = must(conformCollaborationAnalysisTemplateSummary({ arn: ARN, name: 'x', creatorAccountId: '1', isSyntheticData: false }));
    assert.equal(summary.creatorAccountId, '1');
    const t = must(conformCollaborationAnalysisTemplate(SQL_TEMPLATE));
    assert.equal(t.source?.text, SQL_TEMPLATE.source.text);
    assert.deepEqual(t.analysisParameters?.map((p) => p.type), ['VARCHAR', 'DOUBLE', 'DATE', 'BOOLEAN']);
    assert.equal(t.validations?.[0]?.reasons?.[0]?.message, 'SUM(value) needs a bound.');
    assert.equal(t.errorMessageConfiguration?.type, 'DETAILED');
    assert.equal(t.$unexpected, undefined);
  });

  it('conforms an artifacts source (PySpark) and keeps a source member this SDK does not know', () => {
    const pyspark = must(
      conformCollaborationAnalysisTemplate({
        name: 'lookalike',
        format: 'PYSPARK_1_0',
        source: { artifacts: { entryPoint: { location: { bucket: 'b', key: 'k/entry.py' } }, additionalArtifacts: [{ location: { bucket: 'b', key: 'k/x.zip' } }], roleArn: 'arn:aws:iam::1:role/r' } },
        sourceMetadata: { artifacts: { entryPointHash: { sha256: 'abc' } } },
      }),
    );
    assert.equal(pyspark.source?.artifacts?.entryPoint?.location?.key, 'k/entry.py');
    assert.equal(pyspark.sourceMetadata?.artifacts?.entryPointHash?.sha256, 'abc');
    const newer = must(conformCollaborationAnalysisTemplate({ name: 'n', source: { notebook: { id: 1 } } }));
    assert.ok(newer.source && 'notebook' in newer.source, 'an unknown union member is kept');
  });

  it('sets aside values of the wrong type (a parameter type of 42, a validations object)', () => {
    const t = must(conformCollaborationAnalysisTemplate({ ...SQL_TEMPLATE, analysisParameters: [{ name: 'a', type: 42 }], validations: { status: 'VALID' } }));
    assert.equal(t.analysisParameters?.[0]?.type, undefined);
    assert.equal(unexpectedAt(t, 'validations') !== undefined, true);
    const view = templateViewModel(t);
    assert.equal(value(section(view.sections, 'Validations'), 'Validations').kind, 'unknown');
  });
});

describe('the template panel view', () => {
  const t = must(conformCollaborationAnalysisTemplate(SQL_TEMPLATE));

  it('shows name, creator (you), format, tables, parameters with defaults, validations with reasons', () => {
    const view = templateViewModel(t, { ownAccount: '615243987001', collaborationName: 'Rules' });
    assert.equal(view.title, 'score_distribution');
    assert.equal(view.id, ARN);
    assert.equal(view.hasSource, true);
    const about = section(view.sections, 'Analysis template');
    assert.deepEqual(value(about, 'Creator'), { kind: 'text', text: '615243987001 (you)', mono: true, copy: undefined });
    const format = value(about, 'Format');
    assert.equal(format.kind === 'text' && format.text, 'SQL');
    assert.deepEqual(value(about, 'Tables'), { kind: 'list', items: ['model_scores'] });
    const parameters = section(view.sections, 'Parameters');
    assert.deepEqual(
      parameters.rows.map((r) => r.label),
      ['model', 'min_score', 'since', 'all'],
    );
    const minScore = value(parameters, 'min_score');
    assert.equal(minScore.kind === 'fields' && minScore.rows[1]?.value.kind, 'notSet', 'no default: a value is required');
    const validations = section(view.sections, 'Validations');
    const dp = value(validations, 'DIFFERENTIAL_PRIVACY');
    assert.equal(dp.kind, 'fields');
    assert.deepEqual(dp.kind === 'fields' ? dp.rows.map((r) => r.value) : [], [
      { kind: 'badge', text: 'Invalid', tone: 'bad' },
      { kind: 'list', items: ['SUM(value) needs a bound.'] },
    ]);
    assert.deepEqual(value(validations, 'OTHER'), { kind: 'badge', text: 'Valid', tone: 'ok' });
  });

  it('the form: defaults filled in, typed inputs, Run disabled until a required value is valid', () => {
    const empty = templateViewModel(t).form;
    assert.ok(empty);
    assert.deepEqual(
      empty.fields.map((f) => [f.name, f.input, f.value]),
      [
        ['model', 'text', 'churn_v2'],
        ['min_score', 'decimal', ''],
        ['since', 'date', '2024-07-01'],
        ['all', 'boolean', 'false'],
      ],
    );
    assert.equal(empty.canRun, false);
    assert.match(empty.fields[1]?.problem ?? '', /number/);
    const typed = templateFields(t, { min_score: '0.75', since: '2024-02-30' });
    assert.equal(typed.canRun, false);
    assert.match(typed.fields[2]?.problem ?? '', /YYYY-MM-DD/);
    assert.equal(templateFields(t, { min_score: '0.75' }).canRun, true);
  });

  it('a PySpark template has no form and says why; its artifacts are the source', () => {
    const pyspark = must(
      conformCollaborationAnalysisTemplate({
        name: 'lookalike',
        format: 'PYSPARK_1_0',
        source: { artifacts: { entryPoint: { location: { bucket: 'b', key: 'k/entry.py' } }, roleArn: 'arn:aws:iam::1:role/r' } },
      }),
    );
    const view = templateViewModel(pyspark);
    assert.equal(view.form, undefined);
    assert.match(view.noForm ?? '', /PySpark/);
    assert.equal(view.hasSource, false);
    assert.deepEqual(value(section(view.sections, 'Source'), 'Entry point'), { kind: 'text', text: 's3://b/k/entry.py', mono: true, copy: 's3://b/k/entry.py' });
  });
});
