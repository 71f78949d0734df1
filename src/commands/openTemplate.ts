import type { ShowMode } from '../views/panels';
import type { TemplatePanel } from '../views/templatePanel';
import type { CommandContext } from './context';
import { templateTarget } from './templateTarget';

/**
 * "Open Analysis Template": a template row (a click shows it in the preview, as other records) or
 * a { membershipId, analysisTemplateArn } in its panel.
 */
export async function openTemplate(ctx: CommandContext, arg: unknown, mode: ShowMode = 'preview', focusForm = false): Promise<TemplatePanel | undefined> {
  const target = await templateTarget(ctx, arg);
  if (!target) {
    return undefined;
  }
  // A row's click keeps the keyboard in the tree; the palette's Run lands in the form.
  return ctx.state.panels.showTemplate(target, mode, focusForm ? 'take' : target.element ? 'keep' : 'take', focusForm);
}
