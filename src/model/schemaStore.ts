import type { AnalysisRuleType } from '@aws-sdk/client-cleanrooms';
import type { CleanRoomsService, RuleRequest } from '../aws/cleanRoomsService';
import type { ConnectionRequest } from '../aws/clientFactory';
import { cancelled, toFailure, type CleanRoomsFailure } from '../aws/errors';
import { Emitter, type Event } from '../util/emitter';
import { catalogFrom, type Catalog, type TableSchema } from '../sql/catalog';

/** A table BatchGetSchema or BatchGetSchemaAnalysisRule did not return, with the service's reason. */
export interface SchemaError {
  readonly name: string;
  /** The rule type, when BatchGetSchemaAnalysisRule could not return that rule of the table. */
  readonly ruleType?: string;
  readonly code?: string;
  readonly message?: string;
}

/** Everything the editor knows about one collaboration's tables, fetched once and cached. */
export interface CollaborationSchemas {
  readonly collaborationId: string;
  readonly tables: readonly TableSchema[];
  readonly errors: readonly SchemaError[];
  readonly catalog: Catalog;
  readonly fetchedAt: Date;
}

export type SchemaState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly schemas: CollaborationSchemas }
  | { readonly status: 'error'; readonly failure: CleanRoomsFailure };

/**
 * The schemas and analysis rules of each collaboration the editor has looked at (ListSchemas, then
 * BatchGetSchema and BatchGetSchemaAnalysisRule in batches of 25), cached per connection and
 * collaboration. Completion, hover and the pre-flight check read it with get() (never the
 * network); the tree and a document's first look call load(). The tree's Refresh clears it.
 * Free of `vscode`.
 *
 */
/** The rule types BatchGetSchemaAnalysisRule is asked for (every type the API has today). */
const RULE_TYPES: ReadonlySet<string> = new Set<AnalysisRuleType>(['AGGREGATION', 'LIST', 'CUSTOM', 'ID_MAPPING_TABLE']);

export class SchemaStore {
  private readonly changed = new Emitter<string>();
  /** Fires the key (see key()) whose state changed; '' when everything was cleared. */
  readonly onDidChange: Event<string> = this.changed.event;
  private readonly states = new Map<string, SchemaState>();
  private readonly inFlight = new Map<string, Promise<SchemaState>>();
  /** Bumped by clear(): a fetch started before it does not store its answer. */
  private generation = 0;

  constructor(private readonly service: CleanRoomsService) {}

  /** The cache key of a collaboration under a connection request. */
  key(request: ConnectionRequest, collaborationId: string): string {
    return JSON.stringify([request.profile ?? '', request.region ?? '', request.endpoint ?? '', collaborationId]);
  }

  /** What is cached; never fetches. */
  get(request: ConnectionRequest, collaborationId: string): SchemaState | undefined {
    return this.states.get(this.key(request, collaborationId));
  }

  /**
   * Fetches when nothing is cached (or `refresh`); one fetch per key at a time, shared by callers.
   * `signal` stops this caller's wait (it gets a cancelled failure); the shared fetch goes on for
   * the others and is cached.
   */
  async load(request: ConnectionRequest, collaborationId: string, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<SchemaState> {
    const key = this.key(request, collaborationId);
    const cached = this.states.get(key);
    let running = this.inFlight.get(key);
    if (!running) {
      if (cached && cached.status !== 'loading' && !options.refresh) {
        return cached;
      }
      running = this.fetch(key, request, collaborationId);
    }
    return options.signal ? raceAbort(running, options.signal) : running;
  }

  private fetch(key: string, request: ConnectionRequest, collaborationId: string): Promise<SchemaState> {
    const generation = this.generation;
    this.set(key, { status: 'loading' });
    // A throw (a bug, a logger that fails) is this fetch's error: left 'loading', the branch would
    // spin forever and every later load() would wait on the dead promise.
    const running = this.fetchSchemas(request, collaborationId)
      .catch((error: unknown): SchemaState => ({ status: 'error', failure: toFailure(error, { operation: 'ListSchemas', profile: request.profile, region: request.region }) }))
      .then((state) => {
        if (this.generation === generation) {
          this.inFlight.delete(key);
          this.set(key, state);
        }
        return state;
      });
    this.inFlight.set(key, running);
    return running;
  }

  /** ListSchemas, then BatchGetSchema of every name, then BatchGetSchemaAnalysisRule of each table's rule types. */
  private async fetchSchemas(request: ConnectionRequest, collaborationId: string): Promise<SchemaState> {
    const listed = await this.service.listSchemas(request, collaborationId);
    if (!listed.ok) {
      return { status: 'error', failure: listed.failure };
    }
    const names = [...new Set(listed.value.map((s) => s.name).filter((n): n is string => n !== undefined))];
    const batch = await this.service.batchGetSchemas(request, collaborationId, names);
    if (!batch.ok) {
      return { status: 'error', failure: batch.failure };
    }
    const ruleRequests: RuleRequest[] = batch.value.schemas.flatMap((s) =>
      s.name === undefined ? [] : [...new Set(s.analysisRuleTypes ?? [])].filter((type) => RULE_TYPES.has(type)).map((type) => ({ name: s.name as string, type })),
    );
    const rules = await this.service.batchGetSchemaAnalysisRules(request, collaborationId, ruleRequests);
    if (!rules.ok) {
      return { status: 'error', failure: rules.failure };
    }
    const byName = new Map<string, TableSchema['rules'][number][]>();
    for (const rule of rules.value.analysisRules) {
      if (rule.name !== undefined) {
        byName.set(rule.name, [...(byName.get(rule.name) ?? []), rule]);
      }
    }
    const tables: TableSchema[] = batch.value.schemas.map((schema) => ({ schema, rules: byName.get(schema.name ?? '') ?? [] }));
    const errors: SchemaError[] = [
      ...batch.value.errors.map((e) => ({ name: e.name ?? '', code: e.code, message: e.message })),
      ...rules.value.errors.map((e) => ({ name: e.name ?? '', ruleType: e.type, code: e.code, message: e.message })),
    ];
    const fetched = new Set(batch.value.schemas.map((schema) => schema.name));
    const unfetched = names.filter((name) => !fetched.has(name));
    return { status: 'loaded', schemas: { collaborationId, tables, errors, catalog: catalogFrom(collaborationId, tables, unfetched), fetchedAt: new Date() } };
  }

  private set(key: string, state: SchemaState): void {
    this.states.set(key, state);
    this.changed.fire(key);
  }

  /** Forgets everything (Refresh, new credentials). */
  clear(): void {
    this.generation++;
    this.states.clear();
    this.inFlight.clear();
    this.changed.fire('');
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** `running`, or a cancelled failure as soon as `signal` aborts. */
function raceAbort(running: Promise<SchemaState>, signal: AbortSignal): Promise<SchemaState> {
  const failure: SchemaState = { status: 'error', failure: cancelled() };
  if (signal.aborted) {
    return Promise.resolve(failure);
  }
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(failure);
    signal.addEventListener('abort', onAbort, { once: true });
    void running.then((state) => {
      signal.removeEventListener('abort', onAbort);
      resolve(state);
    });
  });
}
