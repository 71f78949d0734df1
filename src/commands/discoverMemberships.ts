import type { MembershipSummary } from '@aws-sdk/client-cleanrooms';
import * as vscode from 'vscode';
import { addMembershipIds, describeIdProblem, type NewEntry } from '../config';
import type { CommandContext } from './context';
import { parseDiscoverPreset } from './discoverPreset';
import { shortText, statusWords, withoutCodeMarks, wireText } from '../util/text';

interface SummaryPick extends vscode.QuickPickItem {
  readonly summary: MembershipSummary;
  readonly region: string;
}

/**
 * "Discover Memberships": lists the memberships the current profile can see (all pages, in the
 * current region or those in cleanRooms.discoverRegions) and adds the chosen ones to the
 * workspace setting. Entries the user already has are kept exactly as written. `arg` may preset
 * the answers (see DiscoverPreset); it comes from any caller and is checked here.
 */
export async function discoverMemberships(ctx: CommandContext, arg?: unknown): Promise<NewEntry[]> {
  const preset = parseDiscoverPreset(arg);
  const settings = ctx.state.settings;
  const statusChoice =
    preset?.status ??
    (
      await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Active memberships'), status: 'ACTIVE' as const },
          { label: vscode.l10n.t('All memberships'), description: vscode.l10n.t('including removed and deleted collaborations'), status: 'ALL' as const },
        ],
        { title: vscode.l10n.t('Discover Clean Rooms Memberships'), placeHolder: vscode.l10n.t('Which memberships?') },
      )
    )?.status;
  if (!statusChoice) {
    return [];
  }
  const status = statusChoice === 'ALL' ? undefined : statusChoice;
  const base = { profile: settings.profile, endpoint: settings.endpoint, timeoutMs: settings.requestTimeoutMs };
  const regions: Array<string | undefined> = settings.discoverRegions.length > 0 ? [...settings.discoverRegions] : [settings.region];
  const resolvedDefault = await ctx.state.service.resolve({ ...base, region: settings.region });
  const defaultRegion = resolvedDefault.ok ? resolvedDefault.connection.region : undefined;

  const found: SummaryPick[] = [];
  const failures: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Clean Rooms: discovering memberships'), cancellable: true }, async (_p, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    await Promise.all(
      regions.map(async (region) => {
        const result = await ctx.state.service.listMemberships({ ...base, region }, controller.signal, status);
        if (result.ok) {
          for (const summary of result.value) {
            found.push({
              label: shortText(summary.collaborationName ?? summary.id ?? '', 100),
              description: shortText([summary.status && statusWords(summary.status), result.connection.region].filter(Boolean).join(' · '), 80),
              detail: shortText(`${wireText(summary.collaborationCreatorDisplayName)} (${wireText(summary.collaborationCreatorAccountId) || '?'}) · ${wireText(summary.id)}`, 160),
              summary,
              region: result.connection.region,
            });
          }
        } else {
          failures.push(`${region ?? 'default region'}: ${result.failure.title}. ${withoutCodeMarks(result.failure.nextStep)}`);
        }
      }),
    );
  });
  if (failures.length > 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Discover Memberships: {0}', failures.join(' ')));
  }
  const configured = new Set(ctx.state.store.all.map((n) => n.entry.id));
  // Only IDs the settings accept: a summary with a malformed ID is listed nowhere rather than written.
  const candidates = found.filter((f) => f.summary.id !== undefined && !describeIdProblem(f.summary.id) && !configured.has(f.summary.id));
  if (candidates.length === 0) {
    if (failures.length === 0) {
      void vscode.window.showInformationMessage(found.length > 0 ? vscode.l10n.t('Every membership found is already in the list.') : vscode.l10n.t('No memberships found for this profile and region.'));
    }
    return [];
  }
  const chosen = preset?.pickAll
    ? candidates
    : await vscode.window.showQuickPick(candidates, {
        title: vscode.l10n.t('Add memberships ({0} found)', candidates.length),
        placeHolder: vscode.l10n.t('Choose the memberships to add to this workspace'),
        canPickMany: true,
        matchOnDescription: true,
        matchOnDetail: true,
      });
  if (!chosen || chosen.length === 0) {
    return [];
  }
  const entries: NewEntry[] = chosen.map((c) => (c.region === defaultRegion ? (c.summary.id as string) : { id: c.summary.id as string, region: c.region }));
  const added = await addMembershipIds(entries);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Added {0} membership(s)', added.length), 3000);
  return added;
}
