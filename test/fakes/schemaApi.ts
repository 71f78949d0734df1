/**
 * The schema, analysis rule, collaboration template and privacy budget operations of the local
 * endpoint (./cleanRoomsEndpoint routes them here after SigV4 and the collaboration or membership
 * lookup). Paths, fields and status codes follow the service model (client-cleanrooms restJson1):
 *
 * - ListSchemas                         GET  /collaborations/{id}/schemas?schemaType&nextToken&maxResults
 * - GetSchema                           GET  /collaborations/{id}/schemas/{name}
 * - BatchGetSchema                      POST /collaborations/{id}/batch-schema {names[1..25]}
 * - GetSchemaAnalysisRule               GET  /collaborations/{id}/schemas/{name}/analysisRule/{type}
 * - BatchGetSchemaAnalysisRule          POST /collaborations/{id}/batch-schema-analysis-rule {schemaAnalysisRuleRequests[1..25]}
 * - ListCollaborationAnalysisTemplates  GET  /collaborations/{id}/analysistemplates
 * - GetCollaborationAnalysisTemplate    GET  /collaborations/{id}/analysistemplates/{analysisTemplateArn}
 * - ListPrivacyBudgets                  GET  /memberships/{id}/privacybudgets?privacyBudgetType (required)
 * - PreviewPrivacyImpact                POST /memberships/{id}/previewprivacyimpact {parameters: {differentialPrivacy}}
 *
 * All answer 200; unknown names and ARNs are 404 ResourceNotFoundException; bad input is 400
 * ValidationException. The batch operations report unknown names in `errors`, not as a failure.
 */
import type { AnalysisRule, AnalysisRuleType, Schema, SchemaSummary } from '@aws-sdk/client-cleanrooms';
import type { WireMembership } from './fixtures';
import { findSpec, ruleTypesOf, tableSpecsFor, type TableSpec, type Wire } from './schemaCatalog';
import { collaborationTemplatesFor, privacyBudgetsFor, privacyImpact, templateSummary } from './schemaTemplates';

export type WireSchema = Wire<Schema>;
export type WireSchemaSummary = Wire<SchemaSummary>;
export type WireAnalysisRule = Wire<AnalysisRule>;

export const SCHEMA_OPERATIONS = [
  'ListSchemas',
  'GetSchema',
  'BatchGetSchema',
  'GetSchemaAnalysisRule',
  'BatchGetSchemaAnalysisRule',
  'ListCollaborationAnalysisTemplates',
  'GetCollaborationAnalysisTemplate',
] as const;
export const PRIVACY_OPERATIONS = ['ListPrivacyBudgets', 'PreviewPrivacyImpact'] as const;

export interface Violation {
  name: string;
  value: string;
  constraint: string;
}

/** What the endpoint lends these operations: its paging and its AWS errors. */
export interface ApiContext {
  readonly query: (key: string) => string | undefined;
  readonly body: () => Record<string, unknown>;
  readonly paginate: <T>(items: T[], scope: string) => { page: T[]; nextToken?: string };
  readonly validation: (violations: Violation[]) => Error;
  readonly invalid: (message: string) => Error;
  readonly notFound: (message: string, resourceId: string, resourceType: string) => Error;
}

export interface SchemaRoute {
  readonly operation: string;
  readonly name?: string;
  readonly ruleType?: string;
  readonly templateArn?: string;
}

const RULE_TYPES: readonly string[] = ['AGGREGATION', 'LIST', 'CUSTOM', 'ID_MAPPING_TABLE'];
const BATCH_MAX = 25;

/** Glue-style column types, as the service reports a configured table's columns. */
function wireType(sqlType: string): string {
  const t = sqlType.toUpperCase();
  if (t === 'VARCHAR') return 'string';
  if (t === 'INTEGER') return 'int';
  return t.toLowerCase();
}

function statusDetails(spec: TableSpec): WireSchema['schemaStatusDetails'] {
  const types = ruleTypesOf(spec);
  if (spec.notReady) return [{ status: 'NOT_READY', reasons: spec.notReady.map((r) => ({ ...r })), ...(types[0] ? { analysisRuleType: types[0] } : {}), analysisType: 'DIRECT_ANALYSIS' }];
  if (types.length === 0) {
    return [{ status: 'NOT_READY', reasons: [{ code: 'ANALYSIS_RULE_MISSING', message: `Table ${spec.name} has no analysis rule.` }], analysisType: 'DIRECT_ANALYSIS' }];
  }
  return types.map((t) => ({ status: 'READY', analysisRuleType: t, analysisType: 'DIRECT_ANALYSIS' }));
}

function times(m: WireMembership, spec: TableSpec, specs: readonly TableSpec[]): { createTime: number; updateTime: number } {
  const i = specs.indexOf(spec);
  return { createTime: m.createTime + i * 60, updateTime: m.createTime + i * 60 + 30 };
}

export function wireSchema(m: WireMembership, spec: TableSpec): WireSchema {
  const partitions = new Set(spec.partitionKeys ?? []);
  const col = ([name, type]: readonly [string, string]): { name: string; type: string } => ({ name, type: wireType(type) });
  return {
    columns: spec.columns.filter(([n]) => !partitions.has(n)).map(col),
    partitionKeys: spec.columns.filter(([n]) => partitions.has(n)).map(col),
    analysisRuleTypes: ruleTypesOf(spec),
    analysisMethod: 'DIRECT_QUERY',
    creatorAccountId: spec.creatorAccountId,
    name: spec.name,
    collaborationId: m.collaborationId,
    collaborationArn: m.collaborationArn,
    description: spec.description ?? '',
    ...times(m, spec, tableSpecsFor(m)),
    type: 'TABLE',
    schemaStatusDetails: statusDetails(spec),
  };
}

export function wireSchemaSummary(m: WireMembership, spec: TableSpec): WireSchemaSummary {
  return {
    name: spec.name,
    type: 'TABLE',
    creatorAccountId: spec.creatorAccountId,
    ...times(m, spec, tableSpecsFor(m)),
    collaborationId: m.collaborationId,
    collaborationArn: m.collaborationArn,
    analysisRuleTypes: ruleTypesOf(spec),
    analysisMethod: 'DIRECT_QUERY',
  };
}

/** The schema's analysis rule of `type`, or undefined when it has none of that type. */
export function wireAnalysisRule(m: WireMembership, spec: TableSpec, type: string): WireAnalysisRule | undefined {
  const policy =
    type === 'AGGREGATION' && spec.rules.aggregation
      ? { v1: { aggregation: spec.rules.aggregation } }
      : type === 'LIST' && spec.rules.list
        ? { v1: { list: spec.rules.list } }
        : type === 'CUSTOM' && spec.rules.custom
          ? { v1: { custom: spec.rules.custom } }
          : undefined;
  if (!policy) return undefined;
  return { collaborationId: m.collaborationId, type: type as AnalysisRuleType, name: spec.name, ...times(m, spec, tableSpecsFor(m)), policy };
}

function enumOf(ctx: ApiContext, name: string, value: unknown, values: readonly string[]): string {
  if (typeof value !== 'string' || !values.includes(value)) {
    throw ctx.validation([{ name, value: String(value), constraint: `Member must satisfy enum value set: [${values.join(', ')}]` }]);
  }
  return value;
}

function batch(ctx: ApiContext, name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw ctx.validation([{ name, value: 'null', constraint: 'Member must not be null' }]);
  if (v.length < 1) throw ctx.validation([{ name, value: '[]', constraint: 'Member must have length greater than or equal to 1' }]);
  if (v.length > BATCH_MAX) throw ctx.validation([{ name, value: `[${v.length} items]`, constraint: `Member must have length less than or equal to ${BATCH_MAX}` }]);
  return v;
}

const schemaNotFound = (ctx: ApiContext, name: string): Error => ctx.notFound(`Schema ${name} not found.`, name, 'CONFIGURED_TABLE_ASSOCIATION');

/** A collaboration-scoped operation of the collaboration of `m` (the caller's membership in it). */
export function schemaOperation(route: SchemaRoute, m: WireMembership, ctx: ApiContext): unknown {
  const specs = tableSpecsFor(m);
  switch (route.operation) {
    case 'ListSchemas': {
      const type = ctx.query('schemaType');
      if (type !== undefined) enumOf(ctx, 'schemaType', type, ['TABLE', 'ID_MAPPING_TABLE']);
      const all = type === 'ID_MAPPING_TABLE' ? [] : specs.map((s) => wireSchemaSummary(m, s));
      const { page, nextToken } = ctx.paginate(all, `ListSchemas|${m.collaborationId}|${type ?? ''}`);
      return { schemaSummaries: page, ...(nextToken ? { nextToken } : {}) };
    }
    case 'GetSchema': {
      const spec = findSpec(m, route.name ?? '');
      if (!spec) throw schemaNotFound(ctx, route.name ?? '');
      return { schema: wireSchema(m, spec) };
    }
    case 'BatchGetSchema': {
      const names = batch(ctx, 'names', ctx.body().names);
      const schemas: WireSchema[] = [];
      const errors: Array<{ name: string; code: string; message: string }> = [];
      names.forEach((n, i) => {
        if (typeof n !== 'string' || n.length === 0) throw ctx.validation([{ name: `names.${i}.member`, value: String(n), constraint: 'Member must have length greater than or equal to 1' }]);
        const spec = findSpec(m, n);
        if (spec) schemas.push(wireSchema(m, spec));
        else errors.push({ name: n, code: 'ResourceNotFoundException', message: `Schema ${n} not found.` });
      });
      return { schemas, errors };
    }
    case 'GetSchemaAnalysisRule': {
      const type = enumOf(ctx, 'type', route.ruleType, RULE_TYPES);
      const spec = findSpec(m, route.name ?? '');
      if (!spec) throw schemaNotFound(ctx, route.name ?? '');
      const rule = wireAnalysisRule(m, spec, type);
      if (!rule) throw ctx.notFound(`Analysis rule of type ${type} for schema ${spec.name} not found.`, spec.name, 'CONFIGURED_TABLE_ASSOCIATION');
      return { analysisRule: rule };
    }
    case 'BatchGetSchemaAnalysisRule': {
      const requests = batch(ctx, 'schemaAnalysisRuleRequests', ctx.body().schemaAnalysisRuleRequests);
      const analysisRules: WireAnalysisRule[] = [];
      const errors: Array<{ name: string; type: string; code: string; message: string }> = [];
      requests.forEach((r, i) => {
        const req = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {};
        if (typeof req.name !== 'string' || req.name.length === 0) {
          throw ctx.validation([{ name: `schemaAnalysisRuleRequests.${i}.member.name`, value: 'null', constraint: 'Member must not be null' }]);
        }
        const type = enumOf(ctx, `schemaAnalysisRuleRequests.${i}.member.type`, req.type, RULE_TYPES);
        const spec = findSpec(m, req.name);
        const rule = spec && wireAnalysisRule(m, spec, type);
        if (rule) analysisRules.push(rule);
        else errors.push({ name: req.name, type, code: 'ResourceNotFoundException', message: spec ? `Analysis rule of type ${type} for schema ${req.name} not found.` : `Schema ${req.name} not found.` });
      });
      return { analysisRules, errors };
    }
    case 'ListCollaborationAnalysisTemplates': {
      const { page, nextToken } = ctx.paginate(collaborationTemplatesFor(m).map(templateSummary), `ListCollaborationAnalysisTemplates|${m.collaborationId}`);
      return { collaborationAnalysisTemplateSummaries: page, ...(nextToken ? { nextToken } : {}) };
    }
    case 'GetCollaborationAnalysisTemplate': {
      const arn = route.templateArn ?? '';
      if (!/^arn:aws:cleanrooms:[\w-]+:\d{12}:membership\/[\d\w-]+\/analysistemplate\/[\d\w-]+$/.test(arn)) {
        throw ctx.validation([{ name: 'analysisTemplateArn', value: arn, constraint: 'Member must satisfy regular expression pattern: arn:aws:cleanrooms:[\\w]{2}-[\\w]{4,9}-[\\d]:[\\d]{12}:membership/[\\d\\w-]+/analysistemplate/[\\d\\w-]+' }]);
      }
      // The reply names the request's region (the endpoint rewrites seeded ARNs), so compare without it.
      const key = (a: string): string => a.replace(/^arn:aws:cleanrooms:[\w-]+:/, '');
      const t = collaborationTemplatesFor(m).find((x) => key(x.arn ?? '') === key(arn));
      if (!t) throw ctx.notFound(`Analysis template ${arn} not found.`, arn, 'COLLABORATION');
      return { collaborationAnalysisTemplate: t };
    }
    default:
      throw ctx.invalid(`Unknown schema operation ${route.operation}.`);
  }
}

/** A membership-scoped privacy budget operation. */
export function privacyOperation(route: SchemaRoute, m: WireMembership, ctx: ApiContext): unknown {
  if (route.operation === 'ListPrivacyBudgets') {
    const type = ctx.query('privacyBudgetType');
    if (type === undefined) throw ctx.validation([{ name: 'privacyBudgetType', value: 'null', constraint: 'Member must not be null' }]);
    enumOf(ctx, 'privacyBudgetType', type, ['DIFFERENTIAL_PRIVACY', 'ACCESS_BUDGET']);
    const { page, nextToken } = ctx.paginate(privacyBudgetsFor(m, type), `ListPrivacyBudgets|${m.id}|${type}`);
    return { privacyBudgetSummaries: page, ...(nextToken ? { nextToken } : {}) };
  }
  const parameters = ctx.body().parameters;
  const dp = typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>).differentialPrivacy : undefined;
  if (typeof dp !== 'object' || dp === null) {
    throw ctx.validation([{ name: 'parameters', value: JSON.stringify(parameters ?? null), constraint: 'Member must have exactly one of: differentialPrivacy' }]);
  }
  const { epsilon, usersNoisePerQuery } = dp as Record<string, unknown>;
  const violations: Violation[] = [];
  if (typeof epsilon !== 'number' || !Number.isInteger(epsilon) || epsilon < 1 || epsilon > 20) {
    violations.push({ name: 'parameters.differentialPrivacy.epsilon', value: String(epsilon), constraint: 'Member must be an integer between 1 and 20' });
  }
  if (typeof usersNoisePerQuery !== 'number' || !Number.isInteger(usersNoisePerQuery) || usersNoisePerQuery < 10 || usersNoisePerQuery > 100) {
    violations.push({ name: 'parameters.differentialPrivacy.usersNoisePerQuery', value: String(usersNoisePerQuery), constraint: 'Member must be an integer between 10 and 100' });
  }
  if (violations.length) throw ctx.validation(violations);
  if (privacyBudgetsFor(m, 'DIFFERENTIAL_PRIVACY').length === 0) {
    throw ctx.invalid(`Membership ${m.id} has no differential privacy budget: its collaboration has no differential privacy budget template.`);
  }
  return { privacyImpact: privacyImpact(epsilon as number, usersNoisePerQuery as number) };
}
