import type { TextEditor } from 'vscode';
import { describeRecord } from '../views/treeRows';
import type { CommandContext } from './context';
import type { TreeElement } from '../views/treeElements';
import { safeJson } from '../util/text';

/** "Export Raw JSON" on any tree row that stands for an API record. */
export async function exportJson(ctx: CommandContext, element: TreeElement | undefined): Promise<TextEditor | undefined> {
  if (!element) {
    return undefined;
  }
  const json = ctx.state.json;
  if (element.type === 'membership') {
    const node = ctx.state.store.find(element.key);
    if (node?.state.status !== 'loaded') {
      return undefined;
    }
    const record = node.state.membership ? { membership: node.state.membership } : { membershipSummary: node.state.summary };
    return json.open(`membership-${node.entry.id}`, safeJson(record));
  }
  if (element.type === 'record') {
    const record = ctx.tree.record(element);
    return record ? json.open(`${element.branch}-${describeRecord(element.branch, record).label}`, safeJson(record)) : undefined;
  }
  if (element.type === 'branch' && element.branch === 'collaboration') {
    const node = ctx.state.store.find(element.key);
    const state = node ? ctx.state.drill.collaboration(node) : undefined;
    return state?.status === 'loaded' ? json.open(`collaboration-${state.collaboration.id ?? ''}`, safeJson({ collaboration: state.collaboration })) : undefined;
  }
  return undefined;
}
