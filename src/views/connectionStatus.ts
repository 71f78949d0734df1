import * as vscode from 'vscode';
import { describeRegion } from '../aws/clientFactory';
import { withoutCodeMarks } from '../util/text';
import type { CleanRoomsService } from '../aws/cleanRoomsService';
import { unresolvedConnection } from '../aws/unresolvedConnection';
import type { CleanRoomsSettings } from '../config';

/**
 * The status bar item naming the profile and region calls go to; clicking it switches them.
 * `showUnresolved` shows it at activation from the settings and environment alone; `update`
 * resolves the profile's region, which reads the profile files (no network) through the SDK.
 */
export class ConnectionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cleanRooms.connection', vscode.StatusBarAlignment.Left, 50);
  private version = 0;
  private shown = false;

  constructor(private readonly service: CleanRoomsService) {
    this.item.name = 'Clean Rooms Profile';
    this.item.command = 'cleanRooms.selectProfile';
  }

  /** What is known without the profile files, e.g. "cleanrooms-test @ profile's region". */
  showUnresolved(settings: CleanRoomsSettings, env: NodeJS.ProcessEnv = process.env): void {
    const { profile, region } = unresolvedConnection(settings, env);
    const who = profile ?? vscode.l10n.t('environment');
    const where = region ?? vscode.l10n.t("profile's region");
    this.item.text = `$(cloud) ${who} @ ${where}`;
    this.item.tooltip =
      region === undefined
        ? vscode.l10n.t("Clean Rooms: profile {0}, the profile's region (read when the Clean Rooms view opens). Click to switch.", who)
        : vscode.l10n.t('Clean Rooms: profile {0}, region {1}. Click to switch.', who, region);
    this.item.backgroundColor = undefined;
    this.show();
  }

  async update(settings: CleanRoomsSettings): Promise<void> {
    const version = ++this.version;
    const resolved = await this.service.resolve({ profile: settings.profile, region: settings.region, endpoint: settings.endpoint, timeoutMs: settings.requestTimeoutMs });
    if (version !== this.version) {
      return;
    }
    if (resolved.ok) {
      const profile = resolved.connection.profile ?? 'environment';
      this.item.text = `$(cloud) ${profile} @ ${resolved.connection.region}`;
      this.item.tooltip = `Clean Rooms: profile ${profile}, region ${describeRegion(resolved.connection)}${settings.endpoint ? `, endpoint ${settings.endpoint}` : ''}. Click to switch.`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = `$(cloud) ${resolved.profile ?? 'no profile'}: ${resolved.failure.title}`;
      this.item.tooltip = `${resolved.failure.title}. ${withoutCodeMarks(resolved.failure.nextStep)} Click to switch profile or region.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.show();
  }

  get text(): string {
    return this.item.text;
  }

  /** Whether the item has been shown (VS Code's item cannot say). */
  get visible(): boolean {
    return this.shown;
  }

  private show(): void {
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    this.item.dispose();
  }
}
