import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conformAnalysisRule, conformBatchGetSchemaAnalysisRuleError, conformBatchGetSchemaError, conformSchema, conformSchemaSummary, unexpectedAt } from '../../src/aws/conform';
import { catalogFrom, type CatalogTable, type TableSchema } from '../../src/sql/catalog';
import { columnRoleWords, columnWords, ruleKindWords, ruleSentences } from '../../src/sql/tableText';
import { tableViewModel } from '../../src/views/tableView';
import { treeRow, type RowSource } from '../../src/views/treeItems';

function must<T>(value: T | undefined): T {
  assert.ok(value);
  return value;
}

/** A table as BatchGetSchema and BatchGetSchemaAnalysisRule would return it, conformed. */
function table(name: string, columns: Array<[string, string]>, rules: Array<{ type: string; v1: Record<string, unknown> }>, extra: Record<string, unknown> = {}): TableSchema {
  return {
    schema: must(conformSchema({ name, columns: columns.map(([n, type]) => ({ name: n, type })), partitionKeys: [], analysisRuleTypes: rules.map((r) => r.type), creatorAccountId: '111122223333', ...extra })),
    rules: rules.map((r) => must(conformAnalysisRule({ name, type: r.type, collaborationId: 'c', policy: { v1: r.v1 } }))),
  };
}

const AGGREGATION = table(
  'ad_impressions',
  [
    ['hashed_email', 'string'],
    ['campaign', 'string'],
    ['impressions', 'int'],
    ['secret', 'string'],
  ],
  [
    {
      type: 'AGGREGATION',
      v1: {
        aggregation: {
          aggregateColumns: [
            { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
            { columnNames: ['impressions'], function: 'SUM' },
            { columnNames: ['impressions'], function: 'AVG' },
          ],
          joinColumns: ['hashed_email'],
          dimensionColumns: ['campaign'],
          scalarFunctions: ['COALESCE', 'TRUNC'],
          outputConstraints: [{ columnName: 'hashed_email', minimum: 3, type: 'COUNT_DISTINCT' }],
        },
      },
    },
  ],
);

const LIST = table('customer_list', [['hashed_email', 'string'], ['city', 'string'], ['age', 'int']], [{ type: 'LIST', v1: { list: { joinColumns: ['hashed_email'], listColumns: ['city'] } } }]);

const TEMPLATES_ONLY = table('model_scores', [['user_id', 'string'], ['score', 'double']], [
  { type: 'CUSTOM', v1: { custom: { allowedAnalyses: ['arn:aws:cleanrooms:us-east-1:111122223333:membership/m/analysistemplate/t1'], disallowedOutputColumns: ['user_id'] } } },
]);

const DP = table('dp_events', [['user_id', 'string'], ['amount', 'double']], [{ type: 'CUSTOM', v1: { custom: { allowedAnalyses: ['ANY_QUERY'], differentialPrivacy: { columns: [{ name: 'user_id' }] } } } }]);

const NOT_READY = table('pending_uploads', [['id', 'string']], [], {
  schemaStatusDetails: [{ status: 'NOT_READY', analysisType: 'DIRECT_ANALYSIS', reasons: [{ code: 'ANALYSIS_RULE_MISSING', message: 'The table has no analysis rule.' }] }],
});

function catalogTable(t: TableSchema): CatalogTable {
  return must(catalogFrom('c', [t]).tables[0]);
}

describe('schemas and analysis rules: conformers', () => {
  it('Schema: columns, partition keys and status details conform; wrong types are set aside, the rest kept', () => {
    const s = must(
      conformSchema({
        name: 'orders',
        columns: [{ name: 'id', type: 'string' }, { name: 42, type: 'int' }, 'junk'],
        partitionKeys: [{ name: 'day', type: 'date' }],
        analysisRuleTypes: ['AGGREGATION', 7],
        creatorAccountId: 111122223333,
        description: 'd',
        schemaStatusDetails: [{ status: 'NOT_READY', reasons: [{ code: 'X', message: { html: '<b>' } }], analysisType: 'DIRECT_ANALYSIS' }],
        schemaTypeProperties: { idMappingTable: { idMappingTableInputSource: [] } },
      }),
    );
    assert.equal(s.name, 'orders');
    assert.deepEqual(s.columns?.map((c) => c.name), ['id', undefined], 'the entry with a numeric name keeps its type, loses its name');
    assert.deepEqual(unexpectedAt(s, 'columns[1].name'), 42);
    assert.ok(Array.isArray(unexpectedAt(s, 'columns')), 'the list as received is set aside (it held a non-record)');
    assert.deepEqual(s.analysisRuleTypes, ['AGGREGATION']);
    assert.equal(s.creatorAccountId, undefined);
    assert.equal(unexpectedAt(s, 'creatorAccountId'), 111122223333);
    assert.equal(s.schemaStatusDetails?.[0].reasons?.[0].message, undefined);
    assert.deepEqual(unexpectedAt(s, 'schemaStatusDetails[0].reasons[0].message'), { html: '<b>' });
    assert.deepEqual(s.schemaTypeProperties, { idMappingTable: { idMappingTableInputSource: [] } }, 'kept as sent');
  });

  it('AnalysisRule: the policy union v1 -> aggregation | list | custom | idMappingTable conforms; an unknown member is kept', () => {
    const agg = must(conformAnalysisRule({ name: 't', type: 'AGGREGATION', policy: { v1: { aggregation: { aggregateColumns: [{ columnNames: ['a'], function: 'SUM' }], joinColumns: ['j'], dimensionColumns: [], scalarFunctions: [], outputConstraints: [{ columnName: 'j', minimum: '3', type: 'COUNT_DISTINCT' }] } } } }));
    const a = agg.policy?.v1?.aggregation;
    assert.deepEqual(a?.aggregateColumns, [{ columnNames: ['a'], function: 'SUM' }]);
    assert.equal(a?.outputConstraints?.[0].minimum, undefined, 'a minimum sent as text is not a number');
    assert.equal(unexpectedAt(agg, 'policy.v1.aggregation.outputConstraints[0].minimum'), '3');

    const list = must(conformAnalysisRule({ name: 't', type: 'LIST', policy: { v1: { list: { joinColumns: ['j'], listColumns: 'city' } } } }));
    assert.deepEqual(list.policy?.v1?.list?.joinColumns, ['j']);
    assert.equal(list.policy?.v1?.list?.listColumns, undefined);
    assert.equal(unexpectedAt(list, 'policy.v1.list.listColumns'), 'city');

    const custom = must(conformAnalysisRule({ name: 't', type: 'CUSTOM', policy: { v1: { custom: { allowedAnalyses: ['ANY_QUERY'], differentialPrivacy: { columns: [{ name: 'u' }, { name: 5 }] } } } } }));
    assert.deepEqual(custom.policy?.v1?.custom?.differentialPrivacy?.columns, [{ name: 'u' }, {}]);

    const idm = must(conformAnalysisRule({ name: 't', type: 'ID_MAPPING_TABLE', policy: { v1: { idMappingTable: { joinColumns: ['s', 't'], queryConstraints: [{ requireOverlap: { columns: ['s'] } }] } } } }));
    assert.deepEqual(idm.policy?.v1?.idMappingTable?.queryConstraints, [{ requireOverlap: { columns: ['s'] } }]);

    const future = must(conformAnalysisRule({ name: 't', type: 'NEW', policy: { v2: { x: 1 } } }));
    assert.deepEqual((future.policy as unknown as Record<string, unknown>).v2, { x: 1 });
  });

  it('SchemaSummary and the batch errors conform', () => {
    assert.deepEqual(conformSchemaSummary({ name: 'a', analysisRuleTypes: ['LIST'], createTime: 'yesterday' })?.analysisRuleTypes, ['LIST']);
    const e = must(conformBatchGetSchemaError({ name: 'gone', code: 'ResourceNotFound', message: 17 }));
    assert.equal(e.message, undefined);
    assert.equal(unexpectedAt(e, 'message'), 17);
    assert.equal(conformBatchGetSchemaAnalysisRuleError({ name: 'gone', type: 'LIST', code: 'X', message: 'm' })?.type, 'LIST');
  });
});

describe('a table and its rule in words', () => {
  it('aggregation: kind, column roles and the rule as sentences', () => {
    const t = catalogTable(AGGREGATION);
    assert.equal(ruleKindWords(t), 'Aggregation');
    const role = (name: string): string => columnRoleWords(must(t.column(name)), t);
    assert.equal(role('hashed_email'), 'join; aggregate: COUNT DISTINCT');
    assert.equal(role('campaign'), 'dimension');
    assert.equal(role('impressions'), 'aggregate: SUM, AVG');
    assert.equal(role('secret'), 'not allowed by the rule');
    assert.deepEqual(ruleSentences(t), [
      'Queries must aggregate: COUNT DISTINCT of hashed_email; SUM or AVG of impressions.',
      'Dimensions you may select, group and filter by: campaign.',
      'Join only on: hashed_email (AND).',
      'Scalar functions allowed: COALESCE, TRUNC.',
      'Rows where fewer than 3 distinct hashed_email are suppressed.',
    ]);
  });

  it('list: list columns, join only, the rest not in output', () => {
    const t = catalogTable(LIST);
    assert.equal(ruleKindWords(t), 'List');
    assert.equal(columnWords(must(t.column('city')), t), 'string · list');
    assert.equal(columnRoleWords(must(t.column('hashed_email')), t), 'join only');
    assert.equal(columnRoleWords(must(t.column('age')), t), 'not in output');
    assert.ok(ruleSentences(t).includes('Columns you may list: city.'));
  });

  it('custom: templates only (by name when known, else ARN), disallowed output; differential privacy', () => {
    const t = catalogTable(TEMPLATES_ONLY);
    const arn = 'arn:aws:cleanrooms:us-east-1:111122223333:membership/m/analysistemplate/t1';
    assert.equal(ruleKindWords(t), 'Custom, templates only');
    assert.equal(columnRoleWords(must(t.column('user_id')), t), 'not in output');
    assert.ok(ruleSentences(t).includes(`Only these analysis templates may query this table: ${arn}.`));
    assert.ok(ruleSentences(t, (a) => (a === arn ? 'Scores by segment' : undefined)).includes('Only these analysis templates may query this table: Scores by segment.'));
    const dp = catalogTable(DP);
    assert.equal(ruleKindWords(dp), 'Differential privacy');
    assert.equal(columnRoleWords(must(dp.column('user_id')), dp), 'user identifier (DP)');
    assert.ok(ruleSentences(dp).includes('Any query is allowed.'));
  });

  it('not ready, no rule: the reasons are said', () => {
    const t = catalogTable(NOT_READY);
    assert.equal(t.status, 'NOT_READY');
    assert.equal(ruleKindWords(t), 'No rule');
    assert.deepEqual(ruleSentences(t), ['This table has no analysis rule: it cannot be queried.', 'Not ready: The table has no analysis rule.']);
  });

  it("the panel's view model: facts, columns with roles, the rule's JSON; hostile strings stay text", () => {
    const hostile = table('<img src=x onerror=alert(1)>', [['"; DROP', 'string']], [{ type: 'LIST', v1: { list: { joinColumns: [], listColumns: ['"; DROP'] } } }], { description: '[link](command:x) <script>' });
    const t = catalogTable(hostile);
    const view = tableViewModel(t, hostile);
    assert.equal(view.title, '<img src=x onerror=alert(1)>');
    const facts = must(view.sections[0]);
    assert.deepEqual(facts.rows.find((r) => r.label === 'Description')?.value, { kind: 'text', text: '[link](command:x) <script>' });
    assert.deepEqual(facts.rows.find((r) => r.label === 'Written in SQL')?.value, { kind: 'text', text: '"<img src=x onerror=alert(1)>"', mono: true });
    assert.deepEqual(view.sections[1].rows, [{ label: '"; DROP', value: { kind: 'text', text: 'string · list' } }]);
    assert.deepEqual(JSON.parse(view.ruleJson)[0].policy, { v1: { list: { joinColumns: [], listColumns: ['"; DROP'] } } });
  });
});

describe('Tables rows in the tree', () => {
  const hostile = table('[x](command:cleanRooms.refresh)', [['id', 'string']], [], {
    description: '**bold** <img src=x>',
    schemaStatusDetails: [{ status: 'NOT_READY', analysisType: 'DIRECT_ANALYSIS', reasons: [{ code: 'X', message: '[click](https://evil.example)' }] }],
  });
  const catalog = catalogFrom('c', [AGGREGATION, hostile]);
  const source: RowSource = { node: () => undefined, record: () => undefined, table: (_key, name) => catalog.table(name, true) };

  it('a table row: rule type in words, Not ready with a warning icon; API text in the tooltip only as text parts', () => {
    const row = treeRow({ type: 'table', key: 'k', name: '[x](command:cleanRooms.refresh)' }, source);
    assert.equal(row.description, 'No rule · Not ready');
    assert.deepEqual(row.icon, { id: 'warning', color: 'list.warningForeground' });
    assert.equal(row.contextValue, 'table');
    assert.equal(row.collapsible, 'collapsed');
    assert.equal(row.tooltip?.kind, 'markdown');
    const parts = row.tooltip?.kind === 'markdown' ? row.tooltip.parts : [];
    for (const apiText of ['[x](command:cleanRooms.refresh)', '**bold** <img src=x>', '[click](https://evil.example)']) {
      assert.ok(parts.some((p) => 'text' in p && p.text === apiText), `${apiText} is a text part`);
      assert.ok(!parts.some((p) => 'markdown' in p && p.markdown.includes(apiText)), `${apiText} is never markdown`);
    }
    const ready = treeRow({ type: 'table', key: 'k', name: 'ad_impressions' }, source);
    assert.equal(ready.description, 'Aggregation');
    assert.deepEqual(ready.icon, { id: 'table' });
  });

  it('a column row: type and what the rule allows', () => {
    const row = treeRow({ type: 'column', key: 'k', table: 'ad_impressions', name: 'impressions' }, source);
    assert.equal(row.label, 'impressions');
    assert.equal(row.description, 'int · aggregate: SUM, AVG');
    assert.equal(row.contextValue, 'tableColumn');
  });
});
