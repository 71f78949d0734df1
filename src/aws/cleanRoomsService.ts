import type {
  AnalysisRule,
  AnalysisRuleType,
  BatchGetSchemaAnalysisRuleError,
  BatchGetSchemaError,
  Schema,
  SchemaSummary,
  CleanRoomsClient,
  Collaboration,
  CollaborationAnalysisTemplate,
  CollaborationAnalysisTemplateSummary,
  ConfiguredTableAssociationSummary,
  MemberSummary,
  Membership,
  MembershipStatus,
  MembershipSummary,
  MembershipProtectedJobResultConfiguration,
  MembershipProtectedQueryResultConfiguration,
  MembershipJobLogStatus,
  MembershipQueryLogStatus,
  ProtectedQuery,
  ProtectedQueryResultConfiguration,
  ProtectedQueryStatus,
  ProtectedQuerySummary,
  ComputeConfiguration,
  PreviewPrivacyImpactParametersInput,
  PrivacyBudgetSummary,
  PrivacyBudgetType,
  PrivacyImpact,
} from '@aws-sdk/client-cleanrooms';
import { type CleanRoomsClientFactory, describeConnection, resolveConnection, type Connection, type ConnectionRequest } from './clientFactory';
import {
  conformAnalysisRule,
  conformBatchGetSchemaAnalysisRuleError,
  conformBatchGetSchemaError,
  conformSchema,
  conformSchemaSummary,
  conformCollaboration,
  conformCollaborationAnalysisTemplate,
  conformCollaborationAnalysisTemplateSummary,
  conformConfiguredTableAssociationSummary,
  conformList,
  conformMembership,
  conformMembershipSummary,
  conformMemberSummary,
  conformProtectedQuery,
  conformProtectedQuerySummary,
  conformPrivacyBudgetSummary,
  conformPrivacyImpact,
  pageToken,
  type Conformed,
} from './conform';
import { cancelled, emptyResponse, timeoutFailure, toFailure, unexpectedShape, type CleanRoomsFailure } from './errors';
import { loadSdk } from './loadSdk';
import { type ProfileFiles } from './profiles';

/** The part of a log channel the service needs; VS Code's LogOutputChannel fits. */
export interface CallLog {
  info(message: string): void;
  warn(message: string): void;
}

export type Result<T> = { ok: true; value: T; connection: Connection; requestId?: string } | { ok: false; failure: CleanRoomsFailure; connection?: Connection };

export interface MembershipRecord {
  readonly membership: Conformed<Membership>;
  /** When this copy was fetched, for "updated … ago" and staleness. */
  readonly fetchedAt: Date;
}

const PAGE_SIZE = 100;
/** Drill-down lists page in smaller steps: people read the first few, "Load more" fetches the rest. */
const BRANCH_PAGE_SIZE = 25;

/** The lists under a membership in the tree, and what each holds. */
export interface BranchItems {
  members: Conformed<MemberSummary>;
  associations: Conformed<ConfiguredTableAssociationSummary>;
  /** The collaboration's templates (every member's), not only this membership's own. */
  templates: TemplateListing;
  queries: Conformed<ProtectedQuerySummary>;
}
export type BranchKind = keyof BranchItems;

/**
 * A template row: the summary, and the whole template when it could be read (the summary has no
 * format and no parameters, which the row shows). A template that could not be read still lists.
 */
export type TemplateListing = Conformed<CollaborationAnalysisTemplateSummary> & { readonly template?: Conformed<CollaborationAnalysisTemplate> };

/** GetCollaborationAnalysisTemplate calls in flight at once while a page of templates is listed. */
const TEMPLATE_READS_AT_ONCE = 4;

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** What StartProtectedQuery sends. */
export interface StartQueryInput {
  /** SQL text, or a template and its parameters. */
  readonly queryString?: string;
  readonly analysisTemplateArn?: string;
  readonly parameters?: Record<string, string>;
  /** Absent: the membership's default result configuration. */
  readonly resultConfiguration?: ProtectedQueryResultConfiguration;
  /** Spark engine only. */
  readonly computeConfiguration?: ComputeConfiguration;
}

/** The fields UpdateMembership may change; absent ones are left as they are. */
export interface MembershipChange {
  readonly queryLogStatus?: MembershipQueryLogStatus;
  readonly jobLogStatus?: MembershipJobLogStatus;
  readonly defaultResultConfiguration?: MembershipProtectedQueryResultConfiguration;
  readonly defaultJobResultConfiguration?: MembershipProtectedJobResultConfiguration;
}

/** The most names BatchGetSchema and BatchGetSchemaAnalysisRule take per call. */
export const SCHEMA_BATCH_SIZE = 25;
/** Batch calls of one load in flight at once: enough to halve the wait, few enough not to be throttled. */
const SCHEMA_BATCH_PARALLEL = 2;

/** What the batch calls returned, merged over their batches. */
export interface SchemaBatch {
  readonly schemas: Conformed<Schema>[];
  readonly errors: Conformed<BatchGetSchemaError>[];
}

export interface AnalysisRuleBatch {
  readonly analysisRules: Conformed<AnalysisRule>[];
  readonly errors: Conformed<BatchGetSchemaAnalysisRuleError>[];
}

/** A table's analysis rule of one type, as BatchGetSchemaAnalysisRule asks for it. */
export interface RuleRequest {
  readonly name: string;
  readonly type: AnalysisRuleType;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/**
 * Runs `run` on each batch, SCHEMA_BATCH_PARALLEL at a time; the first failure stops the batches
 * not yet started and is the answer. No batches: undefined (nothing was sent).
 */
async function inBatches<T, R>(batches: readonly T[], run: (batch: T) => Promise<Result<R>>): Promise<Result<R[]> | undefined> {
  const values: R[] = [];
  let last: Result<R> | undefined;
  for (let i = 0; i < batches.length; i += SCHEMA_BATCH_PARALLEL) {
    const results = await Promise.all(batches.slice(i, i + SCHEMA_BATCH_PARALLEL).map(run));
    for (const r of results) {
      if (!r.ok) {
        return r;
      }
      values.push(r.value);
      last = r;
    }
  }
  return last?.ok ? { ok: true, value: values, connection: last.connection, requestId: last.requestId } : undefined;
}

/** Retries of a throttled StartProtectedQuery (the only failure after which a start is known not to have happened). */
const START_THROTTLE_RETRIES = 3;
const START_THROTTLE_BASE_MS = 250;

function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException' || e.$metadata?.httpStatusCode === 429;
}

/** Waits `ms`, or rejects with an AbortError when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(Object.assign(new Error('Aborted'), { name: 'AbortError' }));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

/**
 * The one place that talks to AWS. Every call gets a deadline (the requestTimeoutSeconds setting,
 * across retries) and an optional caller signal for user cancellation, is logged without secrets,
 * and returns a Result instead of throwing.
 */
export class CleanRoomsService {
  constructor(
    private readonly factory: CleanRoomsClientFactory,
    readonly profiles: ProfileFiles,
    private readonly log: CallLog,
  ) {}

  /** Drops cached clients and re-reads the profile files on next use. */
  reset(): void {
    this.factory.clear();
    this.profiles.invalidate();
  }

  resolve(request: ConnectionRequest): ReturnType<typeof resolveConnection> {
    return resolveConnection(request, this.profiles);
  }

  async getMembership(request: ConnectionRequest, membershipId: string, signal?: AbortSignal): Promise<Result<MembershipRecord>> {
    return this.call<MembershipRecord>(request, 'GetMembership', membershipId, signal, async (client, abortSignal) => {
      const out = await client.send(new (loadSdk().GetMembershipCommand)({ membershipIdentifier: membershipId }), { abortSignal });
      return membershipRecord(out.membership, out.$metadata.requestId);
    });
  }

  /** All membership summaries visible to the connection's account, one call per 100. */
  async listMemberships(request: ConnectionRequest, signal?: AbortSignal, status?: MembershipStatus): Promise<Result<Conformed<MembershipSummary>[]>> {
    return this.call(request, 'ListMemberships', undefined, signal, async (client, abortSignal) => {
      const all: Conformed<MembershipSummary>[] = [];
      const tokens = new Set<string>();
      let nextToken: string | undefined;
      let requestId: string | undefined;
      do {
        const page = await client.send(new (loadSdk().ListMembershipsCommand)({ maxResults: PAGE_SIZE, nextToken, status }), { abortSignal });
        for (const summary of conformList(page.membershipSummaries, 'membershipSummaries', conformMembershipSummary)) {
          all.push(summary);
        }
        requestId = page.$metadata.requestId;
        nextToken = pageToken(page.nextToken, tokens);
      } while (nextToken);
      return { value: all, requestId };
    });
  }

  async getCollaboration(request: ConnectionRequest, collaborationId: string, signal?: AbortSignal): Promise<Result<Conformed<Collaboration>>> {
    return this.call<Conformed<Collaboration>>(request, 'GetCollaboration', collaborationId, signal, async (client, abortSignal) => {
      const out = await client.send(new (loadSdk().GetCollaborationCommand)({ collaborationIdentifier: collaborationId }), { abortSignal });
      if (!out.collaboration) {
        return { failure: emptyResponse('collaboration', out.$metadata.requestId), requestId: out.$metadata.requestId };
      }
      const collaboration = conformCollaboration(out.collaboration);
      if (!collaboration) {
        return { failure: unexpectedShape('collaboration', out.$metadata.requestId), requestId: out.$metadata.requestId };
      }
      return { value: collaboration, requestId: out.$metadata.requestId };
    });
  }

  /** One page of a drill-down list. `ids` names the membership and its collaboration. */
  async listBranchPage<K extends BranchKind>(
    request: ConnectionRequest,
    kind: K,
    ids: { membershipId: string; collaborationId: string },
    nextToken: string | undefined,
    signal?: AbortSignal,
  ): Promise<Result<Page<BranchItems[K]>>> {
    const maxResults = BRANCH_PAGE_SIZE;
    const membershipIdentifier = ids.membershipId;
    const operations: { [P in BranchKind]: [string, string, (client: CleanRoomsClient, abortSignal: AbortSignal) => Promise<{ items: BranchItems[P][]; nextToken?: string; requestId?: string }>] } = {
      members: ['ListMembers', ids.collaborationId, async (client, abortSignal) => {
        const out = await client.send(new (loadSdk().ListMembersCommand)({ collaborationIdentifier: ids.collaborationId, maxResults, nextToken }), { abortSignal });
        return { items: conformList(out.memberSummaries, 'memberSummaries', conformMemberSummary), nextToken: out.nextToken, requestId: out.$metadata.requestId };
      }],
      associations: ['ListConfiguredTableAssociations', membershipIdentifier, async (client, abortSignal) => {
        const out = await client.send(new (loadSdk().ListConfiguredTableAssociationsCommand)({ membershipIdentifier, maxResults, nextToken }), { abortSignal });
        return { items: conformList(out.configuredTableAssociationSummaries, 'configuredTableAssociationSummaries', conformConfiguredTableAssociationSummary), nextToken: out.nextToken, requestId: out.$metadata.requestId };
      }],
      templates: ['ListCollaborationAnalysisTemplates', ids.collaborationId, async (client, abortSignal) => {
        const out = await client.send(new (loadSdk().ListCollaborationAnalysisTemplatesCommand)({ collaborationIdentifier: ids.collaborationId, maxResults, nextToken }), { abortSignal });
        const summaries = conformList(out.collaborationAnalysisTemplateSummaries, 'collaborationAnalysisTemplateSummaries', conformCollaborationAnalysisTemplateSummary);
        return {
          items: await this.withTemplates(client, ids.collaborationId, summaries, abortSignal),
          nextToken: out.nextToken,
          requestId: out.$metadata.requestId,
        };
      }],
      queries: ['ListProtectedQueries', membershipIdentifier, async (client, abortSignal) => {
        const out = await client.send(new (loadSdk().ListProtectedQueriesCommand)({ membershipIdentifier, maxResults, nextToken }), { abortSignal });
        return { items: conformList(out.protectedQueries, 'protectedQueries', conformProtectedQuerySummary), nextToken: out.nextToken, requestId: out.$metadata.requestId };
      }],
    };
    const [operation, resourceId, run] = operations[kind];
    return this.call<Page<BranchItems[K]>>(request, operation, resourceId, signal, async (client, abortSignal) => {
      const out = await run(client, abortSignal);
      return { value: { items: out.items, nextToken: pageToken(out.nextToken, new Set(nextToken ? [nextToken] : [])) }, requestId: out.requestId };
    });
  }

  /** Every analysis template of a collaboration (all members'), one call per 100. */
  async listCollaborationAnalysisTemplates(request: ConnectionRequest, collaborationId: string, signal?: AbortSignal): Promise<Result<Conformed<CollaborationAnalysisTemplateSummary>[]>> {
    return this.call(request, 'ListCollaborationAnalysisTemplates', collaborationId, signal, async (client, abortSignal) => {
      const all: Conformed<CollaborationAnalysisTemplateSummary>[] = [];
      const tokens = new Set<string>();
      let nextToken: string | undefined;
      let requestId: string | undefined;
      do {
        const page = await client.send(new (loadSdk().ListCollaborationAnalysisTemplatesCommand)({ collaborationIdentifier: collaborationId, maxResults: PAGE_SIZE, nextToken }), { abortSignal });
        all.push(...conformList(page.collaborationAnalysisTemplateSummaries, 'collaborationAnalysisTemplateSummaries', conformCollaborationAnalysisTemplateSummary));
        requestId = page.$metadata.requestId;
        nextToken = pageToken(page.nextToken, tokens);
      } while (nextToken);
      return { value: all, requestId };
    });
  }

  /** One template of a collaboration, with its parameters, source and validations. `arn` names it. */
  async getCollaborationAnalysisTemplate(request: ConnectionRequest, collaborationId: string, arn: string, signal?: AbortSignal): Promise<Result<Conformed<CollaborationAnalysisTemplate>>> {
    return this.call<Conformed<CollaborationAnalysisTemplate>>(request, 'GetCollaborationAnalysisTemplate', arn, signal, async (client, abortSignal) => {
      const out = await client.send(new (loadSdk().GetCollaborationAnalysisTemplateCommand)({ collaborationIdentifier: collaborationId, analysisTemplateArn: arn }), { abortSignal });
      const requestId = out.$metadata.requestId;
      if (!out.collaborationAnalysisTemplate) {
        return { failure: emptyResponse('analysis template', requestId), requestId };
      }
      const template = conformCollaborationAnalysisTemplate(out.collaborationAnalysisTemplate);
      return template ? { value: template, requestId } : { failure: unexpectedShape('analysis template', requestId), requestId };
    });
  }

  /**
   * Starts a protected query: at most ONE billed query per call. StartProtectedQuery has no
   * idempotency token, so a start retried after a timeout, a dropped connection or a 5xx may start
   * (and bill) a second query. The SDK's own retries are therefore off for this call (a client with
   * maxAttempts 1), and only a throttled start (429: the service refused it, nothing started) is
   * retried here, with backoff. After any other failure the caller must look for the query among
   * the membership's newest protected queries before saying what happened.
   */
  async startProtectedQuery(request: ConnectionRequest, membershipId: string, input: StartQueryInput, signal?: AbortSignal): Promise<Result<Conformed<ProtectedQuery>>> {
    return this.call<Conformed<ProtectedQuery>>(
      request,
      'StartProtectedQuery',
      membershipId,
      signal,
      async (client, abortSignal) => {
        const command = new (loadSdk().StartProtectedQueryCommand)({
          type: 'SQL',
          membershipIdentifier: membershipId,
          sqlParameters: { queryString: input.queryString, analysisTemplateArn: input.analysisTemplateArn, parameters: input.parameters },
          resultConfiguration: input.resultConfiguration,
          computeConfiguration: input.computeConfiguration,
        });
        for (let attempt = 0; ; attempt++) {
          try {
            const out = await client.send(command, { abortSignal });
            const started = this.protectedQueryOf(out.protectedQuery, out.$metadata.requestId);
            // A 200 without a usable record: a query may well have started, so never offer a plain retry.
            return 'failure' in started ? { ...started, failure: { ...started.failure, retryable: false } } : started;
          } catch (error: unknown) {
            if (!isThrottling(error) || attempt >= START_THROTTLE_RETRIES) {
              throw error;
            }
            this.log.info(`StartProtectedQuery ${membershipId}: throttled, retrying (${attempt + 1}/${START_THROTTLE_RETRIES})`);
            await pause(START_THROTTLE_BASE_MS * 2 ** attempt * (0.5 + Math.random() / 2), abortSignal);
          }
        }
      },
      true,
    );
  }

  async getProtectedQuery(request: ConnectionRequest, membershipId: string, protectedQueryId: string, signal?: AbortSignal): Promise<Result<Conformed<ProtectedQuery>>> {
    return this.call<Conformed<ProtectedQuery>>(request, 'GetProtectedQuery', protectedQueryId, signal, async (client, abortSignal) => {
      const out = await client.send(new (loadSdk().GetProtectedQueryCommand)({ membershipIdentifier: membershipId, protectedQueryIdentifier: protectedQueryId }), { abortSignal });
      return this.protectedQueryOf(out.protectedQuery, out.$metadata.requestId);
    });
  }

  /** UpdateProtectedQuery with targetStatus CANCELLED: the only way to cancel. Safe to retry. */
  async cancelProtectedQuery(request: ConnectionRequest, membershipId: string, protectedQueryId: string, signal?: AbortSignal): Promise<Result<Conformed<ProtectedQuery>>> {
    return this.call<Conformed<ProtectedQuery>>(request, 'UpdateProtectedQuery', protectedQueryId, signal, async (client, abortSignal) => {
      const out = await client.send(
        new (loadSdk().UpdateProtectedQueryCommand)({ membershipIdentifier: membershipId, protectedQueryIdentifier: protectedQueryId, targetStatus: 'CANCELLED' }),
        { abortSignal },
      );
      return this.protectedQueryOf(out.protectedQuery, out.$metadata.requestId);
    });
  }

  /** One page of a membership's protected queries, newest first (summaries: no SQL, duration or error). */
  async listProtectedQueries(
    request: ConnectionRequest,
    membershipId: string,
    options: { nextToken?: string; maxResults?: number; status?: ProtectedQueryStatus } = {},
    signal?: AbortSignal,
  ): Promise<Result<Page<Conformed<ProtectedQuerySummary>>>> {
    return this.call(request, 'ListProtectedQueries', membershipId, signal, async (client, abortSignal) => {
      const out = await client.send(
        new (loadSdk().ListProtectedQueriesCommand)({ membershipIdentifier: membershipId, nextToken: options.nextToken, maxResults: options.maxResults ?? BRANCH_PAGE_SIZE, status: options.status }),
        { abortSignal },
      );
      const items = conformList(out.protectedQueries, 'protectedQueries', conformProtectedQuerySummary);
      return { value: { items, nextToken: pageToken(out.nextToken, new Set(options.nextToken ? [options.nextToken] : [])) }, requestId: out.$metadata.requestId };
    });
  }

  /** UpdateMembership: sends only the fields in `change`; returns the membership as updated. */
  async updateMembership(request: ConnectionRequest, membershipId: string, change: MembershipChange, signal?: AbortSignal): Promise<Result<MembershipRecord>> {
    return this.call<MembershipRecord>(request, 'UpdateMembership', membershipId, signal, async (client, abortSignal) => {
      const out = await client.send(new (loadSdk().UpdateMembershipCommand)({ membershipIdentifier: membershipId, ...change }), { abortSignal });
      return membershipRecord(out.membership, out.$metadata.requestId);
    });
  }

  /** Every table of a collaboration (ListSchemas, all pages): names and rule types, no columns. */
  async listSchemas(request: ConnectionRequest, collaborationId: string, signal?: AbortSignal): Promise<Result<Conformed<SchemaSummary>[]>> {
    return this.call(request, 'ListSchemas', collaborationId, signal, async (client, abortSignal) => {
      const all: Conformed<SchemaSummary>[] = [];
      const tokens = new Set<string>();
      let nextToken: string | undefined;
      let requestId: string | undefined;
      do {
        const page = await client.send(new (loadSdk().ListSchemasCommand)({ collaborationIdentifier: collaborationId, maxResults: PAGE_SIZE, nextToken }), { abortSignal });
        all.push(...conformList(page.schemaSummaries, 'schemaSummaries', conformSchemaSummary));
        requestId = page.$metadata.requestId;
        nextToken = pageToken(page.nextToken, tokens);
      } while (nextToken);
      return { value: all, requestId };
    });
  }

  /** The schemas of `names` (BatchGetSchema, 25 names a call), with the names it could not return. */
  async batchGetSchemas(request: ConnectionRequest, collaborationId: string, names: readonly string[], signal?: AbortSignal): Promise<Result<SchemaBatch>> {
    const merged = await inBatches(chunks(names, SCHEMA_BATCH_SIZE), (batch) =>
      this.call<SchemaBatch>(request, 'BatchGetSchema', collaborationId, signal, async (client, abortSignal) => {
        const out = await client.send(new (loadSdk().BatchGetSchemaCommand)({ collaborationIdentifier: collaborationId, names: batch }), { abortSignal });
        return {
          value: { schemas: conformList(out.schemas, 'schemas', conformSchema), errors: conformList(out.errors, 'errors', conformBatchGetSchemaError) },
          requestId: out.$metadata.requestId,
        };
      }),
    );
    if (merged === undefined) {
      return this.nothingToAsk(request, { schemas: [], errors: [] });
    }
    return merged.ok ? { ...merged, value: { schemas: merged.value.flatMap((b) => b.schemas), errors: merged.value.flatMap((b) => b.errors) } } : merged;
  }

  /** The analysis rules asked for (BatchGetSchemaAnalysisRule, 25 a call), with those it could not return. */
  async batchGetSchemaAnalysisRules(request: ConnectionRequest, collaborationId: string, rules: readonly RuleRequest[], signal?: AbortSignal): Promise<Result<AnalysisRuleBatch>> {
    const merged = await inBatches(chunks(rules, SCHEMA_BATCH_SIZE), (batch) =>
      this.call<AnalysisRuleBatch>(request, 'BatchGetSchemaAnalysisRule', collaborationId, signal, async (client, abortSignal) => {
        const out = await client.send(
          new (loadSdk().BatchGetSchemaAnalysisRuleCommand)({ collaborationIdentifier: collaborationId, schemaAnalysisRuleRequests: batch.map((r) => ({ name: r.name, type: r.type })) }),
          { abortSignal },
        );
        return {
          value: { analysisRules: conformList(out.analysisRules, 'analysisRules', conformAnalysisRule), errors: conformList(out.errors, 'errors', conformBatchGetSchemaAnalysisRuleError) },
          requestId: out.$metadata.requestId,
        };
      }),
    );
    if (merged === undefined) {
      return this.nothingToAsk(request, { analysisRules: [], errors: [] });
    }
    return merged.ok ? { ...merged, value: { analysisRules: merged.value.flatMap((b) => b.analysisRules), errors: merged.value.flatMap((b) => b.errors) } } : merged;
  }

  /** An empty batch list: nothing is sent (the API takes 1 to 25 names), the connection still resolved. */
  private async nothingToAsk<T>(request: ConnectionRequest, value: T): Promise<Result<T>> {
    const resolved = await resolveConnection(request, this.profiles);
    return resolved.ok ? { ok: true, value, connection: resolved.connection } : { ok: false, failure: resolved.failure };
  }

  /** Each summary with its template, read a few at a time; a read that fails leaves the summary alone. */
  private async withTemplates(
    client: CleanRoomsClient,
    collaborationId: string,
    summaries: Conformed<CollaborationAnalysisTemplateSummary>[],
    abortSignal: AbortSignal,
  ): Promise<TemplateListing[]> {
    const out: TemplateListing[] = [...summaries];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < summaries.length && !abortSignal.aborted) {
        const i = next++;
        const summary = summaries[i];
        if (!summary?.arn) {
          continue;
        }
        try {
          const got = await client.send(new (loadSdk().GetCollaborationAnalysisTemplateCommand)({ collaborationIdentifier: collaborationId, analysisTemplateArn: summary.arn }), { abortSignal });
          const template = conformCollaborationAnalysisTemplate(got.collaborationAnalysisTemplate);
          if (template) {
            out[i] = { ...summary, template };
          }
        } catch (error: unknown) {
          // The row still lists without its format and parameters; the template's panel reads it again and says why.
          this.log.info(`GetCollaborationAnalysisTemplate ${summary.arn}: ${error instanceof Error ? error.name : 'failed'} (listed without details)`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(TEMPLATE_READS_AT_ONCE, summaries.length) }, worker));
    return out;
  }

  /** All of a membership's privacy budgets of one type (every page). */
  async listPrivacyBudgets(request: ConnectionRequest, membershipId: string, type: PrivacyBudgetType, signal?: AbortSignal): Promise<Result<Conformed<PrivacyBudgetSummary>[]>> {
    return this.call(request, 'ListPrivacyBudgets', membershipId, signal, async (client, abortSignal) => {
      const all: Conformed<PrivacyBudgetSummary>[] = [];
      const tokens = new Set<string>();
      let nextToken: string | undefined;
      let requestId: string | undefined;
      do {
        const page = await client.send(new (loadSdk().ListPrivacyBudgetsCommand)({ membershipIdentifier: membershipId, privacyBudgetType: type, maxResults: PAGE_SIZE, nextToken }), { abortSignal });
        all.push(...conformList(page.privacyBudgetSummaries, 'privacyBudgetSummaries', conformPrivacyBudgetSummary));
        requestId = page.$metadata.requestId;
        nextToken = pageToken(page.nextToken, tokens);
      } while (nextToken);
      return { value: all, requestId };
    });
  }

  /** PreviewPrivacyImpact: how many aggregations of each type the given privacy parameters allow. Reads only. */
  async previewPrivacyImpact(request: ConnectionRequest, membershipId: string, parameters: PreviewPrivacyImpactParametersInput, signal?: AbortSignal): Promise<Result<Conformed<PrivacyImpact>>> {
    return this.call<Conformed<PrivacyImpact>>(request, 'PreviewPrivacyImpact', membershipId, signal, async (client, abortSignal) => {
      const out = await client.send(new (loadSdk().PreviewPrivacyImpactCommand)({ membershipIdentifier: membershipId, parameters }), { abortSignal });
      const requestId = out.$metadata.requestId;
      const impact = conformPrivacyImpact(out.privacyImpact);
      return impact ? { value: impact, requestId } : { failure: unexpectedShape('privacy impact', requestId), requestId };
    });
  }

  private protectedQueryOf(value: unknown, requestId: string | undefined): { value: Conformed<ProtectedQuery>; requestId?: string } | { failure: CleanRoomsFailure; requestId?: string } {
    if (value === undefined || value === null) {
      return { failure: emptyResponse('protected query', requestId), requestId };
    }
    const protectedQuery = conformProtectedQuery(value);
    return protectedQuery ? { value: protectedQuery, requestId } : { failure: unexpectedShape('protected query', requestId), requestId };
  }

  /**
   * Resolves the connection, runs `work` with a deadline, maps any failure, and logs one line:
   * operation, ID, profile @ region, duration and outcome. Never the credentials.
   */
  async call<T>(
    request: ConnectionRequest,
    operation: string,
    resourceId: string | undefined,
    signal: AbortSignal | undefined,
    work: (client: CleanRoomsClient, abortSignal: AbortSignal) => Promise<{ value: T; requestId?: string } | { failure: CleanRoomsFailure; requestId?: string }>,
    /** Use a client whose SDK does not retry (see startProtectedQuery). */
    singleAttempt = false,
  ): Promise<Result<T>> {
    const started = Date.now();
    const subject = resourceId ? `${operation} ${resourceId}` : operation;
    const resolved = await resolveConnection(request, this.profiles);
    if (!resolved.ok) {
      this.log.warn(`${subject} (${resolved.profile ?? 'no profile'}): not sent: ${resolved.failure.title}`);
      return { ok: false, failure: resolved.failure };
    }
    const connection = resolved.connection;
    const where = describeConnection(connection);
    if (signal?.aborted) {
      return { ok: false, failure: cancelled(), connection };
    }
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, connection.timeoutMs);
    const onCancel = (): void => deadline.abort();
    signal?.addEventListener('abort', onCancel, { once: true });
    try {
      const out = await work(this.factory.get(connection, singleAttempt), deadline.signal);
      const ms = Date.now() - started;
      if ('failure' in out) {
        this.log.warn(`${subject} (${where}) ${ms} ms: ${out.failure.title}${out.requestId ? ` [request ${out.requestId}]` : ''}`);
        return { ok: false, failure: out.failure, connection };
      }
      this.log.info(`${subject} (${where}) ${ms} ms: OK${out.requestId ? ` [request ${out.requestId}]` : ''}`);
      return { ok: true, value: out.value, connection, requestId: out.requestId };
    } catch (error: unknown) {
      const failure = timedOut
        ? timeoutFailure({ timeoutMs: connection.timeoutMs })
        : signal?.aborted
          ? cancelled()
          : toFailure(error, { operation, profile: connection.profile, region: connection.region, timeoutMs: connection.timeoutMs });
      const ms = Date.now() - started;
      this.log.warn(`${subject} (${where}) ${ms} ms: ${failure.title}${failure.code ? ` (${failure.code})` : ''}${failure.requestId ? ` [request ${failure.requestId}]` : ''}`);
      return { ok: false, failure, connection };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCancel);
    }
  }
}

/** A membership reply (GetMembership, UpdateMembership) as a record, or why it is not one. */
function membershipRecord(raw: unknown, requestId: string | undefined): { value: MembershipRecord; requestId?: string } | { failure: CleanRoomsFailure; requestId?: string } {
  if (raw === undefined || raw === null) {
    return { failure: emptyResponse('membership', requestId), requestId };
  }
  const membership = conformMembership(raw);
  if (!membership) {
    return { failure: unexpectedShape('membership', requestId), requestId };
  }
  return { value: { membership, fetchedAt: new Date() }, requestId };
}
