'use strict';
// Shared helpers of the dashboard pages. Every user string reaches the page through textContent or a text
// node, never through innerHTML; charts come from the server as SVG whose text the server escaped.
const Dash = (() => {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function getJSON(path) {
    const response = await fetch(path, { cache: 'no-store' });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) throw new Error((body && body.error) || (response.status + ' ' + response.statusText));
    return body;
  }

  // Fetches an SVG chart and puts it into `container` as live SVG elements (so its links and tooltips work).
  async function loadSVG(container, path) {
    container.classList.add('loading');
    try {
      const response = await fetch(path, { cache: 'no-store' });
      const text = await response.text();
      if (!response.ok) {
        let message = response.status + ' ' + response.statusText;
        try { message = JSON.parse(text).error || message; } catch (e) { /* not JSON */ }
        container.replaceChildren(el('p', { class: 'error', text: message }));
        return;
      }
      const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = parsed.documentElement;
      if (!root || root.nodeName !== 'svg') {
        container.replaceChildren(el('p', { class: 'error', text: 'the chart could not be read' }));
        return;
      }
      container.replaceChildren(document.importNode(root, true));
    } catch (error) {
      container.replaceChildren(el('p', { class: 'error', text: String(error.message || error) }));
    } finally {
      container.classList.remove('loading');
    }
  }

  function number(value) {
    if (value === null || value === undefined) return '–';
    if (typeof value === 'string') return value;
    if (Number.isInteger(value)) return String(value);
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return Number(value.toPrecision(5)).toExponential();
    return String(Number(value.toPrecision(6)));
  }

  function values(list) {
    if (!list || list.length === 0) return '–';
    return list.map(number).join(', ');
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 1) return (seconds * 1000).toFixed(0) + ' ms';
    if (seconds < 120) return seconds.toFixed(1) + ' s';
    if (seconds < 7200) return (seconds / 60).toFixed(1) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  }

  function when(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    const seconds = (Date.now() - date.getTime()) / 1000;
    let ago;
    if (seconds < 60) ago = Math.max(0, Math.round(seconds)) + ' s ago';
    else if (seconds < 3600) ago = Math.round(seconds / 60) + ' min ago';
    else if (seconds < 86400) ago = Math.round(seconds / 3600) + ' h ago';
    else ago = Math.round(seconds / 86400) + ' d ago';
    return date.toISOString().replace('T', ' ').slice(0, 19) + ' (' + ago + ')';
  }

  const STATES = ['COMPLETE', 'PRUNED', 'RUNNING', 'FAIL', 'WAITING'];
  function badges(counts) {
    const span = el('span');
    for (const state of STATES) {
      if (counts && counts[state]) span.append(el('span', { class: 'badge ' + state, title: state, text: state.toLowerCase() + ' ' + counts[state] }));
    }
    return span;
  }

  function badge(state) { return el('span', { class: 'badge ' + state, text: state.toLowerCase() }); }

  function summaryItem(label, value) {
    return el('div', { class: 'item' }, el('div', { class: 'label', text: label }),
      value instanceof Node ? el('div', { class: 'value' }, value) : el('div', { class: 'value', text: String(value) }));
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = el('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    const label = button.textContent;
    button.textContent = 'copied';
    setTimeout(() => { button.textContent = label; }, 1200);
  }

  // A labelled block of text with a copy button.
  function copyable(label, text) {
    const button = el('button', { type: 'button', text: 'copy' });
    button.addEventListener('click', () => copy(text, button));
    return el('div', { class: 'copy-block' },
      el('div', { class: 'copy-row' }, el('span', { class: 'label', text: label }), button),
      el('pre', { class: 'copyable', text: text }));
  }

  // Calls `refresh` every `interval` ms while the page is visible, never twice at once; marks the live badge.
  function poll(refresh, interval) {
    const live = document.getElementById('live');
    let busy = false;
    const tick = async () => {
      if (busy || document.hidden) return;
      busy = true;
      try {
        await refresh();
        if (live) { live.className = 'live on'; live.textContent = 'live'; }
      } catch (error) {
        if (live) { live.className = 'live error'; live.textContent = 'offline'; live.title = String(error.message || error); }
      } finally {
        busy = false;
      }
    };
    setInterval(tick, interval);
  }

  function status(text, isError) {
    const node = document.getElementById('status');
    if (!node) return;
    node.textContent = text || '';
    node.className = 'status' + (isError ? ' error' : '');
    node.hidden = !text;
  }

  function query(params) {
    const parts = [];
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null || value === '') continue;
      parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(value));
    }
    return parts.length ? '?' + parts.join('&') : '';
  }

  // Counts redraws on the body (data-redraws, data-revision): how a test sees that a page refreshed itself.
  function markRedrawn(revision) {
    document.body.dataset.redraws = String(Number(document.body.dataset.redraws || 0) + 1);
    document.body.dataset.revision = revision;
  }

  return { markRedrawn, el, getJSON, loadSVG, number, values, duration, when, badges, badge, summaryItem, copyable, poll, status, query };
})();
