import * as vscode from 'vscode';
import type { TemplateListing } from '../aws/cleanRoomsService';
import { isMembershipId } from '../config';
import { nodeFacts, nodeName } from '../model/membershipStore';
import { loadMembership, targetFor } from '../queries/queryTarget';
import type { TemplateTarget } from '../views/templatePanel';
import type { ElementOf, TreeElement } from '../views/treeElements';
import { accountOfMembershipArn } from '../views/treeRows';
import type { CommandContext } from './context';

/** A template named by membership and ARN (Run Again, the panel's buttons, tests). */
export interface TemplateRef {
  readonly membershipId: string;
  readonly analysisTemplateArn: string;
}

export function isTemplateRef(arg: unknown): arg is TemplateRef {
  const a = arg as Partial<TemplateRef> | undefined;
  return typeof a === 'object' && a !== null && typeof a.membershipId === 'string' && isMembershipId(a.membershipId) && typeof a.analysisTemplateArn === 'string' && a.analysisTemplateArn.trim() !== '';
}

/** A template row of the tree: its membership and the template it lists. */
function rowTemplate(ctx: CommandContext, arg: unknown): { element: ElementOf<'record'>; listing: TemplateListing } | undefined {
  const element = arg as TreeElement | undefined;
  if (typeof element !== 'object' || element === null || element.type !== 'record' || element.branch !== 'templates') {
    return undefined;
  }
  const listing = ctx.tree.record(element) as TemplateListing | undefined;
  return listing?.arn ? { element, listing } : undefined;
}

/**
 * Which template and from which membership, for a tree row or a TemplateRef: the membership's
 * connection, collaboration and account. Undefined (said) when the membership cannot be read.
 */
export async function templateTarget(ctx: CommandContext, arg: unknown): Promise<TemplateTarget | undefined> {
  const row = rowTemplate(ctx, arg);
  const ref: TemplateRef | undefined = row ? undefined : isTemplateRef(arg) ? arg : undefined;
  const node = row ? ctx.state.store.find(row.element.key) : undefined;
  const membershipId = node?.entry.id ?? ref?.membershipId;
  const arn = row?.listing.arn ?? ref?.analysisTemplateArn;
  if (!membershipId || !arn) {
    return undefined;
  }
  const target = node ? { membershipId, request: node.request, node } : targetFor(membershipId, ctx.state.settings, ctx.state.store);
  const membership = await loadMembership(ctx.state.service, ctx.state.store, target);
  if (!membership.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot read membership {0}: {1}. {2}', membershipId, membership.failure.title, membership.failure.nextStep));
    return undefined;
  }
  const facts = target.node ? nodeFacts(target.node) : undefined;
  return {
    membershipId,
    membershipKey: target.node?.key ?? '',
    request: target.request,
    collaborationId: membership.value.collaborationId ?? row?.listing.collaborationId ?? '',
    collaborationName: membership.value.collaborationName ?? facts?.collaborationName ?? (target.node ? nodeName(target.node) : undefined),
    ownAccount: accountOfMembershipArn(membership.value.arn),
    arn,
    name: row?.listing.name,
    element: row?.element,
  };
}
