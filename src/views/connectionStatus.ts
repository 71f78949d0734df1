import * as vscode from 'vscode';
import { describeRegion } from '../aws/clientFactory';
import { withoutCodeMarks } from '../util/text';
import type { CleanRoomsService } from '../aws/cleanRoomsService';
import type { CleanRoomsSettings } from '../config';

/**
 * The status bar item naming the profile and region calls go to; clicking it switches them.
 * Resolution reads the profile files only (no network).
 */
export class ConnectionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cleanRooms.connection', vscode.StatusBarAlignment.Left, 50);
  private version = 0;

  constructor(private readonly service: CleanRoomsService) {
    this.item.name = 'Clean Rooms Profile';
    this.item.command = 'cleanRooms.selectProfile';
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
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
