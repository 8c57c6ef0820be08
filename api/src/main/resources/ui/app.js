// The trainlayer dashboard: each page is drawn from the JSON API (/api/v1) with the session cookie; charts are
// ECharts. No build step: this file is served as it is. Every chart is kept in window.trainlayer.charts under
// its name, so a test (or a curious user in the console) can read what was drawn.
(() => {
  'use strict';

  const CONFIG = JSON.parse(document.getElementById('trainlayer-config').textContent);
  const ROLES = ['viewer', 'trainer', 'approver', 'admin'];
  const LOWER_IS_BETTER = new Set(['log_loss', 'logloss', 'rmse', 'mae', 'mse', 'mape', 'brier', 'loss']);
  const charts = {};
  const self = { charts, config: CONFIG, loadedAt: Date.now(), updates: 0, events: [], state: {} };
  window.trainlayer = self;
  // Script errors are kept where a person (or a test) can read them: the console may be closed.
  self.errors = [];
  window.addEventListener('error', e => self.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', e => self.errors.push(String(e.reason && e.reason.stack || e.reason)));

  // ---------- helpers ----------

  /** Builds an element; strings become text nodes, so nothing from the API is ever parsed as HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function can(role) {
    return ROLES.indexOf(CONFIG.user.role) >= ROLES.indexOf(role);
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({ method: 'GET', headers: {} }, options || {});
    opts.credentials = 'same-origin';
    opts.headers = Object.assign({ Accept: 'application/json' }, opts.headers);
    if (opts.method !== 'GET') {
      opts.headers['X-CSRF-Token'] = CONFIG.csrf;
      if (opts.body !== undefined && typeof opts.body !== 'string') {
        opts.body = JSON.stringify(opts.body);
        opts.headers['Content-Type'] = 'application/json';
      }
    }
    const r = await fetch(path, opts);
    if (r.status === 401) {
      location.href = '/ui/login?expired=1&next=' + encodeURIComponent(location.pathname + location.search);
      throw new ApiError(401, null);
    }
    const type = r.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await r.json() : await r.text();
    if (!r.ok) throw new ApiError(r.status, typeof body === 'object' ? body : { detail: body });
    return body;
  }

  function fmt(v, digits) {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'number') {
      if (!isFinite(v)) return String(v);
      if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
      const a = Math.abs(v);
      if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
      return v.toFixed(digits === undefined ? 4 : digits);
    }
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  /** Text for an ECharts tooltip, which ECharts sets as HTML. */
  function esc(...parts) {
    return echarts.format.encodeHTML(parts.map(String).join(''));
  }

  function when(iso) {
    if (!iso) return '—';
    const d = new Date(typeof iso === 'number' ? iso : iso);
    return isNaN(d) ? String(iso) : d.toLocaleString();
  }

  function duration(ms) {
    if (ms === null || ms === undefined || isNaN(ms)) return '—';
    const s = Math.round(ms / 1000);
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + (s % 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  function runDuration(run) {
    if (!run.createdAt) return null;
    const end = run.endedAt ? Date.parse(run.endedAt) : (run.status === 'RUNNING' ? Date.now() : null);
    return end === null ? null : end - Date.parse(run.createdAt);
  }

  function badge(status) {
    return h('span', { class: 'badge s-' + String(status || 'unknown').toLowerCase() }, status || '—');
  }

  function lowerIsBetter(metric) {
    return LOWER_IS_BETTER.has(String(metric || '').toLowerCase());
  }

  function section(title, ...children) {
    return h('section', { class: 'card' }, h('h2', {}, title), ...children);
  }

  function table(headers, rows, opts) {
    const o = opts || {};
    const thead = h('thead', {}, h('tr', {}, headers.map((head, i) => h('th', {
      class: o.sortable ? 'sortable' : null, dataset: { col: String(i) },
      onclick: o.sortable ? () => o.onSort(i) : null,
    }, head, o.sortable && o.sortCol === i ? (o.sortDesc ? ' ▼' : ' ▲') : ''))));
    const tbody = h('tbody', {}, rows.map(r => h('tr', r.attrs || {}, r.cells.map(c => h('td', c && c.attrs ? c.attrs : {}, c && c.content !== undefined ? c.content : c)))));
    return h('table', { class: 'grid' + (o.class ? ' ' + o.class : ''), id: o.id }, thead, tbody);
  }

  function facts(pairs, id) {
    return h('dl', { class: 'facts', id }, pairs.filter(p => p[1] !== undefined && p[1] !== null && p[1] !== '')
      .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  }

  function link(href, text) {
    return h('a', { href }, text);
  }

  function shortSha(sha) {
    return sha ? h('code', { title: sha }, sha.slice(0, 12)) : '—';
  }

  /** A chart in a container of its own, registered under its name; drawn again when called again. */
  function chart(name, parent, option, height) {
    let inst = charts[name];
    if (!inst || inst.isDisposed() || !document.body.contains(inst.getDom())) {
      const el = h('div', { class: 'chart', dataset: { chart: name }, style: 'height:' + (height || 320) + 'px' });
      parent.append(el);
      inst = echarts.init(el, null, { renderer: 'canvas' });
      charts[name] = inst;
    }
    inst.setOption(Object.assign({ animation: false }, option), true);
    return inst;
  }

  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.isDisposed() || c.resize()));

  function showError(where, e) {
    where.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.status === 404 ? 'Not found: ' + e.message : String(e.message || e)));
  }

  async function act(button, label, fn) {
    button.disabled = true;
    try {
      await fn();
    } catch (e) {
      alert(label + ' failed: ' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---------- runs ----------

  async function runsPage(main) {
    const q = new URLSearchParams(location.search);
    const pipeline = h('input', { id: 'f-pipeline', placeholder: 'pipeline', value: q.get('pipeline') || '' });
    const status = h('select', { id: 'f-status' }, ['', 'RUNNING', 'SUCCEEDED', 'REJECTED', 'FAILED', 'CANCELLED', 'LOST']
      .map(s => h('option', { value: s, selected: (q.get('status') || '') === s }, s || 'any status')));
    const trigger = h('select', { id: 'f-trigger' }, ['', 'api', 'schedule', 'monitor']
      .map(s => h('option', { value: s, selected: (q.get('trigger') || '') === s }, s || 'any trigger')));
    const compare = h('button', { type: 'button', disabled: true, id: 'compare-selected' }, 'Compare selected');
    const body = h('div', {});
    const selected = new Set();
    const apply = () => {
      const p = new URLSearchParams();
      if (pipeline.value.trim()) p.set('pipeline', pipeline.value.trim());
      if (status.value) p.set('status', status.value);
      if (trigger.value) p.set('trigger', trigger.value);
      history.replaceState(null, '', '/ui/' + (p.toString() ? '?' + p : ''));
      load();
    };
    pipeline.addEventListener('change', apply);
    status.addEventListener('change', apply);
    trigger.addEventListener('change', apply);
    compare.addEventListener('click', () => { location.href = '/ui/compare?ids=' + [...selected].join(','); });
    main.replaceChildren(h('h1', {}, 'Runs'), h('div', { class: 'filters' }, pipeline, status, trigger, compare), body);

    let timer = null;
    let latest = 0;
    async function load() {
      clearTimeout(timer);
      const mine = ++latest;
      const p = new URLSearchParams(location.search);
      p.set('limit', '100');
      let runs;
      try {
        runs = (await api('/api/v1/runs?' + p)).runs || [];
      } catch (e) {
        if (mine === latest) showError(body, e);
        return;
      }
      if (mine !== latest) return;   // a newer filter's answer is coming
      for (const id of [...selected]) if (!runs.some(r => r.runId === id)) selected.delete(id);
      compare.disabled = selected.size < 2 || selected.size > 4;
      self.state.runs = runs;
      if (!runs.length) {
        body.replaceChildren(h('p', { class: 'muted' }, 'No runs yet. Start one with ', h('code', {}, './trainlayer submit spec.yaml'),
          ' or POST /api/v1/runs.'));
      } else {
        body.replaceChildren(table(['', 'Run', 'Pipeline', 'Model', 'Status', 'Phase', 'Trigger', 'Started', 'Duration', 'Best metric'],
          runs.map(r => ({
            attrs: { dataset: { run: r.runId } },
            cells: [
              h('input', { type: 'checkbox', checked: selected.has(r.runId), 'aria-label': 'select ' + r.runId, onchange: e => {
                if (e.target.checked) selected.add(r.runId); else selected.delete(r.runId);
                compare.disabled = selected.size < 2 || selected.size > 4;
              } }),
              link('/ui/runs/' + encodeURIComponent(r.runId), r.runId),
              link('/ui/pipelines/' + encodeURIComponent(r.pipeline), r.pipeline),
              r.model ? link('/ui/models/' + encodeURIComponent(r.model), r.model) : '—',
              badge(r.status), r.phase || '—', r.trigger, when(r.createdAt), duration(runDuration(r)),
              r.metric && r.metrics && r.metrics[r.metric] !== undefined ? r.metric + ' ' + fmt(r.metrics[r.metric]) : '—',
            ],
          })), { id: 'runs' }));
      }
      self.updates++;
      if (runs.some(r => r.status === 'RUNNING')) timer = setTimeout(load, 10000);
    }
    await load();
  }

  // ---------- run ----------

  function numeric(values) {
    return values.length > 0 && values.every(v => typeof v === 'number' && isFinite(v));
  }

  /** The parameters that vary across the trials (the searched ones), each numeric or categorical. */
  function searchedParams(trials) {
    const keys = new Map();
    for (const t of trials) for (const [k, v] of Object.entries(t.params || {})) {
      if (!keys.has(k)) keys.set(k, []);
      keys.get(k).push(v);
    }
    const out = [];
    for (const [k, values] of keys) {
      const distinct = new Set(values.map(v => JSON.stringify(v)));
      if (distinct.size < 2) continue;
      const isNum = numeric(values);
      const positive = isNum && values.every(v => v > 0);
      const log = positive && Math.max(...values) / Math.min(...values) >= 50;
      out.push({ name: k, numeric: isNum, log, categories: isNum ? null : [...distinct].map(s => JSON.parse(s)).map(String) });
    }
    return out;
  }

  function paramValue(t, p) {
    const v = (t.params || {})[p.name];
    if (v === undefined) return null;
    return p.numeric ? v : String(v);
  }

  /** Inverse-distance weighting on the normalized plane: the surface the contour shows between trials. */
  function surface(points, px, py, n) {
    const tx = v => (px.log ? Math.log10(v) : v);
    const ty = v => (py.log ? Math.log10(v) : v);
    const xs = points.map(p => tx(p[0])), ys = points.map(p => ty(p[1]));
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x1 - x0) || 1, sy = (y1 - y0) || 1;
    const gridX = [], gridY = [], cells = [];
    for (let i = 0; i < n; i++) gridX.push(x0 + (sx * i) / (n - 1));
    for (let j = 0; j < n; j++) gridY.push(y0 + (sy * j) / (n - 1));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let num = 0, den = 0, exact = null;
      for (let k = 0; k < points.length; k++) {
        const d2 = ((gridX[i] - xs[k]) / sx) ** 2 + ((gridY[j] - ys[k]) / sy) ** 2;
        if (d2 < 1e-12) { exact = points[k][2]; break; }
        const w = 1 / d2;
        num += w * points[k][2];
        den += w;
      }
      cells.push([i, j, exact !== null ? exact : num / den]);
    }
    const label = (v, log) => fmt(log ? 10 ** v : v, 3);
    const index = (v, lo, span) => ((v - lo) / span) * (n - 1);
    return {
      xLabels: gridX.map(v => label(v, px.log)), yLabels: gridY.map(v => label(v, py.log)), cells,
      trialPoints: points.map((p, k) => [index(xs[k], x0, sx), index(ys[k], y0, sy), p[2], p[3]]),
    };
  }

  /** A curve from the API with every list present (the API leaves empty lists out of its answers). */
  function curveOf(c) {
    const out = Object.assign({ status: null, done: false, bestEpoch: 0 }, c || {});
    for (const k of ['epochs', 'trainLoss', 'validationLoss', 'validationMetric']) out[k] = Array.isArray(out[k]) ? out[k] : [];
    return out;
  }

  const CURVE_FIELDS = {
    validationMetric: metric => 'validation ' + metric,
    validationLoss: () => 'validation loss',
    trainLoss: () => 'training loss',
  };

  /**
   * Which value the learning-curve chart plots, with a selector in its card. By default the run's metric when every
   * curve has it at most epochs (XGBoost computes it only at pruning steps), else the validation loss every trainer logs.
   */
  function curveSelector(card, curves, metric, redraw) {
    let select = card.querySelector('select.curve-field');
    if (!select) {
      const dense = c => (c.validationMetric || []).filter(v => v !== null && v !== undefined).length >= Math.min(c.epochs.length, 2)
        && (c.validationMetric || []).filter(v => v !== null && v !== undefined).length * 2 >= c.epochs.length;
      const initial = curves.every(dense) ? 'validationMetric' : 'validationLoss';
      select = h('select', { class: 'curve-field', 'aria-label': 'value plotted' },
        Object.keys(CURVE_FIELDS).map(f => h('option', { value: f, selected: f === initial }, CURVE_FIELDS[f](metric))));
      select.addEventListener('change', redraw);
      card.insertBefore(h('div', { class: 'filters' }, select), card.children[2] || null);
    }
    return select.value;
  }

  async function runPage(main) {
    const runId = CONFIG.params.runId;
    const run0 = await api('/api/v1/runs/' + encodeURIComponent(runId)).catch(e => { showError(main, e); return null; });
    if (!run0) return;
    const state = { run: run0, curves: {}, events: [], alerts: [], sort: { col: 0, desc: false } };
    self.state = state;

    const header = h('div', {});
    const actions = h('div', { class: 'actions' });
    const failure = h('div', {});
    const overview = h('div', { class: 'cols' });
    const phases = section('Phases');
    const gates = h('div', {});
    const trialsCard = section('Trials');
    const plots = h('div', { id: 'plots', class: 'plots' });
    const alertsCard = h('div', {});
    main.replaceChildren(header, actions, failure, overview, phases, gates, alertsCard, trialsCard, plots);

    async function refresh(withCurves) {
      try {
        state.run = await api('/api/v1/runs/' + encodeURIComponent(runId));
        if (withCurves) {
          // Merged, not replaced: the stream may already have brought epochs this answer has not seen.
          const fresh = (await api('/api/v1/runs/' + encodeURIComponent(runId) + '/curves')).curves || {};
          for (const [id, raw] of Object.entries(fresh)) {
            const c = curveOf(raw);
            const had = state.curves[id];
            if (!had || had.epochs.length <= c.epochs.length) state.curves[id] = c;
            else had.status = c.status;
          }
        }
      } catch (e) {
        if (e.status !== 401) console.warn('refresh failed', e);
        return;
      }
      draw();
    }

    let pending = null;
    function refreshSoon(withCurves) {
      if (pending) { pending.curves = pending.curves || withCurves; return; }
      pending = { curves: withCurves };
      setTimeout(() => { const p = pending; pending = null; refresh(p.curves); }, 400);
    }

    function draw() {
      const run = state.run;
      drawHeader(run);
      drawActions(run);
      drawFailure(run);
      drawOverview(run);
      drawPhases(run);
      drawGates(run);
      drawAlerts();
      drawTrials(run);
      drawPlots(run);
      self.updates++;
    }

    function drawHeader(run) {
      const temporal = CONFIG.temporal && run.workflowId
        ? h('a', { href: CONFIG.temporal.url + '/namespaces/' + encodeURIComponent(CONFIG.temporal.namespace) + '/workflows/'
          + encodeURIComponent(run.workflowId), target: '_blank', rel: 'noopener', id: 'temporal-link' }, 'Open in the Temporal web UI ↗')
        : null;
      header.replaceChildren(h('h1', {}, 'Run ', h('code', {}, run.runId), ' ', badge(run.status)),
        h('p', { class: 'sub' }, 'pipeline ', link('/ui/pipelines/' + encodeURIComponent(run.pipeline), run.pipeline),
          ' · model ', run.model ? link('/ui/models/' + encodeURIComponent(run.model), run.model) : '—',
          ' · phase ', h('strong', { id: 'phase' }, run.phase || '—'), temporal ? [' · ', temporal] : null));
    }

    function drawActions(run) {
      const buttons = [];
      if (run.status === 'RUNNING' && run.phase === 'AWAITING_APPROVAL' && can('approver')) {
        const approve = h('button', { type: 'button', class: 'primary' }, 'Approve');
        const reject = h('button', { type: 'button' }, 'Reject');
        approve.addEventListener('click', () => confirm('Approve this challenger and promote it?') && act(approve, 'Approve',
          async () => { await api('/api/v1/runs/' + encodeURIComponent(runId) + '/approve', { method: 'POST', body: { approved: true } }); refreshSoon(false); }));
        reject.addEventListener('click', () => confirm('Reject this challenger?') && act(reject, 'Reject',
          async () => { await api('/api/v1/runs/' + encodeURIComponent(runId) + '/approve', { method: 'POST', body: { approved: false } }); refreshSoon(false); }));
        buttons.push(approve, reject);
      }
      if (run.status === 'RUNNING' && can('trainer')) {
        const cancel = h('button', { type: 'button', class: 'danger' }, 'Cancel run');
        cancel.addEventListener('click', () => confirm('Cancel run ' + runId + '?') && act(cancel, 'Cancel',
          async () => { await api('/api/v1/runs/' + encodeURIComponent(runId) + '/cancel', { method: 'POST' }); refreshSoon(false); }));
        buttons.push(cancel);
      }
      actions.replaceChildren(...buttons);
    }

    function drawFailure(run) {
      if (!run.failure) { failure.replaceChildren(); return; }
      failure.replaceChildren(h('div', { class: 'failure', role: 'alert' },
        h('strong', {}, run.failure.type), h('p', {}, run.failure.message),
        run.failure.action ? h('p', { class: 'advice' }, 'What to do: ', run.failure.action) : null));
    }

    function drawOverview(run) {
      const best = (run.trials || []).find(t => t.trialId === run.bestTrial);
      overview.replaceChildren(section('Run', facts([
        ['Trigger', run.trigger + (run.triggerReason ? ' — ' + run.triggerReason : '')], ['Started', when(run.createdAt)],
        ['Ended', run.endedAt ? when(run.endedAt) : null],
        ['Duration', duration(runDuration(run))], ['Dataset', shortSha(run.datasetSha256)],
        ['Rows', run.rows === undefined ? null : run.rows + (run.feedbackRows ? ' (' + run.feedbackRows + ' from feedback)' : '')],
        ['Vs champion', run.comparison ? h('span', { id: 'comparison' }, run.comparison.metric + ' ' + (run.comparison.improvement >= 0 ? '+' : '')
          + fmt(run.comparison.improvement) + ', ' + Math.round((1 - run.comparison.alpha) * 100) + '% CI [' + fmt(run.comparison.low) + ', '
          + fmt(run.comparison.high) + '], p = ' + fmt(run.comparison.pValue) + ' (' + run.comparison.test + ')'
          + (run.comparison.significant ? ': significantly better' : ': not significantly better')) : null],
        ['Metric', run.metric], ['Best trial', run.bestTrial ? run.bestTrial + (best && best.objective !== undefined ? ' (' + fmt(best.objective) + ')' : '') : null],
        ['Model version', run.modelVersion ? link('/ui/models/' + encodeURIComponent(run.model), 'v' + run.modelVersion) : null],
        ['Promoted', run.promoted === undefined ? null : (run.promoted ? 'yes' : 'no')],
        ['Search stopped', run.searchStop], ['Warm-started from', run.warmStartedFrom ? 'v' + run.warmStartedFrom : null],
      ])), run.reproduction ? reproduction(run) : '', run.optimization ? optimization(run.optimization, 'run-optimization') : '', run.warnings && run.warnings.length || run.reasons && run.reasons.length ? section('Notes',
        run.reasons && run.reasons.length ? h('ul', { class: 'reasons' }, run.reasons.map(r => h('li', {}, r))) : null,
        run.warnings && run.warnings.length ? h('ul', { class: 'warnings' }, run.warnings.map(w => h('li', {}, w))) : null) : '');
    }

    /** What the optimize step made of the model: served or not, what it did, sizes, metric and latency side by side. */
    function optimization(o, id) {
      const served = o.passed && o.artifacts;
      const ratio = o.optimizedBytes ? (o.originalBytes / o.optimizedBytes).toFixed(1) + '× smaller' : '';
      const rows = [['Model files', o.originalBytes + ' bytes', o.optimizedBytes + ' bytes' + (ratio ? ' (' + ratio + ')' : '')],
        [o.metric + ' (test rows)', fmt(o.originalMetric), o.optimizedMetric === undefined || o.optimizedMetric === null ? '–'
          : fmt(o.optimizedMetric) + ' (' + (o.metricDelta >= 0 ? '+' : '') + fmt(o.metricDelta) + ', at most ' + fmt(o.maxMetricDrop) + ' worse)']];
      if (o.latencyMs) {
        rows.push(['Predict 1 row', fmt(o.latencyMs.singleRow.original) + ' ms', fmt(o.latencyMs.singleRow.optimized) + ' ms'],
          ['Predict ' + o.latencyMs.batch.rows + ' rows', fmt(o.latencyMs.batch.original) + ' ms', fmt(o.latencyMs.batch.optimized) + ' ms']);
      }
      return section('Optimization', h('div', { id },
        h('p', {}, h('span', { class: served ? 'badge s-succeeded' : 'badge s-failed' }, served ? 'served' : 'not served'),
          ' ', served ? 'scoring uses the optimized model' : (o.reason || '')),
        (o.steps || []).length ? h('ul', {}, o.steps.map(s => h('li', {}, s))) : null,
        o.artifacts ? h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'As trained'), h('th', {}, 'Optimized'))),
          h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, c)))))) : null));
    }

    /** What a run that reproduced a version found: the verdict, then each field that differed (version → reproduction). */
    function reproduction(run) {
      const r = run.reproduction;
      const shown = v => v === undefined || v === null ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
      return section('Reproduction of ' + run.model + ' v' + r.ofVersion, h('div', { id: 'reproduction' },
        h('p', {}, h('span', { class: r.identical ? 'badge s-succeeded' : 'badge s-failed' }, r.identical
          ? 'identical' : 'not identical'), r.identical ? ' the same model files and the same test metrics, bit for bit' : ''),
        facts([['Model sha256', r.modelSha256 ? shortSha(r.modelSha256) : null], ['Note', r.note],
          ['Version', link('/ui/models/' + encodeURIComponent(run.model), 'v' + r.ofVersion)]]),
        r.differences && r.differences.length ? h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Differs'), h('th', {}, 'Version'), h('th', {}, 'Reproduction'))),
          h('tbody', {}, r.differences.map(d => h('tr', {}, h('td', {}, d.field), h('td', {}, shown(d.version)),
            h('td', {}, shown(d.reproduced)))))) : null));
    }

    function phaseSpans(run) {
      const ev = state.events.filter(e => e.type === 'phase' || e.type === 'run.finished');
      const spans = [];
      for (let i = 0; i < ev.length; i++) {
        if (ev[i].type !== 'phase') continue;
        const end = i + 1 < ev.length ? ev[i + 1].at : (run.status === 'RUNNING' ? Date.now() : ev[i].at);
        spans.push({ name: ev[i].phase, start: ev[i].at, end: Math.max(end, ev[i].at + 1) });
      }
      return spans;
    }

    function gantt(name, parent, rows, bars, colorOf, height) {
      return chart(name, parent, {
        tooltip: { formatter: p => esc(p.data.value[4], ': ', duration(p.data.value[2] - p.data.value[1])) },
        grid: { left: 110, right: 20, top: 10, bottom: 30 },
        xAxis: { type: 'time' },
        yAxis: { type: 'category', data: rows, inverse: true },
        series: [{
          type: 'custom', name,
          renderItem: (params, apiX) => {
            const y = apiX.value(0), start = apiX.coord([apiX.value(1), y]), end = apiX.coord([apiX.value(2), y]);
            const hgt = apiX.size([0, 1])[1] * 0.6;
            const width = Math.max(end[0] - start[0], 2);
            const rect = { type: 'rect', shape: { x: start[0], y: start[1] - hgt / 2, width, height: hgt },
              style: apiX.style({ fill: colorOf(apiX.value(3)) }) };
            const label = String(bars[params.dataIndex].label);
            // The bar's name inside it when it fits; the tooltip has it always.
            return label.length * 7 < width - 6 ? { type: 'group', children: [rect, { type: 'text', style: { text: label, x: start[0] + 4,
              y: start[1], fill: '#fff', font: '11px sans-serif', verticalAlign: 'middle' } }] } : rect;
          },
          encode: { x: [1, 2], y: 0 },
          data: bars.map(b => ({ value: [b.row, b.start, b.end, b.kind, b.label] })),
        }],
      }, height);
    }

    const PHASE_COLORS = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554', '#61a0a8'];

    function drawPhases(run) {
      const spans = phaseSpans(run);
      if (!spans.length) { phases.replaceChildren(h('h2', {}, 'Phases'), h('p', { class: 'muted' }, 'No phase has been recorded yet.')); return; }
      if (!phases.querySelector('[data-chart="phases"]')) phases.replaceChildren(h('h2', {}, 'Phases'));
      const names = [...new Set(spans.map(s => s.name))];
      gantt('phases', phases, ['run'], spans.map(s => ({ row: 0, start: s.start, end: s.end, kind: names.indexOf(s.name), label: s.name })),
        k => PHASE_COLORS[k % PHASE_COLORS.length], 110);
    }

    function drawGates(run) {
      const rows = [];
      if (run.metrics) {
        const names = Object.keys(run.metrics).sort();
        for (const m of names) {
          const c = run.championMetrics ? run.championMetrics[m] : undefined;
          const d = c === undefined ? null : run.metrics[m] - c;
          const better = d === null ? null : (lowerIsBetter(m) ? d < 0 : d > 0);
          rows.push({ cells: [m + (m === run.metric ? ' (primary)' : ''), fmt(run.metrics[m]), fmt(c),
            { content: d === null ? '—' : (d > 0 ? '+' : '') + fmt(d), attrs: { class: better === null ? '' : better ? 'good' : 'bad' } }] });
        }
      }
      gates.replaceChildren(
        run.metrics ? section('Challenger vs champion' + (run.championVersion ? ' (v' + run.championVersion + ')' : ''),
          table(['Test-set metric', 'Challenger', 'Champion', 'Δ'], rows, { id: 'metrics' })) : '',
        run.gates && run.gates.length ? section('Gates', table(['Gate', 'Verdict', 'Detail'], run.gates.map(g => ({
          cells: [g.gate, { content: g.passed ? 'passed' : 'failed', attrs: { class: g.passed ? 'good' : 'bad' } }, g.detail],
        })), { id: 'gates' })) : '');
    }

    function drawAlerts() {
      alertsCard.replaceChildren(state.alerts.length ? section('Alerts', h('ul', { class: 'warnings', id: 'alerts' },
        state.alerts.map(a => h('li', {}, when(a.at), ' ', h('strong', {}, a.event || a.kind || 'alert'), a.trialId ? ' (' + a.trialId + ')' : '', ': ', a.detail || '')))) : '');
    }

    function trialValue(t, col, params) {
      switch (col) {
        case 0: return t.trialId;
        case 1: return t.type;
        case 2: return t.status;
        case 3: return t.objective === undefined || t.objective === null ? null : t.objective;
        case 4: return t.epochs;
        case 5: return t.bestEpoch;
        case 6: return t.durationMs;
        default: {
          const v = (t.params || {})[params[col - 7].name];
          return v === undefined ? '' : v;
        }
      }
    }

    function drawTrials(run) {
      const trials = run.trials || [];
      if (!trials.length) { trialsCard.replaceChildren(h('h2', {}, 'Trials'), h('p', { class: 'muted' }, 'No trial has started yet.')); return; }
      const params = searchedParams(trials);
      const { col, desc } = state.sort;
      const sorted = [...trials].sort((a, b) => {
        const x = trialValue(a, col, params), y = trialValue(b, col, params);
        // Trials without a value (failed, a refit) come last whichever way the column sorts.
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return desc ? -c : c;
      });
      const heads = ['Trial', 'Family', 'State', run.metric || 'Objective', 'Epochs', 'Best epoch', 'Duration', ...params.map(p => p.name), 'Note'];
      trialsCard.replaceChildren(h('h2', {}, 'Trials (' + trials.length + ')'), h('div', { class: 'scroll' }, table(heads, sorted.map(t => ({
        attrs: { dataset: { trial: t.trialId }, class: t.trialId === run.bestTrial ? 'best' : null },
        cells: [t.trialId + (t.trialId === run.bestTrial ? ' ★' : ''), t.type, badge(t.status),
          fmt(t.objective), { content: t.live ? t.live.epoch : t.epochs, attrs: { class: 'epochs' } }, t.bestEpoch,
          t.status === 'RUNNING' ? '…' : duration(t.durationMs),
          ...params.map(p => fmt((t.params || {})[p.name])), t.failure || (t.trialId.endsWith('/refit') && t.status === 'COMPLETED'
            ? 'the winner trained on training + validation rows: the challenger' : '') || (t.live && t.live.value !== undefined ? 'now ' + fmt(t.live.value) + ', best ' + fmt(t.live.best) : '')],
      })), { sortable: true, sortCol: col, sortDesc: desc, id: 'trials', onSort: i => {
        state.sort = { col: i, desc: state.sort.col === i ? !state.sort.desc : i === 3 && !lowerIsBetter(run.metric) };
        drawTrials(state.run);
      } })));
    }

    // The plots in a fixed order, whichever has data first; the wide ones span both columns.
    const PLOTS = ['history', 'importance', 'parallel', 'curves', 'contour', 'timeline', 'slices'];
    const WIDE = new Set(['parallel', 'timeline', 'slices']);
    function plotCard(id, title, note) {
      let card = plots.querySelector('#plot-' + id);
      if (!card) {
        card = h('section', { class: 'card' + (WIDE.has(id) ? ' wide' : ''), id: 'plot-' + id }, h('h2', {}, title), h('p', { class: 'muted note' }));
        const next = PLOTS.slice(PLOTS.indexOf(id) + 1).map(n => plots.querySelector('#plot-' + n)).find(Boolean);
        plots.insertBefore(card, next || null);
      }
      card.querySelector('h2').textContent = title;
      card.querySelector('.note').textContent = note || '';
      return card;
    }

    function drawPlots(run) {
      const trials = run.trials || [];
      const scored = trials.filter(t => typeof t.objective === 'number');
      const metric = run.metric || 'objective';
      const lower = lowerIsBetter(metric);
      const params = searchedParams(trials);
      self.state.plotted = { trials: scored.map(t => t.trialId), params: params.map(p => p.name) };

      // Optimization history: every scored trial in the order it was suggested, and the best so far.
      if (scored.length) {
        let best = null;
        const order = trials.map(t => t.trialId);
        const points = scored.map(t => [order.indexOf(t.trialId) + 1, t.objective, t.trialId, t.status]);
        points.sort((a, b) => a[0] - b[0]);
        const bestLine = points.map(p => { best = best === null ? p[1] : (lower ? Math.min(best, p[1]) : Math.max(best, p[1])); return [p[0], best]; });
        chart('history', plotCard('history', 'Optimization history', 'Each trial\'s validation ' + metric + ' in the order it was suggested; the line is the best so far.'), {
          tooltip: { trigger: 'item', formatter: p => p.seriesName === 'trial' ? esc(p.data[2], ' (', p.data[3], '): ', fmt(p.data[1])) : esc('best so far: ', fmt(p.data[1])) },
          legend: { data: ['trial', 'best so far'] },
          xAxis: { type: 'value', name: 'trial', minInterval: 1 }, yAxis: { type: 'value', name: metric, scale: true },
          series: [
            { name: 'trial', type: 'scatter', symbolSize: 9, data: points, itemStyle: { color: p => p.data[3] === 'PRUNED' ? '#aaa' : '#5470c6' } },
            { name: 'best so far', type: 'line', step: 'end', showSymbol: false, data: bestLine, color: '#ee6666' },
          ],
        });
      }

      // Hyperparameter importance, from the optimizer's fitted length scales.
      const importance = Object.entries(run.importance || {}).sort((a, b) => a[1] - b[1]);
      if (importance.length) {
        chart('importance', plotCard('importance', 'Hyperparameter importance', 'How much each searched parameter moved the objective (the Gaussian process\'s length scales).'), {
          tooltip: {}, grid: { left: 140, right: 30 },
          xAxis: { type: 'value', max: 1 }, yAxis: { type: 'category', data: importance.map(e => e[0]) },
          series: [{ type: 'bar', data: importance.map(e => e[1]), label: { show: true, position: 'right', formatter: p => fmt(p.value, 2) } }],
        }, Math.max(160, 40 * importance.length + 60));
      }

      if (scored.length >= 2 && params.length) {
        // Parallel coordinates: one line per scored trial through its family, every searched parameter and the objective.
        const axes = [{ dim: 0, name: 'family', type: 'category', data: [...new Set(scored.map(t => t.type))] }];
        params.forEach((p, i) => axes.push(p.numeric
          ? { dim: i + 1, name: p.name, type: p.log ? 'log' : 'value', scale: true }
          : { dim: i + 1, name: p.name, type: 'category', data: p.categories }));
        axes.push({ dim: params.length + 1, name: metric, type: 'value', scale: true });
        const values = scored.map(t => t.objective);
        chart('parallel', plotCard('parallel', 'Parallel coordinates', 'One line per trial; a parameter a family does not have is left out of its line.'), {
          tooltip: {},
          parallelAxis: axes,
          parallel: { left: 60, right: 90, top: 40, bottom: 30 },
          visualMap: { min: Math.min(...values), max: Math.max(...values), dimension: params.length + 1, inRange: { color: lower ? ['#d73027', '#fee08b', '#1a9850'].reverse() : ['#d73027', '#fee08b', '#1a9850'] }, right: 0, top: 'center', calculable: true, precision: 4 },
          series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.7 },
            data: scored.map(t => ({ name: t.trialId, value: [t.type, ...params.map(p => { const v = paramValue(t, p); return v === null ? '-' : v; }), t.objective] })) }],
        });

        // Slice plot: the objective against each parameter on its own.
        const slicesCard = plotCard('slices', 'Slice plots', 'The objective against each searched parameter; each point is a trial that has the parameter.');
        let slices = slicesCard.querySelector('.slice-grid');
        const names = params.map(p => p.name).join('\n');
        if (slices && slices.dataset.params !== names) {
          // The searched parameters changed (a family's trials arrived): start the grid again.
          slices.querySelectorAll('[data-chart]').forEach(el => { const c = echarts.getInstanceByDom(el); if (c) c.dispose(); });
          slices.remove();
          slices = null;
        }
        if (!slices) {
          slices = h('div', { class: 'slice-grid', dataset: { params: names } });
          slicesCard.append(slices);
        }
        for (const p of params) {
          const pts = scored.filter(t => paramValue(t, p) !== null).map(t => [paramValue(t, p), t.objective, t.trialId]);
          chart('slice:' + p.name, slices, {
            title: { text: p.name, textStyle: { fontSize: 13 } }, tooltip: { formatter: q => esc(q.data[2], ': ', p.name, ' = ', fmt(q.data[0]), ', ', fmt(q.data[1])) },
            grid: { left: 60, right: 20, top: 40, bottom: 40 },
            xAxis: p.numeric ? { type: p.log ? 'log' : 'value', scale: true, name: p.name } : { type: 'category', data: p.categories, name: p.name },
            yAxis: { type: 'value', scale: true, name: metric },
            series: [{ type: 'scatter', symbolSize: 9, data: pts }],
          }, 260);
        }

        // Contour of the two most important numeric parameters: the surface between the trials, and the trials on it.
        const numericParams = params.filter(p => p.numeric);
        // Importance is keyed by candidate and parameter ("mlp.learningRate"): a parameter ranks by its largest.
        const rank = p => Math.max(-1, ...Object.entries(run.importance || {})
          .filter(([k]) => k === p.name || k.endsWith('.' + p.name)).map(([, v]) => v));
        const top = [...numericParams].sort((a, b) => rank(b) - rank(a)).slice(0, 2);
        if (top.length === 2) {
          const both = scored.filter(t => paramValue(t, top[0]) !== null && paramValue(t, top[1]) !== null);
          if (both.length >= 3) {
            const s = surface(both.map(t => [paramValue(t, top[0]), paramValue(t, top[1]), t.objective, t.trialId]), top[0], top[1], 24);
            const vals = s.cells.map(c => c[2]);
            chart('contour', plotCard('contour', 'Contour: ' + top[0].name + ' × ' + top[1].name,
              'The objective between trials, interpolated by inverse distance' + (top[0].log || top[1].log ? ' (log axes)' : '') + '; dots are trials.'), {
              tooltip: { formatter: q => q.seriesName === 'trials' ? esc(q.data[3], ': ', fmt(q.data[2])) : esc(fmt(q.data[2])) },
              grid: { left: 80, right: 90, top: 20, bottom: 50 },
              xAxis: { type: 'category', data: s.xLabels, name: top[0].name, nameLocation: 'middle', nameGap: 30, axisLabel: { interval: 3 } },
              yAxis: { type: 'category', data: s.yLabels, name: top[1].name, axisLabel: { interval: 3 } },
              visualMap: { min: Math.min(...vals), max: Math.max(...vals), calculable: true, right: 0, top: 'center', seriesIndex: 0, precision: 4,
                inRange: { color: lower ? ['#1a9850', '#fee08b', '#d73027'] : ['#d73027', '#fee08b', '#1a9850'] } },
              series: [
                { name: 'surface', type: 'heatmap', data: s.cells, progressive: 0 },
                { name: 'trials', type: 'scatter', data: s.trialPoints, symbolSize: 10, itemStyle: { color: '#222', borderColor: '#fff', borderWidth: 1 }, z: 10 },
              ],
            }, 380);
          }
        }
      }

      // Learning curves: every trial per epoch (or boosting round); pruned trials dashed.
      const curveIds = Object.keys(state.curves).filter(id => (state.curves[id].epochs || []).length);
      if (curveIds.length) {
        const statusOf = id => { const t = trials.find(x => x.trialId === id); return t ? t.status : state.curves[id].status; };
        const card = plotCard('curves', 'Learning curves', 'Per epoch or boosting round; dashed: pruned; live while trials train.');
        const field = curveSelector(card, curveIds.map(id => state.curves[id]), metric, () => drawPlots(state.run));
        chart('curves', card, {
          tooltip: { trigger: 'axis' }, legend: { type: 'scroll', top: 0 },
          grid: { left: 60, right: 30, top: 60, bottom: 40 },
          xAxis: { type: 'value', name: 'epoch', minInterval: 1 }, yAxis: { type: 'value', scale: true, name: CURVE_FIELDS[field](metric) },
          series: curveIds.map(id => {
            const c = state.curves[id];
            const pruned = statusOf(id) === 'PRUNED';
            const values = c[field] || [];
            return { name: id + (pruned ? ' (pruned)' : ''), type: 'line', showSymbol: false, connectNulls: true,
              lineStyle: { type: pruned ? 'dashed' : 'solid', width: id === run.bestTrial ? 3 : 1.5 },
              data: c.epochs.map((e, i) => [e, values[i] === undefined ? null : values[i]]),
              markPoint: pruned ? { symbol: 'pin', symbolSize: 30, data: [{ coord: [c.epochs[c.epochs.length - 1], values[c.epochs.length - 1]], value: '✂' }] } : undefined };
          }),
        });
      }

      // Trial timeline: when each trial ran; overlapping bars are trials that trained at once.
      const started = {}, ended = {};
      for (const e of state.events) {
        if (e.type === 'trial.started') started[e.trialId] = e.at;
        if ((e.type === 'trial.finished' || e.type === 'trial.pruned') && e.trialId) ended[e.trialId] = { at: e.at, status: e.status || (e.type === 'trial.pruned' ? 'PRUNED' : '') };
      }
      const timed = Object.keys(started);
      if (timed.length) {
        const kinds = ['COMPLETED', 'PRUNED', 'FAILED', 'RUNNING'];
        const colors = ['#3ba272', '#aaaaaa', '#ee6666', '#5470c6'];
        const now = Date.now();
        const bars = timed.map((id, i) => {
          const end = ended[id];
          const trial = trials.find(t => t.trialId === id) || {};
          const status = end ? trial.status || end.status : (run.status === 'RUNNING' ? 'RUNNING' : trial.status || 'FAILED');
          return { row: i, start: started[id], end: end ? end.at : (run.status === 'RUNNING' ? now : started[id]), kind: Math.max(0, kinds.indexOf(status)), label: id + ' ' + status };
        });
        // The most trials training at one moment: a sweep over starts and ends (an end before a start at the same time).
        let peak = 0, running = 0;
        bars.flatMap(b => [[b.start, 1], [b.end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
          .forEach(([, d]) => { running += d; peak = Math.max(peak, running); });
        gantt('timeline', plotCard('timeline', 'Trial timeline', null), timed, bars, k => colors[k], Math.max(140, 26 * timed.length + 60));
        const card = plotCard('timeline', 'Trial timeline', null);
        let note = card.querySelector('.peak');
        if (!note) { note = h('p', { class: 'muted peak' }); card.insertBefore(note, card.children[1]); }
        note.textContent = 'Up to ' + peak + ' trial' + (peak === 1 ? '' : 's') + ' trained at once (green: completed, grey: pruned, red: failed, blue: running).';
      }
    }

    // Live: the event stream from the start; progress extends the curves in place, the rest reloads the run.
    // Progress comes about once a second per training trial: the table and plots are redrawn at most every 500 ms.
    let redraw = null;
    function redrawSoon() {
      if (redraw) return;
      redraw = setTimeout(() => { redraw = null; drawTrials(state.run); drawPlots(state.run); self.updates++; }, 500);
    }

    // Events already applied (progress is merged by epoch), and the cursor to resume from after a lost connection.
    const seen = new Set();
    let cursor = null;
    function follow() {
      const source = new EventSource('/api/v1/runs/' + encodeURIComponent(runId) + '/events' + (cursor ? '?after=' + encodeURIComponent(cursor) : ''));
      const onEvent = msg => {
        let e;
        try { e = JSON.parse(msg.data); } catch (err) { return; }
        if (msg.lastEventId) cursor = msg.lastEventId;
        self.events.push(e.type);
        if (self.events.length > 1000) self.events.splice(0, self.events.length - 1000);
        if (e.trialId && /\/fold-\d+$/.test(e.trialId)) {
          // With k-fold a trial trains as one activity per fold: its first fold stands for it, like in /curves.
          if (!/\/fold-0$/.test(e.trialId)) return;
          e = Object.assign({}, e, { trialId: e.trialId.replace(/\/fold-0$/, '') });
        }
        if (e.type === 'trial.progress') {
          const c = state.curves[e.trialId] || (state.curves[e.trialId] = { status: 'RUNNING', epochs: [], trainLoss: [], validationLoss: [], validationMetric: [] });
          for (const p of e.points || []) {
            if (c.epochs.length && p.epoch <= c.epochs[c.epochs.length - 1]) continue;
            c.epochs.push(p.epoch); c.trainLoss.push(p.trainLoss); c.validationLoss.push(p.validationLoss); c.validationMetric.push(p.validationMetric);
          }
          const t = (state.run.trials || []).find(x => x.trialId === e.trialId);
          if (t) t.live = Object.assign({}, t.live || {}, { epoch: e.epoch, value: e.value, best: e.best, bestEpoch: e.bestEpoch });
          redrawSoon();
          return;
        }
        const key = e.type + ':' + e.seq + ':' + (e.alertId || '');
        if (seen.has(key)) return;
        seen.add(key);
        state.events.push(e);
        if (e.type === 'alert' || e.type === 'search.decision') {
          state.alerts.push(e.type === 'alert' ? e : Object.assign({}, e, { event: 'search' }));
          drawAlerts();
        } else if (e.type === 'run.finished') {
          source.close();
          refreshSoon(true);
        } else {
          refreshSoon(e.type !== 'phase');
        }
      };
      for (const type of ['phase', 'trial.started', 'trial.finished', 'trial.pruned', 'trial.progress', 'alert', 'search.decision', 'run.finished']) {
        source.addEventListener(type, onEvent);
      }
      // The browser reconnects by itself with Last-Event-ID; when it gives up (an error status, e.g. a session that
      // ended), a look at the run sends the page to the login page if that is why, and otherwise the stream resumes.
      source.onerror = () => {
        if (source.readyState !== EventSource.CLOSED) return;
        setTimeout(async () => {
          await refresh(false);
          if (state.run.status === 'RUNNING') follow();
        }, 5000);
      };
      self.source = source;
    }

    await refresh(true);
    follow();
  }

  // ---------- model ----------

  async function modelPage(main) {
    const name = CONFIG.params.model;
    let model;
    try {
      model = await api('/api/v1/models/' + encodeURIComponent(name));
    } catch (e) {
      showError(main, e);
      return;
    }
    model.versions = model.versions || [];   // the API leaves empty lists out
    self.state = { model };
    const champion = model.champion ? model.champion.version : null;
    const primary = model.champion ? model.champion.metric : (model.versions[0] && Object.keys(model.versions[0].metrics || {})[0]);
    const detail = h('div', { id: 'version-detail' });
    const versions = [...model.versions].sort((a, b) => b.version - a.version);
    const rows = versions.map(v => {
      const cells = [h('a', { href: '#v' + v.version, onclick: ev => { ev.preventDefault(); showVersion(v.version); } }, 'v' + v.version),
        v.version === champion ? h('span', { class: 'badge s-succeeded' }, 'champion') : '',
        link('/ui/runs/' + encodeURIComponent(v.runId), v.runId), v.type,
        fmt((v.metrics || {})[primary]), when(v.registeredAtMillis)];
      if (can('approver')) {
        const b = h('button', { type: 'button', disabled: v.version === champion }, 'Make champion');
        b.addEventListener('click', () => confirm('Make v' + v.version + ' the champion of ' + name + '?') && act(b, 'Promote', async () => {
          await api('/api/v1/models/' + encodeURIComponent(name) + '/promote', { method: 'POST', body: { version: v.version, reason: 'from the dashboard' } });
          location.reload();
        }));
        cells.push(b);
      }
      if (can('trainer')) {
        const b = h('button', { type: 'button', title: 'Train v' + v.version + ' again from its provenance and compare' }, 'Reproduce');
        b.addEventListener('click', () => act(b, 'Reproduce', async () => {
          const started = await api('/api/v1/models/' + encodeURIComponent(name) + '/versions/' + v.version + '/reproduce', { method: 'POST' });
          location.href = '/ui/runs/' + encodeURIComponent(started.runId);
        }));
        cells.push(b);
      }
      return { attrs: { dataset: { version: String(v.version) } }, cells };
    });
    const heads = ['Version', '', 'Run', 'Family', primary || 'metric', 'Registered'];
    if (can('approver')) heads.push('');
    if (can('trainer')) heads.push('');
    const chartsRow = h('div', { class: 'cols' });
    main.replaceChildren(
      h('h1', {}, 'Model ', h('code', {}, name), champion ? h('span', { class: 'sub' }, ' champion v' + champion) : ''),
      chartsRow,
      section('Versions', table(heads, rows, { id: 'versions' })),
      detail,
      section('Audit trail', model.audit && model.audit.length ? table(['When', 'Action', 'Version', 'Previous champion', 'By', 'Why'],
        [...model.audit].reverse().map(a => ({ cells: [when(a.atMillis), a.action, a.version ? 'v' + a.version : '—',
          a.previousChampion ? 'v' + a.previousChampion : '—', a.actor || '—', a.reason || ''] })), { id: 'audit' }) : h('p', { class: 'muted' }, 'Nothing yet.')));

    if (champion) {
      const monitorCard = section('Production (last 7 days)', h('p', { class: 'muted' }, 'Loading…'));
      monitorCard.id = 'monitoring';
      chartsRow.after(monitorCard);
      api('/api/v1/models/' + encodeURIComponent(name) + '/monitoring').then(m => {
        self.state.monitoring = m;
        const live = m.live || {};
        const drift = [...((m.predictions || {}).columns || []).map(c => ({ ...c, source: 'predictions' })),
          ...((m.feedback || {}).columns || []).map(c => ({ ...c, source: 'feedback' }))].sort((a, b) => b.psi - a.psi);
        monitorCard.replaceChildren(h('h2', {}, 'Production (last 7 days)'), facts([
          ['Live ' + (live.metric || 'metric'), live.value === undefined ? (live.labels ? null : 'no labels yet') : fmt(live.value)],
          ['Labels', live.labels], ['Recorded at registration', fmt(live.recorded)],
          ['Drop', live.drop === undefined ? null : fmt(live.drop)],
          ['Predictions', (m.predictions || {}).rows], ['Feedback rows', (m.feedback || {}).rows],
          ['Largest PSI', m.maxPsi === undefined ? null : fmt(m.maxPsi)],
        ], 'monitoring-facts'), drift.length ? h('div', { class: 'scroll' }, table(['Column', 'From', 'Type', 'PSI', 'KS / χ²', 'p-value', 'Drifted'],
          drift.slice(0, 40).map(c => ({ cells: [c.column, c.source, c.type, fmt(c.psi), fmt(c.ks !== undefined ? c.ks : c.chiSquare),
            fmt(c.ksPValue !== undefined ? c.ksPValue : c.chiSquarePValue), c.drifted ? h('span', { class: 'badge s-failed' }, 'drift') : ''] })),
          { id: 'drift' })) : h('p', { class: 'muted' }, 'No predictions or feedback in the window to compare with the training data.'),
          (m.notes || []).length ? h('ul', { class: 'warnings' }, m.notes.map(n => h('li', {}, n))) : '');
      }).catch(e => monitorCard.replaceChildren(h('h2', {}, 'Production'), h('p', { class: 'muted' }, e.message)));
    }

    const byVersion = [...model.versions].sort((a, b) => a.version - b.version);
    const metricNames = [...new Set(byVersion.flatMap(v => Object.keys(v.metrics || {})))].sort();
    const left = h('div', {}), right = h('div', {});
    chartsRow.append(section('Metrics by version', left), section('Champion history', right));
    chart('versions', left, {
      tooltip: { trigger: 'axis' }, legend: { type: 'scroll' }, grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: byVersion.map(v => 'v' + v.version) }, yAxis: { type: 'value', scale: true },
      series: metricNames.map(m => ({ name: m, type: 'line', data: byVersion.map(v => (v.metrics || {})[m] === undefined ? null : v.metrics[m]),
        lineStyle: { width: m === primary ? 3 : 1 } })),
    }, 280);
    // The champion over time: each promotion, rollback or recovery moves it.
    const moves = (model.audit || []).filter(a => ['PROMOTE', 'ROLLBACK', 'AUTO_ROLLBACK', 'RECOVERED'].includes(a.action) && a.version);
    chart('champion', right, {
      tooltip: { trigger: 'item', formatter: p => esc(when(p.data[0]), ': v', p.data[1], ' (', p.data[2], ')') },
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'time' }, yAxis: { type: 'value', minInterval: 1, name: 'version' },
      series: [{ type: 'line', step: 'end', symbolSize: 8, data: moves.map(a => [a.atMillis, a.version, a.action]) }],
    }, 280);

    async function showVersion(n) {
      detail.replaceChildren(h('p', { class: 'muted' }, 'Loading v' + n + '…'));
      try {
        const v = await api('/api/v1/models/' + encodeURIComponent(name) + '/versions/' + n);
        const l = v.lineage || {};
        let card = null;
        try {
          const r = await fetch('/api/v1/models/' + encodeURIComponent(name) + '/versions/' + n + '/card',
            { credentials: 'same-origin', headers: { Accept: 'text/html' } });
          if (r.ok && (r.headers.get('Content-Type') || '').startsWith('text/html')) card = await r.text();
        } catch (e) {
          card = null;
        }
        const cardEl = h('div', { class: 'markdown', id: 'model-card' });
        // The card is rendered by the API from Markdown with every HTML tag in it escaped.
        if (card) cardEl.innerHTML = card; else cardEl.append(h('p', { class: 'muted' }, 'No model card for this version.'));
        detail.replaceChildren(h('div', { class: 'cols' },
          section('Lineage of v' + n, facts([
            ['Run', link('/ui/runs/' + encodeURIComponent(l.runId || v.runId), l.runId || v.runId)], ['Trial', l.trialId],
            ['Pipeline', l.pipeline ? link('/ui/pipelines/' + encodeURIComponent(l.pipeline.split('/').pop()), l.pipeline) : null],
            ['Dataset', l.datasetUri], ['Dataset sha256', shortSha(l.datasetSha256)], ['Spec hash', shortSha(l.specHash)],
            ['Seed', l.seed], ['Split seed', l.splitSeed], ['Trained from', l.warmStartedFrom ? 'v' + l.warmStartedFrom : null],
            ['Feedback', l.feedbackRows ? l.feedbackRows + ' rows from ' + l.feedbackParts + ' part(s), received until ' + when(l.feedbackUntilMillis) : null],
            ['Parameters', h('code', {}, JSON.stringify(l.params || {}))],
            ['Served', v.optimization ? (v.optimization.passed && v.optimization.artifacts ? h('span', { id: 'served-optimized' },
              'optimized (' + (v.optimization.originalBytes / v.optimization.optimizedBytes).toFixed(1) + '× smaller, '
              + v.optimization.metric + ' ' + (v.optimization.metricDelta >= 0 ? '+' : '') + fmt(v.optimization.metricDelta) + ')')
              : 'as trained (' + v.optimization.reason + ')') : null],
            ...Object.entries(l.environment || {}).map(([k, val]) => [k, val]),
          ], 'lineage')),
          section('Model card', cardEl)));
        self.state.version = v;
        // What changed since the version before it (GET /diff), when there is one.
        const earlier = byVersion.filter(x => x.version < n).map(x => x.version).pop();
        if (earlier) {
          const changesEl = section('Changes from v' + earlier + ' to v' + n, h('p', { class: 'muted' }, 'Loading…'));
          changesEl.id = 'version-diff';
          detail.append(changesEl);
          api('/api/v1/models/' + encodeURIComponent(name) + '/diff?from=' + earlier + '&to=' + n).then(d => {
            self.state.diff = d;
            const rows = [];
            const value = x => x === null || x === undefined ? '—' : h('code', {}, typeof x === 'object' ? JSON.stringify(x) : String(x));
            if (!d.data.same) rows.push({ cells: ['data', 'dataset', value(d.data.from.sha256 && d.data.from.sha256.slice(0, 12) + ' (' + fmt(d.data.from.rows) + ' rows)'),
              value(d.data.to.sha256 && d.data.to.sha256.slice(0, 12) + ' (' + fmt(d.data.to.rows) + ' rows)')] });
            // The API leaves empty lists (and so sections without changes) out.
            const changed = part => (d[part] && d[part].changes) || [];
            changed('spec').forEach(c => rows.push({ cells: ['spec', c.field, value(c.from), value(c.to)] }));
            changed('params').forEach(c => rows.push({ cells: ['parameters', c.field, value(c.from), value(c.to)] }));
            if (!d.same.seeds) rows.push({ cells: ['seeds', 'seed, split seed', value(d.seeds.from), value(d.seeds.to)] });
            changed('environment').forEach(c => rows.push({ cells: ['environment', c.field, value(c.from), value(c.to)] }));
            if (!d.code.same) rows.push({ cells: ['code', 'version', value(d.code.from), value(d.code.to)] });
            const metrics = table(['Metric', 'v' + earlier, 'v' + n, 'Δ', ''], (d.metrics || []).map(m => ({ cells: [
              m.metric + (m.primary ? ' (primary)' : ''), fmt(m.from), fmt(m.to), m.delta === null || m.delta === undefined ? '—' : (m.delta > 0 ? '+' : '') + fmt(m.delta),
              m.better === 'to' ? h('span', { class: 'badge s-succeeded' }, 'better') : m.better === 'from' ? h('span', { class: 'badge s-failed' }, 'worse') : ''] })),
              { id: 'diff-metrics' });
            changesEl.replaceChildren(h('h2', {}, 'Changes from v' + earlier + ' to v' + n),
              rows.length ? table(['What', 'Field', 'v' + earlier, 'v' + n], rows, { id: 'diff-fields' })
                : h('p', { class: 'muted' }, 'Same data, spec, parameters, seeds, environment and code' + (d.spec.note ? ' (' + d.spec.note + ')' : '') + '.'),
              metrics);
          }).catch(e => changesEl.replaceChildren(h('h2', {}, 'Changes from v' + earlier), h('p', { class: 'muted' }, e.message)));
        }
      } catch (e) {
        showError(detail, e);
      }
    }
    const wanted = Number((location.hash || '').replace('#v', '')) || champion || (versions[0] && versions[0].version);
    if (wanted) await showVersion(wanted);
    self.updates++;
  }

  // ---------- compare ----------

  async function comparePage(main) {
    const ids = [...new Set(String(CONFIG.params.ids || '').split(',').map(s => s.trim()).filter(Boolean))];
    if (ids.length < 2 || ids.length > 4) {
      main.replaceChildren(h('h1', {}, 'Compare runs'), h('p', { class: 'muted' }, 'Pick 2 to 4 runs on the ', link('/ui/', 'runs page'),
        ' and press "Compare selected", or open /ui/compare?ids=RUN1,RUN2.'));
      return;
    }
    let cmp, details, curves;
    try {
      cmp = (await api('/api/v1/runs/compare?ids=' + encodeURIComponent(ids.join(',')))).runs;
      details = await Promise.all(ids.map(id => api('/api/v1/runs/' + encodeURIComponent(id))));
      curves = await Promise.all(ids.map(id => api('/api/v1/runs/' + encodeURIComponent(id) + '/curves')));
    } catch (e) {
      main.replaceChildren(h('h1', {}, 'Compare runs'));
      main.append(h('div', {}));
      showError(main.lastChild, e);
      return;
    }
    self.state = { compare: cmp, details };
    const base = cmp[0];
    const metricNames = [...new Set(cmp.flatMap(c => Object.keys(c.metrics || {})))].sort();
    const metricRows = metricNames.map(m => ({ cells: [m, ...cmp.map((c, i) => {
      const v = (c.metrics || {})[m];
      if (i === 0 || v === undefined || (base.metrics || {})[m] === undefined) return fmt(v);
      const d = v - base.metrics[m];
      const better = lowerIsBetter(m) ? d < 0 : d > 0;
      return { content: fmt(v) + ' (' + (d >= 0 ? '+' : '') + fmt(d) + ')', attrs: { class: d === 0 ? '' : better ? 'good' : 'bad' } };
    })] }));
    const paramNames = [...new Set(cmp.flatMap(c => Object.keys(c.bestParams || {})))].sort();
    const paramRows = paramNames.map(p => {
      const vals = cmp.map(c => (c.bestParams || {})[p]);
      const differs = new Set(vals.map(v => JSON.stringify(v === undefined ? null : v))).size > 1;
      return { attrs: { class: differs ? 'differs' : null }, cells: [p, ...vals.map(v => fmt(v))] };
    });
    const heads = ['', ...cmp.map(c => link('/ui/runs/' + encodeURIComponent(c.runId), c.runId))];
    const curveCard = section('Learning curves of each run\'s best trial');
    main.replaceChildren(h('h1', {}, 'Compare ' + cmp.length + ' runs'),
      section('Runs', table(heads, [
        { cells: ['status', ...cmp.map(c => badge(c.status))] },
        { cells: ['pipeline', ...details.map(d => d.pipeline)] },
        { cells: ['started', ...cmp.map(c => when(c.createdAt))] },
        { cells: ['trials', ...cmp.map(c => c.trials)] },
        { cells: ['best trial', ...cmp.map(c => c.bestTrial || '—')] },
        { cells: ['model version', ...cmp.map(c => c.modelVersion ? 'v' + c.modelVersion : '—')] },
        { cells: ['dataset', ...cmp.map(c => shortSha(c.datasetSha256))] },
      ], { id: 'compare-runs' })),
      section('Test-set metrics (Δ against the first run)', table(['metric', ...cmp.map(c => c.runId)], metricRows, { id: 'compare-metrics' })),
      section('Best parameters (rows that differ are marked)', paramRows.length ? table(['parameter', ...cmp.map(c => c.runId)], paramRows, { id: 'compare-params' })
        : h('p', { class: 'muted' }, 'No parameters recorded.')),
      curveCard);
    const bestCurves = cmp.map((c, i) => curveOf((curves[i].curves || {})[c.bestTrial]));
    const drawCurves = () => {
      const field = curveSelector(curveCard, bestCurves.filter(c => c.epochs.length), details[0].metric || 'metric', drawCurves);
      chart('compare-curves', curveCard, {
        tooltip: { trigger: 'axis' }, legend: { type: 'scroll' }, grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'value', name: 'epoch', minInterval: 1 }, yAxis: { type: 'value', scale: true, name: CURVE_FIELDS[field](details[0].metric || 'metric') },
        series: cmp.map((c, i) => ({ name: c.runId + (c.bestTrial ? ' · ' + c.bestTrial : ''), type: 'line', showSymbol: false, connectNulls: true,
          data: bestCurves[i].epochs.map((e, k) => [e, (bestCurves[i][field] || [])[k]]) })),
      });
    };
    drawCurves();
    if (metricNames.length) {
      const mc = section('Metrics side by side');
      main.append(mc);
      chart('compare-metrics', mc, {
        tooltip: {}, legend: {}, grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: metricNames }, yAxis: { type: 'value', scale: true },
        series: cmp.map(c => ({ name: c.runId, type: 'bar', data: metricNames.map(m => (c.metrics || {})[m] === undefined ? null : c.metrics[m]) })),
      });
    }
    self.updates++;
  }

  // ---------- pipeline ----------

  async function pipelinePage(main) {
    const name = CONFIG.params.pipeline;
    const enc = encodeURIComponent(name);
    const [trials, best, schedule, runs, triggers, feedback] = await Promise.all([
      api('/api/v1/pipelines/' + enc + '/trials?limit=5000').catch(e => ({ error: e })),
      api('/api/v1/pipelines/' + enc + '/best').catch(e => ({ error: e })),
      api('/api/v1/pipelines/' + enc + '/schedule').catch(e => ({ error: e })),
      api('/api/v1/runs?limit=50&pipeline=' + enc).catch(e => ({ error: e })),
      api('/api/v1/pipelines/' + enc + '/triggers').catch(e => ({ error: e })),
      api('/api/v1/pipelines/' + enc + '/feedback?limit=20').catch(e => ({ error: e })),
    ]);
    self.state = { trials, best, schedule, runs, triggers, feedback };
    const monitor = triggers.monitor || {};
    const triggersCard = triggers.error
      ? section('Triggers', h('p', { class: 'muted' }, triggers.error.status === 404 ? 'No triggers. PUT /api/v1/pipelines/' + name + '/triggers sets them.' : triggers.error.message),
        feedback.error ? null : facts([['Feedback rows', feedback.totalRows], ['Feedback parts', feedback.totalParts]]))
      : section('Triggers', facts([['New labels', triggers.minNewLabels], ['Max drift (PSI)', triggers.maxDrift], ['Min live metric', triggers.minLiveMetric],
        ['Check every', triggers.checkEvery], ['Cooldown', triggers.cooldown],
        ['Auto-rollback', triggers.autoRollback ? JSON.stringify(triggers.autoRollback) : 'off'], ['Runs started', monitor.runsStarted],
        ['Last check', monitor.lastCheckAt ? when(monitor.lastCheckAt) : null],
        ['Feedback rows', feedback.error ? null : feedback.totalRows]], 'triggers'),
        (monitor.decisions || []).length ? [h('h3', {}, 'Decisions'), h('ul', { id: 'decisions' }, [...monitor.decisions].reverse().slice(0, 10).map(d => h('li', {}, d)))] : null);
    const scheduleCard = schedule.error
      ? section('Schedule', h('p', { class: 'muted' }, schedule.error.status === 404 ? 'No schedule. PUT /api/v1/pipelines/' + name + '/schedule makes one.'
        : schedule.error.status === 501 ? 'This stack has no Schedules (the in-memory dev stack); ./trainlayer dev has them.' : schedule.error.message))
      : section('Schedule', facts([['Every', schedule.cron || schedule.interval], ['Paused', schedule.paused ? 'yes' + (schedule.note ? ' — ' + schedule.note : '') : 'no'],
        ['Overlap', schedule.overlap], ['Runs started', schedule.runsStarted]]),
        h('h3', {}, 'Next runs'), h('ul', { id: 'next-runs' }, (schedule.nextRuns || []).map(t => h('li', {}, when(t)))),
        (schedule.recentRuns || []).length ? [h('h3', {}, 'Recent'), h('ul', {}, schedule.recentRuns.map(r => h('li', {}, when(r.startedAt), ' ', r.runId ? link('/ui/runs/' + encodeURIComponent(r.runId), r.runId) : '')))] : null);
    const bestCard = best.error ? section('Best configuration', h('p', { class: 'muted' }, best.error.message))
      : section('Best configuration', facts([['Metric', best.metric], ['Value', fmt(best.objective)], ['Family', best.type], ['Candidate', best.candidate],
        ['From', link('/ui/runs/' + encodeURIComponent(best.source.runId), best.source.runId + ' / ' + best.source.trialId)],
        ['Dataset', shortSha(best.source.datasetSha256)]]), h('pre', { id: 'best-params' }, JSON.stringify(best.params, null, 2)));
    const trialsCard = section('Trials across runs');
    main.replaceChildren(h('h1', {}, 'Pipeline ', h('code', {}, name)), h('div', { class: 'cols' }, bestCard, scheduleCard), triggersCard, trialsCard,
      section('Runs', runs.error ? h('p', { class: 'error' }, runs.error.message) : table(['Run', 'Status', 'Trigger', 'Started', 'Duration', 'Metric'],
        (runs.runs || []).map(r => ({ cells: [link('/ui/runs/' + encodeURIComponent(r.runId), r.runId), badge(r.status), r.trigger, when(r.createdAt),
          duration(runDuration(r)), r.metric && r.metrics ? fmt(r.metrics[r.metric]) : '—'] })), { id: 'pipeline-runs' })));
    const list = trials.error ? [] : trials.trials || [];
    if (!list.length) {
      trialsCard.append(h('p', { class: 'muted' }, 'No finished trials yet.'));
    } else {
      const runIds = [...new Set(list.map(t => t.runId))];
      chart('pipeline-trials', trialsCard, {
        tooltip: { formatter: p => esc(p.data[2], ' (', p.seriesName, '): ', fmt(p.data[1])) }, legend: { type: 'scroll' },
        grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'value', name: 'trial #', minInterval: 1 }, yAxis: { type: 'value', scale: true, name: list[0].metric || 'objective' },
        series: runIds.map(id => ({ name: id, type: 'scatter', symbolSize: 8,
          data: list.map((t, i) => [i + 1, t.objective, t.trialId, t.runId]).filter(p => p[3] === id && typeof p[1] === 'number') })),
      });
      trialsCard.append(h('div', { class: 'scroll' }, table(['Run', 'Trial', 'Family', 'State', 'Objective', 'Epochs', 'Parameters'],
        list.slice(0, 500).map(t => ({ cells: [link('/ui/runs/' + encodeURIComponent(t.runId), t.runId), t.trialId, t.type, badge(t.status), fmt(t.objective), t.epochs,
          h('code', {}, JSON.stringify(t.params || {}))] })), { id: 'pipeline-trials-table' })));
    }
    self.updates++;
  }

  // ---------- start ----------

  function start() {
    const who = document.getElementById('who');
    who.textContent = CONFIG.user.name + ' · ' + CONFIG.user.role + ' · project ' + CONFIG.user.project;
    const logout = document.getElementById('logout');
    if (CONFIG.csrf) {
      logout.hidden = false;
      logout.addEventListener('click', async () => {
        await api('/ui/logout', { method: 'POST' }).catch(() => null);
        location.href = '/ui/login';
      });
    }
    const main = document.getElementById('main');
    const pages = { runs: runsPage, run: runPage, model: modelPage, compare: comparePage, pipeline: pipelinePage };
    const page = pages[CONFIG.page];
    Promise.resolve(page ? page(main) : null).catch(e => showError(main, e)).finally(() => { self.ready = true; });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
