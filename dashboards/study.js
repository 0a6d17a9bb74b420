'use strict';
// The study page: charts (SVG drawn by the server), top expressions and the trials table; redrawn when the
// study's revision changes.
(() => {
  const { el } = Dash;
  const studyID = Number(location.pathname.split('/')[2]);
  const base = '/api/studies/' + studyID;
  const state = { detail: null, revision: null, sort: 'number', order: 'asc', offset: 0, limit: 50, filter: '', stateFilter: '' };
  const $ = id => document.getElementById(id);

  function chartOptions(kind) {
    const objective = $('objective').value || '0';
    const options = { objective, log: $('log-scale').checked ? '1' : '' };
    if (kind === 'contour') { options.x = $('contour-x').value; options.y = $('contour-y').value; }
    if (kind === 'importance') options.method = $('importance-method').value;
    if (kind === 'pareto' && state.detail.directions.length > 1) options.objective2 = $('objective2').value;
    return options;
  }

  function loadChart(container) {
    const kind = container.dataset.chart;
    return Dash.loadSVG(container, base + '/charts/' + kind + '.svg' + Dash.query(chartOptions(kind)));
  }

  function loadCharts() {
    return Promise.all([...document.querySelectorAll('.chart[data-chart]')].map(loadChart));
  }

  function fillSelect(select, entries, selected) {
    const previous = select.value;
    select.replaceChildren(...entries.map(([value, label]) => el('option', { value: String(value), text: label })));
    const wanted = previous !== '' && entries.some(([value]) => String(value) === previous) ? previous : selected;
    if (wanted !== undefined) select.value = String(wanted);
  }

  function setUpControls(detail) {
    const objectives = detail.objectiveNames.map((name, index) => [index, name + ' (' + detail.directions[index].toLowerCase() + ')']);
    fillSelect($('objective'), objectives, 0);
    $('objective').closest('label').hidden = detail.directions.length < 2;
    fillSelect($('objective2'), objectives, 1);
    $('pareto-controls').hidden = detail.directions.length < 2;
    const params = detail.parameters.map(p => [p.name, p.name]);
    // Numeric parameters first: a categorical axis interpolates poorly.
    const preferred = detail.parameters.filter(p => p.kind !== 'categorical').concat(detail.parameters.filter(p => p.kind === 'categorical'));
    fillSelect($('contour-x'), params, preferred[0] && preferred[0].name);
    fillSelect($('contour-y'), params, preferred[1] && preferred[1].name);
    fillSelect($('importance-method'), detail.importanceMethods.map(m => [m, m]), 'ped-anova');
    for (const id of ['objective', 'log-scale']) $(id).onchange = () => { loadCharts(); loadTrials(); };
    for (const id of ['contour-x', 'contour-y']) $(id).onchange = () => loadChart(document.querySelector('[data-chart=contour]'));
    $('importance-method').onchange = () => loadChart(document.querySelector('[data-chart=importance]'));
    $('objective2').onchange = () => loadChart(document.querySelector('[data-chart=pareto]'));
  }

  function renderSummary(detail) {
    $('study-name').textContent = detail.name;
    $('crumb-study').textContent = detail.name;
    document.title = detail.name + ' · symstudy dashboard';
    const best = detail.best;
    const items = [
      Dash.summaryItem('directions', detail.directions.map(d => d.toLowerCase()).join(', ')),
      Dash.summaryItem('trials', String(detail.trialCount)),
      Dash.summaryItem('by state', Dash.badges(detail.counts)),
    ];
    if (detail.directions.length === 1) {
      items.push(Dash.summaryItem('best value', best.length ? Dash.values(best[0].values) + ' (trial ' + best[0].number + ')' : '–'));
    } else {
      items.push(Dash.summaryItem('Pareto front', best.length + ' trials'));
    }
    items.push(Dash.summaryItem('parameters', String(detail.parameters.length)));
    items.push(Dash.summaryItem('last activity', Dash.when(detail.lastActivity)));
    $('summary').replaceChildren(...items);
  }

  function renderExpressions(detail) {
    const box = $('top-expressions');
    if (!detail.topExpressions.length) {
      box.replaceChildren(el('p', { class: 'empty', text: 'No complete trial stores an expression yet.' }));
      return;
    }
    box.replaceChildren(...detail.topExpressions.map((top, rank) => {
      const expression = top.expression;
      const card = el('div', { class: 'card expression-card' },
        el('h3', {}, '#' + (rank + 1) + ' ', el('a', { href: '/studies/' + studyID + '/trials/' + top.number, text: 'trial ' + top.number })),
        el('div', { class: 'meta', text: 'value ' + Dash.values(top.values) + ' · size ' + (top.size === null || top.size === undefined ? '–' : top.size) }),
        el('div', { class: 'expr', text: expression.text || '(no text)' }));
      if (expression.latex) card.append(Dash.copyable('LaTeX', expression.latex));
      const tree = el('div', { class: 'tree' });
      card.append(tree);
      if (expression.tree) Dash.loadSVG(tree, base + '/trials/' + top.number + '/charts/expression.svg');
      else if (expression.outputs && expression.outputs.length) Dash.loadSVG(tree, base + '/trials/' + top.number + '/charts/expression.svg?output=0');
      return card;
    }));
  }

  function columns(detail) {
    const list = [['number', '#'], ['state', 'state']];
    detail.objectiveNames.forEach((name, index) => list.push([index === 0 ? 'value' : 'value' + index, name]));
    list.push(['duration', 'duration'], ['size', 'size']);
    for (const p of detail.parameters) list.push(['param:' + p.name, p.name]);
    list.push(['', 'expression']);
    return list;
  }

  function renderHead(detail) {
    const head = $('trial-table').tHead;
    head.replaceChildren(el('tr', {}, ...columns(detail).map(([key, label]) => {
      const th = el('th', { text: label, 'data-sort': key });
      if (key) {
        th.classList.add('sortable');
        if (key === state.sort) th.classList.add(state.order === 'asc' ? 'sorted-asc' : 'sorted-desc');
        th.addEventListener('click', () => {
          if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
          else { state.sort = key; state.order = 'asc'; }
          state.offset = 0;
          renderHead(detail);
          loadTrials();
        });
      }
      return th;
    })));
  }

  async function loadTrials() {
    const detail = state.detail;
    const page = await Dash.getJSON(base + '/trials' + Dash.query({
      sort: state.sort, order: state.order, offset: state.offset, limit: state.limit, q: state.filter, state: state.stateFilter }));
    const body = $('trial-table').tBodies[0];
    body.replaceChildren(...page.rows.map(row => {
      const cells = [
        el('td', {}, el('a', { href: '/studies/' + studyID + '/trials/' + row.number, text: String(row.number) })),
        el('td', {}, Dash.badge(row.state)),
      ];
      detail.objectiveNames.forEach((_, index) => cells.push(el('td', { class: 'num', text: row.values ? Dash.number(row.values[index]) : '–' })));
      cells.push(el('td', { class: 'num', text: Dash.duration(row.duration) }));
      cells.push(el('td', { class: 'num', text: row.size === null || row.size === undefined ? '–' : String(row.size) }));
      for (const p of detail.parameters) cells.push(el('td', { class: 'num', text: p.name in row.params ? row.params[p.name] : '–' }));
      cells.push(el('td', { class: 'expr', text: row.expression || '' }));
      return el('tr', { 'data-number': String(row.number) }, ...cells);
    }));
    const last = Math.min(page.offset + page.rows.length, page.matched);
    $('trial-count').textContent = page.matched + ' of ' + page.total + ' trials';
    $('page-info').textContent = page.matched ? (page.offset + 1) + '–' + last + ' of ' + page.matched : 'no trial matches';
    $('page-prev').disabled = page.offset === 0;
    $('page-next').disabled = last >= page.matched;
  }

  function setUpTable() {
    let timer = null;
    $('trial-filter').addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.filter = $('trial-filter').value.trim(); state.offset = 0; loadTrials(); }, 250);
    });
    $('trial-state').addEventListener('change', () => { state.stateFilter = $('trial-state').value; state.offset = 0; loadTrials(); });
    $('page-prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - state.limit); loadTrials(); });
    $('page-next').addEventListener('click', () => { state.offset += state.limit; loadTrials(); });
  }

  async function refresh(first) {
    const detail = await Dash.getJSON(base);
    if (!first && detail.revision === state.revision) return;
    const parametersChanged = !state.detail || JSON.stringify(state.detail.parameters) !== JSON.stringify(detail.parameters);
    state.detail = detail;
    state.revision = detail.revision;
    renderSummary(detail);
    if (first || parametersChanged) { setUpControls(detail); renderHead(detail); }
    Dash.status('');
    await Promise.all([loadCharts(), loadTrials(), Promise.resolve(renderExpressions(detail))]);
    Dash.markRedrawn(detail.revision);
  }

  setUpTable();
  refresh(true).catch(error => Dash.status('Could not load the study: ' + error.message, true));
  Dash.poll(() => refresh(false), 2000);
})();
