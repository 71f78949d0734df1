/**
 * The contract between the extension and the webview script (media/panel.js): the messages each
 * side posts, the view model they carry, and the state the webview saves. Types only, no imports,
 * so media/panel.js can be type-checked against this file (tsconfig.media.json): a field renamed
 * here breaks `npm run typecheck` on both sides.
 */

/** How a status reads at a glance: succeeded, needs attention, failed, under way, or no judgement. */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

/** One value of a row, already made safe and human-readable by the extension. */
export type ViewValue =
  | { readonly kind: 'text'; readonly text: string; readonly mono?: boolean; readonly copy?: string }
  | { readonly kind: 'time'; readonly iso: string }
  | { readonly kind: 'badge'; readonly text: string; readonly tone: Tone }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'bool'; readonly value: boolean; readonly yes?: string; readonly no?: string }
  | { readonly kind: 'notSet'; readonly hint?: string }
  | { readonly kind: 'unknown'; readonly name: string; readonly json: string }
  /** A structured value of a documented field, shown as JSON. */
  | { readonly kind: 'json'; readonly json: string }
  /** A nested object as its own labelled fields; `json` (when set) offers the whole value as JSON too. */
  | { readonly kind: 'fields'; readonly rows: readonly ViewRow[]; readonly json?: string }
  /** A list of objects, each as a small titled group of fields. */
  | { readonly kind: 'records'; readonly items: readonly ViewSection[]; readonly json?: string };

export interface ViewRow {
  readonly label: string;
  readonly value: ViewValue;
}

export interface ViewSection {
  readonly title: string;
  readonly rows: readonly ViewRow[];
}

/**
 * What a panel shows, as plain data: the webview only lays it out. Building it in the extension
 * keeps the webview script dumb (no knowledge of the API shape) and lets every field variant be
 * unit-tested.
 */
export interface MembershipViewModel {
  readonly title: string;
  readonly subtitle: string;
  readonly id: string;
  readonly arn?: string;
  readonly sections: readonly ViewSection[];
}

export interface WebviewFailure {
  title: string;
  message?: string;
  nextStep: string;
  requestId?: string;
  details?: readonly string[];
}

/** A protected query's panel: the record's fields as sections, plus what the actions may do now. */
export interface QueryViewModel {
  readonly title: string;
  readonly subtitle: string;
  /** The protected query's ID. */
  readonly id: string;
  readonly status: { readonly text: string; readonly tone: Tone };
  /** SUBMITTED, STARTED or CANCELLING: the panel updates live; Cancel is offered (not while CANCELLING). */
  readonly running: boolean;
  readonly canCancel: boolean;
  /** The query has SQL text (not a template run): Open SQL in Editor and Run Again are offered. */
  readonly hasSql: boolean;
  /** The query ran an analysis template: Run Again runs it again with the same parameters. */
  readonly ranTemplate?: boolean;
  readonly sections: readonly ViewSection[];
}

/** A table's panel: its facts, columns and rule in words (built from the catalog), and the rule's JSON. */
export interface TableViewModel {
  readonly title: string;
  readonly subtitle: string;
  /** The table's name, as Copy Name copies it. */
  readonly name: string;
  readonly status: { readonly text: string; readonly tone: Tone };
  /** The analysis rule as sentences ("Queries must aggregate: …"). */
  readonly rule: readonly string[];
  readonly sections: readonly ViewSection[];
  /** The analysis rule records as fetched, pretty JSON (read-only text). */
  readonly ruleJson: string;
}

/** How the template form asks for one parameter (see src/queries/templateParameters.ts). */
export type ParameterInput = 'text' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'time' | 'boolean' | 'binary';

/** One field of the template form: the value shown is the host's (a default, or what was typed). */
export interface TemplateField {
  readonly name: string;
  /** The ParameterType as the service sent it. */
  readonly type: string;
  readonly input: ParameterInput;
  /** What a value looks like, in words ("a date as YYYY-MM-DD"). */
  readonly expected: string;
  readonly value: string;
  readonly defaultValue?: string;
  /** Why the value is refused (the host's check); absent when it is fine. */
  readonly problem?: string;
}

/** An analysis template's panel: its fields as sections, and the form that runs it (SQL templates). */
export interface TemplateViewModel {
  readonly title: string;
  readonly subtitle: string;
  /** The template's ARN: what the panel shows (a new ARN starts at the top). */
  readonly id: string;
  readonly sections: readonly ViewSection[];
  /** The template has SQL text: Open SQL is offered. */
  readonly hasSource: boolean;
  /** The parameters form; absent when the template cannot run from here (`noForm` says why). */
  readonly form?: { readonly fields: readonly TemplateField[]; readonly canRun: boolean };
  readonly noForm?: string;
  /** Put the keyboard in the form (Run Analysis Template…). */
  readonly focusForm?: boolean;
}

/** The host's check of the form's values, answering `templateInput`: drawn in place (nothing re-rendered under the caret). */
export interface TemplateCheckMessage {
  readonly type: 'templateCheck';
  readonly problems: Readonly<Record<string, string>>;
  readonly canRun: boolean;
}

/** What the results area of a query panel shows. */
export type ResultsState =
  /** No rows to show, and why: still running, FAILED, CANCELLED, no S3 output. */
  | { readonly kind: 'none'; readonly reason: string }
  /** Delivered to other members (memberList): names the receivers ("Name (123456789012)"). */
  | { readonly kind: 'delivered'; readonly receivers: readonly string[] }
  | { readonly kind: 'loading'; readonly location: string; readonly loadedBytes: number; readonly totalBytes: number; readonly fileCount: number }
  | { readonly kind: 'failed'; readonly location?: string; readonly failure: WebviewFailure }
  | {
      readonly kind: 'ready';
      readonly location: string;
      readonly format: 'CSV' | 'PARQUET';
      readonly fileCount: number;
      readonly columns: readonly { readonly name: string; readonly type: string }[];
      /** Rows in the result. */
      readonly rowCount: number;
      /** Rows after the filter: what the grid scrolls through. */
      readonly shownCount: number;
      readonly sort?: { readonly column: number; readonly direction: 'asc' | 'desc' };
      readonly filter: string;
      /** Changes whenever the row order or filter changes: rows of an older version are dropped. */
      readonly version: number;
      /** The rows read so far: the rest are still being read (rowCount grows; Save waits for them). */
      readonly partial?: boolean;
    };

/** Messages the extension posts to the webview. */
export type ToWebview =
  /** `record`: what is loading or failed, when not a membership (the page's words follow it). */
  | { type: 'loading'; id: string; label?: string; record?: 'template' }
  /** `snapshot`: a record from a list already loaded (detail panels), which the panel cannot fetch again. */
  /** `refreshing`: a record fetched earlier, shown at once while it is fetched again (stale-while-revalidate). */
  | { type: 'membership'; view: MembershipViewModel; where: string; fetchedAt: string; stale?: WebviewFailure; snapshot?: boolean; refreshing?: boolean }
  | { type: 'error'; id: string; failure: WebviewFailure; record?: 'template' }
  /** `stale`: the last poll or Refresh failed; the record shown is the last one fetched (at `fetchedAt`). */
  | { type: 'query'; view: QueryViewModel; where: string; fetchedAt: string; results: ResultsState; stale?: WebviewFailure }
  /**
   * A table of a collaboration. `id` names the panel's record (membership key and table);
   * no `view`: loading (`failure` absent) or the schemas could not be loaded (`failure`).
   */
  | { type: 'table'; id: string; title: string; view?: TableViewModel; where: string; fetchedAt?: string; failure?: WebviewFailure; refreshing?: boolean }
  | { type: 'template'; view: TemplateViewModel; where: string; fetchedAt: string };

/**
 * Rows for the grid, answering a `rowsRequest`: sent once, never replayed (PanelHost.send), since
 * the grid asks again for what it needs after a reload. Cells are exact text; null is SQL NULL.
 */
export interface RowsMessage {
  readonly type: 'rows';
  readonly version: number;
  /** Position of the first row in the sorted, filtered order. */
  readonly start: number;
  /** Each row's number in the file (1-based), for the row-number column. */
  readonly rowNumbers: readonly number[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/**
 * The membership a panel shows, as the webview saves it so the panel can be restored after a
 * window reload (same shape as PanelEntry in membershipPanel.ts, which posts it).
 */
export interface SavedEntry {
  readonly id: string;
  readonly label?: string;
  readonly profile?: string;
  readonly region?: string;
}

/**
 * What arrives in the webview: a ToWebview, with the entry to save when the record is a
 * membership, whether the panel is the preview (it then offers Keep Open), and the message's
 * number, which `rendered` echoes.
 */
export type PostedToWebview = ToWebview & SavedRecord & { readonly preview?: boolean; readonly seq?: number };

/**
 * The protected query a query panel shows, as its webview saves it: restored after a window reload
 * by fetching it again (GetProtectedQuery) under the connection the settings give its membership.
 * The result rows are not saved (they are fetched again from S3, never kept on disk).
 */
export interface SavedQuery {
  readonly membershipId: string;
  readonly queryId: string;
}

/** What a panel can be restored from: a membership's entry, or a protected query (neither: not restored). */
export interface SavedRecord {
  readonly entry?: SavedEntry;
  readonly query?: SavedQuery;
}

/**
 * What the webview keeps with vscode.setState (read back by parseSavedState in membershipPanel.ts).
 * No entry: the panel shows a record that cannot be fetched again, and is not restored.
 */
export interface WebviewState extends SavedRecord {
  readonly preview?: boolean;
}

/** Messages the webview posts back. Anything else is ignored. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'copy'; text: string }
  | { type: 'openJson' }
  | { type: 'openConsole' }
  /** The preview's Keep Open button. */
  | { type: 'keepOpen' }
  /** A membership panel's Edit Settings… button (runs cleanRooms.editMembershipSettings for it). */
  | { type: 'editSettings' }
  /** `rows`: the grid first drew loaded rows of result `version` (ResultsState 'ready'); `seq` is then absent. */
  /** `drawnAt` (rows only): Date.now() in the webview when the rows were drawn; the host may be busy when it reads this. */
  | { type: 'rendered'; state: ToWebview['type'] | 'rows'; seq?: number; version?: number; drawnAt?: number }
  /** A query panel's buttons. */
  | { type: 'queryAction'; action: 'cancel' | 'openSql' | 'runAgain' | 'copyId' | 'saveCsv' | 'saveOriginal' | 'retryResults' }
  /** A table panel's buttons. */
  | { type: 'tableAction'; action: 'copyName' | 'newQuery' }
  /** The grid needs rows [start, start + count) of the current order (`version` of ResultsState). */
  | { type: 'rowsRequest'; version: number; start: number; count: number }
  /** Sort by a column (`none`: back to file order). */
  | { type: 'sort'; column: number; direction: 'asc' | 'desc' | 'none' }
  /** Show only rows where some cell contains `text` (case-insensitive); empty: all rows. */
  | { type: 'filter'; text: string }
  /** Copy a block of the current order as TSV (the host reads the cells: the webview holds only what is on screen). */
  | { type: 'copyCells'; version: number; firstRow: number; lastRow: number; firstColumn: number; lastColumn: number; header: boolean }
  /** The template form changed: the host checks the values and answers with a TemplateCheckMessage. */
  | { type: 'templateInput'; values: Record<string, string> }
  /** The template panel's buttons; `run` carries the form's values (checked again by the host). */
  | { type: 'templateAction'; action: 'openSource' | 'run' | 'copyArn'; values?: Record<string, string> };
