'use strict';
// The studies page: every study with its directions, trial counts, best value and expression, last activity.
(() => {
  const { el } = Dash;
  const body = document.querySelector('#studies tbody');

  function row(study) {
    const best = study.best;
    let bestValue = '–';
    if (best) bestValue = Dash.values(best.values) + ' (trial ' + best.number + ')';
    else if (study.paretoSize) bestValue = study.paretoSize + ' on the Pareto front';
    return el('tr', { 'data-study': String(study.id) },
      el('td', {}, el('a', { href: '/studies/' + study.id, class: 'study-link', text: study.name })),
      el('td', { text: study.directions.map(d => d.toLowerCase()).join(', ') }),
      el('td', { class: 'num', text: String(study.trialCount) }),
      el('td', {}, Dash.badges(study.counts)),
      el('td', { class: 'num', text: bestValue }),
      el('td', { class: 'expr', text: best && best.expression ? best.expression : '–' }),
      el('td', { text: Dash.when(study.lastActivity) }));
  }

  async function refresh() {
    const studies = await Dash.getJSON('/api/studies');
    body.replaceChildren(...studies.map(row));
    Dash.status(studies.length ? '' : 'The storage holds no study yet.');
    document.title = 'studies (' + studies.length + ') · symstudy dashboard';
    Dash.markRedrawn(String(studies.reduce((sum, study) => sum + study.trialCount, 0)));
  }

  refresh().catch(error => Dash.status('Could not load the studies: ' + error.message, true));
  Dash.poll(refresh, 3000);
})();
