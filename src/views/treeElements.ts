import type { BranchKind } from '../aws/cleanRoomsService';
import type { CleanRoomsFailure } from '../aws/errors';
import { CONNECTION_WIDE, type MembershipNode } from '../model/membershipStore';
import type { InvalidEntry, SettingProblem } from '../settings';

/**
 * What the Memberships tree is made of: the kinds of row, their ids and their context values.
 * Free of `vscode`, so the renderers and tests that use it run in plain Node.
 */

/** 'tables': the collaboration's schemas and analysis rules (SchemaStore), not a drill-down list. */
export type BranchName = 'collaboration' | BranchKind | 'tables';

/** The branches under a loaded membership, in the order they are shown. */
export const BRANCH_NAMES: readonly BranchName[] = ['collaboration', 'members', 'associations', 'tables', 'templates', 'queries'];

/** Every kind of row in the tree. Elements are plain data; TreeItem ids keep expansion stable. */
export type TreeElement =
  /**
   * Memberships of one requested profile and region. `connection` names the group for its id;
   * the label may change (it names the region once resolved) without the row losing its state.
   * `failure`: a connection-wide failure all of them share, said here once.
   */
  | { readonly type: 'group'; readonly connection: string; readonly label: string; readonly keys: readonly string[]; readonly failure?: CleanRoomsFailure }
  /** A connection-wide failure shared by several memberships of an ungrouped tree, said once at the top. */
  | { readonly type: 'sharedFailure'; readonly keys: readonly string[]; readonly failure: CleanRoomsFailure }
  | { readonly type: 'membership'; readonly key: string }
  | { readonly type: 'invalidEntry'; readonly entry: InvalidEntry }
  | { readonly type: 'problem'; readonly problem: SettingProblem }
  | { readonly type: 'notice'; readonly text: string }
  | { readonly type: 'branch'; readonly key: string; readonly branch: BranchName }
  /** `raw`: the API's value when `value` is its words (an enum), for the tooltip. */
  | { readonly type: 'field'; readonly key: string; readonly label: string; readonly value: string; readonly raw?: string }
  | { readonly type: 'record'; readonly key: string; readonly branch: BranchKind; readonly index: number }
  | { readonly type: 'loadMore'; readonly key: string; readonly branch: BranchKind }
  | { readonly type: 'message'; readonly key: string; readonly branch: BranchName; readonly text: string; readonly failure?: CleanRoomsFailure }
  /** A table of the collaboration (Tables branch), by its name as written in the schema. */
  | { readonly type: 'table'; readonly key: string; readonly name: string }
  | { readonly type: 'column'; readonly key: string; readonly table: string; readonly name: string }
  /** A table (or one of its rules) BatchGetSchema / BatchGetSchemaAnalysisRule could not return. */
  | { readonly type: 'tableError'; readonly key: string; readonly index: number; readonly text: string; readonly detail: string };

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
      return `group|${element.connection}`;
    case 'sharedFailure':
      return 'sharedFailure';
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
    case 'table':
      // JSON: a table name may hold any character, "|" included.
      return `${element.key}|tables|${JSON.stringify(element.name)}`;
    case 'column':
      return `${element.key}|tables|${JSON.stringify(element.table)}|${JSON.stringify(element.name)}`;
    case 'tableError':
      return `${element.key}|tables|error|${element.index}`;
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
  /** The "Protected queries" branch: its filter. */
  BranchQueries: 'branchQueries',
  Field: 'field',
  Record: 'record',
  /** An analysis template: Open, Open Template SQL, Run Analysis Template. */
  TemplateRecord: 'templateRecord',
  /** A protected query that has ended (or is being cancelled): Copy ID. */
  QueryRecord: 'queryRecord',
  /** A protected query still SUBMITTED or STARTED: Copy ID and Cancel Query. */
  QueryRecordRunning: 'queryRecordRunning',
  LoadMore: 'loadMore',
  /** A table of the Tables branch: Open Table, New Query. */
  Table: 'table',
  TableColumn: 'tableColumn',
  BranchError: 'branchError',
  Message: 'message',
  SharedFailure: 'sharedFailure',
} as const;

export type ContextValue = (typeof ContextValues)[keyof typeof ContextValues];

/** The requested profile and region of a membership: memberships with the same one are grouped together. */
export function connectionOf(node: MembershipNode): string {
  return JSON.stringify([node.request.profile ?? '', node.request.region ?? '']);
}

/**
 * The failure the memberships of one connection share, if it is about the connection rather
 * than any one membership (an expired SSO session, no credentials) and hits more than one of
 * them: the tree says it once instead of on every row.
 */
export function sharedFailureOf(nodes: readonly MembershipNode[]): CleanRoomsFailure | undefined {
  const failures = nodes.flatMap((n) => (n.state.status === 'error' && CONNECTION_WIDE.has(n.state.failure.kind) ? [n.state.failure] : []));
  if (failures.length < 2) {
    return undefined;
  }
  const [first] = failures;
  return failures.every((f) => f.kind === first.kind && f.title === first.title) ? first : undefined;
}
