import * as vscode from 'vscode';
import { CLEAN_ROOMS_REGIONS } from '../aws/regions';
import { SETTING } from '../config';
import type { CommandContext } from './context';

const DEFAULT_PROFILE = `$(discard) ${vscode.l10n.t('Default resolution')}`;
const PROFILE_REGION = `$(discard) ${vscode.l10n.t("The profile's region")}`;

/**
 * Status bar click: pick a profile from ~/.aws/config and ~/.aws/credentials (SSO profiles
 * included, sso-session sections not), then a Clean Rooms region. Written to user settings,
 * which refreshes everything for the new profile.
 */
export async function selectProfile(ctx: CommandContext): Promise<boolean> {
  const settings = ctx.state.settings;
  const names = await ctx.state.service.profiles.profileNames();
  const profile = await vscode.window.showQuickPick(
    [
      { label: DEFAULT_PROFILE, description: 'AWS_PROFILE, then default' },
      ...names.map((name) => ({ label: name, description: name === settings.profile ? 'current' : undefined })),
    ],
    { title: vscode.l10n.t('Clean Rooms: AWS Profile (1/2)'), placeHolder: names.length ? vscode.l10n.t('Choose the profile to use') : vscode.l10n.t('No profiles found in ~/.aws/config or ~/.aws/credentials') },
  );
  if (!profile) {
    return false;
  }
  const region = await vscode.window.showQuickPick(
    [{ label: PROFILE_REGION }, ...CLEAN_ROOMS_REGIONS.map((r) => ({ label: r, description: r === settings.region ? 'current' : undefined }))],
    { title: vscode.l10n.t('Clean Rooms: Region (2/2)'), placeHolder: vscode.l10n.t('Choose the region') },
  );
  if (!region) {
    return false;
  }
  // One change, not two: the new profile with the old region is a pair nobody chose.
  await ctx.state.writeSettings(
    [
      [SETTING.profile, profile.label === DEFAULT_PROFILE ? undefined : profile.label],
      [SETTING.region, region.label === PROFILE_REGION ? undefined : region.label],
    ],
    vscode.ConfigurationTarget.Global,
  );
  return true;
}
