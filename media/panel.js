// @ts-check
// Renders the membership panel. All data arrives by postMessage and is placed with textContent:
// strings from other AWS accounts never become markup. No network, no eval, no inline handlers.
(function () {
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /** Translated words from the page (see panelStrings in src/views/webviewHtml.ts); English as fallback. */
  const strings = (() => {
    try {
      const parsed = JSON.parse((document.getElementById('l10n') || {}).textContent || '{}');
      return typeof parsed === 'object' && parsed !== null ? parsed : {};
    } catch {
      return {};
    }
  })();

  /** @param {string} key English text with {0}, {1}… @param {...string} args */
  function t(key, ...args) {
    const text = typeof strings[key] === 'string' ? strings[key] : key;
    return text.replace(/\{(\d+)\}/g, (/** @type {string} */ m, /** @type {string} */ i) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
  }

  /**
   * @param {string} tag
   * @param {{className?: string, text?: string, attrs?: Record<string,string>}} [opts]
   * @param {(Node|null|undefined)[]} [children]
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

  /** @param {string} label @param {() => void} onClick @param {string} [title] */
  function button(label, onClick, title) {
    const b = el('button', { text: label, attrs: { type: 'button', title: title || label } });
    b.addEventListener('click', onClick);
    return b;
  }

  function copyButton(/** @type {string} */ text, /** @type {string} */ what) {
    const b = button(t('Copy'), () => vscode.postMessage({ type: 'copy', text }), t('Copy {0}', what));
    b.className = 'copy';
    b.setAttribute('aria-label', t('Copy {0}', what));
    return b;
  }

  /** @param {any} value @param {string} label */
  function renderValue(value, label) {
    switch (value.kind) {
      case 'text': {
        const wrap = el('span', { className: 'value' });
        wrap.appendChild(el(value.mono ? 'code' : 'span', { className: 'text', text: value.text, attrs: { title: value.text } }));
        if (value.copy !== undefined) wrap.appendChild(copyButton(value.copy, label));
        return wrap;
      }
      case 'time': {
        const date = new Date(value.iso);
        return el('time', { className: 'value', text: date.toLocaleString(), attrs: { datetime: value.iso, title: value.iso } });
      }
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
      case 'unknown': {
        const details = el('details', { className: 'unknown' });
        details.appendChild(el('summary', { text: t('Unrecognised value "{0}" (newer than this extension)', value.name) }));
        details.appendChild(el('pre', { text: value.json }));
        return details;
      }
      case 'json': {
        const details = el('details', { className: 'json' });
        details.appendChild(el('summary', { text: t('Show as JSON') }));
        details.appendChild(el('pre', { text: value.json }));
        return details;
      }
      default:
        return el('span', { className: 'not-set', text: t('Unrecognised value') });
    }
  }

  /** @param {any} failure @param {string} className */
  function renderFailure(failure, className) {
    const box = el('div', { className, attrs: { role: 'alert' } });
    box.appendChild(el('strong', { className: 'error-title', text: failure.title }));
    if (failure.message) box.appendChild(el('p', { className: 'error-message', text: failure.message }));
    for (const d of failure.details || []) box.appendChild(el('p', { className: 'error-detail', text: d }));
    box.appendChild(el('p', { className: 'next-step', text: failure.nextStep }));
    if (failure.requestId) box.appendChild(el('p', { className: 'request-id', text: t('Request ID: {0}', failure.requestId) }));
    return box;
  }

  function toolbar(/** @type {any} */ view, /** @type {boolean} */ canRefresh) {
    const bar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('Membership actions') } });
    if (canRefresh) bar.appendChild(button(t('Refresh'), () => vscode.postMessage({ type: 'refresh' }), t('Fetch the membership again')));
    if (view) {
      bar.appendChild(button(t('Copy ID'), () => vscode.postMessage({ type: 'copy', text: view.id })));
      if (view.arn) bar.appendChild(button(t('Copy ARN'), () => vscode.postMessage({ type: 'copy', text: view.arn })));
      bar.appendChild(button(t('Open Raw JSON'), () => vscode.postMessage({ type: 'openJson' }), t('Open the GetMembership response in a read-only editor')));
      bar.appendChild(button(t('Open in AWS Console'), () => vscode.postMessage({ type: 'openConsole' })));
    }
    return bar;
  }

  /** @param {any} message */
  function render(message) {
    app.replaceChildren();
    app.setAttribute('aria-busy', message.type === 'loading' ? 'true' : 'false');
    document.body.dataset.state = message.type;
    if (message.type === 'loading') {
      app.appendChild(el('h1', { text: message.label || t('Membership') }));
      app.appendChild(el('p', { className: 'muted', text: t('Loading membership {0}…', message.id) }));
      return;
    }
    if (message.type === 'error') {
      app.appendChild(el('h1', { text: t('Membership {0}', message.id) }));
      app.appendChild(renderFailure(message.failure, 'error'));
      app.appendChild(toolbar(undefined, true));
      return;
    }
    const view = message.view;
    const header = el('header', {}, [
      el('h1', { className: 'title', text: view.title, attrs: { title: view.title } }),
      el('p', { className: 'muted subtitle', text: view.subtitle + ' · ' + message.where + ' · ' + t('fetched {0}', new Date(message.fetchedAt).toLocaleTimeString()) }),
    ]);
    app.appendChild(header);
    app.appendChild(toolbar(view, !message.snapshot));
    if (message.stale) {
      const banner = renderFailure(message.stale, 'warning');
      banner.insertBefore(el('p', { text: t('Showing the last data fetched; refreshing failed:') }), banner.firstChild);
      app.appendChild(banner);
    }
    for (const section of view.sections) {
      const dl = el('dl');
      for (const row of section.rows) {
        dl.appendChild(el('dt', { text: row.label }));
        dl.appendChild(el('dd', { attrs: { 'data-field': row.label } }, [renderValue(row.value, row.label)]));
      }
      app.appendChild(el('section', { attrs: { 'aria-label': section.title } }, [el('h2', { text: section.title }), dl]));
    }
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message.type !== 'string') return;
    if (message.entry) vscode.setState({ entry: message.entry });
    render(message);
    // Lets the extension know what is on screen (progress, tests, the benchmark).
    vscode.postMessage({ type: 'rendered', state: message.type });
  });

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
