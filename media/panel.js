// @ts-check
// Renders the membership panel. All data arrives by postMessage and is placed with textContent:
// strings from other AWS accounts never become markup. No network, no eval, no inline handlers.
// Message and view-model types: src/views/protocol.ts (checked by tsconfig.media.json).
// A query's results grid is media/grid.js, loaded first.
/* global createResultsGrid -- defined by media/grid.js, loaded first */
/** @typedef {import('../src/views/protocol').PostedToWebview} PostedToWebview */
/** @typedef {import('../src/views/protocol').MembershipViewModel} MembershipViewModel */
/** @typedef {import('../src/views/protocol').ViewValue} ViewValue */
/** @typedef {import('../src/views/protocol').WebviewFailure} WebviewFailure */
(function () {
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  /** The one live region: a short line saying what changed, so a screen reader does not read the page again. */
  const status = /** @type {HTMLElement} */ (document.getElementById('status'));

  /** Translated words from the page (see panelStrings in src/views/webviewHtml.ts); English as fallback. */
  const strings = (() => {
    try {
      /** @type {unknown} */
      const parsed = JSON.parse(document.getElementById('l10n')?.textContent || '{}');
      return typeof parsed === 'object' && parsed !== null ? /** @type {Record<string, unknown>} */ (parsed) : {};
    } catch {
      return {};
    }
  })();

  /** @param {string} key English text with {0}, {1}… @param {...string} args */
  function t(key, ...args) {
    const translated = strings[key];
    const text = typeof translated === 'string' ? translated : key;
    return text.replace(/\{(\d+)\}/g, (m, /** @type {string} */ i) => args[Number(i)] ?? m);
  }

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {{className?: string, text?: string, attrs?: Record<string,string>}} [opts]
   * @param {(Node|null|undefined)[]} [children]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, opts, children) {
    const node = document.createElement(tag);
    if (opts && opts.className) node.className = opts.className;
    if (opts && opts.text !== undefined) node.textContent = opts.text;
    if (opts && opts.attrs) {
      for (const [k, v] of Object.entries(opts.attrs)) node.setAttribute(k, v);
    }
    for (const child of children || []) {
      if (child) node.appendChild(child);
    }
    return node;
  }

  // ---------------------------------------------------------------------------------------------
  // What the user is doing survives a re-render: every element that can hold focus, be opened or
  // scrolled is registered under a key made of what it shows (section + row label, or the toolbar
  // action), and the next render puts focus, open <details> and scroll back by those keys.

  /** @type {Map<string, HTMLElement>} The current render's elements by stable key. */
  let keyed = new Map();
  /** Key of the element to focus once it is on screen (and this document has focus). */
  /** @type {string | undefined} */
  let pendingFocus;

  /**
   * Registers `node` under `key` (a second row with the same label gets "#2", and so on).
   * @template {HTMLElement} E @param {string} key @param {E} node @returns {E}
   */
  function keep(key, node) {
    let unique = key;
    for (let n = 2; keyed.has(unique); n++) unique = key + '#' + n;
    keyed.set(unique, node);
    return node;
  }

  /** @param {string} section @param {string} label */
  function rowKey(section, label) {
    return JSON.stringify([section, label]);
  }

  function captureView() {
    const active = document.activeElement;
    /** @type {Set<string>} */
    const open = new Set();
    /** @type {Map<string, number>} */
    const innerScroll = new Map();
    for (const [key, node] of keyed) {
      if (node === active) pendingFocus = key;
      if (node instanceof HTMLDetailsElement && node.open) open.add(key);
      if (node.scrollTop > 0) innerScroll.set(key, node.scrollTop);
    }
    return { open, innerScroll, x: window.scrollX, y: window.scrollY };
  }

  /** @param {ReturnType<typeof captureView>} saved */
  function restoreView(saved) {
    for (const [key, node] of keyed) {
      if (node instanceof HTMLDetailsElement && saved.open.has(key)) node.open = true;
    }
    // After the <details> are open again, so their content has a height to scroll in.
    for (const [key, top] of saved.innerScroll) {
      const node = keyed.get(key);
      if (node) node.scrollTop = top;
    }
    restoreFocus();
    window.scrollTo(saved.x, saved.y);
  }

  function restoreFocus() {
    if (pendingFocus === undefined) return;
    const target = keyed.get(pendingFocus);
    // Not drawn yet (e.g. Refresh while "Loading…" shows): kept for the next render.
    if (!target) return;
    // Never pull focus from the workbench: done on this window's next `focus` instead.
    if (!document.hasFocus()) return;
    pendingFocus = undefined;
    target.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------------------------------------

  /** @param {string} label @param {() => void} onClick @param {string} [title] */
  function button(label, onClick, title) {
    const b = el('button', { text: label, attrs: { type: 'button', title: title || label } });
    b.addEventListener('click', onClick);
    return b;
  }

  /** @param {string} text @param {string} what @param {string} key */
  function copyButton(text, what, key) {
    const b = keep('copy:' + key, button(t('Copy'), () => vscode.postMessage({ type: 'copy', text }), t('Copy {0}', what)));
    b.className = 'copy';
    b.setAttribute('aria-label', t('Copy {0}', what));
    return b;
  }

  /** @param {string} summary @param {string} json @param {string} className @param {string} key */
  function jsonDetails(summary, json, className, key) {
    const details = keep('details:' + key, el('details', { className }));
    details.appendChild(keep('summary:' + key, el('summary', { text: summary })));
    details.appendChild(keep('pre:' + key, el('pre', { text: json })));
    return details;
  }

  /**
   * A time in the reader's own zone, with the zone named (e.g. "25 Nov 2026, 14:03 GMT+1"); the
   * exact UTC instant is in the tooltip.
   * @param {string} iso
   */
  function renderTime(iso) {
    const date = new Date(iso);
    const shown = Number.isNaN(date.getTime())
      ? iso
      : date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    return el('time', { className: 'value', text: shown, attrs: { datetime: iso, title: t('{0} (UTC)', iso) } });
  }

  /**
   * Labelled fields, label above value when the panel is narrow (see panel.css). `level` is the
   * heading level for groups inside them.
   * @param {readonly import('../src/views/protocol').ViewRow[]} rows @param {string} key @param {number} level
   */
  function renderFields(rows, key, level) {
    const dl = el('dl', { className: 'fields nested' });
    for (const row of rows) {
      dl.appendChild(el('dt', { text: row.label }));
      dl.appendChild(el('dd', {}, [renderValue(row.value, row.label, key + '/' + row.label, level)]));
    }
    return dl;
  }

  /**
   * The whole of a deep value as JSON, offered under its fields.
   * @param {string | undefined} json @param {string} key
   */
  function secondaryJson(json, key) {
    return json === undefined ? undefined : jsonDetails(t('Show as JSON'), json, 'json secondary', key);
  }

  /**
   * @param {ViewValue} value @param {string} label @param {string} key
   * @param {number} [level] heading level for the groups of a list of objects
   */
  function renderValue(value, label, key, level = 3) {
    switch (value.kind) {
      case 'text': {
        const wrap = el('span', { className: 'value' });
        wrap.appendChild(el(value.mono ? 'code' : 'span', { className: 'text', text: value.text, attrs: { title: value.text } }));
        if (value.copy !== undefined) wrap.appendChild(copyButton(value.copy, label, key));
        return wrap;
      }
      case 'time':
        return renderTime(value.iso);
      case 'badge':
        return el('span', { className: 'badge tone-' + value.tone, text: value.text });
      case 'list': {
        if (value.items.length === 0) return el('span', { className: 'not-set', text: t('None') });
        const ul = el('ul', { className: 'chips' });
        for (const item of value.items) ul.appendChild(el('li', { text: item }));
        return ul;
      }
      case 'bool':
        return el('span', { className: 'value', text: value.value ? value.yes || t('Yes') : value.no || t('No') });
      case 'notSet':
        return el('span', { className: 'not-set', text: value.hint ? t('Not set — {0}', value.hint) : t('Not set') });
      case 'unknown':
        return jsonDetails(t('Unrecognised value "{0}" (newer than this extension)', value.name), value.json, 'unknown', key);
      case 'json':
        return jsonDetails(t('Show as JSON'), value.json, 'json', key);
      case 'fields':
        if (value.rows.length === 0) return el('span', { className: 'not-set', text: t('None') });
        return el('div', { className: 'structure' }, [renderFields(value.rows, key, level), secondaryJson(value.json, key)]);
      case 'records': {
        const heading = /** @type {'h3' | 'h4' | 'h5' | 'h6'} */ ('h' + Math.min(Math.max(level, 3), 6));
        const groups = value.items.map((item, i) =>
          el('div', { className: 'record', attrs: { role: 'group', 'aria-label': item.title } }, [
            el(heading, { className: 'record-title', text: item.title }),
            renderFields(item.rows, key + '#' + i, level + 1),
          ]),
        );
        return el('div', { className: 'structure' }, [...groups, secondaryJson(value.json, key)]);
      }
      default:
        return el('span', { className: 'not-set', text: t('Unrecognised value') });
    }
  }

  /** @param {WebviewFailure} failure @param {string} className */
  function renderFailure(failure, className) {
    // No role="alert": the status line announces the failure, once.
    const box = el('div', { className });
    box.appendChild(el('strong', { className: 'error-title', text: failure.title }));
    if (failure.message) box.appendChild(el('p', { className: 'error-message', text: failure.message }));
    for (const d of failure.details || []) box.appendChild(el('p', { className: 'error-detail', text: d }));
    box.appendChild(el('p', { className: 'next-step', text: failure.nextStep }));
    if (failure.requestId) box.appendChild(el('p', { className: 'request-id', text: t('Request ID: {0}', failure.requestId) }));
    return box;
  }

  /** @param {import('../src/views/protocol').ViewSection} section */
  function renderSection(section) {
    const dl = el('dl', { className: 'fields' });
    for (const row of section.rows) {
      dl.appendChild(el('dt', { text: row.label }));
      dl.appendChild(el('dd', { attrs: { 'data-field': row.label } }, [renderValue(row.value, row.label, rowKey(section.title, row.label))]));
    }
    return el('section', { attrs: { 'aria-label': section.title } }, [el('h2', { text: section.title }), dl]);
  }

  /** @param {MembershipViewModel | undefined} view @param {boolean} canRefresh */
  function toolbar(view, canRefresh) {
    const bar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('Membership actions') } });
    /** @param {string} action @param {HTMLButtonElement} b */
    const add = (action, b) => bar.appendChild(keep('action:' + action, b));
    if (canRefresh) add('refresh', button(t('Refresh'), () => vscode.postMessage({ type: 'refresh' }), t('Fetch the membership again')));
    if (view) {
      const { id, arn } = view;
      add('copyId', button(t('Copy ID'), () => vscode.postMessage({ type: 'copy', text: id })));
      if (arn) add('copyArn', button(t('Copy ARN'), () => vscode.postMessage({ type: 'copy', text: arn })));
      add('openJson', button(t('Open Raw JSON'), () => vscode.postMessage({ type: 'openJson' }), t('Open the GetMembership response in a read-only editor')));
      add('openConsole', button(t('Open in AWS Console'), () => vscode.postMessage({ type: 'openConsole' })));
      if (canRefresh) add('editSettings', button(t('Edit Settings…'), () => vscode.postMessage({ type: 'editSettings' }), t('Change logging and result settings (UpdateMembership)')));
    }
    return bar;
  }

  /** @param {PostedToWebview} message @returns {string} what the status line says */
  function renderContent(message) {
    if (message.type === 'loading') {
      const loading = message.record === 'template' ? t('Loading analysis template {0}…', message.id) : t('Loading membership {0}…', message.id);
      app.appendChild(el('h1', { text: message.label || t('Membership') }));
      app.appendChild(el('p', { className: 'muted', text: loading }));
      return loading;
    }
    if (message.type === 'error') {
      app.appendChild(el('h1', { text: message.record === 'template' ? t('Analysis template {0}', message.id) : t('Membership {0}', message.id) }));
      app.appendChild(renderFailure(message.failure, 'error'));
      app.appendChild(toolbar(undefined, true));
      return t('Loading failed: {0}', message.failure.title);
    }
    if (message.type === 'query') {
      return renderQuery(message);
    }
    if (message.type === 'table') {
      return renderTable(message);
    }
    if (message.type === 'template') {
      return renderTemplate(message);
    }
    const view = message.view;
    const fetched = t('fetched {0}', new Date(message.fetchedAt).toLocaleTimeString());
    const refreshing = message.refreshing ? ' · ' + t('refreshing…') : '';
    const header = el('header', {}, [
      el('h1', { className: 'title', text: view.title, attrs: { title: view.title } }),
      el('p', { className: 'muted subtitle', text: view.subtitle + ' · ' + message.where + ' · ' + fetched + refreshing }),
    ]);
    app.appendChild(header);
    app.appendChild(toolbar(view, !message.snapshot));
    if (message.stale) {
      const banner = renderFailure(message.stale, 'warning');
      banner.insertBefore(el('p', { text: t('Showing the last data fetched; refreshing failed:') }), banner.firstChild);
      app.appendChild(banner);
    }
    for (const section of view.sections) {
      app.appendChild(renderSection(section));
    }
    if (message.stale) return t('Refreshing failed: {0}', message.stale.title);
    return view.title + ' · ' + fetched + refreshing;
  }

  /**
   * The results grid of the query on screen, kept across re-renders of the same result (a status
   * update re-posts the whole query: the grid keeps its scroll, selection and a filter being typed).
   * @type {{ key: string, grid: ReturnType<typeof createResultsGrid> } | undefined}
   */
  let results;

  /** Drops the grid and the rows it holds (other companies' data: kept only while shown). */
  function dropResults() {
    results?.grid.dispose();
    results = undefined;
  }

  /** @param {import('../src/views/protocol').QueryViewModel} view */
  function queryToolbar(view) {
    const bar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('Query actions') } });
    /** @param {string} action @param {HTMLButtonElement} b */
    const add = (action, b) => bar.appendChild(keep('action:' + action, b));
    /** @param {'cancel' | 'openSql' | 'runAgain' | 'copyId'} action */
    const act = (action) => () => vscode.postMessage({ type: 'queryAction', action });
    add('refresh', button(t('Refresh'), () => vscode.postMessage({ type: 'refresh' }), t('Fetch the protected query again')));
    if (view.canCancel) add('cancel', button(t('Cancel Query'), act('cancel'), t('Stop this protected query')));
    if (view.hasSql) {
      add('openSql', button(t('Open SQL in Editor'), act('openSql'), t('Open the query text in a new SQL document bound to this membership')));
    }
    if (view.hasSql || view.ranTemplate) {
      add('runAgain', button(t('Run Again'), act('runAgain'), t('Start this query again as a new protected query')));
    }
    add('copyId', button(t('Copy ID'), act('copyId'), t('Copy the protected query ID')));
    add('openConsole', button(t('Open in AWS Console'), () => vscode.postMessage({ type: 'openConsole' })));
    return bar;
  }

  /** @param {Extract<PostedToWebview, { type: 'table' }>} message @returns {string} what the status line says */
  function renderTable(message) {
    const view = message.view;
    const bar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('Table actions') } });
    /** @param {string} action @param {HTMLButtonElement} b */
    const add = (action, b) => bar.appendChild(keep('action:' + action, b));
    add('refresh', button(t('Refresh'), () => vscode.postMessage({ type: 'refresh' }), t("Fetch the collaboration's schemas and analysis rules again")));
    add('copyName', button(t('Copy Name'), () => vscode.postMessage({ type: 'tableAction', action: 'copyName' }), t('Copy the table name')));
    add('newQuery', button(t('New Query'), () => vscode.postMessage({ type: 'tableAction', action: 'newQuery' }), t('Open a new SQL document bound to this membership')));
    if (view) add('openJson', button(t('Open Raw JSON'), () => vscode.postMessage({ type: 'openJson' }), t('Open the schema and its analysis rules in a read-only editor')));
    const fetched = message.fetchedAt ? t('fetched {0}', new Date(message.fetchedAt).toLocaleTimeString()) : '';
    const refreshing = message.refreshing ? t('refreshing…') : '';
    const subtitle = [view ? view.subtitle : t('Table'), message.where, fetched, refreshing].filter(Boolean).join(' · ');
    app.appendChild(
      el('header', {}, [el('h1', { className: 'title', text: message.title, attrs: { title: message.title } }), el('p', { className: 'muted subtitle', text: subtitle })]),
    );
    app.appendChild(bar);
    if (message.failure) {
      app.appendChild(renderFailure(message.failure, 'error'));
      return t('Loading failed: {0}', message.failure.title);
    }
    if (!view) {
      const loading = t('Loading table {0}…', message.title);
      app.appendChild(el('p', { className: 'muted', text: loading }));
      return loading;
    }
    const rule = el('section', { attrs: { 'aria-label': t('Analysis rule') } }, [el('h2', { text: t('Analysis rule') })]);
    rule.appendChild(el('p', {}, [el('span', { className: 'badge tone-' + view.status.tone, text: view.status.text })]));
    for (const sentence of view.rule) rule.appendChild(el('p', { className: 'rule-sentence', text: sentence }));
    app.appendChild(rule);
    for (const section of view.sections) app.appendChild(renderSection(section));
    const json = el('section', { attrs: { 'aria-label': t('Analysis rule JSON') } }, [el('h2', { text: t('Analysis rule JSON') })]);
    json.appendChild(keep('pre:ruleJson', el('pre', { className: 'json rule-json', text: view.ruleJson })));
    app.appendChild(json);
    return view.title + (fetched ? ' · ' + fetched : '') + (refreshing ? ' · ' + refreshing : '');
  }

  /** @param {number} bytes */
  function size(bytes) {
    if (bytes < 1024) return t('{0} B', bytes.toLocaleString());
    if (bytes < 1024 * 1024) return t('{0} KB', (bytes / 1024).toLocaleString(undefined, { maximumFractionDigits: 1 }));
    return t('{0} MB', (bytes / (1024 * 1024)).toLocaleString(undefined, { maximumFractionDigits: 1 }));
  }

  /**
   * The results area for each ResultsState; returns the words for the status line.
   * @param {import('../src/views/protocol').QueryViewModel} view
   * @param {import('../src/views/protocol').ResultsState} state @param {HTMLElement} section
   */
  function renderResults(view, state, section) {
    if (state.kind !== 'ready') dropResults();
    switch (state.kind) {
      case 'none':
        section.appendChild(el('p', { className: 'muted results-reason', text: state.reason }));
        return state.reason;
      case 'delivered': {
        section.appendChild(el('p', { text: t('The results were delivered to:') }));
        const ul = el('ul', { className: 'chips receivers' });
        for (const receiver of state.receivers) ul.appendChild(el('li', { text: receiver }));
        section.appendChild(ul);
        return t('Results delivered to {0}', state.receivers.join(', '));
      }
      case 'loading': {
        const files = state.fileCount === 1 ? t('1 file') : t('{0} files', state.fileCount.toLocaleString());
        const known = state.totalBytes > 0;
        const words = known
          ? t('Downloading {0} of {1} ({2}) from {3}', size(state.loadedBytes), size(state.totalBytes), files, state.location)
          : t('Downloading {0} ({1}) from {2}', size(state.loadedBytes), files, state.location);
        const bar = el('progress', { className: 'results-progress', attrs: { 'aria-label': t('Downloading results') } });
        if (known) {
          bar.max = state.totalBytes;
          bar.value = Math.min(state.loadedBytes, state.totalBytes);
        }
        section.appendChild(bar);
        section.appendChild(el('p', { className: 'muted results-progress-text', text: words }));
        // The status line says it once: not every byte count.
        return t('Downloading results…');
      }
      case 'failed': {
        if (state.location) section.appendChild(el('p', { className: 'muted', text: state.location }));
        section.appendChild(renderFailure(state.failure, 'error'));
        const bar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('Result actions') } });
        bar.appendChild(keep('action:retryResults', button(t('Retry'), () => vscode.postMessage({ type: 'queryAction', action: 'retryResults' }), t('Read the results again'))));
        section.appendChild(bar);
        return t('Reading the results failed: {0}', state.failure.title);
      }
      case 'ready': {
        const key = view.id + '\n' + state.location;
        if (!results || results.key !== key) {
          dropResults();
          results = { key, grid: createResultsGrid({ post: (m) => vscode.postMessage(m), t }) };
        }
        const grid = results.grid;
        grid.update(state);
        keep('results:filter', grid.filter);
        keep('results:grid', grid.scroller);
        section.appendChild(grid.root);
        return state.shownCount === state.rowCount
          ? t('{0} rows', state.rowCount.toLocaleString())
          : t('{0} of {1} rows', state.shownCount.toLocaleString(), state.rowCount.toLocaleString());
      }
      default:
        return '';
    }
  }

  /**
   * A protected query: its status, actions, fields and results.
   * @param {Extract<PostedToWebview, { type: 'query' }>} message
   */
  function renderQuery(message) {
    const view = message.view;
    const fetched = t('fetched {0}', new Date(message.fetchedAt).toLocaleTimeString());
    app.appendChild(el('header', {}, [
      el('div', { className: 'title-line' }, [
        el('h1', { className: 'title', text: view.title, attrs: { title: view.title } }),
        el('span', { className: 'badge status-badge tone-' + view.status.tone, text: view.status.text }),
      ]),
      el('p', { className: 'muted subtitle', text: view.subtitle + ' · ' + message.where + ' · ' + fetched }),
    ]));
    app.appendChild(queryToolbar(view));
    // The results first: reading them is why the panel is open; the query's fields follow.
    const section = el('section', { className: 'results-section', attrs: { 'aria-label': t('Results') } }, [el('h2', { text: t('Results') })]);
    app.appendChild(section);
    const said = renderResults(view, message.results, section);
    for (const part of view.sections) {
      app.appendChild(renderSection(part));
    }
    // In the page again: the grid puts its scroll back and draws the rows in view.
    if (message.results.kind === 'ready' && results) results.grid.attached();
    return [view.title, view.status.text, said].filter(Boolean).join(' · ');
  }

  // ---------------------------------------------------------------------------------------------
  // An analysis template: its fields, and (SQL templates) the form that runs it. The host holds
  // the values and checks them (the same rules it applies again before a start): each change is
  // posted, and its answer (templateCheck) is drawn in place, never re-rendering under the caret.

  /** The form on screen: its fields by parameter name, and the Run button. */
  /** @type {{ inputs: Map<string, HTMLInputElement | HTMLSelectElement>, errors: Map<string, HTMLElement>, run: HTMLButtonElement } | undefined} */
  let form;

  function formValues() {
    /** @type {Record<string, string>} */
    const values = {};
    for (const [name, input] of form?.inputs ?? []) values[name] = input.value;
    return values;
  }

  /** @param {Readonly<Record<string, string>>} problems @param {boolean} canRun */
  function applyCheck(problems, canRun) {
    if (!form) return;
    for (const [name, input] of form.inputs) {
      const problem = Object.prototype.hasOwnProperty.call(problems, name) ? problems[name] : undefined;
      const error = form.errors.get(name);
      if (error) error.textContent = problem || '';
      input.setAttribute('aria-invalid', problem ? 'true' : 'false');
    }
    form.run.disabled = !canRun;
  }

  /**
   * One labelled input per parameter: a select for BOOLEAN, a date input for DATE, text for the
   * rest (numbers stay text: the host's rules, not the browser's, say what is valid).
   * @param {import('../src/views/protocol').TemplateField} field @param {number} i
   */
  function parameterInput(field, i) {
    const id = 'param-' + i;
    /** @type {HTMLInputElement | HTMLSelectElement} */
    let input;
    if (field.input === 'boolean') {
      const select = el('select', { attrs: { id } });
      for (const option of ['true', 'false']) select.appendChild(el('option', { text: option, attrs: { value: option } }));
      // A value the select cannot show (typed elsewhere, or no default): an empty choice, refused by the host.
      if (field.value !== 'true' && field.value !== 'false') select.insertBefore(el('option', { text: '', attrs: { value: field.value } }), select.firstChild);
      select.value = field.value;
      input = select;
    } else {
      const text = el('input', { attrs: { id, type: field.input === 'date' ? 'date' : 'text', spellcheck: 'false', autocomplete: 'off' } });
      text.value = field.value;
      text.placeholder = field.defaultValue ?? '';
      input = text;
    }
    input.setAttribute('aria-describedby', id + '-hint ' + id + '-error');
    input.setAttribute('aria-invalid', field.problem ? 'true' : 'false');
    input.dataset.parameter = field.name;
    const post = () => vscode.postMessage({ type: 'templateInput', values: formValues() });
    input.addEventListener('input', post);
    input.addEventListener('change', post);
    const error = el('p', { className: 'field-error', text: field.problem || '', attrs: { id: id + '-error', role: 'alert' } });
    const label = el('label', { attrs: { for: id } }, [el('code', { text: field.name }), el('span', { className: 'muted', text: ' ' + field.type })]);
    const hint = el('p', { className: 'muted field-hint', text: field.defaultValue === undefined ? field.expected : t('{0} (default {1})', field.expected, field.defaultValue), attrs: { id: id + '-hint' } });
    return { input: keep('param:' + field.name, input), error, row: el('div', { className: 'form-field' }, [label, input, hint, error]) };
  }

  /** @param {import('../src/views/protocol').TemplateViewModel} view */
  function templateForm(view) {
    const section = el('section', { className: 'template-form', attrs: { 'aria-label': t('Run this template') } }, [el('h2', { text: t('Run this template') })]);
    form = undefined;
    if (!view.form) {
      section.appendChild(el('p', { className: 'muted no-form', text: view.noForm || '' }));
      return section;
    }
    /** @type {Map<string, HTMLInputElement | HTMLSelectElement>} */
    const inputs = new Map();
    /** @type {Map<string, HTMLElement>} */
    const errors = new Map();
    view.form.fields.forEach((field, i) => {
      const made = parameterInput(field, i);
      inputs.set(field.name, made.input);
      errors.set(field.name, made.error);
      section.appendChild(made.row);
    });
    if (view.form.fields.length === 0) section.appendChild(el('p', { className: 'muted', text: t('This template takes no parameters.') }));
    const run = keep('action:runTemplate', button(t('Run'), () => vscode.postMessage({ type: 'templateAction', action: 'run', values: formValues() }), t('Start this template as a protected query (asks first)')));
    run.className = 'primary';
    run.disabled = !view.form.canRun;
    section.appendChild(el('div', { className: 'toolbar' }, [run]));
    form = { inputs, errors, run };
    return section;
  }

  /** @param {Extract<PostedToWebview, { type: 'template' }>} message */
  function renderTemplate(message) {
    const view = message.view;
    const fetched = t('fetched {0}', new Date(message.fetchedAt).toLocaleTimeString());
    app.appendChild(el('header', {}, [
      el('h1', { className: 'title', text: view.title, attrs: { title: view.title } }),
      el('p', { className: 'muted subtitle', text: view.subtitle + ' · ' + message.where + ' · ' + fetched }),
    ]));
    const bar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('Template actions') } });
    /** @param {string} action @param {HTMLButtonElement} b */
    const add = (action, b) => bar.appendChild(keep('action:' + action, b));
    add('refresh', button(t('Refresh'), () => vscode.postMessage({ type: 'refresh' }), t('Fetch the template again')));
    if (view.hasSource) add('openSource', button(t('Open SQL'), () => vscode.postMessage({ type: 'templateAction', action: 'openSource' }), t("Open the template's SQL in a read-only editor")));
    add('copyArn', button(t('Copy ARN'), () => vscode.postMessage({ type: 'templateAction', action: 'copyArn' })));
    add('openJson', button(t('Open Raw JSON'), () => vscode.postMessage({ type: 'openJson' }), t('Open the GetCollaborationAnalysisTemplate response in a read-only editor')));
    add('openConsole', button(t('Open in AWS Console'), () => vscode.postMessage({ type: 'openConsole' })));
    app.appendChild(bar);
    app.appendChild(templateForm(view));
    for (const section of view.sections) {
      app.appendChild(renderSection(section));
    }
    if (view.focusForm && form) {
      const first = form.inputs.keys().next();
      pendingFocus = first.done ? 'action:runTemplate' : 'param:' + first.value;
    }
    return view.title + ' · ' + fetched;
  }

  /**
   * The preview panel says so, and offers Keep Open (VS Code cannot draw a webview's tab in
   * italics, as it does a preview editor's).
   */
  function previewBar() {
    const bar = el('div', { className: 'toolbar preview-bar', attrs: { role: 'toolbar', 'aria-label': t('Preview') } });
    bar.appendChild(el('span', { className: 'badge tone-neutral', text: t('Preview'), attrs: { title: t('The next record you open replaces this one') } }));
    bar.appendChild(keep('action:keepOpen', button(t('Keep Open'), () => vscode.postMessage({ type: 'keepOpen' }), t('Keep this record in its own panel'))));
    return bar;
  }

  /** What record a message is about: another one (the preview moved on) starts at the top. @param {PostedToWebview} message */
  function recordOf(message) {
    return message.type === 'membership' || message.type === 'query' || message.type === 'template' ? message.view.id : message.id;
  }
  /** @type {string | undefined} */
  let shownRecord;

  /** @param {PostedToWebview} message */
  function render(message) {
    const sameRecord = recordOf(message) === shownRecord;
    shownRecord = recordOf(message);
    const saved = captureView();
    keyed = new Map();
    app.replaceChildren();
    app.setAttribute('aria-busy', message.type === 'loading' ? 'true' : 'false');
    document.body.dataset.state = message.type;
    if (message.preview) app.appendChild(previewBar());
    if (message.type !== 'query') dropResults();
    if (message.type !== 'template') form = undefined;
    const said = renderContent(message);
    if (sameRecord) restoreView(saved);
    else window.scrollTo(0, 0);
    // Run Analysis Template…: the first field takes the keyboard (restoreFocus waits for this window's focus).
    if (message.type === 'template' && message.view.focusForm) restoreFocus();
    // Only a change is announced; the same words again (an unchanged refresh) stay silent.
    if (status.textContent !== said) status.textContent = said;
  }

  /** @param {unknown} data @returns {data is PostedToWebview | import('../src/views/protocol').RowsMessage | import('../src/views/protocol').TemplateCheckMessage} */
  function isMessage(data) {
    return typeof data === 'object' && data !== null && typeof (/** @type {{type?: unknown}} */ (data).type) === 'string';
  }

  window.addEventListener('message', (event) => {
    /** @type {unknown} */
    const message = event.data;
    if (!isMessage(message)) return;
    // Rows for the grid: no re-render, nothing to save, no `rendered` echo.
    if (message.type === 'rows') {
      results?.grid.receiveRows(message);
      return;
    }
    // The host's check of the form: drawn in place.
    if (message.type === 'templateCheck') {
      applyCheck(message.problems, message.canRun);
      return;
    }
    // A membership's entry or a query's IDs restore the panel after a reload; a detail record has neither.
    vscode.setState(message.entry ? { entry: message.entry, preview: message.preview } : message.query ? { query: message.query, preview: message.preview } : { preview: message.preview });
    render(message);
    // Lets the extension know what is on screen (progress, tests, the benchmark), and which message.
    vscode.postMessage({ type: 'rendered', state: message.type, seq: message.seq });
  });

  // The user moved on (clicked, or focused something themselves): forget the focus to put back.
  document.addEventListener('pointerdown', () => {
    pendingFocus = undefined;
  });
  document.addEventListener('focusin', () => {
    pendingFocus = undefined;
  });
  window.addEventListener('focus', restoreFocus);

  document.addEventListener('keydown', (event) => {
    // F5 / Ctrl+R refresh, like the rest of the workbench.
    if (event.key === 'F5' || ((event.ctrlKey || event.metaKey) && event.key === 'r')) {
      event.preventDefault();
      vscode.postMessage({ type: 'refresh' });
    }
  });

  // Only now is the listener in place: ask for data.
  vscode.postMessage({ type: 'ready' });
})();
