import type * as vscode from 'vscode';
import type { ToWebview } from './protocol';
import { recordViewModel } from './membershipView';
import type { PanelContext } from './panels';
import type { PanelHost } from './panelHost';
import { PanelRecord } from './panelRecord';
import type { TreeElement } from './treeElements';
import { safeJson } from '../util/text';

export const DETAIL_VIEW_TYPE = 'cleanRooms.detail';

export interface DetailTarget {
  /** Unique per record: opening the same record again reveals its panel. */
  readonly key: string;
  /** "Collaboration", "Member", "Configured table association", … */
  readonly kind: string;
  readonly title: string;
  readonly record: object;
  /** Where it came from, e.g. "prod @ us-east-1". */
  readonly where: string;
  readonly fetchedAt: Date;
  /** The membership node the record belongs to, for "Open in AWS Console". */
  readonly membershipKey: string;
  /** The tree row it was opened from: selected again when its panel becomes active. */
  readonly element?: TreeElement;
}

/** What a detail panel shows: the record as a snapshot (no Refresh it could not honour). */
export function detailMessage(target: DetailTarget): ToWebview {
  return { type: 'membership', view: recordViewModel(target.kind, target.title, target.record), where: target.where, fetchedAt: target.fetchedAt.toISOString(), snapshot: true };
}

/**
 * A read-only record under a membership (collaboration, member, table association, analysis
 * template, protected query) in a panel (its own pinned one, or the preview), drawn by the same
 * webview script and CSP as a membership. It shows the record as the list call returned it.
 */
export class DetailPanel extends PanelRecord {
  constructor(
    host: PanelHost,
    private readonly context: Pick<PanelContext, 'extensionUri' | 'json'>,
    readonly target: DetailTarget,
    private readonly message: ToWebview,
  ) {
    super(host, {
      // A snapshot cannot be fetched again: Refresh (F5 in the webview) draws it again.
      refresh: () => host.replay(),
      openJson: () => void this.openJson(),
      consoleTarget: () => target.membershipKey,
    });
    host.setTitle(target.title);
    this.postToHost(message);
  }

  get key(): string {
    return this.target.key;
  }

  get lastMessage(): ToWebview {
    return this.message;
  }

  openJson(): Promise<vscode.TextEditor> {
    return this.context.json.open(`${this.target.kind}-${this.target.title}`, safeJson(this.target.record));
  }
}
