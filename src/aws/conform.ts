import type {
  AccessBudget,
  AccessBudgetDetails,
  AggregateColumn,
  AggregationConstraint,
  AnalysisRule,
  AnalysisRuleAggregation,
  AnalysisRuleCustom,
  AnalysisRuleIdMappingTable,
  AnalysisRuleList,
  AnalysisRulePolicy,
  AnalysisRulePolicyV1,
  BatchGetSchemaAnalysisRuleError,
  BatchGetSchemaError,
  Column,
  DifferentialPrivacyColumn,
  DifferentialPrivacyConfiguration,
  QueryConstraint,
  QueryConstraintRequireOverlap,
  Schema,
  SchemaStatusDetail,
  SchemaStatusReason,
  SchemaSummary,
  AnalysisParameter,
  AnalysisSchema,
  AnalysisSource,
  AnalysisSourceMetadata,
  AnalysisTemplateArtifact,
  AnalysisTemplateArtifactMetadata,
  AnalysisTemplateArtifacts,
  AnalysisTemplateValidationStatusDetail,
  AnalysisTemplateValidationStatusReason,
  CollaborationAnalysisTemplate,
  CollaborationAnalysisTemplateSummary,
  ErrorMessageConfiguration,
  Hash,
  S3Location,
  SyntheticDataParameters,
  MLSyntheticDataParameters,
  ColumnClassificationDetails,
  SyntheticDataColumnProperties,
  BilledResourceUtilization,
  Collaboration,
  ComputeConfiguration,
  ConfigurationDetails,
  ConfiguredTableAssociationSummary,
  DataEncryptionMetadata,
  DifferentialPrivacyParameters,
  DifferentialPrivacyPreviewAggregation,
  DifferentialPrivacyPrivacyBudget,
  DifferentialPrivacyPrivacyBudgetAggregation,
  DifferentialPrivacyPrivacyImpact,
  DifferentialPrivacySensitivityParameters,
  DirectAnalysisConfigurationDetails,
  MemberSummary,
  Membership,
  MembershipMLPaymentConfig,
  MembershipPaymentConfiguration,
  MembershipProtectedJobOutputConfiguration,
  MembershipProtectedJobResultConfiguration,
  MembershipProtectedQueryOutputConfiguration,
  MembershipProtectedQueryResultConfiguration,
  MembershipSummary,
  MLMemberAbilities,
  PrivacyBudget,
  PrivacyBudgetSummary,
  PrivacyImpact,
  ProtectedJobS3OutputConfigurationInput,
  ProtectedQuery,
  ProtectedQueryDistributeOutput,
  ProtectedQueryDistributeOutputConfiguration,
  ProtectedQueryDistributeOutputConfigurationLocation,
  ProtectedQueryError,
  ProtectedQueryMemberOutputConfiguration,
  ProtectedQueryOutput,
  ProtectedQueryOutputConfiguration,
  ProtectedQueryResult,
  ProtectedQueryResultConfiguration,
  ProtectedQueryS3Output,
  ProtectedQueryS3OutputConfiguration,
  ProtectedQuerySingleMemberOutput,
  ProtectedQuerySQLParameters,
  ProtectedQueryStatistics,
  ProtectedQuerySummary,
  ReceiverConfiguration,
  WorkerComputeConfiguration,
  WorkerComputeConfigurationProperties,
} from '@aws-sdk/client-cleanrooms';

/**
 * The one place where values from the service are checked. The SDK does not check JSON types (a
 * `status` of 42 reaches us typed as a string), so every record is conformed here, where it
 * arrives, and the rest of the extension trusts the SDK's types.
 *
 * Policy (lenient, never silent): a field whose value has the wrong type is removed from the typed
 * record and set aside in `$unexpected`, keyed by its path ("status",
 * "defaultResultConfiguration.outputConfiguration.s3.bucket", "receiverConfigurations[0]"), so a
 * view can still show what arrived. Fields the schema does not know (a newer API, a union's
 * `$unknown` member) are kept as they are. `null` is JSON's "not set" and is left out. A list
 * keeps its entries of the right type; if any entry was wrong, the whole list as received is set
 * aside too, so a view can show it in order.
 */

export type Unexpected = Readonly<Record<string, unknown>>;

/** A record as the service sent it, minus the values of the wrong type, which are in `$unexpected`. */
export type Conformed<T> = T & { readonly $unexpected?: Unexpected };

export type Conformer<T> = (value: unknown) => Conformed<T> | undefined;

/** What a field must hold. Enums are strings: a value this SDK does not know is still text. */
export type Field = 'string' | 'number' | 'boolean' | 'date' | 'strings' | Structure | ListOf;

export interface Structure {
  readonly kind: 'structure';
  readonly fields: Readonly<Record<string, Field>>;
}

export interface ListOf {
  readonly kind: 'list';
  readonly of: Field;
}

/** The field kind that fits a property type of an SDK shape, so a table cannot say 'string' for a Date. */
type FieldFor<V> = [NonNullable<V>] extends [string]
  ? 'string'
  : [NonNullable<V>] extends [number]
    ? 'number'
    : [NonNullable<V>] extends [boolean]
      ? 'boolean'
      : [NonNullable<V>] extends [Date]
        ? 'date'
        : [NonNullable<V>] extends [readonly string[]]
          ? 'strings'
          : Structure | ListOf;

/** One entry per field of the SDK type (the compiler reports a field the table forgets). */
export type Shape<T> = { readonly [K in Exclude<keyof T, '$unknown'>]-?: FieldFor<T[K]> };

function structure<T>(fields: Shape<T>): Structure {
  return { kind: 'structure', fields };
}

/** A union is a structure with one member set; a member this SDK does not know arrives as `$unknown` and is kept. */
const union = structure;

function listOf(of: Field): ListOf {
  return { kind: 'list', of };
}

/** A conformer for one record type: adding a record type is one table and one line. */
function conformer<T>(shape: Shape<T>): Conformer<T> {
  const fields = shape as Readonly<Record<string, Field>>;
  return (value) => {
    if (!isPlainObject(value)) {
      return undefined;
    }
    const aside: Record<string, unknown> = {};
    const out = conformFields(value, fields, '', aside);
    if (Object.keys(aside).length > 0) {
      define(out, '$unexpected', aside);
    }
    return out as Conformed<T>;
  };
}

// ---- The records the service returns ------------------------------------------------------

const PAYER = structure<{ isResponsible: boolean | undefined }>({ isResponsible: 'boolean' });

const ML_ABILITIES = structure<MLMemberAbilities>({ customMLMemberAbilities: 'strings' });

/** MembershipPaymentConfiguration and PaymentConfiguration (members) have the same fields. */
const PAYMENT = structure<MembershipPaymentConfiguration>({
  queryCompute: PAYER,
  machineLearning: structure<MembershipMLPaymentConfig>({ modelTraining: PAYER, modelInference: PAYER, syntheticDataGeneration: PAYER }),
  jobCompute: PAYER,
});

const RESULT_CONFIGURATION = structure<MembershipProtectedQueryResultConfiguration>({
  outputConfiguration: union<MembershipProtectedQueryOutputConfiguration>({
    s3: structure<ProtectedQueryS3OutputConfiguration>({ resultFormat: 'string', bucket: 'string', keyPrefix: 'string', singleFileOutput: 'boolean' }),
  }),
  roleArn: 'string',
});

const JOB_RESULT_CONFIGURATION = structure<MembershipProtectedJobResultConfiguration>({
  outputConfiguration: union<MembershipProtectedJobOutputConfiguration>({
    s3: structure<ProtectedJobS3OutputConfigurationInput>({ bucket: 'string', keyPrefix: 'string' }),
  }),
  roleArn: 'string',
});

/** The fields a MembershipSummary shares with a Membership. */
const MEMBERSHIP_SUMMARY: Shape<MembershipSummary> = {
  id: 'string',
  arn: 'string',
  collaborationArn: 'string',
  collaborationId: 'string',
  collaborationCreatorAccountId: 'string',
  collaborationCreatorDisplayName: 'string',
  collaborationName: 'string',
  createTime: 'date',
  updateTime: 'date',
  status: 'string',
  memberAbilities: 'strings',
  mlMemberAbilities: ML_ABILITIES,
  paymentConfiguration: PAYMENT,
};

export const conformMembershipSummary = conformer<MembershipSummary>(MEMBERSHIP_SUMMARY);

export const conformMembership = conformer<Membership>({
  ...MEMBERSHIP_SUMMARY,
  queryLogStatus: 'string',
  jobLogStatus: 'string',
  defaultResultConfiguration: RESULT_CONFIGURATION,
  defaultJobResultConfiguration: JOB_RESULT_CONFIGURATION,
  isMetricsEnabled: 'boolean',
});

export const conformCollaboration = conformer<Collaboration>({
  id: 'string',
  arn: 'string',
  name: 'string',
  description: 'string',
  creatorAccountId: 'string',
  creatorDisplayName: 'string',
  createTime: 'date',
  updateTime: 'date',
  memberStatus: 'string',
  membershipId: 'string',
  membershipArn: 'string',
  dataEncryptionMetadata: structure<DataEncryptionMetadata>({ allowCleartext: 'boolean', allowDuplicates: 'boolean', allowJoinsOnColumnsWithDifferentNames: 'boolean', preserveNulls: 'boolean' }),
  queryLogStatus: 'string',
  jobLogStatus: 'string',
  analyticsEngine: 'string',
  autoApprovedChangeTypes: 'strings',
  allowedResultRegions: 'strings',
  isMetricsEnabled: 'boolean',
});

export const conformMemberSummary = conformer<MemberSummary>({
  accountId: 'string',
  status: 'string',
  displayName: 'string',
  abilities: 'strings',
  mlAbilities: ML_ABILITIES,
  createTime: 'date',
  updateTime: 'date',
  membershipId: 'string',
  membershipArn: 'string',
  paymentConfiguration: PAYMENT,
});

export const conformConfiguredTableAssociationSummary = conformer<ConfiguredTableAssociationSummary>({
  configuredTableId: 'string',
  membershipId: 'string',
  membershipArn: 'string',
  name: 'string',
  createTime: 'date',
  updateTime: 'date',
  id: 'string',
  arn: 'string',
  analysisRuleTypes: 'strings',
});

export const conformCollaborationAnalysisTemplateSummary = conformer<CollaborationAnalysisTemplateSummary>({
  arn: 'string',
  createTime: 'date',
  id: 'string',
  name: 'string',
  updateTime: 'date',
  collaborationArn: 'string',
  collaborationId: 'string',
  creatorAccountId: 'string',
  description: 'string',
  isSyntheticData: 'boolean',
});

const ARTIFACT = structure<AnalysisTemplateArtifact>({ location: structure<S3Location>({ bucket: 'string', key: 'string' }) });
const HASH = structure<Hash>({ sha256: 'string' });

export const conformCollaborationAnalysisTemplate = conformer<CollaborationAnalysisTemplate>({
  id: 'string',
  arn: 'string',
  collaborationId: 'string',
  collaborationArn: 'string',
  description: 'string',
  creatorAccountId: 'string',
  name: 'string',
  createTime: 'date',
  updateTime: 'date',
  schema: structure<AnalysisSchema>({ referencedTables: 'strings' }),
  format: 'string',
  source: union<AnalysisSource>({
    text: 'string',
    artifacts: structure<AnalysisTemplateArtifacts>({ entryPoint: ARTIFACT, additionalArtifacts: listOf(ARTIFACT), roleArn: 'string' }),
  }),
  sourceMetadata: union<AnalysisSourceMetadata>({
    artifacts: structure<AnalysisTemplateArtifactMetadata>({ entryPointHash: HASH, additionalArtifactHashes: listOf(HASH) }),
  }),
  analysisParameters: listOf(structure<AnalysisParameter>({ name: 'string', type: 'string', defaultValue: 'string' })),
  validations: listOf(
    structure<AnalysisTemplateValidationStatusDetail>({
      type: 'string',
      status: 'string',
      reasons: listOf(structure<AnalysisTemplateValidationStatusReason>({ message: 'string' })),
    }),
  ),
  errorMessageConfiguration: structure<ErrorMessageConfiguration>({ type: 'string' }),
  syntheticDataParameters: union<SyntheticDataParameters>({
    mlSyntheticDataParameters: structure<MLSyntheticDataParameters>({
      epsilon: 'number',
      maxMembershipInferenceAttackScore: 'number',
      columnClassification: structure<ColumnClassificationDetails>({
        columnMapping: listOf(structure<SyntheticDataColumnProperties>({ columnName: 'string', columnType: 'string', isPredictiveValue: 'boolean' })),
      }),
    }),
  }),
});

export const conformProtectedQuerySummary = conformer<ProtectedQuerySummary>({
  id: 'string',
  membershipId: 'string',
  membershipArn: 'string',
  createTime: 'date',
  status: 'string',
  receiverConfigurations: listOf(
    structure<ReceiverConfiguration>({
      analysisType: 'string',
      configurationDetails: union<ConfigurationDetails>({
        directAnalysisConfigurationDetails: structure<DirectAnalysisConfigurationDetails>({ receiverAccountIds: 'strings' }),
      }),
    }),
  ),
});

/** A map of names to strings (template parameters, Spark properties): kept as sent, values not checked. */
const STRING_MAP = structure<Record<string, string>>({});

const S3_OUTPUT_CONFIGURATION = structure<ProtectedQueryS3OutputConfiguration>({ resultFormat: 'string', bucket: 'string', keyPrefix: 'string', singleFileOutput: 'boolean' });
const MEMBER_OUTPUT_CONFIGURATION = structure<ProtectedQueryMemberOutputConfiguration>({ accountId: 'string' });
const MEMBER_OUTPUT_LIST = listOf(structure<ProtectedQuerySingleMemberOutput>({ accountId: 'string' }));
const S3_OUTPUT = structure<ProtectedQueryS3Output>({ location: 'string' });

export const conformProtectedQuery = conformer<ProtectedQuery>({
  id: 'string',
  membershipId: 'string',
  membershipArn: 'string',
  createTime: 'date',
  sqlParameters: structure<ProtectedQuerySQLParameters>({ queryString: 'string', analysisTemplateArn: 'string', parameters: STRING_MAP }),
  status: 'string',
  resultConfiguration: structure<ProtectedQueryResultConfiguration>({
    outputConfiguration: union<ProtectedQueryOutputConfiguration>({
      s3: S3_OUTPUT_CONFIGURATION,
      member: MEMBER_OUTPUT_CONFIGURATION,
      distribute: structure<ProtectedQueryDistributeOutputConfiguration>({
        locations: listOf(union<ProtectedQueryDistributeOutputConfigurationLocation>({ s3: S3_OUTPUT_CONFIGURATION, member: MEMBER_OUTPUT_CONFIGURATION })),
      }),
    }),
  }),
  statistics: structure<ProtectedQueryStatistics>({
    totalDurationInMillis: 'number',
    billedResourceUtilization: structure<BilledResourceUtilization>({ units: 'number' }),
  }),
  result: structure<ProtectedQueryResult>({
    output: union<ProtectedQueryOutput>({
      s3: S3_OUTPUT,
      memberList: MEMBER_OUTPUT_LIST,
      distribute: structure<ProtectedQueryDistributeOutput>({ s3: S3_OUTPUT, memberList: MEMBER_OUTPUT_LIST }),
    }),
  }),
  error: structure<ProtectedQueryError>({ message: 'string', code: 'string' }),
  differentialPrivacy: structure<DifferentialPrivacyParameters>({
    sensitivityParameters: listOf(
      structure<DifferentialPrivacySensitivityParameters>({
        aggregationType: 'string',
        aggregationExpression: 'string',
        userContributionLimit: 'number',
        minColumnValue: 'number',
        maxColumnValue: 'number',
      }),
    ),
  }),
  computeConfiguration: union<ComputeConfiguration>({
    worker: structure<WorkerComputeConfiguration>({ type: 'string', number: 'number', properties: union<WorkerComputeConfigurationProperties>({ spark: STRING_MAP }) }),
  }),
});

// ---- Schemas and analysis rules -----------------------------------------------------------

/**
 * A structured value kept as sent, unchecked: only ever shown as JSON (a rule's collaboration and
 * consolidated policies, a schema's ID-mapping properties), never read field by field.
 */
const AS_SENT: Structure = { kind: 'structure', fields: {} };

const COLUMNS = listOf(structure<Column>({ name: 'string', type: 'string' }));

const SCHEMA_SUMMARY: Shape<SchemaSummary> = {
  name: 'string',
  type: 'string',
  creatorAccountId: 'string',
  createTime: 'date',
  updateTime: 'date',
  collaborationId: 'string',
  collaborationArn: 'string',
  analysisRuleTypes: 'strings',
  analysisMethod: 'string',
  resourceArn: 'string',
  selectedAnalysisMethods: 'strings',
};

export const conformSchemaSummary = conformer<SchemaSummary>(SCHEMA_SUMMARY);

export const conformSchema = conformer<Schema>({
  ...SCHEMA_SUMMARY,
  columns: COLUMNS,
  partitionKeys: COLUMNS,
  description: 'string',
  schemaStatusDetails: listOf(
    structure<SchemaStatusDetail>({
      status: 'string',
      reasons: listOf(structure<SchemaStatusReason>({ code: 'string', message: 'string' })),
      analysisRuleType: 'string',
      configurations: 'strings',
      analysisType: 'string',
    }),
  ),
  schemaTypeProperties: AS_SENT,
});

const JOIN_OPERATORS = 'strings';

export const conformAnalysisRule = conformer<AnalysisRule>({
  collaborationId: 'string',
  type: 'string',
  name: 'string',
  createTime: 'date',
  updateTime: 'date',
  policy: union<AnalysisRulePolicy>({
    v1: union<AnalysisRulePolicyV1>({
      aggregation: structure<AnalysisRuleAggregation>({
        aggregateColumns: listOf(structure<AggregateColumn>({ columnNames: 'strings', function: 'string' })),
        joinColumns: 'strings',
        joinRequired: 'string',
        allowedJoinOperators: JOIN_OPERATORS,
        dimensionColumns: 'strings',
        scalarFunctions: 'strings',
        outputConstraints: listOf(structure<AggregationConstraint>({ columnName: 'string', minimum: 'number', type: 'string' })),
        additionalAnalyses: 'string',
      }),
      list: structure<AnalysisRuleList>({ joinColumns: 'strings', allowedJoinOperators: JOIN_OPERATORS, listColumns: 'strings', additionalAnalyses: 'string' }),
      custom: structure<AnalysisRuleCustom>({
        allowedAnalyses: 'strings',
        allowedAnalysisProviders: 'strings',
        additionalAnalyses: 'string',
        disallowedOutputColumns: 'strings',
        differentialPrivacy: structure<DifferentialPrivacyConfiguration>({ columns: listOf(structure<DifferentialPrivacyColumn>({ name: 'string' })) }),
      }),
      idMappingTable: structure<AnalysisRuleIdMappingTable>({
        joinColumns: 'strings',
        queryConstraints: listOf(union<QueryConstraint>({ requireOverlap: structure<QueryConstraintRequireOverlap>({ columns: 'strings' }) })),
        dimensionColumns: 'strings',
      }),
    }),
  }),
  collaborationPolicy: AS_SENT,
  consolidatedPolicy: AS_SENT,
});

export const conformBatchGetSchemaError = conformer<BatchGetSchemaError>({ name: 'string', code: 'string', message: 'string' });

export const conformBatchGetSchemaAnalysisRuleError = conformer<BatchGetSchemaAnalysisRuleError>({ name: 'string', type: 'string', code: 'string', message: 'string' });

// ---- Privacy budgets (ListPrivacyBudgets, PreviewPrivacyImpact) ----------------------------

export const conformPrivacyBudgetSummary = conformer<PrivacyBudgetSummary>({
  id: 'string',
  privacyBudgetTemplateId: 'string',
  privacyBudgetTemplateArn: 'string',
  membershipId: 'string',
  membershipArn: 'string',
  collaborationId: 'string',
  collaborationArn: 'string',
  type: 'string',
  createTime: 'date',
  updateTime: 'date',
  budget: union<PrivacyBudget>({
    differentialPrivacy: structure<DifferentialPrivacyPrivacyBudget>({
      aggregations: listOf(structure<DifferentialPrivacyPrivacyBudgetAggregation>({ type: 'string', maxCount: 'number', remainingCount: 'number' })),
      epsilon: 'number',
    }),
    accessBudget: structure<AccessBudget>({
      resourceArn: 'string',
      details: listOf(
        structure<AccessBudgetDetails>({ startTime: 'date', endTime: 'date', remainingBudget: 'number', budget: 'number', budgetType: 'string', autoRefresh: 'string' }),
      ),
      aggregateRemainingBudget: 'number',
    }),
  }),
});

/** PreviewPrivacyImpact's `privacyImpact` union. */
export const conformPrivacyImpact = conformer<PrivacyImpact>({
  differentialPrivacy: structure<DifferentialPrivacyPrivacyImpact>({
    aggregations: listOf(structure<DifferentialPrivacyPreviewAggregation>({ type: 'string', maxCount: 'number' })),
  }),
});

// ---- Lists and pages ----------------------------------------------------------------------

/**
 * The records of a list response. A list that is not a list is a malformed response (thrown, so it
 * is reported like unparseable JSON); entries that are not records are skipped.
 */
export function conformList<T>(value: unknown, field: string, conform: Conformer<T>): Conformed<T>[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new SyntaxError(`${field} in the response is not a list.`);
  }
  return value.map(conform).filter((r): r is Conformed<T> => r !== undefined);
}

/** Pages one list call may follow: 100,000 records, far beyond any account. */
const MAX_PAGES = 1000;

/**
 * The token for the next page, checked: a token that is not text, one already followed (an
 * endpoint that loops) or one page too many is a malformed response, not an endless loop.
 */
export function pageToken(value: unknown, followed: Set<string>): string | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new SyntaxError('nextToken in the response is not text.');
  }
  if (followed.has(value)) {
    throw new SyntaxError('The response repeats a nextToken already followed, so the list would never end.');
  }
  if (followed.size >= MAX_PAGES) {
    throw new SyntaxError(`The list goes on past ${MAX_PAGES} pages.`);
  }
  followed.add(value);
  return value;
}

// ---- Reading what was set aside, and values of no known type ------------------------------

/** The value set aside at `path`, or undefined when the field had the right type (or was absent). */
export function unexpectedAt(record: object, path: string): unknown {
  const aside = (record as Conformed<object>).$unexpected;
  return aside !== undefined && Object.hasOwn(aside, path) ? aside[path] : undefined;
}

/** Every value set aside in a record, by path. */
export function unexpectedEntries(record: object): Array<[string, unknown]> {
  const aside = (record as Conformed<object>).$unexpected;
  return aside === undefined ? [] : Object.entries(aside);
}

/** What a value of no declared type is (a set-aside value, a field a newer API added), for a view to show. */
export type Inspected =
  | { readonly type: 'absent' }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number | bigint }
  | { readonly type: 'boolean'; readonly value: boolean }
  /** Possibly an invalid Date: only conformed fields are checked for that. */
  | { readonly type: 'date'; readonly value: Date }
  | { readonly type: 'list'; readonly value: readonly unknown[] }
  | { readonly type: 'object'; readonly value: Readonly<Record<string, unknown>> }
  | { readonly type: 'other'; readonly value: unknown };

export function inspect(value: unknown): Inspected {
  if (value === undefined || value === null) {
    return { type: 'absent' };
  }
  if (typeof value === 'string') {
    return { type: 'string', value };
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return { type: 'number', value };
  }
  if (typeof value === 'boolean') {
    return { type: 'boolean', value };
  }
  if (value instanceof Date) {
    return { type: 'date', value };
  }
  if (Array.isArray(value)) {
    return { type: 'list', value };
  }
  if (isPlainObject(value)) {
    return { type: 'object', value };
  }
  return { type: 'other', value };
}

// ---- The walk ------------------------------------------------------------------------------

type Checked = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function conformFields(value: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, Field>>, prefix: string, aside: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const path = `${prefix}${key}`;
    if (key === '$unexpected') {
      // The wire's own field of that name must not pass for our record of set-aside values.
      aside[path] = v;
      continue;
    }
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) {
      define(out, key, v);
      continue;
    }
    if (v === undefined || v === null) {
      continue;
    }
    const checked = conformValue(v, field, path, aside);
    if (checked.ok) {
      define(out, key, checked.value);
    } else {
      aside[path] = v;
    }
  }
  return out;
}

function conformValue(value: unknown, field: Field, path: string, aside: Record<string, unknown>): Checked {
  switch (field) {
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false };
    case 'number':
      return typeof value === 'number' ? { ok: true, value } : { ok: false };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false };
    case 'date':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? { ok: true, value } : { ok: false };
    case 'strings':
      return conformValue(value, STRING_LIST, path, aside);
  }
  if (field.kind === 'structure') {
    return isPlainObject(value) ? { ok: true, value: conformFields(value, field.fields, `${path}.`, aside) } : { ok: false };
  }
  if (!Array.isArray(value)) {
    return { ok: false };
  }
  const kept: unknown[] = [];
  value.forEach((entry: unknown, i) => {
    const checked = entry === undefined || entry === null ? { ok: false as const } : conformValue(entry, field.of, `${path}[${i}]`, aside);
    if (checked.ok) {
      kept.push(checked.value);
    }
  });
  if (kept.length < value.length) {
    aside[path] = value;
  }
  return { ok: true, value: kept };
}

const STRING_LIST = listOf('string');

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** defineProperty: a key named "__proto__" stays an ordinary key. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
