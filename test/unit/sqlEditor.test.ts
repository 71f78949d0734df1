import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisRule, AnalysisRuleAggregation, AnalysisRuleCustom, AnalysisRuleList, AnalysisRuleType, Schema } from '@aws-sdk/client-cleanrooms';
import { applyChange } from '../../src/queries/binding';
import { splitStatements } from '../../src/queries/statements';
import { catalogFrom, type Catalog, type TableSchema } from '../../src/sql/catalog';
import { completionsAt } from '../../src/sql/completion';
import { exampleInsertion, exampleQueries, exampleQueryFor } from '../../src/sql/exampleQuery';
import { hoverAt, type SqlHover } from '../../src/sql/hover';
import { tableReferences, tokenize } from '../../src/sql/sqlTokens';

/** Hand-built records shaped like the rules collaboration of the local endpoint (test/fakes/schemaFixtures.ts). */
const COLLABORATION = 'c0ffee00-0000-4000-8000-000000000001';
const BINDING = '-- @membership 1f2e3d4c-5b6a-4789-8abc-0123456789ab\n';

function schema(name: string, columns: Record<string, string>, types: AnalysisRuleType[], extra: Partial<Schema> = {}): Schema {
  return {
    name,
    columns: Object.entries(columns).map(([n, type]) => ({ name: n, type })),
    partitionKeys: [],
    analysisRuleTypes: types,
    creatorAccountId: '111122223333',
    collaborationId: COLLABORATION,
    collaborationArn: `arn:aws:cleanrooms:us-east-1:111122223333:collaboration/${COLLABORATION}`,
    description: `${name} description`,
    createTime: new Date(0),
    updateTime: new Date(0),
    type: 'TABLE',
    schemaStatusDetails: [{ status: 'READY', analysisType: 'DIRECT_ANALYSIS', reasons: [] }],
    ...extra,
  };
}

function rule(name: string, type: AnalysisRuleType, v1: { aggregation: AnalysisRuleAggregation } | { list: AnalysisRuleList } | { custom: AnalysisRuleCustom }): AnalysisRule {
  return { collaborationId: COLLABORATION, type, name, createTime: new Date(0), updateTime: new Date(0), policy: { v1: v1 as never } };
}

const aggregation = (over: Partial<AnalysisRuleAggregation>): { aggregation: AnalysisRuleAggregation } => ({
  aggregation: {
    aggregateColumns: [],
    joinColumns: ['hashed_email'],
    dimensionColumns: [],
    scalarFunctions: [],
    outputConstraints: [],
    ...over,
  },
});

const TABLES: TableSchema[] = [
  {
    schema: schema('ad_impressions', { hashed_email: 'string', campaign_id: 'string', region: 'string', impressions: 'bigint', spend: 'double', secret: 'string' }, ['AGGREGATION']),
    rules: [
      rule(
        'ad_impressions',
        'AGGREGATION',
        aggregation({
          aggregateColumns: [
            { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
            { columnNames: ['impressions', 'spend'], function: 'SUM' },
            { columnNames: ['spend'], function: 'AVG' },
          ],
          dimensionColumns: ['campaign_id', 'region'],
          scalarFunctions: ['COALESCE', 'TRUNC'],
          outputConstraints: [{ columnName: 'hashed_email', minimum: 3, type: 'COUNT_DISTINCT' }],
        }),
      ),
    ],
  },
  {
    schema: schema('purchases', { hashed_email: 'string', purchase_total: 'double', category: 'string' }, ['AGGREGATION']),
    rules: [
      rule(
        'purchases',
        'AGGREGATION',
        aggregation({
          aggregateColumns: [{ columnNames: ['purchase_total'], function: 'SUM' }],
          dimensionColumns: ['category'],
          allowedJoinOperators: ['AND', 'OR'],
          joinRequired: 'QUERY_RUNNER',
        }),
      ),
    ],
  },
  {
    schema: schema('customer_list', { hashed_email: 'string', segment: 'string', city: 'string' }, ['LIST']),
    rules: [rule('customer_list', 'LIST', { list: { joinColumns: ['hashed_email'], listColumns: ['segment', 'city'] } })],
  },
  {
    schema: schema('crm_attributes', { customer_id: 'string', tier: 'string', email: 'string' }, ['CUSTOM']),
    rules: [rule('crm_attributes', 'CUSTOM', { custom: { allowedAnalyses: ['ANY_QUERY'], disallowedOutputColumns: ['email'] } })],
  },
  {
    schema: schema('model_scores', { customer_id: 'string', score: 'double' }, ['CUSTOM']),
    rules: [rule('model_scores', 'CUSTOM', { custom: { allowedAnalyses: ['arn:aws:cleanrooms:us-east-1:111122223333:membership/x/analysistemplate/y'] } })],
  },
  {
    schema: schema('pending_uploads', { id: 'string' }, ['LIST'], {
      schemaStatusDetails: [{ status: 'NOT_READY', analysisType: 'DIRECT_ANALYSIS', reasons: [{ code: 'ANALYSIS_RULE_MISSING', message: 'The analysis rule is missing.' }] }],
    }),
    rules: [rule('pending_uploads', 'LIST', { list: { joinColumns: [], listColumns: ['id'] } })],
  },
  {
    schema: schema('web-visits', { hashed_email: 'string', page: 'string', visits: 'bigint' }, ['AGGREGATION']),
    rules: [rule('web-visits', 'AGGREGATION', aggregation({ aggregateColumns: [{ columnNames: ['visits'], function: 'COUNT' }], dimensionColumns: ['page'] }))],
  },
  {
    schema: schema('<img src=x onerror=alert(1)>[link](http://evil)', { '`x` **bold**': 'string' }, ['CUSTOM'], { description: '[click](command:workbench.action.quit) <b>bold</b>' }),
    rules: [rule('<img src=x onerror=alert(1)>[link](http://evil)', 'CUSTOM', { custom: { allowedAnalyses: ['ANY_QUERY'] } })],
  },
];

const catalog: Catalog = catalogFrom(COLLABORATION, TABLES);

/** Completions at the `|` in `sql` (the marker is removed). */
function complete(sql: string): { labels: string[]; list: ReturnType<typeof completionsAt>; text: string } {
  const offset = sql.indexOf('|');
  const text = sql.slice(0, offset) + sql.slice(offset + 1);
  const list = completionsAt(text, offset, catalog);
  return { labels: list.items.map((i) => i.label), list, text };
}

function hover(sql: string): SqlHover | undefined {
  const offset = sql.indexOf('|');
  return hoverAt(sql.slice(0, offset) + sql.slice(offset + 1), offset, catalog);
}

const plain = (h: SqlHover | undefined): string => (h?.parts ?? []).map((p) => ('text' in p ? p.text : 'code' in p ? p.code : p.markdown)).join('');

describe('SQL completion from the catalog', () => {
  it('offers every table after FROM and JOIN, quoted where the name needs it, with its rule type as detail', () => {
    const { list } = complete(`${BINDING}SELECT 1 FROM |`);
    const byLabel = new Map(list.items.map((i) => [i.label, i]));
    assert.equal(list.items.length, TABLES.length);
    assert.ok(list.items.every((i) => i.kind === 'table'));
    assert.equal(byLabel.get('web-visits')?.insertText, '"web-visits"');
    assert.equal(byLabel.get('ad_impressions')?.insertText, 'ad_impressions');
    assert.equal(byLabel.get('ad_impressions')?.detail, 'Aggregation');
    assert.match(byLabel.get('pending_uploads')?.detail ?? '', /not ready/);
    assert.equal(byLabel.get('model_scores')?.detail, 'Custom, templates only');
    const join = complete(`${BINDING}SELECT 1 FROM ad_impressions a JOIN pur|`);
    assert.ok(join.labels.includes('purchases'));
    assert.equal(join.text.slice(join.list.replaceStart, join.list.replaceEnd), 'pur', 'the typed word is replaced');
  });

  it("offers a table's columns after `alias.` and after `table.`, with type and role", () => {
    const aliased = complete(`${BINDING}SELECT i.| FROM ad_impressions AS i JOIN purchases p ON i.hashed_email = p.hashed_email`);
    assert.deepEqual(aliased.labels, ['hashed_email', 'campaign_id', 'region', 'impressions', 'spend', 'secret']);
    const detail = new Map(aliased.list.items.map((i) => [i.label, i.detail]));
    assert.equal(detail.get('hashed_email'), 'string · join; aggregate: COUNT DISTINCT', 'the tree\'s words');
    assert.equal(detail.get('campaign_id'), 'string · dimension');
    assert.equal(detail.get('spend'), 'double · aggregate: SUM, AVG');
    assert.equal(detail.get('secret'), 'string · not allowed by the rule');
    assert.deepEqual(complete(`${BINDING}SELECT p.pu| FROM ad_impressions i JOIN purchases p`).labels, ['hashed_email', 'purchase_total', 'category']);
    assert.deepEqual(complete(`${BINDING}SELECT customer_list.| FROM customer_list`).labels, ['hashed_email', 'segment', 'city']);
    assert.deepEqual(complete(`${BINDING}SELECT "web-visits".| FROM "web-visits"`).labels, ['hashed_email', 'page', 'visits']);
    assert.deepEqual(complete(`${BINDING}SELECT nope.| FROM ad_impressions`).labels, [], 'an unknown qualifier offers nothing');
  });

  it('offers the aggregate and scalar functions the aggregation rules of the statement allow, as snippets', () => {
    const { list } = complete(`${BINDING}SELECT | FROM ad_impressions`);
    const functions = list.items.filter((i) => i.kind === 'function');
    assert.deepEqual(
      functions.map((f) => [f.label, f.insertText]),
      [
        ['COUNT(DISTINCT ...)', 'COUNT(DISTINCT $1)'],
        ['SUM', 'SUM($1)'],
        ['AVG', 'AVG($1)'],
        ['COALESCE', 'COALESCE($1)'],
        ['TRUNC', 'TRUNC($1)'],
      ],
    );
    assert.ok(functions.every((f) => f.snippet));
    assert.match(functions[1].detail, /ad_impressions\.impressions, ad_impressions\.spend/);
    assert.ok(list.items.some((i) => i.label === 'campaign_id' && i.kind === 'column'), 'the statement tables columns too');
    const listQuery = complete(`${BINDING}SELECT | FROM customer_list`);
    assert.equal(listQuery.list.items.filter((i) => i.kind === 'function').length, 0, 'a list rule allows no functions');
  });

  it('a scalar function name from a rule is inserted as text, never as snippet syntax (${CLIPBOARD} stays literal)', () => {
    const hostile = '${CLIPBOARD}\\X}$0';
    const table: TableSchema = {
      schema: schema('snippet_names', { n: 'bigint' }, ['AGGREGATION']),
      rules: [rule('snippet_names', 'AGGREGATION', aggregation({ aggregateColumns: [{ columnNames: ['n'], function: 'SUM' }], scalarFunctions: [hostile, 'TRUNC'] as AnalysisRuleAggregation['scalarFunctions'] }))],
    };
    const text = `${BINDING}SELECT  FROM snippet_names`;
    const list = completionsAt(text, text.indexOf('  FROM') + 1, catalogFrom(COLLABORATION, [table]));
    const scalar = list.items.filter((i) => i.kind === 'function' && i.label !== 'SUM');
    assert.deepEqual(
      scalar.map((f) => [f.label, f.insertText]),
      [
        [hostile, '\\${CLIPBOARD\\}\\\\X\\}\\$0($1)'],
        ['TRUNC', 'TRUNC($1)'],
      ],
    );
  });

  it('respects statement boundaries: aliases and tables of another statement do not count', () => {
    const { labels } = complete(`${BINDING}SELECT 1 FROM ad_impressions i;\nSELECT i.| FROM customer_list c`);
    assert.deepEqual(labels, []);
    const second = complete(`${BINDING}SELECT segment FROM customer_list c;\nSELECT | FROM ad_impressions;\nSELECT 2 FROM purchases`);
    assert.ok(second.labels.includes('campaign_id'));
    assert.ok(!second.labels.includes('segment'));
    assert.ok(!second.labels.includes('purchase_total'));
  });

  it('works on incomplete SQL: an unterminated quoted name, a trailing dot, no FROM yet', () => {
    const quoted = complete(`${BINDING}SELECT 1 FROM "web|`);
    assert.ok(quoted.labels.includes('web-visits'));
    assert.equal(quoted.text.slice(quoted.list.replaceStart, quoted.list.replaceEnd), '"web', 'the opening quote is replaced too');
    assert.ok(complete(`${BINDING}SELECT |`).labels.includes('ad_impressions'));
    assert.deepEqual(tokenize("SELECT 'it''s' -- x\n, \"a\"\"b\"").map((t) => t.value), ['SELECT', "it's", ',', 'a"b']);
  });
});

describe('SQL hover from the catalog', () => {
  it("shows a table's rule type, creator, description and status", () => {
    const text = plain(hover(`${BINDING}SELECT 1 FROM ad_imp|ressions`));
    assert.match(text, /ad_impressions — analysis rule: Aggregation/);
    assert.match(text, /111122223333/);
    assert.match(text, /ad_impressions description/);
    assert.match(text, /Ready/);
    assert.match(plain(hover(`${BINDING}SELECT 1 FROM pending_|uploads`)), /Not ready: The analysis rule is missing\./);
  });

  it('shows a column (qualified through an alias, or unqualified when the statement resolves it) with type and what the rule allows', () => {
    const qualified = hover(`${BINDING}SELECT i.sp|end FROM ad_impressions i`);
    assert.match(plain(qualified), /spend double/);
    assert.match(plain(qualified), /Rule: aggregate: SUM, AVG/);
    assert.match(plain(hover(`${BINDING}SELECT campaign|_id FROM ad_impressions`)), /dimension/);
    assert.match(plain(hover(`${BINDING}SELECT 1 FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed|_email`)), /purchases \(Aggregation\)[\s\S]*join only/);
    assert.match(plain(hover(`${BINDING}SELECT |i.spend FROM ad_impressions i`)), /ad_impressions — analysis rule: Aggregation/, 'an alias shows its table');
    assert.equal(hover(`${BINDING}SELECT nothing|_here FROM ad_impressions`), undefined);
  });

  it('keeps hostile names and descriptions as text or code parts, never as markup', () => {
    const h = hover(`${BINDING}SELECT 1 FROM "<img src=x onerror=alert(1)>[link](http://ev|il)"`);
    assert.ok(h);
    const markup = h.parts.filter((p): p is { markdown: string } => 'markdown' in p).map((p) => p.markdown);
    assert.ok(markup.every((m) => /^[\s\n-]*$/.test(m)), 'our own markup is only separators');
    assert.match(plain(h), /\[click\]\(command:workbench\.action\.quit\)/);
  });
});

describe('Insert Example Query', () => {
  const examples = new Map(exampleQueries(catalog).map((e) => [e.table, e.sql]));

  it('builds an aggregation example: a dimension, COUNT(DISTINCT ...), a join on a shared join column, GROUP BY', () => {
    assert.equal(
      examples.get('ad_impressions'),
      ['SELECT a.campaign_id, COUNT(DISTINCT a.hashed_email)', 'FROM ad_impressions AS a', 'JOIN purchases AS b ON a.hashed_email = b.hashed_email', 'GROUP BY a.campaign_id'].join('\n'),
    );
    assert.match(examples.get('web-visits') ?? '', /^SELECT a\.page, COUNT\(a\.visits\)\nFROM "web-visits" AS a\nJOIN ad_impressions AS b/);
  });

  it('builds list and custom examples with LIMIT 100, and skips not-ready and templates-only tables', () => {
    assert.equal(examples.get('customer_list'), 'SELECT DISTINCT segment, city\nFROM customer_list\nLIMIT 100');
    assert.equal(examples.get('crm_attributes'), 'SELECT customer_id, tier\nFROM crm_attributes\nLIMIT 100', 'the disallowed output column is left out');
    assert.equal(examples.has('model_scores'), false);
    assert.equal(examples.has('pending_uploads'), false);
  });

  it('uses only what the rules allow in each example (checked against the rules directly)', () => {
    for (const example of exampleQueries(catalog)) {
      const tokens = tokenize(example.sql);
      const refs = tableReferences(tokens, catalog);
      const main = catalog.table(example.table, true);
      assert.ok(main && refs.some((r) => r.table === main), example.sql);
      assert.ok(!/SELECT\s+(DISTINCT\s+)?\*/.test(example.sql), 'no SELECT *');
      // The output list: names outside parentheses must be outputtable; names inside a call must be allowed in that aggregate.
      const output = tokenize(example.sql.split('\n')[0]);
      let call: string | undefined;
      for (let i = 0; i < output.length; i++) {
        const tok = output[i];
        const word = tok.kind === 'word' ? tok.value.toUpperCase() : '';
        if (tok.value === '(') {
          call = output[i - 1].value.toUpperCase() + (output[i + 1]?.value.toUpperCase() === 'DISTINCT' ? '_DISTINCT' : '');
        } else if (tok.value === ')') {
          call = undefined;
        } else if ((tok.kind === 'word' || tok.kind === 'quoted') && output[i + 1]?.value !== '.' && output[i + 1]?.value !== '(' && !['SELECT', 'DISTINCT'].includes(word)) {
          const qualifier = output[i - 1]?.value === '.' ? output[i - 2].value : undefined;
          const owner = qualifier === 'b' ? refs[1]?.table : main;
          const column = owner?.column(tok.value);
          assert.ok(owner && column, `${tok.value} is a column of ${owner?.name}`);
          if (call) {
            assert.ok(owner.kind !== 'AGGREGATION' || column.aggregate.some((a) => a === call), `${call}(${tok.value}) allowed in ${owner.name}`);
          } else {
            assert.ok(owner.kind === 'CUSTOM' ? !column.disallowedOutput : owner.kind === 'LIST' ? column.list : column.dimension, `${tok.value} may be output in ${example.sql}`);
          }
        }
      }
    }
    const alone = catalogFrom(COLLABORATION, [TABLES[1]]);
    assert.equal(exampleQueryFor(alone.tables[0], alone), undefined, 'join required and nothing to join with: no example');
  });

  it('inserts the example as a statement of its own, adding the missing semicolon of the statement before', () => {
    const sql = 'SELECT 1 FROM t';
    const at = (text: string, cursor: number): string => exampleInsertion(text, cursor, sql).reduceRight((acc, e) => applyChange(acc, e), text);
    assert.equal(at(BINDING, BINDING.length), `${BINDING}${sql};`);
    assert.equal(at(`${BINDING}SELECT 2 -- two\n`, BINDING.length + 3), `${BINDING}SELECT 2; -- two\n\n${sql};\n`);
    assert.equal(at(`${BINDING}SELECT 2;\nSELECT 3;`, BINDING.length + 2), `${BINDING}SELECT 2;\n\n${sql};\nSELECT 3;`);
    const crlf = '-- @membership 1f2e3d4c-5b6a-4789-8abc-0123456789ab\r\n';
    const multi = at(crlf, crlf.length);
    assert.equal(multi, `${crlf}${sql};`);
    for (const text of [BINDING, `${BINDING}SELECT 2`, `${BINDING}SELECT 2;\nSELECT 3`]) {
      const before = splitStatements(text).length;
      assert.equal(splitStatements(at(text, text.length)).length, before + 1, text);
    }
  });
});
