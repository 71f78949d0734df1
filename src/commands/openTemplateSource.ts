import * as vscode from 'vscode';
import type { TemplateSourceProvider } from '../views/templateSource';
import type { CommandContext } from './context';
import { isTemplateRef, templateTarget } from './templateTarget';

/**
 * "Open Template SQL": the template's SQL in a read-only editor. A template panel already showing
 * it gives its text; otherwise it is read (GetCollaborationAnalysisTemplate).
 */
export async function openTemplateSource(ctx: CommandContext, sources: TemplateSourceProvider, arg: unknown): Promise<vscode.TextEditor | undefined> {
  const arn = isTemplateRef(arg) ? arg.analysisTemplateArn : undefined;
  const shown = arn ? ctx.state.panels.templates.all().find((p) => p.target.arn === arn && p.target.membershipId === (arg as { membershipId: string }).membershipId && p.template) : undefined;
  let template = shown?.template;
  if (!template) {
    const target = await templateTarget(ctx, arg);
    if (!target) {
      return undefined;
    }
    const fetched = await ctx.state.service.getCollaborationAnalysisTemplate(target.request, target.collaborationId, target.arn);
    if (!fetched.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Reading the analysis template failed: {0}. {1}', fetched.failure.title, fetched.failure.nextStep));
      return undefined;
    }
    template = fetched.value;
  }
  const sql = template.source?.text;
  if (sql === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no SQL text: its source is {1}.', template.name ?? '?', template.source?.artifacts ? vscode.l10n.t('code artifacts in S3') : vscode.l10n.t('not in the record')));
    return undefined;
  }
  return sources.open(template.name ?? 'template', sql);
}
