import type { CleanRoomsService } from '../aws/cleanRoomsService';
import type { ConnectionRequest } from '../aws/clientFactory';
import type { CleanRoomsFailure } from '../aws/errors';
import { Emitter, type Event } from '../util/emitter';
import type { Catalog, TableSchema } from '../sql/catalog';

/** A table BatchGetSchema or BatchGetSchemaAnalysisRule did not return, with the service's reason. */
export interface SchemaError {
  readonly name: string;
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
 * CONTRACT (issue 12): the schemas helper implements the bodies.
 */
export class SchemaStore {
  private readonly changed = new Emitter<string>();
  /** Fires the key (see key()) whose state changed; '' when everything was cleared. */
  readonly onDidChange: Event<string> = this.changed.event;

  constructor(private readonly service: CleanRoomsService) {}

  /** The cache key of a collaboration under a connection request. */
  key(request: ConnectionRequest, collaborationId: string): string {
    return JSON.stringify([request.profile ?? '', request.region ?? '', request.endpoint ?? '', collaborationId]);
  }

  /** What is cached; never fetches. */
  get(request: ConnectionRequest, collaborationId: string): SchemaState | undefined {
    void request;
    void collaborationId;
    return undefined;
  }

  /** Fetches when nothing is cached (or `refresh`); one fetch per key at a time, shared by callers. */
  async load(request: ConnectionRequest, collaborationId: string, options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<SchemaState> {
    void this.service;
    void request;
    void options;
    return { status: 'error', failure: { kind: 'unknown', title: 'Not implemented', message: `Schemas of ${collaborationId} are not implemented yet.`, nextStep: '', retryable: false } };
  }

  /** Forgets everything (Refresh, new credentials). */
  clear(): void {
    this.changed.fire('');
  }

  dispose(): void {
    this.changed.dispose();
  }
}
