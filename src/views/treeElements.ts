import type { BranchKind } from '../aws/cleanRoomsService';
import type { CleanRoomsFailure } from '../aws/errors';
import type { InvalidEntry, SettingProblem } from '../settings';

/**
 * What the Memberships tree is made of: the kinds of row, their ids and their context values.
 * Free of `vscode`, so the renderers and tests that use it run in plain Node.
 */

export type BranchName = 'collaboration' | BranchKind;

/** The branches under a loaded membership, in the order they are shown. */
export const BRANCH_NAMES: readonly BranchName[] = ['collaboration', 'members', 'associations', 'templates', 'queries'];

/** Every kind of row in the tree. Elements are plain data; TreeItem ids keep expansion stable. */
export type TreeElement =
  | { readonly type: 'group'; readonly label: string; readonly keys: readonly string[] }
  | { readonly type: 'membership'; readonly key: string }
  | { readonly type: 'invalidEntry'; readonly entry: InvalidEntry }
  | { readonly type: 'problem'; readonly problem: SettingProblem }
  | { readonly type: 'notice'; readonly text: string }
  | { readonly type: 'branch'; readonly key: string; readonly branch: BranchName }
  | { readonly type: 'field'; readonly key: string; readonly label: string; readonly value: string }
  | { readonly type: 'record'; readonly key: string; readonly branch: BranchKind; readonly index: number }
  | { readonly type: 'loadMore'; readonly key: string; readonly branch: BranchKind }
  | { readonly type: 'message'; readonly key: string; readonly branch: BranchName; readonly text: string; readonly failure?: CleanRoomsFailure };

export type ElementOf<T extends TreeElement['type']> = Extract<TreeElement, { type: T }>;

/** Rows without a TreeItem id (see elementId). */
type UnnamedRow = 'invalidEntry' | 'problem' | 'notice';

/**
 * The TreeItem id of a row. VS Code keeps expansion and selection by it, and finds a revealed
 * element's row by it. Rows under the settings (notices, problems, invalid entries) have none:
 * nothing expands under them and their text is not unique.
 *
 * A membership's id is its store key (a JSON array) and a branch's is "<key>|<branch>", the same
 * string the drill-down store fires when that branch changes.
 */
export function elementId(element: ElementOf<Exclude<TreeElement['type'], UnnamedRow>>): string;
export function elementId(element: TreeElement): string | undefined;
export function elementId(element: TreeElement): string | undefined {
  switch (element.type) {
    case 'group':
      return `group|${element.label}`;
    case 'membership':
      return element.key;
    case 'branch':
      return `${element.key}|${element.branch}`;
    case 'field':
      return `${element.key}|collaboration|${element.label}`;
    case 'record':
      return `${element.key}|${element.branch}|${element.index}`;
    case 'loadMore':
      return `${element.key}|${element.branch}|more`;
    case 'message':
      return `${element.key}|${element.branch}|message`;
    case 'invalidEntry':
    case 'problem':
    case 'notice':
      return undefined;
  }
}

/**
 * Every context value a row can carry: package.json's `viewItem` when-clauses match these
 * (test/unit/treeElements.test.ts checks both directions). The `membership…` prefix is part of
 * the contract: menus match /^membership/ for any membership row.
 */
export const ContextValues = {
  Group: 'group',
  MembershipPending: 'membershipPending',
  MembershipLoaded: 'membershipLoaded',
  MembershipError: 'membershipError',
  InvalidEntry: 'invalidEntry',
  SettingsProblem: 'settingsProblem',
  Notice: 'notice',
  Branch: 'branch',
  BranchCollaboration: 'branchCollaboration',
  Field: 'field',
  Record: 'record',
  LoadMore: 'loadMore',
  BranchError: 'branchError',
  Message: 'message',
} as const;

export type ContextValue = (typeof ContextValues)[keyof typeof ContextValues];
