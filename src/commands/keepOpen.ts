import type { ShownRecord } from '../views/panels';
import type { TreeElement } from '../views/treeElements';
import type { CommandContext } from './context';
import { openDetail } from './openDetail';
import { openTable } from './openTable';
import { openTemplate } from './openTemplate';

/**
 * "Keep Open": a row's record in a panel of its own that the next single click leaves alone (the
 * row's context menu, or a double click), or, from the palette, the preview panel pinned as it is.
 */
export async function keepOpen(ctx: CommandContext, element: TreeElement | undefined): Promise<ShownRecord | undefined> {
  if (!element) {
    return ctx.state.panels.pinPreview();
  }
  if (element.type === 'membership') {
    const node = ctx.state.store.find(element.key);
    return node && ctx.state.panels.showConfigured(node.entry, 'pinned');
  }
  if (element.type === 'table') {
    return openTable(ctx, element, 'pinned');
  }
  if (element.type === 'record' && element.branch === 'templates') {
    return openTemplate(ctx, element, 'pinned');
  }
  return openDetail(ctx, element, 'pinned');
}
