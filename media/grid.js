// @ts-check
// The results grid of a query panel: a virtualised table over rows the extension holds. Only the
// rows in view (plus a few) are in the DOM; the rest are asked for with `rowsRequest` as the user
// scrolls, and kept for the current `version` only. Cells are placed with textContent: a cell's
// text never becomes markup. Loaded before media/panel.js, which calls createResultsGrid.
// Message types: src/views/protocol.ts (checked by tsconfig.media.json).
/* exported createResultsGrid -- used by media/panel.js, a separate script */
/** @typedef {Extract<import('../src/views/protocol').ResultsState, { kind: 'ready' }>} GridResults */
/** @typedef {import('../src/views/protocol').RowsMessage} GridRows */
/** @typedef {import('../src/views/protocol').FromWebview} GridOutgoing */
/** @typedef {{ rowNumber: number, cells: readonly (string | null)[] }} GridRow */
/** @typedef {{ row: number, col: number }} GridCell row -1 is the header row */

/** Fixed row height (px): positions are arithmetic, never measured, so scrolling reads no layout. */
const GRID_ROW_HEIGHT = 24;
/**
 * Chromium caps an element's height near 33.5 million px (and transforms lose whole pixels past
 * 16.7 million): above this the scrollbar maps onto row positions proportionally.
 */
const GRID_MAX_SCROLL_HEIGHT = 10_000_000;
/** Rows are asked for in blocks of this many, aligned, so a scroll back finds them cached. */
const GRID_BLOCK = 100;
/** Rows drawn above and below the viewport, so a small scroll shows no gap. */
const GRID_OVERSCAN = 6;
/** Rows fetched beyond the viewport on each side. */
const GRID_PREFETCH = 100;
/** Rows kept in memory around the viewport; farther ones are dropped (they are other companies' data). */
const GRID_KEEP = 3000;
/** A request unanswered this long (the panel was hidden, say) is asked again when still needed. */
const GRID_REQUEST_TIMEOUT_MS = 4000;
const GRID_FILTER_DEBOUNCE_MS = 200;
/** A tooltip with the whole value for cells longer than this (the cell itself may be cut by an ellipsis). */
const GRID_TOOLTIP_MIN = 24;
const GRID_TOOLTIP_MAX = 2000;

let gridInstances = 0;

/**
 * The results area of a ready result: summary, filter, actions and the grid. Made once per result
 * (the panel keeps it across re-renders of the same query, so scroll, selection and a filter being
 * typed survive a status update) and fed each `ready` state with update().
 * @param {{ post: (message: GridOutgoing) => void, t: (key: string, ...args: string[]) => string }} deps
 */
function createResultsGrid(deps) {
  const { post, t } = deps;
  const uid = 'g' + ++gridInstances;
  const activeId = uid + '-active';

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag @param {string} [className] @param {string} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** @param {number} n */
  const num = (n) => n.toLocaleString();

  // ------------------------------------------------------------------------------- structure

  const root = make('div', 'results');
  const summary = make('p', 'results-summary');
  const bar = make('div', 'toolbar results-toolbar');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', t('Result actions'));
  const filter = make('input', 'results-filter');
  filter.type = 'search';
  filter.spellcheck = false;
  filter.setAttribute('aria-label', t('Filter rows'));
  filter.placeholder = t('Filter rows (any column contains…)');

  /** @param {string} label @param {string} title @param {() => void} onClick */
  function action(label, title, onClick) {
    const b = make('button', undefined, label);
    b.type = 'button';
    b.title = title;
    b.addEventListener('click', onClick);
    return b;
  }
  const copyCell = action(t('Copy Cell'), t('Copy the active cell'), () => copyBlock('cell'));
  const copyRow = action(t('Copy Row'), t('Copy the active row as tab-separated text'), () => copyBlock('row'));
  const copySelection = action(t('Copy Selection'), t('Copy the selected cells as tab-separated text (Ctrl+C)'), () => copyBlock('selection'));
  const saveCsv = action(t('Save as CSV…'), t('Save every row, in the order shown, as a CSV file'), () => post({ type: 'queryAction', action: 'saveCsv' }));
  const saveOriginal = action(t('Save Original Files…'), t('Save the result files exactly as stored in S3'), () => post({ type: 'queryAction', action: 'saveOriginal' }));
  bar.append(filter, copyCell, copyRow, copySelection, saveCsv, saveOriginal);

  const scroller = make('div', 'grid');
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'grid');
  scroller.setAttribute('aria-multiselectable', 'true');
  scroller.setAttribute('aria-label', t('Query results'));
  scroller.style.setProperty('--grid-row-height', GRID_ROW_HEIGHT + 'px');
  const head = make('div', 'grid-head');
  head.setAttribute('role', 'rowgroup');
  const headRow = make('div', 'grid-header-row');
  headRow.setAttribute('role', 'row');
  headRow.setAttribute('aria-rowindex', '1');
  head.appendChild(headRow);
  const body = make('div', 'grid-body');
  body.setAttribute('role', 'rowgroup');
  scroller.append(head, body);
  const empty = make('p', 'grid-empty muted');
  root.append(summary, bar, scroller, empty);

  // ------------------------------------------------------------------------------- state

  /** @type {GridResults | undefined} */
  let results;
  /** @type {number | undefined} */
  let version;
  let count = 0;
  /** @type {{ name: string, type: string }[]} */
  let columns = [];
  /** Left edge and width of each data column (px), after the row-number column. */
  /** @type {number[]} */
  let lefts = [];
  /** @type {number[]} */
  let widths = [];
  let rowNumberWidth = 60;
  let totalWidth = 0;
  /** @type {Map<number, GridRow>} rows of the current version by position */
  const cache = new Map();
  /** @type {Map<number, number>} block -> when it was asked for */
  const inflight = new Map();
  /** @type {Map<number, HTMLElement>} drawn rows by position */
  const drawn = new Map();
  /** @type {HTMLElement[]} */
  const spare = [];
  /** @type {GridCell | undefined} */
  let active;
  /** @type {GridCell | undefined} */
  let anchor;
  /** Scroll offsets to put back after the panel re-renders around us (detaching resets them). */
  let savedTop = 0;
  let savedLeft = 0;
  /** Cached layout: read on update and resize only. */
  let headHeight = 2 * GRID_ROW_HEIGHT;
  let viewHeight = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let filterTimer;
  let sentFilter = '';
  let dragging = false;

  // ------------------------------------------------------------------------------- geometry

  const realHeight = () => count * GRID_ROW_HEIGHT;
  const spacerHeight = () => Math.min(realHeight(), GRID_MAX_SCROLL_HEIGHT);
  /** Real (unscaled) offset of the viewport's top from scrollTop. @param {number} top */
  function virtualTop(top) {
    const real = realHeight();
    const spacer = spacerHeight();
    if (real === spacer || spacer <= viewHeight) return top;
    return (top * (real - viewHeight)) / (spacer - viewHeight);
  }
  /** The scrollTop that shows real offset `v` at the viewport's top. @param {number} v */
  function scrollTopFor(v) {
    const real = realHeight();
    const spacer = spacerHeight();
    if (real === spacer || real <= viewHeight) return v;
    return (v * (spacer - viewHeight)) / (real - viewHeight);
  }
  const pageRows = () => Math.max(1, Math.floor(viewHeight / GRID_ROW_HEIGHT) - 1);

  function measure() {
    headHeight = head.offsetHeight || headHeight;
    viewHeight = Math.max(0, scroller.clientHeight - headHeight);
  }

  const MAX_COLUMN_WIDTH = 360;
  /** @type {CanvasRenderingContext2D | null | undefined} */
  let textMeasure;
  /** @type {string | undefined} */
  let gridFont;
  /**
   * The text's width in the grid's own font (measured, not guessed: a 19-digit BIGINT must fit).
   * @param {string} text @param {boolean} [bold]
   */
  function textWidth(text, bold) {
    if (textMeasure === undefined) {
      textMeasure = document.createElement('canvas').getContext('2d');
    }
    if (!textMeasure) return text.length * 8;
    // The grid's font is the editor's (panel.css .grid); read from the theme variables, since the
    // grid may not be attached yet.
    if (gridFont === undefined) {
      const root = getComputedStyle(document.documentElement);
      const body = getComputedStyle(document.body);
      const family = root.getPropertyValue('--vscode-editor-font-family').trim() || body.fontFamily;
      const size = root.getPropertyValue('--vscode-editor-font-size').trim() || body.fontSize;
      gridFont = size + ' ' + family;
    }
    textMeasure.font = (bold ? '600 ' : '') + gridFont;
    return textMeasure.measureText(text).width;
  }

  /** Column widths from the names, types and the first rows seen: fixed afterwards, so rows never reflow. */
  function layoutColumns() {
    widths = columns.map((c) => Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(72, textWidth(c.name, true) + 36, textWidth(c.type) + 24))));
    rowNumberWidth = Math.round(Math.max(48, textWidth(String(Math.max(1, results ? results.rowCount : 1))) + 24));
    lefts = [];
    let x = rowNumberWidth;
    for (const w of widths) {
      lefts.push(x);
      x += w;
    }
    totalWidth = x;
  }

  /** Widens columns whose first loaded values are longer than their header (once per result). */
  let widened = false;
  function widenFromData() {
    if (widened || cache.size === 0) return;
    widened = true;
    let changed = false;
    for (let i = 0; i < Math.min(50, count); i++) {
      const row = cache.get(i);
      if (!row) continue;
      row.cells.forEach((v, c) => {
        const want = Math.round(Math.min(MAX_COLUMN_WIDTH, textWidth(v === null ? 'NULL' : v.slice(0, 80)) + 24));
        if (c < widths.length && want > widths[c]) {
          widths[c] = want;
          changed = true;
        }
      });
    }
    if (!changed) return;
    let x = rowNumberWidth;
    widths.forEach((w, c) => {
      lefts[c] = x;
      x += w;
    });
    totalWidth = x;
    buildHeader();
    for (const [, rowEl] of drawn) recycle(rowEl);
    drawn.clear();
  }

  // ------------------------------------------------------------------------------- header

  function buildHeader() {
    headRow.replaceChildren();
    headRow.style.width = totalWidth + 'px';
    body.style.width = totalWidth + 'px';
    const corner = make('div', 'grid-rownum grid-colhead', t('Row'));
    corner.setAttribute('role', 'columnheader');
    corner.setAttribute('aria-colindex', '1');
    corner.style.width = rowNumberWidth + 'px';
    headRow.appendChild(corner);
    const sort = results && results.sort;
    columns.forEach((column, c) => {
      const cell = make('div', 'grid-colhead');
      cell.setAttribute('role', 'columnheader');
      cell.setAttribute('aria-colindex', String(c + 2));
      cell.dataset.col = String(c);
      cell.style.width = widths[c] + 'px';
      const sorted = sort && sort.column === c ? sort.direction : undefined;
      if (sorted) cell.setAttribute('aria-sort', sorted === 'asc' ? 'ascending' : 'descending');
      cell.title = t('Sort by {0}', column.name);
      const name = make('span', 'grid-colname', column.name);
      const arrow = make('span', 'grid-sort', sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '');
      arrow.setAttribute('aria-hidden', 'true');
      cell.append(make('span', 'grid-colline', undefined), make('span', 'grid-coltype', column.type));
      /** @type {HTMLElement} */ (cell.firstChild).append(name, arrow);
      headRow.appendChild(cell);
    });
  }

  /** Next sort of column `c`: ascending, then descending, then the file's order. @param {number} c */
  function sortBy(c) {
    const sort = results && results.sort;
    /** @type {'asc' | 'desc' | 'none'} */
    let direction = 'asc';
    if (sort && sort.column === c) direction = sort.direction === 'asc' ? 'desc' : 'none';
    post({ type: 'sort', column: c, direction });
  }

  headRow.addEventListener('click', (event) => {
    const cell = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('.grid-colhead[data-col]'));
    if (!cell) return;
    const c = Number(cell.dataset.col);
    setActive({ row: -1, col: c }, false);
    sortBy(c);
  });

  // ------------------------------------------------------------------------------- rows

  function newRow() {
    const rowEl = make('div', 'grid-row');
    rowEl.setAttribute('role', 'row');
    const number = make('div', 'grid-rownum');
    number.setAttribute('role', 'rowheader');
    number.setAttribute('aria-colindex', '1');
    rowEl.appendChild(number);
    columns.forEach((_, c) => {
      const cell = make('div', 'grid-cell');
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(c + 2));
      cell.dataset.col = String(c);
      rowEl.appendChild(cell);
    });
    return rowEl;
  }

  /** @param {HTMLElement} rowEl */
  function sizeRow(rowEl) {
    rowEl.style.width = totalWidth + 'px';
    const cells = rowEl.children;
    /** @type {HTMLElement} */ (cells[0]).style.width = rowNumberWidth + 'px';
    for (let c = 0; c < widths.length; c++) /** @type {HTMLElement} */ (cells[c + 1]).style.width = widths[c] + 'px';
  }

  /** @param {HTMLElement} rowEl */
  function recycle(rowEl) {
    rowEl.remove();
    rowEl.dataset.pos = '';
    rowEl.dataset.filled = '';
    if (rowEl.children.length === columns.length + 1) spare.push(rowEl);
  }

  /** Puts row `pos`'s values (or a placeholder) in `rowEl`. @param {HTMLElement} rowEl @param {number} pos */
  function fill(rowEl, pos) {
    const row = cache.get(pos);
    rowEl.dataset.pos = String(pos);
    rowEl.dataset.filled = row ? '1' : '';
    rowEl.setAttribute('aria-rowindex', String(pos + 2));
    const cells = rowEl.children;
    /** @type {HTMLElement} */ (cells[0]).textContent = row ? String(row.rowNumber) : '';
    if (row) rowEl.removeAttribute('aria-busy');
    else rowEl.setAttribute('aria-busy', 'true');
    rowEl.classList.toggle('pending', !row);
    for (let c = 0; c < columns.length; c++) {
      const cell = /** @type {HTMLElement} */ (cells[c + 1]);
      const value = row ? row.cells[c] : undefined;
      if (value === null) {
        cell.textContent = t('NULL');
        cell.classList.add('null');
        cell.setAttribute('aria-label', t('NULL (no value)'));
        cell.title = t('NULL (no value)');
      } else {
        cell.textContent = value === undefined ? '' : value;
        cell.classList.remove('null');
        cell.removeAttribute('aria-label');
        if (value !== undefined && value.length > GRID_TOOLTIP_MIN) cell.title = value.slice(0, GRID_TOOLTIP_MAX);
        else cell.removeAttribute('title');
      }
    }
    paintRow(rowEl, pos);
  }

  /** Selection and active-cell marks of one drawn row. @param {HTMLElement} rowEl @param {number} pos */
  function paintRow(rowEl, pos) {
    const rect = selection();
    const cells = rowEl.children;
    const rowIn = rect !== undefined && pos >= rect.firstRow && pos <= rect.lastRow;
    for (let c = 0; c < columns.length; c++) {
      const cell = /** @type {HTMLElement} */ (cells[c + 1]);
      const selected = rowIn && rect !== undefined && c >= rect.firstColumn && c <= rect.lastColumn;
      cell.classList.toggle('selected', selected);
      const said = selected ? 'true' : 'false';
      if (cell.getAttribute('aria-selected') !== said) cell.setAttribute('aria-selected', said);
      const isActive = active !== undefined && active.row === pos && active.col === c;
      cell.classList.toggle('active', isActive);
      if (isActive) cell.id = activeId;
      else if (cell.id) cell.removeAttribute('id');
    }
  }

  /** After the selection or the active cell moved. */
  function paintAll() {
    for (const [pos, rowEl] of drawn) paintRow(rowEl, pos);
    paintFocus();
  }

  /** The header's active mark, aria-activedescendant and the copy buttons: cheap enough for every scroll. */
  function paintFocus() {
    for (const cell of headRow.children) {
      const h = /** @type {HTMLElement} */ (cell);
      const isActive = active !== undefined && active.row === -1 && h.dataset.col === String(active.col);
      h.classList.toggle('active', isActive);
      if (isActive) h.id = activeId;
      else if (h.id) h.removeAttribute('id');
    }
    // Only point at a cell that is in the DOM: a screen reader must find what is announced.
    if (active !== undefined && document.getElementById(activeId)) scroller.setAttribute('aria-activedescendant', activeId);
    else scroller.removeAttribute('aria-activedescendant');
    const hasCell = active !== undefined && active.row >= 0;
    copyCell.disabled = !hasCell;
    copyRow.disabled = !hasCell;
    copySelection.disabled = !hasCell;
  }

  /** Draws the rows in view; asks for the ones not loaded. Called on scroll, resize and new data. */
  function draw() {
    // Detached while the panel re-renders around us: nothing to measure, and savedTop must survive.
    if (!scroller.isConnected) return;
    const top = scroller.scrollTop;
    savedTop = top;
    savedLeft = scroller.scrollLeft;
    if (count === 0 || columns.length === 0) {
      for (const [, rowEl] of drawn) recycle(rowEl);
      drawn.clear();
      paintFocus();
      return;
    }
    const v = virtualTop(top);
    const first = Math.max(0, Math.floor(v / GRID_ROW_HEIGHT) - GRID_OVERSCAN);
    const last = Math.min(count - 1, Math.floor((v + viewHeight) / GRID_ROW_HEIGHT) + GRID_OVERSCAN);
    for (const [pos, rowEl] of drawn) {
      if (pos < first || pos > last) {
        recycle(rowEl);
        drawn.delete(pos);
      }
    }
    for (let pos = first; pos <= last; pos++) {
      let rowEl = drawn.get(pos);
      if (!rowEl) {
        rowEl = spare.pop() || newRow();
        sizeRow(rowEl);
        fill(rowEl, pos);
        drawn.set(pos, rowEl);
        body.appendChild(rowEl);
      } else if (!rowEl.dataset.filled && cache.has(pos)) {
        fill(rowEl, pos);
      }
      // Relative to the scroll position, so scaled scrolling still lays rows edge to edge.
      rowEl.style.transform = `translateY(${Math.round(pos * GRID_ROW_HEIGHT - v + top)}px)`;
    }
    paintFocus();
    request(first, last);
    scroller.dataset.first = String(first);
    scroller.dataset.last = String(last);
  }

  /** Asks for the missing blocks around [first, last], merged into as few requests as possible. @param {number} first @param {number} last */
  function request(first, last) {
    if (version === undefined) return;
    const lo = Math.max(0, first - GRID_PREFETCH);
    const hi = Math.min(count - 1, last + GRID_PREFETCH);
    const now = Date.now();
    /** @type {number | undefined} */
    let runStart;
    let runEnd = 0;
    const flush = () => {
      if (runStart === undefined || version === undefined) return;
      const start = runStart * GRID_BLOCK;
      const end = Math.min(count, (runEnd + 1) * GRID_BLOCK);
      for (let b = runStart; b <= runEnd; b++) inflight.set(b, now);
      post({ type: 'rowsRequest', version, start, count: end - start });
      runStart = undefined;
    };
    for (let b = Math.floor(lo / GRID_BLOCK); b <= Math.floor(hi / GRID_BLOCK); b++) {
      const blockFirst = b * GRID_BLOCK;
      const blockLast = Math.min(count - 1, blockFirst + GRID_BLOCK - 1);
      const loaded = cache.has(blockFirst) && cache.has(blockLast);
      const asked = inflight.get(b);
      const missing = !loaded && (asked === undefined || now - asked > GRID_REQUEST_TIMEOUT_MS);
      if (missing) {
        if (runStart === undefined) runStart = b;
        runEnd = b;
      } else {
        flush();
      }
    }
    flush();
  }

  /** Drops cached rows far from the viewport. */
  function evict() {
    if (cache.size <= 2 * GRID_KEEP) return;
    const middle = Math.floor(virtualTop(scroller.scrollTop) / GRID_ROW_HEIGHT);
    for (const pos of cache.keys()) {
      if (Math.abs(pos - middle) > GRID_KEEP) cache.delete(pos);
    }
  }

  /** Rows from the extension; a reply for an older order or filter is dropped. @param {GridRows} message */
  function receiveRows(message) {
    if (message.version !== version) return;
    message.rows.forEach((cells, i) => {
      cache.set(message.start + i, { rowNumber: message.rowNumbers[i], cells });
    });
    const end = message.start + message.rows.length;
    for (let b = Math.floor(message.start / GRID_BLOCK); b * GRID_BLOCK < end; b++) inflight.delete(b);
    widenFromData();
    evict();
    for (const [pos, rowEl] of drawn) {
      if (pos >= message.start && pos < end) fill(rowEl, pos);
    }
    draw();
    reportDrawn();
  }

  /** The version whose first drawn rows were reported. */
  /** @type {number | undefined} */
  let reportedVersion;
  /** Tells the extension once per version that rows are on screen (tests, the benchmark). */
  function reportDrawn() {
    if (version === undefined || reportedVersion === version || !scroller.isConnected) return;
    for (const [, rowEl] of drawn) {
      if (rowEl.dataset.filled === '1') {
        reportedVersion = version;
        post({ type: 'rendered', state: 'rows', version, drawnAt: Date.now() });
        return;
      }
    }
  }

  // ------------------------------------------------------------------------------- selection

  /** The selected block, in positions and data-column indexes; undefined when none (or the header is active). */
  function selection() {
    if (!active || !anchor || active.row < 0 || anchor.row < 0) return undefined;
    return {
      firstRow: Math.min(active.row, anchor.row),
      lastRow: Math.max(active.row, anchor.row),
      firstColumn: Math.min(active.col, anchor.col),
      lastColumn: Math.max(active.col, anchor.col),
    };
  }

  /** @param {GridCell} cell @param {boolean} extend keep the anchor (shift) */
  function setActive(cell, extend) {
    const row = Math.max(-1, Math.min(count - 1, cell.row));
    const col = Math.max(0, Math.min(columns.length - 1, cell.col));
    active = { row, col };
    if (!extend || !anchor || row < 0 || anchor.row < 0) anchor = { row, col };
    paintAll();
  }

  /** Scrolls so the active cell is wholly in view (sticky header and row numbers aside). */
  function reveal() {
    if (!active) return;
    if (active.row >= 0) {
      const v = virtualTop(scroller.scrollTop);
      const rowTop = active.row * GRID_ROW_HEIGHT;
      let want;
      if (rowTop < v) want = rowTop;
      else if (rowTop + GRID_ROW_HEIGHT > v + viewHeight) want = rowTop + GRID_ROW_HEIGHT - viewHeight;
      if (want !== undefined) scroller.scrollTop = Math.round(scrollTopFor(Math.max(0, want)));
    }
    const left = lefts[active.col];
    const right = left + widths[active.col];
    if (left - rowNumberWidth < scroller.scrollLeft) scroller.scrollLeft = left - rowNumberWidth;
    else if (right > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = right - scroller.clientWidth;
    draw();
  }

  /** @param {'cell' | 'row' | 'selection'} what */
  function copyBlock(what) {
    if (version === undefined || !active || active.row < 0) return;
    const rect = selection();
    if (!rect) return;
    const last = columns.length - 1;
    const block =
      what === 'cell' ? { firstRow: active.row, lastRow: active.row, firstColumn: active.col, lastColumn: active.col }
        : what === 'row' ? { firstRow: active.row, lastRow: active.row, firstColumn: 0, lastColumn: last }
          : rect;
    // Whole rows (every column, more than one row) copy as a table: with the column names on top.
    const header = block.firstColumn === 0 && block.lastColumn === last && block.lastRow > block.firstRow;
    post({ type: 'copyCells', version, ...block, header });
  }

  /** @param {MouseEvent} event @returns {GridCell | undefined} */
  function cellAt(event) {
    const target = /** @type {Element} */ (event.target);
    const rowEl = /** @type {HTMLElement | null} */ (target.closest('.grid-row'));
    if (!rowEl || !rowEl.dataset.pos) return undefined;
    const row = Number(rowEl.dataset.pos);
    const cell = /** @type {HTMLElement | null} */ (target.closest('.grid-cell'));
    // The row number: the whole row.
    if (!cell) return { row, col: -1 };
    return { row, col: Number(cell.dataset.col) };
  }

  /** @param {GridCell} at @param {boolean} extend */
  function pointTo(at, extend) {
    if (at.col === -1) {
      // A row number selects its row (shift: every row from the anchor's).
      if (!extend || !anchor || anchor.row < 0) anchor = { row: at.row, col: 0 };
      else anchor = { row: anchor.row, col: 0 };
      active = { row: at.row, col: columns.length - 1 };
      paintAll();
      return;
    }
    setActive(at, extend);
  }

  body.addEventListener('mousedown', (event) => {
    if (event.button !== 0) return;
    const at = cellAt(event);
    if (!at) return;
    event.preventDefault(); // no text selection; focus below instead
    scroller.focus({ preventScroll: true });
    pointTo(at, event.shiftKey);
    dragging = true;
  });
  body.addEventListener('mouseover', (event) => {
    if (!dragging) return;
    const at = cellAt(event);
    if (at && at.col >= 0) setActive(at, true);
  });
  // Window-wide listeners end with the grid (dispose), so a dropped grid holds no rows through them.
  const lifetime = new AbortController();
  window.addEventListener('mouseup', () => {
    dragging = false;
  }, { signal: lifetime.signal });

  scroller.addEventListener('focus', () => {
    if (!active && count > 0 && columns.length > 0) {
      const v = virtualTop(scroller.scrollTop);
      setActive({ row: Math.min(count - 1, Math.ceil(v / GRID_ROW_HEIGHT)), col: 0 }, false);
    }
  });

  scroller.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key;
    if (mod && (key === 'c' || key === 'C')) {
      event.preventDefault();
      copyBlock('selection');
      return;
    }
    if (mod && (key === 'a' || key === 'A')) {
      event.preventDefault();
      if (count === 0) return;
      anchor = { row: 0, col: 0 };
      active = { row: count - 1, col: columns.length - 1 };
      paintAll();
      return;
    }
    if (!active) {
      if (count === 0 || !['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End'].includes(key)) return;
      active = { row: 0, col: 0 };
      anchor = active;
    }
    if ((key === 'Enter' || key === ' ') && active.row === -1) {
      event.preventDefault();
      sortBy(active.col);
      return;
    }
    if (key === 'Escape') {
      anchor = active;
      paintAll();
      return;
    }
    let { row, col } = active;
    const lastRow = count - 1;
    const lastCol = columns.length - 1;
    switch (key) {
      case 'ArrowUp':
        row = event.shiftKey ? Math.max(0, row - 1) : row - 1;
        break;
      case 'ArrowDown':
        row = Math.min(lastRow, row + 1);
        break;
      case 'ArrowLeft':
        col = Math.max(0, col - 1);
        break;
      case 'ArrowRight':
        col = Math.min(lastCol, col + 1);
        break;
      case 'PageUp':
        row = Math.max(0, row - pageRows());
        break;
      case 'PageDown':
        row = Math.min(lastRow, Math.max(0, row) + pageRows());
        break;
      case 'Home':
        col = 0;
        if (mod) row = 0;
        break;
      case 'End':
        col = lastCol;
        if (mod) row = lastRow;
        break;
      default:
        return;
    }
    event.preventDefault();
    setActive({ row: Math.max(-1, row), col }, event.shiftKey);
    reveal();
  });

  scroller.addEventListener('scroll', draw, { passive: true });
  const resized = new ResizeObserver(() => {
    if (!scroller.isConnected) return;
    measure();
    draw();
  });
  resized.observe(scroller);

  // ------------------------------------------------------------------------------- filter

  filter.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      filterTimer = undefined;
      sentFilter = filter.value;
      post({ type: 'filter', text: filter.value });
    }, GRID_FILTER_DEBOUNCE_MS);
  });
  filter.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      // At once, without waiting for the pause.
      clearTimeout(filterTimer);
      filterTimer = undefined;
      if (filter.value !== sentFilter) {
        sentFilter = filter.value;
        post({ type: 'filter', text: filter.value });
      }
    }
  });

  // ------------------------------------------------------------------------------- updates

  /** @param {GridResults} next */
  function update(next) {
    const first = results === undefined;
    const columnsChanged = first || JSON.stringify(next.columns) !== JSON.stringify(columns);
    const newVersion = next.version !== version;
    results = next;
    columns = next.columns.map((c) => ({ name: c.name, type: c.type }));
    count = next.shownCount;
    scroller.setAttribute('aria-rowcount', String(count + 1));
    scroller.setAttribute('aria-colcount', String(columns.length + 1));

    const counted = next.shownCount === next.rowCount ? t('{0} rows', num(next.rowCount)) : t('{0} of {1} rows', num(next.shownCount), num(next.rowCount));
    const rows = next.partial ? t('{0} so far, reading the rest…', counted) : counted;
    const files = next.fileCount === 1 ? t('1 file') : t('{0} files', num(next.fileCount));
    // While parts are still being read, how many there are is not known yet.
    summary.textContent = (next.partial ? [rows, next.format, next.location] : [rows, next.format, files, next.location]).join(' · ');

    // The host's filter, unless the user is typing a newer one.
    if (filterTimer === undefined && next.filter !== sentFilter) {
      sentFilter = next.filter;
      if (filter.value !== next.filter) filter.value = next.filter;
    }
    if (first) filter.value = next.filter;

    if (columnsChanged) {
      layoutColumns();
      widened = false;
      for (const [, rowEl] of drawn) rowEl.remove();
      drawn.clear();
      spare.length = 0;
    }
    buildHeader();
    body.style.height = spacerHeight() + 'px';
    if (newVersion) {
      // Another order or filter: the rows held belong to the old one.
      version = next.version;
      cache.clear();
      inflight.clear();
      for (const [, rowEl] of drawn) recycle(rowEl);
      drawn.clear();
      active = undefined;
      anchor = undefined;
      if (!first) {
        savedTop = 0;
        scroller.scrollTop = 0;
      }
    } else if (active && active.row >= count) {
      active = undefined;
      anchor = undefined;
    }
    empty.textContent = count > 0 ? '' : next.rowCount === 0 ? t('The query returned no rows.') : t('No rows match the filter.');
    empty.hidden = count > 0;
  }

  /** After the panel put `root` back in the page: scroll and draw as before. */
  function attached() {
    measure();
    body.style.height = spacerHeight() + 'px';
    if (scroller.scrollTop !== savedTop) scroller.scrollTop = savedTop;
    if (scroller.scrollLeft !== savedLeft) scroller.scrollLeft = savedLeft;
    draw();
  }

  /** Forgets every row (the panel shows something else now). */
  function dispose() {
    clearTimeout(filterTimer);
    lifetime.abort();
    resized.disconnect();
    cache.clear();
    inflight.clear();
    drawn.clear();
    spare.length = 0;
    body.replaceChildren();
  }

  return { root, scroller, filter, update, attached, receiveRows, dispose };
}
