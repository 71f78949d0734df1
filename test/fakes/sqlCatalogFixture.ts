import type { AnalysisRule, AnalysisRulePolicyV1, AnalysisRuleType, Schema, SchemaStatusDetail } from '@aws-sdk/client-cleanrooms';
import { catalogFrom, type Catalog, type TableSchema } from '../../src/sql/catalog';

/**
 * SDK-shaped Schema and AnalysisRule records for the pre-flight check's unit tests: one table per
 * rule shape, like the rules collaboration of the local endpoint (RULES_TABLES).
 */

const COLLABORATION = 'c0000000-0000-4000-8000-000000000001';
export const TEMPLATE_ARNS = [
  `arn:aws:cleanrooms:us-east-1:111122223333:membership/m1/analysistemplate/scores-by-segment`,
  `arn:aws:cleanrooms:us-east-1:111122223333:membership/m1/analysistemplate/score-histogram`,
];

function table(name: string, columns: Record<string, string>, policies: AnalysisRulePolicyV1[], status?: SchemaStatusDetail[]): TableSchema {
  const ruleTypes = policies.map((p): AnalysisRuleType => (p.aggregation ? 'AGGREGATION' : p.list ? 'LIST' : 'CUSTOM'));
  const schema: Schema = {
    name,
    collaborationId: COLLABORATION,
    collaborationArn: undefined,
    columns: Object.entries(columns).map(([n, type]) => ({ name: n, type })),
    partitionKeys: [],
    analysisRuleTypes: ruleTypes,
    creatorAccountId: '111122223333',
    description: `${name} for tests`,
    createTime: new Date(0),
    updateTime: new Date(0),
    type: 'TABLE',
    schemaStatusDetails: status ?? [{ status: 'READY', analysisType: 'DIRECT_ANALYSIS' }],
  };
  const rules: AnalysisRule[] = policies.map((v1, i) => ({ collaborationId: COLLABORATION, type: ruleTypes[i], name, createTime: new Date(0), updateTime: new Date(0), policy: { v1 } }));
  return { schema, rules };
}

const SCALARS: ('CAST' | 'COALESCE' | 'TRUNC' | 'LOWER' | 'ROUND')[] = ['CAST', 'COALESCE', 'TRUNC', 'LOWER', 'ROUND'];

const aggregationColumns = { hashed_email: 'string', campaign: 'string', region: 'string', impression_date: 'date', spend: 'decimal(10,2)', clicks: 'int', device_id: 'string' };

export function testTables(): TableSchema[] {
  return [
    table('ad_impressions', aggregationColumns, [
      {
        aggregation: {
          aggregateColumns: [
            { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
            { columnNames: ['spend'], function: 'SUM' },
            { columnNames: ['spend'], function: 'AVG' },
            { columnNames: ['clicks'], function: 'SUM' },
          ],
          joinColumns: ['hashed_email'],
          dimensionColumns: ['campaign', 'region', 'impression_date'],
          scalarFunctions: SCALARS,
          outputConstraints: [{ columnName: 'hashed_email', minimum: 2, type: 'COUNT_DISTINCT' }],
        },
      },
    ]),
    table('purchases', { hashed_email: 'string', product: 'string', purchase_amount: 'decimal(10,2)' }, [
      {
        aggregation: {
          aggregateColumns: [
            { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
            { columnNames: ['purchase_amount'], function: 'SUM' },
          ],
          joinColumns: ['hashed_email'],
          joinRequired: 'QUERY_RUNNER',
          allowedJoinOperators: ['AND', 'OR'],
          dimensionColumns: ['product'],
          scalarFunctions: [],
          outputConstraints: [],
        },
      },
    ]),
    table('customer_list', { hashed_email: 'string', first_name: 'string', city: 'string', segment: 'string' }, [{ list: { joinColumns: ['hashed_email'], listColumns: ['first_name', 'city'] } }]),
    table('loyalty_members', { hashed_email: 'string', tier: 'string' }, [{ list: { joinColumns: ['hashed_email'], listColumns: ['tier'] } }]),
    table('crm_attributes', { hashed_email: 'string', email: 'string', segment: 'string', age: 'int' }, [
      { custom: { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: ['111122223333'], disallowedOutputColumns: ['email'] } },
    ]),
    table('model_scores', { hashed_email: 'string', score: 'double' }, [{ custom: { allowedAnalyses: TEMPLATE_ARNS } }]),
    table('dp_events', { user_id: 'string', event: 'string' }, [{ custom: { allowedAnalyses: ['ANY_QUERY'], differentialPrivacy: { columns: [{ name: 'user_id' }] } } }]),
    table('pending_uploads', { hashed_email: 'string', amount: 'int' }, [{ aggregation: { aggregateColumns: [], joinColumns: [], dimensionColumns: [], scalarFunctions: [], outputConstraints: [] } }], [
      { status: 'NOT_READY', analysisType: 'DIRECT_ANALYSIS', reasons: [{ code: 'ANALYSIS_RULE_MISSING', message: 'The analysis rule is not configured yet.' }] },
    ]),
    table('raw_staging', { hashed_email: 'string', payload: 'string' }, []),
    table('web-visits', { hashed_email: 'string', page: 'string', visits: 'int' }, [
      {
        aggregation: {
          aggregateColumns: [{ columnNames: ['visits'], function: 'SUM' }],
          joinColumns: ['hashed_email'],
          dimensionColumns: ['page'],
          scalarFunctions: SCALARS,
          outputConstraints: [],
        },
      },
    ]),
    table('order', { hashed_email: 'string', order_date: 'date', total: 'int' }, [
      {
        aggregation: {
          aggregateColumns: [{ columnNames: ['total'], function: 'SUM' }],
          joinColumns: ['hashed_email'],
          dimensionColumns: ['order_date'],
          scalarFunctions: SCALARS,
          outputConstraints: [],
        },
      },
    ]),
  ];
}

export function testCatalog(): Catalog {
  return catalogFrom(COLLABORATION, testTables());
}

/** `tables` x `columns` aggregation tables (t0..., c0...): the size the pre-flight budget is set for. */
export function bigCatalog(tables: number, columns: number): Catalog {
  const out: TableSchema[] = [];
  for (let i = 0; i < tables; i++) {
    const cols: Record<string, string> = { hashed_email: 'string' };
    for (let j = 0; j < columns - 1; j++) {
      cols[`c${j}`] = j % 2 === 0 ? 'string' : 'int';
    }
    const names = Object.keys(cols);
    out.push(
      table(`t${i}`, cols, [
        {
          aggregation: {
            aggregateColumns: [{ columnNames: names.filter((_, j) => j % 2 === 0 && j > 0), function: 'SUM' }, { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' }],
            joinColumns: ['hashed_email'],
            dimensionColumns: names.filter((_, j) => j % 2 === 1),
            scalarFunctions: SCALARS,
            outputConstraints: [],
          },
        },
      ]),
    );
  }
  return catalogFrom(COLLABORATION, out);
}
