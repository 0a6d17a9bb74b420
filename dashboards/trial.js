'use strict';
// The trial page: parameters, values, intermediate curve, expression (text, LaTeX, tree, exports) and user
// attributes; refreshed while the trial runs.
(() => {
  const { el } = Dash;
  const parts = location.pathname.split('/');
  const studyID = Number(parts[2]), number = Number(parts[4]);
  const base = '/api/studies/' + studyID + '/trials/' + number;
  const $ = id => document.getElementById(id);
  let revision = null, finished = false;

  function renderSummary(trial) {
    $('trial-title').textContent = 'Trial ' + trial.number + ' of ' + trial.studyName;
    $('crumb-study').textContent = trial.studyName;
    $('crumb-study').href = '/studies/' + trial.studyID;
    $('crumb-trial').textContent = 'trial ' + trial.number;
    document.title = 'trial ' + trial.number + ' · ' + trial.studyName + ' · symstudy dashboard';
    const items = [Dash.summaryItem('state', Dash.badge(trial.state))];
    trial.objectiveNames.forEach((name, index) => items.push(Dash.summaryItem(name + ' (' + trial.directions[index].toLowerCase() + ')',
      trial.values ? Dash.number(trial.values[index]) : '–')));
    items.push(Dash.summaryItem('duration', Dash.duration(trial.duration)));
    items.push(Dash.summaryItem('started', Dash.when(trial.datetimeStart)));
    items.push(Dash.summaryItem('completed', Dash.when(trial.datetimeComplete)));
    if (trial.expression && trial.expression.size !== null && trial.expression.size !== undefined) items.push(Dash.summaryItem('size', String(trial.expression.size)));
    $('summary').replaceChildren(...items);
  }

  function distributionText(info) {
    if (!info) return '–';
    if (info.kind === 'categorical') return 'categorical: ' + info.choices.join(', ');
    return info.kind + ' [' + Dash.number(info.low) + ', ' + Dash.number(info.high) + ']' + (info.log ? ' log' : '');
  }

  function renderParams(trial) {
    const body = $('params').tBodies[0];
    if (!trial.params.length) { body.replaceChildren(el('tr', {}, el('td', { colspan: '3', class: 'empty', text: 'No parameters.' }))); return; }
    body.replaceChildren(...trial.params.map(p => el('tr', {},
      el('td', { text: p.name }), el('td', { class: 'num', text: typeof p.value === 'string' ? p.value : JSON.stringify(p.value) }),
      el('td', { class: 'muted', text: distributionText(p.distribution) }))));
  }

  function renderExpressionPart(expression, treePath, json) {
    const box = el('div', { class: 'expression-part' });
    if (expression.name) box.append(el('h3', { text: expression.name }));
    if (expression.size !== null && expression.size !== undefined) box.append(el('div', { class: 'muted', text: 'size ' + expression.size + (expression.size === 1 ? ' node' : ' nodes') }));
    if (expression.text) box.append(Dash.copyable('text', expression.text));
    if (expression.latex) box.append(Dash.copyable('LaTeX', expression.latex));
    if (json) box.append(Dash.copyable('JSON', json));
    if (expression.tree) {
      const tree = el('div', { class: 'chart tree' });
      box.append(tree);
      Dash.loadSVG(tree, treePath);
    }
    return box;
  }

  function renderExpression(trial) {
    const box = $('expression');
    const expression = trial.expression;
    if (!expression) { box.replaceChildren(el('p', { class: 'empty', text: 'The trial stores no expression.' })); return; }
    const nodes = [renderExpressionPart(expression, base + '/charts/expression.svg', trial.exports && trial.exports.json)];
    (expression.outputs || []).forEach((output, index) => {
      const part = renderExpressionPart(output, base + '/charts/expression.svg?output=' + index, null);
      part.classList.add('output');
      nodes.push(part);
    });
    if (trial.exports && trial.exports.commands.length) {
      nodes.push(el('h3', { text: 'Export (add --storage URL)' }));
      for (const command of trial.exports.commands) nodes.push(Dash.copyable('', command));
    }
    box.replaceChildren(...nodes);
  }

  function renderAttributes(trial) {
    const body = $('attributes').tBodies[0];
    const keys = Object.keys(trial.userAttributes).sort();
    if (!keys.length) { body.replaceChildren(el('tr', {}, el('td', { colspan: '2', class: 'empty', text: 'No user attributes.' }))); return; }
    body.replaceChildren(...keys.map(key => {
      const value = trial.userAttributes[key];
      const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
      return el('tr', {}, el('td', { text: key }), el('td', { class: 'expr' }, el('pre', { class: 'copyable', text: text })));
    }));
  }

  async function refresh(first) {
    if (!first && finished) return;
    const trial = await Dash.getJSON(base);
    if (!first && trial.revision === revision) return;
    revision = trial.revision;
    finished = !['RUNNING', 'WAITING'].includes(trial.state);
    Dash.status('');
    renderSummary(trial);
    renderParams(trial);
    renderExpression(trial);
    renderAttributes(trial);
    $('intermediate-panel').hidden = !trial.intermediateValues.length;
    if (trial.intermediateValues.length) await Dash.loadSVG($('trial-intermediate'), base + '/charts/intermediate.svg');
    Dash.markRedrawn(trial.revision);
  }

  refresh(true).catch(error => Dash.status('Could not load the trial: ' + error.message, true));
  Dash.poll(() => refresh(false), 2000);
})();
