import * as vscode from 'vscode';
import { nodeFacts } from '../model/membershipStore';
import { runQuery, type RunOutcome } from '../queries/runFlow';
import { shortText } from '../util/text';
import type { RunTemplateArgs, TemplatePanel } from '../views/templatePanel';
import { accountOfMembershipArn } from '../views/treeRows';
import type { CommandContext } from './context';
import { openTemplate } from './openTemplate';
import { pickLoadedMembership } from './pickLoadedMembership';
import { isTemplateRef } from './templateTarget';

function isRunTemplateArgs(arg: unknown): arg is RunTemplateArgs {
  if (!isTemplateRef(arg)) {
    return false;
  }
  const parameters = (arg as { parameters?: unknown }).parameters;
  return typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters) && Object.values(parameters).every((v) => typeof v === 'string');
}

/**
 * "Run Analysis Template…". With the form's values (the template panel's Run, a query panel's Run
 * Again): the run flow, which fetches the template, checks the values again, confirms and starts
 * one query. From a template row: that template's panel, keyboard in its form. From the palette:
 * pick a membership, then one of its collaboration's templates, then the same.
 */
export async function runTemplate(ctx: CommandContext, arg?: unknown): Promise<RunOutcome | TemplatePanel | undefined> {
  if (isRunTemplateArgs(arg)) {
    return runQuery(ctx.state, arg.membershipId, { analysisTemplateArn: arg.analysisTemplateArn, parameters: { ...arg.parameters } });
  }
  if (arg !== undefined) {
    return openTemplate(ctx, arg, 'pinned', true);
  }
  const node = await pickLoadedMembership(ctx, vscode.l10n.t('Run an analysis template of which membership?'));
  const facts = node && nodeFacts(node);
  if (!node || !facts) {
    return undefined;
  }
  if (!facts.collaborationId) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The membership record names no collaboration: its templates cannot be listed.'));
    return undefined;
  }
  const collaborationId = facts.collaborationId;
  const listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing analysis templates…') }, () =>
    ctx.state.service.listCollaborationAnalysisTemplates(node.request, collaborationId),
  );
  if (!listed.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Listing the analysis templates failed: {0}. {1}', listed.failure.title, listed.failure.nextStep));
    return undefined;
  }
  const templates = listed.value.filter((t) => t.arn);
  if (templates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The collaboration {0} has no analysis templates.', facts.collaborationName ?? collaborationId));
    return undefined;
  }
  const own = accountOfMembershipArn(facts.arn);
  const picked = await vscode.window.showQuickPick(
    templates.map((t) => ({
      label: shortText(t.name || (t.arn ?? ''), 100),
      description: t.creatorAccountId === undefined ? undefined : t.creatorAccountId === own ? vscode.l10n.t('yours') : vscode.l10n.t('by {0}', t.creatorAccountId),
      detail: t.description ? shortText(t.description, 200) : undefined,
      arn: t.arn ?? '',
    })),
    { title: vscode.l10n.t('Run which analysis template?'), placeHolder: vscode.l10n.t('Choose a template of {0}', facts.collaborationName ?? collaborationId), matchOnDetail: true },
  );
  if (!picked) {
    return undefined;
  }
  return openTemplate(ctx, { membershipId: node.entry.id, analysisTemplateArn: picked.arn }, 'pinned', true);
}
