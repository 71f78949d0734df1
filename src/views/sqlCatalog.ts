import type { ExplorerState } from '../explorerState';
import type { SchemaState } from '../model/schemaStore';
import { parseBinding } from '../queries/binding';
import { targetFor, type QueryTarget } from '../queries/queryTarget';
import type { Catalog } from '../sql/catalog';
import { Emitter, type Event } from '../util/emitter';
import { t } from '../util/l10n';

/** What the editor knows about the tables of a document's membership. */
export type CatalogLookup =
  | { readonly status: 'unbound' }
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly catalog: Catalog; readonly target: QueryTarget }
  | { readonly status: 'error'; readonly message: string };

type Collaboration = { readonly id: string } | { readonly failed: string } | Promise<void>;

/**
 * The catalog of a bound SQL document: binding -> membership -> its collaboration (the tree's
 * record; else GetMembership once per membership) -> the schema store's cache. lookup() never
 * waits: completion, hover and diagnostics call it on every keystroke, so it starts at most one
 * GetMembership per membership and one schema load per collaboration, and fires onDidChange when
 * what they wait for arrives. Free of `vscode`.
 */
export class SqlCatalogs {
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly collaborations = new Map<string, Collaboration>();
  /** Schema loads started by documents, by schema key, with their outcome once settled. */
  private readonly loads = new Map<string, SchemaState | Promise<SchemaState>>();
  /** Bumped on Refresh: a load started before it does not store its outcome after it. */
  private generation = 0;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(private readonly state: Pick<ExplorerState, 'settings' | 'store' | 'schemas' | 'service'>) {
    this.subscriptions.push(
      state.schemas.onDidChange((key) => {
        if (key === '') {
          // Refresh: the next look loads again, and memberships that failed are asked again.
          this.generation++;
          this.loads.clear();
          for (const [id, c] of this.collaborations) {
            if ('failed' in c) {
              this.collaborations.delete(id);
            }
          }
        }
        this.changed.fire();
      }),
      state.store.onDidChange(() => this.changed.fire()),
    );
  }

  /** What is known now for a document's text; starts the fetches it needs (once). */
  lookup(text: string): CatalogLookup {
    const binding = parseBinding(text);
    if (binding.kind !== 'bound') {
      return { status: 'unbound' };
    }
    const target = targetFor(binding.membershipId, this.state.settings, this.state.store);
    const collaboration = this.collaborationOf(target);
    if (collaboration === undefined || collaboration instanceof Promise) {
      return { status: 'loading' };
    }
    if ('failed' in collaboration) {
      return { status: 'error', message: collaboration.failed };
    }
    return this.schemasOf(target, collaboration.id);
  }

  /** Like lookup(), but waits for the membership and the schemas (Insert Example Query). */
  async ensure(text: string): Promise<CatalogLookup> {
    for (let i = 0; i < 3; i++) {
      const now = this.lookup(text);
      if (now.status !== 'loading') {
        return now;
      }
      const binding = parseBinding(text);
      if (binding.kind !== 'bound') {
        return { status: 'unbound' };
      }
      const target = targetFor(binding.membershipId, this.state.settings, this.state.store);
      const pending = this.collaborations.get(this.membershipKey(target));
      if (pending instanceof Promise) {
        await pending;
        continue;
      }
      const c = this.collaborationOf(target);
      if (c && !(c instanceof Promise) && 'id' in c) {
        await this.loads.get(this.state.schemas.key(target.request, c.id));
      }
    }
    return this.lookup(text);
  }

  private membershipKey(target: QueryTarget): string {
    return JSON.stringify([target.request.profile ?? '', target.request.region ?? '', target.request.endpoint ?? '', target.membershipId]);
  }

  private collaborationOf(target: QueryTarget): Collaboration | undefined {
    const node = target.node && this.state.store.find(target.node.key);
    if (node?.state.status === 'loaded') {
      const id = node.state.membership?.collaborationId ?? node.state.summary?.collaborationId;
      if (id) {
        return { id };
      }
    }
    const key = this.membershipKey(target);
    const known = this.collaborations.get(key);
    if (known) {
      return known;
    }
    const fetching = this.state.service.getMembership(target.request, target.membershipId).then((result) => {
      const id = result.ok ? result.value.membership.collaborationId : undefined;
      this.collaborations.set(key, id ? { id } : { failed: result.ok ? t('The membership names no collaboration.') : result.failure.message ?? result.failure.title });
      this.changed.fire();
    });
    this.collaborations.set(key, fetching);
    return fetching;
  }

  private schemasOf(target: QueryTarget, collaborationId: string): CatalogLookup {
    const key = this.state.schemas.key(target.request, collaborationId);
    let current: SchemaState | Promise<SchemaState> | undefined = this.state.schemas.get(target.request, collaborationId);
    if (current === undefined) {
      current = this.loads.get(key);
    }
    if (current === undefined) {
      const generation = this.generation;
      const settle = (state: SchemaState): SchemaState => {
        // A load from before a Refresh would put back what the Refresh threw away (and no new load would start).
        if (this.generation === generation) {
          this.loads.set(key, state);
          this.changed.fire();
        }
        return state;
      };
      const loading = this.state.schemas.load(target.request, collaborationId).then(settle, () =>
        settle({ status: 'error', failure: { kind: 'unknown', title: '', message: t('The schemas could not be loaded.'), nextStep: '', retryable: true } }),
      );
      this.loads.set(key, loading);
      return { status: 'loading' };
    }
    if (current instanceof Promise || current.status === 'loading') {
      return { status: 'loading' };
    }
    if (current.status === 'error') {
      return { status: 'error', message: current.failure.message ?? current.failure.title };
    }
    return { status: 'loaded', catalog: current.schemas.catalog, target };
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
